"""schemathesis against the app's own OpenAPI schema, with every check it has.

Not only "no input makes the server fail": every status, media type, header and body
is the one the schema declares; schema-valid requests are answered, schema-violating
ones refused; methods the schema does not list are refused with ``Allow``. The one
adjustment (uploads, whose validity the schema cannot express) is in
``schemathesis.toml``, with its reason. Generation is derandomized, so a run is repeatable.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from sanctionscope.engine.catalog import Catalog
from sanctionscope.load import DEFAULT_DATA, load_dataset
from sanctionscope.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
APP = create_app(Catalog(load_dataset(DEFAULT_DATA)), Path(tempfile.mkdtemp()), upload_limit=256 * 1024)
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", APP, config=SchemathesisConfig.from_path(ROOT / "schemathesis.toml")
)
load_all_checks()
#: Every check schemathesis has (as ``schemathesis run --checks all``).
ALL_CHECKS = CHECKS.get_all()


def test_every_check_runs() -> None:
    names = {check.__name__ for check in ALL_CHECKS}
    assert {
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "positive_data_acceptance",
        "unsupported_method",
        "allow_header_conformance",
    } <= names


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=ALL_CHECKS)
