"""Shared fixtures: the example catalogues as plain data, ready to be broken on purpose."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest

from pps_sdk.examples import NAMES, example_text

ROOT = Path(__file__).resolve().parents[1]
# The team's shared files (official CPSV-AP files, data) sit next to the project; PPS_SHARED
# points elsewhere when a checkout lives somewhere else.
SHARED = Path(os.environ.get("PPS_SHARED", ROOT.parent / "shared"))


@pytest.fixture
def building() -> dict:
    """The building-permit example catalogue as a JSON dictionary (a fresh copy per test)."""
    return copy.deepcopy(json.loads(example_text("building-permit")))


@pytest.fixture(params=NAMES)
def example_name(request: pytest.FixtureRequest) -> str:
    return request.param
