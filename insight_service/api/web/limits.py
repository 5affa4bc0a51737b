"""The per-client-address limit of requests without a valid API key (INSIGHTS_ANON_RATE_LIMIT).

The per-key limit (flask-limiter, app.py) only counts requests whose key is valid: without this one a
client could send unlimited anonymous requests, or guess keys, each costing an API-key lookup. Counted
here, per client address: every request to a public endpoint (/healthz, /livez, /readyz, the OpenAPI
document, the sign-in), every request without credentials, every 401; not the page's own files (static
bytes, no database), so that reloading the page never locks an address out. A request that carries
a key is checked before its key is looked up: an address over its limit gets 429 at once, without a
database lookup, unless that key authenticated in this worker in the last minutes (:class:`RecentKeys`:
users sharing an address with a flood keep working, their key still checked).

The counters live in the rate limiter's storage (INSIGHTS_RATE_LIMIT_STORAGE: Redis, shared by all
gunicorn workers, or memory); a failing Redis falls back to counting in this worker's memory.
"""
from __future__ import annotations

import logging
import math
import time

from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from insight_service.api.web.errors import HttpError

log = logging.getLogger("insight_service.api.web.limits")


class AnonymousLimited(HttpError):
    def __init__(self, limit: str, retry_after_s: int):
        super().__init__(429, "rate_limited", f"rate limit exceeded ({limit} per client address without a valid "
                         "API key)", details={"limit": limit, "scope": "client_address"},
                         headers={"Retry-After": str(retry_after_s)})


class AnonymousLimit:
    def __init__(self, limit: str, storage_uri: str, prefix: str):
        self.item = parse(limit)
        self.prefix = prefix
        options = ({"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
                   if storage_uri.startswith(("redis://", "rediss://")) else {})
        self.limiter = FixedWindowRateLimiter(storage_from_string(storage_uri, **options))
        self.fallback = FixedWindowRateLimiter(MemoryStorage())
        self._warned_at = 0.0

    def _call(self, method: str, address: str) -> bool:
        try:
            return getattr(self.limiter, method)(self.item, self.prefix, "anon", address)
        except Exception as exc:  # the shared storage is away: count in this worker
            now = time.monotonic()
            if now - self._warned_at > 60:
                self._warned_at = now
                log.warning("rate limit storage unavailable, counting anonymous requests per worker: %s", exc)
            return getattr(self.fallback, method)(self.item, self.prefix, "anon", address)

    def _refuse(self, address: str) -> AnonymousLimited:
        try:
            reset = self.limiter.get_window_stats(self.item, self.prefix, "anon", address).reset_time
        except Exception:
            reset = self.fallback.get_window_stats(self.item, self.prefix, "anon", address).reset_time
        return AnonymousLimited(str(self.item), max(1, math.ceil(reset - time.time())))

    def hit(self, address: str) -> None:
        """Count one anonymous request of ``address``; 429 when it is over the limit."""
        if not self._call("hit", address):
            raise self._refuse(address)

    def allows(self, address: str) -> bool:
        """Whether ``address`` is still within its limit (counts nothing)."""
        return self._call("test", address)

    def refusal(self, address: str) -> AnonymousLimited:
        return self._refuse(address)


class RecentKeys:
    """Key ids that authenticated in this worker within the last ``ttl_s`` seconds: when their client's
    address is over the anonymous limit (a flood from a shared address), they are still looked up and
    served; unknown ones are refused without a lookup. Bounded: the oldest entries go first."""

    def __init__(self, ttl_s: float = 600.0, size: int = 10_000):
        self.ttl_s, self.size = ttl_s, size
        self._seen: dict[str, float] = {}

    def add(self, key_id: str) -> None:
        self._seen.pop(key_id, None)
        self._seen[key_id] = time.monotonic()
        if len(self._seen) > self.size:
            del self._seen[next(iter(self._seen))]

    def seen(self, key_id: str | None) -> bool:
        at = self._seen.get(key_id or "")
        return at is not None and time.monotonic() - at < self.ttl_s
