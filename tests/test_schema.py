"""schemathesis against the app's own OpenAPI schema: no input makes the server fail."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from sanctionscope.engine.catalog import Catalog
from sanctionscope.load import DEFAULT_DATA, load_dataset
from sanctionscope.web.app import create_app

APP = create_app(Catalog(load_dataset(DEFAULT_DATA)), Path(tempfile.mkdtemp()), upload_limit=256 * 1024)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=[not_a_server_error])
