"""Serving under load, the cheap paths (issue 17): verified keys remembered per worker for INSIGHTS_KEY_CACHE_S
(and what that does to revocation), and cached GETs answered before the view (api/web/fastpath.py) with the
same headers, body, metrics and log line as the view's answer."""
from __future__ import annotations

import logging
import time

import psycopg
import pytest
from prometheus_client import REGISTRY

from insight_service.api.web import auth
from insight_service.api.web.session import COOKIE_NAME, CSRF_HEADER
from pytests.api.conftest import BASE, Api
from pytests.api.fixtures import STORE_A, STORE_B, STORE_B_MARKERS


def _new_key(db, store=STORE_A) -> tuple[str, str]:
    with psycopg.connect(db.conninfo) as conn:
        return auth.create_key(conn, store, "key cache test")


def _revoke(db, key_id: str) -> None:
    with psycopg.connect(db.conninfo) as conn:
        auth.revoke_key(conn, key_id)


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    return response.get_json()["error"]


# ---- verified keys ---------------------------------------------------------------------------------

def test_a_verified_key_is_not_looked_up_again_within_the_ttl(fresh_db, make_app):
    key_id, key = _new_key(fresh_db)
    cached = Api(make_app(fresh_db, key_cache_s=60), key)
    uncached = Api(make_app(fresh_db, key_cache_s=0), key)
    assert cached.get("/dashboard").status_code == 200 and uncached.get("/dashboard").status_code == 200
    _revoke(fresh_db, key_id)
    # the trade-off: the worker that verified it a moment ago still serves it (until its entry expires) ...
    assert cached.get("/dashboard").status_code == 200
    # ... one without the cache refuses it at once
    assert "revoked" in _error(uncached.get("/dashboard"), 401)["message"]


def test_a_revoked_key_stops_working_within_the_ttl(fresh_db, make_app):
    key_id, key = _new_key(fresh_db)
    api = Api(make_app(fresh_db, key_cache_s=0.5), key)
    assert api.get("/dashboard").status_code == 200
    _revoke(fresh_db, key_id)
    time.sleep(0.6)
    assert "revoked" in _error(api.get("/dashboard"), 401)["message"]
    assert "revoked" in _error(api.get("/dashboard"), 401)["message"]  # a refused key is never remembered


def test_only_the_verified_key_itself_hits_the_cache(fresh_db, make_app):
    key_id, key = _new_key(fresh_db)
    application = make_app(fresh_db, key_cache_s=60)
    assert Api(application, key).get("/dashboard").status_code == 200
    same_id_other_secret = f"mk_{key_id}_" + "B" * 43  # well formed, same key id: still compared with the row
    assert _error(Api(application, same_id_other_secret).get("/dashboard"), 401)["message"] == "invalid API key"
    assert application.extensions["insights"].verified.get(auth.hash_key(same_id_other_secret)) is None


def _sign_in(client, key: str) -> str:
    response = client.post(f"{BASE}/session", json={"api_key": key})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["data"]["csrf_token"]


def test_a_signed_out_session_ends_at_once_here_and_within_the_ttl_elsewhere(fresh_db, make_app):
    _, key = _new_key(fresh_db)
    secret = "s" * 40
    here = make_app(fresh_db, secret_key=secret, key_cache_s=0.5).test_client()
    elsewhere = make_app(fresh_db, secret_key=secret, key_cache_s=0.5).test_client()  # another worker
    csrf = _sign_in(here, key)
    cookie = here.get_cookie(COOKIE_NAME).value
    elsewhere.set_cookie(COOKIE_NAME, cookie)
    assert here.get(f"{BASE}/dashboard").status_code == 200 and elsewhere.get(f"{BASE}/dashboard").status_code == 200
    assert here.delete(f"{BASE}/session", headers={CSRF_HEADER: csrf}).status_code == 200
    here.set_cookie(COOKIE_NAME, cookie)  # a copy of the signed-out cookie
    assert "signed out" in _error(here.get(f"{BASE}/dashboard"), 401)["message"]
    time.sleep(0.6)
    assert "signed out" in _error(elsewhere.get(f"{BASE}/dashboard"), 401)["message"]


def test_a_revoked_key_ends_its_sessions_within_the_ttl(fresh_db, make_app):
    key_id, key = _new_key(fresh_db)
    client = make_app(fresh_db, key_cache_s=0.5).test_client()
    _sign_in(client, key)
    assert client.get(f"{BASE}/dashboard").status_code == 200
    _revoke(fresh_db, key_id)
    time.sleep(0.6)
    assert "revoked" in _error(client.get(f"{BASE}/dashboard"), 401)["message"]


