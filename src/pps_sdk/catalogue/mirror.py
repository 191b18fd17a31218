"""A local mirror of a published catalogue: the snapshot once, then only the changes.

The folder holds the catalogue in the format asked for and `.pps-mirror.json`: the feed's
cursor and what the mirror holds, so the next run asks only for what changed since.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..formats import dump, get_format, write_atomically
from ..model import Catalogue
from ..wording import counted
from .client import CatalogueClient
from .protocol import apply_change, catalogue_of_state, state_of_catalogue

STATE_FILE = ".pps-mirror.json"
SUFFIXES = {"ttl": "ttl", "jsonld": "jsonld", "xml": "xml", "json": "json", "nt": "nt", "rdfxml": "rdf"}


class Mirror:
    """The mirror kept in `folder`."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        path = self.folder / STATE_FILE
        saved: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        self.source: str | None = saved.get("source")
        self.cursor: int = saved.get("cursor", 0)
        self.head: dict[str, Any] | None = saved.get("head")
        self.state: dict[str, Any] | None = saved.get("state")

    def update(self, client: CatalogueClient) -> str:
        """Bring the mirror up to date; says what it did."""
        source = client._core.base_url
        if self.source is not None and self.source != source:
            raise ValueError(f"{self.folder} mirrors {self.source}, not {source}: use another folder")
        self.source = source
        if self.state is None:
            snapshot, self.cursor = client.snapshot("json")
            self.head = {"id": snapshot.id, "title": snapshot.title.model_dump(), "publisher": snapshot.publisher,
                         "description": snapshot.description.model_dump()}
            self.state = state_of_catalogue(snapshot)
            return f"read the snapshot: {counted(len(snapshot.services), 'published service')}"
        count = 0
        for change in client.changes(after=self.cursor):
            apply_change(self.state, change)
            self.cursor = change.cursor
            count += 1
        return f"{counted(count, 'change')} since the last run" if count else "up to date"

    def catalogue(self) -> Catalogue:
        """What the mirror holds, as a catalogue."""
        if self.state is None or self.head is None:
            raise ValueError(f"{self.folder} holds no mirror yet")
        return catalogue_of_state(self.state, self.head)

    def write(self, fmt: str) -> Path:
        """Write the catalogue in `fmt`, then remember the cursor it is consistent with."""
        target = self.folder / f"catalogue.{SUFFIXES[fmt]}"
        get_format(fmt)
        dump(self.catalogue(), target, fmt)
        saved = {"source": self.source, "cursor": self.cursor, "head": self.head, "state": self.state}
        write_atomically(self.folder / STATE_FILE, json.dumps(saved, ensure_ascii=False))
        return target
