"""The OpenAPI 3.1 document of the catalogue service, generated from the protocol module.

The service serves it at `/openapi.json`; `schemas/pps-catalogue-openapi.json` is the same
document, kept in the repository (`pps schema openapi`).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from .. import __version__
from ..model import Catalogue, Indicator, Measurement
from . import protocol as p

REF = "#/components/schemas/{model}"
OPENAPI_FILE = "pps-catalogue-openapi.json"


def _schemas() -> tuple[dict[tuple[type[BaseModel], str], Any], dict[str, Any]]:
    models = {Catalogue, Indicator, Measurement, *(c.model for c in p.COLLECTIONS.values()),
              p.Problem, p.WriteResult, p.BulkResult, p.History, p.Listing, p.ChangePage}
    pairs = [(model, mode) for model in sorted(models, key=lambda m: m.__name__) for mode in ("validation", "serialization")]
    refs, defs = models_json_schema(pairs, ref_template=REF)
    return refs, defs.get("$defs", {})


def _ref(refs: dict, model: type[BaseModel], mode: str = "serialization") -> dict[str, Any]:
    return refs[(model, mode)]


def _document_content(refs: dict, model: type[BaseModel], mode: str) -> dict[str, Any]:
    """A record in every format it is offered in: JSON with its schema, the others as text."""
    content: dict[str, Any] = {}
    for name in p.offered_formats(model):  # type: ignore[arg-type]
        schema = _ref(refs, model, mode) if name == "json" else {"type": "string"}
        content[p.MEDIA_TYPES[name]] = {"schema": schema}
    return content


def _bulk_content(refs: dict) -> dict[str, Any]:
    """A bulk body: a catalogue document. In JSON each record is checked on its own, so the
    lists take any value and an invalid record is refused in its result, not the request."""
    content = _document_content(refs, Catalogue, "validation")
    lists = {name: {"type": "array", "items": {}, "description": f"{name.replace('_', ' ')}, each checked on its own"}
             for name in (*p.COLLECTIONS, p.MEASUREMENTS)}
    header = {name: {} for name in Catalogue.model_fields if name not in lists}
    content["application/json"] = {"schema": {"type": "object", "properties": {**header, **lists},
                                              "additionalProperties": False}}
    return content


def _problem(refs: dict, *slugs: str) -> dict[str, Any]:
    responses = {}
    for slug in slugs:
        status, title = p.PROBLEMS[slug]
        text = responses.get(str(status), {}).get("description")
        responses[str(status)] = {"description": f"{text}; {title}" if text else title,
                                  "content": {p.PROBLEM_JSON: {"schema": _ref(refs, p.Problem)}}}
    return responses


def _json_response(refs: dict, model: type[BaseModel], description: str, headers: dict | None = None) -> dict:
    response: dict[str, Any] = {"description": description, "content": {"application/json": {"schema": _ref(refs, model)}}}
    if headers:
        response["headers"] = headers
    return response


_PARAM_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
_IF_MATCH = {"name": p.IF_MATCH, "in": "header", "required": False, "schema": {"type": "string"},
             "description": "The ETag of the version the change is based on (required: 428 without it)."}
_IDEMPOTENCY = {"name": p.IDEMPOTENCY_KEY, "in": "header", "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": p.MAX_IDEMPOTENCY_KEY},
                "description": "Repeating a request with the same key returns the first answer and writes nothing new."}
_ETAG_HEADER = {p.ETAG: {"schema": {"type": "string"}, "description": "The version's entity tag."}}
_AUTH = [{"bearer": []}]
_READ_AUTH: list[dict[str, list[str]]] = [{}, {"bearer": []}]


def _collection_paths(refs: dict, collection: p.Collection) -> dict[str, Any]:
    model, name = collection.model, collection.path
    word = collection.name[:-1].replace("_", " ")
    listing_params = [{"name": "holder", "in": "query", "required": False, "schema": {"type": "string"}},
                      {"name": "source_id", "in": "query", "required": False, "schema": {"type": "string"}},
                      {"name": "state", "in": "query", "required": False, "schema": {"type": "string"}}]
    written = _json_response(refs, p.WriteResult, "What the write did.", _ETAG_HEADER)
    paths: dict[str, Any] = {
        f"/{name}": {
            "get": {"operationId": f"list_{collection.name}", "summary": f"List {collection.name.replace('_', ' ')}",
                    "parameters": listing_params, "security": _READ_AUTH,
                    "responses": {"200": _json_response(refs, p.Listing, "The records the caller may see."),
                                  **_problem(refs, "unauthorised")}},
            "post": {"operationId": f"create_{collection.name[:-1]}", "summary": f"Create a {word}",
                     "parameters": [_IDEMPOTENCY], "security": _AUTH,
                     "requestBody": {"required": True, "content": _document_content(refs, model, "validation")},
                     "responses": {"201": {**written, "description": "Created."}, "200": written,
                                   **_problem(refs, "bad-request", "unauthorised", "forbidden", "conflict", "too-large",
                                              "unsupported-media-type", "invalid", "idempotency-key-reused")}},
        },
        f"/{name}/{{id}}": {
            "parameters": [_PARAM_ID],
            "get": {"operationId": f"get_{collection.name[:-1]}", "summary": f"Read a {word}",
                    "parameters": [{"name": "version", "in": "query", "required": False,
                                    "schema": {"type": "integer", "minimum": 0}}],
                    "security": _READ_AUTH,
                    "responses": {"200": {"description": f"The {word}.", "headers": _ETAG_HEADER,
                                          "content": _document_content(refs, model, "serialization")},
                                  **_problem(refs, "bad-request", "unauthorised", "not-found", "not-acceptable")}},
            "put": {"operationId": f"update_{collection.name[:-1]}", "summary": f"Update a {word}",
                    "parameters": [_IF_MATCH, _IDEMPOTENCY], "security": _AUTH,
                    "requestBody": {"required": True, "content": _document_content(refs, model, "validation")},
                    "responses": {"200": written, **_problem(refs, "bad-request", "unauthorised", "forbidden",
                                                             "not-found", "conflict", "stale", "too-large",
                                                             "unsupported-media-type", "invalid",
                                                             "idempotency-key-reused", "precondition-required")}},
        },
        f"/{name}/{{id}}/history": {
            "parameters": [_PARAM_ID],
            "get": {"operationId": f"history_of_{collection.name[:-1]}", "summary": f"Versions of a {word}",
                    "security": _READ_AUTH,
                    "responses": {"200": _json_response(refs, p.History, "Every version: who, when, which state."),
                                  **_problem(refs, "unauthorised", "forbidden", "not-found")}},
        },
    }
    if collection is p.SERVICES:
        paths[f"/{name}/{{id}}"]["delete"] = {
            "operationId": "archive_service_by_delete", "summary": "Archive a service (nothing is deleted)",
            "parameters": [_IF_MATCH, _IDEMPOTENCY], "security": _AUTH,
            "responses": {"200": written, **_problem(refs, "unauthorised", "forbidden", "not-found", "conflict",
                                                     "stale", "precondition-required", "idempotency-key-reused",
                                                     "bad-request")}}
        for action in p.ACTIONS.values():
            paths[f"/services/{{id}}/{action.name}"] = {"parameters": [_PARAM_ID], "post": {
                "operationId": f"{action.name}_service", "summary": action.summary,
                "parameters": [_IF_MATCH, _IDEMPOTENCY], "security": _AUTH,
                "responses": {"200": written, **_problem(refs, "bad-request", "unauthorised", "forbidden", "not-found",
                                                         "conflict", "stale", "invalid", "idempotency-key-reused",
                                                         "precondition-required")}}}
    return paths


@cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the catalogue service."""
    refs, defs = _schemas()
    paths: dict[str, Any] = {}
    for collection in p.COLLECTIONS.values():
        paths.update(_collection_paths(refs, collection))
    catalogue_content = _document_content(refs, Catalogue, "serialization")
    paths["/catalogue"] = {"get": {
        "operationId": "get_catalogue", "summary": "The whole published catalogue (a snapshot)",
        "responses": {"200": {"description": "The published catalogue; the PPS-Cursor header is the feed cursor it "
                                             "is consistent with.", "content": catalogue_content,
                              "headers": {p.CURSOR: {"schema": {"type": "string"}}}},
                      **_problem(refs, "not-acceptable", "conflict")}}}
    paths["/changes"] = {"get": {
        "operationId": "get_changes", "summary": "Changes to the published catalogue after a cursor",
        "parameters": [{"name": "after", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}},
                       {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}}],
        "responses": {"200": _json_response(refs, p.ChangePage, "Changes in commit order."),
                      **_problem(refs, "bad-request")}}}
    paths["/bulk"] = {"post": {
        "operationId": "bulk_write", "summary": "Create or update many records (upsert; services by source id)",
        "parameters": [_IDEMPOTENCY], "security": _AUTH,
        "requestBody": {"required": True, "content": _bulk_content(refs)},
        "responses": {"200": _json_response(refs, p.BulkResult, "One result per record."),
                      **_problem(refs, "bad-request", "unauthorised", "too-large", "unsupported-media-type",
                                 "invalid", "idempotency-key-reused")}}}
    measurement_list = {"type": "array", "items": _ref(refs, Measurement, "validation")}
    paths["/indicators/{id}"] = {"parameters": [_PARAM_ID], "get": {
        "operationId": "get_indicator", "summary": "An indicator's passport", "security": _READ_AUTH,
        "responses": {"200": {"description": "The indicator.", "content": _document_content(refs, Indicator, "serialization")},
                      **_problem(refs, "unauthorised", "not-found", "not-acceptable")}}}
    paths["/indicators/{id}/measurements"] = {"parameters": [_PARAM_ID], "get": {
        "operationId": "get_measurements", "summary": "An indicator's measured values", "security": _READ_AUTH,
        "responses": {"200": {"description": "The measurements.", "content": {"application/json": {"schema": {
            "type": "array", "items": _ref(refs, Measurement)}}}}, **_problem(refs, "unauthorised", "not-found")}},
        "post": {"operationId": "put_measurements", "summary": "Add or correct measured values",
                 "parameters": [_IDEMPOTENCY], "security": _AUTH,
                 "requestBody": {"required": True, "content": {"application/json": {"schema": measurement_list}}},
                 "responses": {"200": _json_response(refs, p.WriteResult, "What changed."),
                               **_problem(refs, "bad-request", "unauthorised", "forbidden", "not-found", "conflict",
                                          "too-large", "unsupported-media-type", "invalid", "idempotency-key-reused")}}}
    paths["/health"] = {"get": {"operationId": "health", "summary": "Whether the service runs",
                                "responses": {"200": {"description": "It runs.", "content": {"application/json": {
                                    "schema": {"type": "object"}}}}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "PPS catalogue service", "version": __version__,
                 "description": "Publish public service descriptions (CPSV-AP 3.2.0) to a catalogue: records, "
                                "versions, review, the published snapshot and its change feed."},
        "paths": paths,
        "components": {"schemas": defs,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                                      "description": "An API token from `pps token create`."}}},
    }


def openapi_text() -> str:
    """The OpenAPI document as the text kept in `schemas/`."""
    return json.dumps(openapi_document(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
