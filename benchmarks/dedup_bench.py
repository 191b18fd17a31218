"""Scale: 100,000 generated municipal entries (400 municipalities × 250 services) through
`deduplicate`, against a simple baseline in the same run.

    python benchmarks/dedup_bench.py [municipalities] [services]

Target: at most 60 s and 2 GB peak memory on 2 cores. First, 20,000 copies of one name (in
one municipality, then over ten), which must stay near-linear too. The 250 services are 50 objects ×
5 actions (issue, extend, cancel, duplicate, re-register), so names differ by little where
it matters; each municipality words each service its own way (synonyms, filler, word order,
capitals, missing diacritics, typos, its own name) and lists a few non-services. The
baseline: word TF-IDF cosine over an inverted index, connected components at 0.6.
"""

from __future__ import annotations

import random
import resource
import sys
import time
import unicodedata
from collections import Counter

from baselines import components, similar_pairs, tfidf

from pps_sdk.dedup.entries import Entry
from pps_sdk.dedup.evaluate import evaluate
from pps_sdk.dedup.pipeline import deduplicate
from pps_sdk.wording import counted

# Objects in the genitive, as they stand before an action noun.
OBJECTS = [
    "būvatļaujas", "reklāmas izvietošanas atļaujas", "koku ciršanas atļaujas", "taksometru licences",
    "ielu tirdzniecības atļaujas", "alkoholisko dzērienu tirdzniecības atļaujas", "publiska pasākuma atļaujas",
    "zvejas licences", "medību tiesību nomas līguma", "zemes nomas līguma", "mazdārziņa nomas līguma",
    "sociālā dzīvokļa īres līguma", "dzīvojamās telpas īres līguma", "tirdzniecības vietas nomas līguma",
    "izziņas par deklarēto dzīvesvietu", "izziņas par nekustamā īpašuma nodokļa parādu", "personas apliecības",
    "invaliditātes apliecības", "pensionāra apliecības", "daudzbērnu ģimenes apliecības", "skolēna apliecības",
    "stāvvietas atļaujas", "iebraukšanas atļaujas", "rakšanas darbu atļaujas", "ceļa zīmju izvietošanas atļaujas",
    "vides pieejamības apliecinājuma", "apliecinājuma kartes", "paskaidrojuma raksta", "ekspluatācijas akta",
    "adreses piešķiršanas lēmuma", "zemes ierīcības projekta", "detālplānojuma", "lokālplānojuma",
    "būvprojekta saskaņojuma", "ugunsdrošības atzinuma", "suņa reģistrācijas apliecības", "mājdzīvnieka pases",
    "licences pasažieru pārvadājumiem", "atļaujas kapsētas zemes lietošanai", "kapavietas uzturēšanas līguma",
    "sporta zāles nomas līguma", "telpu nomas līguma", "bibliotēkas lasītāja kartes", "auto stāvvietas abonementa",
    "sabiedriskā transporta braukšanas kartes", "izglītības iestādes izziņas", "arhīva izziņas",
    "laulības apliecības", "dzimšanas apliecības", "miršanas apliecības",
]
ACTIONS = {
    "issue": ["izsniegšana", "saņemšana", "izsniegšana un saņemšana"],
    "extend": ["pagarināšana", "termiņa pagarināšana"],
    "cancel": ["anulēšana", "atcelšana"],
    "duplicate": ["dublikāta izsniegšana", "dublikāts"],
    "re-register": ["pārreģistrācija", "pārreģistrēšana"],
}
FILLER = ["", "", "", "Pašvaldības ", "Pakalpojums: ", "Iesniegums par "]
NOT_SERVICES = ["Kontakti", "Domes sēžu protokoli", "{year}. gada {day}. janvāra domes sēdes darba kārtība",
                "Vakances", "Maksas pakalpojumu cenrādis", "Jaunumi", "Saistošie noteikumi"]


