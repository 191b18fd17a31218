"""From municipal entries to the unified list: flag non-services, group the rest, name the
groups, and say how sure each decision is.

Runs are incremental: given the previous list (`Previous`) and the reviewers' decisions
(`Decisions`), identifiers of existing unified services never change, entries keep the
service they were mapped to, new services get new identifiers, and every decision a
reviewer stored is respected.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..model import LangText, UnifiedService
from ..wording import counted
from .entries import DedupInputError, Entry, place_key
from .match import Clustering, Group, Settings
from .nonservice import not_a_service
from .text import LEXICONS, Analyzer, Features, load_lexicon

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class Mapping:
    """One entry's place in the unified list (or why it is left out)."""

    entry: Entry
    unified_id: str | None
    confidence: float
    explanation: str
    excluded: str | None = None


@dataclass(frozen=True)
class ReviewItem:
    """A decision close to the line, for a person to confirm or overturn."""

    kind: str  # "merged" (taken, but barely), "kept apart" (refused, but barely) or "maybe not a service"
    first: tuple[str, ...]  # entry keys
    second: tuple[str, ...]
    similarity: float
    reason: str = ""  # why an entry may not be a service (kept in the list until a reviewer decides)


@dataclass
class Decisions:
    """What reviewers decided, kept between runs (a JSON file, see `load`)."""

    accept: list[tuple[str, str]] = field(default_factory=list)  # entry keys that are the same service
    reject: list[tuple[str, str]] = field(default_factory=list)  # entry keys that are not
    rename: dict[str, str] = field(default_factory=dict)  # unified id → name
    merge: list[tuple[str, str]] = field(default_factory=list)  # unified ids that are one (the first stays)
    not_service: list[str] = field(default_factory=list)  # entry keys that are not services
    service: list[str] = field(default_factory=list)  # entry keys that are, whatever the patterns say

    @classmethod
    def load(cls, path: str | Path) -> Decisions:
        """Read a decisions file; `DedupInputError` says what is wrong with one of the wrong shape."""
        data = _json_file(path)
        if not isinstance(data, dict):
            raise DedupInputError(f"{path}: decisions are a JSON object with accept, reject, rename, merge, "
                                  "not_service and service (see docs/dedup.md)")
        return cls(accept=_pairs(data, "accept", path), reject=_pairs(data, "reject", path),
                   rename=_names(data, path), merge=_pairs(data, "merge", path),
                   not_service=_keys(data, "not_service", path), service=_keys(data, "service", path))

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps({"accept": self.accept, "reject": self.reject, "rename": self.rename,
                                          "merge": self.merge, "not_service": self.not_service,
                                          "service": self.service}, ensure_ascii=False, indent=2), encoding="utf-8")


@dataclass
class Previous:
    """The list of an earlier run: unified services and which entry belonged to which."""

    services: dict[str, UnifiedService]
    members: dict[str, str]  # entry key → unified id

    @classmethod
    def load(cls, path: str | Path) -> Previous:
        """Read `unified.json` as written by `write_outputs`; `DedupInputError` if it is not one."""
        data = _json_file(path)
        items = data.get("unified") if isinstance(data, dict) else None
        shape = (isinstance(items, list) and all(
            isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("service"), dict)
            and isinstance(item.get("members"), list) and all(isinstance(k, str) for k in item["members"])
            for item in items))
        if not shape:
            raise DedupInputError(f"{path}: not a unified.json written by pps dedup (an object whose \"unified\" "
                                  "lists services, each with id, service and members)")
        try:
            services = {item["id"]: UnifiedService.model_validate(item["service"]) for item in items}
        except ValueError as exc:
            raise DedupInputError(f"{path}: a unified service is not valid: {exc}") from None
        members = {key: item["id"] for item in items for key in item["members"]}
        return cls(services, members)


def _json_file(path: str | Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise DedupInputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except (ValueError, RecursionError) as exc:
        raise DedupInputError(f"{path}: not valid JSON ({exc})") from None


def _keys(data: dict, field: str, path: str | Path) -> list[str]:
    value = data.get(field, [])
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        raise DedupInputError(f"{path}: {field} is a list of entry keys (record ids)")
    return value


def _pairs(data: dict, field: str, path: str | Path) -> list[tuple[str, str]]:
    value = data.get(field, [])
    if not isinstance(value, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(k, str) for k in p) for p in value):
        raise DedupInputError(f"{path}: {field} is a list of pairs, [[\"first\", \"second\"], …]")
    return [(a, b) for a, b in value]


