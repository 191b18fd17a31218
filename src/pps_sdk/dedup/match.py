"""Grouping entries that name the same service: candidates from an index, then merging
groups whose centres are close enough, never two entries of one municipality.

Each entry is a vector of its content stems weighted by rarity (IDF) and a vector of the
character 3–5-grams of those stems. Two groups are as similar as the cosines of their summed
vectors say; a difference in action words (issue vs extend) cuts that down. Groups merge best
pair first while the similarity stays above the threshold. Because a merged group is compared
by its centre, not by its closest member, weak links do not chain unrelated names together.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from .text import LEXICON_PARTS, Features

Vector = dict[str, float]


@dataclass(frozen=True)
class Settings:
    """The knobs of matching; the same for every data set. The defaults are what
    benchmarks/dedup_quality.py chooses on all the labelled Latvian rows, by the procedure it
    validates on held-out services and municipalities."""

    threshold: float = 0.5  # merge while the groups' similarity is at least this
    ngram_weight: float = 0.3  # share of character similarity in the score (the rest: stems)
    action_penalty: float = 0.3  # factor for groups whose action words differ
    review_margin: float = 0.1  # decisions this close to the threshold go to the review queue
    common_share: float = 0.05  # stems in more than this share of entries do not make candidates
    context_weight: float = 0.2  # share of description and legal-basis similarity, when both sides have them
    # Hold apart groups that each always say a word the other never does. Off: it helped on the
    # rows it was written on and cost recall on held-out ones.
    distinct_words: bool = False
    # Whether numbers in names (years, dates, "1. klase") count as words. Open-data titles carry
    # years that say nothing about the topic ("Haushaltsplan 2020"); off in the choice on both
    # labelled sets.
    numbers: bool = False
    # Parts of the language's lexicon that apply (see text.LEXICON_PARTS); the benchmark keeps a
    # part only where leaving it out scores lower on the training rows.
    lexicon_parts: frozenset[str] = LEXICON_PARTS
    # Kinds of non-service (reasons of `nonservice.not_a_service`) not sure enough to leave an
    # entry out: such entries stay in the list and go to the review queue with the reason. A kind
    # is sure when on the labelled data it flagged at least two entries and no real service
    # (benchmarks/dedup_quality.py chooses them so on training folds; these are its choice on all rows).
    unsure: frozenset[str] = frozenset({"about one property", "category or department page", "contacts",
                                        "guidance page", "no words that name a service", "price list", "vacancy"})

    @classmethod
    def for_language(cls, language: str, **changes: object) -> Settings:
        """The defaults for names in `language`, with `changes`: German open-data titles merge at
        a lower threshold and with more weight on characters (what the same choice gives on the
        German labelled rows)."""
        base = GERMAN if language == "de" else {}
        return cls(**{**base, **changes})  # type: ignore[arg-type]


GERMAN = {"threshold": 0.3, "ngram_weight": 0.9}  # see Settings.for_language


def _distinct(a: Group, b: Group) -> bool:
    """Whether two groups name different services although their words overlap: each always
    says a word the other never does ("pabalsts bērna piedzimšanā" against "pabalsts bērna
    uzturam"), or one always says exactly one word more ("ģimenes asistents" against
    "asistents"). It takes several entries on one side to be sure of "always" (against a
    single entry, four words between the two sides); words from a list ("vārda, uzvārda un tautības")
    broaden a name, so they do not count."""
    if len(a.members) < 2 and len(b.members) < 2:
        return False
    listed = a.listed | b.listed
    always_a = {w for w, count in a.words.items() if count >= len(a.members)}
    always_b = {w for w, count in b.words.items() if count >= len(b.members)}
    only_a = {w for w in always_a - listed if w not in b.words and not _coded(w)}
    only_b = {w for w in always_b - listed if w not in a.words and not _coded(w)}
    # Words a group of several always says are evidence; against a single entry, it takes
    # four such words on the two sides together.
    if only_a and only_b and (min(len(a.members), len(b.members)) >= 2 or len(only_a) + len(only_b) >= 4):
        return True
    for x, only_x, always_y in ((a, only_a, always_b), (b, only_b, always_a)):
        if len(x.members) >= 2 and len(only_x) == 1 and always_y <= set(x.words):
            return True
    return False


def _without_numbers(feature: Features) -> Features:
    """The features without words that are numbers, unless nothing else is left."""
    words = tuple(w for w in feature.words if not w.isdigit())
    return replace(feature, words=words) if words and len(words) < len(feature.words) else feature


def _coded(word: str) -> bool:
    """Years, dates and codes ("2019", "d12") tell editions and filing apart, not services."""
    return any(c.isdigit() for c in word)


@dataclass
class Group:
    """Entries merged so far, with their summed vectors."""

    members: list[int]
    stems: Counter
    grams: Counter
    municipalities: set[str]
    actions: frozenset[str]
    words: Counter = field(default_factory=Counter)  # in how many members each stem occurs
    listed: frozenset[str] = frozenset()  # stems some member names in a list
    context: Counter = field(default_factory=Counter)  # stems of descriptions and legal bases
    _norms: tuple[float, float, float] | None = field(default=None, repr=False)

    def norms(self) -> tuple[float, float, float]:
        """Lengths of the stem, character and context vectors (a group never changes once made)."""
        if self._norms is None:
            self._norms = tuple(math.sqrt(sum(v * v for v in vector.values())) or 1.0  # type: ignore[assignment]
                                for vector in (self.stems, self.grams, self.context))
        return self._norms  # type: ignore[return-value]


@dataclass(frozen=True)
class Merge:
    """A decision the clustering took, with how sure it was."""

    first: list[int]
    second: list[int]
    similarity: float


def weights(features: list[Features]) -> Callable[[str], float]:
    """IDF of each stem over `features`."""
    counts = Counter(word for f in features for word in set(f.words))
    total = len(features)
    return lambda word: math.log((total + 1) / (counts.get(word, 0) + 1)) + 1.0


def grams(words: Iterable[str], sizes: tuple[int, ...] = (3, 4, 5)) -> Counter:
    """Character n-grams of the words written as one text, across word boundaries too, so
    that "zemes rakšanas" and "rakšanas" share more than the word itself."""
    text = " " + " ".join(words) + " "
    return Counter(text[i:i + n] for n in sizes for i in range(max(1, len(text) - n + 1)))


def unit(vector: Counter | dict) -> Vector:
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {k: v / norm for k, v in vector.items()}


def _cosine(a: Counter, b: Counter, norm_a: float, norm_b: float) -> float:
    # Only the keys both have count; finding them is a set operation, done in C.
    return sum(a[k] * b[k] for k in a.keys() & b.keys()) / (norm_a * norm_b)


class Clustering:
    """Entries (as features and municipalities) → groups, respecting what must stay apart."""

    def __init__(self, features: list[Features], municipalities: list[str], settings: Settings = Settings(),
                 apart: Callable[[Group, Group], bool] | None = None, context: list[Features] | None = None) -> None:
        self.settings = settings
        if not settings.numbers:
            features = [_without_numbers(f) for f in features]
        self.features = features
        self.municipalities = municipalities
        self.apart = apart or (lambda a, b: False)
        weight = weights(features)
        self.entry_stems = [unit(Counter({w: weight(w) for w in set(f.words)})) for f in features]
        self.entry_grams = [unit(grams(f.words)) for f in features]
        # Descriptions and legal bases, where lists give them: a further signal, not a requirement.
        context_weight = weights(context) if context else None
        self.entry_context = [unit(Counter({w: context_weight(w) for w in set(c.words)})) if context_weight else {}
                              for c in (context or [Features((), frozenset())] * len(features))]
        self.groups: dict[int, Group] = {}
        self.merges: list[Merge] = []
        self.near_misses: list[Merge] = []
        self._next_key = 0

    # -- similarity ------------------------------------------------------------------------

    def similarity(self, a: Group, b: Group) -> float:
        sa, ga, ca = a.norms()
        sb, gb, cb = b.norms()
        w = self.settings.ngram_weight
        score = (1 - w) * _cosine(a.stems, b.stems, sa, sb) + w * _cosine(a.grams, b.grams, ga, gb)
        if a.context and b.context:
            c = self.settings.context_weight
            score = (1 - c) * score + c * _cosine(a.context, b.context, ca, cb)
        if a.actions != b.actions or (self.settings.distinct_words and _distinct(a, b)):
            score *= self.settings.action_penalty
        return score

    def entry_similarity(self, index: int, group: Group) -> float:
        """How close one entry is to a group's centre (its confidence of belonging there)."""
        if self.settings.distinct_words:
            return self.similarity(self._single(index), group)
        # The same score as `similarity` against the entry's own group, without building one:
        # an entry's vectors are of unit length.
        stems, grams, context = group.norms()
        w = self.settings.ngram_weight
        score = (1 - w) * _cosine(self.entry_stems[index], group.stems, 1.0, stems) + w * _cosine(
            self.entry_grams[index], group.grams, 1.0, grams)
        if self.entry_context[index] and group.context:
            c = self.settings.context_weight
            score = (1 - c) * score + c * _cosine(self.entry_context[index], group.context, 1.0, context)
        if self.features[index].actions != group.actions:
            score *= self.settings.action_penalty
        return score

    def _single(self, index: int) -> Group:
        return Group([index], Counter(self.entry_stems[index]), Counter(self.entry_grams[index]),
                     {self.municipalities[index]}, self.features[index].actions, Counter(set(self.features[index].words)),
                     self.features[index].listed, Counter(self.entry_context[index]))

    # -- clustering --------------------------------------------------------------------------

    def run(self, entries: Iterable[int], together: Iterable[list[int]] = ()) -> list[list[int]]:
        """Group `entries`; each list in `together` starts as one group (earlier decisions)."""
        placed: set[int] = set()
        for members in together:
            self._new_group(members)
            placed.update(members)
        for members in self._same_words([i for i in entries if i not in placed]):
            self._new_group(members)
        self._merge_all()
        self._final = {tuple(sorted(g.members)): g for g in self.groups.values()}
        return [g.members for g in self.groups.values()]

    def group_of(self, members: list[int]) -> Group:
        """The group `run` made of exactly these members."""
        return self._final[tuple(sorted(members))]

    def _same_words(self, entries: list[int]) -> list[list[int]]:
        """Entries whose names reduce to the same words start as one group (at most one per
        municipality), which spares comparing thousands of identical names pair by pair. A
        municipality's n-th entry with those words goes to the n-th group of them."""
        by_words: dict[tuple[frozenset[str], frozenset[str]], list[list[int]]] = defaultdict(list)
        placed: Counter = Counter()  # (words, municipality) → entries placed so far
        for index in entries:
            feature = self.features[index]
            words = (frozenset(feature.words), feature.actions)
            shelves = by_words[words]
            shelf = placed[words, self.municipalities[index]]
            placed[words, self.municipalities[index]] += 1
            if shelf < len(shelves):
                shelves[shelf].append(index)
            else:
                shelves.append([index])
        return [shelf for shelves in by_words.values() for shelf in shelves]

    def _new_group(self, members: list[int]) -> int:
        group = self._single(members[0])
        for index in members[1:]:
            group.stems.update(self.entry_stems[index])
            group.grams.update(self.entry_grams[index])
            group.municipalities.add(self.municipalities[index])
            group.members.append(index)
            group.words.update(set(self.features[index].words))
            group.listed |= self.features[index].listed
            group.context.update(self.entry_context[index])
        key = self._next_key
        self._next_key += 1
        self.groups[key] = group
        return key

    def _candidates(self) -> dict[int, set[int]]:
        """Pairs of groups that share a stem that is not too common and no municipality (groups
        with a municipality in common never merge, so copies of one name in one list are not
        compared with each other at all)."""
        index: dict[str, dict[frozenset[str], list[int]]] = defaultdict(lambda: defaultdict(list))
        holders: Counter = Counter()  # stem → groups that have it
        for key, group in self.groups.items():
            places = frozenset(group.municipalities)
            for word in group.stems:
                index[word][places].append(key)
                holders[word] += 1
        limit = max(50, int(self.settings.common_share * len(self.groups)))
        neighbours: dict[int, set[int]] = defaultdict(set)
        for key, group in self.groups.items():
            words = [w for w in group.stems if holders[w] <= limit]
            # A name made only of common stems still gets candidates: those of its rarest stem,
            # at most `limit` of them.
            budget = None if words else limit
            if not words and group.stems:
                words = [min(group.stems, key=holders.__getitem__)]
            for word in words:
                for places, keys in index[word].items():
                    if places.isdisjoint(group.municipalities):
                        found = keys if budget is None else keys[:budget - len(neighbours[key])]
                        neighbours[key].update(found)
                        if budget is not None and len(neighbours[key]) >= budget:
                            break
            neighbours[key].discard(key)
        return neighbours

    def _merge_all(self) -> None:
        threshold = self.settings.threshold
        neighbours = self._candidates()
        heap: list[tuple[float, int, int]] = []  # a merged group gets a new key, so stale entries find no group

        def push(a: int, b: int) -> None:
            ga, gb = self.groups[a], self.groups[b]
            if ga.municipalities & gb.municipalities or self.apart(ga, gb):
                return
            score = self.similarity(ga, gb)
            if score >= threshold:
                heapq.heappush(heap, (-score, a, b))

        for a, others in neighbours.items():
            for b in others:
                if a < b:
                    push(a, b)
        while heap:
            negative, a, b = heapq.heappop(heap)
            ga, gb = self.groups.get(a), self.groups.get(b)
            if ga is None or gb is None:
                continue
            if ga.municipalities & gb.municipalities or self.apart(ga, gb):
                continue
            self.merges.append(Merge(list(ga.members), list(gb.members), -negative))
            merged = Group(ga.members + gb.members, ga.stems + gb.stems, ga.grams + gb.grams,
                           ga.municipalities | gb.municipalities, ga.actions | gb.actions, ga.words + gb.words,
                           ga.listed | gb.listed, ga.context + gb.context)
            del self.groups[a], self.groups[b]
            key = self._next_key
            self._next_key += 1
            self.groups[key] = merged
            around = (neighbours.pop(a, set()) | neighbours.pop(b, set())) - {a, b}
            neighbours[key] = {k for k in around if k in self.groups}
            for other in neighbours[key]:
                neighbours.setdefault(other, set()).add(key)
                push(key, other)
        self._near_misses(neighbours)

    def _near_misses(self, neighbours: dict[int, set[int]]) -> None:
        """Final groups that came close to merging: the other side of the line."""
        low = self.settings.threshold - self.settings.review_margin
        for a, others in neighbours.items():
            for b in others:
                if a < b and a in self.groups and b in self.groups:
                    ga, gb = self.groups[a], self.groups[b]
                    score = self.similarity(ga, gb)
                    if low <= score < self.settings.threshold:
                        self.near_misses.append(Merge(list(ga.members), list(gb.members), score))
