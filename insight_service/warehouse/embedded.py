"""The embedded PostgreSQL (pgserver): a real server in a local folder, kept between runs.

It listens only on a unix socket inside its data folder, so it never collides with a
system PostgreSQL on port 5432.
"""
from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from insight_service.paths import warehouse_dir

EMBEDDED_DATABASE = "marketing"
EMBEDDED_USER = "postgres"

# pgserver's lock file lives in the XDG runtime dir; give it one when the machine has none.
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
logging.getLogger("pgserver").setLevel(logging.WARNING)


@dataclass(frozen=True)
class EmbeddedStatus:
    running: bool
    pgdata: Path
    socket_dir: Path | None = None
    port: int | None = None
    pid: int | None = None


def pgdata_dir(base: Path | None = None) -> Path:
    return (base or warehouse_dir()) / "pgdata"


def status(base: Path | None = None) -> EmbeddedStatus:
    from pgserver.utils import PostmasterInfo

    pgdata = pgdata_dir(base)
    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        return EmbeddedStatus(False, pgdata)
    return EmbeddedStatus(True, pgdata, info.socket_dir, info.port, info.pid)


def up(base: Path | None = None, database: str = EMBEDDED_DATABASE) -> dict[str, str]:
    """Start (or reuse) the embedded server, make sure `database` exists, return its PG* env."""
    import pgserver

    pgdata = pgdata_dir(base)
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process and is reused by the next command.
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    info = server.get_postmaster_info()
    env = {
        "PGHOST": str(info.socket_dir),
        "PGPORT": str(info.port or 5432),
        "PGUSER": EMBEDDED_USER,
        "PGDATABASE": database,
    }
    ensure_database(env, database)
    return env


def ensure_database(env: dict[str, str], database: str) -> None:
    """CREATE DATABASE when missing (CREATE DATABASE cannot take a bound parameter)."""
    import psycopg
    from psycopg import sql

    admin = {**env, "dbname": "postgres"}
    with psycopg.connect(
        host=admin["PGHOST"], port=admin["PGPORT"], user=admin["PGUSER"],
        dbname="postgres", autocommit=True,
    ) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", (database,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(database)))


def down(base: Path | None = None) -> bool:
    """Stop the embedded server; False when it was not running."""
    from pgserver._commands import pg_ctl

    st = status(base)
    if not st.running:
        return False
    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=st.pgdata, user=user)
    return True
