"""Insert hand-written raw rows (dicts) into a raw table, parameterised."""
from __future__ import annotations

from psycopg import sql


def insert_rows(conn, table: str, rows: list[dict], schema: str = "raw") -> None:
    if not rows:
        return
    columns = sorted({key for row in rows for key in row})
    statement = sql.SQL("insert into {} ({}) values ({})").format(
        sql.Identifier(schema, table),
        sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.SQL(", ").join(sql.Placeholder() * len(columns)),
    )
    with conn.cursor() as cur:
        cur.executemany(statement, [tuple(row.get(c) for c in columns) for row in rows])
