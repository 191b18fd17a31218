"""`pps serve` and `pps token` as a user runs them: real processes, a real port on loopback."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from catalogue_support import free_port

from pps_sdk import dump
from pps_sdk.examples import example_catalogue

PPS = [str(Path(sys.executable).parent / "pps")]


def pps(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*PPS, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_tokens_from_the_command_line(tmp_path):
    created = pps("token", "create", "--org", "org-jelgava", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert token.startswith("pps_") and len(token) > 40 and "shown only now" in created.stderr
    assert (tmp_path / "pps-catalogue.db").is_file()  # the default database
    listed = pps("token", "list", cwd=tmp_path)
    token_id = token.split("_")[1]
    assert token_id in listed.stdout and "org-jelgava" in listed.stdout and token not in listed.stdout
    assert pps("token", "revoke", token_id, cwd=tmp_path).returncode == 0
    assert pps("token", "revoke", token_id, cwd=tmp_path).returncode == 1  # no live token of that id any more
    bad = pps("token", "create", "--org", "x", "--db", "mysql://nowhere/db", cwd=tmp_path)
    assert bad.returncode == 2 and "Cannot open the database" in bad.stderr and "Traceback" not in bad.stderr


def test_pps_serve_runs_a_catalogue(tmp_path):
    database = tmp_path / "catalogue.db"
    maintainer = pps("token", "create", "--db", str(database), "--org", "org-vdaa", "--role", "maintainer",
                     cwd=tmp_path).stdout.strip()
    port = free_port()
    server = subprocess.Popen([*PPS, "serve", "--db", str(database), "--port", str(port), "--publisher", "org-vdaa"],
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/health").status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        body = dump(example_catalogue().model_copy(update={"services": [], "measurements": []}), "json")
        written = httpx.post(f"{url}/bulk", content=body, headers={"Authorization": f"Bearer {maintainer}"})
        assert written.status_code == 200
        snapshot = httpx.get(f"{url}/catalogue")
        assert snapshot.status_code == 200 and json.loads(snapshot.text)["publisher"] == "org-vdaa"
        assert httpx.get(f"{url}/openapi.json").json()["openapi"] == "3.1.0"
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    assert "Catalogue service on" in output and maintainer not in output  # tokens never reach the log
    assert "POST /bulk" in output  # the access log is on