def strip_diacritics(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def typo(text: str, rng: random.Random) -> str:
    if len(text) < 8:
        return text
    i = rng.randrange(2, len(text) - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def variant(obj: str, action: str, municipality: str, rng: random.Random) -> str:
    words = rng.choice(ACTIONS[action])
    name = rng.choice([f"{obj} {words}", f"{obj} {words}", f"{words.capitalize()} ({obj})"])
    name = rng.choice(FILLER) + name
    roll = rng.random()
    if roll < 0.1:
        name = name.upper()
    elif roll < 0.2:
        name = strip_diacritics(name)
    elif roll < 0.25:
        name = typo(name, rng)
    elif roll < 0.3:
        name = f"{name} {municipality}"
    return name[:1].upper() + name[1:]


def generate(municipalities: int, services: int, seed: int = 7) -> tuple[list[Entry], dict[str, str | None]]:
    rng = random.Random(seed)
    catalogue = [(obj, action) for obj in OBJECTS for action in ACTIONS][:services]
    entries, gold = [], {}
    for m in range(municipalities):
        municipality = f"Pašvaldība {m:03d} novads"
        for s, (obj, action) in enumerate(catalogue):
            key = f"m{m:03d}-s{s:03d}"
            entries.append(Entry(key=key, name=variant(obj, action, f"Pašvaldība {m:03d}", rng), municipality=municipality,
                                 record_id=key))
            gold[key] = f"s{s:03d}"
        for n in range(2):
            key = f"m{m:03d}-x{n}"
            text = rng.choice(NOT_SERVICES).format(year=rng.choice([2019, 2020, 2021]), day=rng.randint(1, 28))
            entries.append(Entry(key=key, name=text, municipality=municipality, record_id=key))
            gold[key] = None
    return entries, gold


def baseline(entries: list[Entry], threshold: float = 0.6) -> dict[str, str | None]:
    """Word TF-IDF cosine, inverted index, connected components."""
    vectors = tfidf([Counter(strip_diacritics(e.name.casefold()).split()) for e in entries])
    labels = components(len(entries), similar_pairs(vectors, minimum=threshold, max_share=0.05), threshold)
    return {e.key: str(label) for e, label in zip(entries, labels)}


def identical(copies: int = 20_000) -> None:
    """One name many times over, in one municipality and spread over ten: time and memory
    must stay near-linear whatever the duplication (run first, so the peak is its own)."""
    for places in (1, 10):
        entries = [Entry(key=f"c{i}", name="Būvatļaujas izsniegšana", municipality=f"Pašvaldība {i % places} novads",
                         record_id=f"c{i}") for i in range(copies)]
        start = time.perf_counter()
        result = deduplicate(entries)
        seconds = time.perf_counter() - start
        print(f"{copies:,} copies of one name in {counted(places, 'municipality', 'municipalities')}: {seconds:.1f} s, "
              f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, "
              f"unified services {len(result.unified):,}")


def main(municipalities: int, services: int) -> None:
    identical()
    entries, gold = generate(municipalities, services)
    print(f"{len(entries):,} entries: {municipalities} municipalities × {services} services, "
          f"{sum(v is None for v in gold.values()):,} non-services")
    start = time.perf_counter()
    result = deduplicate(entries)
    ours_time = time.perf_counter() - start
    ours_memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    scores = evaluate({m.entry.key: m.unified_id for m in result.mappings}, gold)
    print(f"pps dedup   {ours_time:6.1f} s  peak {ours_memory:6.0f} MB  unified services {len(result.unified):,}  "
          f"B-cubed F1 {scores.bcubed.f1:.3f}  pairwise F1 {scores.pairwise.f1:.3f}  "
          f"non-services left out {scores.excluded:.0%}")
    start = time.perf_counter()
    predicted = baseline(entries)
    base_time = time.perf_counter() - start
    base = evaluate(predicted, gold)
    print(f"baseline    {base_time:6.1f} s  clusters {len(set(predicted.values())):,}  B-cubed F1 {base.bcubed.f1:.3f}  "
          f"pairwise F1 {base.pairwise.f1:.3f}  (peak memory of the whole run "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
    print(f"time ratio pps/baseline {ours_time / base_time:.2f}x; target ≤ 60 s: {'met' if ours_time <= 60 else 'NOT met'}; "
          f"≤ 2 GB: {'met' if ours_memory <= 2048 else 'NOT met'}")


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    main(arguments[0] if arguments else 400, arguments[1] if len(arguments) > 1 else 250)
