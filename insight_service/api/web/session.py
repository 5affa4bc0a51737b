"""Sessions of the dashboard page: a signed, stateless cookie instead of the API key in the browser.

Signing in (``POST <base>/session`` with the key) sets ``insights_session``: the key id, the store,
a random nonce, issue and expiry times, signed with ``INSIGHTS_SECRET_KEY`` (itsdangerous, HMAC).
The key itself is never in the cookie. The cookie is HttpOnly (no script reads it), SameSite=Strict
(another site cannot make the browser send it) and Secure when the request came over HTTPS.

Every request that carries it re-reads the key's row (the lookup the Bearer path uses), at most
``INSIGHTS_KEY_CACHE_S`` seconds apart per worker (api/web/keycache.py), so revoking the key ends its
sessions within that time. A change (POST/PUT/PATCH/DELETE) authenticated by the cookie also
needs ``X-CSRF-Token: HMAC(secret, nonce)`` (the sign-in response gives it; the page keeps it in
memory): a second defence if SameSite is not honoured. A Bearer header wins over the cookie.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import secrets
import time
from typing import Any

from flask import Request, Response
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from insight_service.api.web.auth import ApiKey, bearer_token, hash_key, parse_key, recheck_key, verify_key
from insight_service.api.web.errors import Unauthorized
from insight_service.api.web.keycache import VerifiedKeys, bearer_ident, session_ident
from insight_service.core.errors import Forbidden

COOKIE_NAME = "insights_session"
CSRF_HEADER = "X-CSRF-Token"
# a new salt (v2 ...) invalidates every cookie of an earlier format
SALT = "insights.session.v1"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_COOKIE_CHARS = 1024


@dataclasses.dataclass(frozen=True)
class Session:
    key_id: str
    store_id: str
    nonce: str
    issued_at: int  # unix seconds
    expires_at: int

    def expires_iso(self) -> str:
        return dt.datetime.fromtimestamp(self.expires_at, dt.UTC).isoformat().replace("+00:00", "Z")


class SessionSigner:
    """Issues and checks session cookies and their CSRF tokens with one secret."""

    def __init__(self, secret: str, ttl_s: int):
        self.ttl_s = ttl_s
        self._serializer = URLSafeTimedSerializer(secret, salt=SALT)
        self._csrf_key = hashlib.sha256(b"insights.csrf\0" + secret.encode("utf-8")).digest()

    def issue(self, key: ApiKey, now: float | None = None) -> tuple[str, Session]:
        issued = int(now if now is not None else time.time())
        session = Session(key.key_id, key.store_id, secrets.token_urlsafe(16), issued, issued + self.ttl_s)
        payload = {"k": session.key_id, "s": session.store_id, "n": session.nonce,
                   "i": session.issued_at, "e": session.expires_at}
        return self._serializer.dumps(payload), session

    def load(self, value: str) -> Session:
        """The session of a cookie value; 401 when it is tampered with, malformed or expired."""
        if len(value) > MAX_COOKIE_CHARS:
            raise Unauthorized("invalid session: sign in again")
        try:
            payload: Any = self._serializer.loads(value, max_age=self.ttl_s)
        except SignatureExpired:
            raise Unauthorized("the session has expired: sign in again") from None
        except BadSignature:
            raise Unauthorized("invalid session: sign in again") from None
        try:
            session = Session(str(payload["k"]), str(payload["s"]), str(payload["n"]),
                              int(payload["i"]), int(payload["e"]))
        except (TypeError, KeyError, ValueError):
            raise Unauthorized("invalid session: sign in again") from None
        if time.time() >= session.expires_at:
            raise Unauthorized("the session has expired: sign in again")
        return session

    def csrf_token(self, session: Session) -> str:
        return hmac.new(self._csrf_key, session.nonce.encode("utf-8"), hashlib.sha256).hexdigest()

    def check_csrf(self, session: Session, given: str | None) -> None:
        if not given or not hmac.compare_digest(given.strip().encode("utf-8", "replace"),
                                                self.csrf_token(session).encode()):
            raise Forbidden(f"this request is authenticated by the session cookie and needs the header "
                            f"{CSRF_HEADER} with the session's csrf_token", code="csrf_failed")


def authenticate_request(request: Request, lookup, signer: SessionSigner, session_lookup=None,
                         verified: VerifiedKeys | None = None) -> tuple[ApiKey, Session | None]:
    """The key of a request: its Bearer header when there is one, else its session cookie
    (re-checked against the key's row; CSRF token required on changes), else 401. With ``verified``,
    a key or session that passed in the last seconds is not looked up again."""
    header = request.headers.get("Authorization")
    cookie = request.cookies.get(COOKIE_NAME)
    if header or not cookie:
        return _bearer_key(header, lookup, verified), None
    session = signer.load(cookie)  # signature and expiry: every request
    ident = session_ident(session.key_id, session.store_id, session.nonce)
    key = verified.get(ident) if verified is not None else None
    if key is None:
        # session_lookup(key_id, nonce): the key's row and whether this session was signed out
        key = recheck_key(session.key_id, session.store_id,
                          (lambda key_id: session_lookup(key_id, session.nonce)) if session_lookup else lookup)
        if verified is not None:
            verified.put(ident, key)
    if request.method in UNSAFE_METHODS:
        signer.check_csrf(session, request.headers.get(CSRF_HEADER))
    return key, session


def _bearer_key(header: str | None, lookup, verified: VerifiedKeys | None) -> ApiKey:
    token = bearer_token(header)
    if verified is None or not verified.enabled:
        return verify_key(token, lookup)
    ident = bearer_ident(hash_key(token))  # a hit is the same key: its hash matched a verified one
    key = verified.get(ident)
    if key is None:
        key = verify_key(token, lookup)
        verified.put(ident, key)
    return key


def claimed_key_id(request: Request, signer: SessionSigner) -> str | None:
    """The key id a request claims (its Bearer key's, else its valid cookie's), without a lookup."""
    header = request.headers.get("Authorization")
    if header:
        scheme, _, token = header.strip().partition(" ")
        return parse_key(token.strip()) if scheme.lower() == "bearer" else None
    cookie = request.cookies.get(COOKIE_NAME)
    if not cookie:
        return None
    try:
        return signer.load(cookie).key_id
    except Unauthorized:
        return None


def set_session_cookie(response: Response, value: str, ttl_s: int, secure: bool) -> None:
    response.set_cookie(COOKIE_NAME, value, max_age=ttl_s, path="/", secure=secure, httponly=True,
                        samesite="Strict")


def clear_session_cookie(response: Response, secure: bool) -> None:
    response.delete_cookie(COOKIE_NAME, path="/", secure=secure, httponly=True, samesite="Strict")
