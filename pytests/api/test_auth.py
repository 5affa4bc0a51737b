"""API keys (hashed, revocable, one store each), tenancy through every route, the CLI."""
from __future__ import annotations

import csv
import hashlib
import io
import json

import psycopg
import pytest

from insight_service.api.web import auth
from insight_service.cli import main as cli
from insight_service.warehouse.migrations import migrate, migration_files
from pytests.api.conftest import BASE, Api
from pytests.api.fixtures import STORE_A, STORE_B_MARKERS, STORE_C

# every route that needs a key, with valid parameters
AUTH_ROUTES = [
    ("get", "/dashboard"), ("get", "/attribution?model=all"), ("get", "/attribution?model=data_driven"),
    ("get", "/roi/ads?model=data_driven"), ("get", "/roi/email"), ("get", "/benchmarks/ads"),
    ("get", "/benchmarks/ads?industry=beauty"), ("get", "/calendar?start_date=2024-01-01&end_date=2024-04-30"),
    ("get", "/export/channels.csv"), ("get", "/export/attribution.csv?model=all"),
    ("get", "/export/timeseries.csv"), ("get", "/export/benchmarks.csv"),
    ("get", "/export/calendar.csv?start_date=2024-01-01&end_date=2024-04-30"),
    ("get", "/budget/optimize?total_budget=100"), ("get", "/insights"), ("post", "/insights/generate?wait=true"),
    ("post", "/insights/1/dismiss"), ("post", "/insights/1/action"),
    ("get", "/session"), ("get", "/store"), ("get", "/funnel"), ("get", "/budget/utilization?month=2024-03"),
]


def call(client, method, path, headers):
    return getattr(client, method)(BASE + path, headers=headers)


@pytest.mark.parametrize("method, path", AUTH_ROUTES)
@pytest.mark.parametrize("header", [None, "Bearer", "Token abc", "Bearer not-a-key",
                                    "Bearer mk_0123456789ab_" + "A" * 43])
