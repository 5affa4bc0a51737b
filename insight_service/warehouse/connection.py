"""One way to find the warehouse, shared by the CLI, dbt and the service.

The standard libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE) name it.
When PGHOST is unset the embedded server is started (or reused) and those variables are
set in this process, so dbt subprocesses and psycopg connections inherit them.
"""
from __future__ import annotations

import os

PG_VARS = ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE")


def uses_embedded() -> bool:
    return not os.environ.get("PGHOST")


def resolve_environment() -> dict[str, str]:
    """Make the PG* variables point at a running warehouse and return them."""
    if uses_embedded():
        from insight_service.warehouse import embedded

        env = embedded.up(database=os.environ.get("PGDATABASE") or embedded.EMBEDDED_DATABASE)
        os.environ.update(env)
    os.environ.setdefault("PGPORT", "5432")
    return {k: os.environ[k] for k in PG_VARS if os.environ.get(k)}


def describe(env: dict[str, str] | None = None) -> str:
    env = env if env is not None else {k: os.environ[k] for k in PG_VARS if os.environ.get(k)}
    return "postgresql://{user}@{host}:{port}/{db}".format(
        user=env.get("PGUSER", ""), host=env.get("PGHOST", ""),
        port=env.get("PGPORT", "5432"), db=env.get("PGDATABASE", ""),
    )


def connect(**kwargs):
    """A psycopg 3 connection from the PG* environment (libpq reads the variables itself)."""
    import psycopg

    return psycopg.connect("", **kwargs)
