"""The Spark target (README "Spark"): one generated sample, loaded with `insights load-sample --target
spark` and built with `DBT_TARGET=spark insights build` on a local Spark session, gives row for row the
relations that the PostgreSQL build of the same sample gives (money to the cent, other numbers to 1e-9).

The incremental path on Spark (store partitions rewritten with insert_overwrite) and `--append-days` on
Spark are compared by `bench/spark_benchmark.py --compare`, which builds, appends a day and builds again on
both engines: each more Spark step costs minutes that CI cannot afford on 2 cores (README "Spark").

Needs pyspark (`make install` brings it) and Java 17; without them the tests skip, unless
INSIGHTS_REQUIRE_SPARK=1 (CI) makes that a failure. Every Spark step runs in its own process: the local
metastore admits one process at a time.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from insight_service.spark.compare import RUN_STAMP_COLUMNS, JsonDocument, compare_rows
from insight_service.spark.session import spark_conf
from pytests.conftest import SAMPLE_END_DATE, SAMPLE_SCALE, SAMPLE_SEED, copy_database

MONTHS = 6  # conftest.load_generated_sample's default
# two tasks per stage on the 2-core machine (fewer files per store partition); interpreted expressions:
# generating code for every query costs more than it saves on the small sample (README "Spark")
SMALL_SAMPLE_SPARK = {"INSIGHTS_SPARK_SHUFFLE_PARTITIONS": "2", "INSIGHTS_SPARK_CODEGEN": "false"}


def _spark_missing() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install -e '.[spark]'; make install does it)"
    if shutil.which("java") is None:
        return "java is not on PATH (the Spark target needs Java 17)"
    return None


@pytest.fixture(scope="module")
def spark_and_postgres(make_database, sample_warehouse, tmp_path_factory):
    """(PostgreSQL test database, Spark folder, outputs of the Spark steps): the same sample, built on
    both engines."""
    missing = _spark_missing()
    if missing:
        if os.environ.get("INSIGHTS_REQUIRE_SPARK") == "1":
            pytest.fail(f"{missing}, but INSIGHTS_REQUIRE_SPARK=1")
        pytest.skip(missing)
    # the PostgreSQL side is a copy of the suite's built sample (conftest.sample_warehouse: same seed, scale,
    # months and end date); Spark loads the same sample at the same `_loaded_at`
    db = copy_database(make_database, sample_warehouse.template, "spark_eq")
    loaded_at = sample_warehouse.sample.loaded_at.isoformat()

    folder = tmp_path_factory.mktemp("spark")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("PG")}, "DBT_TARGET": "spark",
           "INSIGHTS_SPARK_DIR": str(folder), "DBT_TARGET_PATH": str(folder / "target"),
           "DBT_LOG_PATH": str(folder / "logs"), "DBT_THREADS": "4", **SMALL_SAMPLE_SPARK}

    def insights(*args: str) -> subprocess.CompletedProcess:
        proc = subprocess.run([sys.executable, "-m", "insight_service.cli", *args], env=env,
                              capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, f"insights {' '.join(args)} failed:\n" + "\n".join(
            (proc.stdout + proc.stderr).splitlines()[-40:])
        return proc

    insights("load-sample", "--target", "spark", "--seed", str(SAMPLE_SEED), "--scale", str(SAMPLE_SCALE),
             "--months", str(MONTHS), "--end-date", SAMPLE_END_DATE, "--loaded-at", loaded_at)
    # models and seeds only: the data tests on Spark take four times as long as the models (a full
    # `DBT_TARGET=spark insights build` runs them all, README "Spark"); they passed on the PostgreSQL sample
    built = insights("build", "--exclude-resource-type", "test", "unit_test")
    return db, folder, {"build": built.stdout}


def test_spark_build_equals_postgres_row_by_row(spark_and_postgres):
    db, folder, output = spark_and_postgres
    assert re.search(r"Done\. PASS=\d+ WARN=\d+ ERROR=0 SKIP=0", output["build"]), output["build"][-2000:]
    # the incremental models are partitioned by store on Spark (macros/spark_incremental.sql)
    assert "sql incremental model staging.stg_web__sessions" in output["build"]
    assert "sql incremental model marts.fct_unified_metrics" in output["build"]
    proc = subprocess.run([sys.executable, "-m", "insight_service.spark.compare", "--spark-dir", str(folder),
                           "--dsn", db.conninfo, "--json"], env={**os.environ, **SMALL_SAMPLE_SPARK},
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    built = {name for name, in db.query(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema in ('staging', 'intermediate', 'marts') and table_name <> 'incremental_watermarks'")}
    # Spark wrote every relation the same selection wrote on PostgreSQL, and each holds the same rows
    assert set(results) == built
    assert {r for r in results if r.startswith("staging.stg_")} == {
        f"staging.stg_{t}" for t in ("ads__campaign_daily", "finance__marketing_spend", "influencer__campaigns",
                                     "influencer__contracts", "influencer__deliveries", "influencer__influencers",
                                     "influencer__outreach", "seo__article_daily_stats", "seo__blog_articles",
                                     "shop__marketing_channels", "shop__orders", "shop__stores",
                                     "social__posts_daily", "web__customer_identities", "web__sessions")}
    assert len([r for r in results if r.startswith("staging.quarantine_")]) == 15
    assert {name: problems for name, problems in results.items() if problems} == {}
    # the sample's dirty rows reached the Spark quarantine as they reached PostgreSQL's
    assert db.scalar("select count(*) from staging.quarantine_web__sessions") > 0


def _publish(env: dict, *args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "insight_service.cli", "publish", *args], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    return proc.stdout


def test_publish_copies_the_spark_marts_into_postgresql(spark_and_postgres, make_database):
    db, folder, _ = spark_and_postgres
    served = make_database("spark_pub")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("PG")}, **served.env,
           "INSIGHTS_SPARK_DIR": str(folder), **SMALL_SAMPLE_SPARK}
    _publish(env)
    published = {name for name, in served.query(
        "select table_name from information_schema.tables where table_schema = 'marts'")}
    built = {name for name, in db.query(
        "select table_name from information_schema.tables where table_schema = 'marts' and table_type = 'BASE TABLE'")}
    assert published and published == built
    # a table publish creates takes the types its model's YAML declares: the evidence is jsonb again
    assert served.scalar("select data_type from information_schema.columns where table_schema = 'marts' "
                         "and table_name = 'fct_insight_signals' and column_name = 'evidence'") == "jsonb"

    def assert_published_equals_built(tables):
        for table in sorted(tables):
            columns = [name for name, in db.query(
                "select column_name from information_schema.columns where table_schema = 'marts' "
                "and table_name = %s order by ordinal_position", (table,)) if name not in RUN_STAMP_COLUMNS]
            listed = ", ".join(f'"{c}"' for c in columns)
            # the published rows are the Spark build's, which equal the PostgreSQL build's (test above)
            assert compare_rows(columns, db.query(f'select {listed} from marts."{table}"'),
                                served.query(f'select {listed} from marts."{table}"')) == [], table

    assert_published_equals_built(published)
    # by changed partitions: a store whose published rows and signature are gone is copied again, alone;
    # nothing changed on Spark, so no other store partition is copied again
    store = db.scalar("select min(store_id) from marts.fct_unified_metrics")
    stores = db.scalar("select count(distinct store_id) from marts.fct_unified_metrics")
    assert stores > 1
    served.execute("delete from marts.fct_unified_metrics where store_id = %s", (store,))
    served.execute("delete from marts_publish.partitions where table_name = 'fct_unified_metrics' "
                   "and store_id = %s", (store,))
    again = _publish(env, "--table", "fct_unified_metrics", "--table", "fct_order_attribution")
    assert re.search(rf"fct_unified_metrics +[\d,]+ rows +\(1 of {stores} store partitions\)", again), again
    assert re.search(r"fct_order_attribution +0 rows +\(0 of \d+ store partitions\)", again), again
    assert_published_equals_built(["fct_unified_metrics", "fct_order_attribution"])


def test_comparison_catches_a_cent_and_a_row():
    columns = ["order_id", "revenue", "share"]
    from decimal import Decimal
    rows = [("o1", Decimal("10.00"), 0.25), ("o2", Decimal("5.50"), 0.75)]
    assert compare_rows(columns, rows, list(reversed(rows))) == []
    assert compare_rows(columns, rows, [("o1", Decimal("10.01"), 0.25), rows[1]]) != []
    assert compare_rows(columns, rows, [("o1", Decimal("10.00"), 0.25 + 1e-12), rows[1]]) == []
    assert compare_rows(columns, rows, [("o1", Decimal("10.00"), 0.2501), rows[1]]) != []
    assert compare_rows(columns, rows, rows[:1]) == ["2 rows on PostgreSQL, 1 on Spark"]


def test_comparison_reads_json_as_documents():
    pg = [("s1", JsonDocument('{"a": 1.50, "b": [1, {"c": null}], "d": "2025-01-02"}'))]

    def spark(text: str) -> list[tuple]:
        return [("s1", JsonDocument(text))]

    # key order, number formats and spacing differ between the engines; the values must not
    assert compare_rows(["id", "evidence"], pg, spark('{"d":"2025-01-02","b":[1,{"c":null}],"a":1.5}')) == []
    assert compare_rows(["id", "evidence"], pg, spark('{"d":"2025-01-02","b":[1,{"c":2}],"a":1.5}')) != []
    assert compare_rows(["id", "evidence"], pg, spark('{"d":"2025-01-02","b":[1,{}],"a":1.5}')) != []
    assert compare_rows(["id", "evidence"], pg, spark('{"d":"2025-01-02","b":[1,{"c":null}],"a":1.51}')) != []
    # psycopg's parsed jsonb (published marts) compares the same way
    assert compare_rows(["id", "evidence"], [("s1", {"a": 1.5, "b": [1, {"c": None}], "d": "2025-01-02"})],
                        spark('{"d":"2025-01-02","b":[1,{"c":null}],"a":1.50}')) == []


def test_append_days_must_be_positive():
    proc = subprocess.run([sys.executable, "-m", "insight_service.cli", "load-sample", "--target", "spark",
                           "--append-days", "0"], capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "--append-days must be at least 1 (got 0)" in proc.stderr + proc.stdout


def test_loaded_at_must_be_an_instant():
    proc = subprocess.run([sys.executable, "-m", "insight_service.cli", "load-sample", "--target", "spark",
                           "--loaded-at", "yesterday"], capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "--loaded-at: 'yesterday' is not an ISO 8601 instant" in proc.stderr + proc.stdout


@pytest.mark.parametrize("codegen", ["true", "false"])
def test_profile_and_python_steps_open_the_same_session(codegen, monkeypatch, tmp_path):
    """dbt's `spark` output and the project's own Spark steps (load, publish, comparison) must agree on
    every setting, or the two would read one warehouse differently."""
    import jinja2
    import yaml

    from insight_service.paths import project_dir

    monkeypatch.setenv("INSIGHTS_SPARK_DIR", str(tmp_path))
    monkeypatch.setenv("INSIGHTS_SPARK_CODEGEN", codegen)
    environment = jinja2.Environment()
    environment.filters["as_number"] = int
    template = environment.from_string((project_dir() / "profiles" / "profiles.yml").read_text())
    rendered = yaml.safe_load(template.render(env_var=lambda name, default=None: os.environ.get(name, default)))
    profile = {k: str(v) for k, v in rendered["marketing_insights"]["outputs"]["spark"]
               ["server_side_parameters"].items()}
    python = spark_conf(tmp_path)
    # dbt-spark sets ANSI mode off itself, the Python steps must say so; and only dbt's SQL runs without
    # generated expressions (the catalog API the Python steps call needs them)
    assert python.pop("spark.sql.ansi.enabled") == "false"
    assert python.pop("spark.sql.codegen.factoryMode") == "FALLBACK"
    assert profile.pop("spark.sql.codegen.factoryMode") == ("FALLBACK" if codegen == "true" else "NO_CODEGEN")
    assert profile == python
