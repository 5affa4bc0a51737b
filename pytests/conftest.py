"""Shared fixtures: isolated databases on the configured PostgreSQL (see support/warehouse.py)."""
from __future__ import annotations

import os

import pytest

from pytests.support.warehouse import TestDatabase

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

# `make test` runs two pytest-xdist workers: each gets its own Redis database (15, 14, ...), since a
# refresh in one worker deletes every cached response of its database
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_REDIS_BASE, _, _REDIS_DB = os.environ.get("INSIGHTS_TEST_REDIS_URL", "").rpartition("/")
if _WORKER.startswith("gw") and _REDIS_BASE and _REDIS_DB.isdigit():
    os.environ["INSIGHTS_TEST_REDIS_URL"] = f"{_REDIS_BASE}/{max(int(_REDIS_DB) - int(_WORKER[2:]), 3)}"


@pytest.fixture(scope="session")
def make_database():
    """Factory: make_database('prefix') -> a fresh TestDatabase, dropped at session end."""
    created: list[TestDatabase] = []

    def factory(prefix: str) -> TestDatabase:
        db = TestDatabase(prefix)
        created.append(db)
        return db

    yield factory
    if os.environ.get("INSIGHTS_KEEP_TEST_DATABASES"):
        return
    for db in created:
        db.drop()


# The generated sample, shared by read-only tests: small, deterministic, fully built.
SAMPLE_END_DATE = "2025-06-30"
SAMPLE_SCALE = 0.05
SAMPLE_SEED = 7


def generated_sample(*, months: int = 6, scale: float = SAMPLE_SCALE, seed: int = SAMPLE_SEED,
                     loaded_at=None):
    """The deterministic test sample, loaded an hour ago unless `loaded_at` says when."""
    import datetime as dt

    from insight_service.sample_data.generator import generate

    return generate(seed=seed, scale=scale, end_date=dt.date.fromisoformat(SAMPLE_END_DATE), months=months,
                    loaded_at=loaded_at or dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))


def load_generated_sample(db: TestDatabase, *, months: int = 6, scale: float = SAMPLE_SCALE,
                          seed: int = SAMPLE_SEED):
    """Generate the deterministic test sample and COPY it into db's raw schema."""
    from insight_service.sample_data.loader import load_sample

    data = generated_sample(months=months, scale=scale, seed=seed)
    with db.connect() as conn:
        load_sample(conn, data, schema="raw", replace=True)
    return data


@pytest.fixture(scope="session")
def sample_warehouse(make_database, tmp_path_factory):
    """A database holding the generated sample with every model built (`dbt build` passed).
    ``.template``: an untouched copy that nobody connects to, for tests that need a built sample of
    their own (copy_database): CREATE DATABASE ... TEMPLATE needs a source without sessions.

    Built once per run: the first xdist worker to need it builds it and leaves its template's name in
    the run's shared folder; another worker copies that template (seconds instead of a build)."""
    import datetime as dt
    import fcntl
    import json
    import shutil

    shared = tmp_path_factory.getbasetemp().parent  # the run's folder, common to its workers
    with open(shared / "sample_warehouse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes: a second worker waits for the build
        built = shared / "sample_warehouse.json"
        if os.environ.get("PYTEST_XDIST_WORKER") and built.exists():
            info = json.loads(built.read_text())
            try:
                db = copy_database(make_database, info["template"], "sample")
                db.template = copy_database(make_database, info["template"], "sample_tpl")
            except Exception:  # noqa: BLE001 - the building worker finished and dropped it: build our own
                pass
            else:
                db.sample = generated_sample(loaded_at=dt.datetime.fromisoformat(info["loaded_at"]))
                db.build_output = info["build_output"]
                shutil.copytree(shared / "sample_warehouse_target", db._tmp / "target", dirs_exist_ok=True)
                return db
        db = make_database("sample")
        db.sample = load_generated_sample(db)
        db.build_output = db.dbt("build").stdout
        db.template = copy_database(make_database, db, "sample_tpl")
        # the build's artifacts (manifest.json...) as they are now: this worker's later dbt runs rewrite them
        shutil.copytree(db._tmp / "target", shared / "sample_warehouse_target", dirs_exist_ok=True)
        built.write_text(json.dumps({"template": db.template.name, "loaded_at": db.sample.loaded_at.isoformat(),
                                     "build_output": db.build_output}))
        return db


def copy_database(make_database, source, prefix: str) -> TestDatabase:
    """A new database (same server) copied from ``source`` (a TestDatabase or a database name), which
    must have no open session."""
    from psycopg import sql

    db = make_database(prefix)
    with db._admin() as conn:
        conn.execute(sql.SQL("drop database {}").format(sql.Identifier(db.name)))
        conn.execute(sql.SQL("create database {} template {}").format(
            sql.Identifier(db.name), sql.Identifier(getattr(source, "name", source))))
    return db


# The slowest test files first: `make test`'s two xdist workers take files in this order (a file
# stays on one worker), so the long ones start early and the workers finish together.
SLOW_FILES_FIRST = ("test_spark.py", "test_refresh.py", "test_metrics_marts.py", "test_data_quality.py",
                    "test_refresh_equivalence.py", "test_pipeline_metrics.py", "test_budget_curves.py",
                    "test_lint.py", "test_sample_append.py", "test_optimizer_truth.py", "test_staging.py")


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(SLOW_FILES_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order
