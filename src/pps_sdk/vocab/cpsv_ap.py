"""CPSV-AP 3.2.0 as facts: for each class, its properties with range and cardinality.

Taken from the class tables of the CPSV-AP 3.2.0 specification; where its tables and its quick
reference differ, the cardinality tables are followed. Our SHACL shapes for CPSV-AP
(`schemas/cpsv-ap-3.2.0-shapes.ttl`) are generated from this table.

A range is `text` (rdf:langString), `literal` (any literal), `double`, `duration`, or a class.
Properties whose range is a literal and which may repeat without limit constrain nothing, as
in the specification's own shapes, and are left out.
"""

from __future__ import annotations

N = None  # no upper bound

# class → [(property, range, min, max)]
CLASSES: dict[str, list[tuple[str, str, int, int | None]]] = {
    "cpsv:PublicService": [
        ("dct:description", "text", 1, N), ("cv:hasCompetentAuthority", "cv:PublicOrganisation", 1, N),
        ("dct:identifier", "literal", 1, 1), ("dct:title", "text", 1, N), ("dct:audience", "skos:Concept", 0, N),
        ("cv:contactPoint", "cv:ContactPoint", 0, N), ("cpsv:follows", "cpsv:Rule", 0, N),
        ("dct:type", "skos:Concept", 0, N), ("cv:hasChannel", "cv:Channel", 0, N), ("cv:hasCost", "cv:Cost", 0, N),
        ("cpsv:hasInput", "cv:Evidence", 0, N), ("cv:hasInputType", "cv:EvidenceType", 0, N),
        ("cv:hasLegalResource", "eli:LegalResource", 0, N), ("cv:hasParticipation", "cv:Participation", 0, N),
        ("cv:holdsRequirement", "cv:Requirement", 0, N), ("cv:isClassifiedBy", "skos:Concept", 0, N),
        ("cv:isGroupedBy", "cv:Event", 0, N), ("dct:isPartOf", "dcat:Dataset", 0, N), ("dcat:keyword", "text", 0, N),
        ("dct:language", "dct:LinguisticSystem", 0, N), ("cv:processingTime", "duration", 0, 1),
        ("cpsv:produces", "cv:Output", 0, N), ("cv:relatedService", "cpsv:PublicService", 0, N),
        ("dct:requires", "cpsv:PublicService", 0, N), ("cv:sector", "skos:Concept", 0, N),
        ("dct:spatial", "dct:Location", 0, N), ("adms:status", "skos:Concept", 0, 1),
        ("cv:thematicArea", "skos:Concept", 0, N),
    ],
    "cv:PublicOrganisation": [("skos:prefLabel", "text", 1, N), ("dct:spatial", "dct:Location", 1, N)],
    "cv:Event": [
        ("dct:identifier", "literal", 1, 1), ("dct:title", "text", 1, N), ("dct:description", "text", 0, N),
        ("cv:hasRelatedService", "cpsv:PublicService", 0, N),
    ],
    "cv:BusinessEvent": [("dct:type", "skos:Concept", 0, N)],
    "cv:LifeEvent": [("dct:type", "skos:Concept", 0, N)],
    "cv:Participation": [
        ("dct:description", "text", 1, N), ("cv:hasParticipant", "foaf:Agent", 1, 1),
        ("dct:identifier", "literal", 1, 1), ("cv:role", "skos:Concept", 1, N),
    ],
    "foaf:Agent": [
        ("dct:identifier", "literal", 1, 1), ("dct:title", "text", 1, N), ("locn:address", "locn:Address", 0, N),
        ("cv:participates", "cv:Participation", 0, N),
    ],
    "cv:Channel": [
        ("dct:identifier", "literal", 1, 1), ("cv:specialOpeningHoursSpecification", "time:TemporalEntity", 0, N),
        ("dct:description", "text", 0, N), ("cpsv:hasInput", "cv:Evidence", 0, N),
        ("cv:openingHours", "time:TemporalEntity", 0, N), ("cv:ownedBy", "org:Organization", 0, N),
        ("cv:processingTime", "duration", 0, 1), ("dct:type", "skos:Concept", 0, 1),
    ],
    "cv:ContactPoint": [
        ("cv:specialOpeningHoursSpecification", "time:TemporalEntity", 0, N), ("cv:contactPage", "foaf:Document", 0, N),
        ("cv:openingHours", "time:TemporalEntity", 0, N),
    ],
    "cv:Cost": [
        ("dct:identifier", "literal", 1, 1), ("cv:currency", "skos:Concept", 0, 1), ("dct:description", "text", 0, N),
        ("cv:hasValue", "double", 0, 1), ("cv:ifAccessedThrough", "cv:Channel", 0, 1),
        ("cv:isDefinedBy", "org:Organization", 0, N),
    ],
    "cv:Requirement": [
        ("dct:identifier", "literal", 1, 1), ("dct:title", "text", 1, N), ("cv:fulfils", "cpsv:Rule", 0, N),
        ("cv:hasSupportingEvidence", "cv:Evidence", 0, N), ("dct:type", "skos:Concept", 0, N),
    ],
    "cv:Evidence": [
        ("dct:identifier", "literal", 1, 1), ("dct:title", "text", 1, N), ("dct:description", "text", 0, N),
        ("dct:conformsTo", "cv:EvidenceType", 0, N), ("dct:isPartOf", "dcat:Dataset", 0, N),
        ("dct:language", "dct:LinguisticSystem", 0, N), ("foaf:page", "foaf:Document", 0, N),
        ("cv:supportsRequirement", "cv:Requirement", 0, N), ("dct:type", "skos:Concept", 0, 1),
    ],
    "cv:EvidenceType": [("dct:identifier", "literal", 1, 1), ("cv:evidenceTypeClassification", "skos:Concept", 0, N)],
    "cv:Output": [
        ("dct:identifier", "literal", 1, 1), ("dct:title", "text", 1, N), ("dct:description", "text", 0, N),
        ("dct:isPartOf", "dcat:Dataset", 0, N), ("dct:language", "dct:LinguisticSystem", 0, N),
        ("dct:type", "skos:Concept", 0, N),
    ],
    "cpsv:Rule": [
        ("dct:description", "text", 1, N), ("dct:identifier", "literal", 1, 1), ("dct:title", "text", 1, N),
        ("cpsv:implements", "eli:LegalResource", 0, N), ("dct:language", "dct:LinguisticSystem", 0, N),
        ("dct:type", "skos:Concept", 0, 1),
    ],
    "eli:LegalResource": [("dct:relation", "eli:LegalResource", 0, N)],
    "dcat:Dataset": [
        ("dct:description", "text", 1, N), ("dct:publisher", "foaf:Agent", 1, 1), ("dct:title", "text", 1, N),
        ("dct:hasPart", "cpsv:PublicService", 0, N), ("dcat:landingPage", "foaf:Document", 0, N),
    ],
    "locn:Address": [
        ("locn:addressArea", "text", 0, N), ("locn:adminUnitL1", "text", 0, N), ("locn:adminUnitL2", "text", 0, N),
        ("locn:fullAddress", "text", 0, N), ("locn:locatorName", "text", 0, N), ("locn:postName", "text", 0, N),
        ("locn:thoroughfare", "text", 0, N),
    ],
    "time:TemporalEntity": [("dct:description", "text", 0, N), ("cv:frequency", "skos:Concept", 0, N)],
    "cv:ServiceConcessionContract": [
        ("dct:description", "text", 1, N), ("cv:hasContractingAuthority", "cv:PublicOrganisation", 1, N),
        ("cv:hasEconomicOperator", "org:Organization", 1, N), ("dct:identifier", "literal", 1, 1),
        ("dct:title", "text", 1, N), ("cv:establishedUnder", "eli:LegalResource", 0, N),
    ],
    "skos:Collection": [("skos:member", "skos:Concept", 0, N)],
}

LABELS = {
    "cpsv:PublicService": "Public Service", "cv:PublicOrganisation": "Public Organisation", "cv:Event": "Event",
    "cv:BusinessEvent": "Business Event", "cv:LifeEvent": "Life Event", "cv:Participation": "Participation",
    "foaf:Agent": "Agent", "cv:Channel": "Channel", "cv:ContactPoint": "Contact Point", "cv:Cost": "Cost",
    "cv:Requirement": "Requirement", "cv:Evidence": "Evidence", "cv:EvidenceType": "Evidence Type",
    "cv:Output": "Output", "cpsv:Rule": "Rule", "eli:LegalResource": "Legal Resource", "dcat:Dataset": "Dataset",
    "locn:Address": "Address", "time:TemporalEntity": "Temporal Entity",
    "cv:ServiceConcessionContract": "Service Concession Contract", "skos:Collection": "Collection",
}
