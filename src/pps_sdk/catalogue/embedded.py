"""A catalogue service run inside this process: SQLite in a folder, a free loopback port.

    with EmbeddedCatalogue(folder, publisher="org-vdaa") as catalogue:
        token = catalogue.token("org-jelgava")
        with CatalogueClient(catalogue.url, token) as client: ...

For demonstrations, tests and tools that need a catalogue to talk to; `pps serve` runs the
same app for real.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import uvicorn

from ..formats import dump
from ..model import Catalogue
from ..wording import counted
from .client import CatalogueClient
from .db import Database
from .mirror import Mirror
from .protocol import state_of_catalogue
from .server import Settings, create_app
from .store import CatalogueHead
from .tokens import create_token


class ServerThread:
    """uvicorn serving an ASGI `app` on a free 127.0.0.1 port, in a thread of this process."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                     lifespan="off"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self) -> ServerThread:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)


class EmbeddedCatalogue:
    """The catalogue service on 127.0.0.1, in a thread, until `stop()` (or the `with` ends)."""

    def __init__(self, folder: str | Path, publisher: str):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.database = Database(self.folder / "catalogue.db")
        self.app = create_app(Settings(database=self.database.url, head=CatalogueHead(publisher=publisher)),
                              self.database)
        self._server = ServerThread(self.app)
        self.url = self._server.url

    def start(self) -> EmbeddedCatalogue:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()
        self.database.dispose()

    def __enter__(self) -> EmbeddedCatalogue:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def token(self, org: str, role: str = "publisher") -> str:
        """A new API token for organisation `org`."""
        return create_token(self.database, org, role)


def publishing_demo(catalogue: Catalogue, folder: Path, say: Callable[[str], None]) -> bool:
    """The whole road of `catalogue` through a catalogue service started in a temporary folder:
    the holders publish and submit their services, a maintainer publishes them, the
    measurements follow, and a mirror pulled from the service must equal what was sent; the
    pulled catalogue is written to `folder`/published.ttl. Says each step; True when equal."""
    with tempfile.TemporaryDirectory(prefix="pps-catalogue-") as scratch:
        return _demo(catalogue, Path(scratch), folder / "published.ttl", say)


def _demo(catalogue: Catalogue, scratch: Path, target: Path, say: Callable[[str], None]) -> bool:
    with EmbeddedCatalogue(scratch / "catalogue", publisher=catalogue.publisher) as service:
        say(f"Started a catalogue service at {service.url} (SQLite in {service.folder}).")
        maintainer = CatalogueClient(service.url, service.token(catalogue.publisher, "maintainer"))
        with maintainer:
            shared = catalogue.model_copy(update={"services": [], "measurements": []})
            registered = maintainer.publish(shared)
            say(f"A maintainer of {catalogue.publisher} registered {counted(len(registered.others), 'shared object')} "
                "(organisations, channels, legal acts…).")
            for item in catalogue.services:
                holder = item.holders[0]
                with CatalogueClient(service.url, service.token(holder)) as client:
                    result = client.publish([item]).services[0]
                    submitted = client.submit(item.id)
                say(f"{holder} published {item.id} as {result.state.value if result.state else '?'} "
                    f"(version {result.version}) and submitted it (version {submitted.version}).")
                published = maintainer.publish_service(item.id)
                warned = f", {counted(len(submitted.findings), 'warning')} for the reviewer" if submitted.findings else ""
                say(f"The maintainer published {item.id} (version {published.version}{warned}).")
            by_indicator: dict[str, list] = {}
            for measurement in catalogue.measurements:
                by_indicator.setdefault(measurement.indicator, []).append(measurement)
            for indicator, values in by_indicator.items():
                maintainer.put_measurements(indicator, values)
            say(f"Sent {counted(len(catalogue.measurements), 'measurement')} of {counted(len(by_indicator), 'indicator')}.")
            mirror = Mirror(scratch / "mirror")
            mirror.update(maintainer)
            pulled = mirror.catalogue()
            dump(pulled, target)
        same = _records(pulled) == _records(catalogue)
        say(f"Pulled the published catalogue into {target} (cursor {mirror.cursor}): "
            + ("it equals what was sent." if same else "IT DIFFERS from what was sent."))
    say("Stopped the catalogue service.")
    return same


def _records(catalogue: Catalogue) -> dict:
    """Every record and measurement, without the catalogue's own title and publisher."""
    state = state_of_catalogue(catalogue)
    state["measurements"] = {k: sorted(v, key=str) for k, v in state["measurements"].items()}
    return state
