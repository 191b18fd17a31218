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
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from hypothesis import strategies as st

from ..model import (Address, Catalogue, Channel, ChannelStrategy, ChannelType, ClientSegment, ContactPoint, Corridor,
                     Cost, DataSource, DeliveryTask, Event, Evidence, Frequency, Importance, Indicator, IndicatorKind,
                     IndicatorScope, LangText, LegalResource, Maturity, Measurement, OpeningHours, Organisation,
                     OrganisationKind, Output, OutputType, Provider, PublicService, PublishingState, Requirement,
                     ResponsibleRole, Rule, ServiceKind, ServiceStatus, SpecialHours, Target, TargetKind, UnifiedService,
                     Weekday, ZoneLevel)
from ..model.organisation import MUNICIPAL_KINDS
from ..model.service import BusinessEvent, LifeEvent
from ..vocab import LANGUAGES

LANGUAGE_TAGS = ("lv", "en", "ru", "lt", "de-at", "nl-be-x-informal", "sr-latn-rs")
_ALPHABET = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff") | st.sampled_from("\n\tāčēģīķļņšūž")

text = st.text(_ALPHABET, min_size=1, max_size=30).filter(lambda s: not s.isspace())
short_text = st.text(_ALPHABET, min_size=1, max_size=20).filter(lambda s: s.strip() != "" and "\n" not in s)
numbers = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
atvk_codes = st.from_regex(r"[0-9]{7}", fullmatch=True)
territories = st.one_of(st.just("LV"), atvk_codes)
urls = st.builds(lambda host, path: f"https://{host}.lv/{path}", st.from_regex(r"[a-z]{1,10}", fullmatch=True),
                 st.from_regex(r"[a-z0-9/_-]{0,15}", fullmatch=True))
emails = st.builds(lambda user, host: f"{user}@{host}.lv", st.from_regex(r"[a-z0-9.]{1,10}", fullmatch=True).filter(lambda s: not s.startswith(".")),
                   st.from_regex(r"[a-z]{1,10}", fullmatch=True))
telephones = st.from_regex(r"\+371 ?[0-9]{8}", fullmatch=True)
durations = st.sampled_from(["P1D", "P14D", "P30D", "P1M", "P2M", "P4W", "PT2H", "PT30M", "P1DT12H", "P1Y"])
languages = st.sampled_from(sorted(LANGUAGES))


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
    return st.builds(Address, full_address=lang_texts(), thoroughfare=optional(lang_texts()),
                     locator_designator=optional(short_text), post_code=optional(st.from_regex(r"LV-[0-9]{4}", fullmatch=True)),
                     post_name=optional(lang_texts()), address_area=optional(lang_texts()), admin_unit=optional(lang_texts()),
                     country=optional(lang_texts()), address_id=optional(st.from_regex(r"[0-9]{9}", fullmatch=True)))


@st.composite
def opening_hours(draw: st.DrawFn) -> OpeningHours:
    opens, closes = draw(time_spans())
    valid = draw(optional(periods()))
    return OpeningHours(days=draw(st.lists(st.sampled_from(list(Weekday)), min_size=1, max_size=7, unique=True)),
                        opens=opens, closes=closes, valid_from=valid[0] if valid else None, valid_to=valid[1] if valid else None,
                        exceptions=draw(small_lists(dates, unique=True)), description=draw(optional(lang_texts())))


@st.composite
def special_hours(draw: st.DrawFn) -> SpecialHours:
    start, end = draw(periods())
    hours = draw(optional(time_spans()))
    return SpecialHours(start=start, end=end, opens=hours[0] if hours else None, closes=hours[1] if hours else None,
                        description=draw(optional(lang_texts())))


def contact_points() -> st.SearchStrategy[ContactPoint]:
    return st.builds(ContactPoint, emails=st.lists(emails, min_size=1, max_size=2, unique=True),
                     telephones=small_lists(telephones, unique=True), pages=small_lists(urls, unique=True), opening_hours=small_lists(opening_hours()), special_hours=small_lists(special_hours(), 1))


def responsible_roles(organisation_ids: list[str]) -> st.SearchStrategy[ResponsibleRole]:
    orgs = optional(st.sampled_from(organisation_ids)) if organisation_ids else st.none()
    return st.builds(ResponsibleRole, role=lang_texts(), organisation=orgs, person=optional(short_text),
                     contact=optional(contact_points()))


