"""The raw landing schema: create it (idempotent) from raw_schema.sql, and the one Python list
of raw tables, read from that same file (so the DDL and the list cannot disagree).

dbt keeps its own list (macros/raw_tables.sql, models/staging/__sources.yml) because dbt cannot
import Python; pytests/test_raw_tables.py pins both to :data:`RAW_TABLES`."""
from __future__ import annotations

import re
from importlib import resources

from psycopg import sql

_TABLE_RE = re.compile(r"create table if not exists \{schema\}\.(\w+) \((.*?)\);", re.S)


def _sql_text(name: str) -> str:
    return resources.files("insight_service.warehouse").joinpath(name).read_text()


def _table_columns() -> dict[str, tuple[str, ...]]:
    """Raw table -> its column names, in the order of raw_schema.sql."""
    tables = {}
    for name, body in _TABLE_RE.findall(_sql_text("raw_schema.sql")):
        body = re.sub(r"\([^)]*\)", "", body)  # numeric(14,2): the comma is not a column separator
        tables[name] = tuple(col.split()[0] for col in body.split(",") if col.strip())
    return tables


def raw_column_types() -> dict[str, tuple[tuple[str, str], ...]]:
    """Raw table -> ((column, PostgreSQL type), ...) in the order of raw_schema.sql (the Spark raw
    loader maps them onto Spark types)."""
    tables = {}
    for name, body in _TABLE_RE.findall(_sql_text("raw_schema.sql")):
        parts = re.split(r",(?![^(]*\))", body)  # numeric(14,2): the comma is not a column separator
        tables[name] = tuple((col.split()[0], col.split()[1]) for col in parts if col.strip())
    return tables


RAW_TABLE_COLUMNS: dict[str, tuple[str, ...]] = _table_columns()
RAW_TABLES: tuple[str, ...] = tuple(RAW_TABLE_COLUMNS)
# raw tables whose rows carry no store_id (the quarantine records them with store_id null)
STORELESS_TABLES: tuple[str, ...] = tuple(t for t, cols in RAW_TABLE_COLUMNS.items() if "store_id" not in cols)


def _sql_file(name: str, schema: str) -> sql.Composed:
    return sql.SQL(_sql_text(name)).format(schema=sql.Identifier(schema))


def ddl(schema: str) -> sql.Composed:
    return _sql_file("raw_schema.sql", schema)


def create_raw_schema(conn, schema: str = "raw") -> None:
    """Create the schema and every contract table if missing. Commits."""
    conn.execute(ddl(schema))
    conn.commit()


def create_raw_indexes(conn, schema: str = "raw") -> None:
    """Indexes the incremental staging reads raw through (_loaded_at, natural key). Commits.

    Call after a bulk COPY: building an index once is cheaper than maintaining it row by row."""
    conn.execute(_sql_file("raw_indexes.sql", schema))
    conn.commit()


def drop_raw_indexes(conn, schema: str = "raw") -> None:
    """Drop the indexes of raw_indexes.sql (before replacing the tables' rows). Commits."""
    for name in re.findall(r"create index if not exists (\w+)", _sql_text("raw_indexes.sql")):
        conn.execute(sql.SQL("drop index if exists {}").format(sql.Identifier(schema, name)))
    conn.commit()


def truncate_raw_tables(conn, schema: str = "raw") -> None:
    conn.execute(
        sql.SQL("truncate {}").format(
            sql.SQL(", ").join(sql.Identifier(schema, t) for t in RAW_TABLES)
        )
    )
    conn.commit()
