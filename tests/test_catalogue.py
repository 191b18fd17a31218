from __future__ import annotations

import pytest

from pps_sdk import Catalogue, LangText, ModelError, Problem, PublicService, PublishingState, TransitionError, can_transition
from pps_sdk.examples import example, example_catalogue


def test_lookups_resolve_identifiers():
    catalogue = example_catalogue()
    permit = catalogue.service("ps-jelgava-buvatlauja")
    assert [o.id for o in catalogue.holders(permit)] == ["org-jelgava-buvvalde"]
    assert [c.type.value for c in catalogue.service_channels(permit)] == ["portal_eservice", "in_person", "vpvkac"]
    assert catalogue.indicator("ind-buvatlauja-ilgums").critical_corridor.upper == 30
    assert catalogue.legal_resource("lr-mk-500").related == ["lr-buvniecibas-likums"]
    assert [m.value for m in catalogue.measurements_of("ind-buvatlauja-ilgums")] == [23.5, 19.0]
    with pytest.raises(KeyError, match="no organisation 'org-nav'"):
        catalogue.organisation("org-nav")


def test_unified_service_and_its_instances():
    catalogue = example_catalogue()
    unified = catalogue.unified_service("us-dzivesvietas-deklaresana")
    assert [s.id for s in catalogue.instances(unified.id)] == ["ps-riga-dzivesvieta"]
    local = unified.instantiate("ps-jelgava-dzivesvieta", ["org-jelgava"], channels=["ch-jelgava-vpvkac"],
                                spatial_coverage=["0009000"])
    assert local.unified_service == unified.id
    assert local.name == unified.name and local.legal_resources == unified.legal_resources
    assert local.channels == ["ch-jelgava-vpvkac"] and local.holders == ["org-jelgava"]
    bigger = catalogue.model_copy(update={"services": [*catalogue.services, local]})
    assert [s.id for s in Catalogue.model_validate(bigger.model_dump()).instances(unified.id)] == ["ps-riga-dzivesvieta", "ps-jelgava-dzivesvieta"]


def test_instantiate_lets_local_values_override_national_ones():
    unified = example_catalogue().unified_service("us-dzivesvietas-deklaresana")
    local = unified.instantiate("ps-x", ["org-riga"], name=LangText({"lv": "Deklarēt dzīvesvietu Jūrmalā"}))
    assert local.name.get("lv") == "Deklarēt dzīvesvietu Jūrmalā"
    assert local.description == unified.description


def test_merge_keeps_identical_objects_once():
    merged = example_catalogue()
    assert [o.id for o in merged.organisations].count("org-vdaa") == 1
    assert len(merged.services) == 3
    assert len(merged.measurements) == sum(len(example(n).measurements) for n in ("building-permit", "funeral-allowance", "residence-declaration"))


def test_merge_refuses_conflicting_objects():
    first = example("building-permit")
    other = example("funeral-allowance")
    renamed = other.organisations[0].model_copy(update={"name": LangText({"lv": "Cits nosaukums"})})
    other = other.model_copy(update={"organisations": [renamed, *other.organisations[1:]]})
    with pytest.raises(ModelError) as caught:
        first.merge(other)
    assert caught.value.problems[0].path == "organisations['org-vdaa']"


def test_dangling_references_of_an_unchecked_catalogue():
    catalogue = example("building-permit")
    service = catalogue.services[0].model_copy(update={"holders": ["org-nav"]})
    unchecked = catalogue.model_copy(update={"services": [service]})
    assert unchecked.dangling_references() == [Problem("services[0].holders[0]", "no organisation 'org-nav' in the catalogue")]
    assert catalogue.dangling_references() == []


@pytest.mark.parametrize("current, target, allowed", [
    ("draft", "submitted", True), ("draft", "archived", True), ("draft", "published", False), ("draft", "modified", False),
    ("submitted", "published", True), ("submitted", "draft", True), ("submitted", "archived", True),
    ("submitted", "modified", False),
    ("published", "modified", True), ("published", "archived", True), ("published", "draft", False),
    ("modified", "submitted", True), ("modified", "archived", True), ("modified", "published", False),
    ("modified", "draft", False),
    ("archived", "draft", True), ("archived", "published", False), ("archived", "modified", False),
    ("published", "published", False),
])
def test_publishing_transitions(current, target, allowed):
    assert can_transition(PublishingState(current), PublishingState(target)) is allowed
    service = example("building-permit").services[0].model_copy(update={"publishing_state": PublishingState(current)})
    if allowed:
        moved = service.transition(target)
        assert moved.publishing_state == PublishingState(target)
        assert service.publishing_state == PublishingState(current)  # the original is unchanged
    else:
        with pytest.raises(TransitionError, match=f"cannot go from {current} to {target}"):
            service.transition(target)


def test_provider_task_office_defaults_to_the_usual_one():
    service = example("funeral-allowance").services[0]
    offices = {t.task.value: t.office.value for t in service.providers[0].tasks}
    assert offices == {"informing": "front", "accepting_requests": "front", "specialist_consultations": "front"}
    residence = example("residence-declaration").services[0]
    assert residence.providers[0].tasks[0].office.value == "back"  # recording and control


def test_public_service_standalone_validates_its_own_rules():
    with pytest.raises(ModelError) as caught:
        PublicService(id="ps-1", name="Nosaukums", description="Apraksts", kind="administrative", holders=["org-1"],
                      costs=[{"id": "c", "value": 1, "channel": "ch-1"}])
    assert [p.path for p in caught.value.problems] == ["costs[0].channel"]
