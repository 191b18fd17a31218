"""Fixtures for the catalogue tests: real databases (SQLite files and a throwaway PostgreSQL
cluster on loopback) and the real service over HTTP on loopback.

PostgreSQL tests need the server programs (Debian package `postgresql`). Without them they
are skipped, unless PPS_REQUIRE_SERVERS or CI is set, when a missing server fails them.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from pps_sdk.catalogue import CatalogueHead, Database, Settings, create_app, create_token
from pps_sdk.catalogue.embedded import ServerThread

REQUIRE_SERVERS = any(os.environ.get(name, "").strip().lower() not in ("", "0", "no", "false")
                      for name in ("PPS_REQUIRE_SERVERS", "CI"))
MAINTAINER_ORG = "org-vdaa"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


class PostgresCluster:
    """A PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 only."""

    def __init__(self) -> None:
        bindir = _postgres_bin()
        if bindir is None:
            raise FileNotFoundError("PostgreSQL server programs (initdb, pg_ctl) not found: install the Debian "
                                    "package postgresql")
        self.bindir = bindir
        self.base = Path(tempfile.mkdtemp(prefix="pps-pg-"))
        self.port = free_port()
        self.run_as: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            user = pwd.getpwnam("postgres")
            os.chmod(self.base, 0o755)
            os.chown(self.base, user.pw_uid, user.pw_gid)
            self.run_as = ["runuser", "-u", "postgres", "--"]
        data = self.base / "data"
        self._run("initdb", "-D", str(data), "-A", "trust", "-U", "pps", "-E", "UTF8", "--no-sync")
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.base} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(self.base / "log"), "-w", "start")
        self.data = data

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run([*self.run_as, str(self.bindir / program), *args], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stderr or done.stdout}")

    def new_database(self) -> str:
        """A URL of a new, empty database."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=pps dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # a name we made, not input
        return f"postgresql://pps@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    try:
        cluster = PostgresCluster()
    except (FileNotFoundError, RuntimeError) as exc:
        message = f"PostgreSQL not available: {exc}"
        if REQUIRE_SERVERS:
            pytest.fail(message)
        pytest.skip(message)
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of a new, empty database: an SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'catalogue.db'}"
    return request.getfixturevalue("postgres").new_database()


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    yield db
    db.dispose()


class Catalogue:
    """A running app with the tokens of the tests' organisations."""

    def __init__(self, db: Database):
        self.db = db
        self.settings = Settings(database=db.url, head=CatalogueHead(publisher=MAINTAINER_ORG), max_bulk_items=500)
        self.app = create_app(self.settings, db)
        self._tokens: dict[tuple[str, str], str] = {}

    def token(self, org: str, role: str = "publisher") -> str:
        key = (org, role)
        if key not in self._tokens:
            self._tokens[key] = create_token(self.db, org, role)
        return self._tokens[key]

    def auth(self, org: str, role: str = "publisher") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(org, role)}"}

    @property
    def maintainer(self) -> dict[str, str]:
        return self.auth(MAINTAINER_ORG, "maintainer")


@pytest.fixture
def catalogue(database: Database) -> Catalogue:
    return Catalogue(database)


class LiveServer(ServerThread):
    """The app served over real HTTP on loopback, in a thread (started at once)."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        super().__init__(app)
        self.start()


@pytest.fixture
def live(catalogue: Catalogue) -> Iterator[LiveServer]:
    server = LiveServer(catalogue.app)
    yield server
    server.stop()


class ServeProcess:
    """`pps serve` as a process of its own, on a free loopback port, with an SQLite file."""

    def __init__(self, folder: Path, publisher: str = MAINTAINER_ORG):
        import httpx

        self.database = folder / "served.db"
        self.tokens: dict[tuple[str, str], str] = {}
        Database(self.database).dispose()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        pps = Path(sys.executable).parent / "pps"
        self.log = open(folder / "serve.log", "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen([str(pps), "serve", "--db", str(self.database), "--port", str(self.port),
                                         "--publisher", publisher], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{self.url}/health")
                return
            except httpx.TransportError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("pps serve did not start") from None
                time.sleep(0.1)

    def token(self, org: str, role: str = "publisher") -> str:
        if (org, role) not in self.tokens:
            db = Database(self.database)
            self.tokens[(org, role)] = create_token(db, org, role)
            db.dispose()
        return self.tokens[(org, role)]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServeProcess]:
    server = ServeProcess(tmp_path)
    yield server
    server.stop()
