"""Hypothesis strategies that generate valid instances of every model.

For our own property tests and for users' tests of code built on the SDK:

    from hypothesis import given
    from pps_sdk.testing import strategies as pst

    @given(pst.catalogues())
    def test_my_exporter(catalogue): ...

`catalogues()` builds catalogues whose references all resolve. The other strategies build
standalone objects; those that refer to shared objects take the identifiers to use.
Text keeps to characters that every format of the SDK can carry (no control characters).
Requires hypothesis (`pip install pps_sdk[test]`).

Every field is drawn from its declaration (`built`, `field_strategy`): its type, its
constraints, whether it may be empty. The strategies below give only what realism or the
models' rules need (a closing time after the opening time, references that resolve); a field
added to a model is generated without an edit here.
"""

from __future__ import annotations

import types
from datetime import date, time, timedelta
from enum import Enum
from functools import cache
from typing import Any, Union, get_args, get_origin

from annotated_types import Ge, Le, MaxLen, MinLen
from hypothesis import strategies as st

from ..model import (Address, Catalogue, Channel, ChannelStrategy, ClientSegment, ContactPoint, Corridor, Cost,
                     DeliveryTask, Event, Evidence, Indicator, LangText, LegalResource, Measurement, OpeningHours,
                     Organisation, OrganisationKind, Output, Provider, PublicService, Requirement, ResponsibleRole,
                     Rule, SpecialHours, Target, TargetKind, UnifiedService, Weekday, ZoneLevel)
from ..formats.xml_shape import KEYWORDS, LANG, MODEL, xml_fields
from ..formats.xsd import constraints_of, is_type_rule
from ..model import PPSModel
from ..model import types as t
from ..model.base import field_term
from ..model.organisation import MUNICIPAL_KINDS
from ..model.service import BusinessEvent, LifeEvent
from ..model.text import NonBlankText
from ..vocab import LANGUAGES

LANGUAGE_TAGS = ("lv", "en", "ru", "lt", "de-at", "nl-be-x-informal", "sr-latn-rs")
_ALPHABET = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff") | st.sampled_from("\n\tāčēģīķļņšūž")

text = st.text(_ALPHABET, min_size=1, max_size=30).filter(lambda s: not s.isspace())
short_text = st.text(_ALPHABET, min_size=1, max_size=20).filter(lambda s: s.strip() != "" and "\n" not in s)
numbers = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
atvk_codes = st.from_regex(t.ATVK_CODE, fullmatch=True)
territories = st.one_of(st.just(t.COUNTRY), atvk_codes)
urls = st.builds(lambda host, path: f"https://{host}.lv/{path}", st.from_regex(r"[a-z]{1,10}", fullmatch=True),
                 st.from_regex(r"[a-z0-9/_-]{0,15}", fullmatch=True))
emails = st.builds(lambda user, host: f"{user}@{host}.lv", st.from_regex(r"[a-z0-9.]{1,10}", fullmatch=True).filter(lambda s: not s.startswith(".")),
                   st.from_regex(r"[a-z]{1,10}", fullmatch=True))
telephones = st.from_regex(r"\+371 ?[0-9]{8}", fullmatch=True)
durations = st.sampled_from(["P1D", "P14D", "P30D", "P1M", "P2M", "P4W", "PT2H", "PT30M", "P1DT12H", "P1Y"])
languages = st.sampled_from(sorted(LANGUAGES))


times = st.times().map(lambda value: value.replace(microsecond=0))
registration_numbers = st.from_regex(r"[0-9]{11}", fullmatch=True)
currencies = st.sampled_from(["EUR", "USD"])


def identifiers(prefix: str) -> st.SearchStrategy[str]:
    """Identifiers such as `org-a1`; `prefix` keeps kinds apart and readable."""
    return st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}", fullmatch=True).map(lambda s: f"{prefix}-{s}")


def unique_ids(prefix: str, min_size: int = 0, max_size: int = 3) -> st.SearchStrategy[list[str]]:
    return st.lists(identifiers(prefix), min_size=min_size, max_size=max_size, unique=True)


@st.composite
def lang_texts(draw: st.DrawFn) -> LangText:
    """Text in one to three languages."""
    tags = draw(st.lists(st.sampled_from(LANGUAGE_TAGS), min_size=1, max_size=3, unique=True))
    return LangText({tag: draw(text) for tag in tags})


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def small_lists(strategy: st.SearchStrategy[Any], max_size: int = 2, **kwargs: Any) -> st.SearchStrategy[list[Any]]:
    return st.lists(strategy, max_size=max_size, **kwargs)


