"""Latvian service names as features: normalisation, stems, the lexicon, other languages."""

from __future__ import annotations

from pps_sdk.dedup.text import Analyzer, latvian_stem, lexicon_from, load_lexicon, normalise


def words(*names: str, language: str = "lv") -> list[tuple[str, ...]]:
    return [f.words for f in Analyzer(language).features(list(names))]


def test_normalise_folds_case_quotes_and_spaces():
    assert normalise("  Pakalpojums  „Drošības poga”\u00a0") == "pakalpojums drošības poga"
    assert normalise("BŪVATĻAUJA") == "būvatļauja"
    assert normalise("Bu\u0304vatl\u0327auja") == normalise("Būvatļauja")  # decomposed input (NFD)


def test_forms_of_one_word_share_a_stem():
    assert latvian_stem("naktspatversmes") == latvian_stem("naktspatversme")
    # The dictionary lemmatises 'ciršana' to the verb and 'ciršanas' to the noun; both end up the same.
    first, second = words("Koku ciršana ārpus meža", "Ārpus meža augošu koku ciršanas atļauja")
    assert set(first) <= set(second)


def test_filler_goes_and_the_service_stays():
    short, long = words("Būvatļauja", "Būvatļaujas izsniegšanas pakalpojuma pieteikums")
    assert short == long and len(short) == 1


def test_synonyms_and_abbreviations_meet():
    assert words("NĪN atvieglojumu saņemšana")[0] == words("Nekustamā īpašuma nodokļa atvieglojumi")[0]
    registration, registering = words("Dzimšanas reģistrācija", "Dzimšanas fakta reģistrēšana")
    assert registration == registering


def test_two_words_written_as_one_elsewhere_become_one():
    apart, together = words("Nakts patversme", "Naktspatversmes pakalpojums")
    assert apart == together


def test_action_words_are_picked_out():
    issue, extend = Analyzer("lv").features(["Būvatļaujas izsniegšana", "Būvatļaujas termiņa pagarināšana"])
    assert issue.actions == frozenset() and extend.actions == {"extend"}
    duplicate, = Analyzer("lv").features(["Apliecības dublikāta izsniegšana"])
    assert duplicate.actions == {"duplicate"}


def test_german_spellings_compounds_and_filler():
    # Umlauts and ß written out, as lists often do, are the same word.
    koeln, koln = words("Feuerwehr Koeln", "Feuerwehr Köln", language="de")
    assert koeln == koln
    strasse, strasse_sz = words("Strassenverzeichnis", "Straßenverzeichnis", language="de")
    assert strasse == strasse_sz
    # A compound brings its parts when both are words of other names; the compound stays too.
    compound, head, tail = words("Feuerwehreinsätze", "Feuerwehr", "Einsätze", language="de")
    assert compound[1:] == head + tail and compound[0] not in head + tail
    lone, = words("Feuerwehreinsätze", language="de")
    assert len(lone) == 1  # no other name has its parts: nothing to split against
    # Function words and the kinds of authority are filler, as Latvian "pašvaldība" is.
    assert words("Die Standorte der Grillplätze im Gemeindegebiet der Stadt", language="de") == [("standort", "grillplatz")]
    extend = Analyzer("de", lexicon_from({"actions": {"Verlängerung": "extend"}}, "de"))
    assert extend.features(["Verlängerungen der Sondernutzungserlaubnis"])[0].actions == {"extend"}


def test_other_languages_use_snowball_or_plain_words():
    german = words("Abfallkalender 2020", "Abfallkalendern", language="de")
    assert german[0][0] == german[1][0] and "2020" in german[0]
    assert words("Ardoise", language="xx") == [("ardoise",)]  # no stemmer: the word itself


def test_a_lexicon_of_ones_own():
    lexicon = lexicon_from({"filler": ["iesniegums"], "actions": {"atjaunošana": "renew"}, "synonyms": [["auto", "transportlīdzeklis"]]})
    analyzer = Analyzer("lv", lexicon)
    renew, plain = analyzer.features(["Transportlīdzekļa atļaujas atjaunošana", "Auto atļauja iesniegums"])
    assert renew.actions == {"renew"} and set(plain.words) <= set(renew.words)
    assert "pakalpojum" in load_lexicon("lv").filler  # the shipped one is general vocabulary
