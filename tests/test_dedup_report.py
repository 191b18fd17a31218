"""The report a person reviews (report.html): what it shows, and its filter box and sortable
columns working in a real browser (headless Chromium, Debian's `chromium`)."""

from __future__ import annotations

from pps_sdk.dedup.entries import Entry
from pps_sdk.dedup.outputs import html_report
from pps_sdk.dedup.pipeline import deduplicate
from browser_support import seen_in_browser


def entry(key: str, name: str, municipality: str, row: int) -> Entry:
    return Entry(key=key, name=name, municipality=municipality, record_id=key, source="lists.csv", row=row)


ENTRIES = [entry("a", "Būvatļaujas izsniegšana", "Tukuma novads", 2), entry("b", "Būvatļaujas saņemšana", "Talsu novads", 3),
           entry("c", "Būvatļauja", "Cēsu novads", 4), entry("d", "Dzimšanas reģistrācija", "Talsu novads", 5),
           entry("e", "Domes sēžu protokoli", "Ogres novads", 6)]


def test_the_report_shows_words_where_each_entry_comes_from_and_a_table_of_contents():
    page = html_report(deduplicate(ENTRIES))
    assert "shares the words būvatļaujas" in page and "shares buvatlauj" not in page  # words, not internal stems
    assert "lists.csv, row 3" in page and "lists.csv, row 6" in page
    assert 'href="#services"' in page and 'href="#review"' in page and 'href="#left-out"' in page
    assert 'id="filter"' in page and "<script>" in page and "src=" not in page  # one self-contained file


def test_an_empty_review_queue_says_so_instead_of_an_empty_table():
    page = html_report(deduplicate([entry("a", "Adopcija", "Talsu novads", 2)]))
    assert "Nothing to review." in page and "Nothing was left out." in page


# Typed into the page after its own script: filter, then sort a group's table by municipality
# (twice, so descending too) and by confidence; what it saw goes into the page for us to read.
DRIVER = """<script>
(function () {
  function names(selector) {
    return Array.prototype.filter.call(document.querySelectorAll(selector), function (row) {
      return !row.hidden && !row.closest('section.cluster[hidden]');
    }).map(function (row) { return row.cells[0].textContent + ' | ' + row.cells[1].textContent; });
  }
  var box = document.getElementById('filter'), seen = {};
  box.value = 'talsu'; box.dispatchEvent(new Event('input'));
  seen.filtered = names('#services tbody tr');
  seen.counter = document.getElementById('shown').textContent;
  box.value = ''; box.dispatchEvent(new Event('input'));
  seen.all = names('#services tbody tr').length;
  var table = document.querySelector('section.cluster table'), heads = table.querySelectorAll('th');
  function column(index) {
    return Array.prototype.map.call(table.tBodies[0].rows, function (r) { return r.cells[index].textContent; });
  }
  heads[0].click(); seen.ascending = column(0);
  heads[0].click(); seen.descending = column(0);
  heads[3].click(); seen.confidence = column(3);
  document.body.setAttribute('data-seen', JSON.stringify(seen));
})();
</script>"""


def test_the_filter_box_and_the_sortable_columns_work_in_a_browser(tmp_path):
    page = html_report(deduplicate(ENTRIES)).replace("</body>", DRIVER + "</body>")
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    seen = seen_in_browser(path, tmp_path / "profile")
    assert seen["filtered"] == ["Talsu novads | Būvatļaujas saņemšana", "Talsu novads | Dzimšanas reģistrācija"]
    assert seen["counter"] == "2 of 5 rows" and seen["all"] == 4
    assert seen["ascending"] == ["Cēsu novads", "Talsu novads", "Tukuma novads"]
    assert seen["descending"] == ["Tukuma novads", "Talsu novads", "Cēsu novads"]
    assert seen["confidence"] == sorted(seen["confidence"], key=float)
