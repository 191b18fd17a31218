"""XML at scale: dump, XSD validation (lxml and xmlschema) and load of a large catalogue.

    python benchmarks/xml_bench.py [services] [xmlschema services]

Default 20,000 services (target: dump + validate + load in at most 30 s on one core). The
baseline is bare lxml on the same document: serialising the already built tree and parsing
the text back, with no models; the ratio says what our mapping costs on top of lxml.
xmlschema, pure Python and much slower, is timed on a smaller catalogue (default 1,000).
"""

from __future__ import annotations

import sys
import time

from lxml import etree

from pps_sdk import dump, loads
from pps_sdk.examples import large_catalogue
from pps_sdk.formats.xml_schema import schema_problems


def timed(work):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def main(services: int, xmlschema_services: int) -> None:
    catalogue, built = timed(lambda: large_catalogue(services))
    text, dump_time = timed(lambda: dump(catalogue, "xml"))
    raw = text.encode("utf-8")
    problems, lxml_validate_time = timed(lambda: schema_problems(raw, "lxml"))
    assert problems == [], problems[:3]
    loaded, load_time = timed(lambda: loads(raw, "xml", max_bytes=len(raw)))  # over the 50 MB default
    assert loaded == catalogue

    tree, parse_time = timed(lambda: etree.fromstring(raw))
    _, serialise_time = timed(lambda: etree.tostring(tree, encoding="unicode", pretty_print=True))
    baseline = parse_time + serialise_time
    ours = dump_time + load_time

    small = dump(large_catalogue(xmlschema_services), "xml").encode("utf-8")
    problems, xmlschema_time = timed(lambda: schema_problems(small, "xmlschema"))
    assert problems == []
    _, lxml_small_time = timed(lambda: schema_problems(small, "lxml"))

    total = dump_time + lxml_validate_time + load_time
    print(f"catalogue: {services:,} services, {len(raw) / 1e6:.1f} MB of XML (built in {built:.1f} s)")
    print(f"dump                {dump_time:6.2f} s  {services / dump_time:9,.0f} services/s")
    print(f"validate (lxml)     {lxml_validate_time:6.2f} s  {services / lxml_validate_time:9,.0f} services/s")
    print(f"load                {load_time:6.2f} s  {services / load_time:9,.0f} services/s")
    print(f"dump+validate+load  {total:6.2f} s  (target ≤ 30 s: {'met' if total <= 30 else 'NOT met'})")
    print(f"bare lxml serialise+parse of the same tree {baseline:.2f} s; our dump+load is {ours / baseline:.1f}x that")
    print(f"xmlschema on {xmlschema_services:,} services: {xmlschema_time:.2f} s "
          f"({xmlschema_services / xmlschema_time:,.0f} services/s; lxml on the same: {lxml_small_time:.3f} s, "
          f"{xmlschema_time / lxml_small_time:.0f}x faster)")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(args[0] if args else 20_000, args[1] if len(args) > 1 else 1_000)
