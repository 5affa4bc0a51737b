"""SQL migrations of the ``app`` schema that the insight service owns.

Files ``NNN_name.sql`` in this folder are applied in order, each once, inside one
transaction per file, and recorded in ``app.schema_migrations``. A transaction-level
advisory lock makes concurrent runs (several workers, the CLI) safe; running again is a
no-op. ``insights keys ...`` and ``insights serve`` call :func:`migrate`.
"""
from __future__ import annotations

from importlib import resources

import psycopg

LOCK_KEY = 0x1A5C_0DE5  # pg_advisory_xact_lock key of this migrator


def migration_files() -> list[tuple[str, str]]:
    """``[(version, sql)]`` sorted by version (the file name without ``.sql``)."""
    folder = resources.files(__package__)
    items = [(entry.name.removesuffix(".sql"), entry.read_text(encoding="utf-8"))
             for entry in folder.iterdir() if entry.name.endswith(".sql")]
    return sorted(items)


def migrate(conn: psycopg.Connection) -> list[str]:
    """Apply the pending migrations on ``conn``; returns the versions applied now."""
    applied_now: list[str] = []
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        conn.execute("create schema if not exists app")
        conn.execute(
            "create table if not exists app.schema_migrations ("
            " version text primary key, applied_at timestamptz not null default now())"
        )
        done = {row[0] for row in conn.execute("select version from app.schema_migrations").fetchall()}
        for version, text in migration_files():
            if version in done:
                continue
            conn.execute(text)
            conn.execute("insert into app.schema_migrations (version) values (%s)", (version,))
            applied_now.append(version)
    return applied_now
