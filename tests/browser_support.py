"""Pages opened in a real browser: headless Chromium (Debian's `chromium`).

A test adds a script to its page that does what a reader would and writes what it saw, as
JSON, into the `data-seen` attribute of the page's body; `seen_in_browser` opens the page and
returns that JSON. Without Chromium the test is skipped, unless PPS_REQUIRE_SERVERS is set,
when it fails instead.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest


def chromium() -> str:
    """The Chromium program; skips the test (fails it under PPS_REQUIRE_SERVERS) when there is none."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("PPS_REQUIRE_SERVERS"):
            pytest.fail("chromium is not installed (Debian package chromium)")
        pytest.skip("chromium is not installed (Debian package chromium)")
    return found


def seen_in_browser(page: Path, profile: Path) -> dict:
    """Open `page` in headless Chromium (a fresh profile in `profile`) and return what its
    script wrote into the body's `data-seen` attribute."""
    run = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                          f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120)
    found = re.search(r'data-seen="([^"]*)"', run.stdout)
    assert found, run.stderr[-2000:]
    return json.loads(html.unescape(found.group(1)))
