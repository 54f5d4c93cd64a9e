"""The OpenAPI document as the server really answers.

FastAPI's generated schema is adjusted in one place:

- error responses are ``application/problem+json`` (RFC 9457), not ``application/json``;
- no operation answers 422 (invalid input is a 400 problem naming the field), so the
  422 responses FastAPI adds are removed;
- an operation that takes an upload may answer 415 (a file that is not .csv or .parquet);
- parameters that name a jurisdiction list the canonical ids the data set knows
  (schema ``Jurisdiction``), ``attest`` the exception and licence ids (``AttestId``) and
  ``edition`` the HS editions it holds, so a client (and a schema-driven tester) knows
  which values are answered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from sanctionscope.engine.catalog import Catalog
from sanctionscope.web.problems import MEDIA_TYPE

#: Query and path parameters that name a jurisdiction (resolved by the data set).
JURISDICTION_PARAMETERS = {
    "origin",
    "destination",
    "country",
    "a",
    "b",
    "issuer",
    "imposer",
    "target",
    "focus",
}
JSON = "application/json"


def install(app: FastAPI, catalog: Catalog) -> None:
    """Serve the adjusted schema at ``/openapi.json`` (built once, on first request)."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = adjust(generate(), catalog)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def jurisdiction_ids(catalog: Catalog) -> list[str]:
    known = catalog.dataset.jurisdictions
    return sorted({*known.blocs, *known.territories, *known.iso.countries})


def adjust(schema: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Jurisdiction"] = {
        "type": "string",
        "title": "Jurisdiction",
        "enum": jurisdiction_ids(catalog),
        "description": "A canonical jurisdiction id: an ISO 3166-1 alpha-2 country, a bloc (e.g. EU) or a "
        "territory. ISO3 codes, English names and ISO 3166-2 subdivision codes are read too.",
    }
    components["AttestId"] = {
        "type": "string",
        "title": "AttestId",
        "enum": sorted(catalog.dataset.exception_ids | catalog.dataset.licence_ids),
        "description": "The id of an exception or of a licensing regime in the data.",
    }
    editions = sorted(catalog.dataset.nomenclature.codes)
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            _parameters(operation.get("parameters", []), editions)
            _responses(operation)
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    return schema


def _parameters(parameters: list[dict[str, Any]], editions: list[str]) -> None:
    for parameter in parameters:
        name = parameter.get("name")
        if name in JURISDICTION_PARAMETERS and parameter.get("in") in ("query", "path"):
            parameter["schema"] = {"$ref": "#/components/schemas/Jurisdiction"}
        elif name == "attest" and parameter.get("in") == "query":
            parameter["schema"] = {"type": "array", "items": {"$ref": "#/components/schemas/AttestId"}}
        elif name == "edition" and parameter.get("in") == "query":
            parameter["schema"] = {**parameter["schema"], "enum": editions}


def _responses(operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    responses.pop("422", None)
    body = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in body and "415" not in responses:
        responses["415"] = {
            "description": "The upload is not of a type the operation reads",
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}},
        }
    for status, response in responses.items():
        content = response.get("content", {})
        if status[0] in "45" and JSON in content:
            content[MEDIA_TYPE] = content.pop(JSON)
