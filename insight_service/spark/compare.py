"""Row-by-row comparison of the models a Spark build and a PostgreSQL build wrote from one sample
(README "Spark": the equality test). Money to the cent, other numbers to 1e-9 (relative), instants
to the microsecond, text exactly; the columns that stamp a run's time are left out. A JSON column
(jsonb on PostgreSQL, JSON text on Spark) is compared as parsed documents: key order, number
formats and whitespace differ between the engines, the values must not."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

# stamped with the run (its start, its invocation id, the moment a row was written) or measured from
# that stamp (a source's age at the check): differ between any two builds
RUN_STAMP_COLUMNS = frozenset({"staged_at", "detected_at", "built_at", "processed_at", "attributed_at",
                               "checked_at", "age_hours", "build_id",
                               # what a row held before PostgreSQL's last incremental run rewrote it (its
                               # reopening reads them); a full build and a Spark build leave them null
                               # (visit_key_unchanged: false)
                               "previous_session_date", "previous_converted_date", "previous_person_key",
                               "visit_key_unchanged"})

# PostgreSQL's incremental runs keep an order that stopped converting, or a session that left, as a row
# marked removed so that the next run takes its rows out of the marts; a full build, and a Spark build
# (which recomputes a store's partition whole), never write those rows
TOMBSTONE_COLUMN = "is_removed"

LAYER_SCHEMAS = ("staging", "intermediate", "marts")
# the incremental build's bookkeeping on Spark (macros/spark_incremental.sql), not models
BOOKKEEPING_TABLES = frozenset({"incremental_watermarks", "incremental_changed_stores"})

JSON_TYPE_OIDS = frozenset({114, 3802})  # json, jsonb


class JsonDocument:
    """A parsed JSON value (numbers as Decimal) that compares with the numeric tolerances."""

    def __init__(self, text: str):
        self.text = text
        self.value = json.loads(text, parse_float=Decimal, parse_int=Decimal)

    def sort_text(self) -> str:
        return json.dumps(_rounded(self.value), sort_keys=True)

    def __repr__(self) -> str:
        return self.text


def _rounded(value):
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, Decimal):
        return _number_key(value)
    return value


def _number_key(value: Decimal) -> str:
    """A number's sort text: values within the comparison's tolerance sort alike."""
    return f"{float(value):.9g}"


def spark_relations(spark, schemas=LAYER_SCHEMAS) -> list[tuple[str, str]]:
    """(schema, table) of every table and view the Spark build wrote in the layer schemas."""
    found = []
    for schema in schemas:
        if not spark.catalog.databaseExists(schema):
            continue
        found.extend((schema, table.name) for table in spark.catalog.listTables(schema)
                     if table.name not in BOOKKEEPING_TABLES)
    return sorted(found)


def _value(value):
    """One value in a form both engines' drivers agree on."""
    if isinstance(value, dt.datetime):
        # psycopg gives aware instants; pyspark naive ones in this process's local time
        return value.astimezone(dt.UTC)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict | list):  # a json(b) value psycopg has parsed
        return JsonDocument(json.dumps(value))
    return value


def _sort_key(row: tuple) -> tuple:
    key = []
    for value in row:
        if value is None:
            key.append((0, ""))
        elif isinstance(value, Decimal):
            key.append((1, _number_key(value)))
        elif isinstance(value, JsonDocument):
            key.append((1, value.sort_text()))
        else:
            key.append((1, str(value)))
    return tuple(key)


def _equal(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, JsonDocument) and isinstance(b, JsonDocument):
        return _equal(a.value, b.value)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        if a == b:
            return True
        money = a.as_tuple().exponent >= -2 and b.as_tuple().exponent >= -2
        return not money and abs(a - b) <= Decimal("1e-9") * max(Decimal(1), abs(a), abs(b))
    return a == b


