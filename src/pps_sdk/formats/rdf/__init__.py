"""CPSV-AP 3.2.0 RDF: models ↔ rdflib graphs ↔ Turtle, N-Triples, JSON-LD and RDF/XML.

    graph = to_graph(catalogue)                  # an rdflib.Graph
    dump(catalogue, "catalogue.ttl")            # or .nt, .jsonld, .rdf
    catalogue = load("catalogue.ttl")            # any CPSV-AP 3.2.0 data
    result = read_graph(graph)                   # the model, the repairs, the leftovers

What CPSV-AP has no term for travels in our extension vocabulary
(`schemas/pps-vocabulary.ttl`, namespace `https://w3id.org/pps-lv/vocab#`). See docs/rdf.md.
"""

from __future__ import annotations

import io
import os
import warnings
from typing import IO, Any

from rdflib import Graph
from rdflib.namespace import RDF

from ...errors import FormatError, ModelError, PPSError
from ...model import Catalogue, PPSModel, PublicService
from ...vocab import PPS_VOCABULARY
from ...wording import counted
from .. import register_format
from . import fast_write
from .fast_read import parse_index
from .index import TripleIndex
from .iris import DEFAULT_BASE, Iris
from .legacy import downgrade, is_2_2_1, upgrade
from .order import canonical, canonical_data
from .reader import GraphReader, ReadResult
from .syntax import SYNTAXES, bind_prefixes, parse, refuse_ill_typed, serialize
from .writer import CPSV, GraphWriter, write_model

MAX_LEFTOVERS_SHOWN = 10


class RdfRepairWarning(UserWarning):
    """Reading RDF had to fill in or change something to make valid models."""


class RdfLossWarning(UserWarning):
    """Reading RDF met triples the models have no place for (they are in `ReadResult.leftovers`)."""


def to_graph(obj: PPSModel, base: str = DEFAULT_BASE, vocabulary: str = PPS_VOCABULARY) -> Graph:
    """`obj` (a Catalogue or a PublicService) as CPSV-AP 3.2.0 RDF.

    IRIs are made from identifiers under `base`; our extension terms are in `vocabulary`.
    A lone service's organisations and channels appear only as IRIs: write the catalogue to
    describe them too.
    """
    graph = Graph()
    bind_prefixes(graph, vocabulary)
    iris = Iris(base, vocabulary)
    write_model(GraphWriter(graph, iris), obj)
    return graph


def read_graph(graph: Graph | TripleIndex, model: type[PPSModel] = Catalogue, base: str = DEFAULT_BASE,
               vocabulary: str = PPS_VOCABULARY, catalogue: str | None = None, language: str | None = "lv") -> ReadResult:
    """Read CPSV-AP 3.2.0 data into `model` (a Catalogue, or a PublicService when the graph
    describes exactly one), with the repairs made and the triples that found no place.

    `graph` is an rdflib Graph or a `TripleIndex` (`parse_index`). `catalogue` picks a
    dcat:Dataset by IRI when the graph holds several. `language` is the language of text
    without a language tag (None: such text is not read, and a repair says so). Lists come
    back in canonical order (`pps_sdk.formats.rdf.canonical`), since a graph has no order.
    """
    data, repairs, leftovers = _read_data(graph, model, base, vocabulary, catalogue, language)
    return ReadResult(_built(model, data), repairs, leftovers)


def _read_data(graph: Graph | TripleIndex, model: type[PPSModel], base: str = DEFAULT_BASE,
               vocabulary: str = PPS_VOCABULARY, catalogue: str | None = None,
               language: str | None = "lv") -> tuple[dict, list[str], Graph]:
    """The plain data of `model` in `graph`, the repairs made and the triples left over. The
    reader and what it noted of each node end here, so a caller that holds no other reference
    to the graph frees both before the models are built."""
    upgrades: list[str] = []
    if is_2_2_1(graph):
        graph, upgrades = upgrade(graph.to_rdflib() if isinstance(graph, TripleIndex) else graph)
    reader = GraphReader(graph, Iris(base, vocabulary), untagged=language)
    reader.repairs.extend(upgrades)
    if model is Catalogue:
        data = reader.catalogue(catalogue)
    elif model is PublicService:
        data = _single_service(reader, graph)
    else:
        raise FormatError(f"RDF is read into a Catalogue or a PublicService, not a {model.__name__}")
    reader.unvisited()
    return data, reader.repairs, reader.leftovers


