"""The publishing outbox: a local SQLite file that remembers a publishing job until every
request of it is confirmed.

A job is its list of bulk requests, each with the Idempotency-Key it is always sent with. A
request is marked done, with the service's answer, only after the answer arrived; a process
killed at any moment leaves either a request not yet marked (sent again, with the same key,
so the service answers as before and writes nothing twice) or one marked done (not sent
again). Every change to the file is one committed transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

from ..errors import PPSError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS job (digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS requests (
    seq INTEGER PRIMARY KEY, key TEXT NOT NULL, body BLOB NOT NULL, records INTEGER NOT NULL, results TEXT
);
"""


class OutboxError(PPSError):
    """The outbox holds an unfinished job for other records."""


class Outbox:
    """A publishing job kept in `path` (":memory:" for one that need not survive the process)."""

    def __init__(self, path: str):
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL" if path != ":memory:" else "PRAGMA journal_mode=MEMORY")
        self._db.executescript(_SCHEMA)

    def begin(self, digest: str, requests: list[tuple[str, bytes, int]]) -> None:
        """Start the job of `requests` (key, body, number of records), or resume it if this
        outbox holds it unfinished. A finished job in the outbox makes way for the new one; an
        unfinished job for other records is an error, so that no work is silently dropped."""
        with self._transaction():
            found = self._db.execute("SELECT digest FROM job").fetchone()
            unfinished = self._db.execute("SELECT 1 FROM requests WHERE results IS NULL").fetchone() is not None
            if found is not None and unfinished:
                if found[0] == digest:
                    return
                raise OutboxError(f"{self.path} holds an unfinished job for other records: run it again with those "
                                  "records to finish it, or use another outbox")
            self._db.execute("DELETE FROM job")
            self._db.execute("DELETE FROM requests")
            self._db.execute("INSERT INTO job (digest) VALUES (?)", (digest,))
            self._db.executemany("INSERT INTO requests (key, body, records) VALUES (?, ?, ?)", requests)

    def pending(self) -> Iterator[tuple[int, str, bytes, int]]:
        """The requests not yet confirmed, in order: (seq, key, body, records)."""
        rows = self._db.execute("SELECT seq, key, body, records FROM requests WHERE results IS NULL ORDER BY seq")
        yield from rows.fetchall()

    def done(self, seq: int, results: list[dict]) -> None:
        """Mark request `seq` confirmed, with the service's results."""
        with self._transaction():
            self._db.execute("UPDATE requests SET results = ? WHERE seq = ?", (json.dumps(results), seq))

    def progress(self) -> tuple[int, int]:
        """(records confirmed, records in the job)."""
        done, total = self._db.execute(
            "SELECT COALESCE(SUM(CASE WHEN results IS NULL THEN 0 ELSE records END), 0), COALESCE(SUM(records), 0) "
            "FROM requests").fetchone()
        return done, total

    def results(self) -> list[dict]:
        """Every result of the job so far, in the order the records were sent."""
        rows = self._db.execute("SELECT results FROM requests WHERE results IS NOT NULL ORDER BY seq")
        return [result for (text,) in rows for result in json.loads(text)]

    def close(self) -> None:
        self._db.close()

    def _transaction(self):  # type: ignore[no-untyped-def]
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
