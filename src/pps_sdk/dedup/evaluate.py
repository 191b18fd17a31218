"""How good a unified list is against a hand-labelled one: pairwise and B-cubed precision,
recall and F1 over the service rows, and the share of non-services left out.

Rows a prediction leaves out or puts alone count as singletons, as the data's README asks.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

Labels = Mapping[str, str | None]  # record id → cluster id, or None for "not a service"


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class Evaluation:
    pairwise: Score
    bcubed: Score
    excluded: float  # share of the gold non-services the prediction left out
    services: int
    non_services: int


def evaluate(predicted: Labels, gold: Labels) -> Evaluation:
    """Scores of `predicted` against `gold`, over the rows `gold` labels."""
    services = [key for key, cluster in gold.items() if cluster is not None]
    non_services = [key for key, cluster in gold.items() if cluster is None]
    predicted_of = {key: predicted.get(key) or f"alone:{key}" for key in services}
    gold_groups: dict[str, set[str]] = defaultdict(set)
    predicted_groups: dict[str, set[str]] = defaultdict(set)
    for key in services:
        gold_groups[gold[key]].add(key)  # type: ignore[index]
        predicted_groups[predicted_of[key]].add(key)
    precision = recall = 0.0
    for key in services:
        ours, theirs = predicted_groups[predicted_of[key]], gold_groups[gold[key]]  # type: ignore[index]
        common = len(ours & theirs)
        precision += common / len(ours)
        recall += common / len(theirs)
    count = len(services) or 1
    bcubed = Score(precision / count, recall / count)
    both = sum(_pairs(len(ours & theirs)) for ours in predicted_groups.values() for theirs in gold_groups.values())
    predicted_pairs = sum(_pairs(len(g)) for g in predicted_groups.values())
    gold_pairs = sum(_pairs(len(g)) for g in gold_groups.values())
    pairwise = Score(both / predicted_pairs if predicted_pairs else 1.0, both / gold_pairs if gold_pairs else 1.0)
    left_out = sum(1 for key in non_services if predicted.get(key) is None)
    return Evaluation(pairwise, bcubed, left_out / len(non_services) if non_services else 1.0, len(services),
                      len(non_services))


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def read_labels(path: str | Path, id_column: str = "record_id", cluster_column: str = "unified_id",
                service_column: str | None = "is_public_service", excluded_column: str | None = None) -> dict[str, str | None]:
    """Labels from a CSV: a row is a non-service when `service_column` is 0 (gold) or
    `excluded_column` is filled (our mapping.csv), or when its cluster is empty. A file of the
    wrong kind, a short row or an overlong field is a ValueError that says where."""
    labels: dict[str, str | None] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        try:
            columns = reader.fieldnames or []
            _check_kind(path, columns, service_column, excluded_column)
            missing = {id_column, cluster_column} - set(columns)
            if missing:
                raise ValueError(f"{path}: no column {', '.join(sorted(missing))} (columns: {columns})")
            for row in reader:
                if None in row.values():
                    raise ValueError(f"{path}, line {reader.line_num}: the row has fewer cells than the header")
                not_service = ((service_column in row and row[service_column].strip() == "0") if service_column else False) or (
                    bool(row.get(excluded_column, "").strip()) if excluded_column else False)
                cluster = row[cluster_column].strip()
                labels[row[id_column]] = None if not_service or not cluster else cluster
        except csv.Error as exc:
            raise ValueError(f"{path}, line {reader.line_num}: not a readable CSV row ({exc})") from None
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    return labels


def _check_kind(path: str | Path, columns: list[str], service_column: str | None, excluded_column: str | None) -> None:
    """Say so when the two files of an evaluation are given the wrong way round."""
    if excluded_column and excluded_column not in columns and "is_public_service" in columns:
        raise ValueError(f"{path} looks like the hand-labelled file (it has is_public_service, not {excluded_column}): "
                         "give the mapping.csv written by pps dedup first, the labels second")
    if service_column and service_column not in columns and "excluded" in columns and "confidence" in columns:
        raise ValueError(f"{path} looks like a mapping.csv written by pps dedup (it has excluded and confidence, not "
                         f"{service_column}): give the mapping first, the hand-labelled file second")


def read_prediction(path: str | Path) -> dict[str, str | None]:
    """Labels from our `mapping.csv`: unified id per record id, None for excluded rows."""
    return read_labels(path, service_column=None, excluded_column="excluded")


def grouped_folds(rows: list[tuple[str, str]], folds: int = 2, seed: int = 0) -> list[tuple[list[int], list[int]]]:
    """Train and test row indices for cross-validation that holds out whole clusters and
    whole municipalities at once. `rows` gives each row's (cluster, municipality). Clusters
    and municipalities are each dealt into `folds` parts; for every pair of parts (i, j) the
    test rows are those of cluster part i in municipality part j, and the training rows those
    of neither, so no test row shares its service or its municipality with a training row.
    Every row is tested exactly once."""
    rng = random.Random(seed)

    def parts(values: set[str]) -> dict[str, int]:
        ordered = sorted(values)
        rng.shuffle(ordered)
        return {value: number % folds for number, value in enumerate(ordered)}

    cluster_part = parts({c for c, _ in rows})
    place_part = parts({m for _, m in rows})
    result = []
    for i in range(folds):
        for j in range(folds):
            test = [n for n, (c, m) in enumerate(rows) if cluster_part[c] == i and place_part[m] == j]
            train = [n for n, (c, m) in enumerate(rows) if cluster_part[c] != i and place_part[m] != j]
            result.append((train, test))
    return result
