"""Domain errors: what went wrong, in words the caller can act on, never how to say it over HTTP.

Each error has a ``message``, a stable ``code`` (the envelope's ``error.code``) and optional
``details``. The kind (the class) says what happened; the web layer (``api/web/errors.py``) maps
kinds to HTTP statuses, and the CLI or the pipeline just print the message.
"""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of the expected failures of a request or a job."""

    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None):
        super().__init__(message)
        self.message = message
        self.details = details
        if code is not None:
            self.code = code


class InvalidInput(DomainError):
    """A parameter has a value that cannot be used; ``details`` is ``[{"param", "message"}]``."""

    code = "invalid_parameter"

    def __init__(self, param: str, message: str, *, more: list[dict[str, str]] | None = None,
                 code: str | None = None):
        problems = [{"param": param, "message": message}, *(more or [])]
        text = "; ".join(f"{p['param']}: {p['message']}" for p in problems)
        super().__init__(f"invalid parameter {text}", code=code, details=problems)
        self.param = param


class Infeasible(InvalidInput):
    """Valid parameters that together ask for the impossible (e.g. budget bounds that cannot all hold)."""

    code = "infeasible_bounds"


class InsufficientData(DomainError):
    """The store's data cannot support the computation (e.g. no spend to split)."""

    code = "insufficient_data"


class Forbidden(DomainError):
    """The caller is known but may not do this (e.g. a cookie-authenticated change without its CSRF token)."""

    code = "forbidden"


class NotFound(DomainError):
    """The named thing (channel, report, insight) does not exist for this store."""

    code = "not_found"


class Conflict(DomainError):
    """The request conflicts with the current state (e.g. dismissing an actioned insight)."""

    code = "conflict"


class Unavailable(DomainError):
    """A dependency cannot answer now: the warehouse is down, slow, or the marts are missing."""

    code = "service_unavailable"


class WarehouseUnavailable(Unavailable):
    code = "warehouse_unavailable"


class MartsUnavailable(Unavailable):
    code = "marts_unavailable"


class QueryTimeout(Unavailable):
    code = "query_timeout"
