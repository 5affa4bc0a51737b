"""Optional error tracking: ``SENTRY_DSN`` set -> the Sentry SDK with its Flask integration; unset ->
the SDK is never imported. Events leave without personal data or secrets: ``before_send`` drops the
Authorization and Cookie headers, query strings (also inside URLs in any text) and frame locals, and
masks API keys (``mk_...``) and the value of OPENAI_API_KEY wherever they appear in the event."""
from __future__ import annotations

import os
import re
from typing import Any

FILTERED = "[Filtered]"
API_KEY_RE = re.compile(r"mk_[0-9A-Za-z_-]+")
URL_QUERY_RE = re.compile(r"((?:https?://|/)[^\s'\"?]*)\?[^\s'\"]*")
SECRET_HEADERS = {"authorization", "cookie", "set-cookie", "proxy-authorization", "x-api-key"}

_enabled = False


def _mask(text: str, secrets: list[str]) -> str:
    text = API_KEY_RE.sub(FILTERED, text)
    text = URL_QUERY_RE.sub(lambda m: f"{m.group(1)}?{FILTERED}", text)
    for secret in secrets:
        text = text.replace(secret, FILTERED)
    return text


def _scrub(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        return _mask(value, secrets)
    if isinstance(value, dict):
        return {k: (FILTERED if str(k).lower() in SECRET_HEADERS else _scrub(v, secrets)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v, secrets) for v in value]
    return value


def scrub_event(event: dict[str, Any], hint: Any = None) -> dict[str, Any]:
    """Sentry's before_send: the event without headers, query strings or key material."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("query_string", None)
        request.pop("cookies", None)
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
        if isinstance(request.get("headers"), dict):
            request["headers"] = {k: v for k, v in request["headers"].items() if k.lower() not in SECRET_HEADERS}
    openai_key = os.environ.get("OPENAI_API_KEY", "").strip()
    return _scrub(event, [openai_key] if len(openai_key) >= 8 else [])


def init_from_env() -> bool:
    """Start the SDK when SENTRY_DSN is set (once per process); whether error tracking is on."""
    global _enabled
    dsn = os.environ.get("SENTRY_DSN", "").strip()
    if not dsn:
        return False
    if not _enabled:
        import sentry_sdk
        from sentry_sdk.integrations.flask import FlaskIntegration

        # no local variables in stack frames: a request, a key or a payload would travel with them
        sentry_sdk.init(dsn=dsn, integrations=[FlaskIntegration()], send_default_pii=False,
                        include_local_variables=False, before_send=scrub_event,
                        environment=os.environ.get("SENTRY_ENVIRONMENT") or None,
                        traces_sample_rate=0.0)
        _enabled = True
    return True


def capture(exc: BaseException) -> None:
    """Report an exception the service turned into a 500 (its error handler catches everything, so
    the Flask integration never sees it); nothing when error tracking is off."""
    if _enabled:
        import sentry_sdk

        sentry_sdk.capture_exception(exc)


def flush(timeout: float = 2.0) -> None:
    if _enabled:
        import sentry_sdk

        sentry_sdk.flush(timeout)