def _names(data: dict, path: str | Path) -> dict[str, str]:
    value = data.get("rename", {})
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise DedupInputError(f"{path}: rename maps unified ids to names, {{\"id\": \"name\"}}")
    return value


@dataclass
class Result:
    """A run's outcome: the unified list, the mapping of every entry, and the review queue."""

    unified: list[UnifiedService]
    members: dict[str, list[Entry]]  # unified id → its entries
    mappings: list[Mapping]
    review: list[ReviewItem]

    @property
    def excluded(self) -> list[Mapping]:
        return [m for m in self.mappings if m.excluded]


def deduplicate(entries: list[Entry], settings: Settings | None = None, previous: Previous | None = None,
                decisions: Decisions | None = None, language: str = "lv", progress: Progress | None = None) -> Result:
    """The unified list of `entries` (see the module's docstring)."""
    settings = settings or Settings.for_language(language)
    entries = [_writable(e) for e in entries]
    decisions = decisions or Decisions()
    report = progress or (lambda stage, done, total: None)
    report("analysing names", 0, len(entries))
    analyzer = Analyzer(language, load_lexicon(language).only(settings.lexicon_parts) if language in LEXICONS else None)
    features = analyzer.features([analyzer.without_place(e.name, e.municipality) for e in entries])
    report("analysing names", len(entries), len(entries))
    keys = {e.key: i for i, e in enumerate(entries)}
    flagged = _flagged(entries, features, analyzer, decisions)
    excluded = {i: reason for i, reason in flagged.items() if reason not in settings.unsure}
    doubtful = {i: reason for i, reason in flagged.items() if reason in settings.unsure}
    previous_ids = {keys[k]: uid for k, uid in (previous.members.items() if previous else ()) if k in keys}
    for a, b in decisions.merge:  # unified services a reviewer merged: b's entries join a
        previous_ids = {i: (a if uid == b else uid) for i, uid in previous_ids.items()}
    rejected = {frozenset((keys[a], keys[b])) for a, b in decisions.reject if a in keys and b in keys}
    for pair in rejected:  # a rejected pair overrules the earlier list: the second entry leaves the service
        first, second = sorted(pair)
        if previous_ids.get(first) is not None and previous_ids.get(first) == previous_ids.get(second):
            del previous_ids[second]
    together = _together(entries, keys, previous_ids, decisions, excluded)

    in_rejected = {i for pair in rejected for i in pair}

    def apart(x: Group, y: Group) -> bool:
        if previous_ids:
            ids_x = {previous_ids[i] for i in x.members if i in previous_ids}
            ids_y = {previous_ids[i] for i in y.members if i in previous_ids}
            if ids_x and ids_y and ids_x != ids_y:
                return True  # two services of the existing list stay two
        if not in_rejected:
            return False
        mine = [i for i in x.members if i in in_rejected]
        theirs = [j for j in y.members if j in in_rejected]
        return any(frozenset((i, j)) in rejected for i in mine for j in theirs)

    context = analyzer.features([_plain(f"{e.description} {e.legal_basis}") for e in entries]) \
        if any(e.description or e.legal_basis for e in entries) else None
    clustering = Clustering(features, [place_key(e.municipality) for e in entries], settings, apart, context)
    report("grouping", 0, 1)
    groups = clustering.run([i for i in range(len(entries)) if i not in excluded], together)
    report("grouping", 1, 1)
    result = _result(entries, features, excluded, groups, clustering, previous, previous_ids, decisions, settings)
    result.review += [ReviewItem("maybe not a service", (entries[i].key,), (), 0.0, reason)
                      for i, reason in sorted(doubtful.items())]
    return result


_SURROGATE = re.compile("[\ud800-\udfff]")


def _writable(entry: Entry) -> Entry:
    """The entry with halves of surrogate pairs (which JSON can carry and no UTF-8 file can)
    written as U+FFFD, so that every output can be written."""
    texts = {name: value for name, value in vars(entry).items() if isinstance(value, str) and _SURROGATE.search(value)}
    return dataclasses.replace(entry, **{name: _SURROGATE.sub("\ufffd", value) for name, value in texts.items()}) \
        if texts else entry


