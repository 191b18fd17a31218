"""The model reference in docs/model/: one Markdown page per model group, made from the models.

Every field's Latvian term, meaning and RDF term are declared once, in the model (`term(...)`);
these pages are rendered from that, so they cannot drift from the code. Regenerate with

    python -m pps_sdk.reference docs/model

and a test checks that the committed pages equal what this module renders.
"""

from __future__ import annotations

import inspect
import sys
import types
from datetime import date, time
from enum import Enum, IntEnum
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, RootModel
from pydantic.fields import FieldInfo

from .model import (Address, BusinessEvent, Catalogue, Channel, ChannelShare, ChannelStrategy, ContactPoint, Corridor,
                    Cost, Evidence, Indicator, LegalResource, LifeEvent, Measurement, OpeningHours, Organisation, Output,
                    Provider, ProviderTask, PublicService, Requirement, ResponsibleRole, Rule, SegmentAllocation,
                    SpecialHours, Target, TargetZone, UnifiedService)
from .formats.xml_shape import xml_fields
from .model.base import collection_model, field_terms
from .model.enums import Code

GROUPS: dict[str, tuple[str, tuple[type[BaseModel], ...]]] = {
    "service": ("Services", (PublicService, Provider, ProviderTask, Cost, Requirement, Evidence, Output, Rule,
                             LegalResource, LifeEvent, BusinessEvent)),
    "organisation": ("Organisations, contacts and hours", (Organisation, ResponsibleRole, Address, ContactPoint,
                                                            OpeningHours, SpecialHours)),
    "channel": ("Channels and the channel strategy", (Channel, ChannelStrategy, SegmentAllocation, ChannelShare)),
    "indicator": ("Indicators and measurements", (Indicator, Target, TargetZone, Corridor, Measurement)),
    "catalogue": ("Catalogue and the unified municipal service list", (Catalogue, UnifiedService)),
}
"""Page name → (title, models on the page)."""

INTRO = ("Generated from the models by `python -m pps_sdk.reference docs/model`; do not edit by hand.\n\n"
         "Columns: the Latvian term of the concept, the SDK field, its type and cardinality, what it means, "
         "its RDF term and its element in our XML format ([xml.md](../xml.md)). `cv:`, `cpsv:`, `dct:`, `dcat:`, `locn:`, `eli:`… terms come from CPSV-AP 3.2.0 and "
         "the vocabularies it uses; `pps:` terms are this SDK's own, for what Latvian descriptions need and "
         "CPSV-AP does not say. References to shared objects are identifiers, resolved by the catalogue. "
         "Numbers in brackets, such as [278], are paragraphs of the public service concept.\n")

_PLAIN_TYPES = {str: "text", float: "number", int: "integer", bool: "yes/no", date: "date", time: "time"}


def _page_of(model: type) -> str | None:
    return next((page for page, (_, models) in GROUPS.items() if model in models), None)


def _link(model: type, page: str) -> str:
    home = _page_of(model)
    anchor = f"#{model.__name__.lower()}"
    return f"[{model.__name__}]({anchor})" if home == page else f"[{model.__name__}]({home}.md{anchor})"


def _type_name(annotation: Any, page: str) -> str:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _type_name(get_args(annotation)[0], page)
    if origin in (Union, types.UnionType):
        return " or ".join(_type_name(a, page) for a in get_args(annotation) if a is not type(None))
    if origin is list:
        return f"list of {_type_name(get_args(annotation)[0], page)}"
    if origin is dict:
        key, value = get_args(annotation)
        return f"{_type_name(key, page)} → {_type_name(value, page)}"
    if isinstance(annotation, type):
        if issubclass(annotation, (BaseModel, Enum)) and _page_of(annotation):
            return _link(annotation, page)
        if issubclass(annotation, (RootModel, Enum)):
            return f"`{annotation.__name__}`"
        return _PLAIN_TYPES.get(annotation, annotation.__name__)
    return str(annotation)


