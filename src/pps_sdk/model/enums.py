"""Closed code lists of the domain, each value with its Latvian label (for docs and reports)."""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

from .types import whole_number_as_given


class Code(StrEnum):
    """A code whose members carry a Latvian label: `Member = ("value", "latviešu nosaukums")`."""

    lv: str

    def __new__(cls, value: str, lv: str = "") -> Code:
        member = str.__new__(cls, value)
        member._value_ = value
        member.lv = lv
        return member


class ServiceKind(Code):
    """Kinds of service of the concept, section 4.1: three kinds of administrative-domain
    service, economic services, and inter-institutional services (not public services)."""

    GENERAL_BENEFIT = ("general_benefit", "vispārējā labuma pakalpojums")
    ADMINISTRATIVE = ("administrative", "administratīvais pakalpojums")
    PHYSICAL = ("physical", "fiziskais pakalpojums")
    ECONOMIC = ("economic", "saimnieciskais pakalpojums")
    INTER_INSTITUTIONAL = ("inter_institutional", "starpiestāžu pakalpojums")

    @property
    def is_public_service(self) -> bool:
        """Inter-institutional services are not public services (concept [102])."""
        return self is not ServiceKind.INTER_INSTITUTIONAL


class Scale(IntEnum):
    """A numbered scale. Its levels are given as whole numbers: `2` or `Importance.IMPORTANT`,
    never `"2"` or `true`, which lax parsing would otherwise take for 2 and 1."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(whole_number_as_given, handler(source))


class Importance(Scale):
    """Service importance, concept [127.1]: 1 critical … 4 minor."""

    CRITICAL = 1
    IMPORTANT = 2
    MEDIUM = 3
    MINOR = 4


class Maturity(Scale):
    """Service maturity level, concept [164], table 10: 0 non-existent … 5 optimised."""

    NON_EXISTENT = 0
    INITIAL = 1
    REPEATABLE = 2
    DEFINED = 3
    MANAGED = 4
    OPTIMISED = 5


IMPORTANCE_LV = {1: "kritisks", 2: "svarīgs", 3: "vidēji svarīgs", 4: "mazsvarīgs"}
MATURITY_LV = {0: "neeksistējošs", 1: "sākotnējais", 2: "atkārtojams", 3: "definēts", 4: "vadīts", 5: "optimizēts"}


class ServiceStatus(Code):
    """Whether the service itself is offered (adms:status); not the state of its description."""

    PLANNED = ("planned", "plānots")
    ACTIVE = ("active", "tiek sniegts")
    SUSPENDED = ("suspended", "apturēts")
    DISCONTINUED = ("discontinued", "izbeigts")


class PublishingState(Code):
    """State of a service description in the catalogue. See `can_transition` for the legal moves."""

    DRAFT = ("draft", "melnraksts")
    SUBMITTED = ("submitted", "iesniegts")
    PUBLISHED = ("published", "publicēts")
    MODIFIED = ("modified", "grozīts (nepublicēts)")
    ARCHIVED = ("archived", "arhivēts")


_TRANSITIONS = {
    PublishingState.DRAFT: {PublishingState.SUBMITTED, PublishingState.ARCHIVED},
    # A maintainer publishes a submitted description or returns it to draft; an edit also
    # takes it back to draft, since what was checked is no longer what would be published.
    PublishingState.SUBMITTED: {PublishingState.PUBLISHED, PublishingState.DRAFT, PublishingState.ARCHIVED},
    PublishingState.PUBLISHED: {PublishingState.MODIFIED, PublishingState.ARCHIVED},
    PublishingState.MODIFIED: {PublishingState.SUBMITTED, PublishingState.ARCHIVED},
    # An archived description is reopened as a new draft, never republished as it was.
    PublishingState.ARCHIVED: {PublishingState.DRAFT},
}


def can_transition(current: PublishingState, target: PublishingState) -> bool:
    """True when a description may move from `current` to `target`.

    draft → submitted | archived; submitted → published | draft | archived;
    published → modified | archived; modified → submitted | archived; archived → draft.
    """
    return PublishingState(target) in _TRANSITIONS[PublishingState(current)]


def next_states(current: PublishingState) -> set[PublishingState]:
    """The states a description in `current` may move to."""
    return set(_TRANSITIONS[PublishingState(current)])


class OrganisationKind(Code):
    STATE_INSTITUTION = ("state_institution", "valsts iestāde")
    MUNICIPALITY = ("municipality", "pašvaldība")
    MUNICIPAL_INSTITUTION = ("municipal_institution", "pašvaldības iestāde")
    DELEGATED_PRIVATE = ("delegated_private", "privātpersona ar deleģētu pārvaldes uzdevumu")
    OTHER = ("other", "cita")


class ChannelType(Code):
    """Ways a service reaches clients (concept [129.2])."""

    IN_PERSON = ("in_person", "klātiene pie pakalpojuma turētāja")
    VPVKAC = ("vpvkac", "valsts un pašvaldību vienotais klientu apkalpošanas centrs")
    PHONE = ("phone", "telefons")
    EMAIL = ("email", "e-pasts")
    POST = ("post", "pasts")
    WEBSITE = ("website", "iestādes tīmekļvietne")
    PORTAL_ESERVICE = ("portal_eservice", "e-pakalpojums portālā latvija.lv")
    E_ADDRESS = ("e_address", "oficiālā elektroniskā adrese")
    MOBILE_APP = ("mobile_app", "mobilā lietotne")
    VIDEO = ("video", "video konsultācija")
    OTHER = ("other", "cits")

    @property
    def is_electronic(self) -> bool:
        """Whether the channel is remote and digital (used for the share of e-channel requests)."""
        return self in _ELECTRONIC


_ELECTRONIC = {ChannelType.EMAIL, ChannelType.WEBSITE, ChannelType.PORTAL_ESERVICE,
               ChannelType.E_ADDRESS, ChannelType.MOBILE_APP, ChannelType.VIDEO}


class Office(Code):
    """Client-facing work (front office) or the work that produces the result (back office), [116]."""

    FRONT = ("front", "klientu apkalpošana (front-office)")
    BACK = ("back", "pakalpojuma nodrošināšana (back-office)")


class DeliveryTask(Code):
    """Service delivery tasks of concept [114]; each has its usual office (figure 6)."""

    INFORMING = ("informing", "informēšana par pakalpojumu")
    ACCEPTING_REQUESTS = ("accepting_requests", "pakalpojuma pieprasīšana")
    EXECUTION = ("execution", "pakalpojuma izpilde")
    DELIVERING_RESULTS = ("delivering_results", "pakalpojuma rezultātu piegāde")
    SPECIALIST_CONSULTATIONS = ("specialist_consultations", "speciālistu konsultācijas")
    HANDLING_FEEDBACK = ("handling_feedback", "klientu atsauksmju izskatīšana")
    RECORDING_AND_CONTROL = ("recording_and_control", "uzskaite un izpildes kontrole")

    @property
    def usual_office(self) -> Office:
        """Front office for informing, requests and delivering results; back office otherwise."""
        front = {DeliveryTask.INFORMING, DeliveryTask.ACCEPTING_REQUESTS, DeliveryTask.DELIVERING_RESULTS}
        return Office.FRONT if self in front else Office.BACK


class ClientSegment(Code):
    """Client segments of concept [129.1], used as addressees and in the channel strategy."""

    RESIDENTS = ("residents", "iedzīvotāji")
    ENTREPRENEURS = ("entrepreneurs", "uzņēmēji")
    LEGAL_ENTITIES = ("legal_entities", "juridiskas personas")
    SENIORS = ("seniors", "gados vecāki iedzīvotāji")
    PERSONS_WITH_DISABILITIES = ("persons_with_disabilities", "personas ar invaliditāti")
    YOUTH = ("youth", "jaunieši")
    FAMILIES_WITH_CHILDREN = ("families_with_children", "ģimenes ar bērniem")
    UNEMPLOYED = ("unemployed", "bezdarbnieki")
    FOREIGNERS = ("foreigners", "ārzemnieki")
    PROPERTY_OWNERS = ("property_owners", "nekustamā īpašuma īpašnieki")
    NGOS = ("ngos", "nevalstiskās organizācijas")
    INSTITUTIONS = ("institutions", "publiskas iestādes")


class Weekday(Code):
    MONDAY = ("monday", "pirmdiena")
    TUESDAY = ("tuesday", "otrdiena")
    WEDNESDAY = ("wednesday", "trešdiena")
    THURSDAY = ("thursday", "ceturtdiena")
    FRIDAY = ("friday", "piektdiena")
    SATURDAY = ("saturday", "sestdiena")
    SUNDAY = ("sunday", "svētdiena")


class OutputType(Code):
    """Output types named by CPSV-AP 3.2.0 for `cv:Output` `dct:type`."""

    DECLARATION = ("declaration", "deklarācija")
    PHYSICAL_OBJECT = ("physical_object", "fizisks objekts")
    CODE = ("code", "kods")
    FINANCIAL_OBLIGATION = ("financial_obligation", "finanšu saistības")
    FINANCIAL_BENEFIT = ("financial_benefit", "finansiāls labums")
    RECOGNITION = ("recognition", "atzīšana")
    PERMIT = ("permit", "atļauja")


class IndicatorKind(Code):
    """Kinds of indicator, concept [277]: result indicators and process indicators."""

    VOLUME = ("volume", "apjoma rādītājs")
    COST = ("cost", "izmaksu rādītājs")
    QUALITY = ("quality", "kvalitātes rādītājs")
    ACCESSIBILITY = ("accessibility", "pieejamības rādītājs")
    STEP_CHARACTERISTICS = ("step_characteristics", "soļa raksturlielumi")
    FLOW_CONFORMANCE = ("flow_conformance", "procesa plūduma atbilstība")
    STEP_PARAMETER_CONFORMANCE = ("step_parameter_conformance", "soļa atbilstība parametriem")
    STAFF_SATISFACTION = ("staff_satisfaction", "darbinieku apmierinātība")
    OTHER_PROCESS = ("other_process", "cits procesa rādītājs")

    @property
    def is_result(self) -> bool:
        """Result (service) indicator, as opposed to a process (delivery) indicator."""
        return self in (IndicatorKind.VOLUME, IndicatorKind.COST, IndicatorKind.QUALITY, IndicatorKind.ACCESSIBILITY)


class IndicatorScope(Code):
    EXTERNAL = ("external", "ārējais")
    INTERNAL = ("internal", "iekšējais")


class Frequency(Code):
    CONTINUOUS = ("continuous", "nepārtraukti")
    DAILY = ("daily", "katru dienu")
    WEEKLY = ("weekly", "katru nedēļu")
    MONTHLY = ("monthly", "katru mēnesi")
    QUARTERLY = ("quarterly", "katru ceturksni")
    HALF_YEARLY = ("half_yearly", "reizi pusgadā")
    YEARLY = ("yearly", "reizi gadā")


class DataSource(Code):
    """How indicator data is obtained, concept [278.9]."""

    ACCOUNTING = ("accounting", "uzskaite")
    EXECUTION_CONTROL = ("execution_control", "pakalpojuma izpildes kontrole")
    MONITORING = ("monitoring", "monitorings")
    SURVEY = ("survey", "aptaujas")
    AUDIT = ("audit", "auditi")


class TargetKind(Code):
    """How a target is expressed, concept [278.10]."""

    MINIMUM = ("minimum", "minimālā vērtība")
    MAXIMUM = ("maximum", "maksimālā vērtība")
    RANGE = ("range", "vērtību robežas")
    ZONES = ("zones", "zonas")
    SCALE = ("scale", "novērtējuma skala")


class ZoneLevel(Code):
    GOOD = ("good", "zaļā zona")
    WARNING = ("warning", "dzeltenā zona")
    CRITICAL = ("critical", "sarkanā zona")
