"""Quality of the unified list on hand-labelled data, in data/ of the folder named by PPS_SHARED
(default: ../shared next to the checkout), cross-validated and in-sample.

    python benchmarks/dedup_quality.py [--quick]

Cross-validation holds out whole services and whole municipalities at once: services and
municipalities are each dealt into two parts, and for each of the four pairs of parts the
rows of that service part in that municipality part are the test rows, while the training
rows share neither a service nor a municipality with them (`grouped_folds`). This is
repeated with three shuffles (one with --quick). What is tuned is chosen on the training rows
only and then scored on the test rows:

- the merge threshold, the share of character similarity and whether numbers count as words,
  by the mean of B-cubed and pairwise F1 on the training rows;
- which kinds of non-service are sure enough to leave an entry out: a kind is sure when on
  the training rows it flagged at least two entries and none of them was a real service;
  entries of the other kinds stay in the list and go to the review queue.

The lexicon is written by hand, not tuned: to show what each part of it (filler, synonyms,
abbreviations, actions) does on held-out rows, the test rows are scored again with that
part left out, at the settings chosen with it.

The baseline, in the same run: character 3–5-gram TF-IDF cosine, average-link clustering that
never joins two entries of one municipality, at one threshold chosen on the same training
rows. Linking: one municipality left out at a time joins the labelled list of all the others
(`--previous`); printed are the share of its entries of an already listed service that join
that service (top-1 accuracy) and the share of its entries of a service not yet listed that
are proposed as new. The in-sample lines score the shipped settings on all rows; beside them, the same
baseline at its best threshold in hindsight (which flatters it). The printed figures are
means over the test blocks, weighted by their service rows; "wrongly left out" counts real
services left out as not services, over all test rows.
"""

from __future__ import annotations

import csv
import itertools
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from baselines import average_link, components, similar_pairs, tfidf

from pps_sdk.dedup.entries import Entry
from pps_sdk.dedup.evaluate import Evaluation, evaluate, grouped_folds
from pps_sdk.dedup.match import Settings
from pps_sdk.dedup.pipeline import Previous, deduplicate
from pps_sdk.dedup.text import LEXICON_PARTS, load_lexicon
from pps_sdk.model import LangText, UnifiedService

DATA = Path(os.environ.get("PPS_SHARED") or Path(__file__).resolve().parents[2] / "shared") / "data"
Gold = dict[str, str | None]
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
NGRAM_WEIGHTS = (0.3, 0.5, 0.7, 0.9)
BASELINE_THRESHOLDS = tuple(t / 40 for t in range(2, 37))


def latvian() -> tuple[list[Entry], Gold]:
    rows = list(csv.DictReader(open(DATA / "lv_services_dev.csv", encoding="utf-8")))
    entries = [Entry(key=r["record_id"], name=r["name"], municipality=r["municipality"], record_id=r["record_id"])
               for r in rows]
    gold = {r["record_id"]: (r["unified_id"] or None) if r["is_public_service"] == "1" else None for r in rows}
    return entries, gold


def german(descriptions: bool = False) -> tuple[list[Entry], Gold]:
    """The Musterdatenkatalog, one row per (ORG, MUSTERDATENSATZ)."""
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
        gold[record] = row["MUSTERDATENSATZ"] or None  # a dozen rows name only a town: no entry
    return entries, gold


# -- what is tuned, chosen on training rows ---------------------------------------------------

def reason_kinds(language: str) -> frozenset[str]:
    """Every kind of non-service the patterns can name."""
    kinds = {"category or department page", "no words that name a service"}
    if language in ("lv", "de"):
        kinds |= {reason for reason, _ in load_lexicon(language).not_services}
    return frozenset(kinds)


def unsure_kinds(entries: list[Entry], gold: Gold, language: str) -> frozenset[str]:
    """Kinds of non-service not proven on these rows: fewer than two entries flagged, or a real
    service among them."""
    kinds = reason_kinds(language)
    result = deduplicate(entries, Settings(unsure=kinds), language=language)
    flagged: dict[str, list[str]] = {}
    for item in result.review:
        if item.reason:
            flagged.setdefault(item.reason, []).append(item.first[0])
    sure = {kind for kind, keys in flagged.items() if len(keys) >= 2 and all(gold[k] is None for k in keys)}
    return kinds - sure


def chosen_settings(entries: list[Entry], gold: Gold, language: str) -> Settings:
    """The settings that score best on these rows (see the module's docstring)."""
    unsure = unsure_kinds(entries, gold, language)
    best: tuple[float, Settings] | None = None
    for threshold, weight, numbers in itertools.product(THRESHOLDS, NGRAM_WEIGHTS, (True, False)):
        settings = Settings(threshold=threshold, ngram_weight=weight, numbers=numbers, unsure=unsure)
        found = objective(entries, gold, settings, language)
        if best is None or found > best[0] + 1e-9:
            best = (found, settings)
    assert best is not None
    return best[1]


