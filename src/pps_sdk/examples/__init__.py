"""Realistic example catalogues shipped with the SDK (used by `pps demo` and the tests).

Each JSON file is a small catalogue with one Latvian service and the organisations,
channels and legal acts it refers to.
"""

from __future__ import annotations

import re
from importlib.resources import files

from ..formats import loads
from ..model import Catalogue

NAMES = ("building-permit", "funeral-allowance", "residence-declaration")


def example_text(name: str) -> str:
    """The JSON text of example `name` (one of NAMES)."""
    if name not in NAMES:
        raise KeyError(f"no example {name!r}; examples: {', '.join(NAMES)}")
    return files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8")


def example(name: str) -> Catalogue:
    """Example catalogue `name`, loaded and validated."""
    return loads(example_text(name), "json")


def example_catalogue() -> Catalogue:
    """All examples merged into one catalogue (the first example's title and publisher)."""
    first, *rest = (example(name) for name in NAMES)
    merged = first.merge(*rest)
    return merged.model_copy(update={
        "id": "ppk-piemeri",
        "title": merged.title.model_validate({"lv": "Publisko pakalpojumu kataloga piemēri", "en": "Public service catalogue examples"}),
        "description": merged.description.model_validate({"lv": "Trīs reālistiski Latvijas publisko pakalpojumu apraksti.", "en": "Three realistic Latvian public service descriptions."}),
    })


def large_catalogue(services: int) -> Catalogue:
    """The example catalogue grown to `services` services, for benchmarks: the example
    services repeated under new identifiers (their indicators too), sharing one set of
    organisations, channels and legal acts."""
    base = example_catalogue()
    copies = []
    for n in range(services):
        service = base.services[n % len(base.services)]
        indicators = [i.model_copy(update={"id": f"{i.id}-{n}", "formula": _renumber(i.formula, n)})
                      for i in service.indicators]
        copies.append(service.model_copy(update={"id": f"{service.id}-{n}", "indicators": indicators,
                                                  "related_services": [], "required_services": []}))
    return base.model_copy(update={"services": copies, "measurements": []})


def _renumber(formula: str | None, n: int) -> str | None:
    # Derived indicators refer to others as {id}; the copies refer to the copies.
    return re.sub(r"\{([^}]+)\}", lambda m: f"{{{m.group(1)}-{n}}}", formula) if formula else None
