"""API keys: ``mk_<key_id>_<secret>``, one store each, stored as sha256 in ``app.api_keys``.

The key id is public (it names the key in ``insights keys list/revoke`` and is the rate-limit
identity); the secret is 256 bits from :mod:`secrets`. Only ``sha256(full key)`` is stored
and it is compared with :func:`hmac.compare_digest`. A revoked key is refused (401).
"""
from __future__ import annotations

import dataclasses
import hashlib
import hmac
import re
import secrets
from typing import Any

import psycopg
from psycopg import sql

from insight_service.api.web.errors import Unauthorized

PREFIX = "mk"
KEY_RE = re.compile(r"mk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")
KEY_ID_RE = re.compile(r"[0-9a-f]{12}")


@dataclasses.dataclass(frozen=True)
class ApiKey:
    key_id: str
    store_id: str


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def generate_key() -> tuple[str, str]:
    """A new ``(key_id, key)``."""
    key_id = secrets.token_hex(6)
    return key_id, f"{PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"


def parse_key(key: str) -> str | None:
    """The key id of a well-formed key, else None."""
    match = KEY_RE.fullmatch(key)
    return match.group(1) if match else None


def bearer_token(header: str | None) -> str:
    if not header:
        raise Unauthorized("missing Authorization: Bearer <api key> header")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("the Authorization header must be `Bearer <api key>`")
    return token.strip()


def verify_key(token: str, lookup) -> ApiKey:
    """Check an API key (from the header, or the sign-in form of the dashboard page)."""
    key_id = parse_key(token)
    if key_id is None:
        raise Unauthorized("invalid API key")
    row = lookup(key_id)
    # compare even when the id is unknown, so that timing does not tell ids apart
    stored = row["key_hash"] if row else "0" * 64
    if not hmac.compare_digest(hash_key(token), stored) or row is None:
        raise Unauthorized("invalid API key")
    if row["revoked_at"] is not None:
        raise Unauthorized("this API key has been revoked")
    return ApiKey(key_id=row["key_id"], store_id=row["store_id"])


def recheck_key(key_id: str, store_id: str, lookup) -> ApiKey:
    """The key a session names, re-read on every request: revoked (or gone) since sign-in, or the
    session signed out (``session_revoked`` in the row) -> 401."""
    row = lookup(key_id) if KEY_ID_RE.fullmatch(key_id) else None
    if row is None or row["store_id"] != store_id:
        raise Unauthorized("the API key of this session no longer exists: sign in again")
    if row["revoked_at"] is not None:
        raise Unauthorized("the API key of this session has been revoked: sign in with a valid key")
    if row.get("session_revoked"):
        raise Unauthorized("this session has been signed out: sign in again")
    return ApiKey(key_id=row["key_id"], store_id=row["store_id"])


# ---- management (CLI) -----------------------------------------------------------------

def create_key(conn: psycopg.Connection, store_id: str, name: str | None = None,
               schema: str = "app") -> tuple[str, str]:
    """Insert a key for ``store_id``; returns ``(key_id, key)``. The key is shown only once."""
    if not store_id or not store_id.strip():
        raise ValueError("store id must not be empty")
    key_id, key = generate_key()
    conn.execute(
        sql.SQL("insert into {}.api_keys (key_id, store_id, key_hash, name) values (%s, %s, %s, %s)")
        .format(sql.Identifier(schema)),
        (key_id, store_id.strip(), hash_key(key), name),
    )
    conn.commit()
    return key_id, key


def revoke_key(conn: psycopg.Connection, key_id_or_key: str, schema: str = "app") -> dict[str, Any] | None:
    """Revoke by key id (or full key); returns the row, or None when there is no such key."""
    key_id = parse_key(key_id_or_key) or key_id_or_key.strip()
    row = conn.execute(
        sql.SQL("update {}.api_keys set revoked_at = coalesce(revoked_at, now()) where key_id = %s "
                "returning key_id, store_id, revoked_at").format(sql.Identifier(schema)),
        (key_id,),
    ).fetchone()
    conn.commit()
    if row is None:
        return None
    return {"key_id": row[0], "store_id": row[1], "revoked_at": row[2]}


def list_keys(conn: psycopg.Connection, schema: str = "app") -> list[dict[str, Any]]:
    cur = conn.execute(
        sql.SQL("select key_id, store_id, name, created_at, revoked_at from {}.api_keys "
                "order by created_at, key_id").format(sql.Identifier(schema)))
    cols = [c.name for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]