def objective(entries: list[Entry], gold: Gold, settings: Settings, language: str) -> float:
    scores = score(entries, gold, settings, language)
    return (scores.bcubed.f1 + scores.pairwise.f1) / 2


def described(settings: Settings) -> str:
    """threshold/character share, then "-n" when numbers do not count as words."""
    return f"{settings.threshold:.2f}/{settings.ngram_weight:.1f}{'' if settings.numbers else '-n'}"


def score(entries: list[Entry], gold: Gold, settings: Settings, language: str) -> Evaluation:
    result = deduplicate(entries, settings, language=language)
    return evaluate({m.entry.key: m.unified_id for m in result.mappings}, {e.key: gold[e.key] for e in entries})


def wrongly_left_out(entries: list[Entry], gold: Gold, settings: Settings, language: str) -> int:
    result = deduplicate(entries, settings, language=language)
    return sum(1 for m in result.excluded if gold[m.entry.key] is not None)


# -- the baseline ----------------------------------------------------------------------------

def baseline_labels(entries: list[Entry]) -> Callable[[float], list[int]]:
    """Cluster labels at any threshold: character 3–5-gram TF-IDF, average link, cannot-link."""
    pairs = list(similar_pairs(tfidf([_tfidf_grams(e.name) for e in entries])))
    merges = average_link(len(entries), pairs, [e.municipality for e in entries])
    return lambda threshold: components(len(entries), merges, threshold)


def baseline_score(entries: list[Entry], gold: Gold, labels: Callable[[float], list[int]], threshold: float) -> Evaluation:
    return evaluate({e.key: str(label) for e, label in zip(entries, labels(threshold))},
                    {e.key: gold[e.key] for e in entries})


def baseline_threshold(entries: list[Entry], gold: Gold) -> float:
    labels = baseline_labels(entries)
    return max(BASELINE_THRESHOLDS, key=lambda t: baseline_score(entries, gold, labels, t).bcubed.f1)


def _tfidf_grams(name: str) -> Counter:
    text = " " + re.sub(r"\s+", " ", name.casefold()) + " "
    return Counter(text[i:i + n] for n in (3, 4, 5) for i in range(len(text) - n + 1))


# -- cross-validation --------------------------------------------------------------------------

@dataclass
class Tally:
    """Scores of test blocks, averaged by their service rows."""

    weight: float = 0.0
    sums: tuple[float, ...] = (0.0,) * 7
    wrong: int = 0
    services: int = 0

    def add(self, scores: Evaluation, wrong: int = 0) -> None:
        values = (scores.pairwise.precision, scores.pairwise.recall, scores.pairwise.f1, scores.bcubed.precision,
                  scores.bcubed.recall, scores.bcubed.f1, scores.excluded)
        self.sums = tuple(s + v * scores.services for s, v in zip(self.sums, values))
        self.weight += scores.services
        self.wrong += wrong
        self.services += scores.services

    def line(self, label: str) -> str:
        p_p, p_r, p_f, b_p, b_r, b_f, out = (s / (self.weight or 1) for s in self.sums)
        return (f"{label:44} pairwise P {p_p:.3f} R {p_r:.3f} F1 {p_f:.3f}   B-cubed P {b_p:.3f} R {b_r:.3f} "
                f"F1 {b_f:.3f}   non-services left out {out:.0%}")

    def f1s(self) -> tuple[float, float]:
        return self.sums[5] / (self.weight or 1), self.sums[2] / (self.weight or 1)


def cross_validate(entries: list[Entry], gold: Gold, language: str,
                   seeds: int) -> tuple[Tally, Tally, list[str], dict[str, Tally]]:
    """Our scores, the baseline's and the settings chosen in each test block, and our scores
    with each part of the lexicon left out (settings as chosen with it)."""
    rows = [(gold[e.key] or f"not a service: {e.name.casefold()}", e.municipality) for e in entries]
    ours, base, chosen = Tally(), Tally(), []
    without = {part: Tally() for part in (sorted(LEXICON_PARTS) if language in ("lv", "de") else ())}
    for seed in range(seeds):
        for train_rows, test_rows in grouped_folds(rows, folds=2, seed=seed):
            train = [entries[i] for i in train_rows]
            test = [entries[i] for i in test_rows]
            settings = chosen_settings(train, gold, language)
            chosen.append(described(settings))
            ours.add(score(test, gold, settings, language), wrongly_left_out(test, gold, settings, language))
            base.add(baseline_score(test, gold, baseline_labels(test), baseline_threshold(train, gold)))
            for part, tally in without.items():
                tally.add(score(test, gold, replace(settings, lexicon_parts=settings.lexicon_parts - {part}), language))
    return ours, base, chosen, without


# -- linking to an existing list ------------------------------------------------------------