def test_without_a_valid_key_401(app, method, path, header):
    headers = {"Authorization": header} if header is not None else {}
    response = call(app.test_client(), method, path, headers)
    assert response.status_code == 401
    body = response.get_json()
    assert body["success"] is False and body["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_tampered_secret_401(app, keys):
    key = keys[STORE_A]
    tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
    response = app.test_client().get(f"{BASE}/dashboard", headers={"Authorization": f"Bearer {tampered}"})
    assert response.status_code == 401


def test_revoked_key_401(app, keys):
    response = app.test_client().get(f"{BASE}/dashboard", headers={"Authorization": f"Bearer {keys['revoked']}"})
    assert response.status_code == 401
    assert "revoked" in response.get_json()["error"]["message"]


def test_scheme_is_case_insensitive(app, keys):
    response = app.test_client().get(f"{BASE}/dashboard", headers={"Authorization": f"bearer  {keys[STORE_A]}"})
    assert response.status_code == 200


def test_keys_are_stored_hashed(marts_db, keys):
    rows = marts_db.query("select key_id, key_hash from app.api_keys")
    stored = {r[1] for r in rows}
    for key in keys.values():
        assert key.startswith("mk_") and len(key) == 3 + 12 + 1 + 43
        assert hashlib.sha256(key.encode()).hexdigest() in stored
        assert key not in json.dumps(rows)  # never the key itself


def test_key_format_and_parse():
    key_id, key = auth.generate_key()
    assert auth.parse_key(key) == key_id
    assert auth.parse_key(key + "x") is None
    assert auth.parse_key("mk_" + key_id) is None
    assert auth.generate_key()[1] != key


# ---- tenancy ----------------------------------------------------------------------------

def body_text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("method, path", AUTH_ROUTES)
@pytest.mark.parametrize("smuggle", ["", "store_id=store_b", "store=store_b&store_id=store_b"])
def test_store_a_never_sees_store_b(app, keys, method, path, smuggle):
    sep = "&" if "?" in path else "?"
    full = path + (sep + smuggle if smuggle else "")
    response = call(app.test_client(), method, full, {"Authorization": f"Bearer {keys[STORE_A]}"})
    # insights: generate (synchronous) answers 201, an unknown insight id 404 (pytests/api/test_insights.py)
    assert response.status_code in ((404,) if path.startswith("/insights/1/") else (200, 201, 501))
    text = body_text(response)
    for marker in STORE_B_MARKERS:
        assert marker not in text, (full, marker)
    # the same request without the smuggled parameter gives the same answer (it is ignored)
    plain = call(app.test_client(), method, path, {"Authorization": f"Bearer {keys[STORE_A]}"})
    assert body_text(plain) == text


@pytest.mark.parametrize("method, path", AUTH_ROUTES)
def test_store_without_rows_sees_nothing(app, keys, method, path):
    """store_c has a key and no rows: every number is 0/null, no item, nothing of a or b."""
    response = call(app.test_client(), method, path, {"Authorization": f"Bearer {keys[STORE_C]}"})
    if path.startswith("/insights/1/"):  # no such insight (the same 404 as another store's)
        assert response.status_code == 404
        return
    if path.startswith("/budget/optimize"):  # nothing to split: an explanatory 400, not an empty plan
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == "insufficient_data"
        return
    assert response.status_code in (200, 201, 501)
    if response.status_code == 501:
        return
    if path.startswith("/export/"):
        rows = list(csv.DictReader(io.StringIO(body_text(response))))
        store_columns = {"revenue", "cost", "profit", "conversions", "sessions", "value", "roas", "cpa",
                         "conversion_rate", "previous_revenue", "previous_cost", "previous_profit",
                         "previous_roas", "title", "item_id"}
        for row in rows:
            for column in store_columns & set(row):
                assert row[column] in ("", "0", "0.0"), (path, column, row)
        assert "STORE" not in body_text(response) and "art-1" not in body_text(response)
        return
    data = response.get_json()["data"]

    def walk(node, key=""):
        if isinstance(node, dict):
            for k, child in node.items():
                if k not in ("date_range", "benchmarks", "dates", "removal_effects"):
                    walk(child, k)
        elif isinstance(node, list):
            for child in node:
                walk(child, key)
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            assert node == 0, (path, key, node)

    walk(data)
    if "items" in data:
        assert data["items"] == []


def test_store_b_sees_its_own_rows(api_b):
    response = api_b.get("/calendar", {"start_date": "2024-03-01", "end_date": "2024-03-31"})
    titles = [i["title"] for i in response.get_json()["data"]["items"]]
    assert titles == ["STORE B SECRET launch plan", "STORE B SECRET collab"]
    revenue = api_b.get("/dashboard").get_json()["data"]["channels"]["ads"]["revenue"]
    assert revenue > 0


def test_cache_is_per_store(app, keys):
    """Same endpoint and parameters, other store: never the first store's cached answer."""
    query = {"start_date": "2024-03-01", "end_date": "2024-03-31"}
    a = Api(app, keys[STORE_A]).get("/dashboard", query).get_json()["data"]
    c = Api(app, keys[STORE_C]).get("/dashboard", query).get_json()["data"]
    assert a["channels"]["overall"]["revenue"] > 0
    assert c["channels"]["overall"]["revenue"] == 0


# ---- CLI --------------------------------------------------------------------------------

@pytest.fixture()
def pg_env(monkeypatch, fresh_db):
    for name, value in fresh_db.env.items():
        monkeypatch.setenv(name, value)
    return fresh_db


def test_cli_keys_create_list_revoke(pg_env, capsys):
    from insight_service.api.app import create_app
    from pytests.api.conftest import base_config

    assert cli.main(["keys", "create", "--store", STORE_A, "--name", "dashboard"]) == 0
    out = capsys.readouterr().out
    key = out.strip().splitlines()[-1]
    assert auth.parse_key(key), out  # the key alone on the last line
    key_id = auth.parse_key(key)

    assert cli.main(["keys", "list"]) == 0
    listing = capsys.readouterr().out
    assert key_id in listing and STORE_A in listing and "dashboard" in listing
    secret = key[len(f"mk_{key_id}_"):]  # the secret may itself contain '_'
    assert len(secret) == 43 and secret not in listing

    app = create_app(base_config(pg_env, key_cache_s=0))  # revocation at once (else within INSIGHTS_KEY_CACHE_S)
    try:
        client = app.test_client()
        assert client.get(f"{BASE}/dashboard", headers={"Authorization": f"Bearer {key}"}).status_code == 200
        assert cli.main(["keys", "revoke", key_id]) == 0
        out = capsys.readouterr().out
        assert "revoked" in out and "within INSIGHTS_KEY_CACHE_S (5 s)" in out
        assert client.get(f"{BASE}/dashboard", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    finally:
        app.extensions["insights"].close()

    assert cli.main(["keys", "revoke", "ffffffffffff"]) == 1
    assert "no API key" in capsys.readouterr().err


def test_cli_warns_for_a_store_without_rows(pg_env, capsys):
    assert cli.main(["keys", "create", "--store", "store_zz"]) == 0
    captured = capsys.readouterr()
    assert "no rows for store" in captured.err
    assert auth.parse_key(captured.out.strip().splitlines()[-1])


def test_migrations_are_idempotent(fresh_db):
    with psycopg.connect(fresh_db.conninfo) as conn:
        assert migrate(conn) == []
        versions = [r[0] for r in conn.execute("select version from app.schema_migrations").fetchall()]
    assert versions == [version for version, _ in migration_files()]


def test_migrate_on_an_empty_database(make_database):
    db = make_database("api_mig")
    with psycopg.connect(db.conninfo) as conn:
        assert migrate(conn) == [version for version, _ in migration_files()]
        assert migrate(conn) == []
        conn.commit()
    assert db.scalar("select count(*) from app.api_keys") == 0


def test_not_migrated_database_is_503_not_500(make_database):
    from insight_service.api.app import create_app
    from pytests.api.conftest import base_config
    from pytests.api.fixtures import load_marts

    db = make_database("api_nomig")
    load_marts(db.conninfo)
    app = create_app(base_config(db))
    try:
        bearer = "Bearer mk_0123456789ab_" + "A" * 43
        response = app.test_client().get(f"{BASE}/dashboard", headers={"Authorization": bearer})
        assert response.status_code == 503
        assert response.get_json()["error"]["code"] == "not_migrated"
    finally:
        app.extensions["insights"].close()