_MARKUP = re.compile(r"<[^>]*>|&[a-z]+;|&#[0-9]+;")


def _plain(text: str) -> str:
    """Text without HTML tags and entities: descriptions copied from web pages carry them."""
    return _MARKUP.sub(" ", text).strip()


def _flagged(entries: list[Entry], features: list[Features], analyzer: Analyzer, decisions: Decisions) -> dict[int, str]:
    """Entries that look like no service, with the reason (a reviewer's word overrules)."""
    found = {}
    reasons: dict[tuple[str, Features], str | None] = {}  # lists repeat names: judge each once
    for index, (entry, feature) in enumerate(zip(entries, features)):
        if entry.key in decisions.service:
            continue
        if entry.key in decisions.not_service:
            found[index] = "a reviewer said so"
            continue
        if (entry.name, feature) not in reasons:
            reasons[entry.name, feature] = not_a_service(entry.name, feature, analyzer.lexicon)
        reason = reasons[entry.name, feature]
        if reason is None and not feature.words:
            reason = "no words that name a service"
        if reason:
            found[index] = reason
    return found


def _together(entries: list[Entry], keys: dict[str, int], previous_ids: dict[int, str], decisions: Decisions,
              excluded: dict[int, str]) -> list[list[int]]:
    """Entries that start in one group: those of one existing service, and accepted pairs.
    A group never holds two entries of one municipality (the first one stays)."""
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        while parent.setdefault(i, i) != i:
            i = parent[i]
        return i

    first_of: dict[str, int] = {}
    for index, uid in sorted(previous_ids.items()):
        if index not in excluded:
            parent[find(index)] = find(first_of.setdefault(uid, index))
    for a, b in decisions.accept:
        if a in keys and b in keys and keys[a] not in excluded and keys[b] not in excluded:
            parent[find(keys[a])] = find(keys[b])
    groups: dict[int, list[int]] = {}
    for index in sorted(parent):
        groups.setdefault(find(index), []).append(index)
    result = []
    for members in groups.values():
        seen: set[str] = set()
        kept = []
        for index in members:
            if place_key(entries[index].municipality) not in seen:
                seen.add(place_key(entries[index].municipality))
                kept.append(index)
        result.append(kept)
    return result


def _result(entries: list[Entry], features: list[Features], excluded: dict[int, str], groups: list[list[int]],
            clustering: Clustering, previous: Previous | None, previous_ids: dict[int, str], decisions: Decisions,
            settings: Settings) -> Result:
    taken = set(previous.services) if previous else set()
    numbers: dict[str, int] = {}  # slug → the last number given to it
    unified: list[UnifiedService] = []
    members: dict[str, list[Entry]] = {}
    mappings: list[Mapping] = []
    for group in sorted(groups, key=lambda g: min(entries[i].key for i in g)):
        known = Counter(previous_ids[i] for i in group if i in previous_ids)
        name = decisions.rename.get(known.most_common(1)[0][0]) if known else None
        if known:
            uid = known.most_common(1)[0][0]
            service = previous.services.get(uid) if previous else None  # type: ignore[union-attr]
        else:
            uid, service = None, None
        centre = clustering.group_of(group)
        closeness = {i: 1.0 if len(group) == 1 else round(clustering.entry_similarity(i, centre), 3) for i in group}
        chosen = _canonical(group, entries, closeness)
        if uid is None:
            uid = _new_id(entries[chosen].name, taken, numbers)
        taken.add(uid)
        name = decisions.rename.get(uid) or name or (service.name.get("lv") if service else _clean(entries[chosen].name))
        description = _description(group, entries, name, service)
        unified.append(UnifiedService(id=uid, name=LangText({"lv": name}), description=LangText({"lv": description})))
        members[uid] = [entries[i] for i in group]
        for i in group:
            mappings.append(Mapping(entries[i], uid, closeness[i], _explain(i, group, features, centre, entries[i].name)))
    for index, reason in excluded.items():
        mappings.append(Mapping(entries[index], None, 1.0, f"not a public service: {reason}", excluded=reason))
    mappings.sort(key=lambda m: (m.entry.source, m.entry.row))
    review = _review(clustering, entries, settings)
    return Result(unified, members, mappings, review)


