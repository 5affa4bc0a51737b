"""The refresh's vacuum step (insight_service/pipeline/vacuum.py) on a real server: the tables it is
given whose dead rows passed the autovacuum rule, and that the server does not vacuum itself, are
vacuumed; the others are left alone."""
from __future__ import annotations

import time

import psycopg
import pytest

from insight_service.pipeline.vacuum import server_vacuums, vacuum_due


def dead_rows(conn: psycopg.Connection, table: str) -> int:
    return conn.execute("select n_dead_tup from pg_stat_user_tables where schemaname = 'public' and relname = %s",
                        (table,)).fetchone()[0]


def wait_for(predicate, timeout_s: float = 20.0) -> bool:
    # the cumulative statistics reach other sessions shortly after a transaction ends
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


@pytest.fixture(scope="module")
def db(make_database):
    db = make_database("vacuum")
    with db.connect(autocommit=True) as conn:
        for table, options, deleted in (("t_due", "with (autovacuum_enabled = false)", 600),
                                        ("t_few", "with (autovacuum_enabled = false)", 10),
                                        ("t_server", "", 600),
                                        ("t_not_given", "with (autovacuum_enabled = false)", 600)):
            conn.execute(f"create table {table} (id int) {options}")
            conn.execute(f"insert into {table} select generate_series(1, 1000)")
            conn.execute(f"delete from {table} where id <= {deleted}")
    # a new session: the deleting one has flushed its counters when it closed
    with db.connect(autocommit=True) as conn:
        assert wait_for(lambda: dead_rows(conn, "t_due") == 600 and dead_rows(conn, "t_server") == 600
                        and dead_rows(conn, "t_few") == 10), "the dead rows never showed in pg_stat_user_tables"
    return db


def test_tables_past_the_autovacuum_rule_are_vacuumed_the_others_left_alone(db):
    with db.connect(autocommit=True) as conn:
        by_server = server_vacuums(conn)
        done = vacuum_due(conn, [("public", "t_due"), ("public", "t_few"), ("public", "t_server")])
        vacuumed = {v["table"] for v in done["vacuumed"]}

        assert done["checked"] == 3 and done["server_autovacuum"] is by_server
        # 600 dead rows > 50 + 0.2 x reltuples; the table opts out of autovacuum, so it is ours either way
        assert "public.t_due" in vacuumed
        assert next(v for v in done["vacuumed"] if v["table"] == "public.t_due")["dead_rows"] == 600
        # 10 dead rows are below the threshold
        assert "public.t_few" not in vacuumed
        # a table the server's autovacuum covers is left to it; with autovacuum off it is ours
        assert ("public.t_server" in vacuumed) is (not by_server)
        assert dead_rows(conn, "t_due") == 0
        assert conn.execute("select last_vacuum is not null from pg_stat_user_tables where relname = 't_due'") \
            .fetchone()[0]
        # a table it was not given is never touched
        assert dead_rows(conn, "t_not_given") == 600
        assert dead_rows(conn, "t_few") == 10


def test_nothing_given_nothing_done(db):
    with db.connect(autocommit=True) as conn:
        assert vacuum_due(conn, [])["vacuumed"] == []
