"""The simple baselines the dedup benchmarks compare against: TF-IDF cosine over an inverted
index, connected components (single link) above a threshold, and average link with cannot-link."""

from __future__ import annotations

import heapq
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


def average_link(count: int, pairs: Iterable[tuple[float, int, int]], groups: list[str],
                 lowest: float = 0.05) -> list[tuple[float, int, int]]:
    """Average-link agglomerative clustering that never joins two items of one group (a
    municipality lists a service once): the merges in the order taken, down to `lowest`, each
    as (average similarity, an item of one side, an item of the other). Averages only fall as
    clusters grow, so `components(count, merges, threshold)` gives the clusters at any
    threshold from one run."""
    sums: dict[int, dict[int, float]] = defaultdict(dict)
    for score, i, j in pairs:
        sums[i][j] = sums[j][i] = score
    size = {i: 1 for i in range(count)}
    members = {i: {groups[i]} for i in range(count)}
    item = list(range(count))  # an item of each cluster
    heap = [(-score, i, j) for i in sums for j, score in sums[i].items() if i < j and score >= lowest]
    heapq.heapify(heap)
    merges, next_id = [], count
    while heap:
        negative, a, b = heapq.heappop(heap)
        if a not in size or b not in size or members[a] & members[b]:
            continue
        merges.append((-negative, item[a], item[b]))
        new = next_id
        next_id += 1
        item.append(item[a])
        size[new], members[new] = size.pop(a) + size.pop(b), members.pop(a) | members.pop(b)
        joined: dict[int, float] = defaultdict(float)
        for old in (a, b):
            for other, total in sums.pop(old).items():
                if other not in (a, b):
                    joined[other] += total
                    del sums[other][old]
        sums[new] = dict(joined)
        for other, total in joined.items():
            sums[other][new] = total
            average = total / (size[new] * size[other])
            if average >= lowest:
                heapq.heappush(heap, (-average, new, other))
    return merges

