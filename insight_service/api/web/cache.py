"""Response cache keyed by (build id, store, endpoint, normalised parameters); every lookup is
counted in insights_cache_requests_total{endpoint,result}.

``marts.mart_build_info.build_id`` changes on every ``dbt build``; it is part of every key,
so a new build invalidates everything at once (old entries simply expire). The build id is
read at most every ``build_check_s`` seconds per worker. Backends: Redis (shared by all
gunicorn workers) or an in-process LRU (per worker); a failing Redis degrades to no cache.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import g

from insight_service.api.web.bulkhead import SingleFlight
from insight_service.api.web.json import JSONProvider
from insight_service.core.errors import MartsUnavailable
from insight_service.core.warehouse import Warehouse
from insight_service.telemetry.metrics import CACHE_REQUESTS

log = logging.getLogger("insight_service.api.web.cache")


class MemoryCache:
    def __init__(self, max_entries: int = 2048):
        self.max_entries = max_entries
        self._data: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return None
            expires, value = item
            if expires < time.monotonic():
                del self._data[key]
                return None
            self._data.move_to_end(key)
            return value

    def set(self, key: str, value: str, ttl: int) -> None:
        with self._lock:
            self._data[key] = (time.monotonic() + ttl, value)
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


class RedisCache:
    """Shared cache; any Redis error is logged and treated as a miss (never a 500)."""

    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._warned_at = 0.0

    def _warn(self, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._warned_at > 60:
            self._warned_at = now
            log.warning("redis cache unavailable, serving uncached: %s", exc)

    def get(self, key: str) -> str | None:
        try:
            value = self.client.get(key)
        except Exception as exc:  # redis down: a miss
            self._warn(exc)
            return None
        return value.decode() if isinstance(value, bytes) else value

    def set(self, key: str, value: str, ttl: int) -> None:
        try:
            self.client.set(key, value, ex=ttl)
        except Exception as exc:
            self._warn(exc)


class NullCache:
    def get(self, key: str) -> str | None:
        return None

    def set(self, key: str, value: str, ttl: int) -> None:
        pass


def make_cache(backend: str) -> MemoryCache | RedisCache | NullCache:
    if backend == "memory":
        return MemoryCache()
    if backend == "none":
        return NullCache()
    return RedisCache(backend)


@dataclasses.dataclass(frozen=True)
class BuildInfo:
    build_id: str
    built_at: dt.datetime | None
    attribution_default_model: str | None


class BuildTracker:
    """The current marts build, re-read at most every ``interval`` seconds."""

    def __init__(self, warehouse: Warehouse, interval: float):
        self.warehouse = warehouse
        self.interval = interval
        self._lock = threading.Lock()
        self._checked_at = -float("inf")
        self._info: BuildInfo | None = None

    def current(self) -> BuildInfo | None:
        now = time.monotonic()
        if now - self._checked_at < self.interval:
            return self._info
        with self._lock:
            if now - self._checked_at < self.interval:
                return self._info
            try:
                row = self.warehouse.build_info()
            except MartsUnavailable:
                row = None  # marts not built: serve uncached
            self._info = (BuildInfo(str(row["build_id"]), row["built_at"], row["attribution_default_model"])
                          if row and row.get("build_id") is not None else None)
            self._checked_at = time.monotonic()
            return self._info


class ResponseCache:
    def __init__(self, backend: MemoryCache | RedisCache | NullCache, tracker: BuildTracker,
                 ttl: int, prefix: str):
        self.backend = backend
        self.tracker = tracker
        self.ttl = ttl
        self.prefix = prefix
        # identical cold requests arriving together compute once (e.g. 50 budget plans for one key)
        self.flights = SingleFlight()

    def key(self, build_id: str, store_id: str, endpoint: str, params: dict[str, Any]) -> str:
        ident = json.dumps([store_id, endpoint, params], sort_keys=True, default=str, separators=(",", ":"))
        return f"{self.prefix}:{build_id}:{hashlib.sha256(ident.encode()).hexdigest()}"

    def get_or_compute(self, store_id: str, endpoint: str, params: dict[str, Any],
                       compute: Callable[[], Any], *, raw: bool = False) -> Any:
        """The cached value (or its JSON text when ``raw``), computing and storing it on a miss."""
        build = self.tracker.current()
        if build is None or isinstance(self.backend, NullCache):
            CACHE_REQUESTS.labels(endpoint=endpoint, result="miss").inc()  # uncached: computed
            value, text = self._computed(self.key("uncached", store_id, endpoint, params), compute, None)
            return text if raw else value
        key = self.key(build.build_id, store_id, endpoint, params)
        if raw:
            g.cache_build_id = build.build_id  # the response may carry an ETag (app.py) and be kept (fastpath.py)
            g.cache_endpoint = endpoint
        hit = self.backend.get(key)
        if hit is not None:
            CACHE_REQUESTS.labels(endpoint=endpoint, result="hit").inc()
            if raw:
                g.cache_text = hit
            return hit if raw else json.loads(hit)
        CACHE_REQUESTS.labels(endpoint=endpoint, result="miss").inc()
        value, text = self._computed(key, compute, key)
        if raw:
            g.cache_text = text
        return text if raw else value

    def _computed(self, flight_key: str, compute: Callable[[], Any], store_key: str | None) -> tuple[Any, str]:
        """``(value, JSON text)`` of ``compute()``, once for all callers of ``flight_key`` at the same time
        (stored under ``store_key``); a caller that waited gets its own copy of the value."""
        leader = threading.get_ident()

        def run() -> tuple[int, Any, str]:
            value = compute()
            text = dumps(value)
            if store_key is not None:
                self.backend.set(store_key, text, self.ttl)
            return leader, value, text

        computed_by, value, text = self.flights.do(flight_key, run)
        return (value if computed_by == leader else json.loads(text)), text


def dumps(value: Any) -> str:
    return json.dumps(value, default=JSONProvider.default, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def etag_of(build_id: str, store_id: str, full_path: str) -> str:
    """The validator of a cached response: the marts build and the request's identity (store, path and
    query), so it changes with every build and never matches another store's response."""
    ident = json.dumps([build_id, store_id, full_path], separators=(",", ":"))
    return hashlib.sha256(ident.encode()).hexdigest()[:32]


def with_etag(response: Any, request: Any) -> Any:
    """A successful GET served from the response cache gets ``ETag`` and ``Cache-Control: private,
    no-cache`` (browsers keep it and revalidate); a matching ``If-None-Match`` turns it into a 304
    without a body."""
    build_id = g.get("cache_build_id")
    key = g.get("api_key")
    if build_id is None or key is None or request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    response.set_etag(etag_of(build_id, key.store_id, request.full_path))
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("Authorization")
    response.vary.add("Cookie")
    return response.make_conditional(request)
