"""Standard passports: ready indicators of the concept's kinds ([277]: volume, cost,
quality, accessibility and process indicators) that a service adopts and adjusts.

    from pps_sdk.indicators import new_passport, templates

    [t.template for t in templates("quality")]      # processing-time, on-time-share, satisfaction
    passport = new_passport("processing-time", id="ind-permit-time", start="2026-01-01",
                            critical_corridor={"upper": 45})

Each passport has its name, goal, description and alarm procedure in Latvian and English, a
unit, frequencies, a data source and, where one is usual, a target and a critical corridor;
adjust them to the service (the target above all) before publishing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any

from ..model import Catalogue
from ..model.enums import IndicatorKind
from ..model.indicator import Indicator

PROCESS = "process"
KINDS = ("volume", "cost", "quality", "accessibility", PROCESS)


@dataclass(frozen=True)
class Template:
    """A standard passport: its name in the library and the passport's fields, without an
    identifier and a start."""

    template: str
    kind: IndicatorKind
    fields: dict[str, Any]

    @property
    def title(self) -> str:
        """The passport's name, in English and Latvian."""
        return f"{self.fields['name']['en']} ({self.fields['name']['lv']})"


@cache
def _library() -> tuple[Template, ...]:
    data = json.loads(files(__package__).joinpath("passports.json").read_text(encoding="utf-8"))
    return tuple(Template(item.pop("template"), IndicatorKind(item["kind"]), item) for item in data)


def templates(kind: str | None = None) -> list[Template]:
    """The standard passports, all or those of `kind`: one of the indicator kinds
    (`IndicatorKind` values) or `process` for every process kind. Raises ValueError for any
    other kind."""
    if kind is None:
        return list(_library())
    if kind not in KINDS and kind not in IndicatorKind.__members__.values():
        raise ValueError(f"no indicator kind {kind!r}; kinds: {', '.join(KINDS)} (or a process kind: "
                         f"{', '.join(k.value for k in IndicatorKind if not k.is_result)})")
    if kind == PROCESS:
        return [t for t in _library() if not t.kind.is_result]
    return [t for t in _library() if t.kind.value == kind]


def new_passport(template: str, id: str, start: date | str, **changes: Any) -> Indicator:
    """A passport from the library's `template`, with identifier `id`, measured from `start`,
    and `changes` (any passport field: a target, a critical corridor, who analyses it…).

    Raises ValueError for an unknown template, ModelError when the changes make the passport
    invalid (a corridor without an alarm procedure…)."""
    found = {t.template: t for t in _library()}.get(template)
    if found is None:
        raise ValueError(f"no standard passport {template!r}; the library has {', '.join(t.template for t in _library())}")
    data = json.loads(json.dumps(found.fields))  # a copy the changes cannot reach back into
    data.update(id=id, start=start if isinstance(start, str) else start.isoformat(), **changes)
    return Indicator.model_validate(data)


def adopt(catalogue: Catalogue, service: str, passports: list[Indicator]) -> Catalogue:
    """`catalogue` with `passports` added to the indicators of `service`. Raises ValueError for
    an unknown service, ModelError when the result is not valid (an identifier taken…)."""
    if not any(s.id == service for s in catalogue.services):
        raise ValueError(f"the catalogue has no service {service!r}; services: {', '.join(s.id for s in catalogue.services)[:300]}")
    data = catalogue.model_dump(mode="json", exclude_none=True)
    for item in data["services"]:
        if item["id"] == service:
            item.setdefault("indicators", []).extend(p.model_dump(mode="json", exclude_none=True) for p in passports)
    return Catalogue.model_validate(data)
