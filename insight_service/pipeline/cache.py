"""Explicit invalidation of the API response cache after a build changed the marts.

The service keys every cached response on ``marts.mart_build_info.build_id`` and each worker
re-reads the build id at most every ``INSIGHTS_BUILD_CHECK_S`` seconds, so a new build is
served within that delay in any case. With a shared Redis cache (``INSIGHTS_REDIS_URL`` /
``INSIGHTS_CACHE_BACKEND``) the refresh also deletes every entry of an older build at once:
a worker that has not re-read the build id yet then misses and recomputes from the new marts
instead of serving a stale entry. In-process caches (the embedded demo) cannot be reached
from outside; they follow the build id alone.

Never called when nothing was built: a run with no new data leaves the cache alone.
"""
from __future__ import annotations

from typing import Any

SCAN_BATCH = 1000


def cache_settings() -> tuple[str, str]:
    """(backend, key prefix) as the service would use them (INSIGHTS_* variables)."""
    from insight_service.api.config import Settings  # plain settings module, no web imports

    settings = Settings.from_env()
    return settings.cache_backend, settings.cache_key_prefix


def invalidate(backend: str, prefix: str, build_id: str | None) -> dict[str, Any]:
    """Delete the cached responses of every build but ``build_id`` (None: every entry);
    returns what was done."""
    if not backend.startswith(("redis://", "rediss://", "unix://")):
        return {"result": "skipped", "backend": backend,
                "note": "per-worker cache: follows a new build id within INSIGHTS_BUILD_CHECK_S"}
    import redis

    client = redis.Redis.from_url(backend, socket_timeout=2, socket_connect_timeout=2)
    keep = f"{prefix}:{build_id}:".encode() if build_id else None
    deleted = 0
    batch: list[bytes] = []
    try:
        for key in client.scan_iter(match=f"{_escape(prefix)}:*", count=SCAN_BATCH):
            if keep is not None and key.startswith(keep):
                continue
            batch.append(key)
            if len(batch) >= SCAN_BATCH:
                deleted += client.unlink(*batch)
                batch.clear()
        if batch:
            deleted += client.unlink(*batch)
    finally:
        client.close()
    return {"result": "ok", "backend": "redis", "deleted": deleted, "kept_build_id": build_id}


def _escape(text: str) -> str:
    """A literal for a Redis MATCH pattern."""
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)
