"""Indicator values as RDF in the W3C Data Cube vocabulary, and its integrity constraints.

Each evaluated value is a `qb:Observation` of one `qb:DataSet` whose structure (written with
it) has seven dimensions: the indicator, the period's first and last day, and the breakdown
(channel, client segment, provider, one-stop centre; `pps:all` for the whole); the measure
`pps:value`; and the attributes `pps:unit` (required) and `pps:status`. The indicator,
channel, segment and provider are the same IRIs the catalogue's CPSV-AP RDF gives them
(`pps_sdk.formats.rdf`), so the two documents join.

The well-formedness constraints of the Data Cube Recommendation (section 11) that apply to
such a data set are run as SPARQL queries over the written document: IC-1 to IC-6 and IC-11
to IC-14. The others are about slices, measure-type dimensions and hierarchical code lists,
which the data set does not use.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from rdflib import Graph, Literal

from ..formats.rdf import DEFAULT_BASE
from ..formats.rdf.iris import Iris
from ..model import Catalogue
from ..model.enums import ClientSegment
from ..vocab import NAMESPACES, PPS_VOCABULARY
from .evaluation import EvaluatedValue

PREFIXES = ("rdf", "rdfs", "xsd", "qb", "skos")
# The components of the structure in order: (kind, local name in our vocabulary, range).
COMPONENTS = (
    ("dimension", "indicator", "pps:Indicator"), ("dimension", "periodStart", "xsd:date"),
    ("dimension", "periodEnd", "xsd:date"), ("dimension", "channel", "rdfs:Resource"),
    ("dimension", "segment", "rdfs:Resource"), ("dimension", "provider", "rdfs:Resource"),
    ("dimension", "centre", "rdfs:Resource"), ("measure", "value", "xsd:double"),
    ("attribute", "unit", "xsd:string"), ("attribute", "status", "xsd:string"),
)
_KIND = {"dimension": "qb:DimensionProperty", "measure": "qb:MeasureProperty", "attribute": "qb:AttributeProperty"}


def cube_lines(catalogue: Catalogue, values: Iterable[EvaluatedValue], base: str = DEFAULT_BASE,
               vocabulary: str = PPS_VOCABULARY) -> Iterator[str]:
    """The Turtle text of the data set, a few lines at a time (a large one is never held whole)."""
    iris = Iris(base, vocabulary)
    dataset = f"<{iris.catalogue(catalogue.id)}/indicator-values>"
    yield "".join(f"@prefix {p}: <{NAMESPACES[p]}> .\n" for p in PREFIXES) + f"@prefix pps: <{vocabulary}> .\n\n"
    yield _structure(dataset)
    segments = {s.value: f"<{iris.concept(ClientSegment, s.value)}>" for s in ClientSegment}
    centres: set[str] = set()
    for v in values:
        b = v.breakdown
        key = "/".join(quote(part or "-", safe="") for part in (v.indicator, v.period.start.isoformat(), v.period.end.isoformat(),
                                                                 b.channel, b.segment, b.provider, b.centre))
        centre = "pps:all"
        if b.centre:
            centre = f"<{iris.base}centre/{quote(b.centre, safe='')}>"
            if b.centre not in centres:
                centres.add(b.centre)
                yield f"{centre} rdfs:label {Literal(b.centre).n3()} .\n"
        yield (f"<{dataset[1:-1]}/{key}> a qb:Observation ; qb:dataSet {dataset} ;\n"
               f"  pps:indicator <{iris.member('indicators', quote(v.indicator, safe=''))}> ;\n"
               f"  pps:periodStart \"{v.period.start.isoformat()}\"^^xsd:date ; pps:periodEnd \"{v.period.end.isoformat()}\"^^xsd:date ;\n"
               f"  pps:channel {_member(iris, 'channels', b.channel)} ; pps:segment {segments.get(b.segment or '', 'pps:all')} ;\n"
               f"  pps:provider {_member(iris, 'organisations', b.provider)} ; pps:centre {centre} ;\n"
               f"  pps:value \"{v.value!r}\"^^xsd:double ; pps:unit {Literal(v.unit).n3()} ; pps:status \"{v.status.value}\" .\n")


def _member(iris: Iris, collection: str, id: str | None) -> str:
    return f"<{iris.member(collection, quote(id, safe=''))}>" if id else "pps:all"


def _structure(dataset: str) -> str:
    """The data set, its structure and its component properties (the normalised form of the
    Recommendation: each component names its property with qb:componentProperty too)."""
    lines = [f"{dataset} a qb:DataSet ; qb:structure pps:IndicatorValueStructure ;",
             '  rdfs:label "rādītāju vērtības"@lv, "indicator values"@en .',
             "pps:IndicatorValueStructure a qb:DataStructureDefinition ;",
             '  rdfs:label "rādītāju vērtības"@lv, "indicator values"@en .',
             'pps:all a skos:Concept ; skos:prefLabel "visi"@lv, "all"@en ;',
             '  skos:definition "The whole: the value is not for one part of this dimension."@en .']
    for order, (kind, name, range_) in enumerate(COMPONENTS, start=1):
        required = "" if kind != "attribute" else f" ; qb:componentRequired {'true' if name == 'unit' else 'false'}"
        lines += [f"pps:IndicatorValueStructure qb:component pps:IndicatorValueStructure-{name} .",
                  f"pps:IndicatorValueStructure-{name} a qb:ComponentSpecification ; qb:{kind} pps:{name} ;"
                  f" qb:componentProperty pps:{name} ; qb:order {order}{required} .",
                  f"pps:{name} a {_KIND[kind]}, rdf:Property ; rdfs:range {range_} ."]
    return "\n".join(lines) + "\n\n"


def write_cube(catalogue: Catalogue, values: Iterable[EvaluatedValue], path: str | os.PathLike[str], **iris: str) -> Path:
    """Write the data set as Turtle to `path` (a file written through once; put it in a folder
    written all or nothing, or rename it into place, when a half-written file must not be seen)."""
    target = Path(path)
    with open(target, "w", encoding="utf-8") as out:
        out.writelines(cube_lines(catalogue, values, **iris))
    return target


# -- the integrity constraints -------------------------------------------------------------------

_PREFIXES = "".join(f"PREFIX {p}: <{NAMESPACES[p]}>\n" for p in PREFIXES)


@dataclass(frozen=True)
class Constraint:
    """One integrity constraint: its number and name in the Recommendation, and a SPARQL
    SELECT whose rows (the first column names the node) are the places it is broken."""

    id: str
    name: str
    query: str


CONSTRAINTS = (
    Constraint("IC-1", "Unique data set", """
        SELECT ?obs WHERE { ?obs a qb:Observation .
          OPTIONAL { ?obs qb:dataSet ?set } } GROUP BY ?obs HAVING (COUNT(DISTINCT ?set) != 1)"""),
    Constraint("IC-2", "Unique structure", """
        SELECT ?set WHERE { ?set a qb:DataSet .
          OPTIONAL { ?set qb:structure ?dsd . ?dsd a qb:DataStructureDefinition } } GROUP BY ?set HAVING (COUNT(DISTINCT ?dsd) != 1)"""),
    Constraint("IC-3", "The structure includes a measure", """
        SELECT ?dsd WHERE { ?dsd a qb:DataStructureDefinition .
          FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty ?measure . ?measure a qb:MeasureProperty } }"""),
    Constraint("IC-4", "Dimensions have a range", """
        SELECT ?dim WHERE { ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?dim rdfs:range [] } }"""),
    Constraint("IC-5", "Concept dimensions have code lists", """
        SELECT ?dim WHERE { ?dim a qb:DimensionProperty ; rdfs:range skos:Concept . FILTER NOT EXISTS { ?dim qb:codeList [] } }"""),
    Constraint("IC-6", "Only attributes may be optional", """
        SELECT ?property WHERE { ?dsd qb:component ?spec . ?spec qb:componentRequired false ; qb:componentProperty ?property .
          FILTER NOT EXISTS { ?property a qb:AttributeProperty } }"""),
    Constraint("IC-11", "All dimensions required", """
        SELECT ?obs ?dim WHERE { ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
          ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?obs ?dim [] } }"""),
    Constraint("IC-13", "Required attributes", """
        SELECT ?obs ?attr WHERE { ?obs qb:dataSet/qb:structure/qb:component ?spec .
          ?spec qb:componentRequired true ; qb:componentProperty ?attr . FILTER NOT EXISTS { ?obs ?attr [] } }"""),
    Constraint("IC-14", "All measures present", """
        SELECT ?obs ?measure WHERE { ?obs qb:dataSet/qb:structure ?dsd .
          FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }
          ?dsd qb:component/qb:componentProperty ?measure . ?measure a qb:MeasureProperty .
          FILTER NOT EXISTS { ?obs ?measure [] } }"""),
)
# IC-12 compares every pair of observations of a data set; said as a grouping by the values of
# all its dimensions, which it is when IC-11 holds, it takes time in proportion to the data.
_DIMENSIONS = """SELECT DISTINCT ?set ?dim WHERE { ?set a qb:DataSet ; qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty }"""


def _no_duplicates(dimensions: list[str]) -> Constraint:
    names = [f"?d{n}" for n in range(len(dimensions))]
    patterns = " ".join(f"?obs <{dim}> {name} ." for dim, name in zip(dimensions, names))
    return Constraint("IC-12", "No duplicate observations", f"""
        SELECT (MIN(STR(?obs)) AS ?first) (COUNT(?obs) AS ?count) WHERE {{ ?obs qb:dataSet ?set . {patterns} }}
        GROUP BY ?set {' '.join(names)} HAVING (COUNT(?obs) > 1)""")


def integrity_problems(document: str | os.PathLike[str] | Graph, engine: str | None = None) -> list[str]:
    """The places where the data set breaks an integrity constraint, one line each
    (`IC-12 No duplicate observations: <…> (2 times)`); empty when it is well formed.

    `document` is a Turtle file or an rdflib Graph. The queries run in Oxigraph when it is
    installed (`pyoxigraph`; much faster on large data sets) and in rdflib otherwise, or in
    the `engine` named (`"oxigraph"` or `"rdflib"`)."""
    run = _engine(document, engine)
    constraints = list(CONSTRAINTS)
    dimensions: dict[str, list[str]] = {}
    for row in run(_DIMENSIONS):
        dimensions.setdefault(row[0], []).append(row[1])
    constraints += [_no_duplicates(sorted(dims)) for dims in dimensions.values()]
    problems = []
    for c in constraints:
        for row in run(c.query):
            place = " ".join(f"<{term}>" for term in row[:2] if term and not term.isdigit())
            count = f" ({row[1]} times)" if c.id == "IC-12" else ""
            problems.append(f"{c.id} {c.name}: {place}{count}")
    return problems


def _engine(document: str | os.PathLike[str] | Graph, engine: str | None):  # type: ignore[no-untyped-def]
    """A function that runs a SELECT and gives its rows as tuples of strings."""
    if engine in (None, "oxigraph") and not isinstance(document, Graph):
        try:
            import pyoxigraph
        except ImportError:
            if engine == "oxigraph":
                raise
        else:
            store = pyoxigraph.Store()
            store.bulk_load(path=str(document), format=pyoxigraph.RdfFormat.TURTLE)

            def oxigraph(query: str) -> list[tuple[str, ...]]:
                return [tuple(_text(term) for term in row) for row in store.query(_PREFIXES + query)]
            return oxigraph
    graph = document if isinstance(document, Graph) else Graph().parse(str(document), format="turtle")

    def rdflib(query: str) -> list[tuple[str, ...]]:
        return [tuple("" if term is None else str(term) for term in row) for row in graph.query(_PREFIXES + query)]
    return rdflib


def _text(term) -> str:  # type: ignore[no-untyped-def]
    return "" if term is None else str(getattr(term, "value", term))
