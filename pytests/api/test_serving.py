"""Serving under load: the warehouse circuit breaker, health/liveness/readiness, background jobs,
single flight, per-store concurrency, anonymous rate limits, ETags, malformed bodies."""
from __future__ import annotations

import time

import pytest

from pytests.api.conftest import BASE, Api, redis_available
from pytests.api.fixtures import STORE_A, STORE_B
from pytests.support.server import serving

needs_redis = pytest.mark.skipif(not redis_available(), reason="no Redis on 127.0.0.1:6379")


def _timed(request):
    started = time.monotonic()
    response = request()
    return response, time.monotonic() - started


# ---- fail fast ------------------------------------------------------------------------------

def test_breaker_opens_fails_fast_and_closes_when_the_database_returns(fresh_db, make_app):
    application = make_app(fresh_db, pool_timeout_s=2, pool_reconnect_timeout_s=1, build_check_s=0,
                           cache_backend="none", breaker_probe_s=0.5)
    client = application.test_client()
    api = Api(application, fresh_db.keys[STORE_A])
    assert api.get("/dashboard").status_code == 200
    fresh_db.allow_connections(False)
    try:
        first = api.get("/dashboard")  # waits for the pool at most once, then opens the circuit
        assert first.status_code == 503 and first.get_json()["error"]["code"] == "warehouse_unavailable"
        assert application.extensions["insights"].warehouse.breaker.is_open
        for request in (lambda: api.get("/dashboard"), lambda: api.get("/export/channels.csv"),
                        lambda: api.get("/budget/optimize", {"total_budget": 1000}),
                        lambda: client.get("/healthz"), lambda: client.get(f"{BASE}/readyz")):
            response, elapsed = _timed(request)
            assert response.status_code == 503, response.data
            assert elapsed < 0.5, f"{elapsed:.2f} s: not failing fast"
            error = response.get_json()["error"]
            assert error["code"] == "warehouse_unavailable" and error["details"]["reason"] == "circuit_open"
            assert int(response.headers["Retry-After"]) >= 1
        live, elapsed = _timed(lambda: client.get("/livez"))
        assert live.status_code == 200 and elapsed < 0.5  # the process answers without the database
    finally:
        fresh_db.allow_connections(True)
    started = time.monotonic()
    while api.get("/dashboard").status_code != 200:
        assert time.monotonic() - started < 5, "the service did not recover within 5 s"
        time.sleep(0.1)
    assert not application.extensions["insights"].warehouse.breaker.is_open
    assert client.get("/readyz").status_code == 200


def test_healthz_answers_within_a_second_when_the_pool_waits(fresh_db, make_app):
    """The database away but the circuit still closed: health gives up after INSIGHTS_HEALTH_TIMEOUT_S."""
    application = make_app(fresh_db, pool_timeout_s=5, pool_reconnect_timeout_s=1, cache_backend="none",
                           health_timeout_s=0.5)
    client = application.test_client()
    assert client.get("/healthz").status_code == 200
    fresh_db.allow_connections(False)
    try:
        for path in ("/healthz", "/readyz", f"{BASE}/healthz"):
            response, elapsed = _timed(lambda p=path: client.get(p))
            assert response.status_code == 503 and elapsed < 1.0, (path, elapsed)
            assert "Retry-After" in response.headers
    finally:
        fresh_db.allow_connections(True)


@pytest.mark.parametrize("path", ["/healthz", f"{BASE}/healthz"])
def test_anonymous_healthz_shows_the_status_only(app, keys, path):
    anonymous = app.test_client().get(path)
    assert anonymous.status_code == 200 and anonymous.get_json()["data"] == {"status": "ok"}
    bad_key = app.test_client().get(path, headers={"Authorization": "Bearer mk_000000000000_" + "x" * 43})
    assert bad_key.get_json()["data"] == {"status": "ok"}
    detailed = app.test_client().get(path, headers={"Authorization": f"Bearer {keys[STORE_A]}"}).get_json()["data"]
    assert detailed["build_id"] and "freshness" in detailed and "last_run" in detailed


@pytest.mark.parametrize("prefix", ["", BASE])
def test_livez_and_readyz(app, keys, prefix):
    client = app.test_client()
    assert client.get(f"{prefix}/livez").get_json() == {"success": True, "data": {"status": "ok"}}
    assert client.get(f"{prefix}/readyz").get_json()["data"] == {"status": "ready"}
    detailed = client.get(f"{prefix}/readyz", headers={"Authorization": f"Bearer {keys[STORE_A]}"})
    data = detailed.get_json()["data"]
    assert detailed.status_code == 200 and data["build_id"] and data["missing_marts"] == []


