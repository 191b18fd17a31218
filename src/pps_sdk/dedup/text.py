"""Service names as comparable features: normalised, reduced to stems, with the lexicon applied.

Latvian goes through simplemma's Latvian dictionary and a light suffix stripper of ours
(the dictionary misses many inflected forms of administrative nouns: `naktspatversmes`,
`ekspluatācijā`); other languages through a Snowball stemmer where one exists, else the
lower-cased word. The lexicon (`lexicon-lv.toml`, editable) removes filler words, merges
synonyms, writes out abbreviations and picks out the action words that make a different
service of the same object.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import simplemma
import snowballstemmer

_WORD = re.compile(r"[^\W_]+")
_PIECES = re.compile(r"(\W+)")  # a name split into words and what stands between them
# Latvian noun, adjective and verb endings, longest first; a stem keeps at least 3 letters.
_LV_ENDINGS = tuple(sorted(("ajiem", "ajām", "ajos", "ajās", "ajai", "ajam", "ajā", "ais", "ajo", "iem", "ām", "ēm", "ai", "am", "as", "es",
                            "is", "os", "us", "ās", "ēs", "ij", "ei", "a", "e", "i", "u", "ā", "ē", "ī", "ū", "s", "š"),
                           key=len, reverse=True))
_MIN_STEM = 3
# Languages that write compounds as one word, the linking letters between their parts
# ("Straße|n|verzeichnis", "Verkehr|s|unfall"), and the shortest part worth splitting off.
SPLIT_COMPOUNDS = {"de", "nl", "sv"}
_LINKS = ("", "s", "es", "n", "en", "e", "er")
_MIN_PART = 4
_MAX_COMPOUND = 60  # longer "words" are not split: no real compound is, and trying costs time quadratic in length
LEXICONS = {"lv", "de"}  # languages with a lexicon-{language}.toml shipped beside this module
# "Köln" and "Koeln", "Straße" and "Strasse" are one word (the spelling without umlauts and ß).
_GERMAN_SPELLING = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
SNOWBALL = {"de": "german", "en": "english", "lt": "lithuanian", "et": "estonian", "ru": "russian", "fr": "french",
            "nl": "dutch", "sv": "swedish", "fi": "finnish", "pl": "polish"}


def normalise(text: str) -> str:
    """NFC, case-folded, quotes and dashes unified, spaces collapsed."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"[\"'“”„«»‘’`]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def fold(text: str) -> str:
    """`būvatļauja` → `buvatlauja`: letters without their diacritics."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def latvian_stem(word: str) -> str:
    """`naktspatversmes` → `naktspatversm`: the word without its ending (numbers unchanged)."""
    if word.isdigit() or len(word) <= _MIN_STEM:
        return word
    for ending in _LV_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word


# The parts of a lexicon that change how names compare (the others find non-services).
LEXICON_PARTS = frozenset({"filler", "synonyms", "abbreviations", "actions"})


@dataclass(frozen=True)
class Lexicon:
    """General administrative vocabulary of one language, as stems."""

    filler: frozenset[str] = frozenset()
    synonyms: dict[str, str] = field(default_factory=dict)  # stem → the group's stem
    abbreviations: dict[str, tuple[str, ...]] = field(default_factory=dict)  # stem → stems
    actions: dict[str, str] = field(default_factory=dict)  # stem → action
    not_services: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = ()  # (reason, patterns)
    categories: frozenset[str] = frozenset()  # stems of institution and area words

    def only(self, parts: frozenset[str]) -> Lexicon:
        """The lexicon with only `parts` of LEXICON_PARTS (the others empty)."""
        empty = Lexicon()
        return replace(self, **{part: getattr(empty, part) for part in LEXICON_PARTS - parts})


@dataclass(frozen=True)
class Features:
    """What a name says, for comparing: content stems in order, and the actions it names."""

    words: tuple[str, ...]
    actions: frozenset[str]
    listed: frozenset[str] = frozenset()  # stems named in a list ("vārda, uzvārda un tautības")


class Analyzer:
    """Turns names in one language into `Features`."""

    def __init__(self, language: str = "lv", lexicon: Lexicon | None = None) -> None:
        self.language = language
        self._pieces: dict[str, frozenset[str]] = {}  # a piece of a name → its stems (names repeat their words)
        self.lexicon = lexicon if lexicon is not None else (load_lexicon(language) if language in LEXICONS else Lexicon())

    def stems(self, word: str) -> tuple[str, ...]:
        """The stems of one word: for Latvian, of the word itself and of its dictionary lemma
        (the dictionary is not consistent across a word's forms, the suffix stripper is)."""
        if word.isdigit():
            return (word,)
        if self.language == "lv":
            return _latvian_stems(word)
        return (_snowball_stem(self.language, word),)

    def without_place(self, name: str, place: str) -> str:
        """`name` without the words of its own municipality's name ("Stadt Bonn: Abfallkalender"
        → "Stadt : Abfallkalender"): a place says nothing about which service it is."""
        own = frozenset().union(*map(self._word_stems, _PIECES.split(place)))
        if not own:
            return name
        return "".join(w for w in _PIECES.split(name) if not self._word_stems(w) & own)

    def _word_stems(self, piece: str) -> frozenset[str]:
        """The stems of one piece of a name (none for spaces and punctuation)."""
        found = self._pieces.get(piece)
        if found is None:
            found = frozenset(self.stems(normalise(piece))) if _WORD.fullmatch(piece.casefold()) else frozenset()
            self._pieces[piece] = found
        return found

    def features(self, names: list[str]) -> list[Features]:
        """The features of each name. Stems that one word's forms are reduced to are merged
        over all `names` (`ciršana` → `cirst`, `ciršanas` → `ciršan`), so every form of a
        word gets the same key."""
        unique = list(dict.fromkeys(names))  # lists repeat names: analyse each once
        if len(unique) < len(names):
            found = dict(zip(unique, self.features(unique)))
            return [found[name] for name in names]
        words = [_WORD.findall(normalise(name)) for name in names]
        tokens = [[self.stems(word) for word in name] for name in words]
        known = {stems[0] for name in tokens for stems in name}
        tokens = [_compounds([fold(w) for w in name], stems, known) for name, stems in zip(words, tokens)]
        if self.language in SPLIT_COMPOUNDS:
            splits: dict[str, tuple[str, ...]] = {}  # each word's parts, found once
            tokens = [self._split(name, known, splits) for name in tokens]
        merged = _Merged()
        for name in tokens:
            for stems in name:
                merged.join(*stems)
        found = [self._features(name, merged) for name in tokens]
        return [replace(f, listed=frozenset(merged.find(s) for w in _listed(name) for s in self.stems(w)) & set(f.words))
                for f, name in zip(found, names)]

    def _split(self, tokens: list[tuple[str, ...]], known: set[str],
               splits: dict[str, tuple[str, ...]]) -> list[tuple[str, ...]]:
        """Each compound followed by its parts, where both parts are words of other names
        (`strassenverzeichnis` → `strassenverzeichnis`, `strass`, `verzeichnis`)."""
        out = []
        for stems in tokens:
            out.append(stems)
            if stems[0] not in splits:
                splits[stems[0]] = self._parts(stems[0], known)
            out.extend((part,) for part in splits[stems[0]])
        return out

    def _parts(self, word: str, known: set[str]) -> tuple[str, ...]:
        """The stems of the two parts of `word`, both in `known`, with the shortest possible
        head; none when it has no such parts."""
        if len(word) > _MAX_COMPOUND:
            return ()
        for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
            head, tail = word[:cut], word[cut:]
            tail_stem = self.stems(tail)[0]
            if tail_stem not in known:
                continue
            for link in _LINKS:
                if head.endswith(link) and len(head) - len(link) >= _MIN_PART:
                    head_stem = self.stems(head[: len(head) - len(link)])[0]
                    if head_stem in known:
                        return (head_stem, tail_stem)
        return ()

    def _features(self, tokens: list[tuple[str, ...]], merged: _Merged) -> Features:
        lexicon = self.lexicon
        words: list[str] = []
        actions: set[str] = set()
        for stems in tokens:
            action = next((lexicon.actions[s] for s in stems if s in lexicon.actions), None) or _misspelt(stems[0], lexicon.actions)
            if action is not None:
                actions.add(action)
            expanded = next((lexicon.abbreviations[s] for s in stems if s in lexicon.abbreviations), None)
            if any(s in lexicon.filler for s in stems):
                continue
            synonym = next((lexicon.synonyms[s] for s in stems if s in lexicon.synonyms), None)
            for part in expanded or (synonym or stems[0],):
                part = lexicon.synonyms.get(part, part)
                if part not in lexicon.filler and (len(part) > 1 or part.isdigit()):
                    words.append(merged.find(part))
        return Features(tuple(words), frozenset(actions))


_LIST_TOKENS = re.compile(r"[^\W_]+|[,/;]")
_JOINERS = {",", "/", ";", "un", "vai", "und", "oder", "and", "or"}


def _listed(name: str) -> list[str]:
    """Words next to a comma, slash, "un" or "vai": items of a list, which broaden a name
    rather than narrow it."""
    tokens = _LIST_TOKENS.findall(normalise(name))
    return [t for i, t in enumerate(tokens) if t not in _JOINERS and (
        (i > 0 and tokens[i - 1] in _JOINERS) or (i + 1 < len(tokens) and tokens[i + 1] in _JOINERS))]


def _compounds(words: list[str], tokens: list[tuple[str, ...]], known: set[str]) -> list[tuple[str, ...]]:
    """Two words written as one elsewhere become that one (`nakts patversme` → `naktspatversme`)."""
    out: list[tuple[str, ...]] = []
    index = 0
    while index < len(tokens):
        if index + 1 < len(tokens) and words[index] + tokens[index + 1][0] in known:
            out.append((words[index] + tokens[index + 1][0],))
            index += 2
        else:
            out.append(tokens[index])
            index += 1
    return out


@lru_cache(maxsize=200_000)
def _snowball_stem(language: str, word: str) -> str:
    # Snowball is slow and names repeat their words: each is stemmed once.
    if language == "de":
        word = word.translate(_GERMAN_SPELLING)
    return _stemmer(language).stemWord(word) if language in SNOWBALL else word


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(SNOWBALL[language])


@lru_cache(maxsize=200_000)
def _latvian_stems(word: str) -> tuple[str, ...]:
    # Keys without diacritics: names are often typed without them ("buvatlaujas").
    own = fold(latvian_stem(word))
    lemma = fold(latvian_stem(simplemma.lemmatize(word, lang="lv")))
    return (own,) if lemma == own else (own, lemma)


def _misspelt(stem: str, actions: dict[str, str]) -> str | None:
    """The action a long word names with one letter wrong, missing, extra or swapped
    ("dubilkāts"), else None: an action missed turns a different service into the same one."""
    if len(stem) < 6:
        return None
    for known, action in actions.items():
        if abs(len(known) - len(stem)) <= 1 and _one_edit(stem, known):
            return action
    return None


def _one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


class _Merged:
    """Union-find over stems."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, stem: str) -> str:
        parent = self.parent.get(stem, stem)
        if parent == stem:
            return stem
        root = self.find(parent)
        self.parent[stem] = root
        return root

    def join(self, first: str, *others: str) -> None:
        for other in others:
            a, b = self.find(first), self.find(other)
            if a != b:
                self.parent[max(a, b)] = min(a, b)


@cache
def load_lexicon(language: str = "lv", path: str | None = None) -> Lexicon:
    """The lexicon shipped for `language`, or the TOML file at `path` (same layout)."""
    if path is not None:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = resources.files("pps_sdk.dedup").joinpath(f"lexicon-{language}.toml").read_text(encoding="utf-8")
    return lexicon_from(tomllib.loads(text), language)


def lexicon_from(data: dict, language: str = "lv") -> Lexicon:
    """A Lexicon from the parsed TOML layout: filler, synonyms, abbreviations, actions."""
    plain = Analyzer(language, Lexicon())

    def stems(text: str) -> tuple[str, ...]:
        return tuple(s for w in _WORD.findall(normalise(text)) for s in plain.stems(w))

    synonyms = {}
    for group in data.get("synonyms", []):
        head = stems(group[0])[0]
        for word in group:
            for stem in stems(word):
                synonyms[stem] = head
    return Lexicon(
        filler=frozenset(s for word in data.get("filler", []) for s in stems(word)),
        synonyms=synonyms,
        abbreviations={stems(short)[0]: stems(long) for short, long in data.get("abbreviations", {}).items()},
        actions={s: action for word, action in data.get("actions", {}).items() for s in stems(word)},
        not_services=tuple((reason, tuple(re.compile(p) for p in patterns))
                           for reason, patterns in data.get("not_services", {}).items()),
        categories=frozenset(s for word in data.get("categories", []) for s in stems(word)),
    )

