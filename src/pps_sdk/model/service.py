"""The public service and the parts that belong to one service only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import partial
from typing import Any

from pydantic import model_validator

from ..errors import TransitionError
from .base import PPSModel, RuleProblem, duplicates, guarded, term
from .channel import ChannelStrategy
from .codecs import AdmsIdentifier, AdmsStatus, FilledIn, ProviderRoles, ServiceInputs
from .enums import (ClientSegment, DeliveryTask, Importance, Maturity, Office, OutputType, PublishingState,
                    ServiceKind, ServiceStatus, can_transition, next_states)
from .indicator import Indicator
from .organisation import ContactPoint, ResponsibleRole, period_problems
from .text import Keywords, LangText
from .types import Currency, Day, Duration, Identifier, LanguageCode, Number, ShortText, SourceId, Territory, Url


class Cost(PPSModel):
    """A fee or payment (`cv:Cost`). Zero means free of charge."""

    rdf_class = "cv:Cost"

    id: Identifier = term("dct:identifier", "identifikators", "Identifier, unique within the service.")
    value: Number | None = term("cv:hasValue", "summa", "Amount; 0 for free of charge.", ge=0, default=None)
    currency: Currency = term("cv:currency", "valūta", "ISO 4217 currency code.", default="EUR")
    description: LangText | None = term("dct:description", "apraksts", "What the payment is for, discounts, how to pay.", default=None)
    channel: Identifier | None = term("cv:ifAccessedThrough", "kanāls", "A channel of this service the cost applies to; empty for every channel.", local_ref="channels", default=None)
    defined_by: Identifier | None = term("cv:isDefinedBy", "noteicējs", "Organisation that sets the cost.", ref="organisations", default=None)

    def broken_rules(self) -> Iterator[RuleProblem]:
        if self.value is None and self.description is None:
            yield ("value",), "give the amount, a description, or both"


class Evidence(PPSModel):
    """A document or piece of information the client supplies (`cv:Evidence`)."""

    rdf_class = "cv:Evidence"

    id: Identifier = term("dct:identifier", "identifikators", "Identifier, unique within the service.")
    name: LangText = term("dct:title", "nosaukums", "Name of the document, e.g. 'Būvniecības iesniegums'.")
    description: LangText | None = term("dct:description", "apraksts", "What it must contain, where to get it.", default=None)
    type: ShortText | None = term("dct:type", "veids", "Kind of evidence (code).", default=None)
    languages: list[LanguageCode] = term("dct:language", "valodas", "Languages it is accepted in.", default_factory=list)
    pages: list[Url] = term("foaf:page", "saistītā dokumentācija", "Forms, templates, instructions.", default_factory=list)


class Requirement(PPSModel):
    """A condition the client must meet, with the evidence that proves it (`cv:Requirement`)."""

    rdf_class = "cv:Requirement"

    id: Identifier = term("dct:identifier", "identifikators", "Identifier, unique within the service.")
    name: LangText = term("dct:title", "nosaukums", "The condition, e.g. 'Zemes īpašuma tiesības'.")
    description: LangText | None = term("dct:description", "apraksts", "Details of the condition.", default=None)
    type: ShortText | None = term("dct:type", "veids", "Kind of requirement (code).", default=None)
    evidence: list[Evidence] = term("cv:hasSupportingEvidence", "apliecinājumi", "Evidence that proves it.", default_factory=list, inverse="cv:supportsRequirement")
    rules: list[Identifier] = term("cv:fulfils", "noteikumi", "Rules of this service it comes from.", local_ref="rules", default_factory=list)


class Output(PPSModel):
    """What the service produces (`cv:Output`): a permit, a decision, a payment…"""

    rdf_class = "cv:Output"

    id: Identifier = term("dct:identifier", "identifikators", "Identifier, unique within the service.")
    name: LangText = term("dct:title", "nosaukums", "Name, e.g. 'Būvatļauja'.")
    description: LangText | None = term("dct:description", "apraksts", "What the client receives.", default=None)
    type: OutputType | None = term("dct:type", "veids", "Declaration, physical object, code, financial obligation or benefit, recognition, permit.", default=None)
    languages: list[LanguageCode] = term("dct:language", "valodas", "Languages it is issued in.", default_factory=list)


class Rule(PPSModel):
    """A rule, procedure or guideline the service follows (`cpsv:Rule`)."""

    rdf_class = "cpsv:Rule"

    id: Identifier = term("dct:identifier", "identifikators", "Identifier, unique within the service.")
    name: LangText = term("dct:title", "nosaukums", "Name of the rule.")
    description: LangText = term("dct:description", "apraksts", "What the rule says.")
    type: ShortText | None = term("dct:type", "veids", "Kind of rule (code).", default=None)
    legal_resources: list[Identifier] = term("cpsv:implements", "normatīvie akti", "Legal acts the rule implements.", ref="legal_resources", default_factory=list)
    languages: list[LanguageCode] = term("dct:language", "valodas", "Languages it is available in.", default_factory=list)


class LegalResource(PPSModel):
    """A law or regulation (`eli:LegalResource`), linked on likumi.lv or by its ELI."""

    rdf_class = "eli:LegalResource"

    id: Identifier = term("dct:identifier", "identifikators", "Identifier, unique in the catalogue.")
    title: LangText = term("dct:title", "nosaukums", "Title, e.g. 'Būvniecības likums'.")
    url: Url | None = term("foaf:page", "saite", "Link on likumi.lv.", default=None)
    eli: Url | None = term("eli:id_local", "ELI", "European Legislation Identifier of the act.", default=None)
    related: list[Identifier] = term("dct:relation", "saistītie akti", "Related legal acts.", ref="legal_resources", default_factory=list)

    def broken_rules(self) -> Iterator[RuleProblem]:
        if self.url is None and self.eli is None:
            yield ("url",), "give a likumi.lv link (url) or an ELI (eli)"
        if self.eli is not None and "/eli/" not in self.eli:
            yield ("eli",), f"{self.eli!r} is not an ELI link (it should contain '/eli/')"


class Event(PPSModel):
    """A life or business event that groups services (`cv:Event`)."""

    rdf_class = "cv:Event"

    id: Identifier = term("dct:identifier", "identifikators", "Identifier, unique in the catalogue.")
    name: LangText = term("dct:title", "nosaukums", "Name, e.g. 'Bērna piedzimšana'.")
    description: LangText | None = term("dct:description", "apraksts", "What the event is.", default=None)
    type: Url | None = term("dct:type", "veids", "Concept IRI from the EU life or business event vocabulary.", default=None)


class LifeEvent(Event):
    """A life event (`cv:LifeEvent`): birth, moving house, death of a relative…"""

    rdf_class = "cv:LifeEvent"


class BusinessEvent(Event):
    """A business event (`cv:BusinessEvent`): starting, running, closing a business…"""

    rdf_class = "cv:BusinessEvent"


class ProviderTask(PPSModel):
    """One delivery task a provider performs, front office or back office."""

    rdf_class = "pps:ProviderTask"

    task: DeliveryTask = term("pps:deliveryTask", "uzdevums", "Informing, accepting requests, execution, delivering results, consultations, feedback, recording and control.")
    office: Office = term("pps:office", "front/back office", "Front or back office; when left out, the task's usual office.", lv_doc="Vai sniedzēja uzdevums ir klientu apkalpošana (front-office) vai pakalpojuma nodrošināšana (back-office) [116].")

    @model_validator(mode="before")
    @classmethod
    def _usual_office(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("office") is None and "task" in data:
            try:
                return {**data, "office": DeliveryTask(data["task"]).usual_office}
            except ValueError:
                return data  # the task itself is invalid; let field validation say so
        return data


class Provider(PPSModel):
    """An organisation that delivers some of a service's tasks for the holder (`cv:Participation`)."""

    rdf_class = "cv:Participation"

    organisation: Identifier = term("cv:hasParticipant", "pakalpojuma sniedzējs", "The providing organisation.", ref="organisations", inverse="cv:participates")
    tasks: list[ProviderTask] = term("cv:role", "uzdevumi", "Delivery tasks it performs.", min_length=1, codec=ProviderRoles())
    description: LangText | None = term("dct:description", "apraksts", "Terms of the arrangement.", default=None)
    channels: list[Identifier] = term("pps:throughChannel", "kanāli", "Channels of this service through which it serves.", local_ref="channels", default_factory=list, lv_doc="Pakalpojuma kanāls, caur kuru sniedzējs apkalpo klientus.")

    def broken_rules(self) -> Iterator[RuleProblem]:
        yield from duplicates((t.task for t in self.tasks), ("tasks",), "task", "task")


