"""The hypothesis strategies users get: every generated instance is a valid model."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pps_sdk import Catalogue, ClientSegment, LifeEvent
from pps_sdk.testing import strategies as pst

ORGS = ["org-a", "org-b"]
CHANNELS = ["ch-a", "ch-b"]

STANDALONE = {
    "address": pst.addresses(),
    "opening hours": pst.opening_hours(),
    "special hours": pst.special_hours(),
    "contact point": pst.contact_points(),
    "responsible role": pst.responsible_roles(ORGS),
    "organisation": pst.organisations("org-a"),
    "target": pst.targets(),
    "corridor": pst.corridors(),
    "indicator": pst.indicators("ind-a", organisation_ids=ORGS),
    "channel": pst.channels("ch-a", ORGS, ["ind-b"]),
    "legal resource": pst.legal_resources("lr-a", ["lr-b"]),
    "life event": pst.events(LifeEvent, "le-a"),
    "channel strategy": pst.channel_strategies(list(ClientSegment), CHANNELS),
    "service": pst.services("ps-a", {"organisations": ORGS, "channels": CHANNELS, "services": ["ps-b"]}, ["ind-c"]),
    "unified service": pst.unified_services("us-a", ["lr-a"]),
    "measurement": pst.measurements(["ind-a"], CHANNELS),
}


@given(st.data())
def test_each_model_strategy_gives_valid_instances(data):
    for name, strategy in STANDALONE.items():
        value = data.draw(strategy, label=name)
        # Validating the dumped data again proves the instance obeys every rule of its model.
        assert type(value).model_validate(value.model_dump()) == value, name


@given(pst.channels("ch-a", ORGS, ["ind-a"]), pst.services("ps-a", {"organisations": ORGS, "channels": CHANNELS}))
def test_strategies_use_only_the_identifiers_given(channel, service):
    assert channel.owner in (None, *ORGS) and [i.id for i in channel.indicators] == ["ind-a"]
    assert set(service.holders) <= set(ORGS) and set(service.channels) <= set(CHANNELS)


@given(pst.catalogues())
def test_generated_catalogues_are_valid_and_consistent(catalogue):
    assert Catalogue.model_validate(catalogue.model_dump()) == catalogue
    assert catalogue.dangling_references() == []
    for service in catalogue.services:
        assert catalogue.holders(service)
