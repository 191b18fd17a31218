"""Build a catalogue in Python with the SDK's classes, validate it and write it out.

    python examples/build_catalogue.py [output.json]

The service: Liepāja's municipal allowance at the birth of a child. The municipality is the
holder; its social service accepts applications in person and on latvija.lv. Contact details
are illustrative.
"""

from __future__ import annotations

import sys
from datetime import date

from pps_sdk import (Catalogue, Channel, ChannelType, ContactPoint, Cost, Indicator, LangText, LegalResource,
                     Measurement, OpeningHours, Organisation, Provider, ProviderTask, PublicService, ResponsibleRole,
                     dump)
from pps_sdk.validation import validate

MUNICIPALITY = Organisation(
    id="org-liepaja", kind="municipality", territory="0017000",
    name=LangText({"lv": "Liepājas valstspilsētas pašvaldība", "en": "Liepāja City Municipality"}),
    home_page="https://www.liepaja.lv/",
)
SOCIAL_SERVICE = Organisation(
    id="org-liepaja-soc", kind="municipal_institution", territory="0017000",
    name=LangText({"lv": "Liepājas valstspilsētas pašvaldības iestāde \"Sociālais dienests\""}),
    contact_points=[ContactPoint(emails=["socialais.dienests@liepaja.lv"])],
)
WORKDAYS = ["monday", "tuesday", "wednesday", "thursday"]
IN_PERSON = Channel(
    id="ch-liepaja-soc-klatiene", type=ChannelType.IN_PERSON, owner="org-liepaja-soc",
    name=LangText({"lv": "Klātienē Sociālajā dienestā"}),
    opening_hours=[OpeningHours(days=WORKDAYS, opens="08:00", closes="17:00"),
                   OpeningHours(days=["friday"], opens="08:00", closes="14:00")],
)
E_SERVICE = Channel(id="ch-latvija-lv-e-pakalpojums", type=ChannelType.PORTAL_ESERVICE,
                    name=LangText({"lv": "E-pakalpojums portālā latvija.lv"}), url="https://www.latvija.lv/")
LAW = LegalResource(id="lr-pasvaldibu-likums", title=LangText({"lv": "Pašvaldību likums"}),
                    url="https://likumi.lv/ta/id/336956-pasvaldibu-likums")

APPLICATIONS = Indicator(
    id="ind-piedzimsana-iesniegumi", kind="volume", scope="external", unit="iesniegumi",
    name=LangText({"lv": "Pieņemto iesniegumu skaits ceturksnī"}), goal=LangText({"lv": "Plānot pabalstu budžetu"}),
    measuring_frequency="quarterly", reporting_frequency="yearly", start=date(2026, 1, 1), data_source="accounting",
    measured_by=ResponsibleRole(role=LangText({"lv": "Sociālās palīdzības nodaļa"}), organisation="org-liepaja-soc"),
    analysed_by=ResponsibleRole(role=LangText({"lv": "Sociālo lietu komiteja"}), organisation="org-liepaja"),
)

SERVICE = PublicService(
    id="ps-liepaja-piedzimsanas-pabalsts", source_id="LSD-12", kind="general_benefit", importance=3, maturity=2,
    name=LangText({"lv": "Pabalsts bērna piedzimšanas gadījumā", "en": "Allowance at the birth of a child"}),
    description=LangText({"lv": "Vienreizējs pašvaldības pabalsts vecākiem, kuru bērns deklarēts Liepājā."}),
    holders=["org-liepaja"],
    providers=[Provider(organisation="org-liepaja-soc",
                        tasks=[ProviderTask(task="accepting_requests", office="front"),
                               ProviderTask(task="execution", office="back")])],
    manager=ResponsibleRole(role=LangText({"lv": "Sociālās palīdzības nodaļas vadītājs"}), organisation="org-liepaja-soc",
                            contact=ContactPoint(emails=["socialais.dienests@liepaja.lv"])),
    channels=[E_SERVICE.id, IN_PERSON.id],
    costs=[Cost(id="cost-bez-maksas", value=0, currency="EUR", description=LangText({"lv": "Bez maksas"}))],
    legal_resources=[LAW.id], addressees=["residents"], spatial_coverage=["0017000"], languages=["lv"],
    processing_time="P10D", publishing_state="published", valid_from=date(2026, 1, 1), indicators=[APPLICATIONS],
)


def build() -> Catalogue:
    return Catalogue(
        id="ppk-liepaja", publisher="org-liepaja",
        title=LangText({"lv": "Liepājas pašvaldības pakalpojumi"}),
        description=LangText({"lv": "Piemērs: katalogs, kas izveidots ar pps_sdk klasēm."}),
        organisations=[MUNICIPALITY, SOCIAL_SERVICE], channels=[IN_PERSON, E_SERVICE], legal_resources=[LAW],
        services=[SERVICE],
        measurements=[Measurement(indicator=APPLICATIONS.id, start=date(2026, 1, 1), end=date(2026, 3, 31), value=61)],
    )


def main(target: str) -> None:
    catalogue = build()
    report = validate(catalogue)
    print(report.summary())
    for finding in report.findings:
        print(" ", finding)
    dump(catalogue, target)
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "liepaja-catalogue.json")
