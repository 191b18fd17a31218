"""A fixed order for everything an RDF graph holds without order.

A graph is a set of triples, so the holders of a service or the keywords of a text come back
from RDF in no particular order. The reader puts every list in the order `canonical` gives:
members with an identifier by identifier, codes in the order of their code list, anything
else by its value. `canonical(obj)` puts a model in that same order, so
`from_graph(to_graph(obj)) == canonical(obj)`.
"""

from __future__ import annotations

import json
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from ...model import PPSModel
from ..xml_shape import KEYWORDS, MODEL, xml_fields

M = TypeVar("M", bound=PPSModel)


def canonical(obj: M) -> M:
    """`obj` with every list in canonical order (see the module's docstring)."""
    data = canonical_data(type(obj), obj.model_dump(mode="json", exclude_defaults=True))
    return type(obj).model_validate(data)


def canonical_data(model: type[PPSModel], data: dict[str, Any]) -> dict[str, Any]:
    """Sort, in place and recursively, every list in `data`, the plain data of a `model`."""
    for field in xml_fields(model):
        value = data.get(field.name)
        if value is None:
            continue
        if field.kind == KEYWORDS:
            for words in value.values():
                words.sort()
        elif field.kind == MODEL:
            for item in value if field.many else (value,):
                if isinstance(item, dict):
                    canonical_data(field.target, item)
            if field.many and len(value) > 1:
                _sort_items(value, field.target)
        elif field.many and len(value) > 1:
            value.sort(key=_scalar_key(field.target))
    return data


def _sort_items(items: list[Any], model: type[PPSModel]) -> None:
    """Sort items by their key (identifier, organisation or task), and by their whole text
    only where keys repeat: writing every item as JSON to compare it costs more than the rest
    of reading a large catalogue."""
    name = _key_name(model)
    if name is None:
        items.sort(key=_as_text)
        return
    keys = [str(item.get(name, "")) if isinstance(item, dict) else "" for item in items]
    if len(set(keys)) == len(keys):
        order = sorted(range(len(items)), key=keys.__getitem__)
        items[:] = [items[i] for i in order]
    else:
        items.sort(key=lambda item: (str(item.get(name, "")), _as_text(item)))


@cache
def _key_name(model: type[PPSModel]) -> str | None:
    return next((name for name in ("id", "organisation", "task") if name in model.model_fields), None)


def _as_text(item: Any) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)


@cache
def _scalar_key(target: Any) -> Any:
    base = getattr(target, "__origin__", target)
    if isinstance(base, type) and issubclass(base, Enum):
        position = {member.value: index for index, member in enumerate(base)}
        return lambda value: position.get(value, len(position))
    return lambda value: (str(type(value)), str(value))
