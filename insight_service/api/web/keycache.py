"""Verified API keys and page sessions, remembered per worker for ``INSIGHTS_KEY_CACHE_S`` seconds.

Without it every request pays a database round trip for its key (a py-spy profile under load put most of a
cached answer's time there). An entry is keyed by the key's sha256 (never the key itself) or by a session's
identity (key id, store, nonce: its cookie's signature and expiry are still checked on every request), and
holds what the lookup returned: only keys that passed, so a guessed key is looked up every time (the anonymous
limit pays for those). The price: a key revoked with ``insights keys revoke`` (or a session signed out on
another worker) keeps working in a worker that verified it for up to the TTL; 0 turns the cache off.
"""
from __future__ import annotations

import threading
import time

from insight_service.api.web.auth import ApiKey

MAX_ENTRIES = 10_000


class VerifiedKeys:
    def __init__(self, ttl_s: float, size: int = MAX_ENTRIES):
        self.ttl_s = ttl_s
        self.size = size
        self._entries: dict[str, tuple[float, ApiKey]] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.ttl_s > 0

    def get(self, ident: str) -> ApiKey | None:
        """The key verified under ``ident`` less than the TTL ago, else None."""
        entry = self._entries.get(ident)  # a plain read: the hot path takes no lock
        if entry is None or entry[0] <= time.monotonic():
            return None
        return entry[1]

    def put(self, ident: str, key: ApiKey) -> None:
        if not self.enabled:
            return
        with self._lock:
            self._entries.pop(ident, None)
            self._entries[ident] = (time.monotonic() + self.ttl_s, key)
            while len(self._entries) > self.size:  # the oldest first (insertion order)
                del self._entries[next(iter(self._entries))]

    def forget(self, ident: str) -> None:
        """Drop an entry at once (a session signed out through this worker)."""
        with self._lock:
            self._entries.pop(ident, None)


def bearer_ident(key_hash: str) -> str:
    return f"key:{key_hash}"


def session_ident(key_id: str, store_id: str, nonce: str) -> str:
    return f"session:{key_id}:{store_id}:{nonce}"