def test_readyz_names_a_missing_mart_only_to_a_key(fresh_db, make_app):
    application = make_app(fresh_db, build_check_s=0)
    fresh_db.execute("alter table marts.fct_unified_metrics rename to fct_unified_metrics_old")
    anonymous = application.test_client().get("/readyz")
    assert anonymous.status_code == 503 and anonymous.get_json()["error"]["details"] is None
    detailed = Api(application, fresh_db.keys[STORE_A]).get("/readyz")
    assert detailed.get_json()["error"]["details"] == {"missing_marts": ["fct_unified_metrics"]}


def test_missing_mart_503_names_it_without_database_text(fresh_db, make_app):
    api = Api(make_app(fresh_db, build_check_s=0), fresh_db.keys[STORE_A])
    fresh_db.execute("alter table marts.fct_unified_metrics rename to fct_unified_metrics_old")
    response = api.get("/dashboard")
    error = response.get_json()["error"]
    assert response.status_code == 503 and error["code"] == "marts_unavailable"
    assert "fct_unified_metrics" in error["message"] and error["details"] == {"mart": "fct_unified_metrics"}
    assert "does not exist" not in response.get_data(as_text=True)  # PostgreSQL's wording stays in the log


# ---- bulkheads --------------------------------------------------------------------------------

def _poll(api, job_id, timeout=20):
    deadline = time.monotonic() + timeout
    while True:
        response = api.get(f"/jobs/{job_id}")
        assert response.status_code == 200, response.get_data(as_text=True)
        job = response.get_json()["data"]
        if job["status"] in ("done", "failed"):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.05)


def test_generate_is_a_job_any_worker_finds_and_only_its_store_sees(marts_db, make_app, keys):
    worker_1, worker_2 = make_app(marts_db), make_app(marts_db)  # two gunicorn workers: one database
    accepted = Api(worker_1, keys[STORE_A]).post("/insights/generate")
    assert accepted.status_code == 202
    job = accepted.get_json()["data"]
    assert set(job) == {"job_id", "status"} and job["status"] == "queued"
    done = _poll(Api(worker_2, keys[STORE_A]), job["job_id"])
    synchronous = Api(worker_1, keys[STORE_A]).post("/insights/generate", {"wait": "true"})
    assert synchronous.status_code == 201
    assert done["status"] == "done" and done["kind"] == "insights_generate"
    assert done["result"] == synchronous.get_json()["data"]  # the same data the synchronous call returns
    for other in (Api(worker_1, keys[STORE_B]), Api(worker_2, keys[STORE_B])):
        response = other.get(f"/jobs/{job['job_id']}")
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "unknown_job"
    assert Api(worker_1, keys[STORE_A]).get("/jobs/not-a-uuid").status_code == 404
    assert Api(worker_1, None).get(f"/jobs/{job['job_id']}").status_code == 401


def test_a_failing_job_reports_its_error(marts_db, make_app, keys):
    from insight_service.core.errors import InsufficientData

    application = make_app(marts_db)
    st = application.extensions["insights"]

    def fails():
        raise InsufficientData("nothing to do", code="no_signals")

    job = st.jobs.submit(STORE_A, "test", fails)
    failed = _poll(Api(application, keys[STORE_A]), job["job_id"])
    assert failed["status"] == "failed" and failed["error"]["code"] == "no_signals" and failed["result"] is None


def test_full_job_queue_is_429(marts_db, make_app, keys):
    import threading

    application = make_app(marts_db, job_workers=1, job_queue=0, heavy_per_store=5)
    st = application.extensions["insights"]
    release = threading.Event()
    st.jobs.submit(STORE_B, "test", lambda: release.wait(10))
    try:
        response = Api(application, keys[STORE_A]).post("/insights/generate")
        assert response.status_code == 429 and response.get_json()["error"]["code"] == "too_busy"
        assert int(response.headers["Retry-After"]) >= 1
    finally:
        release.set()
    deadline = time.monotonic() + 10
    while (response := Api(application, keys[STORE_A]).post("/insights/generate")).status_code == 429:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert response.status_code == 202


