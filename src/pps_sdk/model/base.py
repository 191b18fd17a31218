"""What every model shares: strict validation, one error listing every problem, field terms.

Each field is declared once with `term(...)`, which puts a `Term` in the field's metadata: its
meaning in English and Latvian, its Latvian name, the RDF term it stands for (a CPSV-AP term,
or `pps:` for our extension vocabulary) and, where needed, its XML name and RDF form. Docs,
serializers, schemas and test strategies read these records instead of repeating them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, ClassVar, Self, get_args, get_origin

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
    """What a field is outside Python, declared once with the field (`term(...)`) and carried
    in its metadata, as pydantic carries its own constraints.

    `rdf` is the RDF term (`dct:title`, `pps:importance`, or None when the field only
    structures the document); `lv` the Latvian name; `doc` the English definition and
    `lv_doc` the Latvian one (for terms of our vocabulary). `ref` and `local_ref` name the
    collection whose identifiers the field holds. `xml` names its XML element where the name
    derived from the field's does not fit; `inverse` is the predicate by which other
    publishers link the referred-to node back to its owner. `codec`, for the few fields whose
    RDF form is not the default one, writes, reads, shapes and documents that form.
    """

    rdf: str | None
    lv: str
    doc: str
    lv_doc: str | None = None
    ref: str | None = None
    local_ref: str | None = None
    xml: str | None = None
    inverse: str | None = None
    codec: Any = None

    @property
    def refers_to(self) -> str | None:
        """The collection whose identifiers the field holds, checked by the catalogue or locally."""
        return self.ref or self.local_ref


def term(rdf: str | None, lv: str, doc: str, *, lv_doc: str | None = None, ref: str | None = None,
         local_ref: str | None = None, xml: str | None = None, inverse: str | None = None, codec: Any = None,
         **field_kwargs: Any) -> Any:
    """Declare a model field once: its RDF term (`dct:title`, `pps:importance`, or None when it
    only structures the document), its Latvian name, and what it means (see `Term`).

    `ref` names the catalogue collection (`"organisations"`, `"channels"`…) whose identifiers
    the field holds; the catalogue resolves and checks such references. `local_ref` names it
    for references that the model checks itself (a cost's channel must be one of its
    service's channels). Either way the field also takes the object itself and keeps its id:
    `holders=[organisation]` is `holders=[organisation.id]`.

    The JSON Schema of the field says only what JSON Schema has words for (its description);
    the rest stays in the `Term`.
    """
    info = Field(description=doc, **field_kwargs)
    info.metadata.append(Term(rdf, lv, doc, lv_doc, ref, local_ref, xml, inverse, codec))
    return info


_NO_TERM = Term(None, "", "")


def field_term(info: Any) -> Term:
    """The `Term` declared with a field (a blank one for a field declared without `term`)."""
    return next((item for item in info.metadata if isinstance(item, Term)), _NO_TERM)


def field_terms(model: type[BaseModel]) -> dict[str, Term]:
    """The `Term` of every field of `model`, in declaration order."""
    return {name: field_term(info) for name, info in model.model_fields.items()}


def collection_model(collection: str) -> type[PPSModel]:
    """The model whose members make up `collection` (`"organisations"` → Organisation)."""
    return _collection_models()[collection]


@cache
def _collection_models() -> dict[str, type[PPSModel]]:
    # Collections are the lists of objects of a catalogue (organisations, channels…) and of a
    # service (rules, indicators…). Those modules import this one, so they are looked up late.
    from .catalogue import Catalogue
    from .service import PublicService

    found: dict[str, type[PPSModel]] = {}
    for model in (Catalogue, PublicService):
        for name, info in model.model_fields.items():
            if get_origin(info.annotation) is list and _holds_models(item := get_args(info.annotation)[0]):
                found.setdefault(name, item)
    return found


@cache
def _object_references(cls: type[PPSModel]) -> tuple[tuple[str, type[PPSModel]], ...]:
    """(field, model) for each field of `cls` that holds identifiers of that model's objects."""
    return tuple((name, collection_model(t.refers_to)) for name, t in field_terms(cls).items() if t.refers_to)


def _identifier_of(value: Any, model: type[PPSModel]) -> Any:
    return value.id if isinstance(value, model) else value


def objects_as_identifiers(cls: type[PPSModel], data: Any) -> Any:
    """`data` with each object given where `cls` keeps an identifier replaced by its id.

    Only objects of the referenced model are taken (an Organisation among holders, a Channel
    among channels); anything else is left for validation to refuse.
    """
    if not isinstance(data, dict):
        return data
    changed = None
    for name, model in _object_references(cls):
        value = data.get(name)
        if isinstance(value, list):
            if any(isinstance(item, PPSModel) for item in value):
                changed = changed or dict(data)
                changed[name] = [_identifier_of(item, model) for item in value]
        elif isinstance(value, PPSModel):
            changed = changed or dict(data)
            changed[name] = _identifier_of(value, model)
    return changed if changed is not None else data


def _a(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def model_inside(annotation: Any) -> type[PPSModel] | None:
    """The model a field holds: directly, optionally or as list items; None if none or several."""
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    if _is_model(annotation):
        return annotation
    models = [arg for arg in get_args(annotation) if _is_model(arg)]
    return models[0] if len(models) == 1 and get_origin(annotation) is not Annotated else None


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, PPSModel)


def _reference_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> str | None:
    """The collection named by the reference field at `loc` inside `model`, if it is one."""
    current: type[BaseModel] | None = model
    refers_to = None
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None or part not in current.model_fields:
            return None
        refers_to = field_terms(current)[part].refers_to
        current = model_inside(current.model_fields[part].annotation)
    return refers_to


class UnknownValue(Exception):
    """A rule used a value that is itself invalid (and reported as such)."""


class Unknown:
    """Stands for a value that failed validation while the rest of its model is checked.

    Comparing, hashing (looking it up in a set), iterating, counting or reading it raises
    `UnknownValue`, which stops the rule that used it: a rule never judges a value that is
    wrong already.
    """

    __slots__ = ()

    def _refuse(self, *args: Any) -> Any:
        raise UnknownValue

    __lt__ = __le__ = __gt__ = __ge__ = __hash__ = __iter__ = __len__ = __bool__ = __contains__ = __getitem__ = _refuse
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _refuse
    __float__ = __int__ = __index__ = _refuse

    def __getattr__(self, name: str) -> Any:
        raise UnknownValue

    def __repr__(self) -> str:
        return "<invalid>"


def guarded(*checks: Callable[[], Iterable[RuleProblem]]) -> Iterator[RuleProblem]:
    """The problems of each check in turn; a check that meets an invalid value stops there
    and the next one runs. Models whose rules fall into independent parts list each part."""
    for check in checks:
        try:
            yield from check()
        except UnknownValue:
            continue


def model_error(model: type[BaseModel], data: Any, error: ValidationError) -> ModelError:
    """The ModelError for `data` that did not make a valid `model`: every field problem, and
    the rules broken by the parts that did validate (a cross-reference is reported along with
    an invalid value elsewhere, not only once that value is fixed)."""
    from .partial import rules_of_what_validated  # needed only once validation has failed

    problems = problems_from(error, model)
    problems += [Problem(format_path(path), message) for path, message in rules_of_what_validated(model, data, error)]
    return ModelError(problems, f"invalid {model.__name__}")


def problems_from(error: ValidationError, model: type[BaseModel] | None = None) -> list[Problem]:
    """Flatten a pydantic error into our problems, expanding the rule problems models report.

    With the `model` that was validated, a misplaced object is named with what was expected.
    """
    problems = []
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        if err["type"] == RULES_ERROR:
            problems.extend(Problem(format_path(loc + path), msg) for path, msg in err["ctx"]["problems"])
        else:
            problems.append(Problem(format_path(loc), _message(err, model)))
    return problems


def _message(err: dict[str, Any], model: type[BaseModel] | None = None) -> str:
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] in ("missing", "extra_forbidden"):
        return msg.lower()
    if err["type"] == "value_error":
        return msg  # our own messages already quote the value
    value = err.get("input")
    if isinstance(value, BaseModel) and err["type"] == "string_type":
        collection = _reference_at(model, tuple(err["loc"])) if model else None
        if collection is None:
            return f"expected an identifier, or the object it stands for; got {_a(type(value).__name__)}"
        wanted = collection_model(collection).__name__
        return f"expected the identifier of {_a(wanted)}, or the {wanted} itself; got {_a(type(value).__name__)}"
    if isinstance(value, bool):
        return f"{msg} (got {str(value).lower()})"  # as JSON writes it, where such mix-ups come from
    if isinstance(value, (str, int, float)):
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        return f"{msg} (got {shown})"
    return msg


