"""Shared fixtures: isolated databases on the configured PostgreSQL (see support/warehouse.py)."""
from __future__ import annotations

import os

import pytest

from pytests.support.warehouse import TestDatabase

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


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
