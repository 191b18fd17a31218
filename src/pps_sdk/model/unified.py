"""Unified municipal services: the national template that municipal services instantiate."""

from __future__ import annotations

from typing import Any

from .base import PPSModel, term
from .enums import ServiceKind
from .service import PublicService
from .text import Keywords, LangText
from .types import Identifier


class UnifiedService(PPSModel):
    """One entry of the unified municipal service list (concept [301.4]).

    Name, description and general process are national. Each municipality's own
    `PublicService` points here with `unified_service` and keeps its local details
    (holder, channels, costs, area…); `Catalogue.instances()` lists them.
    """

    rdf_class = "pps:UnifiedService"
    label_lv = "unificētais pakalpojums"
    definition_lv = "Vienotā pašvaldību pakalpojumu saraksta ieraksts: valstī vienots nosaukums, apraksts un process, uz ko norāda katras pašvaldības pakalpojums [301.4]."

    id: Identifier = term("dct:identifier", "identifikators", "Stable identifier of the unified service.")
    name: LangText = term("dct:title", "nosaukums", "National canonical name.")
    description: LangText = term("dct:description", "apraksts", "National description.")
    process: LangText | None = term("pps:generalProcess", "vispārējais process", "General process, the same in every municipality.", default=None, lv_doc="Vispārējais process, visās pašvaldībās vienāds.")
    kind: ServiceKind | None = term("pps:serviceKind", "pakalpojuma veids", "Kind of service, as for a public service.", default=None)
    keywords: Keywords = term("dcat:keyword", "atslēgvārdi", "Keywords per language.", default_factory=dict)
    legal_resources: list[Identifier] = term("cv:hasLegalResource", "normatīvie akti", "National legal basis.", ref="legal_resources", default_factory=list)

    def instantiate(self, id: str, holders: list[str], **local: Any) -> PublicService:
        """A municipal instance of this service: the national name, description, kind and legal
        basis, overridden by whatever `local` gives (channels, costs, spatial_coverage…)."""
        national: dict[str, Any] = {
            "name": self.name,
            "description": self.description,
            "kind": self.kind or ServiceKind.ADMINISTRATIVE,
            "keywords": self.keywords,
            "legal_resources": list(self.legal_resources),
        }
        return PublicService(**{**national, **local, "id": id, "holders": holders, "unified_service": self.id})
