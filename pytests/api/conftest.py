"""Fixtures of the insight API tests: a TestDatabase holding the hand-written marts
(fixtures.sql), API keys made with the service's own key functions, Flask test clients."""
from __future__ import annotations

import socket
import uuid

import psycopg
import pytest

from insight_service.api.app import create_app
from insight_service.api.web import auth
from insight_service.warehouse.migrations import migrate
from pytests.api.fixtures import STORE_A, STORE_B, STORE_C, load_marts

BASE = "/api/marketing/analytics"


def pytest_configure(config):
    config.addinivalue_line("markers", "dbt: runs the API on marts built by dbt from the generated sample (slow)")


def redis_available(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.3):
            return True
    except OSError:
        return False


def prepare(db) -> dict[str, str]:
    """Load the marts fixture, migrate the app schema, create keys; returns the keys."""
    load_marts(db.conninfo)
    with psycopg.connect(db.conninfo) as conn:
        migrate(conn)
        migrate(conn)  # idempotent
        keys = {store: auth.create_key(conn, store, f"test {store}")[1] for store in (STORE_A, STORE_B, STORE_C)}
        revoked_id, revoked = auth.create_key(conn, STORE_A, "revoked")
        auth.revoke_key(conn, revoked_id)
        keys["revoked"] = revoked
    return keys


def base_config(db, **overrides) -> dict:
    config = {
        "conninfo": db.conninfo,
        "rate_limit": None,
        "anon_rate_limit": None,  # the tests send many anonymous requests from one address
        "cache_backend": "memory",
        "pool_size": 4,
        "pool_min_size": 1,
        "pool_timeout_s": 3,
        "rate_limit_key_prefix": f"insights-test-{uuid.uuid4().hex[:8]}",
        "cache_key_prefix": f"insights-test-cache-{uuid.uuid4().hex[:8]}",
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def marts_db(make_database):
    """Read-only database with the marts fixture (never modified by a test)."""
    db = make_database("api")
    db.keys = prepare(db)
    return db


@pytest.fixture()
def fresh_db(make_database):
    """A database of its own for tests that change data or take the database away."""
    db = make_database("api_mut")
    db.keys = prepare(db)
    return db


@pytest.fixture()
def make_app(marts_db):
    """Factory: make_app(db=marts_db, **settings) -> an app of its own (closed after the test)."""
    apps = []

    def factory(db=marts_db, **overrides):
        application = create_app(base_config(db, **overrides))
        apps.append(application)
        return application

    yield factory
    for application in apps:
        application.extensions["insights"].close()


@pytest.fixture(scope="session")
def app(marts_db):
    application = create_app(base_config(marts_db))
    yield application
    application.extensions["insights"].close()


@pytest.fixture(scope="session")
def keys(marts_db) -> dict[str, str]:
    return marts_db.keys


class Api:
    """Test client that adds the key of a store and the base path."""

    def __init__(self, app, key: str | None):
        self.client = app.test_client()
        self.key = key

    def headers(self, extra=None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        headers.update(extra or {})
        return headers

    def get(self, path: str, query: dict | str | None = None, headers=None):
        url = path if path.startswith("/api/") or path.startswith("/healthz") else BASE + path
        return self.client.get(url, query_string=query, headers=self.headers(headers))

    def post(self, path: str, query=None, headers=None):
        return self.client.post(BASE + path, query_string=query, headers=self.headers(headers))


@pytest.fixture(scope="session")
def api_a(app, keys) -> Api:
    return Api(app, keys[STORE_A])


@pytest.fixture(scope="session")
def api_b(app, keys) -> Api:
    return Api(app, keys[STORE_B])


@pytest.fixture(scope="session")
def api_c(app, keys) -> Api:
    return Api(app, keys[STORE_C])
