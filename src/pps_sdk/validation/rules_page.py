"""The list of every rule a finding can name, as a Markdown page (docs/rules.md).

    python -m pps_sdk.validation.rules_page docs/rules.md

Our own rules come from their declarations (`pps_sdk.validation.RULES`), the SHACL rules from
the shapes themselves, so the page cannot say anything the checks do not do.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from ..vocab import compact
from . import RULES
from .profiles import _rule_id

# The SHACL parameters a property shape of ours or of CPSV-AP uses, in the order a reader wants
# them, with how to say each.
_PARAMETERS = {SH.minCount: "at least {}", SH.maxCount: "at most {}", SH.datatype: "of type {}", SH["class"]: "of class {}",
               SH["in"]: "one of {}", SH.minInclusive: "at least {}", SH.maxInclusive: "at most {}",
               SH.pattern: "matching {}"}
_SHAPES = {"cpsv-ap": "The CPSV-AP 3.2.0 shapes (profiles `cpsv-ap` and `pps`)",
           "pps": "Our extension's shapes (profile `pps`)"}


def render() -> str:
    """The whole page."""
    lines = ["# Validation rules", "",
             "Every finding of `pps validate` names one of these rules. This page is generated from the",
             "code (`python -m pps_sdk.validation.rules_page docs/rules.md`); profiles, report formats",
             "and lenient reading are explained in [Validating others' CPSV-AP](validation.md).", "",
             "## Our rules", "",
             "| id | severity | profiles | requires |", "|---|---|---|---|"]
    for rule in sorted(RULES.values(), key=lambda r: r.id):
        lines.append(f"| `{rule.id}` | {rule.severity.value} | {', '.join(rule.profiles)} | {_cell(rule.requires)} |")
    for which, title in _SHAPES.items():
        lines += ["", f"## {title}", "",
                  "A rule of a shape is `{shape}:{constraint}`; breaking one is an error.", "",
                  "| id | class | property | requires |", "|---|---|---|---|"]
        lines += [f"| `{rule_id}` | {cls} | {path} | {_cell(requires)} |" for rule_id, cls, path, requires in shacl_rules(which)]
    return "\n".join(lines) + "\n"


def shacl_rules(which: str) -> Iterator[tuple[str, str, str, str]]:
    """(rule id, class, property, what it requires) for each constraint of the shapes `which`."""
    from ..formats.rdf.shacl import shapes

    graph = shapes(which)
    rows = []
    for node_shape in graph.subjects(RDF.type, SH.NodeShape):
        cls = ", ".join(sorted(_term(graph, c) for c in graph.objects(node_shape, SH.targetClass)))
        for prop in graph.objects(node_shape, SH.property):
            path = _term(graph, graph.value(prop, SH.path))
            for parameter, wording in _PARAMETERS.items():
                value = graph.value(prop, parameter)
                if value is None:
                    continue
                component = str(parameter).rsplit("#", 1)[-1]
                rule_id = _rule_id(prop, f"{component[0].upper()}{component[1:]}ConstraintComponent")
                rows.append((rule_id, cls, path, wording.format(_value(graph, value))))
    return iter(sorted(rows))


@cache
def shacl_rule_texts() -> dict[str, str]:
    """What each SHACL rule of both shapes requires, in words ("cv:Channel dct:type: at most 1"), by id."""
    return {rule_id: f"{cls} {path}: {requires}".replace("`", "")
            for which in _SHAPES for rule_id, cls, path, requires in shacl_rules(which)}


def _value(graph: Graph, value: object) -> str:
    """A parameter's value; the members of a list (sh:in) one by one."""
    members = [] if isinstance(value, URIRef) else list(graph.items(value))
    return ", ".join(_term(graph, member) for member in members) if members else _term(graph, value)


def _term(graph: Graph, term: object) -> str:
    return f"`{compact(str(term))}`" if isinstance(term, URIRef) else f"`{term}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules.md")
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
