"""GET /data-quality (the key's store's quarantine) and the freshness block of /healthz.

Counts must equal SQL on marts.data_quality_issues for the key's store, and a store never sees
another store's rows: on the hand-written fixture (store_b carries marker values) and on the
dbt-built sample (five real stores). Store-less tables are never shown.
"""
from __future__ import annotations

import datetime as dt

import jsonschema
import psycopg
import pytest

from insight_service.api.app import create_app
from insight_service.api.data_quality.schemas import DataQualityData
from insight_service.api.health.schemas import HealthData
from insight_service.api.web import auth
from insight_service.api.web.params import Envelope
from insight_service.warehouse.migrations import migrate
from insight_service.warehouse.raw_schema import STORELESS_TABLES
from pytests.api.conftest import BASE, Api, base_config
from pytests.api.fixtures import STORE_A, STORE_B_MARKERS, mart_functions_sql


def counts_sql(db, store: str, table: str | None = None, reason: str | None = None) -> list[tuple]:
    return [tuple(r) for r in db.query(
        "select table_name, reason, count(*) from marts.data_quality_issues where store_id = %s "
        "and (%s::text is null or table_name = %s::text) and (%s::text is null or reason = %s::text) "
        "group by 1, 2 order by 3 desc, 1, 2", (store, table, table, reason, reason))]