class PublicService(PPSModel):
    """A public service description (`cpsv:PublicService`)."""

    rdf_class = "cpsv:PublicService"

    id: Identifier = term("dct:identifier", "identifikators", "Identifier, unique in the catalogue.")
    source_id: SourceId | None = term("adms:identifier", "turētāja identifikators", "The holder's own identifier of the service.", default=None, codec=AdmsIdentifier())
    name: LangText = term("dct:title", "nosaukums", "Name of the service.")
    description: LangText = term("dct:description", "apraksts", "What the service gives and to whom.")
    keywords: Keywords = term("dcat:keyword", "atslēgvārdi", "Keywords per language.", default_factory=dict)
    kind: ServiceKind = term("pps:serviceKind", "pakalpojuma veids", "General benefit, administrative, physical, economic or inter-institutional, [86]–[104].", lv_doc="Pakalpojuma veids: vispārējā labuma, administratīvais, fiziskais, saimnieciskais vai starpiestāžu [86]–[104].", codec=FilledIn("kind", ServiceKind.ADMINISTRATIVE.value, "service", "pps:serviceKind"))
    importance: Importance | None = term("pps:importance", "svarīgums", "1 critical, 2 important, 3 medium, 4 minor, [127].", default=None, lv_doc="Pakalpojuma svarīgums: 1 kritisks, 2 svarīgs, 3 vidēji svarīgs, 4 mazsvarīgs [127].")
    maturity: Maturity | None = term("pps:maturity", "briedums", "0 non-existent … 5 optimised, [164].", default=None, lv_doc="Pakalpojuma brieduma līmenis no 0 (neeksistējošs) līdz 5 (optimizēts) [164].")
    function: LangText | None = term("pps:publicFunction", "funkcija", "The public function the service realises.", default=None, lv_doc="Valsts pārvaldes funkcija, ko pakalpojums īsteno.")
    task: LangText | None = term("pps:publicTask", "uzdevums", "The task of that function.", default=None, lv_doc="Funkcijas uzdevums, ko pakalpojums īsteno.")
    policy_outcome: LangText | None = term("pps:policyOutcome", "politikas rezultāts", "The policy outcome it contributes to.", default=None, lv_doc="Politikas rezultāts, kura sasniegšanu pakalpojums veicina.")
    holders: list[Identifier] = term("cv:hasCompetentAuthority", "pakalpojuma turētājs", "Competent organisation(s); at least one.", ref="organisations", min_length=1)
    providers: list[Provider] = term("cv:hasParticipation", "pakalpojuma sniedzēji", "Who delivers which tasks for the holder.", default_factory=list)
    manager: ResponsibleRole | None = term("pps:serviceManager", "pakalpojuma vadītājs", "Role responsible for the service, [122.2].", default=None, lv_doc="Loma, kas atbild par pakalpojumu (pakalpojuma vadītājs) [122.2].")
    channels: list[Identifier] = term("cv:hasChannel", "kanāli", "Channels clients use.", ref="channels", default_factory=list)
    costs: list[Cost] = term("cv:hasCost", "maksa", "Fees and payments.", default_factory=list)
    requirements: list[Requirement] = term("cv:holdsRequirement", "prasības", "Conditions with their evidence.", default_factory=list)
    inputs: list[Evidence] = term("cpsv:hasInput", "iesniedzamie dokumenti", "Evidence the client supplies that no requirement names.", default_factory=list, codec=ServiceInputs())
    outputs: list[Output] = term("cpsv:produces", "rezultāts", "What the client receives.", default_factory=list)
    rules: list[Rule] = term("cpsv:follows", "noteikumi", "Rules and procedures followed.", default_factory=list)
    legal_resources: list[Identifier] = term("cv:hasLegalResource", "normatīvie akti", "Legal basis.", ref="legal_resources", default_factory=list)
    life_events: list[Identifier] = term("cv:isGroupedBy", "dzīves situācijas", "Life events it belongs to.", ref="life_events", default_factory=list)
    business_events: list[Identifier] = term("cv:isGroupedBy", "komercdarbības situācijas", "Business events it belongs to.", ref="business_events", default_factory=list)
    addressees: list[ClientSegment] = term("dct:audience", "klientu segmenti", "Who the service is for.", default_factory=list)
    channel_strategy: ChannelStrategy | None = term("pps:channelStrategy", "kanālu stratēģija", "Planned channel shares per segment, [129.3].", default=None, lv_doc="Pakalpojuma kanālu stratēģija: plānotās kanālu daļas pa klientu segmentiem [129.3].")
    spatial_coverage: list[Territory] = term("dct:spatial", "teritorija", "Where it is offered: LV or ATVK codes.", default_factory=list)
    languages: list[LanguageCode] = term("dct:language", "valodas", "Languages it is offered in.", default_factory=list)
    processing_time: Duration | None = term("cv:processingTime", "izpildes termiņš", "Usual time to deliver, ISO 8601 (P30D).", default=None)
    status: ServiceStatus = term("adms:status", "statuss", "Planned, active, suspended or discontinued.", default=ServiceStatus.ACTIVE, codec=AdmsStatus())
    publishing_state: PublishingState = term("pps:publishingState", "publicēšanas stāvoklis", "Draft, submitted, published, modified or archived.", default=PublishingState.DRAFT, lv_doc="Apraksta stāvoklis katalogā: melnraksts, publicēts, grozīts vai arhivēts.")
    valid_from: Day | None = term("pps:validFrom", "spēkā no", "First day the description applies.", default=None, lv_doc="Pirmā diena, kurā apraksts vai darba laiks ir spēkā.")
    valid_to: Day | None = term("pps:validTo", "spēkā līdz", "Last day the description applies.", default=None, lv_doc="Pēdējā diena, kurā apraksts vai darba laiks ir spēkā.")
    unified_service: Identifier | None = term("pps:instantiates", "unificētais pakalpojums", "Unified service this municipal service is an instance of.", ref="unified_services", default=None, lv_doc="Unificētais pakalpojums, kura pašvaldības instance ir šis pakalpojums.")
    related_services: list[Identifier] = term("cv:relatedService", "saistītie pakalpojumi", "Related services.", ref="services", default_factory=list)
    required_services: list[Identifier] = term("dct:requires", "priekšnoteikuma pakalpojumi", "Services needed first.", ref="services", default_factory=list)
    contact_points: list[ContactPoint] = term("cv:contactPoint", "kontaktpunkti", "Where to ask about the service.", default_factory=list)
    indicators: list[Indicator] = term("pps:hasIndicator", "rādītāji", "Indicators with their passports, [278].", default_factory=list, lv_doc="Pakalpojuma vai kanāla rādītājs ar rādītāja pasi.")

    def transition(self, target: PublishingState | str) -> PublicService:
        """A copy in publishing state `target`; raises TransitionError if the move is not allowed."""
        target = PublishingState(target)
        if not can_transition(self.publishing_state, target):
            allowed = ", ".join(sorted(s.value for s in next_states(self.publishing_state)))
            raise TransitionError(f"service {self.id!r}: cannot go from {self.publishing_state.value} to {target.value} (allowed: {allowed})")
        return self.model_copy(update={"publishing_state": target})

    def broken_rules(self) -> Iterator[RuleProblem]:
        # Independent parts: one that meets an invalid value does not hide the others' problems.
        return guarded(
            lambda: period_problems(self.valid_from, self.valid_to, "valid_to"),
            *(partial(self._duplicate_ids, name) for name in ("costs", "requirements", "outputs", "rules")),
            lambda: _conflicting_evidence(self.requirements),
            # One entry per provider, with all its tasks: CPSV-AP gives each a participation of its own.
            lambda: duplicates((p.organisation for p in self.providers), ("providers",), "organisation", "provider"),
            self._rule_references, self._cost_channels, self._provider_channels, self._self_references,
            self._strategy_segments, self._strategy_channels,
        )

    def _duplicate_ids(self, name: str) -> Iterator[RuleProblem]:
        return duplicates((item.id for item in getattr(self, name)), (name,), "id", "identifier")

    # References that must point inside this service: its own rules, channels and addressees.

    def _rule_references(self) -> Iterator[RuleProblem]:
        rule_ids = {rule.id for rule in self.rules}
        for i, req in enumerate(self.requirements):
            for j, rule in enumerate(req.rules):
                if rule not in rule_ids:
                    yield ("requirements", i, "rules", j), f"no rule {rule!r} in this service"

    def _cost_channels(self) -> Iterator[RuleProblem]:
        channels = set(self.channels)
        for i, cost in enumerate(self.costs):
            if cost.channel is not None and cost.channel not in channels:
                yield ("costs", i, "channel"), f"channel {cost.channel!r} is not one of this service's channels"

    def _provider_channels(self) -> Iterator[RuleProblem]:
        channels = set(self.channels)
        for i, provider in enumerate(self.providers):
            for j, channel in enumerate(provider.channels):
                if channel not in channels:
                    yield ("providers", i, "channels", j), f"channel {channel!r} is not one of this service's channels"

    def _self_references(self) -> Iterator[RuleProblem]:
        for ref in ("related_services", "required_services"):
            for i, other in enumerate(getattr(self, ref)):
                if other == self.id:
                    yield (ref, i), "a service cannot refer to itself"

    def _strategy_segments(self) -> Iterator[RuleProblem]:
        if self.channel_strategy is None:
            return
        segments = set(self.addressees)
        for i, allocation in enumerate(self.channel_strategy.allocations):
            if allocation.segment not in segments:
                yield (("channel_strategy", "allocations", i, "segment"),
                       f"segment {allocation.segment.value!r} is not among the service's addressees")

    def _strategy_channels(self) -> Iterator[RuleProblem]:
        if self.channel_strategy is None:
            return
        channels = set(self.channels)
        for i, allocation in enumerate(self.channel_strategy.allocations):
            for j, share in enumerate(allocation.shares):
                if share.channel not in channels:
                    yield (("channel_strategy", "allocations", i, "shares", j, "channel"),
                           f"channel {share.channel!r} is not one of this service's channels")


def _conflicting_evidence(requirements: list[Requirement]) -> Iterator[RuleProblem]:
    # One document may prove several requirements; it is then repeated, identical, under each.
    seen: dict[str, Evidence] = {}
    for i, requirement in enumerate(requirements):
        for j, evidence in enumerate(requirement.evidence):
            first = seen.setdefault(evidence.id, evidence)
            if first != evidence:
                yield ("requirements", i, "evidence", j, "id"), f"evidence {evidence.id!r} differs from earlier evidence with the same identifier"
