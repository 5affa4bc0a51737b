"""Opening, describing and closing a page session."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Request, g
from pydantic import ValidationError

from insight_service.api.session.schemas import SignIn
from insight_service.api.web.auth import ApiKey, verify_key
from insight_service.api.web.context import data_as_of, last_data_date, state, store_profile
from insight_service.api.web.errors import Unauthorized
from insight_service.api.web.keycache import session_ident
from insight_service.api.web.session import COOKIE_NAME, CSRF_HEADER, Session
from insight_service.core.errors import InvalidInput

BODY_EXAMPLE = '{"api_key": "mk_..."}'


def signed_in_key(request: Request) -> ApiKey:
    """The key of a sign-in body ``{"api_key": ...}``: 400 for a malformed body, 401 for a bad key."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput("api_key", f"the body must be JSON {BODY_EXAMPLE} (Content-Type: application/json)")
    try:
        sign_in = SignIn.model_validate(body)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        param = str(err["loc"][0]) if err["loc"] else "api_key"
        message = "is required" if err["type"] == "missing" else str(err["msg"])
        raise InvalidInput(param, f"{message}; the body must be {BODY_EXAMPLE}") from None
    return verify_key(sign_in.api_key.strip(), state().warehouse.api_key)


def session_data(key: ApiKey, session: Session | None) -> dict[str, Any]:
    signer = state().sessions
    return {"store_id": key.store_id, "key_id": key.key_id,
            "expires_at": session.expires_iso() if session else None,
            "csrf_token": signer.csrf_token(session) if session else None}


def session_info() -> dict[str, Any]:
    """The request's session (or Bearer key) with its store and how fresh the data is."""
    last = last_data_date()
    return {**session_data(g.api_key, g.get("session")), "store": store_profile(), "data_as_of": data_as_of(),
            "last_data_date": last.isoformat() if last else None}


def check_sign_out(request: Request) -> None:
    """Signing out with a valid session needs its CSRF token (another site must not end it); a stale
    or broken cookie is simply cleared."""
    cookie = request.cookies.get(COOKIE_NAME)
    if not cookie:
        return
    signer = state().sessions
    try:
        session = signer.load(cookie)
    except Unauthorized:
        return
    signer.check_csrf(session, request.headers.get(CSRF_HEADER))
    # a copy of the cookie (another tab, a stolen one) must not outlive the sign-out: refused in this worker at
    # once, in the others once their verified entry expires (INSIGHTS_KEY_CACHE_S)
    state().warehouse.revoke_session(session.nonce, session.key_id,
                                     dt.datetime.fromtimestamp(session.expires_at, dt.UTC))
    state().verified.forget(session_ident(session.key_id, session.store_id, session.nonce))
