"""One JSON error handler: every error, expected or not, leaves as the envelope
``{"success": false, "error": {"code", "message", "details"}}``; never an HTML page."""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, jsonify
from werkzeug.exceptions import HTTPException

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


class ApiError(Exception):
    """An error with its HTTP status and envelope code."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, details: Any = None, status: int | None = None,
                 code: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        self.headers = headers or {}


class InvalidParameter(ApiError):
    """400 naming the parameter(s): ``details`` is ``[{"param", "message"}]``."""

    status = 400
    code = "invalid_parameter"

    def __init__(self, param: str, message: str, *, more: list[dict[str, str]] | None = None):
        problems = [{"param": param, "message": message}, *(more or [])]
        text = "; ".join(f"{p['param']}: {p['message']}" for p in problems)
        super().__init__(f"invalid parameter {text}", details=problems)
        self.param = param


class NotFound(ApiError):
    status = 404
    code = "not_found"


class Unauthorized(ApiError):
    status = 401
    code = "unauthorized"

    def __init__(self, message: str):
        super().__init__(message, headers={"WWW-Authenticate": 'Bearer realm="insights"'})


class ServiceUnavailable(ApiError):
    status = 503
    code = "service_unavailable"


def envelope_error(status: int, code: str, message: str, details: Any = None,
                   headers: dict[str, str] | None = None) -> Response:
    body = {"success": False, "error": {"code": code, "message": message, "details": details}}
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def handle_exception(exc: BaseException) -> Response:
    if isinstance(exc, ApiError):
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
    log.exception("unhandled error (request %s)", request_id)
    return envelope_error(500, "internal_error", "internal error", {"request_id": request_id})


def register(app: Flask) -> None:
    app.register_error_handler(Exception, handle_exception)
