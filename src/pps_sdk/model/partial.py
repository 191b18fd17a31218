"""Rules checked on the parts of an input that did validate.

Pydantic checks a model's own rules only once all its fields are valid, so an invalid value
would hide every cross-field problem of the model holding it, and of the models holding that
one: an invalid `importance` would hide a dangling channel reference until it was fixed.
Once validation has failed, this module rebuilds the input as far as it is valid, with an
`Unknown` in place of each invalid value, and runs the rules of each model that could not
run them. A value that breaks a rule of its own model (a formula that does not parse) counts
as invalid for the rules of the models around it. A rule that needs an invalid value stops
without a finding (see `Unknown`), so no problem is reported that fixing the invalid value
could make untrue.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..errors import ModelError
from .base import RULES_ERROR, PPSModel, RuleProblem, Unknown, model_inside, objects_as_identifiers

Location = tuple[str | int, ...]
FieldError = tuple[Location, str, tuple[Location, ...]]
"""Where, relative to the model; pydantic's error type; for broken rules, the paths they name."""


def rules_of_what_validated(model: type[BaseModel], data: Any, error: ValidationError) -> list[RuleProblem]:
    """The rules broken in `data` by the models that failed validation on some of their
    values, checked on the values that did validate. Rules already reported are not repeated."""
    if not issubclass(model, PPSModel):
        return []
    errors = [(tuple(e["loc"]), e["type"], _rule_paths(e)) for e in error.errors(include_url=False)]
    return _rebuild(model, data, errors)[1]


def _rule_paths(error: dict[str, Any]) -> tuple[Location, ...]:
    return tuple(path for path, _ in error["ctx"]["problems"]) if error["type"] == RULES_ERROR else ()


def _rebuild(model: type[PPSModel], data: Any, errors: list[FieldError]) -> tuple[Any, list[RuleProblem]]:
    """`data` as a `model` built without validation from its valid parts, and the rules that
    the rebuilt model and its rebuilt parts break."""
    if isinstance(data, model):
        return data, []
    if not isinstance(data, dict):
        return Unknown(), []
    data = objects_as_identifiers(model, data)
    breaking = {path[0] for loc, _, paths in errors if not loc for path in paths if path}
    values: dict[str, Any] = {}
    problems: list[RuleProblem] = []
    for name, info in model.model_fields.items():
        own = [(loc[1:], kind, paths) for loc, kind, paths in errors if loc[:1] == (name,)]
        if name in breaking:  # it broke a rule of this model: as good as invalid for the rules around it
            values[name] = Unknown()
            continue
        if name not in data:
            if own or info.is_required():
                values[name] = Unknown()
            continue  # the default applies
        if not own:
            values[name] = _valid_value(model, name, data[name])
            continue
        values[name], found = _rebuild_field(info.annotation, data[name], own)
        problems += [((name, *path), message) for path, message in found]
    rebuilt = model.model_construct(**values)
    if any(loc or kind != RULES_ERROR for loc, kind, _ in errors):  # else its rules ran, and are reported
        problems += rebuilt.rule_problems()
    return rebuilt, problems


def _rebuild_field(annotation: Any, raw: Any, errors: list[FieldError]) -> tuple[Any, list[RuleProblem]]:
    """A field holding models (one, optional or a list) rebuilt item by item; any other
    field with an error is Unknown."""
    target, many = model_inside(annotation), get_origin(annotation) is list
    if target is None or (many and not isinstance(raw, list)):
        return Unknown(), []
    if not many:
        return _rebuild(target, raw, errors)
    items, problems = [], []
    for index, item in enumerate(raw):
        item_errors = [(loc[1:], kind, paths) for loc, kind, paths in errors if loc[:1] == (index,)]
        if not item_errors:
            items.append(_valid_item(target, item))
            continue
        rebuilt, found = _rebuild(target, item, item_errors)
        items.append(rebuilt)
        problems += [((index, *path), message) for path, message in found]
    return items, problems


def _valid_value(model: type[PPSModel], name: str, raw: Any) -> Any:
    """A value that validation found no fault with, validated as its field validates it."""
    try:
        return _field_adapter(model, name).validate_python(raw)
    except ValidationError:  # valid only together with other fields (a model-level "before" step)
        return Unknown()


def _valid_item(model: type[PPSModel], raw: Any) -> Any:
    """A list item that validation found no fault with, as its model."""
    try:
        return model.model_validate(raw)
    except ModelError:  # not expected; the rules then treat it as invalid rather than fail here
        return Unknown()


@cache
def _field_adapter(model: type[PPSModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    return TypeAdapter(Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation)