def data(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return Envelope[DataQualityData].model_validate(response.get_json()).model_dump(mode="json")["data"]


# ---- hand-written fixture ---------------------------------------------------------------------

def test_counts_equal_sql_for_the_keys_store(api_a, marts_db):
    got = data(api_a.get("/data-quality"))
    assert [(c["table_name"], c["reason"], c["rows"]) for c in got["counts"]] == counts_sql(marts_db, STORE_A)
    assert got["total"] == 5 and got["excluding_duplicates"] == 3
    assert got["excluded_tables"] == list(STORELESS_TABLES)
    assert got["detected_at"] == "2024-04-01T03:00:00Z" or got["detected_at"].startswith("2024-04-01T03:00:00")


def test_examples_are_the_latest_of_the_store(api_a):
    got = data(api_a.get("/data-quality", {"examples": "3"}))
    assert [e["row_key"] for e in got["examples"]] == ["a-ses-9", "a-ord-9", "<null>"]
    first = got["examples"][0]
    assert first["table_name"] == "web_sessions" and first["reason"] == "future_timestamp"
    assert "in the future" in first["details"]
    assert data(api_a.get("/data-quality", {"examples": "0"}))["examples"] == []


def test_filters(api_a, marts_db):
    got = data(api_a.get("/data-quality", {"table": "orders", "reason": "negative_value", "examples": "50"}))
    assert [(c["table_name"], c["reason"], c["rows"]) for c in got["counts"]] == \
        counts_sql(marts_db, STORE_A, "orders", "negative_value") == [("orders", "negative_value", 1)]
    assert [e["row_key"] for e in got["examples"]] == ["a-ord-9"]
    got = data(api_a.get("/data-quality", {"reason": "DUPLICATE"}))  # case-insensitive like other enums
    assert got["total"] == 2 and got["excluding_duplicates"] == 0


def test_never_another_stores_rows(api_a, api_b, api_c):
    text = api_a.get("/data-quality", {"examples": "100"}).get_data(as_text=True)
    for marker in (*STORE_B_MARKERS, "b-ord-9", "dlv-9"):
        assert marker not in text, marker
    # a smuggled store parameter is ignored
    smuggled = api_a.get("/data-quality", "examples=100&store_id=store_b&store=store_b").get_data(as_text=True)
    assert smuggled == text
    b = data(api_b.get("/data-quality", {"examples": "100"}))
    assert [e["row_key"] for e in b["examples"]] == ["b-ord-9"] and b["total"] == 1
    c = data(api_c.get("/data-quality", {"examples": "100"}))
    assert c == {**c, "total": 0, "excluding_duplicates": 0, "counts": [], "examples": [], "detected_at": None}


def test_storeless_tables_are_never_shown(api_a, api_b):
    for api in (api_a, api_b):
        got = data(api.get("/data-quality", {"examples": "100"}))
        assert not {c["table_name"] for c in got["counts"]} & set(STORELESS_TABLES)


def test_needs_a_key_and_valid_parameters(app, api_a):
    assert app.test_client().get(BASE + "/data-quality").status_code == 401
    for query, param in (({"examples": "-1"}, "examples"), ({"examples": "101"}, "examples"),
                         ({"examples": "ten"}, "examples"), ({"table": "influencers"}, "table"),
                         ({"table": "nope"}, "table"), ({"reason": "bad"}, "reason")):
        response = api_a.get("/data-quality", query)
        assert response.status_code == 400, query
        assert response.get_json()["error"]["details"][0]["param"] == param


def test_published_in_openapi(app, api_a):
    doc = app.test_client().get("/api/openapi.json").get_json()
    op = doc["paths"][BASE + "/data-quality"]["get"]
    assert op["security"] == [{"bearerAuth": []}, {"sessionCookie": []}]
    assert {p["name"] for p in op["parameters"]} == {"examples", "table", "reason"}
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    jsonschema.validate(api_a.get("/data-quality", {"examples": "5"}).get_json(),
                        {**schema, "components": doc["components"]}, cls=jsonschema.Draft202012Validator)


def test_healthz_without_the_freshness_mart(app):
    body = app.test_client().get("/healthz").get_json()["data"]
    health = HealthData.model_validate(body)
    assert health.freshness is None
    assert health.build is not None and health.build.build_id == health.build_id == "fixture-build-1"


# ---- healthz freshness: age against now, thresholds from the build --------------------------------

@pytest.fixture()
def freshness_db(make_database):
    db = make_database("dq_health")
    db.execute("""
        create schema marts;
        create table marts.mart_build_info (build_id text not null, built_at timestamptz,
            attribution_default_model text, attribution_lookback_days integer, attribution_half_life_days numeric);
        insert into marts.mart_build_info values ('build-7', now() - interval '1 hour', 'linear', 30, 7);
        create table marts.mart_source_freshness as
        select * from (values
            ('orders', 'shop', now() - interval '2 hours', 10::bigint, 'ok'),
            ('web_sessions', 'web', now() - interval '40 hours', 20::bigint, 'ok'),
            ('ad_campaign_daily', 'ads', now() - interval '100 hours', 30::bigint, 'warn'),
            ('influencers', 'influencer', null::timestamptz, 0::bigint, 'error')
        ) as t(source_table, source_name, last_loaded_at, rows, status)
        cross join (select 36 as warn_after_hours, 96 as error_after_hours) as thresholds;
    """)
    db.execute(mart_functions_sql())  # freshness_status, as every dbt run installs it
    return db


def test_healthz_reports_build_and_freshness_now(freshness_db):
    application = create_app(base_config(freshness_db))
    try:
        response = application.test_client().get("/healthz")
        assert response.status_code == 200
        body = response.get_json()["data"]
        HealthData.model_validate(body)
        assert body["build"]["build_id"] == "build-7" and body["build"]["built_at"]
        fresh = body["freshness"]
        assert fresh["status"] == "error" and fresh["warn_after_hours"] == 36 and fresh["error_after_hours"] == 96
        by_table = {s["source_table"]: s for s in fresh["sources"]}
        # the status is recomputed against now (web_sessions was ok at the build, is 40 h old now)
        assert by_table["orders"]["status"] == "ok" and 1.9 < by_table["orders"]["age_hours"] < 2.2
        assert by_table["web_sessions"]["status"] == "warn" and 39.9 < by_table["web_sessions"]["age_hours"] < 40.2
        assert by_table["ad_campaign_daily"]["status"] == "error"
        assert by_table["influencers"]["status"] == "error" and by_table["influencers"]["age_hours"] is None
        assert by_table["orders"]["rows"] == 10
        last = dt.datetime.fromisoformat(by_table["orders"]["last_loaded_at"])
        assert last.tzinfo is not None
        # the health check still answers 503 when the build row is missing
        freshness_db.execute("delete from marts.mart_build_info")
        assert application.test_client().get("/healthz").status_code == 503
    finally:
        application.extensions["insights"].close()


# ---- on the dbt-built sample: five real stores ----------------------------------------------------

@pytest.fixture(scope="module")
def built(sample_warehouse):
    db = sample_warehouse
    with psycopg.connect(db.conninfo) as conn:
        migrate(conn)
        stores = [r[0] for r in conn.execute("select store_id from marts.dim_stores order by 1").fetchall()]
        keys = {s: auth.create_key(conn, s, "data quality test")[1] for s in [*stores, "dq-no-such-store"]}
    application = create_app(base_config(db))
    yield db, application, keys
    application.extensions["insights"].close()


@pytest.mark.dbt
def test_sample_counts_equal_sql_and_stay_in_the_store(built):
    db, application, keys = built
    owners: dict[tuple[str, str], set] = {}
    for table, row_key, store in db.query(
            "select table_name, row_key, store_id from marts.data_quality_issues where store_id is not null"):
        owners.setdefault((table, row_key), set()).add(store)
    for store, key in keys.items():
        got = data(Api(application, key).get("/data-quality", {"examples": "100"}))
        assert [(c["table_name"], c["reason"], c["rows"]) for c in got["counts"]] == counts_sql(db, store), store
        assert got["total"] == sum(r[2] for r in counts_sql(db, store))
        for example in got["examples"]:
            assert store in owners[(example["table_name"], example["row_key"])], (store, example)
        assert not {c["table_name"] for c in got["counts"]} & set(STORELESS_TABLES)
        if store == "dq-no-such-store":
            assert got["total"] == 0 and got["examples"] == []
        else:
            assert got["total"] > 0 and len(got["examples"]) == min(100, got["total"])


@pytest.mark.dbt
def test_sample_healthz_reports_every_source_fresh(built):
    db, application, keys = built
    body = application.test_client().get("/healthz").get_json()["data"]
    build_id, built_at = db.query("select build_id, built_at from marts.mart_build_info")[0]
    assert body["build"]["build_id"] == build_id
    assert dt.datetime.fromisoformat(body["build"]["built_at"]) == built_at
    fresh = body["freshness"]
    assert fresh["status"] == "ok"
    assert len(fresh["sources"]) == 15
    expected = dict(db.query("select source_table, rows from marts.mart_source_freshness"))
    assert {s["source_table"]: s["rows"] for s in fresh["sources"]} == expected
    assert all(0 < s["age_hours"] < 24 for s in fresh["sources"])  # the sample was loaded an hour before
