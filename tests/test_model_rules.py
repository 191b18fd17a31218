"""Each validation rule, shown failing on a broken copy of a real example, with the path it reports."""

from __future__ import annotations

import pytest

from pps_sdk import Catalogue, ModelError

DELETE = object()


def mutate(data: dict, path: str, value=DELETE) -> dict:
    """Set (or delete) the value at a dotted path such as `services.0.name`; return `data`."""
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    node = data
    for part in parents:
        node = node[part]
    if value is DELETE:
        del node[last]
    else:
        node[last] = value
    return data


def problems_of(data: dict) -> list[tuple[str, str]]:
    with pytest.raises(ModelError) as caught:
        Catalogue.model_validate(data)
    return [(p.path, p.message) for p in caught.value.problems]


CASES = [
    # mandatory fields
    ("services.0.name", DELETE, "services[0].name", "field required"),
    ("services.0.holders", DELETE, "services[0].holders", "field required"),
    ("organisations.1.kind", DELETE, "organisations[1].kind", "field required"),
    ("services.0.indicators.0.goal", DELETE, "services[0].indicators[0].goal", "field required"),
    # cardinalities
    ("services.0.holders", [], "services[0].holders", "at least 1 item"),
    ("services.0.providers.0.tasks", [], "services[0].providers[0].tasks", "at least 1 item"),
    ("services.0.channel_strategy.allocations", [], "services[0].channel_strategy.allocations", "at least 1 item"),
    ("channels.0.opening_hours.0.days", [], "channels[0].opening_hours[0].days", "at least 1 item"),
    # enum values
    ("services.0.kind", "municipal", "services[0].kind", "'general_benefit', 'administrative'"),
    ("channels.1.type", "fax", "channels[1].type", "'in_person'"),
    ("services.0.providers.0.tasks.0.task", "cooking", "services[0].providers[0].tasks[0].task", "'informing'"),
    ("services.0.publishing_state", "live", "services[0].publishing_state", "'draft'"),
    ("services.0.indicators.0.data_source", "guess", "services[0].indicators[0].data_source", "'accounting'"),
    # ranges
    ("services.0.importance", 5, "services[0].importance", "1, 2, 3 or 4"),
    ("services.0.maturity", 6, "services[0].maturity", "0, 1, 2, 3, 4 or 5"),
    ("services.0.costs.0.value", -5, "services[0].costs[0].value", "greater than or equal to 0"),
    ("services.0.channel_strategy.allocations.0.shares.0.percent", 120, "services[0].channel_strategy.allocations[0].shares[0].percent", "less than or equal to 100"),
    # durations
    ("services.0.processing_time", "30 days", "services[0].processing_time", "ISO 8601 duration"),
    ("channels.2.processing_time", "P", "channels[2].processing_time", "ISO 8601 duration"),
    # codes and links
    ("organisations.1.territory", "Jelgava", "organisations[1].territory", "should match pattern"),
    ("services.0.languages", ["latviešu"], "services[0].languages[0]", "ISO 639-1"),
    ("services.0.costs.0.currency", "eiro", "services[0].costs[0].currency", "should match pattern"),
    ("organisations.1.home_page", "www.jelgava.lv", "organisations[1].home_page", "http(s) link"),
    ("organisations.2.contact_points.0.emails", ["buvvalde.jelgava.lv"], "organisations[2].contact_points[0].emails[0]", "should match pattern"),
    ("services.0.id", "būvatļauja 1", "services[0].id", "should match pattern"),
    ("services.0.unexpected", "x", "services[0].unexpected", "extra inputs are not permitted"),
    # dates
    ("services.0.valid_to", "2025-12-31", "services[0].valid_to", "before the start 2026-01-01"),
    ("channels.0.opening_hours.1.closes", "07:00", "channels[0].opening_hours[1].closes", "not after opening time"),
    ("channels.0.special_hours.0.end", "2026-12-01", "channels[0].special_hours[0].end", "before the start"),
    ("channels.0.special_hours.0.opens", "10:00", "channels[0].special_hours[0].closes", "both opening and closing time"),
    ("measurements.0.end", "2025-01-01", "measurements[0].end", "before the start"),
    # shares
    ("services.0.channel_strategy.allocations.0.shares.0.percent", 90, "services[0].channel_strategy.allocations[0].shares", "add up to 95 %"),
    # targets, corridors, formulas
    ("services.0.indicators.3.critical_corridor", {"lower": 30, "upper": 10}, "services[0].indicators[3].critical_corridor.upper", "not above lower bound"),
    ("services.0.indicators.3.alarm_procedure", DELETE, "services[0].indicators[3].alarm_procedure", "needs an alarm procedure"),
    ("services.0.indicators.2.target", {"kind": "range", "minimum": 5}, "services[0].indicators[2].target.maximum", "needs maximum"),
    ("services.0.indicators.2.target", {"kind": "range", "minimum": 5, "maximum": 1}, "services[0].indicators[2].target.maximum", "below minimum"),
    ("services.0.indicators.3.target.zones.1.lower", 10, "services[0].indicators[3].target.zones[1]", "overlaps"),
    ("services.0.indicators.2.formula", "{ind-buvatlauja-e-lietas} / * 100", "services[0].indicators[2].formula", "expected a number"),
    ("services.0.indicators.2.formula", "({ind-buvatlauja-lietas} * 2", "services[0].indicators[2].formula", "ends early"),
    ("services.0.indicators.2.formula", "{ind-nav} * 100", "services[0].indicators[2].formula", "unknown indicator 'ind-nav'"),
    ("services.0.indicators.2.formula", "{ind-buvatlauja-e-dala} + 1", "services[0].indicators[2].formula", "its own indicator"),
    # references inside the service
    ("services.0.costs.0.channel", "ch-bis-nav", "services[0].costs[0].channel", "not one of this service's channels"),
    ("services.0.requirements.0.rules", ["rule-nav"], "services[0].requirements[0].rules[0]", "no rule 'rule-nav'"),
    ("services.0.channel_strategy.allocations.0.segment", "youth", "services[0].channel_strategy.allocations[0].segment", "not among the service's addressees"),
    ("services.0.providers.0.channels", ["ch-bis-eservice", "ch-nav"], "services[0].providers[0].channels[1]", "not one of this service's channels"),
    ("services.0.related_services", ["ps-jelgava-buvatlauja"], "services[0].related_services[0]", "cannot refer to itself"),
    # parts that need some content
    ("legal_resources.0.url", DELETE, "legal_resources[0].url", "likumi.lv link"),
    ("organisations.0.address", {"post_code": "LV-1010"}, "organisations[0].address", "full_address"),
    ("organisations.2.contact_points.0", {}, "organisations[2].contact_points[0]", "at least one e-mail"),
    ("services.0.costs.0", {"id": "cost-x"}, "services[0].costs[0].value", "amount, a description"),
]


