"""Code lists and the IRIs they map to: namespaces, languages, frequencies, channel types.

Only facts live here (names, codes, IRIs); no I/O.
"""

from __future__ import annotations

# Namespaces (CPSV-AP 3.2.0 prefix table) and our extension vocabulary.
NAMESPACES = {
    "adms": "http://www.w3.org/ns/adms#",
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "locn": "http://www.w3.org/ns/locn#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "qb": "http://purl.org/linked-data/cube#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    # Our extension vocabulary for what CPSV-AP has no term for (holder/provider tasks,
    # indicators, importance, maturity, unified services…).
    "pps": "https://w3id.org/pps-lv/vocab#",
}


def expand(curie: str) -> str:
    """`dct:title` → `http://purl.org/dc/terms/title`; raises KeyError for an unknown prefix."""
    prefix, _, local = curie.partition(":")
    return NAMESPACES[prefix] + local


PPS_VOCABULARY = NAMESPACES["pps"]
"""Default namespace of our extension vocabulary (`schemas/pps-vocabulary.ttl`)."""

def compact(iri: str) -> str:
    """`http://purl.org/dc/terms/title` → `dct:title`; an IRI in no known namespace as `<iri>`."""
    for prefix, namespace in NAMESPACES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
COUNTRY_LV = f"{EU_AUTHORITY}country/LVA"
"""Latvia in the EU country authority table: the place of everything national (`LV`)."""

ATVK = "https://w3id.org/pps-lv/atvk/"
"""Namespace of municipalities by their ATVK code. The classification has no published IRIs
yet; ours are `…/atvk/0001000` and are typed `dct:Location`."""

# Places that mean "Latvia" in data from elsewhere (the ATU table lists countries too).
LATVIA_IRIS = (COUNTRY_LV, f"{EU_AUTHORITY}atu/LVA")


def territory_iri(code: str) -> str:
    """The IRI of a territory: Latvia for `LV`, else the municipality with that ATVK code."""
    return COUNTRY_LV if code == "LV" else ATVK + code

# ISO 639-1 code → code in the EU Publications Office language authority table.
LANGUAGES = {
    "bg": "BUL", "cs": "CES", "da": "DAN", "de": "DEU", "el": "ELL", "en": "ENG", "es": "SPA",
    "et": "EST", "fi": "FIN", "fr": "FRA", "ga": "GLE", "hr": "HRV", "hu": "HUN", "it": "ITA",
    "lt": "LIT", "lv": "LAV", "mt": "MLT", "nl": "NLD", "pl": "POL", "pt": "POR", "ro": "RON",
    "sk": "SLK", "sl": "SLV", "sv": "SWE", "ru": "RUS", "uk": "UKR", "be": "BEL", "no": "NOR",
}


def language_iri(code: str) -> str:
    """The EU language authority IRI of an ISO 639-1 code (`lv` → …/language/LAV)."""
    return f"{EU_AUTHORITY}language/{LANGUAGES[code]}"


# Frequency code (ours) → EU frequency authority table code.
FREQUENCIES = {
    "continuous": "CONT",
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "half_yearly": "ANNUAL_2",
    "yearly": "ANNUAL",
}


def frequency_iri(code: str) -> str:
    """The EU frequency authority IRI for one of our frequency codes."""
    return f"{EU_AUTHORITY}frequency/{FREQUENCIES[code]}"


def currency_iri(code: str) -> str:
    """The EU currency authority IRI of an ISO 4217 code (`EUR` → …/currency/EUR)."""
    return f"{EU_AUTHORITY}currency/{code}"


EUROPASS_CHANNEL_SCHEME = "http://data.europa.eu/snb/com-channel/25831c2"
