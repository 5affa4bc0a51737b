"""`insights publish`: the marts of a Spark build copied into PostgreSQL's marts schema, where the
service and the dashboard read them (README "Spark": serving stays on PostgreSQL).

Each table is replaced whole in one transaction per table (TRUNCATE, then COPY of every row): a
reader sees the old rows or the new ones, never a mix; a table the warehouse already has keeps its
definition (types, indexes, dependent functions), and a missing one is created with the column types
its model's YAML declares (`data_type`: jsonb for the signals' evidence, which is JSON text on Spark),
else the Spark schema's.
Spark rebuilds every model whole for now, so every partition of a published table has changed.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from psycopg import sql

from insight_service.paths import project_dir

_PG_TYPES = {"string": "text", "timestamp": "timestamptz", "timestamp_ntz": "timestamp", "date": "date",
             "bigint": "bigint", "int": "integer", "smallint": "smallint", "boolean": "boolean",
             "double": "double precision", "float": "real"}


def pg_type(spark_type: str) -> str:
    """The PostgreSQL column type of a Spark column type (simpleString)."""
    if spark_type.startswith("decimal"):
        return "numeric" + spark_type[len("decimal"):]
    if spark_type in _PG_TYPES:
        return _PG_TYPES[spark_type]
    raise ValueError(f"no PostgreSQL type for the Spark type {spark_type!r}")


def declared_types(table: str, models: Path | None = None) -> dict[str, str]:
    """{column: data_type} of the model `table` as its YAML declares them ({} for a model without one)."""
    for path in sorted((models or project_dir() / "models").rglob(f"{table}.yml")):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models", []):
            if model.get("name") == table:
                return {c["name"]: c["data_type"] for c in model.get("columns", []) if c.get("data_type")}
    return {}


def _instant(value):
    # pyspark returns naive datetimes in this process's local time; PostgreSQL wants the instant
    return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) and value.tzinfo is None else value


def publish_table(spark, conn, schema: str, table: str) -> int:
    """Replace `schema.table` on PostgreSQL with the rows of the Spark table of that name. Commits."""
    frame = spark.table(f"{schema}.{table}")
    fields = [(f.name, f.dataType.simpleString()) for f in frame.schema.fields]
    exists = conn.execute("select to_regclass(%s)", (f'"{schema}"."{table}"',)).fetchone()[0]
    target = sql.Identifier(schema, table)
    if exists is None:
        declared = declared_types(table)
        conn.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("create table {} ({})").format(target, sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(declared.get(name) or pg_type(kind)))
            for name, kind in fields)))
    else:
        conn.execute(sql.SQL("truncate {}").format(target))
    rows = 0
    columns = sql.SQL(", ").join(sql.Identifier(name) for name, _ in fields)
    with conn.cursor().copy(sql.SQL("copy {} ({}) from stdin").format(target, columns)) as copy:
        for row in frame.toLocalIterator():
            copy.write_row([_instant(v) for v in row])
            rows += 1
    conn.commit()
    return rows


def publish(spark, conn, schema: str = "marts", tables: list[str] | None = None,
            progress: Callable[[str, int, float], None] | None = None) -> dict[str, int]:
    """Publish every table of the Spark database `schema` (or `tables`); {table: rows}. mart_build_info,
    the service's cache key, goes last: responses cached before stay valid until the new marts are in."""
    available = {t.name for t in spark.catalog.listTables(schema) if t.tableType != "VIEW"}
    wanted = sorted(available if tables is None else tables, key=lambda t: (t == "mart_build_info", t))
    missing = sorted(set(wanted) - available)
    if missing:
        raise ValueError(f"not in the Spark database {schema!r}: {', '.join(missing)} (build them first)")
    started = time.monotonic()
    counts = {}
    for table in wanted:
        counts[table] = publish_table(spark, conn, schema, table)
        if progress:
            progress(table, counts[table], time.monotonic() - started)
    return counts
