"""The session views."""
from __future__ import annotations

from flask import Response, request

from insight_service.api.session import bp
from insight_service.api.session.schemas import SessionData, SessionInfo, SignedOut, SignIn
from insight_service.api.session.service import check_sign_out, session_data, session_info, signed_in_key
from insight_service.api.web.context import ok, state
from insight_service.api.web.openapi import RouteSpec, api_route
from insight_service.api.web.session import clear_session_cookie, set_session_cookie

COOKIE_DOC = ("The cookie `insights_session` is HttpOnly, SameSite=Strict, Path=/, Max-Age = INSIGHTS_SESSION_TTL_S "
              "(Secure over HTTPS); it holds the key id, the store, a nonce and the expiry, signed with "
              "INSIGHTS_SECRET_KEY, never the key.")


@bp.post("/session")
@api_route(RouteSpec(
    summary="Sign in: exchange an API key for a session cookie (the dashboard page)",
    body=SignIn, response=SessionData, auth=False, tags=("session",), errors=(400, 401, 503),
    description="Body `{\"api_key\": \"mk_...\"}` (application/json). A wrong or revoked key -> 401. " + COOKIE_DOC
                + " Keep `csrf_token` in memory and send it as `X-CSRF-Token` on every POST/DELETE made with "
                  "the cookie."))
def sign_in() -> Response:
    key = signed_in_key(request)
    signer = state().sessions
    value, session = signer.issue(key)
    response = ok(session_data(key, session))
    set_session_cookie(response, value, signer.ttl_s, request.is_secure)
    return response


@bp.get("/session")
@api_route(RouteSpec(
    summary="The current session, its store and how fresh the data is",
    response=SessionInfo, tags=("session",), errors=(401, 503),
    description="With the session cookie (or a Bearer key: then `expires_at` and `csrf_token` are null). "
                "`data_as_of` is the marts' build time (mart_build_info.built_at)."))
def get_session() -> Response:
    return ok(session_info())


@bp.delete("/session")
@api_route(RouteSpec(
    summary="Sign out: clear the session cookie",
    response=SignedOut, auth=False, tags=("session",), errors=(403,),
    description="Clears the cookie. With a valid session cookie the header `X-CSRF-Token` is required "
                "(403 `csrf_failed` otherwise); the session is then ended on the server too (a copy of the "
                "cookie is refused: 401). An expired or invalid cookie is just cleared. To end every "
                "session of a key at once, revoke the key."))
def sign_out() -> Response:
    check_sign_out(request)
    response = ok({"signed_out": True})
    clear_session_cookie(response, request.is_secure)
    return response
