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


def load_generated_sample(db: TestDatabase, *, months: int = 6, scale: float = SAMPLE_SCALE,
                          seed: int = SAMPLE_SEED):
    """Generate the deterministic test sample and COPY it into db's raw schema."""
    import datetime as dt

    from insight_service.sample_data.generator import generate
    from insight_service.sample_data.loader import load_sample

    data = generate(seed=seed, scale=scale, end_date=dt.date.fromisoformat(SAMPLE_END_DATE),
                    months=months, loaded_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    with db.connect() as conn:
        load_sample(conn, data, schema="raw", replace=True)
    return data


@pytest.fixture(scope="session")
def sample_warehouse(make_database):
    """A database holding the generated sample with every model built (`dbt build` passed)."""
    db = make_database("sample")
    db.sample = load_generated_sample(db)
    db.build_output = db.dbt("build").stdout
    return db
