"""Quality of the unified list on hand-labelled data, in data/ of the folder named by PPS_SHARED
(default: ../shared next to the checkout).

    python benchmarks/dedup_quality.py

Two data sets, the same settings for both: the Latvian dev set (targets B-cubed F1 ≥ 0.95,
pairwise F1 ≥ 0.90, ≥ 90 % of non-services left out) and the German Musterdatenkatalog, one
row per (ORG, MUSTERDATENSATZ) (target B-cubed F1 ≥ 0.80), once with titles alone and once
with their descriptions too (a list may carry them; the baselines see titles only). The
baseline, in the same run, is character 3–5-gram TF-IDF cosine with single-link clustering at the threshold that is best
in hindsight (so it flatters the baseline); beside it, the same similarity with average-link
clustering that respects cannot-link, also at its best threshold in hindsight: about the most
that name similarity alone reaches, whatever the settings.
"""

from __future__ import annotations

import csv
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

from baselines import average_link, components, similar_pairs, tfidf

from pps_sdk.dedup.entries import Entry
from pps_sdk.dedup.evaluate import Evaluation, evaluate
from pps_sdk.dedup.pipeline import deduplicate

DATA = Path(os.environ.get("PPS_SHARED") or Path(__file__).resolve().parents[2] / "shared") / "data"


def latvian() -> tuple[list[Entry], dict[str, str | None]]:
    rows = list(csv.DictReader(open(DATA / "lv_services_dev.csv", encoding="utf-8")))
    entries = [Entry(key=r["record_id"], name=r["name"], municipality=r["municipality"], record_id=r["record_id"])
               for r in rows]
    gold = {r["record_id"]: (r["unified_id"] or None) if r["is_public_service"] == "1" else None for r in rows}
    return entries, gold


def german(descriptions: bool = False) -> tuple[list[Entry], dict[str, str | None]]:
    seen: set[tuple[str, str]] = set()
    entries, gold = [], {}
    for number, row in enumerate(csv.DictReader(open(DATA / "musterdatenkatalog_labelled_3506.csv", encoding="utf-8"))):
        key = (row["ORG"], row["MUSTERDATENSATZ"])
        if key in seen:
            continue
        seen.add(key)
        record = f"de-{number}"
        entries.append(Entry(key=record, name=row["dct:title"], municipality=row["ORG"], record_id=record,
                             description=row["dct:description"] if descriptions else ""))
        gold[record] = row["MUSTERDATENSATZ"]
    return entries, gold


def ours(entries: list[Entry], language: str) -> tuple[dict[str, str | None], float]:
    start = time.perf_counter()
    result = deduplicate(entries, language=language)
    seconds = time.perf_counter() - start
    return {m.entry.key: m.unified_id for m in result.mappings}, seconds


def baselines(entries: list[Entry], gold: dict[str, str | None]) -> dict[str, tuple[Evaluation, float]]:
    """Character 3–5-gram TF-IDF cosine, clustered two ways, each at its best threshold in
    hindsight: single link (the issue's baseline) and average link that never joins two entries
    of one municipality (about the best that name similarity alone can do)."""
    pairs = list(similar_pairs(tfidf([_tfidf_grams(e.name) for e in entries])))
    merges = average_link(len(entries), pairs, [e.municipality for e in entries])
    ways = {"single link": lambda t: components(len(entries), pairs, t),
            "average link, cannot-link": lambda t: components(len(entries), merges, t)}
    return {way: _best(entries, gold, labels) for way, labels in ways.items()}


def _best(entries: list[Entry], gold: dict[str, str | None], labels) -> tuple[Evaluation, float]:
    best: tuple[Evaluation, float] | None = None
    for threshold in [t / 40 for t in range(4, 37)]:
        scored = evaluate({e.key: str(label) for e, label in zip(entries, labels(threshold))}, gold)
        if best is None or scored.bcubed.f1 > best[0].bcubed.f1:
            best = (scored, threshold)
    assert best is not None
    return best


def _tfidf_grams(name: str) -> Counter:
    text = " " + re.sub(r"\s+", " ", name.casefold()) + " "
    return Counter(text[i:i + n] for n in (3, 4, 5) for i in range(len(text) - n + 1))


def line(label: str, scores: Evaluation) -> str:
    return (f"{label:40} pairwise P {scores.pairwise.precision:.3f} R {scores.pairwise.recall:.3f} "
            f"F1 {scores.pairwise.f1:.3f}   B-cubed P {scores.bcubed.precision:.3f} R {scores.bcubed.recall:.3f} "
            f"F1 {scores.bcubed.f1:.3f}   non-services left out {scores.excluded:.0%}")


def main() -> None:
    for name, loader, language, targets in (
            ("Latvian dev set", latvian, "lv", (0.95, 0.90, 0.90)),
            ("German, one row per ORG+entry, titles", german, "de", (0.80, None, None)),
            ("German, one row per ORG+entry, titles and descriptions", lambda: german(True), "de", (0.80, None, None))):
        entries, gold = loader()
        predicted, seconds = ours(entries, language)
        scores = evaluate(predicted, gold)
        compared = baselines(entries, gold)
        base = compared["single link"][0]
        print(f"{name}: {len(entries):,} rows, {scores.services:,} services in "
              f"{len(set(v for v in gold.values() if v)):,} clusters, {scores.non_services} non-services ({seconds:.2f} s)")
        print("  " + line("pps dedup", scores))
        for way, (scores_of_way, threshold) in compared.items():
            print("  " + line(f"{way} (at {threshold:.3f})", scores_of_way))
        bcubed, pairwise, excluded = targets
        verdicts = [f"B-cubed F1 {scores.bcubed.f1:.3f} {'≥' if scores.bcubed.f1 >= bcubed else '<'} {bcubed} "
                    f"({'met' if scores.bcubed.f1 >= bcubed else 'NOT met'})"]
        if pairwise is not None:
            verdicts.append(f"pairwise F1 {scores.pairwise.f1:.3f} ({'met' if scores.pairwise.f1 >= pairwise else 'NOT met'})")
        if excluded is not None:
            verdicts.append(f"non-services left out {scores.excluded:.0%} ({'met' if scores.excluded >= excluded else 'NOT met'})")
        print(f"  targets: {'; '.join(verdicts)}; ratio to baseline B-cubed F1 {scores.bcubed.f1 / base.bcubed.f1:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