def compare_rows(columns: list[str], pg_rows: list[tuple], spark_rows: list[tuple], limit: int = 5) -> list[str]:
    """Differences between two multisets of rows with the same columns ([] when equal)."""
    if len(pg_rows) != len(spark_rows):
        return [f"{len(pg_rows)} rows on PostgreSQL, {len(spark_rows)} on Spark"]
    left = sorted((tuple(map(_value, r)) for r in pg_rows), key=_sort_key)
    right = sorted((tuple(map(_value, r)) for r in spark_rows), key=_sort_key)
    problems = []
    for a, b in zip(left, right):
        diff = [f"{c}: {x!r} vs {y!r}" for c, x, y in zip(columns, a, b) if not _equal(x, y)]
        if diff:
            problems.append("; ".join(diff))
            if len(problems) >= limit:
                break
    return problems


def compare_relation(pg_conn, spark, schema: str, table: str) -> list[str]:
    """Differences between one relation on PostgreSQL and on Spark ([] when equal)."""
    frame = spark.table(f"{schema}.{table}")
    spark_columns = [c.lower() for c in frame.columns]
    cur = pg_conn.execute(f'select * from "{schema}"."{table}" limit 0')
    pg_columns = [d.name.lower() for d in cur.description]
    if set(spark_columns) != set(pg_columns):
        return [f"columns differ: only on PostgreSQL {sorted(set(pg_columns) - set(spark_columns))}, "
                f"only on Spark {sorted(set(spark_columns) - set(pg_columns))}"]
    json_columns = {d.name.lower() for d in cur.description if d.type_code in JSON_TYPE_OIDS}
    columns = [c for c in pg_columns if c not in RUN_STAMP_COLUMNS]
    live = ""
    if TOMBSTONE_COLUMN in columns:
        frame, live = frame.where(f"not {TOMBSTONE_COLUMN}"), f' where not "{TOMBSTONE_COLUMN}"'
    spark_rows = [tuple(row) for row in frame.select(*columns).collect()]
    selected = ", ".join(f'"{c}"::text' if c in json_columns else f'"{c}"' for c in columns)
    pg_rows = pg_conn.execute(f'select {selected} from "{schema}"."{table}"{live}').fetchall()
    if json_columns:
        positions = [i for i, c in enumerate(columns) if c in json_columns]
        pg_rows, spark_rows = _parse_json(pg_rows, positions), _parse_json(spark_rows, positions)
    return compare_rows(columns, pg_rows, spark_rows)


def _parse_json(rows: list[tuple], positions: list[int]) -> list[tuple]:
    return [tuple(JsonDocument(v) if i in positions and v is not None else v for i, v in enumerate(row))
            for row in rows]


def compare_all(dsn: str, folder) -> dict[str, list[str]]:
    """{"schema.table": differences} for every relation the Spark build in `folder` wrote."""
    import psycopg

    from insight_service.spark.session import get_session

    spark = get_session(folder)
    try:
        with psycopg.connect(dsn) as conn:
            return {f"{schema}.{table}": compare_relation(conn, spark, schema, table)
                    for schema, table in spark_relations(spark)}
    finally:
        spark.stop()


def main(argv: list[str] | None = None) -> int:
    """`python -m insight_service.spark.compare --spark-dir D --dsn S [--json]`: exit 1 when any relation differs.
    Run it alone: the local metastore admits one process (no dbt on the same folder meanwhile)."""
    import argparse
    import json
    from pathlib import Path

    parser = argparse.ArgumentParser(prog="python -m insight_service.spark.compare", description=main.__doc__)
    parser.add_argument("--spark-dir", required=True, type=Path, help="the INSIGHTS_SPARK_DIR the Spark build used")
    parser.add_argument("--dsn", required=True, help="the PostgreSQL database built from the same sample")
    parser.add_argument("--json", action="store_true", help="print one JSON object {relation: [differences]}")
    args = parser.parse_args(argv)
    results = compare_all(args.dsn, args.spark_dir.resolve())
    if args.json:
        print(json.dumps(results))
    else:
        for relation, problems in results.items():
            print(("DIFF " if problems else "OK   ") + relation)
            for problem in problems:
                print("      " + problem)
    return 1 if any(results.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
