"""`pps publish` and `pps pull` against `pps serve`, as processes on loopback; publishing that
is killed at random moments and started again loses nothing and writes nothing twice."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from catalogue_support import MAINTAINER_ORG, ServeProcess, served  # noqa: F401

from pps_sdk import dump, load
from pps_sdk.catalogue.client import CatalogueClient
from pps_sdk.examples import example_catalogue, large_catalogue
from pps_sdk.formats.rdf import canonical

PPS = str(Path(sys.executable).parent / "pps")
EXAMPLES = example_catalogue()


def pps(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([PPS, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def token_file(folder: Path, served: ServeProcess, org: str, role: str = "publisher") -> Path:
    path = folder / f"{org}-{role}.token"
    path.write_text(served.token(org, role) + "\n")
    return path


def test_publish_from_the_command_line(tmp_path, served):
    maintainer = token_file(tmp_path, served, MAINTAINER_ORG, "maintainer")
    shared = tmp_path / "shared.ttl"
    dump(EXAMPLES.model_copy(update={"services": [], "measurements": []}), shared)
    first = pps("publish", str(shared), "--to", served.url, "--token-file", str(maintainer), cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr

    # A holder's file with one good service and one that is not a valid model.
    permit = EXAMPLES.service("ps-jelgava-buvatlauja")
    broken = {**permit.model_dump(mode="json", exclude_defaults=True), "id": "ps-broken", "source_id": "X-1",
              "importance": "very"}
    services = tmp_path / "services.json"
    services.write_text(json.dumps({"services": [permit.model_dump(mode="json", exclude_defaults=True), broken]}))
    holder = token_file(tmp_path, served, permit.holders[0])
    dry = pps("publish", str(services), "--to", served.url, "--dry-run", cwd=tmp_path)
    assert dry.returncode == 1 and "Would send 1 record" in dry.stdout
    run = pps("publish", str(services), "--to", served.url, "--token-file", str(holder), "--submit", cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr  # one refused
    assert "refused" in run.stdout and "ps-broken" in run.stdout and "importance" in run.stdout
    rows = json.loads((tmp_path / "publish-results.json").read_text())
    assert [(r["id"], r["outcome"], r["state"]) for r in rows] == [
        ("ps-broken", "refused", ""), (permit.id, "created", "submitted")]
    assert (tmp_path / "publish-results.csv").read_text().splitlines()[0] == "file,collection,id,outcome,version,state,detail"

    nothing = pps("publish", str(services), "--to", "http://127.0.0.1:9", "--token-file", str(holder), "--attempts", "2",
                  cwd=tmp_path)
    assert nothing.returncode == 2 and "Nothing more could be sent" in nothing.stderr
    missing = pps("publish", str(tmp_path / "nope.json"), "--to", served.url, "--token-file", str(holder), cwd=tmp_path)
    assert missing.returncode == 2


def test_pull_mirrors_the_snapshot_then_only_the_changes(tmp_path, served):
    with CatalogueClient(served.url, served.token(MAINTAINER_ORG, "maintainer")) as maintainer:
        maintainer.publish(EXAMPLES)
        first, *rest = EXAMPLES.services
        maintainer.submit(first.id)
        maintainer.publish_service(first.id)
        run = pps("pull", "--from", served.url, "--out", "mirror", "--format", "ttl", cwd=tmp_path)
        assert run.returncode == 0 and "read the snapshot: 1 published service" in run.stdout, run.stderr
        for service in rest:
            maintainer.submit(service.id)
            maintainer.publish_service(service.id)
        again = pps("pull", "--from", served.url, "--out", "mirror", "--format", "ttl", cwd=tmp_path)
        assert again.returncode == 0 and f"{len(rest)} changes since the last run" in again.stdout
        mirrored = load(tmp_path / "mirror" / "catalogue.ttl")
        snapshot, _ = maintainer.snapshot()
        assert sorted(s.id for s in mirrored.services) == sorted(s.id for s in EXAMPLES.services)
        assert mirrored == canonical(snapshot)  # RDF has no order: lists come back in canonical order
        idle = pps("pull", "--from", served.url, "--out", "mirror", "--format", "ttl", cwd=tmp_path)
        assert "up to date" in idle.stdout


def done_requests(outbox: Path) -> int:
    """How many requests of the job in `outbox` are confirmed (0 before the job is written)."""
    try:
        with sqlite3.connect(f"file:{outbox}?mode=ro", uri=True) as db:
            return db.execute("SELECT COUNT(*) FROM requests WHERE results IS NOT NULL").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.thorough
@pytest.mark.parametrize("seed", [1, 2, 3, 4] if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else [1])
def test_a_killed_publish_finishes_with_nothing_lost_and_nothing_doubled(tmp_path, served, seed):
    count = 400
    big = large_catalogue(count)
    services = [s.model_copy(update={"source_id": f"{s.source_id}-{n}"}) for n, s in enumerate(big.services)]
    source = tmp_path / "big.json"
    dump(big.model_copy(update={"services": services}), source)
    maintainer = token_file(tmp_path, served, MAINTAINER_ORG, "maintainer")
    command = [PPS, "publish", str(source), "--to", served.url, "--token-file", str(maintainer),
               "--outbox", str(tmp_path / "publish.outbox"), "--batch-size", "20"]
    chance = random.Random(seed)
    outbox = tmp_path / "publish.outbox"
    kills = 0
    for _ in range(4):  # killed at a random point of the job, four times, then left to finish
        process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        target = done_requests(outbox) + chance.randint(0, 3)
        while process.poll() is None and done_requests(outbox) < target:
            time.sleep(0.005)
        time.sleep(chance.uniform(0, 0.05))  # and somewhere inside the next request
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
    final = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert final.returncode == 0, final.stdout + final.stderr
    assert kills == 4  # 20 requests in all; at most 16 are confirmed before the last kill
    results = json.loads((tmp_path / "publish-results.json").read_text())
    service_results = [r for r in results if r["collection"] == "services"]
    # Every service was created exactly once: a request resent after a kill got its first answer back.
    assert len(service_results) == count and {r["outcome"] for r in service_results} == {"created"}
    assert {r["version"] for r in service_results} == {1}
    with CatalogueClient(served.url, served.token(MAINTAINER_ORG, "maintainer")) as maintainer:
        listed = maintainer.find("services").items
        assert sorted(item.id for item in listed) == sorted(s.id for s in services)
        assert {item.version for item in listed} == {1}
