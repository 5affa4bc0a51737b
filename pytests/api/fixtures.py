"""Load the hand-written marts fixture (fixtures.sql) into a database.

Used by the API tests (conftest.py) and by ``bench/api_benchmark.py --fixture``. To run the
same tests on a dbt-built warehouse later, replace ``load_marts`` with a dbt build into the
TestDatabase: the tests only rely on the marts contract, not on this file's numbers.
"""
from __future__ import annotations

from pathlib import Path

import psycopg

FIXTURE_SQL = Path(__file__).with_name("fixtures.sql")

STORE_A = "store_a"  # the store the value checks are about
STORE_B = "store_b"  # the other tenant (marker values)
STORE_C = "store_c"  # a key without any rows
STORE_B_MARKERS = ("7777.77", "5555.55", "88888.88", "1111.11", "99999", "55555", "77777", "STORE B SECRET")


def load_marts(conninfo: str) -> None:
    with psycopg.connect(conninfo) as conn:
        conn.execute(FIXTURE_SQL.read_text(encoding="utf-8"))
        conn.commit()