@st.composite
def organisations(draw: st.DrawFn, id: str) -> Organisation:
    kind = draw(st.sampled_from(list(OrganisationKind)))
    # A municipality and its institutions act in one municipality, never the whole country.
    places = atvk_codes if kind in MUNICIPAL_KINDS else territories
    return Organisation(id=id, name=draw(lang_texts()), kind=kind, territory=draw(places),
                        registration_number=draw(optional(st.from_regex(r"[0-9]{11}", fullmatch=True))),
                        address=draw(optional(addresses())), contact_points=draw(small_lists(contact_points(), 1)),
                        home_page=draw(optional(urls)))


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
    return Target(kind=kind, value=value, zones=zones,
                  minimum=low if kind in (TargetKind.MINIMUM, TargetKind.RANGE, TargetKind.SCALE) or draw(st.booleans()) else None,
                  maximum=high if kind in (TargetKind.MAXIMUM, TargetKind.RANGE, TargetKind.SCALE) else None)


@st.composite
def corridors(draw: st.DrawFn) -> Corridor:
    low, high = sorted(draw(st.lists(numbers, min_size=2, max_size=2, unique=True)))
    which = draw(st.sampled_from(["both", "lower", "upper"]))
    return Corridor(lower=None if which == "upper" else low, upper=None if which == "lower" else high)


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
    return Indicator(
        id=id, name=draw(lang_texts()), goal=draw(lang_texts()), description=draw(optional(lang_texts())),
        kind=draw(st.sampled_from(list(IndicatorKind))), scope=draw(st.sampled_from(list(IndicatorScope))),
        unit=draw(short_text), formula=formula, measuring_frequency=draw(st.sampled_from(list(Frequency))),
        reporting_frequency=draw(st.sampled_from(list(Frequency))), start=start, end=draw(optional(st.just(end))),
        data_source=draw(st.sampled_from(list(DataSource))), data_source_detail=draw(optional(lang_texts())),
        target=draw(optional(targets())), critical_corridor=corridor,
        alarm_procedure=draw(lang_texts()) if corridor else draw(optional(lang_texts())),
        measured_by=draw(optional(responsible_roles(list(organisation_ids)))),
        analysed_by=draw(optional(responsible_roles(list(organisation_ids)))),
    )


@st.composite
def channels(draw: st.DrawFn, id: str, organisation_ids: list[str], indicator_ids: list[str] = ()) -> Channel:  # type: ignore[assignment]
    return Channel(
        id=id, type=draw(st.sampled_from(list(ChannelType))), name=draw(optional(lang_texts())),
        description=draw(optional(lang_texts())), owner=draw(optional(st.sampled_from(organisation_ids))),
        url=draw(optional(urls)), address=draw(optional(addresses())), contact=draw(optional(contact_points())),
        opening_hours=draw(small_lists(opening_hours())), special_hours=draw(small_lists(special_hours(), 1)),
        processing_time=draw(optional(durations)),
        indicators=[draw(indicators(i, organisation_ids=organisation_ids)) for i in indicator_ids],
    )


def legal_resources(id: str, others: list[str]) -> st.SearchStrategy[LegalResource]:
    link = st.builds(lambda n: f"https://likumi.lv/ta/id/{n}", st.integers(1, 400000))
    eli = st.builds(lambda y, n: f"https://likumi.lv/eli/lv/likums/{y}/{n}", st.integers(1990, 2030), st.integers(1, 999))
    return st.one_of(
        st.builds(LegalResource, id=st.just(id), title=lang_texts(), url=link, eli=optional(eli),
                  related=small_lists(st.sampled_from(others), unique=True) if others else st.just([])),
        st.builds(LegalResource, id=st.just(id), title=lang_texts(), eli=eli),
    )