def _canonical(group: list[int], entries: list[Entry], closeness: dict[int, float]) -> int:
    """The entry whose name stands for the group: among those close to the group's centre
    (`closeness`; within 0.1 of the closest), one not written in capitals, the most common
    spelling, then the shortest."""
    spelling = Counter(" ".join(entries[i].name.casefold().split()) for i in group)
    best = max(closeness.values())
    near = [i for i in group if closeness[i] >= best - 0.1]
    return max(near, key=lambda i: (not entries[i].name.isupper(),
                                     spelling[" ".join(entries[i].name.casefold().split())],
                                     -len(entries[i].name), entries[i].key))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(name: str) -> str:
    """A name as a title: no control characters, spaces collapsed, shouting lowered, first
    letter capital."""
    name = " ".join(_CONTROL.sub(" ", name).split()).strip(" .;:")
    if name.isupper():
        name = name.lower()
    # A name of nothing but control characters or dots still names a service, for a reviewer to rename.
    return name[:1].upper() + name[1:] if name else "Pakalpojums bez nosaukuma"


def _description(group: list[int], entries: list[Entry], name: str, service: UnifiedService | None) -> str:
    if service is not None:
        return service.description.get("lv")
    texts = [" ".join(_CONTROL.sub(" ", entries[i].description).split()) for i in group]
    return max(texts, key=len) or name


def _new_id(name: str, taken: set[str], numbers: dict[str, int]) -> str:
    """A readable identifier from the name (`buvatlaujas-izsniegsana`), unique among `taken`."""
    ascii_name = unicodedata.normalize("NFKD", name.casefold()).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", ascii_name).split()
    slug = ""
    for word in words:  # whole words, at most 60 characters
        if len(slug) + len(word) + 1 > 60:
            break
        slug = f"{slug}-{word}" if slug else word
    slug = slug or "pakalpojums"
    candidate, number = slug, numbers.get(slug, 1)
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    numbers[slug] = number  # the next one with this name starts here: copies of one name stay linear
    return candidate


def _explain(index: int, group: list[int], features: list[Features], centre: Group, name: str) -> str:
    if len(group) == 1:
        return "no other municipality lists a name close enough"
    own = set(features[index].words)
    stems = [w for w, count in centre.words.most_common() if w in own and count > 1][:5]
    shared = _as_written(stems, name)
    actions = ", ".join(sorted(features[index].actions))
    others = counted(len(group) - 1, "other entry", "other entries")
    return (f"shares the words {', '.join(dict.fromkeys(shared))} with {others}" if shared
            else f"a name like those of {others} (similar letters, no word in common)") + (
            f"; action: {actions}" if actions else "")


_NAME_WORD = re.compile(r"[^\W_]+")


def _as_written(stems: list[str], name: str) -> list[str]:
    """The words of `name` that `stems` stand for ("buvatlauj" → "būvatļaujas"): for each, the
    word whose spelling without diacritics shares the longest start with it (at least three
    letters); the stem itself if none does."""
    words = [(word.casefold(), _folded(word)) for word in _NAME_WORD.findall(name)]
    found = []
    for stem in stems:
        best, length = stem, 2
        for word, folded in words:
            common = len(os.path.commonprefix((folded, stem)))
            if common > length:
                best, length = word, common
        found.append(best)
    return found


@lru_cache(maxsize=100_000)
def _folded(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word.casefold()) if not unicodedata.combining(c))


def _review(clustering: Clustering, entries: list[Entry], settings: Settings) -> list[ReviewItem]:
    items = [ReviewItem("merged", tuple(entries[i].key for i in m.first), tuple(entries[i].key for i in m.second),
                        round(m.similarity, 3))
             for m in clustering.merges if m.similarity < settings.threshold + settings.review_margin]
    items += [ReviewItem("kept apart", tuple(entries[i].key for i in m.first), tuple(entries[i].key for i in m.second),
                         round(m.similarity, 3)) for m in clustering.near_misses]
    return sorted(items, key=lambda item: abs(item.similarity - settings.threshold))


def as_json(result: Result) -> dict[str, Any]:
    """The unified list as `unified.json` holds it (and `Previous.load` reads it)."""
    return {"unified": [{"id": s.id, "service": s.model_dump(mode="json", exclude_defaults=True),
                         "members": [e.key for e in result.members[s.id]]} for s in result.unified]}