def linking(entries: list[Entry], gold: Gold, language: str) -> tuple[int, int, int, int]:
    """Leave one municipality out at a time: the other municipalities' rows, grouped as the
    labels say, are the existing unified list (`--previous`), and the left-out municipality's
    list joins it. Returns (entries of an existing service linked to it, entries of an existing
    service, entries of a service not yet listed proposed as new, entries of such services)."""
    linked = existing = proposed = novel = 0
    for place in sorted({e.municipality for e in entries}):
        others = [e for e in entries if e.municipality != place and gold[e.key] is not None]
        services = {gold[e.key]: UnifiedService(id=f"existing-{n}", name=LangText({"lv": e.name}),
                                                description=LangText({"lv": e.name}))
                    for n, e in enumerate(others)}
        previous = Previous({s.id: s for s in services.values()}, {e.key: services[gold[e.key]].id for e in others})
        result = deduplicate(entries, previous=previous, language=language)
        given = {m.entry.key: m.unified_id for m in result.mappings}
        for e in entries:
            if e.municipality != place or gold[e.key] is None:
                continue
            if gold[e.key] in services:
                existing += 1
                linked += given[e.key] == services[gold[e.key]].id
            else:
                novel += 1
                proposed += given[e.key] is not None and given[e.key] not in previous.services
    return linked, existing, proposed, novel


def line(label: str, scores: Evaluation) -> str:
    tally = Tally()
    tally.add(scores)
    return tally.line(label)


def main(quick: bool = False) -> None:
    seeds = 1 if quick else 3
    for name, loader, language, targets in (
            ("Latvian dev set", latvian, "lv", (0.93, 0.88)),
            ("German, one row per ORG+entry, titles", german, "de", (None, None))):
        entries, gold = loader()
        start = time.perf_counter()
        ours, base, chosen, without = cross_validate(entries, gold, language, seeds)
        seconds = time.perf_counter() - start
        print(f"{name}: {len(entries):,} rows, {sum(v is not None for v in gold.values()):,} services in "
              f"{len(set(v for v in gold.values() if v)):,} clusters, {sum(v is None for v in gold.values())} non-services")
        print(f"  cross-validated ({seeds * 4} test blocks, whole services and municipalities held out; {seconds:.0f} s):")
        print("    " + ours.line("pps dedup, settings chosen on training rows"))
        print("    " + base.line("average-link TF-IDF, threshold from training"))
        print(f"    real services wrongly left out: {ours.wrong} of {ours.services} "
              f"({ours.wrong / (ours.services or 1):.1%}); settings chosen (threshold/character share, -n without "
              f"numbers): {', '.join(chosen)}")
        if without:
            print("    each part of the lexicon left out on the test rows (B-cubed/pairwise F1): " + ", ".join(
                f"{part} {tally.f1s()[0]:.3f}/{tally.f1s()[1]:.3f}" for part, tally in without.items()))
        shipped = Settings.for_language(language)
        in_sample = score(entries, gold, shipped, language)
        labels = baseline_labels(entries)
        hindsight = max(BASELINE_THRESHOLDS, key=lambda t: baseline_score(entries, gold, labels, t).bcubed.f1)
        on_all = chosen_settings(entries, gold, language)
        print("  in-sample (all rows):")
        print("    " + line("pps dedup, shipped settings", in_sample))
        print("    " + line(f"average-link TF-IDF at {hindsight:.3f} (hindsight)",
                            baseline_score(entries, gold, labels, hindsight)))
        print(f"    real services wrongly left out: {wrongly_left_out(entries, gold, shipped, language)} of "
              f"{in_sample.services}; chosen on all rows: {described(on_all)}, unsure kinds "
              f"{sorted(on_all.unsure & reason_kinds(language))} (shipped: {described(shipped)}, {sorted(shipped.unsure)})")
        bcubed, pairwise = ours.f1s()
        start = time.perf_counter()
        linked, existing, proposed, novel = linking(entries, gold, language)
        print(f"  linking to an existing list, one municipality left out at a time ({time.perf_counter() - start:.0f} s): "
              f"top-1 accuracy {linked / (existing or 1):.3f} ({linked:,} of {existing:,} entries of a listed service), "
              f"correctly proposed as new {proposed / (novel or 1):.3f} ({proposed:,} of {novel:,})")
        base_bcubed = base.f1s()[0]
        goal = targets[0] if targets[0] is not None else base_bcubed
        verdicts = [f"cross-validated B-cubed F1 {bcubed:.3f} {'≥' if bcubed >= goal else '<'} {goal:.3f}"
                    + ("" if targets[0] is not None else " (the baseline's, same blocks)")]
        if targets[1] is not None:
            verdicts.append(f"pairwise F1 {pairwise:.3f} {'≥' if pairwise >= targets[1] else '<'} {targets[1]}")
            share = ours.wrong / (ours.services or 1)
            verdicts.append(f"wrongly left out {share:.1%} {'≤' if share <= 0.01 else '>'} 1%")
        print(f"  targets: {'; '.join(verdicts)}; ratio to the baseline's cross-validated B-cubed F1 "
              f"{bcubed / (base_bcubed or 1):.2f}x")


if __name__ == "__main__":
    sys.exit(main("--quick" in sys.argv[1:]))