@pytest.mark.parametrize("path, value, where, message", CASES, ids=[(f"{c[0]} deleted" if c[1] is DELETE else f"{c[0]}={c[1]!r}")[:60] for c in CASES])
def test_rule_reports_its_path(building, path, value, where, message):
    found = problems_of(mutate(building, path, value))
    assert any(p == where and message in m for p, m in found), found


def test_eli_must_be_an_eli_link(building):
    building["legal_resources"][0]["eli"] = "https://likumi.lv/ta/id/1"
    assert ("legal_resources[0].eli", "'https://likumi.lv/ta/id/1' is not an ELI link (it should contain '/eli/')") in problems_of(building)


def test_duplicate_identifiers_in_a_catalogue(building):
    building["channels"][2]["id"] = building["channels"][0]["id"]
    assert ("channels[2].id", "duplicate identifier 'ch-jelgava-buvvalde-klatiene'") in problems_of(building)


def test_duplicate_identifiers_within_a_service(building):
    service = building["services"][0]
    service["requirements"][1]["id"] = service["requirements"][0]["id"]
    assert ("services[0].requirements[1].id", "duplicate identifier 'req-tiesibas'") in problems_of(building)


def test_duplicate_indicator_identifiers_across_the_catalogue(building):
    building["channels"][2]["indicators"] = [dict(building["services"][0]["indicators"][0])]
    found = problems_of(building)
    assert ("channels[2].indicators[0].id", "duplicate indicator identifier 'ind-buvatlauja-lietas'") in found


def test_conflicting_evidence_with_one_identifier(building):
    requirements = building["services"][0]["requirements"]
    requirements[1]["evidence"][0]["id"] = requirements[0]["evidence"][0]["id"]
    found = problems_of(building)
    assert ("services[0].requirements[1].evidence[0].id",
            "evidence 'ev-zemesgramata' differs from earlier evidence with the same identifier") in found


def test_identical_evidence_may_prove_two_requirements(building):
    requirements = building["services"][0]["requirements"]
    requirements[1]["evidence"].append(dict(requirements[0]["evidence"][0]))
    Catalogue.model_validate(building)


def test_dangling_references_are_reported_with_their_paths(building):
    building["services"][0]["holders"] = ["org-nav"]
    building["services"][0]["channels"].append("ch-nav")
    building["measurements"][0]["indicator"] = "ind-nav"
    building["publisher"] = "org-nav"
    found = problems_of(building)
    assert ("services[0].holders[0]", "no organisation 'org-nav' in the catalogue") in found
    assert ("services[0].channels[3]", "no channel 'ch-nav' in the catalogue") in found
    assert ("measurements[0].indicator", "no indicator 'ind-nav' in the catalogue") in found
    assert ("publisher", "no organisation 'org-nav' in the catalogue") in found


def test_formula_cycles_are_refused(building):
    indicators = building["services"][0]["indicators"]
    indicators[0]["formula"] = "{ind-buvatlauja-e-dala} * 2"
    found = problems_of(building)
    assert any(path == "services[0].indicators[0].formula" and "cycle" in msg for path, msg in found), found


def test_one_error_lists_every_problem(building):
    mutate(building, "services.0.importance", 9)
    mutate(building, "channels.0.opening_hours.1.closes", "07:00")
    mutate(building, "services.0.channel_strategy.allocations.1.shares.0.percent", 1)
    paths = [path for path, _ in problems_of(building)]
    assert paths == ["channels[0].opening_hours[1].closes", "services[0].importance",
                     "services[0].channel_strategy.allocations[1].shares"]


def test_direct_construction_raises_the_same_error():
    from pps_sdk import OpeningHours

    with pytest.raises(ModelError) as caught:
        OpeningHours(days=["monday", "monday"], opens="17:00", closes="09:00")
    assert [p.path for p in caught.value.problems] == ["days[1]", "closes"]
    assert "invalid OpeningHours: 2 problems" in str(caught.value)
