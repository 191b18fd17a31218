"""Property-based requests from the OpenAPI document against the real service on loopback:
no request of any shape gets a 5xx or a response that breaks the document."""

from __future__ import annotations

import os
import tempfile

import pytest
import schemathesis
from catalogue_support import MAINTAINER_ORG, LiveServer
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from pps_sdk.catalogue import Database, create_token
from pps_sdk.catalogue.openapi import openapi_document

THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
EXAMPLES = 30 if THOROUGH else 2
pytestmark = pytest.mark.thorough
schema = schemathesis.openapi.from_dict(openapi_document())
# The coverage phase enumerates edge cases of every schema when tests are collected: a minute
# and a half for this document, so it runs in the thorough profile only.
schema.config.phases.update(phases=["examples", "fuzzing", "coverage"] if THOROUGH else ["fuzzing"])


@pytest.fixture(scope="module")
def served():
    folder = tempfile.mkdtemp(prefix="pps-fuzz-")
    db = Database(os.path.join(folder, "catalogue.db"))
    from catalogue_support import Catalogue

    catalogue = Catalogue(db)
    server = LiveServer(catalogue.app)
    token = create_token(db, MAINTAINER_ORG, "maintainer")
    yield server.url, {"Authorization": f"Bearer {token}"}
    server.stop()
    db.dispose()


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.data_too_large])
def test_no_request_breaks_the_service(case, served):
    url, headers = served
    # Every check but one: the document cannot say the rules that span fields (a period ends
    # after it starts, references resolve), so data it allows may still be refused, with a 4xx.
    case.call_and_validate(base_url=url, headers=headers, excluded_checks=[positive_data_acceptance])
