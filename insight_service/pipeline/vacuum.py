"""Vacuum what a refresh rewrote when the server's autovacuum does not (DECISIONLOG "PostgreSQL settings").

An incremental dbt run deletes and re-inserts the rows it reopens, and the refresh rewrites its forecasts;
with autovacuum off (as on the CI server) the dead rows stay, and every later run reads past them: after
8 one-day refreshes at scale 40, `fct_unified_metrics` held 242 k dead rows beside 259 k live ones. The
refresh applies the server's own rule to the tables it wrote (dead rows above
``autovacuum_vacuum_threshold + autovacuum_vacuum_scale_factor × reltuples``) and vacuums those past it,
one plain VACUUM each (no lock against readers, statistics kept). A table the server's autovacuum
covers (autovacuum on, and not `autovacuum_enabled = false` on the table) is left to the server."""
from __future__ import annotations

import time
from collections.abc import Iterable

import psycopg
from psycopg import sql

DUE_TABLES = """
    select s.schemaname, s.relname, s.n_live_tup, s.n_dead_tup
    from pg_stat_user_tables as s
    inner join pg_class as c on c.oid = s.relid
    where (s.schemaname, s.relname) in (select * from unnest(%(schemas)s::text[], %(names)s::text[]))
      and s.n_dead_tup > current_setting('autovacuum_vacuum_threshold')::float8
                         + current_setting('autovacuum_vacuum_scale_factor')::float8 * greatest(c.reltuples, 0)
      -- left to the server when its autovacuum runs and the table does not opt out
      and not (%(server_vacuums)s and coalesce((select o.option_value::boolean
                                                 from pg_options_to_table(c.reloptions) as o
                                                 where o.option_name = 'autovacuum_enabled'), true))
    order by s.n_dead_tup desc
"""


def server_vacuums(conn: psycopg.Connection) -> bool:
    """The server's autovacuum runs (it needs the row counters of track_counts)."""
    row = conn.execute("select current_setting('autovacuum') = 'on' and current_setting('track_counts') = 'on'") \
        .fetchone()
    return bool(row and row[0])


def app_tables(conn: psycopg.Connection, schema: str = "app") -> list[tuple[str, str]]:
    """The service's own tables (forecasts, runs, curves): the refresh rewrites some of them on every run."""
    rows = conn.execute("select schemaname, relname from pg_stat_user_tables where schemaname = %s", (schema,))
    return [(r[0], r[1]) for r in rows.fetchall()]


def vacuum_due(conn: psycopg.Connection, tables: Iterable[tuple[str, str]]) -> dict:
    """Vacuum the `tables` (schema, name) whose dead rows passed the autovacuum rule and that the server
    does not vacuum itself; `conn` must be in autocommit mode (VACUUM runs outside a transaction).
    Returns what was done, for the run's steps."""
    tables = sorted(set(tables))
    by_server = server_vacuums(conn)
    due = conn.execute(DUE_TABLES, {"schemas": [t[0] for t in tables], "names": [t[1] for t in tables],
                                    "server_vacuums": by_server}).fetchall() if tables else []
    vacuumed = []
    for schema, name, live, dead in due:
        started = time.monotonic()
        conn.execute(sql.SQL("vacuum {}").format(sql.Identifier(schema, name)))
        vacuumed.append({"table": f"{schema}.{name}", "dead_rows": int(dead), "live_rows": int(live),
                         "seconds": round(time.monotonic() - started, 2)})
    return {"result": "ok", "server_autovacuum": by_server, "checked": len(tables), "vacuumed": vacuumed}