# -- from the declarations --------------------------------------------------------------

_NAMED_SCALARS = ((t.Identifier, "identifiers"), (t.SourceId, "short_text"), (t.ShortText, "short_text"),
                  (NonBlankText, "text"), (t.Url, "urls"), (t.Email, "emails"), (t.Telephone, "telephones"),
                  (t.Duration, "durations"), (t.Territory, "territories"), (t.RegistrationNumber, "registration_numbers"),
                  (t.LanguageCode, "languages"), (t.Currency, "currencies"))
_PLAIN_SCALARS = {float: "numbers", int: "integers", bool: "booleans", str: "short_text", date: "dates", time: "times"}
_DERIVE = object()


@cache
def _scalar_strategies() -> dict[tuple[Any, ...], st.SearchStrategy[Any]]:
    """The strategy of each constrained type of the models, by its constraints (the way the
    XSD generator tells the types apart)."""
    made = {"identifiers": identifiers("id")}
    return {tuple(filter(is_type_rule, constraints_of(alias)[1])): made[name] if name in made else globals()[name]
            for alias, name in _NAMED_SCALARS}


def _scalar(annotation: Any, metadata: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    base, rules = constraints_of(annotation)
    rules += list(metadata)
    named = tuple(filter(is_type_rule, rules))
    if named:
        return _scalar_strategies()[named]
    if isinstance(base, type) and issubclass(base, Enum):
        return st.sampled_from(list(base))
    if base is float:
        low = next((r.ge for r in rules if isinstance(r, Ge)), -1e9)
        high = next((r.le for r in rules if isinstance(r, Le)), 1e9)
        return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)
    if base is int:
        return st.integers(-1000, 1000)
    return {"numbers": numbers, "booleans": st.booleans(), "short_text": short_text, "dates": dates,
            "times": times}[_PLAIN_SCALARS[base]]


def _may_be_none(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation)


@cache
def field_strategy(model: type[PPSModel], name: str) -> st.SearchStrategy[Any]:
    """Values of field `name` of `model`, drawn from its declaration: its type and constraints,
    a list of a few distinct values for a list, sometimes None where it may be empty. A field
    that refers to other objects is left empty (None, []): only a strategy that knows the
    objects can fill it, and one that must be filled has to be given."""
    field = next(f for f in xml_fields(model) if f.name == name)
    info = model.model_fields[name]
    if field_term(info).refers_to:
        if field.required:
            raise TypeError(f"{model.__name__}.{name} refers to other objects: give the strategy of its value")
        return st.just([]) if field.many else st.none()
    if field.kind == KEYWORDS:
        return st.dictionaries(st.sampled_from(LANGUAGE_TAGS), st.lists(short_text, min_size=1, max_size=3, unique=True),
                               max_size=2)
    if field.kind == LANG:
        item = lang_texts()
    elif field.kind == MODEL:
        item = nested(field.target)
    else:
        item = _scalar(field.target, () if field.many else field.metadata)
    if field.many:
        low = next((m.min_length for m in field.metadata if isinstance(m, MinLen)), 0)
        high = next((m.max_length for m in field.metadata if isinstance(m, MaxLen)), max(low, 2))
        return st.lists(item, min_size=low, max_size=max(low, min(high, 2)), unique=field.kind != MODEL)
    return optional(item) if _may_be_none(info.annotation) else item


def nested(model: type[PPSModel]) -> st.SearchStrategy[Any]:
    """Instances of `model` where it is nested in another: its own strategy below, if realism
    needs one, else `built(model)`."""
    return st.deferred(lambda: _NESTED[model]() if model in _NESTED else built(model))


@st.composite
def built(draw: st.DrawFn, model: type[PPSModel], **given: Any) -> Any:
    """An instance of `model` with the `given` values (or values drawn from given strategies),
    and every other field drawn from its declaration (`field_strategy`)."""
    values = {}
    for name in model.model_fields:
        chosen = given.get(name, _DERIVE)
        if chosen is _DERIVE:
            chosen = field_strategy(model, name)
        values[name] = draw(chosen) if isinstance(chosen, st.SearchStrategy) else chosen
    return model(**values)


# -- what realism and the models' rules need ------------------------------------------

@st.composite
def periods(draw: st.DrawFn) -> tuple[date, date]:
    start = draw(dates)
    return start, start + timedelta(days=draw(st.integers(0, 400)))