def _single_service(reader: GraphReader, graph: Graph) -> dict:
    services = list(graph.subjects(RDF.type, CPSV.PublicService))
    if len(services) != 1:
        raise FormatError(f"the graph describes {counted(len(services), 'service')}; read it as a Catalogue")
    data = reader.read(services[0], PublicService, services[0])
    data["id"] = reader.identify(services[0], "services")
    return canonical_data(PublicService, data)


def from_graph(graph: Graph, model: type[PPSModel] = Catalogue, base: str = DEFAULT_BASE,
               vocabulary: str = PPS_VOCABULARY, catalogue: str | None = None) -> PPSModel:
    """Like `read_graph`, but returns the model alone and warns about repairs
    (`RdfRepairWarning`) and leftover triples (`RdfLossWarning`)."""
    result = read_graph(graph, model, base, vocabulary, catalogue)
    warn_about(result)
    return result.model


def warn_about(result: ReadResult) -> None:
    """Warn about the repairs and leftovers of a read."""
    if result.repairs:
        warnings.warn(RdfRepairWarning(f"reading RDF: {counted(len(result.repairs), 'repair')}: " + "; ".join(result.repairs)),
                      stacklevel=3)
    if len(result.leftovers):
        shown = sorted(" ".join(map(_n3, triple)) for triple in result.leftovers)
        more = f" (and {len(shown) - MAX_LEFTOVERS_SHOWN} more)" if len(shown) > MAX_LEFTOVERS_SHOWN else ""
        warnings.warn(RdfLossWarning(f"reading RDF: no place in the model for {counted(len(shown), 'triple')}{more}: "
                                     + "; ".join(shown[:MAX_LEFTOVERS_SHOWN])), stacklevel=3)


def _n3(term: Any) -> str:
    try:
        return term.n3()
    except Exception:  # noqa: BLE001 - rdflib refuses to write an IRI with a quote or a space in it
        return f"<{term}>"


ENGINES = ("oxigraph", "rdflib")
"""How RDF text is read and written: `oxigraph` (the default) parses with pyoxigraph into a
`TripleIndex` and writes text straight from the models; `rdflib` goes through an rdflib Graph
(the environment variable PPS_RDF_ENGINE=rdflib makes it the default)."""


def default_engine() -> str:
    engine = os.environ.get("PPS_RDF_ENGINE", "").strip().lower() or "oxigraph"
    if engine not in ENGINES:
        raise FormatError(f"PPS_RDF_ENGINE is {engine!r}; choose one of: {', '.join(ENGINES)}")
    return engine


def write_document(obj: PPSModel, syntax: str, out: IO[str] | None = None, engine: str | None = None,
                   base: str = DEFAULT_BASE, vocabulary: str = PPS_VOCABULARY) -> str | None:
    """`obj` (a Catalogue or a PublicService) as a document in `syntax` (`ttl`, `nt`,
    `jsonld`, `rdfxml`): returned as text, or written to the text stream `out` member by
    member (the `oxigraph` engine holds no graph; `rdflib` builds one first)."""
    if (engine or default_engine()) == "rdflib":
        graph = to_graph(obj, base, vocabulary)
        refuse_ill_typed(graph)
        text = serialize(graph, syntax)
        if out is None:
            return text
        out.write(text)
        return None
    if out is not None:
        fast_write.write(obj, syntax, out, base, vocabulary)
        return None
    buffer = io.StringIO()
    fast_write.write(obj, syntax, buffer, base, vocabulary)
    return buffer.getvalue()


