"""The catalogue's database: tables, versioned migrations and transactions.

SQLite (a file, nothing to install) and PostgreSQL run the same statements through
SQLAlchemy Core. Writes are serialised: SQLite takes its write lock when a write transaction
begins, PostgreSQL an advisory lock. That keeps the change feed's cursor in commit order and
makes every check-then-write (If-Match, idempotency keys, unique source ids) safe.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import (Column, Connection, Engine, Index, Integer, LargeBinary, MetaData, String, Table, Text,
                        create_engine, event, insert, inspect, select, update)
from sqlalchemy.engine import make_url

metadata = MetaData()

schema_version = Table(
    "pps_schema_version", metadata,
    Column("version", Integer, nullable=False),
)

# One row per record (organisation, channel, service…): where it stands now.
records = Table(
    "records", metadata,
    Column("collection", String(40), primary_key=True),
    Column("id", String(200), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("state", String(20)),  # services only
    Column("public_version", Integer),  # the version the public sees, if any
    Column("source_id", Text),
    Column("updated_at", String(40), nullable=False),
)

# Every version of every record, never deleted.
versions = Table(
    "versions", metadata,
    Column("collection", String(40), primary_key=True),
    Column("id", String(200), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("state", String(20)),
    Column("action", String(20), nullable=False),
    Column("author", String(200), nullable=False),
    Column("at", String(40), nullable=False),
    Column("body", Text, nullable=False),  # our JSON
    Column("findings", Text, nullable=False),  # JSON list of warnings that travel with the version
)

# The organisations that may write a record: a service's holders, a channel's owner…
writers = Table(
    "writers", metadata,
    Column("collection", String(40), primary_key=True),
    Column("id", String(200), primary_key=True),
    Column("org", String(200), primary_key=True),
)
Index("writers_by_org", writers.c.org, writers.c.collection)

# A holder's own service identifiers: unique per organisation.
source_ids = Table(
    "source_ids", metadata,
    Column("org", String(200), primary_key=True),
    Column("source_id", String(300), primary_key=True),
    Column("service", String(200), nullable=False),
)

# Which record declares each indicator (indicators live inside services and channels).
indicators = Table(
    "indicators", metadata,
    Column("id", String(200), primary_key=True),
    Column("collection", String(40), nullable=False),
    Column("record", String(200), nullable=False),
)
Index("indicators_by_record", indicators.c.collection, indicators.c.record)

measurements = Table(
    "measurements", metadata,
    Column("indicator", String(200), primary_key=True),
    Column("key", String(300), primary_key=True),  # period, channel and segment
    Column("body", Text, nullable=False),
)

# The public catalogue's change feed; `seq` is the cursor.
changes = Table(
    "changes", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("collection", String(40), nullable=False),
    Column("id", String(200), nullable=False),
    Column("action", String(10), nullable=False),
    Column("version", Integer),
    Column("at", String(40), nullable=False),
    Column("body", Text),
    sqlite_autoincrement=True,
)

tokens = Table(
    "tokens", metadata,
    Column("id", String(40), primary_key=True),
    Column("digest", String(64), nullable=False),  # SHA-256 of the secret part, hex
    Column("org", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("revoked_at", String(40)),
)

# Added in schema version 2: answers to requests sent with an Idempotency-Key.
idempotency = Table(
    "idempotency", metadata,
    Column("principal", String(40), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=False),
    Column("headers", Text, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("at", String(40), nullable=False),
)

VERSION_1_TABLES = [schema_version, records, versions, writers, source_ids, indicators, measurements, changes, tokens]


def _create_version_1(conn: Connection) -> None:
    metadata.create_all(conn, tables=VERSION_1_TABLES)
    conn.execute(insert(schema_version).values(version=0))


def _add_idempotency(conn: Connection) -> None:
    metadata.create_all(conn, tables=[idempotency])


MIGRATIONS: list[Callable[[Connection], None]] = [_create_version_1, _add_idempotency]
"""Step N brings a database from schema version N-1 to N. Append steps; never change one."""

SCHEMA_VERSION = len(MIGRATIONS)


def database_url(value: str | os.PathLike[str]) -> str:
    """A SQLAlchemy URL for `value`: a `sqlite:///…` or `postgresql://…` URL, or a file path
    (an SQLite database). PostgreSQL is reached through psycopg 3."""
    value = os.fspath(value)
    if "://" not in value:
        return f"sqlite:///{Path(value)}"
    url = make_url(value)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    elif url.drivername not in ("sqlite", "postgresql+psycopg"):
        raise ValueError(f"unsupported database {url.drivername!r}: use sqlite:///FILE or postgresql://…")
    return url.render_as_string(hide_password=False)


class Database:
    """An engine with the schema brought up to date, and the two kinds of transaction."""

    def __init__(self, url: str | os.PathLike[str], *, upgrade_to: int = SCHEMA_VERSION):
        self.url = database_url(url)
        self.sqlite = self.url.startswith("sqlite")
        if self.sqlite:
            self.engine = _sqlite_engine(self.url)
        else:
            try:
                self.engine = create_engine(self.url, pool_size=10, max_overflow=20, pool_pre_ping=True)
            except ModuleNotFoundError:
                raise RuntimeError("PostgreSQL needs the psycopg driver: pip install 'pps_sdk[postgresql]'") from None
        migrate(self, upgrade_to)

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction; writers run one at a time. Commits unless an exception escapes."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(pps_write=True)
            with conn.begin():
                if not self.sqlite:
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7417)")
                yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read transaction that sees one consistent state of the database throughout."""
        with self.engine.connect() as conn:
            if not self.sqlite:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy say when transactions begin, so a write can take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("pps_write") else "BEGIN")

    return engine


def migrate(database: Database, target: int = SCHEMA_VERSION) -> int:
    """Bring the schema to version `target`, one step at a time, each step in its own write
    transaction. Returns the version it found. Refuses a database newer than this code."""
    with database.writing() as conn:
        found = current_version(conn)
    if found > SCHEMA_VERSION:
        raise RuntimeError(f"the database has schema version {found}, newer than this software knows "
                           f"({SCHEMA_VERSION}): upgrade pps_sdk")
    for step in range(found, target):
        with database.writing() as conn:
            if current_version(conn) != step:
                continue  # another process migrated it meanwhile
            MIGRATIONS[step](conn)
            conn.execute(update(schema_version).values(version=step + 1))
    return found


def current_version(conn: Connection) -> int:
    """The schema version of the database (0 when it is empty)."""
    if not inspect(conn).has_table(schema_version.name):
        return 0
    return conn.execute(select(schema_version.c.version)).scalar_one()
