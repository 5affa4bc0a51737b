"""One JSON error handler: every error, expected or not, leaves as the envelope
``{"success": false, "error": {"code", "message", "details"}}``; never an HTML page.

Domain errors (core/errors.py) carry no HTTP status: :data:`STATUS_OF_KIND` maps their kind to one
(invalid input and insufficient data 400, forbidden 403, not found 404, conflict 409, unavailable 503). Errors that
only exist over HTTP (401) are :class:`HttpError`; Werkzeug's routing errors keep their status.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, jsonify
from werkzeug.exceptions import HTTPException

from insight_service.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InsufficientData,
    InvalidInput,
    NotFound,
    Unavailable,
)
from insight_service.telemetry import sentry

log = logging.getLogger("insight_service.api")

# envelope codes of plain HTTP errors
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    408: "request_timeout",
    413: "payload_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    429: "rate_limited",
    431: "request_header_fields_too_large",
    500: "internal_error",
    501: "not_implemented",
    503: "service_unavailable",
}


# HTTP status of each domain error kind (core/errors.py); the first matching kind wins
STATUS_OF_KIND: tuple[tuple[type[DomainError], int], ...] = (
    (InvalidInput, 400),
    (InsufficientData, 400),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (Unavailable, 503),
)


def status_of(exc: DomainError) -> int:
    """The HTTP status a domain error leaves with (400 for a kind without its own)."""
    return next((status for kind, status in STATUS_OF_KIND if isinstance(exc, kind)), 400)


class HttpError(Exception):
    """An error that only exists over HTTP (e.g. a missing API key), with its status and headers."""

    def __init__(self, status: int, code: str, message: str, *, details: Any = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}


class Unauthorized(HttpError):
    def __init__(self, message: str):
        super().__init__(401, "unauthorized", message, headers={"WWW-Authenticate": 'Bearer realm="insights"'})


def envelope_error(status: int, code: str, message: str, details: Any = None,
                   headers: dict[str, str] | None = None) -> Response:
    body = {"success": False, "error": {"code": code, "message": message, "details": details}}
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def handle_exception(exc: BaseException) -> Response:
    if isinstance(exc, DomainError):
        status = status_of(exc)
        if status >= 500:
            log.warning("%s %s: %s", status, exc.code, exc.message)
        return envelope_error(status, exc.code, exc.message, exc.details)
    if isinstance(exc, HttpError):
        if exc.status >= 500 and exc.status != 501:
            log.warning("%s %s: %s", exc.status, exc.code, exc.message)
        return envelope_error(exc.status, exc.code, exc.message, exc.details, exc.headers)
    if isinstance(exc, HTTPException):
        status = exc.code or 500
        code = HTTP_CODES.get(status, "http_error")
        headers: dict[str, str] = {}
        details: Any = None
        if status == 405 and getattr(exc, "valid_methods", None):
            allowed = sorted(exc.valid_methods)
            headers["Allow"] = ", ".join(allowed)
            details = {"allowed_methods": allowed}
        if status == 429:
            message = f"rate limit exceeded ({exc.description})"
            details = {"limit": str(exc.description)}
        elif status == 404:
            message = "no such endpoint"
        else:
            message = exc.description or exc.name
        return envelope_error(status, code, message, details, headers)
    request_id = getattr(g, "request_id", None)
    log.exception("unhandled error (request %s)", request_id, extra={"request_id": request_id})
    sentry.capture(exc)  # this handler catches everything: the Flask integration would never see it
    return envelope_error(500, "internal_error", "internal error", {"request_id": request_id})


def register(app: Flask) -> None:
    app.register_error_handler(Exception, handle_exception)