def test_heavy_requests_per_store_are_limited(marts_db, make_app, keys):
    application = make_app(marts_db, heavy_per_store=1)
    slots = application.extensions["insights"].slots
    a, b = Api(application, keys[STORE_A]), Api(application, keys[STORE_B])
    slots.acquire(STORE_A)  # one heavy request of store A is running
    try:
        for response in (a.get("/budget/optimize", {"total_budget": 1000}), a.get("/export/channels.csv"),
                         a.post("/insights/generate"), a.post("/insights/generate", {"wait": "true"})):
            assert response.status_code == 429, response.get_data(as_text=True)
            error = response.get_json()["error"]
            assert error["code"] == "too_busy" and error["details"] == {"running": 1, "limit": 1}
            assert response.headers["Retry-After"] == "2"
        assert b.get("/export/channels.csv").status_code == 200  # another store is not held back
        assert a.get("/dashboard").status_code == 200  # nor are light endpoints
    finally:
        slots.release(STORE_A)
    assert a.get("/export/channels.csv").status_code == 200
    assert slots.running(STORE_A) == 0  # every request gave its slot back


def test_identical_cold_computations_run_once(marts_db, make_app):
    import threading

    application = make_app(marts_db)
    cache = application.extensions["insights"].cache
    calls = []
    barrier = threading.Barrier(2)
    results = []

    def compute():
        calls.append(1)
        time.sleep(0.3)  # the second caller arrives while the first computes
        return {"plan": [1, 2, 3]}

    def request():
        with application.app_context():
            barrier.wait(5)
            results.append(cache.get_or_compute(STORE_A, "budget_optimize", {"total_budget": 1}, compute, raw=True))

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(calls) == 1 and results == ['{"plan":[1,2,3]}'] * 2
    # a different key is its own computation
    with application.app_context():
        cache.get_or_compute(STORE_A, "budget_optimize", {"total_budget": 2}, compute)
    assert len(calls) == 2


def test_single_flight_shares_the_error_too():
    import threading

    from insight_service.api.web.bulkhead import SingleFlight

    flights, calls, outcomes = SingleFlight(), [], []
    barrier = threading.Barrier(2)

    def compute():
        calls.append(1)
        time.sleep(0.3)
        raise ValueError("boom")

    def run():
        barrier.wait(5)
        try:
            flights.do("k", compute)
        except ValueError as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert calls == [1] and outcomes == ["boom", "boom"]


# ---- limits for everyone ------------------------------------------------------------------------

BAD_KEY = {"Authorization": "Bearer mk_0123456789ab_" + "A" * 43}  # well formed: would cost a lookup


def _client(application, address):
    client = application.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _assert_anonymous_429(response):
    assert response.status_code == 429, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "rate_limited" and error["details"]["scope"] == "client_address"
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_anonymous_requests_are_limited_per_address(marts_db, make_app, keys):
    application = make_app(marts_db, anon_rate_limit="3/minute")
    client = _client(application, "10.0.0.1")
    valid = {"Authorization": f"Bearer {keys[STORE_A]}"}
    for _ in range(5):  # requests with a valid key are not anonymous: not counted here
        assert client.get(f"{BASE}/dashboard", headers=valid).status_code == 200
    assert client.get("/livez").status_code == 200
    assert client.get(f"{BASE}/dashboard").status_code == 401  # no key
    assert client.get(f"{BASE}/dashboard", headers=BAD_KEY).status_code == 401  # unknown key
    _assert_anonymous_429(client.get("/healthz"))
    _assert_anonymous_429(client.get(f"{BASE}/dashboard", headers=BAD_KEY))  # refused before the lookup
    # the address is over its limit: a key that was valid here a moment ago is still served (and checked) ...
    assert client.get(f"{BASE}/dashboard", headers=valid).status_code == 200
    # ... another key, never seen by this worker, is refused before any lookup until the window ends
    _assert_anonymous_429(client.get(f"{BASE}/dashboard", headers={"Authorization": f"Bearer {keys[STORE_B]}"}))
    # the page's own files are not counted: the page still loads from this address
    assert client.get("/").status_code in (200, 503)
    other = _client(application, "10.0.0.2")
    assert other.get("/livez").status_code == 200  # another address has its own count