def _cardinality(info: FieldInfo) -> str:
    if get_origin(info.annotation) in (list, dict):
        at_least_one = any(getattr(m, "min_length", 0) for m in info.metadata)
        return "1..*" if at_least_one else "0..*"
    return "1" if info.is_required() else "0..1"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def field_table(model: type[BaseModel], page: str) -> str:
    """The Markdown field table of one model."""
    rows = ["| Latvian term | SDK field | type | card. | meaning | RDF term | XML element |", "|---|---|---|---|---|---|---|"]
    elements = {f.name: f.element for f in xml_fields(model)}
    for name, term in field_terms(model).items():
        info = model.model_fields[name]
        kind = _type_name(info.annotation, page)
        if term.refers_to:
            kind = f"identifier of {_link(collection_model(term.refers_to), page)}" + (" (list)" if "list" in kind else "")
        rdf = f"`{term.rdf}`" if term.rdf else "—"
        rows.append(f"| {_cell(term.lv)} | `{name}` | {kind} | {_cardinality(info)} | {_cell(term.doc)} | {rdf} "
                    f"| `<{elements[name]}>` |")
    return "\n".join(rows)


def _code_lists(models: tuple[type[BaseModel], ...]) -> list[type[Enum]]:
    found: list[type[Enum]] = []

    def visit(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, Enum) and annotation not in found:
            found.append(annotation)
        for arg in get_args(annotation):
            visit(arg)

    for model in models:
        for info in model.model_fields.values():
            visit(info.annotation)
    return found


def code_list_table(enum: type[Enum]) -> str:
    """The values of a code list with their Latvian labels (numbered scales show their names)."""
    rows = ["| value | label |", "|---|---|"]
    for member in enum:
        if isinstance(member, IntEnum):
            rows.append(f"| `{int(member)}` | {member.name.lower().replace('_', ' ')} |")
        else:
            rows.append(f"| `{member.value}` | {member.lv if isinstance(member, Code) else ''} |")
    return "\n".join(rows)


def render_page(page: str) -> str:
    """The whole Markdown page of one model group."""
    title, models = GROUPS[page]
    parts = [f"# {title}\n", INTRO]
    for model in models:
        summary = inspect.cleandoc(model.__doc__ or "")
        parts.append(f"## {model.__name__}\n\n{summary}\n\n{field_table(model, page)}\n")
    owned = [enum for enum, home in _code_list_homes().items() if home == page]
    if owned:
        parts.append("## Code lists\n")
        for enum in owned:
            doc = " ".join((enum.__doc__ or "").split())
            parts.append(f"### {enum.__name__}\n\n{doc}\n\n{code_list_table(enum)}\n")
    return "\n".join(parts)


def _code_list_homes() -> dict[type[Enum], str]:
    """Each code list → the page it is listed on: the first page whose models use it."""
    homes: dict[type[Enum], str] = {}
    for page, (_, models) in GROUPS.items():
        for enum in _code_lists(models):
            homes.setdefault(enum, page)
    return homes


def render_all() -> dict[str, str]:
    """File name → Markdown text, for every page."""
    return {f"{page}.md": render_page(page) for page in GROUPS}


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_all().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    rdf_page = folder.parent / "rdf.md"
    if rdf_page.exists():
        rdf_page.write_text(with_block(rdf_page.read_text(encoding="utf-8"), "mapping", rdf_mapping()), encoding="utf-8")
        written.append(rdf_page)
    return written


def rdf_mapping() -> str:
    """The field → RDF table of docs/rdf.md."""
    from .formats.rdf.schemas import mapping_markdown

    return mapping_markdown()


def with_block(page: str, name: str, content: str) -> str:
    """`page` with the text between `<!-- name:start -->` and `<!-- name:end -->` replaced."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    head, _, rest = page.partition(start)
    _, _, tail = rest.partition(end)
    return f"{head}{start}\n{content.rstrip()}\n{end}{tail}"


def block(page: str, name: str) -> str:
    """The text between the markers of block `name` in `page`."""
    return page.partition(f"<!-- {name}:start -->")[2].partition(f"<!-- {name}:end -->")[0].strip()


if __name__ == "__main__":
    for path in write(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/model")):
        print(f"wrote {path}")
