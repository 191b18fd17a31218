"""The simple baselines the dedup benchmarks compare against: TF-IDF cosine over an inverted
index, and connected components (single link) above a threshold."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator


def tfidf(documents: list[Counter]) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors of term counts."""
    frequency = Counter(term for document in documents for term in document)
    total = len(documents)
    vectors = []
    for document in documents:
        weights = {t: c * math.log(total / frequency[t]) for t, c in document.items()}
        norm = math.sqrt(sum(x * x for x in weights.values())) or 1.0
        vectors.append({t: x / norm for t, x in weights.items()})
    return vectors


def similar_pairs(vectors: list[dict[str, float]], minimum: float = 0.0,
                  max_share: float = 1.0) -> Iterator[tuple[float, int, int]]:
    """(cosine, i, j) for every pair sharing a term held by at most `max_share` of the
    vectors, with cosine ≥ `minimum` (generated, so large runs need not hold them all)."""
    holders: dict[str, list[int]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for term in vector:
            holders[term].append(i)
    limit = max_share * len(vectors)
    for i, vector in enumerate(vectors):
        scores: dict[int, float] = defaultdict(float)
        for term, weight in vector.items():
            if len(holders[term]) <= limit:
                for j in holders[term]:
                    if j > i:
                        scores[j] += weight * vectors[j][term]
        yield from ((score, i, j) for j, score in scores.items() if score >= minimum)


def components(count: int, pairs: Iterable[tuple[float, int, int]], threshold: float) -> list[int]:
    """Cluster label of each of `count` items: connected by pairs at or above `threshold`."""
    parent = list(range(count))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for score, i, j in pairs:
        if score >= threshold:
            parent[find(i)] = find(j)
    return [find(i) for i in range(count)]