def read_document(raw: bytes, syntax: str, model: type[PPSModel] = Catalogue, engine: str | None = None,
                  base: str = DEFAULT_BASE, vocabulary: str = PPS_VOCABULARY, catalogue: str | None = None,
                  language: str | None = "lv") -> ReadResult:
    """Parse a document in `syntax` and read it into `model` (see `read_graph`). The parsed
    triples are let go before the models are built."""
    parse_with = parse_index if (engine or default_engine()) == "oxigraph" else parse
    data, repairs, leftovers = _read_data(parse_with(raw, syntax), model, base, vocabulary, catalogue, language)
    return ReadResult(_built(model, data), repairs, leftovers)


def _built(model: type[PPSModel], data: dict) -> PPSModel:
    """`model` validated from the plain `data` the reader made. A catalogue's services are
    built one at a time first, each one's plain data freed as its model is made, so that the
    plain data and the models are never both held whole (at 20,000 services that saves
    about a sixth of the peak memory)."""
    services = data.get("services") if model is Catalogue else None
    for index, service in enumerate(services or ()):
        try:
            services[index] = PublicService.model_validate(service)  # type: ignore[index]
        except ModelError:
            break  # the catalogue's own validation below reports every problem, this one's too
    return model.model_validate(data)


def read_chosen(raw: bytes, syntax: str, model: type[PPSModel], catalogue: str | None = None,
                language: str | None = "lv") -> PPSModel:
    """Read `model` from an RDF document, strictly: `catalogue` picks the dcat:Dataset of a
    document that holds several, `language` is the language of untagged text (see `read_graph`)."""
    if syntax not in SYNTAXES and syntax != "ttl-2.2.1":
        raise FormatError(f"a {syntax} document holds one catalogue, its text all tagged: choosing one by IRI is for RDF, "
                          "as is naming the language of untagged text")
    return _read_strictly(raw, "ttl" if syntax == "ttl-2.2.1" else syntax, model, catalogue, language)


def _read_strictly(raw: bytes, syntax: str, model: type[PPSModel], catalogue: str | None = None,
                   language: str | None = "lv") -> PPSModel:
    try:
        result = read_document(raw, syntax, model, catalogue=catalogue, language=language)
    except PPSError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError) as exc:
        # A shape of data the reader did not foresee is a fault of the document, said as such.
        raise FormatError(f"cannot be read into the model ({type(exc).__name__}: {str(exc)[:200]})") from None
    warn_about(result)
    return result.model


def _register(syntax: str) -> None:
    def write(obj: PPSModel) -> str:
        return write_document(obj, syntax)  # type: ignore[return-value]

    def read(raw: bytes, model: type[PPSModel]) -> PPSModel:
        return _read_strictly(raw, syntax, model)

    def check(raw: bytes) -> list:
        from .shacl import shacl_problems  # pyshacl loads only when a check is asked for

        return shacl_problems(parse(raw, syntax))

    def stream(obj: PPSModel, out: IO[str]) -> None:
        write_document(obj, syntax, out)

    register_format(syntax, SYNTAXES[syntax][1], read, write, check, stream)


def to_graph_2_2_1(obj: PPSModel, base: str = DEFAULT_BASE, language: str = "lv") -> Graph:
    """`obj` as CPSV-AP 2.2.1 (for catalogues that have not moved to 3.x); warns
    (`RdfLossWarning`) about what 2.2.1 cannot hold."""
    graph, losses = downgrade(to_graph(obj, base), _authority(base), language)
    if losses:
        warnings.warn(RdfLossWarning(f"CPSV-AP 2.2.1 holds less than 3.2.0: {counted(len(losses), 'loss', 'losses')}: " + "; ".join(losses[:20])
                                     + (" …" if len(losses) > 20 else "")), stacklevel=2)
    return graph


def _authority(base: str) -> str:
    scheme, _, rest = base.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


for _syntax in SYNTAXES:
    _register(_syntax)
register_format("ttl-2.2.1", (), lambda raw, model: _read_strictly(raw, "ttl", model),
                lambda obj: serialize(to_graph_2_2_1(obj), "ttl"))

__all__ = ["DEFAULT_BASE", "ENGINES", "RdfLossWarning", "RdfRepairWarning", "ReadResult", "TripleIndex", "canonical",
           "default_engine", "from_graph", "parse", "parse_index", "read_document", "read_graph", "serialize", "to_graph",
           "to_graph_2_2_1", "write_document"]