@st.composite
def time_spans(draw: st.DrawFn) -> tuple[time, time]:
    """Two times of day, the second later than the first."""
    first, second = sorted(draw(st.lists(st.integers(0, 24 * 60 - 1), min_size=2, max_size=2, unique=True)))
    return time(first // 60, first % 60), time(second // 60, second % 60)


def addresses() -> st.SearchStrategy[Address]:
    return built(Address, full_address=lang_texts(), post_code=optional(st.from_regex(r"LV-[0-9]{4}", fullmatch=True)),
                 address_id=optional(st.from_regex(r"[0-9]{9}", fullmatch=True)))


@st.composite
def opening_hours(draw: st.DrawFn) -> OpeningHours:
    opens, closes = draw(time_spans())
    valid = draw(optional(periods()))
    return draw(built(OpeningHours, days=st.lists(st.sampled_from(list(Weekday)), min_size=1, max_size=7, unique=True),
                      opens=opens, closes=closes, valid_from=valid[0] if valid else None,
                      valid_to=valid[1] if valid else None))


@st.composite
def special_hours(draw: st.DrawFn) -> SpecialHours:
    start, end = draw(periods())
    hours = draw(optional(time_spans()))
    return draw(built(SpecialHours, start=start, end=end, opens=hours[0] if hours else None,
                      closes=hours[1] if hours else None))


def contact_points() -> st.SearchStrategy[ContactPoint]:
    return built(ContactPoint, emails=st.lists(emails, min_size=1, max_size=2, unique=True),
                 special_hours=small_lists(special_hours(), 1))


def responsible_roles(organisation_ids: list[str]) -> st.SearchStrategy[ResponsibleRole]:
    orgs = optional(st.sampled_from(organisation_ids)) if organisation_ids else st.none()
    return built(ResponsibleRole, organisation=orgs)


@st.composite
def organisations(draw: st.DrawFn, id: str) -> Organisation:
    kind = draw(st.sampled_from(list(OrganisationKind)))
    # A municipality and its institutions act in one municipality, never the whole country.
    places = atvk_codes if kind in MUNICIPAL_KINDS else territories
    return draw(built(Organisation, id=id, kind=kind, territory=places, contact_points=small_lists(contact_points(), 1)))


@st.composite
def targets(draw: st.DrawFn) -> Target:
    kind = draw(st.sampled_from(list(TargetKind)))
    low, high = sorted(draw(st.lists(numbers, min_size=2, max_size=2)))
    value = draw(optional(st.floats(low, high))) if kind in (TargetKind.RANGE, TargetKind.SCALE) else draw(optional(numbers))
    zones = []
    if kind is TargetKind.ZONES:
        cuts = sorted(draw(st.lists(numbers, min_size=1, max_size=3, unique=True)))
        bounds = [None, *cuts, None]
        zones = [{"level": draw(st.sampled_from(list(ZoneLevel))), "lower": a, "upper": b} for a, b in zip(bounds, bounds[1:])]
    return draw(built(Target, kind=kind, value=value, zones=zones,
                      minimum=low if kind in (TargetKind.MINIMUM, TargetKind.RANGE, TargetKind.SCALE) or draw(st.booleans()) else None,
                      maximum=high if kind in (TargetKind.MAXIMUM, TargetKind.RANGE, TargetKind.SCALE) else None))


@st.composite
def corridors(draw: st.DrawFn) -> Corridor:
    low, high = sorted(draw(st.lists(numbers, min_size=2, max_size=2, unique=True)))
    which = draw(st.sampled_from(["both", "lower", "upper"]))
    return draw(built(Corridor, lower=None if which == "upper" else low, upper=None if which == "lower" else high))


@st.composite
def indicators(draw: st.DrawFn, id: str, earlier: list[str] = (), organisation_ids: list[str] = ()) -> Indicator:  # type: ignore[assignment]
    """An indicator; when `earlier` indicator ids are given it may be derived from them."""
    formula = None
    if earlier and draw(st.booleans()):
        refs = draw(st.lists(st.sampled_from(list(earlier)), min_size=1, max_size=3))
        ops = draw(st.lists(st.sampled_from("+-*/"), min_size=len(refs), max_size=len(refs)))
        formula = " ".join(f"{{{ref}}} {op}" for ref, op in zip(refs, ops)) + " 100"
    start, end = draw(periods())
    corridor = draw(optional(corridors()))
    return draw(built(
        Indicator, id=id, formula=formula, start=start, end=optional(st.just(end)), critical_corridor=corridor,
        alarm_procedure=lang_texts() if corridor else optional(lang_texts()),
        measured_by=optional(responsible_roles(list(organisation_ids))),
        analysed_by=optional(responsible_roles(list(organisation_ids))),
    ))


@st.composite
def channels(draw: st.DrawFn, id: str, organisation_ids: list[str], indicator_ids: list[str] = ()) -> Channel:  # type: ignore[assignment]
    return draw(built(
        Channel, id=id, owner=optional(st.sampled_from(organisation_ids)), special_hours=small_lists(special_hours(), 1),
        indicators=[draw(indicators(i, organisation_ids=organisation_ids)) for i in indicator_ids],
    ))


def legal_resources(id: str, others: list[str]) -> st.SearchStrategy[LegalResource]:
    link = st.builds(lambda n: f"https://likumi.lv/ta/id/{n}", st.integers(1, 400000))
    eli = st.builds(lambda y, n: f"https://likumi.lv/eli/lv/likums/{y}/{n}", st.integers(1990, 2030), st.integers(1, 999))
    return st.one_of(
        st.builds(LegalResource, id=st.just(id), title=lang_texts(), url=link, eli=optional(eli),
                  related=small_lists(st.sampled_from(others), unique=True) if others else st.just([])),
        st.builds(LegalResource, id=st.just(id), title=lang_texts(), eli=eli),
    )


def events(cls: type[Event], id: str) -> st.SearchStrategy[Event]:
    return built(cls, id=id)


@st.composite
def channel_strategies(draw: st.DrawFn, segments: list[ClientSegment], channel_ids: list[str]) -> ChannelStrategy:
    """Shares in whole percent that add up to 100 for each segment."""
    allocations = []
    for segment in draw(st.lists(st.sampled_from(segments), min_size=1, max_size=len(segments), unique=True)):
        chosen = draw(st.lists(st.sampled_from(channel_ids), min_size=1, max_size=len(channel_ids), unique=True))
        cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=len(chosen) - 1, max_size=len(chosen) - 1)))
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, 100])]
        allocations.append({"segment": segment, "step": draw(optional(st.sampled_from(list(DeliveryTask)))),
                            "shares": [{"channel": c, "percent": float(p)} for c, p in zip(chosen, parts)]})
    return draw(built(ChannelStrategy, allocations=allocations))


