import pytest

from pps_sdk import LangText, ModelError, normalise_language_tag


@pytest.mark.parametrize("tag, normalised", [
    ("lv", "lv"), ("en", "en"), ("ru", "ru"), ("nl-be-x-informal", "nl-be-x-informal"),
    ("nl-BE-x-informal", "nl-be-x-informal"), ("sr-Latn-RS", "sr-latn-rs"), ("es-419", "es-419"),
    ("de-CH-1996", "de-ch-1996"), ("x-pps-internal", "x-pps-internal"), ("zh-yue-HK", "zh-yue-hk"),
])
def test_well_formed_tags_are_accepted_in_lower_case(tag, normalised):
    assert normalise_language_tag(tag) == normalised


@pytest.mark.parametrize("tag", ["", "l", "lv-toolongvariant", "lv-", "-lv", "en--gb", "lv_LV!", "1v", "en-x", "12345"])
def test_malformed_tags_are_refused(tag):
    with pytest.raises(ValueError, match="BCP-47"):
        normalise_language_tag(tag)


def test_bad_tag_error_names_the_tag_as_path():
    with pytest.raises(ModelError) as caught:
        LangText({"lv": "Būvatļauja", "english!": "Building permit"})
    assert [p.path for p in caught.value.problems] == ["['english!']"]


def test_blank_and_empty_text_are_refused():
    with pytest.raises(ModelError) as caught:
        LangText({"lv": "   "})
    assert caught.value.problems[0].path == "lv"
    with pytest.raises(ModelError, match="at least one language"):
        LangText({})


def test_plain_string_is_latvian():
    assert LangText("Būvatļauja").root == {"lv": "Būvatļauja"}


def test_get_follows_the_fallback_order():
    text = LangText({"en": "Building permit", "ru": "Разрешение на строительство", "lv": "Būvatļauja"})
    assert text.get("ru") == "Разрешение на строительство"
    assert text.get("de") == "Būvatļauja"  # default fallback lv, en
    assert text.get("de", fallback=("en", "lv")) == "Building permit"
    assert text.get() == "Būvatļauja"
    assert str(text) == "Būvatļauja"


def test_get_matches_tags_by_language():
    text = LangText({"nl-be-x-informal": "Bouwvergunning (informeel)", "en": "Building permit"})
    assert text.get("nl") == "Bouwvergunning (informeel)"
    assert text.get("nl-BE-x-informal") == "Bouwvergunning (informeel)"
    assert text.get("fr", fallback=("de",)) == "Bouwvergunning (informeel)"  # nothing matches: first language
    assert "NL-be-x-informal" in text and "fr" not in text
