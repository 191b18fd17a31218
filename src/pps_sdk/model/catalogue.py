"""The catalogue: services plus the shared objects they refer to by identifier."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache, partial
from typing import Any

from ..errors import ModelError, Problem
from .base import (Path, PPSModel, RuleProblem, Unknown, UnknownValue, field_terms, format_path, guarded, model_inside,
                   term)
from .channel import Channel
from .codecs import CatalogueParts, DataCube
from .indicator import Indicator, Measurement
from .organisation import Organisation
from .base import duplicates
from .service import BusinessEvent, LegalResource, LifeEvent, PublicService
from .text import LangText
from .types import Identifier, Url
from .unified import UnifiedService

class Catalogue(PPSModel):
    """A set of service descriptions (`dcat:Dataset`) and the objects they share.

    Services refer to organisations, channels, legal resources, events, unified services and
    other services by identifier. Validation checks that identifiers are unique and that
    every reference resolves.
    """

    rdf_class = "dcat:Dataset"

    id: Identifier = term("dct:identifier", "identifikators", "Identifier of the catalogue.")
    title: LangText = term("dct:title", "nosaukums", "Title of the catalogue.")
    description: LangText = term("dct:description", "apraksts", "What the catalogue holds.")
    publisher: Identifier = term("dct:publisher", "izdevējs", "Organisation that publishes the catalogue.", ref="organisations")
    home_page: Url | None = term("dcat:landingPage", "tīmekļvietne", "Where the catalogue is published.", default=None)
    organisations: list[Organisation] = term(None, "iestādes", "Holders, providers, channel owners.", default_factory=list)
    channels: list[Channel] = term(None, "kanāli", "Channels, shared by services.", default_factory=list)
    legal_resources: list[LegalResource] = term(None, "normatīvie akti", "Laws and regulations.", default_factory=list)
    life_events: list[LifeEvent] = term(None, "dzīves situācijas", "Life events.", default_factory=list)
    business_events: list[BusinessEvent] = term(None, "komercdarbības situācijas", "Business events.", default_factory=list)
    unified_services: list[UnifiedService] = term(None, "unificētie pakalpojumi", "Unified municipal services.", default_factory=list)
    services: list[PublicService] = term("dct:hasPart", "pakalpojumi", "The service descriptions.", default_factory=list, inverse="dct:isPartOf", codec=CatalogueParts())
    measurements: list[Measurement] = term("pps:measurements", "mērījumi", "Measured indicator values, as a W3C Data Cube data set.", default_factory=list, lv_doc="Kataloga rādītāju mērījumu datu kubs (qb:DataSet).", codec=DataCube())

    # -- looking things up --------------------------------------------------------------

    def get(self, collection: str, id: str) -> Any:
        """The member of `collection` (e.g. `"organisations"`) with identifier `id`; KeyError if none."""
        if collection == "indicators":
            return self._indicators()[id]
        for item in getattr(self, collection):
            if item.id == id:
                return item
        raise KeyError(f"no {collection[:-1].replace('_', ' ')} {id!r} in catalogue {self.id!r}")

    def organisation(self, id: str) -> Organisation:
        return self.get("organisations", id)

    def channel(self, id: str) -> Channel:
        return self.get("channels", id)

    def service(self, id: str) -> PublicService:
        return self.get("services", id)

    def legal_resource(self, id: str) -> LegalResource:
        return self.get("legal_resources", id)

    def unified_service(self, id: str) -> UnifiedService:
        return self.get("unified_services", id)

    def indicator(self, id: str) -> Indicator:
        return self.get("indicators", id)

    def holders(self, service: PublicService) -> list[Organisation]:
        """The holder organisations of `service`."""
        return [self.organisation(org) for org in service.holders]

    def service_channels(self, service: PublicService) -> list[Channel]:
        """The channels of `service`."""
        return [self.channel(ch) for ch in service.channels]

    def instances(self, unified_id: str) -> list[PublicService]:
        """The municipal services that instantiate unified service `unified_id`."""
        return [s for s in self.services if s.unified_service == unified_id]

    def measurements_of(self, indicator_id: str) -> list[Measurement]:
        """Measurements of one indicator, in catalogue order."""
        return [m for m in self.measurements if m.indicator == indicator_id]

    def _indicators(self) -> dict[str, Indicator]:
        return {ind.id: ind for _, ind in self._indicator_places()}

    def _indicator_places(self) -> Iterator[tuple[Path, Indicator]]:
        for owner in ("services", "channels"):
            for i, item in enumerate(getattr(self, owner)):
                for j, indicator in enumerate(item.indicators):
                    yield (owner, i, "indicators", j), indicator

    # -- checking -----------------------------------------------------------------------

    def dangling_references(self) -> list[Problem]:
        """Every reference by identifier that does not resolve, with its path."""
        return [Problem(format_path(path), message) for path, message in self._dangling()]

    def _dangling(self) -> Iterator[RuleProblem]:
        known = {name: _ids(lambda name=name: getattr(self, name)) for name in SHARED}
        known["indicators"] = _ids(lambda: (ind for _, ind in self._indicator_places()))
        for path, collection, ident in references(self):
            if known[collection] is not None and ident not in known[collection]:
                yield path, f"no {collection[:-1].replace('_', ' ')} {ident!r} in the catalogue"

    def broken_rules(self) -> Iterator[RuleProblem]:
        # Independent parts: one that meets an invalid value does not hide the others' problems.
        return guarded(
            *(partial(self._duplicate_ids, name) for name in SHARED),
            self._indicator_problems,
            lambda: _formula_cycles(list(self._indicator_places())),
            self._dangling,
            lambda: _repeated_measurements(self.measurements),
        )

    def _duplicate_ids(self, name: str) -> Iterator[RuleProblem]:
        return duplicates((item.id for item in getattr(self, name)), (name,), "id", "identifier")

    def _indicator_problems(self) -> Iterator[RuleProblem]:
        places = list(self._indicator_places())
        yield from duplicates((ind.id for _, ind in places), (), None, "indicator identifier", paths=[(*p, "id") for p, _ in places])
        known = {ind.id for _, ind in places}
        for path, indicator in places:
            for ref in indicator.references:
                if ref not in known:
                    yield (*path, "formula"), f"formula refers to unknown indicator {ref!r}"

    # -- combining ----------------------------------------------------------------------

    def merge(self, *others: Catalogue) -> Catalogue:
        """A new catalogue with the members of this one and `others`, keeping this one's
        id, title, description and publisher. An object that appears in several catalogues
        with the same identifier is kept once if identical; if it differs, ModelError says where."""
        merged: dict[str, dict[str, Any]] = {name: {} for name in (*SHARED, "measurements")}
        problems: list[Problem] = []
        for source_index, catalogue in enumerate((self, *others)):
            for name in SHARED:
                for item in getattr(catalogue, name):
                    first = merged[name].setdefault(item.id, item)
                    if first != item:
                        problems.append(Problem(f"{name}[{item.id!r}]", f"differs between catalogue {self.id!r} and catalogue #{source_index} ({catalogue.id!r})"))
            for m in catalogue.measurements:
                merged["measurements"].setdefault(m.model_dump_json(), m)
        if problems:
            raise ModelError(problems, "cannot merge catalogues")
        data = {name: list(items.values()) for name, items in merged.items()}
        return Catalogue(**{**self.model_dump(include={"id", "title", "description", "publisher", "home_page"}), **data})


SHARED: tuple[str, ...] = tuple(name for name, info in Catalogue.model_fields.items()
                                if (member := model_inside(info.annotation)) is not None and "id" in member.model_fields)
"""The catalogue's collections whose members other objects refer to by identifier, in
declaration order (organisations, channels, …, services)."""


def references(model: PPSModel, path: Path = ()) -> Iterator[tuple[Path, str, str]]:
    """Every (path, collection, identifier) reference inside `model`, depth first.

    In a model rebuilt from an invalid input, references that are themselves invalid are
    left out: they are reported as invalid, and cannot be resolved."""
    ref_fields, child_fields = _reference_layout(type(model))
    for name, collection in ref_fields:
        value = getattr(model, name)
        if isinstance(value, Unknown):
            continue
        if isinstance(value, list):
            for index, ident in enumerate(value):
                yield (*path, name, index), collection, ident
        elif value is not None:
            yield (*path, name), collection, value
    for name in child_fields:
        value = getattr(model, name)
        if isinstance(value, list):
            for index, child in enumerate(value):
                if isinstance(child, PPSModel):
                    yield from references(child, (*path, name, index))
        elif isinstance(value, PPSModel):
            yield from references(value, (*path, name))


@cache
def _reference_layout(cls: type[PPSModel]) -> tuple[list[tuple[str, str]], list[str]]:
    """Which fields of `cls` hold references, and which may hold nested models."""
    refs, children = [], []
    for name, info in field_terms(cls).items():
        if info.ref:
            refs.append((name, info.ref))
        elif _may_hold_models(cls.model_fields[name].annotation):
            children.append(name)
    return refs, children


def _ids(members: Callable[[], Iterable[Any]]) -> set[str] | None:
    """The identifiers of `members`, or None when some cannot be known (they are invalid)."""
    try:
        return {item.id for item in members()}
    except UnknownValue:
        return None


def _may_hold_models(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, PPSModel):
        return True
    return any(_may_hold_models(arg) for arg in getattr(annotation, "__args__", ()))


def _repeated_measurements(measurements: list[Measurement]) -> Iterator[RuleProblem]:
    """One value per indicator, period, channel and segment: a second one would contradict the first."""
    seen: set[tuple[Any, ...]] = set()
    for index, m in enumerate(measurements):
        key = (m.indicator, m.start, m.end, m.channel, m.segment)
        if key in seen:
            yield ("measurements", index), (f"indicator {m.indicator!r} already has a value for {m.start}…{m.end}"
                                            + (f", channel {m.channel!r}" if m.channel else "")
                                            + (f", segment {m.segment.value!r}" if m.segment else ""))
        seen.add(key)


def _formula_cycles(places: list[tuple[Path, Indicator]]) -> Iterator[RuleProblem]:
    graph = {ind.id: ind.references for _, ind in places if ind.formula}
    where = {ind.id: path for path, ind in places}
    reported: set[str] = set()
    for start in graph:
        stack, seen = [(start, [start])], set()
        while stack:
            node, trail = stack.pop()
            for nxt in graph.get(node, []):
                if nxt == start and start not in reported:
                    reported.update(trail)
                    yield (*where[start], "formula"), "formulas refer to each other in a cycle: " + " → ".join([*trail, start])
                elif nxt not in seen and nxt in graph:
                    seen.add(nxt)
                    stack.append((nxt, [*trail, nxt]))