def test_key_cache_setting():
    from insight_service.core.settings import ConfigError, Settings

    assert Settings.from_env({}).key_cache_s == 5.0
    assert Settings.from_env({"key_cache_s": "0"}).key_cache_s == 0.0
    for bad in ("-1", "soon"):
        with pytest.raises(ConfigError, match="key_cache_s"):
            Settings.from_env({"key_cache_s": bad})
    with pytest.raises(ConfigError, match="fast_path"):
        Settings.from_env({"fast_path": "maybe"})
    assert Settings.from_env({"fast_path": "off"}).fast_path is False


# ---- cached GETs before the view -------------------------------------------------------------------------

def _served(application) -> int:
    return application.extensions["insights"].fast.served


def _sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


VARYING = {"X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"}  # counters: values move, names stay


def test_a_fast_answer_is_the_views_answer(make_app, keys, caplog):
    application = make_app(rate_limit="1000/minute", cors_origins="https://dash.example")
    api = Api(application, keys[STORE_A])
    headers = {"X-Request-ID": "fast-1", "Origin": "https://dash.example"}
    route = BASE + "/dashboard"
    requests = _sample("insights_http_requests_total", route=route, method="GET", status="200")
    hits = _sample("insights_cache_requests_total", endpoint="dashboard", result="hit")
    caplog.set_level(logging.INFO, logger="insight_service.api.request")
    normal = api.get("/dashboard", {"days": 30}, headers=headers)  # the view computes and caches it
    assert normal.status_code == 200 and _served(application) == 0
    fast = api.get("/dashboard", {"days": 30}, headers=headers)
    assert fast.status_code == 200 and _served(application) == 1
    assert fast.data == normal.data
    assert sorted(fast.headers.keys()) == sorted(normal.headers.keys())
    assert {k: v for k, v in fast.headers.items() if k not in VARYING} == \
        {k: v for k, v in normal.headers.items() if k not in VARYING}
    for name in ("ETag", "X-Request-ID", "X-RateLimit-Limit", "X-RateLimit-Remaining", "Access-Control-Allow-Origin",
                 "X-Content-Type-Options", "Vary"):
        assert fast.headers.get(name), name
    assert fast.headers["Cache-Control"] == "private, no-cache" and fast.headers["X-Request-ID"] == "fast-1"
    assert int(fast.headers["X-RateLimit-Remaining"]) == int(normal.headers["X-RateLimit-Remaining"]) - 1
    # counted and logged like any request, and as a cache hit of its endpoint
    assert _sample("insights_http_requests_total", route=route, method="GET", status="200") == requests + 2
    assert _sample("insights_cache_requests_total", endpoint="dashboard", result="hit") > hits
    lines = [r for r in caplog.records if r.name == "insight_service.api.request" and r.request_id == "fast-1"]
    assert [(r.route, r.status, r.store_id) for r in lines] == [(route, 200, STORE_A)] * 2
    # revalidation works on it too
    not_modified = api.get("/dashboard", {"days": 30}, headers={"If-None-Match": fast.headers["ETag"]})
    assert not_modified.status_code == 304 and not_modified.data == b"" and _served(application) == 2


def test_fast_answers_come_after_auth_and_the_limits(make_app, keys):
    application = make_app(rate_limit="2/minute")
    a = Api(application, keys[STORE_A])
    assert a.get("/calendar", {"days": 30}).status_code == 200
    assert a.get("/calendar", {"days": 30}).status_code == 200 and _served(application) == 1
    assert _error(a.get("/calendar", {"days": 30}), 429)["code"] == "rate_limited"  # the limit still counts
    assert _error(Api(application, None).get("/calendar", {"days": 30}), 401)["code"] == "unauthorized"
    assert _error(Api(application, keys["revoked"]).get("/calendar", {"days": 30}), 401)["code"] == "unauthorized"
    assert _served(application) == 1


def test_another_store_never_gets_the_kept_bytes(make_app, keys):
    application = make_app()
    a, b = Api(application, keys[STORE_A]), Api(application, keys[STORE_B])
    for _ in range(2):
        assert a.get("/calendar", {"days": 400}).status_code == 200
    assert _served(application) == 1
    text = b.get("/calendar", {"days": 400}).get_data(as_text=True)
    assert _served(application) == 1  # store B's first request: the view's
    assert text != a.get("/calendar", {"days": 400}).get_data(as_text=True)
    for marker in STORE_B_MARKERS:
        assert marker not in a.get("/calendar", {"days": 400}).get_data(as_text=True)


