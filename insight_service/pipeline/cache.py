"""Explicit invalidation of the API response cache after a build wrote the marts.

The service keys every cached response on ``marts.mart_build_info.build_id`` and each worker
re-reads the build id at most every ``INSIGHTS_BUILD_CHECK_S`` seconds. That alone is not
enough: ``mart_build_info`` has no upstream model, so dbt rebuilds it within the first second
of a build, and a response computed while the other marts are still being rebuilt is cached
under the *new* build id with half-old data, for up to ``INSIGHTS_CACHE_TTL_S``. With a shared
Redis cache (``INSIGHTS_REDIS_URL`` / ``INSIGHTS_CACHE_BACKEND``) the refresh therefore deletes
every cached response once the build is over (whatever its build id): the next request of each
recomputes from the finished marts. In-process caches (the embedded demo, a worker without
Redis) cannot be reached from outside; they follow the build id alone.

Never called when nothing was built: a run with no new data leaves the cache alone.
"""
from __future__ import annotations

from typing import Any

SCAN_BATCH = 1000


def cache_settings() -> tuple[str, str]:
    """(backend, key prefix) as the service would use them (INSIGHTS_* variables)."""
    from insight_service.core.settings import Settings  # plain settings module, no web imports

    settings = Settings.from_env()
    return settings.cache_backend, settings.cache_key_prefix


def invalidate(backend: str, prefix: str) -> dict[str, Any]:
    """Delete every cached response (keys ``<prefix>:<build id>:<hash>``); returns what was done."""
    if not backend.startswith(("redis://", "rediss://", "unix://")):
        return {"result": "skipped", "backend": backend,
                "note": "per-worker cache: follows a new build id within INSIGHTS_BUILD_CHECK_S"}
    import redis

    client = redis.Redis.from_url(backend, socket_timeout=2, socket_connect_timeout=2)
    deleted = 0
    batch: list[bytes] = []
    try:
        for key in client.scan_iter(match=f"{_escape(prefix)}:*", count=SCAN_BATCH):
            batch.append(key)
            if len(batch) >= SCAN_BATCH:
                deleted += client.unlink(*batch)
                batch.clear()
        if batch:
            deleted += client.unlink(*batch)
    finally:
        client.close()
    return {"result": "ok", "backend": "redis", "deleted": deleted}


def _escape(text: str) -> str:
    """A literal for a Redis MATCH pattern."""
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)