class PPSModel(BaseModel):
    """Base of all domain models.

    Constructing or validating a model raises `ModelError`, which lists every problem with its
    path: invalid values, and the cross-field rules broken by the parts that are valid (see
    `partial`). Subclasses add cross-field rules by overriding `broken_rules()`; rules that
    fall into independent parts return them through `guarded()`. Fields declared with a
    `ref` or `local_ref` take the referenced objects as well as their identifiers.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    rdf_class: ClassVar[str | None] = None
    """The RDF class instances stand for (`cpsv:PublicService`, `pps:Indicator`…)."""

    label_lv: ClassVar[str | None] = None
    """The Latvian name of a class of our vocabulary (`pps:`); CPSV-AP names its own classes."""

    definition_lv: ClassVar[str | None] = None
    """The Latvian definition of a class of our vocabulary; the English one is the docstring's first line."""

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise model_error(type(self), data, exc) from None

    # Tell pydantic this __init__ only wraps its own, so nested models are validated directly
    # (otherwise every nested model would raise, and report, on its own).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:  # type: ignore[override]
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as exc:
            raise model_error(cls, obj, exc) from None

    @classmethod
    def model_validate_json(cls, data: Any, *args: Any, **kwargs: Any) -> Self:  # type: ignore[override]
        try:
            return super().model_validate_json(data, *args, **kwargs)
        except ValidationError as exc:
            try:
                parsed = json.loads(data)
            except ValueError:
                parsed = None  # not JSON at all: there is nothing to check rules on
            raise model_error(cls, parsed, exc) from None

    def broken_rules(self) -> Iterator[RuleProblem]:
        """Cross-field rules: yield (relative path, message) for each broken rule."""
        return iter(())

    @model_validator(mode="before")
    @classmethod
    def _objects_as_identifiers(cls, data: Any) -> Any:
        return objects_as_identifiers(cls, data)

    @model_validator(mode="after")
    def _check_rules(self) -> Self:
        # All fields are valid here, so no rule can meet an invalid value: no guard needed.
        found = [*_repeated_values(self), *self.broken_rules()]
        if found:
            raise PydanticCustomError(RULES_ERROR, "{count} rule(s) broken", {"count": len(found), "problems": found})
        return self

    def rule_problems(self) -> Iterator[RuleProblem]:
        """Every rule this model breaks: repeated list values and `broken_rules()`."""
        return guarded(lambda: _repeated_values(self), self.broken_rules)


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
        if isinstance(value, Unknown):
            continue
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