@st.composite
def services(draw: st.DrawFn, id: str, refs: dict[str, list[str]], indicator_ids: list[str] = (),  # type: ignore[assignment]
             earlier_indicators: list[str] = ()) -> PublicService:  # type: ignore[assignment]
    """A service whose references are drawn from `refs` (collection name → identifiers)."""
    orgs = refs["organisations"]

    def pick(collection: str) -> list[str]:
        pool = refs.get(collection, [])
        return draw(st.lists(st.sampled_from(pool), max_size=2, unique=True)) if pool else []

    channel_ids = pick("channels")
    rule_ids = draw(unique_ids("rule", max_size=2))
    addressees = draw(st.lists(st.sampled_from(list(ClientSegment)), max_size=3, unique=True))
    valid = draw(optional(periods()))
    services_pool = [s for s in refs.get("services", []) if s != id]
    evidence_ids = draw(unique_ids("ev", max_size=3))
    all_indicators = list(earlier_indicators)
    service_indicators = []
    for ind_id in indicator_ids:
        service_indicators.append(draw(indicators(ind_id, all_indicators, orgs)))
        all_indicators.append(ind_id)
    return draw(built(
        PublicService, id=id,
        holders=draw(st.lists(st.sampled_from(orgs), min_size=1, max_size=2, unique=True)),
        providers=[draw(built(Provider, organisation=provider_org,
                              tasks=[{"task": t, "office": draw(optional(st.sampled_from(["front", "back"])))}
                                     for t in draw(st.lists(st.sampled_from(list(DeliveryTask)), min_size=1, max_size=3, unique=True))],
                              channels=st.lists(st.sampled_from(channel_ids), max_size=2, unique=True) if channel_ids else []))
                   for provider_org in draw(st.lists(st.sampled_from(orgs), max_size=2, unique=True))],
        manager=optional(responsible_roles(orgs)),
        channels=channel_ids,
        costs=[draw(built(Cost, id=cid, value=optional(st.floats(0, 1e6)), description=lang_texts(),
                          channel=optional(st.sampled_from(channel_ids)) if channel_ids else None,
                          defined_by=optional(st.sampled_from(orgs))))
               for cid in draw(unique_ids("cost", max_size=2))],
        requirements=[draw(built(Requirement, id=rid, evidence=[draw(evidence(eid)) for eid in evidence_ids[i::2]],
                                 rules=st.lists(st.sampled_from(rule_ids), max_size=2, unique=True) if rule_ids else []))
                      for i, rid in enumerate(draw(unique_ids("req", max_size=2)))],
        inputs=[draw(evidence(eid)) for eid in draw(unique_ids("input", max_size=2))],
        outputs=[draw(built(Output, id=oid)) for oid in draw(unique_ids("out", max_size=2))],
        rules=[draw(built(Rule, id=rid, legal_resources=pick("legal_resources"))) for rid in rule_ids],
        legal_resources=pick("legal_resources"), life_events=pick("life_events"), business_events=pick("business_events"),
        addressees=addressees,
        channel_strategy=optional(channel_strategies(addressees, channel_ids)) if addressees and channel_ids else None,
        languages=small_lists(languages, max_size=3, unique=True),
        valid_from=valid[0] if valid else None, valid_to=valid[1] if valid else None,
        unified_service=optional(st.sampled_from(refs["unified_services"])) if refs.get("unified_services") else None,
        related_services=st.lists(st.sampled_from(services_pool), max_size=2, unique=True) if services_pool else [],
        required_services=st.lists(st.sampled_from(services_pool), max_size=1, unique=True) if services_pool else [],
        contact_points=small_lists(contact_points(), 1), indicators=service_indicators,
    ))