def test_a_new_build_is_not_answered_with_the_old_bytes(fresh_db, make_app):
    application = make_app(fresh_db, build_check_s=0)
    api = Api(application, fresh_db.keys[STORE_A])
    first = api.get("/dashboard", {"days": 30})
    assert api.get("/dashboard", {"days": 30}).data == first.data and _served(application) == 1
    fresh_db.execute("update marts.mart_build_info set build_id = 'fixture-build-2'")
    rebuilt = api.get("/dashboard", {"days": 30})
    assert rebuilt.status_code == 200 and _served(application) == 1  # the view ran again
    assert rebuilt.headers["ETag"] != first.headers["ETag"]


def test_answers_with_headers_of_their_own_or_uncached_are_never_kept(make_app, keys):
    application = make_app()
    api = Api(application, keys[STORE_A])
    for _ in range(2):
        plan = api.get("/budget/optimize", {"total_budget": 1000})
        assert plan.status_code == 200 and plan.headers["X-Budget-Curves"]  # the view's own header
        assert api.get("/insights").status_code == 200  # not from the response cache
        assert api.get("/dashboard", {"days": "x"}).status_code == 400
    assert _served(application) == 0


def test_the_fast_path_can_be_turned_off(make_app, keys):
    application = make_app(fast_path=False)
    api = Api(application, keys[STORE_A])
    first, second = api.get("/dashboard", {"days": 30}), api.get("/dashboard", {"days": 30})
    assert first.data == second.data and second.headers["ETag"] and _served(application) == 0


# ---- waiting for the pool ------------------------------------------------------------------------------

def test_a_request_waiting_for_the_pool_ends_when_the_breaker_opens(make_app, keys):
    """The pool is exhausted, then another request meets the outage (the breaker opens): the waiting request
    answers circuit_open instead of waiting out the pool timeout (its reason would then be PoolTimeout)."""
    import threading

    application = make_app(pool_size=1, pool_min_size=1, pool_timeout_s=30, breaker_probe_s=30, cache_backend="none")
    warehouse = application.extensions["insights"].warehouse
    api = Api(application, keys[STORE_A])
    assert api.get("/insights").status_code == 200  # the key is verified and remembered
    held = warehouse.pool.getconn()  # every connection of the pool in use
    answers = []
    waiting = threading.Thread(target=lambda: answers.append(api.get("/insights")))
    try:
        waiting.start()
        time.sleep(0.3)  # it waits for the pool
        assert not answers
        warehouse.breaker.trip("test: another request met the outage")
        waiting.join(10)
    finally:
        warehouse.pool.putconn(held)
    assert len(answers) == 1
    error = _error(answers[0], 503)
    assert error["code"] == "warehouse_unavailable" and error["details"]["reason"] == "circuit_open"


def test_a_failed_connect_while_waiting_opens_the_breaker(fresh_db, make_app):
    """The database refuses connections and the pool has none left: the waiting request sees the pool's
    failed connect and answers circuit_open (its reason would be PoolTimeout after the 30 s pool timeout)."""
    application = make_app(fresh_db, pool_size=1, pool_min_size=0, pool_timeout_s=30, breaker_probe_s=30,
                           pool_reconnect_timeout_s=60, cache_backend="none")
    api = Api(application, fresh_db.keys[STORE_A])
    assert api.get("/insights").status_code == 200
    fresh_db.allow_connections(False)
    try:
        time.sleep(2.2)  # the pooled connection is now checked before use (CHECK_IDLE_AFTER_S): found broken
        error = _error(api.get("/insights"), 503)
    finally:
        fresh_db.allow_connections(True)
    assert error["code"] == "warehouse_unavailable" and error["details"]["reason"] == "circuit_open"
    assert application.extensions["insights"].warehouse.breaker.is_open


def test_granian_serves_many_connections_per_worker(monkeypatch):
    """granian's default backpressure (backlog / workers: 512 with 2 workers) leaves connections beyond it
    accepted but unserved; `insights serve` raises it (GRANIAN_BACKPRESSURE still wins)."""
    from insight_service.cli.serve import granian_argv

    monkeypatch.delenv("GRANIAN_BACKPRESSURE", raising=False)
    argv = granian_argv("127.0.0.1", 8000, 2, 4, "log.json")
    assert int(argv[argv.index("--backpressure") + 1]) >= 2048
    monkeypatch.setenv("GRANIAN_BACKPRESSURE", "64")
    argv = granian_argv("127.0.0.1", 8000, 2, 4, "log.json")
    assert argv[argv.index("--backpressure") + 1] == "64"