@needs_redis
def test_anonymous_limit_is_shared_by_workers_through_redis(marts_db, make_app):
    import os
    import uuid

    url = os.environ.get("INSIGHTS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    prefix = f"insights-test-{uuid.uuid4().hex[:8]}"
    worker_1, worker_2 = (make_app(marts_db, anon_rate_limit="3/minute", rate_limit_storage=url,
                                   rate_limit_key_prefix=prefix) for _ in range(2))
    assert _client(worker_1, "10.0.1.1").get("/livez").status_code == 200
    assert _client(worker_2, "10.0.1.1").get(f"{BASE}/dashboard", headers=BAD_KEY).status_code == 401
    assert _client(worker_1, "10.0.1.1").get("/readyz").status_code == 200
    _assert_anonymous_429(_client(worker_2, "10.0.1.1").get("/livez"))


def test_bad_anonymous_limit_is_refused_at_start():
    from insight_service.core.settings import ConfigError, Settings

    with pytest.raises(ConfigError, match="anon_rate_limit"):
        Settings.from_env({"anon_rate_limit": "lots"})
    assert Settings.from_env({"anon_rate_limit": "5/second"}).anon_rate_limit == "5/second"


def test_anonymous_limit_falls_back_to_memory_when_redis_is_away(marts_db, make_app):
    application = make_app(marts_db, anon_rate_limit="2/minute", rate_limit_storage="redis://127.0.0.1:1/0")
    client = _client(application, "10.0.2.1")
    assert [client.get("/livez").status_code for _ in range(3)] == [200, 200, 429]


# ---- ETags ------------------------------------------------------------------------------------

def test_cached_responses_carry_an_etag_and_revalidate(fresh_db, make_app):
    application = make_app(fresh_db, build_check_s=0)
    a, b = Api(application, fresh_db.keys[STORE_A]), Api(application, fresh_db.keys[STORE_B])
    first = a.get("/dashboard", {"days": 30})
    etag = first.headers["ETag"]
    assert first.status_code == 200 and first.headers["Cache-Control"] == "private, no-cache"
    again = a.get("/dashboard", {"days": 30})
    assert again.headers["ETag"] == etag and again.data == first.data  # the cached bytes, served as they are
    not_modified = a.get("/dashboard", {"days": 30}, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert not_modified.headers["ETag"] == etag
    # another query, another store: another validator
    assert a.get("/dashboard", {"days": 7}, headers={"If-None-Match": etag}).status_code == 200
    other = b.get("/dashboard", {"days": 30}, headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag
    # a new marts build changes every validator
    fresh_db.execute("update marts.mart_build_info set build_id = 'fixture-build-2'")
    rebuilt = a.get("/dashboard", {"days": 30}, headers={"If-None-Match": etag})
    assert rebuilt.status_code == 200 and rebuilt.headers["ETag"] != etag


def test_uncached_responses_have_no_etag(api_a):
    for response in (api_a.get("/insights"), api_a.get("/export/channels.csv"), api_a.client.get("/livez")):
        assert response.status_code == 200 and "ETag" not in response.headers
        assert response.headers["Cache-Control"] == "no-store"
    error = api_a.get("/dashboard", {"days": "x"})
    assert error.status_code == 400 and "ETag" not in error.headers


# ---- bodies that used to give 500s ---------------------------------------------------------------

DEEP = "[" * 20_000  # 20 KB: under MAX_CONTENT_LENGTH, deeper than the JSON parser's recursion


def test_deeply_nested_json_is_400(api_a):
    for path in ("/insights/generate", "/session"):
        response = api_a.client.post(BASE + path, data=DEEP, content_type="application/json",
                                     headers=api_a.headers())
        assert response.status_code == 400, (path, response.get_data(as_text=True)[:300])
        assert response.get_json()["success"] is False


def test_oversized_body_is_413(api_a):
    response = api_a.client.post(BASE + "/insights/generate", data="x" * (65 * 1024),
                                 content_type="application/json", headers=api_a.headers())
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "payload_too_large"


def _raw_http(port: int, payload: bytes) -> tuple[int, dict]:
    import json
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(payload)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body) if body.strip() else {}


def test_bad_bodies_under_the_real_server(fresh_db):
    """Through `insights serve` itself (the front's own framing, not the test client's)."""
    with serving(fresh_db.env, "--workers", "1") as port:
        head = (f"POST {BASE}/insights/generate HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                f"Authorization: Bearer {fresh_db.keys[STORE_A]}\r\nContent-Type: application/json\r\n")
        status, body = _raw_http(port, (head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n").encode())
        assert status == 400 and body["error"]["code"] == "bad_request", body
        deep = DEEP.encode()
        status, body = _raw_http(port, (head + f"Content-Length: {len(deep)}\r\n\r\n").encode() + deep)
        assert status == 400 and body["success"] is False, body
        big = b"x" * (65 * 1024)
        status, body = _raw_http(port, (head + f"Content-Length: {len(big)}\r\n\r\n").encode() + big)
        assert status == 413 and body["error"]["code"] == "payload_too_large", body
