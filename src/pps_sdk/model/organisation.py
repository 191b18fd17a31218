"""Organisations and what describes where and when they can be reached."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time

from .base import PPSModel, RuleProblem, guarded, term
from .codecs import FilledIn, MemberIdentifier, OrganisationName, OwlTimeDays, OwlTimeHours, PlaceOfAction
from .enums import OrganisationKind, Weekday
from .text import LangText
from .types import COUNTRY, ClockTime, Day, Email, Identifier, RegistrationNumber, ShortText, Telephone, Territory, Url


def hours_problems(opens: time, closes: time) -> Iterator[RuleProblem]:
    """The rule shared by opening hours: local times, closing after opening."""
    if (opens.tzinfo is None) != (closes.tzinfo is None):
        # A time with a zone (or a number, read as seconds in UTC) cannot be set against a local one.
        yield ("closes",), "give opening and closing time alike, as local times such as 09:00 and 17:00"
    elif closes <= opens:
        yield ("closes",), f"closing time {closes.isoformat()} is not after opening time {opens.isoformat()}"


def period_problems(start: date | None, end: date | None, end_field: str) -> Iterator[RuleProblem]:
    """The rule shared by every validity period: it may not end before it starts."""
    if start is not None and end is not None and end < start:
        yield (end_field,), f"{end.isoformat()} is before the start {start.isoformat()}"


class Address(PPSModel):
    """A postal address (`locn:Address`)."""

    rdf_class = "locn:Address"

    full_address: LangText | None = term("locn:fullAddress", "pilna adrese", "The whole address as one line.", default=None)
    thoroughfare: LangText | None = term("locn:thoroughfare", "iela", "Street name.", default=None)
    locator_designator: ShortText | None = term("locn:locatorDesignator", "mājas numurs", "House number, building, flat.", default=None)
    post_code: ShortText | None = term("locn:postCode", "pasta indekss", "Postal code, e.g. LV-3101.", default=None)
    post_name: LangText | None = term("locn:postName", "pilsēta / pasta nodaļa", "Town or post office name.", default=None)
    address_area: LangText | None = term("locn:addressArea", "ciems / pagasts", "Village, parish or district.", default=None)
    admin_unit: LangText | None = term("locn:adminUnitL2", "novads / valstspilsēta", "Municipality.", default=None)
    country: LangText | None = term("locn:adminUnitL1", "valsts", "Country.", default=None)
    address_id: ShortText | None = term("locn:addressId", "adreses kods", "Code in the national address register (VZD).", default=None)

    def broken_rules(self) -> Iterator[RuleProblem]:
        if self.full_address is None and self.thoroughfare is None and self.address_id is None:
            yield (), "give at least full_address, thoroughfare or address_id"


# One codec each for the fields that make up one OWL-Time form together.
_WEEKLY_HOURS = OwlTimeHours()
_DAYS = OwlTimeDays()


class OpeningHours(PPSModel):
    """Regular hours: on these days, from `opens` to `closes`, while valid, except on some dates."""

    rdf_class = "time:TemporalEntity"

    days: list[Weekday] = term("time:dayOfWeek", "dienas", "Weekdays these hours apply to.", min_length=1, max_length=7, codec=_WEEKLY_HOURS)
    opens: ClockTime = term("time:hasBeginning", "atvērts no", "Opening time (local time).", codec=_WEEKLY_HOURS)
    closes: ClockTime = term("time:hasEnd", "atvērts līdz", "Closing time (local time); after `opens`.", codec=_WEEKLY_HOURS)
    valid_from: Day | None = term("pps:validFrom", "spēkā no", "First day these hours apply.", default=None)
    valid_to: Day | None = term("pps:validTo", "spēkā līdz", "Last day these hours apply.", default=None)
    exceptions: list[Day] = term("pps:exceptDate", "izņēmuma datumi", "Dates on which these hours do not apply (e.g. public holidays).", default_factory=list, lv_doc="Datums, kurā parastais darba laiks nav spēkā (piemēram, svētku diena).")
    description: LangText | None = term("dct:description", "apraksts", "The hours in words.", default=None)

    def broken_rules(self) -> Iterator[RuleProblem]:
        return guarded(lambda: hours_problems(self.opens, self.closes),
                       lambda: period_problems(self.valid_from, self.valid_to, "valid_to"))


class SpecialHours(PPSModel):
    """Hours that differ from the regular ones between two dates; no times means closed."""

    rdf_class = "time:TemporalEntity"

    start: Day = term("time:hasBeginning", "no", "First day.", codec=_DAYS)
    end: Day = term("time:hasEnd", "līdz", "Last day (may equal `start`).", codec=_DAYS)
    opens: ClockTime | None = term("pps:opens", "atvērts no", "Opening time on those days; empty when closed.", default=None, lv_doc="Atvēršanas laiks īpašā darba laika dienās.")
    closes: ClockTime | None = term("pps:closes", "atvērts līdz", "Closing time on those days; empty when closed.", default=None, lv_doc="Slēgšanas laiks īpašā darba laika dienās.")
    description: LangText | None = term("dct:description", "apraksts", "Why the hours differ.", default=None)

    def broken_rules(self) -> Iterator[RuleProblem]:
        yield from period_problems(self.start, self.end, "end")
        if (self.opens is None) != (self.closes is None):
            yield ("closes" if self.closes is None else "opens",), "give both opening and closing time, or neither (closed)"
        elif self.opens is not None and self.closes is not None:
            yield from hours_problems(self.opens, self.closes)


class ContactPoint(PPSModel):
    """How to reach someone (`cv:ContactPoint`)."""

    rdf_class = "cv:ContactPoint"

    emails: list[Email] = term("cv:email", "e-pasts", "E-mail addresses.", default_factory=list)
    telephones: list[Telephone] = term("cv:telephone", "tālrunis", "Telephone numbers.", default_factory=list)
    pages: list[Url] = term("cv:contactPage", "kontaktu lapa", "Web pages with contact details.", default_factory=list)
    opening_hours: list[OpeningHours] = term("cv:openingHours", "darba laiks", "When it can be reached.", default_factory=list)
    special_hours: list[SpecialHours] = term("cv:specialOpeningHoursSpecification", "īpašais darba laiks", "Days with other hours.", default_factory=list)

    def broken_rules(self) -> Iterator[RuleProblem]:
        if not (self.emails or self.telephones or self.pages):
            yield (), "give at least one e-mail, telephone or contact page"


class ResponsibleRole(PPSModel):
    """A role responsible for something (the service manager, who measures an indicator…).

    The role is what counts; the person holding it may be left out.
    """

    rdf_class = "pps:ResponsibleRole"
    label_lv = "atbildīgā loma"
    definition_lv = "Amats vai loma, kas atbild par pakalpojumu vai rādītāju; persona var nebūt norādīta."

    role: LangText = term("pps:role", "amats / loma", "The role, e.g. 'Būvvaldes vadītājs'.", lv_doc="Amata vai lomas nosaukums.")
    organisation: Identifier | None = term("pps:organisation", "iestāde", "Identifier of the organisation the role belongs to.", ref="organisations", default=None, lv_doc="Iestāde, kurai pieder loma.")
    person: ShortText | None = term("foaf:name", "persona", "Name of the person in the role, if published.", default=None)
    contact: ContactPoint | None = term("cv:contactPoint", "kontakti", "How to reach the role.", default=None)


class Organisation(PPSModel):
    """An institution, municipality or delegated private person (`cv:PublicOrganisation`).

    `territory` is where it acts: the whole country (`LV`, the default) or one municipality,
    by its ATVK code. A municipality and its institutions act in their own municipality, so
    they must give its code; the country is never assumed for them.
    """

    rdf_class = "cv:PublicOrganisation"

    id: Identifier = term("dct:identifier", "identifikators", "Identifier, unique in the catalogue.", codec=MemberIdentifier("organisations"))
    name: LangText = term("skos:prefLabel", "nosaukums", "Official name.", codec=OrganisationName())
    kind: OrganisationKind = term("pps:organisationKind", "veids", "State institution, municipality, municipal institution, private person with a delegated task, or other.", lv_doc="Iestādes veids: valsts iestāde, pašvaldība, pašvaldības iestāde, privātpersona ar deleģētu pārvaldes uzdevumu vai cita.", codec=FilledIn("kind", OrganisationKind.OTHER.value, "organisation", "pps:organisationKind"))
    territory: Territory = term("dct:spatial", "teritoriālā darbība", "Where it acts: LV (whole country, the default) or a municipality's ATVK code, which a municipality and its institutions must give.", default=COUNTRY, codec=PlaceOfAction())
    registration_number: RegistrationNumber | None = term("pps:registrationNumber", "reģistrācijas numurs", "11-digit registration number.", default=None, lv_doc="Iestādes 11 ciparu reģistrācijas numurs.")
    address: Address | None = term("locn:address", "adrese", "Postal address.", default=None)
    contact_points: list[ContactPoint] = term("cv:contactPoint", "kontaktpunkti", "Ways to reach it.", default_factory=list)
    home_page: Url | None = term("foaf:homepage", "tīmekļvietne", "Home page.", default=None)

    def broken_rules(self) -> Iterator[RuleProblem]:
        if self.kind in MUNICIPAL_KINDS and self.territory == COUNTRY:
            yield ("territory",), (f"a {self.kind.value.replace('_', ' ')} acts in its own municipality, not the "
                                   "whole country: give the municipality's 7-digit ATVK code as territory")


MUNICIPAL_KINDS = frozenset({OrganisationKind.MUNICIPALITY, OrganisationKind.MUNICIPAL_INSTITUTION})
"""Kinds of organisation whose territory is one municipality, never the whole country."""
