"""Cached GETs answered before the view (issue 17: 1,000 busy connections).

A successful GET whose data came whole from the response cache (a view's ``ok_raw`` of a cached text: the
answers that carry an ETag) is kept as its bytes under the request's identity: build, store, path and query,
the identity its ETag already stands for. The next identical GET of that store is answered from there right
after authentication and the rate limits (a before_request hook registered after the limiter's), without the
view, the parameter parsing or the JSON assembly. Flask's after_request hooks still run on it, so it carries
what a normal answer carries: request id, security headers, ETag or 304, Cache-Control, CORS, rate-limit
headers, the request's metrics and log line (and a cache ``hit`` of the view's cache endpoint).

Only answers that are exactly the envelope of the one cached text the view read, and whose view set no header
of its own (Content-Type and Content-Length aside), are kept. They live in
the response cache's own backend (Redis or this worker's memory) under its prefix and build id, with its TTL:
a new build or the refresh's Redis invalidation drops them with the data they were made of.
"""
from __future__ import annotations

from flask import Response, g, request

from insight_service.api.web.cache import NullCache, ResponseCache
from insight_service.api.web.json import success_text
from insight_service.telemetry.metrics import CACHE_REQUESTS

VIEW_HEADERS = frozenset({"content-type", "content-length"})
FAST_ENDPOINT = "fast_path"  # the endpoint part of the entries' cache keys


class FastAnswers:
    def __init__(self, cache: ResponseCache, enabled: bool):
        self.cache = cache
        self.enabled = enabled and not isinstance(cache.backend, NullCache)
        self.served = 0  # answers this worker gave here (tests and diagnostics; not exact under threads)

    def _key(self, build_id: str, store_id: str, full_path: str) -> str:
        return self.cache.key(build_id, store_id, FAST_ENDPOINT, {"path": full_path})

    def answer(self) -> Response | None:
        """The kept answer of this authenticated GET, else None (the view runs)."""
        key = g.get("api_key")
        if not self.enabled or key is None or request.method != "GET":
            return None
        build = self.cache.tracker.current()
        if build is None:
            return None
        hit = self.cache.backend.get(self._key(build.build_id, key.store_id, request.full_path))
        if hit is None:
            return None
        endpoint, _, body = hit.partition("\n")
        CACHE_REQUESTS.labels(endpoint=endpoint, result="hit").inc()
        g.cache_build_id = build.build_id  # ETag and Cache-Control, as for the view's answer
        g.cache_endpoint = endpoint
        g.fast_path = True
        self.served += 1
        return Response(body, mimetype="application/json")

    def remember(self, response: Response) -> None:
        """Keep a view's answer made whole of cached data (before the ETag turns it into a 304)."""
        build_id, key, endpoint = g.get("cache_build_id"), g.get("api_key"), g.get("cache_endpoint")
        text = g.get("cache_text")
        if (not self.enabled or g.get("fast_path") or build_id is None or key is None or endpoint is None
                or text is None or request.method != "GET" or response.status_code != 200 or response.is_streamed
                or response.mimetype != "application/json"
                or any(name.lower() not in VIEW_HEADERS for name, _ in response.headers)):
            return
        body = response.get_data(as_text=True)
        if body != success_text(text):  # the view added to the cached data: its answer is not the cache's
            return
        self.cache.backend.set(self._key(build_id, key.store_id, request.full_path), f"{endpoint}\n{body}",
                               self.cache.ttl)
