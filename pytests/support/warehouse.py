"""Isolated test databases on whichever PostgreSQL is configured.

PGHOST set (CI: the system server)  -> a fresh database on that server per use.
PGHOST unset                        -> the embedded pgserver, a fresh database in it.
Every database is dropped at the end of the test session.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

from insight_service.dbt_runner import dbt_command

# The dbt `unit_tests:` test the SQL on fixed inputs, whatever the database holds: the suite's sample
# build (conftest.sample_warehouse, once per run: the other worker copies it) runs them, the other
# builds leave them out (about a third of a small build's time)
NO_UNIT_TESTS = ("--exclude-resource-type", "unit_test")


def server_env() -> dict[str, str]:
    """PG* variables of the server the tests run on (admin database not included)."""
    if os.environ.get("PGHOST"):
        keys = ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD")
        return {k: os.environ[k] for k in keys if os.environ.get(k)}
    from insight_service.warehouse import embedded

    env = embedded.up()
    env.pop("PGDATABASE", None)
    return env


class TestDatabase:
    """One throwaway database with helpers to query it and run dbt against it."""

    __test__ = False  # not a pytest class

    def __init__(self, prefix: str):
        self.server = server_env()
        self.name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        self.env = {**self.server, "PGDATABASE": self.name}
        self._tmp = Path(tempfile.mkdtemp(prefix=f"{self.name}_"))
        with self._admin() as conn:
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(self.name)))

    def _admin(self):
        return psycopg.connect(self._conninfo("postgres"), autocommit=True)

    def allow_connections(self, allowed: bool) -> None:
        """Take the database away (refuse new connections, end the open ones) or give it back."""
        with self._admin() as admin:
            admin.execute(sql.SQL("alter database {} allow_connections {}").format(
                sql.Identifier(self.name), sql.SQL("true" if allowed else "false")))
            if not allowed:
                admin.execute("select pg_terminate_backend(pid) from pg_stat_activity "
                              "where datname = %s and pid <> pg_backend_pid()", (self.name,))

    def _conninfo(self, dbname: str) -> str:
        parts = {
            "host": self.server.get("PGHOST"), "port": self.server.get("PGPORT", "5432"),
            "user": self.server.get("PGUSER", "postgres"), "password": self.server.get("PGPASSWORD"),
            "dbname": dbname,
        }
        return psycopg.conninfo.make_conninfo(**{k: v for k, v in parts.items() if v})

    @property
    def conninfo(self) -> str:
        return self._conninfo(self.name)

    def connect(self, **kwargs) -> psycopg.Connection:
        return psycopg.connect(self.conninfo, **kwargs)

    def query(self, query: str, params=None) -> list[tuple]:
        with self.connect() as conn:
            return conn.execute(query, params).fetchall()

    def scalar(self, query: str, params=None):
        rows = self.query(query, params)
        return rows[0][0] if rows else None

    def execute(self, query: str, params=None) -> None:
        with self.connect() as conn:
            conn.execute(query, params)
            conn.commit()

    def dbt(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run dbt against this database; on failure the assertion shows dbt's output."""
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PG")},
            **self.env,
            "DBT_TARGET_PATH": str(self._tmp / "target"),
            "DBT_LOG_PATH": str(self._tmp / "logs"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        proc = subprocess.run(dbt_command(list(args)), env=env, capture_output=True, text=True)
        if check and proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-60:])
            raise AssertionError(f"dbt {' '.join(args)} failed:\n{tail}")
        return proc

    def drop(self) -> None:
        with self._admin() as conn:
            conn.execute(
                "select pg_terminate_backend(pid) from pg_stat_activity where datname = %s and pid <> pg_backend_pid()",
                (self.name,),
            )
            conn.execute(sql.SQL("drop database if exists {}").format(sql.Identifier(self.name)))