def events(cls: type[Event], id: str) -> st.SearchStrategy[Event]:
    return st.builds(cls, id=st.just(id), name=lang_texts(), description=optional(lang_texts()), type=optional(urls))


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
    return ChannelStrategy(allocations=allocations, description=draw(optional(lang_texts())))


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
    return PublicService(
        id=id, source_id=draw(optional(short_text)), name=draw(lang_texts()), description=draw(lang_texts()),
        keywords=draw(st.dictionaries(st.sampled_from(LANGUAGE_TAGS), st.lists(short_text, min_size=1, max_size=3, unique=True), max_size=2)),
        kind=draw(st.sampled_from(list(ServiceKind))), importance=draw(optional(st.sampled_from(list(Importance)))),
        maturity=draw(optional(st.sampled_from(list(Maturity)))), function=draw(optional(lang_texts())),
        task=draw(optional(lang_texts())), policy_outcome=draw(optional(lang_texts())),
        holders=draw(st.lists(st.sampled_from(orgs), min_size=1, max_size=2, unique=True)),
        providers=[Provider(organisation=provider_org,
                            tasks=[{"task": t, "office": draw(optional(st.sampled_from(["front", "back"])))}
                                   for t in draw(st.lists(st.sampled_from(list(DeliveryTask)), min_size=1, max_size=3, unique=True))],
                            description=draw(optional(lang_texts())),
                            channels=draw(st.lists(st.sampled_from(channel_ids), max_size=2, unique=True)) if channel_ids else [])
                   for provider_org in draw(st.lists(st.sampled_from(orgs), max_size=2, unique=True))],
        manager=draw(optional(responsible_roles(orgs))),
        channels=channel_ids,
        costs=[Cost(id=cid, value=draw(optional(st.floats(0, 1e6))), currency=draw(st.sampled_from(["EUR", "USD"])),
                    description=draw(lang_texts()), channel=draw(optional(st.sampled_from(channel_ids))) if channel_ids else None,
                    defined_by=draw(optional(st.sampled_from(orgs))))
               for cid in draw(unique_ids("cost", max_size=2))],
        requirements=[Requirement(id=rid, name=draw(lang_texts()), description=draw(optional(lang_texts())),
                                  type=draw(optional(short_text)),
                                  evidence=[draw(evidence(eid)) for eid in evidence_ids[i::2]],
                                  rules=draw(st.lists(st.sampled_from(rule_ids), max_size=2, unique=True)) if rule_ids else [])
                      for i, rid in enumerate(draw(unique_ids("req", max_size=2)))],
        inputs=[draw(evidence(eid)) for eid in draw(unique_ids("input", max_size=2))],
        outputs=[Output(id=oid, name=draw(lang_texts()), description=draw(optional(lang_texts())),
                        type=draw(optional(st.sampled_from(list(OutputType)))), languages=draw(small_lists(languages, unique=True)))
                 for oid in draw(unique_ids("out", max_size=2))],
        rules=[Rule(id=rid, name=draw(lang_texts()), description=draw(lang_texts()), type=draw(optional(short_text)),
                    legal_resources=pick("legal_resources"), languages=draw(small_lists(languages, unique=True)))
               for rid in rule_ids],
        legal_resources=pick("legal_resources"), life_events=pick("life_events"), business_events=pick("business_events"),
        addressees=addressees,
        channel_strategy=draw(optional(channel_strategies(addressees, channel_ids))) if addressees and channel_ids else None,
        spatial_coverage=draw(st.lists(territories, max_size=2, unique=True)),
        languages=draw(small_lists(languages, max_size=3, unique=True)), processing_time=draw(optional(durations)),
        status=draw(st.sampled_from(list(ServiceStatus))), publishing_state=draw(st.sampled_from(list(PublishingState))),
        valid_from=valid[0] if valid else None, valid_to=valid[1] if valid else None,
        unified_service=draw(optional(st.sampled_from(refs["unified_services"]))) if refs.get("unified_services") else None,
        related_services=draw(st.lists(st.sampled_from(services_pool), max_size=2, unique=True)) if services_pool else [],
        required_services=draw(st.lists(st.sampled_from(services_pool), max_size=1, unique=True)) if services_pool else [],
        contact_points=draw(small_lists(contact_points(), 1)), indicators=service_indicators,
    )


def evidence(id: str) -> st.SearchStrategy[Evidence]:
    return st.builds(Evidence, id=st.just(id), name=lang_texts(), description=optional(lang_texts()), type=optional(short_text),
                     languages=small_lists(languages, unique=True), pages=small_lists(urls, unique=True))


def unified_services(id: str, legal_ids: list[str]) -> st.SearchStrategy[UnifiedService]:
    return st.builds(UnifiedService, id=st.just(id), name=lang_texts(), description=lang_texts(), process=optional(lang_texts()),
                     kind=optional(st.sampled_from(list(ServiceKind))),
                     legal_resources=st.lists(st.sampled_from(legal_ids), max_size=2, unique=True) if legal_ids else st.just([]))


@st.composite
def measurements(draw: st.DrawFn, indicator_ids: list[str], channel_ids: list[str]) -> Measurement:
    start, end = draw(periods())
    return Measurement(indicator=draw(st.sampled_from(indicator_ids)), start=start, end=end, value=draw(numbers),
                       channel=draw(optional(st.sampled_from(channel_ids))) if channel_ids else None,
                       segment=draw(optional(st.sampled_from(list(ClientSegment)))))


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
