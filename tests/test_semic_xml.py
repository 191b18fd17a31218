"""SEMIC's draft CPSV-AP XML: our export validates against SEMIC's XSD, losses are reported,
SEMIC's own sample loads."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given
from lxml import etree

from pps_sdk import Channel, FormatError, PublicService, dump, loads
from pps_sdk.examples import example, example_catalogue
from pps_sdk.formats.semic_xml import SemicLossWarning, SemicRepairWarning, service_document
from pps_sdk.model.types import xsd_duration
from pps_sdk.testing.strategies import catalogues

@pytest.fixture(scope="module")
def semic_schema(semic_xsd_dir) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(semic_xsd_dir / "CoreVoc_CPSV-AP.xsd")))


def quietly(work):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = work()
    return result, [w for w in caught]


def assert_valid(schema: etree.XMLSchema, text: str) -> None:
    ok = schema.validate(etree.fromstring(text.encode()))
    assert ok, [f"{e.line}: {e.message}" for e in schema.error_log][:5]


def test_examples_export_valid_semic_datasets(semic_schema, example_name):
    text, caught = quietly(lambda: dump(example(example_name), "semic-xml"))
    assert_valid(semic_schema, text)
    assert text.splitlines()[1].startswith('<Dataset xmlns="https://semiceu.github.io/CPSV-AP/xsd"')


def test_a_single_service_document_is_valid(semic_schema):
    catalogue = example_catalogue()
    for service in catalogue.services:
        text, _ = quietly(lambda: service_document(catalogue, service.id))
        assert_valid(semic_schema, text)
        assert f"<cv:IdentifierLiteral>{service.id}</cv:IdentifierLiteral>" in text


@pytest.mark.thorough
@given(catalogues())
def test_generated_catalogues_export_valid_semic(semic_schema, catalogue):
    text, _ = quietly(lambda: dump(catalogue, "semic-xml"))
    assert_valid(semic_schema, text)


def test_what_semic_cannot_carry_is_reported_by_name():
    _, caught = quietly(lambda: dump(example("building-permit"), "semic-xml"))
    [loss] = [w for w in caught if issubclass(w.category, SemicLossWarning)]
    message = str(loss.message)
    for lost in ("services[0].indicators", "services[0].importance", "services[0].maturity", "services[0].manager",
                 "services[0].channel_strategy", "services[0].legal_resources", "measurements"):
        assert lost in message
    assert "services[0].name" not in message and "services[0].description" not in message


def test_what_semic_carries_comes_back(semic_schema):
    catalogue = example_catalogue()
    text, _ = quietly(lambda: dump(catalogue, "semic-xml"))
    back, caught = quietly(lambda: loads(text, "semic-xml"))
    assert any(issubclass(w.category, SemicRepairWarning) for w in caught)
    assert [s.id for s in back.services] == [s.id for s in catalogue.services]
    for ours, theirs in zip(catalogue.services, back.services):
        assert theirs.name == ours.name and theirs.description == ours.description
        assert theirs.channels == ours.channels
        assert [back.organisation(h).name for h in theirs.holders] == [catalogue.organisation(h).name for h in ours.holders]
        assert theirs.keywords == ours.keywords and theirs.languages == ours.languages
        assert [(c.id, c.value, c.currency, c.channel) for c in theirs.costs] == \
            [(c.id, c.value, c.currency, c.channel) for c in ours.costs]
        assert [(o.id, o.name, o.type) for o in theirs.outputs] == [(o.id, o.name, o.type) for o in ours.outputs]
        assert [(r.id, r.name, r.description) for r in theirs.rules] == [(r.id, r.name, r.description) for r in ours.rules]
        assert [[t.task for t in p.tasks] for p in theirs.providers] == [[t.task for t in p.tasks] for p in ours.providers]
        assert [p.organisation for p in theirs.providers] == [p.organisation for p in ours.providers]
        assert [(r.id, r.rules, [e.id for e in r.evidence]) for r in theirs.requirements] == \
            [(r.id, r.rules, [e.id for e in r.evidence]) for r in ours.requirements]
        assert theirs.life_events == ours.life_events and theirs.business_events == ours.business_events
    assert back.get("business_events", "be-buvnieciba").name == catalogue.get("business_events", "be-buvnieciba").name


def test_semic_sample_loads_and_repairs_are_reported(semic_xsd_dir):
    sample = (semic_xsd_dir / "CoreVoc_CPSV-AP.xml").read_bytes()
    catalogue, caught = quietly(lambda: loads(sample, "semic-xml"))
    [service] = catalogue.services
    assert service.id == "Tax-on-web" and service.name.get("en") == "Tax-on-web"
    assert service.description.get("fr").startswith("Service pour la déclaration")
    holder = catalogue.organisation(service.holders[0])
    assert holder.name.languages == ["fr", "nl", "en", "de"]
    assert catalogue.channel("cha-123").description.get("en") == "Every day from 9 a.m. to 5 p.m."
    [requirement] = service.requirements
    assert requirement.id == "req-123" and requirement.evidence[0].type == "certificate"
    assert service.contact_points[0].telephones == ["+32 257 25757"]
    repairs = " ".join(str(w.message) for w in caught if issubclass(w.category, SemicRepairWarning))
    assert "organisation without identifier" in repairs and "HasInputType" in repairs and "com-channel" in repairs
    only, _ = quietly(lambda: loads(sample, "semic-xml", model=PublicService))
    assert only == service


@pytest.mark.parametrize(("ours", "xsd"), [("P4W", "P28D"), ("P1W2D", "P9D"), ("P1Y2WT3H", "P1Y14DT3H"),
                                            ("PT30M", "PT30M"), ("P30D", "P30D")])
def test_weeks_become_days_for_xsd_duration(ours, xsd):
    assert xsd_duration(ours) == xsd
    assert Channel(id="c", type="phone", processing_time=ours).processing_time == xsd  # the model stores the xsd form


def test_a_service_alone_is_refused_with_a_pointer():
    with pytest.raises(FormatError, match="service_document"):
        dump(example("building-permit").services[0], "semic-xml")


def test_other_documents_are_refused():
    with pytest.raises(FormatError, match="not a SEMIC CPSV-AP document"):
        loads(dump(example_catalogue(), "xml"), "semic-xml")
    with pytest.raises(FormatError, match="refused"):
        loads(b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Dataset>&x;</Dataset>', "semic-xml")



UNNAMED_PARTIES = b"""<?xml version="1.0" encoding="UTF-8"?>
<PublicServiceCPSVAP xmlns="https://semiceu.github.io/CPSV-AP/xsd" xmlns:cv="http://data.europa.eu/m8g/xsd">
  <cv:Description xml:lang="en">Filing a tax return.</cv:Description>
  <HasCompetentAuthority><cv:PreferredLabel xml:lang="en">Tax Office</cv:PreferredLabel></HasCompetentAuthority>
  <HasParticipation>
    <cv:Description xml:lang="en">Takes returns on paper.</cv:Description>
    <HasParticipant><cv:AgentName xml:lang="en">Post Company</cv:AgentName></HasParticipant>
    <cv:Role>accepting_requests</cv:Role>
  </HasParticipation>
  <HasParticipation>
    <cv:Description xml:lang="en">Answers questions.</cv:Description>
    <HasParticipant><cv:AgentName xml:lang="en">Call Centre</cv:AgentName><cv:IdentifierLiteral>org-1</cv:IdentifierLiteral></HasParticipant>
    <cv:Role>informing</cv:Role>
  </HasParticipation>
  <cv:IdentifierLiteral>ps-tax</cv:IdentifierLiteral>
  <Name xml:lang="en">Tax return</Name>
</PublicServiceCPSVAP>
"""


def test_organisations_without_identifiers_are_never_given_one_already_taken():
    catalogue, _ = quietly(lambda: loads(UNNAMED_PARTIES, "semic-xml"))
    [service] = catalogue.services
    names = {org.id: org.name.get("en") for org in catalogue.organisations}
    assert len(names) == 3 and sorted(names.values()) == ["Call Centre", "Post Company", "Tax Office"]
    assert names["org-1"] == "Call Centre"  # the document's own identifier stays its own
    assert names[service.holders[0]] == "Tax Office"
    assert [names[p.organisation] for p in service.providers] == ["Post Company", "Call Centre"]
