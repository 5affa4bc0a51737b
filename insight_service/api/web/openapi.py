"""OpenAPI 3.1 document built from the routes and the pydantic models of the features' ``schemas.py``.

Every view is declared with :func:`api_route`, which records its query model, path
parameters, response model and auth on the view function. :func:`build_document` walks the
Flask URL map, so every route of the app is listed (a route without a spec is an error),
and takes parameter and response schemas from the same models that validate requests.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from insight_service import __version__
from insight_service.api.web.params import Envelope, ErrorEnvelope, NoQuery, QueryModel

REF = "#/components/schemas/{model}"

SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "mk_<key_id>_<secret>",
                   "description": "API key of one store, created with `insights keys create --store ID`"},
    "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "insights_session",
                      "description": "the dashboard page's session (POST /api/marketing/analytics/session with an "
                                     "API key sets it); POST/DELETE with it also need the header X-CSRF-Token"},
    "metricsToken": {"type": "http", "scheme": "bearer",
                     "description": "the scrape token INSIGHTS_METRICS_TOKEN (GET /metrics only)"},
}

# an API route takes the key's Bearer header or the page's session cookie
API_SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}, {"sessionCookie": []}]

ERROR_DESCRIPTIONS = {
    400: "Invalid parameter (the message and `details` name it)",
    401: "Missing, invalid or revoked API key (or session)",
    403: "CSRF token missing or wrong (a POST/DELETE authenticated by the session cookie)",
    404: "Unknown channel, report or path",
    405: "Method not allowed",
    429: "Rate limit of the API key exceeded",
    500: "Internal error",
    501: "Not implemented yet",
    503: "Warehouse or marts unavailable",
}


@dataclasses.dataclass(frozen=True)
class RouteSpec:
    summary: str
    query: type[QueryModel] = NoQuery
    response: Any = None  # a pydantic model (wrapped in the success envelope) or None
    path_params: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    auth: bool = True
    description: str = ""
    tags: tuple[str, ...] = ("analytics",)
    csv: bool = False
    errors: tuple[int, ...] = (400, 401, 429, 503)
    success_status: int = 200
    # a route without an API key (auth=False) may still need a credential of its own: the name of its
    # scheme in SECURITY_SCHEMES (e.g. the scrape token of /metrics)
    security_scheme: str | None = None
    text: bool = False  # the success body is text/plain (the Prometheus exposition)
    body: Any = None  # a pydantic model of the JSON request body
    # False: a route outside the API area (the dashboard page's HTML and assets), not in the document
    document: bool = True


def api_route(spec: RouteSpec) -> Callable[[Callable], Callable]:
    """Attach ``spec`` to a view function (read by auth, validation and the document)."""

    def decorate(view: Callable) -> Callable:
        view._api_spec = spec  # type: ignore[attr-defined]
        return view

    return decorate


def spec_of(app: Flask, endpoint: str | None) -> RouteSpec | None:
    view = app.view_functions.get(endpoint or "")
    return getattr(view, "_api_spec", None)


def operation_name(endpoint: str) -> str:
    """``analytics_dashboard`` for the endpoint ``analytics.dashboard.dashboard``: the outermost
    blueprint (the API area) and the view's name. Feature blueprints are nested under one area
    blueprint, so the operation ids do not depend on which feature package holds a view."""
    parts = endpoint.split(".")
    return "_".join((parts[0], parts[-1])) if len(parts) > 1 else endpoint


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z_]+:)?([a-zA-Z_][a-zA-Z0-9_]*)>", r"{\1}", rule)


def _strip_null(schema: dict[str, Any]) -> dict[str, Any]:
    """``anyOf: [X, null]`` of an optional query parameter -> ``X`` (absence is the null)."""
    variants = schema.get("anyOf")
    if variants:
        non_null = [v for v in variants if v.get("type") != "null"]
        if len(non_null) == 1:
            merged = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
            merged.update(non_null[0])
            return merged
    return {k: v for k, v in schema.items() if not (k == "default" and v is None)}


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema.get("properties", {}).items():
        prop = _strip_null(dict(prop))
        description = prop.pop("description", None)
        prop.pop("title", None)
        param = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if description:
            param["description"] = description
        params.append(param)
    return params


def build_document(app: Flask) -> dict[str, Any]:
    routes: list[tuple[str, str, RouteSpec, list[str]]] = []
    response_models: set[Any] = {ErrorEnvelope}
    body_models: set[Any] = set()
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        spec = spec_of(app, rule.endpoint)
        if spec is None:
            raise RuntimeError(f"route {rule.rule} ({rule.endpoint}) has no RouteSpec")
        if not spec.document:
            continue
        if spec.body is not None:
            body_models.add(spec.body)
        methods = sorted(m for m in (rule.methods or ()) if m not in ("HEAD", "OPTIONS"))
        routes.append((rule.rule, rule.endpoint, spec, methods))
        if spec.response is not None and not spec.csv:
            response_models.add(Envelope[spec.response])

    ordered = [(m, "serialization") for m in sorted(response_models, key=lambda m: m.__name__)]
    ordered += [(m, "validation") for m in sorted(body_models, key=lambda m: m.__name__)]
    refs, defs = models_json_schema(ordered, ref_template=REF)
    components = defs.get("$defs", {})

    def ref(model: Any) -> dict[str, Any]:
        return refs[(model, "serialization")]

    paths: dict[str, dict[str, Any]] = {}
    for rule, endpoint, spec, methods in routes:
        path = _openapi_path(rule)
        for method in methods:
            parameters = [
                {"name": name, "in": "path", "required": True, "schema": {k: v for k, v in p.items()
                                                                          if k != "description"},
                 **({"description": p["description"]} if "description" in p else {})}
                for name, p in spec.path_params.items()
            ] + _query_parameters(spec.query)
            responses: dict[str, Any] = {}
            if spec.csv:
                content: dict[str, Any] = {"text/csv": {"schema": {"type": "string"},
                                                        "example": "channel,revenue\r\nseo,120.5\r\n"}}
                responses[str(spec.success_status)] = {"description": "CSV with a header row", "content": content}
            elif spec.text:
                responses[str(spec.success_status)] = {
                    "description": "Text", "content": {"text/plain": {"schema": {"type": "string"}}}}
            elif spec.response is not None:
                content = {"application/json": {"schema": ref(Envelope[spec.response])}}
                responses[str(spec.success_status)] = {"description": "Success", "content": content}
            codes = set(spec.errors) | {405, 500}
            if spec.auth:
                codes |= {401, 429}
                if method in ("POST", "PUT", "PATCH", "DELETE"):
                    codes.add(403)
            if spec.path_params:
                codes.add(404)
            for code in sorted(codes):
                responses[str(code)] = {
                    "description": ERROR_DESCRIPTIONS.get(code, "Error"),
                    "content": {"application/json": {"schema": ref(ErrorEnvelope)}},
                }
            operation: dict[str, Any] = {
                "operationId": f"{operation_name(endpoint)}_{method.lower()}",
                "summary": spec.summary,
                "tags": list(spec.tags),
                "parameters": parameters,
                "responses": responses,
            }
            if spec.description:
                operation["description"] = spec.description
            if spec.body is not None:
                operation["requestBody"] = {"required": True, "content": {
                    "application/json": {"schema": refs[(spec.body, "validation")]}}}
            operation["security"] = (API_SECURITY if spec.auth
                                     else [{spec.security_scheme: []}] if spec.security_scheme else [])
            paths.setdefault(path, {})[method.lower()] = operation

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Marketing insights API",
            "version": __version__,
            "description": (
                "Reads the marketing analytics marts. Every response is an envelope "
                "`{success, data}` or `{success: false, error: {code, message, details}}`. "
                "Money in the store currency; rates on a 0-100 scale; roas is a ratio."
            ),
        },
        "servers": [{"url": "/"}],
        "security": API_SECURITY,
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": SECURITY_SCHEMES,
        },
    }
