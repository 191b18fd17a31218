"""What every model shares: strict validation, one error listing every problem, field terms.

Each field is declared once with `term(...)`, which records its meaning, its Latvian name and
the RDF term it stands for (a CPSV-AP term, or `pps:` for our extension vocabulary). Docs,
serializers and schemas read these records instead of repeating them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar, Self, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from ..errors import ModelError, Problem

Path = tuple[str | int, ...]
RuleProblem = tuple[Path, str]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
RULES_ERROR = "pps_rules"


def format_path(loc: Path) -> str:
    """Render a location as `services[2].channels[0].name`, the form used in every message."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.match(part):
            out += f".{part}" if out else part
        elif part == "[key]":
            continue  # pydantic marks a bad dictionary key; the key itself is already in the path
        else:
            out += f"[{part!r}]"
    return out


@dataclass(frozen=True)
class Term:
    """What a field is outside Python: its RDF term and its Latvian name."""

    rdf: str | None
    lv: str
    doc: str
    ref: str | None = None


def term(rdf: str | None, lv: str, doc: str, *, ref: str | None = None, **field_kwargs: Any) -> Any:
    """Declare a model field once: its RDF term (`dct:title`, `pps:importance`, or None when it
    only structures the document), its Latvian name, and what it means.

    `ref` names the catalogue collection (`"organisations"`, `"channels"`…) whose identifiers
    the field holds; the catalogue resolves and checks such references.
    """
    extra = {"rdf": rdf, "lv": lv} | ({"ref": ref} if ref else {})
    return Field(description=doc, json_schema_extra=extra, **field_kwargs)


def field_terms(model: type[BaseModel]) -> dict[str, Term]:
    """The `Term` of every field of `model`, in declaration order."""
    terms = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        terms[name] = Term(rdf=extra.get("rdf"), lv=str(extra.get("lv", "")), doc=info.description or "", ref=extra.get("ref"))
    return terms


def problems_from(error: ValidationError) -> list[Problem]:
    """Flatten a pydantic error into our problems, expanding the rule problems models report."""
    problems = []
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        if err["type"] == RULES_ERROR:
            problems.extend(Problem(format_path(loc + path), msg) for path, msg in err["ctx"]["problems"])
        else:
            problems.append(Problem(format_path(loc), _message(err)))
    return problems


def _message(err: dict[str, Any]) -> str:
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] in ("missing", "extra_forbidden"):
        return msg.lower()
    if err["type"] == "value_error":
        return msg  # our own messages already quote the value
    value = err.get("input")
    if isinstance(value, bool):
        return f"{msg} (got {str(value).lower()})"  # as JSON writes it, where such mix-ups come from
    if isinstance(value, (str, int, float)):
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        return f"{msg} (got {shown})"
    return msg


class PPSModel(BaseModel):
    """Base of all domain models.

    Constructing or validating a model raises `ModelError`, which lists every problem with its
    path. Subclasses add cross-field rules by overriding `broken_rules()`.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    rdf_class: ClassVar[str | None] = None
    """The RDF class instances stand for (`cpsv:PublicService`, `pps:Indicator`…)."""

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise ModelError(problems_from(exc), f"invalid {type(self).__name__}") from None

    # Tell pydantic this __init__ only wraps its own, so nested models are validated directly
    # (otherwise every nested model would raise, and report, on its own).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:  # type: ignore[override]
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as exc:
            raise ModelError(problems_from(exc), f"invalid {cls.__name__}") from None

    @classmethod
    def model_validate_json(cls, data: Any, *args: Any, **kwargs: Any) -> Self:  # type: ignore[override]
        try:
            return super().model_validate_json(data, *args, **kwargs)
        except ValidationError as exc:
            raise ModelError(problems_from(exc), f"invalid {cls.__name__}") from None

    def broken_rules(self) -> Iterator[RuleProblem]:
        """Cross-field rules: yield (relative path, message) for each broken rule."""
        return iter(())

    @model_validator(mode="after")
    def _check_rules(self) -> Self:
        found = [*_repeated_values(self), *self.broken_rules()]
        if found:
            raise PydanticCustomError(RULES_ERROR, "{count} rule(s) broken", {"count": len(found), "problems": found})
        return self


def duplicates(values: Iterable[Any], where: tuple, field: str | None, what: str,
               paths: list[tuple] | None = None) -> Iterator[RuleProblem]:
    """Report every value that already appeared earlier in `values`, at `where[index].field`
    (or at `paths[index]` when the values come from several places)."""
    seen: set[Any] = set()
    for index, value in enumerate(values):
        if value in seen:
            if paths is not None:
                path = paths[index]
            else:
                path = (*where, index, field) if field else (*where, index)
            shown = value.value if hasattr(value, "value") else value
            yield path, f"duplicate {what} {shown!r}"
        seen.add(value)


def _repeated_values(model: PPSModel) -> Iterator[RuleProblem]:
    """No list of plain values repeats a value: it would say nothing more, and RDF, where a
    list is a set of triples, could not keep it."""
    for name in _value_lists(type(model)):
        value = getattr(model, name)
        if isinstance(value, dict):  # keywords: words per language
            for lang, words in value.items():
                yield from duplicates(words, (name, lang), None, "entry")
        elif value:
            yield from duplicates(value, (name,), None, "entry")


@cache
def _value_lists(cls: type[PPSModel]) -> tuple[str, ...]:
    names = []
    for name, info in cls.model_fields.items():
        origin = get_origin(info.annotation)
        if origin is list and not _holds_models(get_args(info.annotation)[0]):
            names.append(name)
        elif origin is dict and get_origin(get_args(info.annotation)[1]) is list:
            names.append(name)
    return tuple(names)


def _holds_models(item: Any) -> bool:
    return isinstance(item, type) and issubclass(item, BaseModel)
