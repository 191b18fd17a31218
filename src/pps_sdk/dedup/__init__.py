"""The unified municipal service list: municipal entries in, one entry per unique service out.

    entries, problems = read_entries(["tukuma-novads.csv", "talsu-novads.xlsx"])
    result = deduplicate(entries, previous=Previous.load("unified.json"), decisions=Decisions.load("decisions.json"))
    write_outputs(result, "unified-list/")

See docs/dedup.md.
"""

from .entries import Entry, RowProblem, read_entries
from .evaluate import evaluate
from .match import Settings
from .outputs import write_outputs
from .pipeline import Decisions, Previous, Result, deduplicate

__all__ = ["Decisions", "Entry", "Previous", "Result", "RowProblem", "Settings", "deduplicate", "evaluate",
           "read_entries", "write_outputs"]