def evidence(id: str) -> st.SearchStrategy[Evidence]:
    return built(Evidence, id=id)


def unified_services(id: str, legal_ids: list[str]) -> st.SearchStrategy[UnifiedService]:
    return built(UnifiedService, id=id,
                 legal_resources=st.lists(st.sampled_from(legal_ids), max_size=2, unique=True) if legal_ids else [])


@st.composite
def measurements(draw: st.DrawFn, indicator_ids: list[str], channel_ids: list[str]) -> Measurement:
    start, end = draw(periods())
    return draw(built(Measurement, indicator=st.sampled_from(indicator_ids), start=start, end=end,
                      channel=optional(st.sampled_from(channel_ids)) if channel_ids else None))


def measurement_key(m: Measurement) -> tuple:
    """What a measurement is of: two measurements of the same thing would contradict each other."""
    return (m.indicator, m.start, m.end, m.channel, m.segment)


@st.composite
def catalogues(draw: st.DrawFn, max_services: int = 3) -> Catalogue:
    """A valid catalogue: unique identifiers, every reference resolves, formulas acyclic."""
    refs = {
        "organisations": draw(unique_ids("org", 1, 3)),
        "channels": draw(unique_ids("ch")),
        "legal_resources": draw(unique_ids("lr")),
        "life_events": draw(unique_ids("le", max_size=2)),
        "business_events": draw(unique_ids("be", max_size=2)),
        "unified_services": draw(unique_ids("us", max_size=2)),
        "services": draw(unique_ids("ps", max_size=max_services)),
    }
    indicator_ids = iter(draw(unique_ids("ind", max_size=6)))
    channel_indicators = {c: [i for i in [next(indicator_ids, None)] if i and draw(st.booleans())] for c in refs["channels"]}
    channel_objs = [draw(channels(c, refs["organisations"], channel_indicators[c])) for c in refs["channels"]]
    earlier = [i for ids in channel_indicators.values() for i in ids]
    service_objs = []
    for sid in refs["services"]:
        own = [i for i in [next(indicator_ids, None), next(indicator_ids, None)] if i]
        service_objs.append(draw(services(sid, refs, own, earlier)))
        earlier += own
    return Catalogue(
        id=draw(identifiers("cat")), title=draw(lang_texts()), description=draw(lang_texts()),
        publisher=draw(st.sampled_from(refs["organisations"])), home_page=draw(optional(urls)),
        organisations=[draw(organisations(o)) for o in refs["organisations"]],
        channels=channel_objs,
        legal_resources=[draw(legal_resources(lr, [x for x in refs["legal_resources"] if x != lr])) for lr in refs["legal_resources"]],
        life_events=[draw(events(LifeEvent, e)) for e in refs["life_events"]],
        business_events=[draw(events(BusinessEvent, e)) for e in refs["business_events"]],
        unified_services=[draw(unified_services(u, refs["legal_resources"])) for u in refs["unified_services"]],
        services=service_objs,
        measurements=draw(small_lists(measurements(earlier, refs["channels"]), 3, unique_by=measurement_key)) if earlier else [],
    )


# Nested models whose realism or rules need more than their declarations say.
_NESTED = {Address: addresses, ContactPoint: contact_points, OpeningHours: opening_hours, SpecialHours: special_hours,
           ResponsibleRole: lambda: responsible_roles([]), Target: targets, Corridor: corridors}
