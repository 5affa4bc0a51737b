"""`insights load-sample --target spark`: the generated sample as Parquet tables of the Spark
warehouse's `raw` database, typed as raw_schema.sql types them (no PostgreSQL involved), and
`--append-days N`: its next days appended to those tables (sample_data.append.append_days_spark).

The rows are the generator's own (the same seed, scale, dates and load instant give the same rows
as the PostgreSQL load, and an append the same rows as on PostgreSQL after the same loads), so a
Spark build and a PostgreSQL build of one sample can be compared. Loads and appends are recorded
in `<schema>._sample_loads`, as sample_data/loader.py records them on PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable

from insight_service.warehouse.raw_schema import RAW_TABLES, raw_column_types

_NUMERIC = re.compile(r"numeric\((\d+),(\d+)\)")


def spark_type(pg_type: str):
    """The Spark type of a raw column's PostgreSQL type."""
    from pyspark.sql import types as T

    simple = {"text": T.StringType(), "timestamptz": T.TimestampType(), "date": T.DateType(),
              "bigint": T.LongType(), "integer": T.IntegerType(), "boolean": T.BooleanType()}
    if pg_type in simple:
        return simple[pg_type]
    match = _NUMERIC.fullmatch(pg_type)
    if match:
        return T.DecimalType(int(match.group(1)), int(match.group(2)))
    raise ValueError(f"raw_schema.sql type {pg_type!r} has no Spark type")


def raw_schemas() -> dict:
    """Raw table -> its Spark StructType (columns in the contract's order, all nullable)."""
    from pyspark.sql import types as T

    return {table: T.StructType([T.StructField(column, spark_type(pg_type), True) for column, pg_type in columns])
            for table, columns in raw_column_types().items()}


SAMPLE_LOADS = "_sample_loads"
_LOADS_DDL = ("load_id bigint, kind string, seed bigint, scale double, months int, start_date date, "
              "base_end_date date, reserve_days int, end_date date, loaded_at timestamp, "
              "generator_version string, total_rows bigint")


def read_sample_loads(spark, schema: str = "raw") -> list[dict]:
    """The sample's load and the appends after it, oldest first ([] if none): loader.read_sample_loads on Spark."""
    if not spark.catalog.tableExists(f"{schema}.{SAMPLE_LOADS}"):
        return []
    rows = [row.asDict() for row in spark.table(f"{schema}.{SAMPLE_LOADS}").orderBy("load_id").collect()]
    for row in rows:  # pyspark gives naive datetimes in this process's local time
        row["loaded_at"] = row["loaded_at"].astimezone(dt.UTC)
    return rows if rows and rows[0]["kind"] == "load" else []


def record_load(spark, schema: str, record: dict, total_rows: int, replace: bool) -> None:
    """Record a load (replace=True: the sample's first) or an append in `<schema>._sample_loads`."""
    loads = [] if replace else read_sample_loads(spark, schema)
    row = {**record, "load_id": len(loads) + 1, "total_rows": total_rows}
    frame = spark.createDataFrame([tuple(row[c.split()[0]] for c in _LOADS_DDL.split(", "))], _LOADS_DDL)
    frame.write.mode("overwrite" if replace else "append").format("parquet").saveAsTable(f"{schema}.{SAMPLE_LOADS}")


def max_loaded_at(spark, schema: str = "raw") -> dt.datetime | None:
    """The latest `_loaded_at` of the raw tables of `schema` (None when they are empty)."""
    latest = spark.sql(" union all ".join(f"select max(_loaded_at) as m from {schema}.{t}" for t in RAW_TABLES)
                       ).agg({"m": "max"}).collect()[0][0]
    return latest.astimezone(dt.UTC) if latest else None


def write_rows(spark, chunks, schema: str, mode: str, progress, started: float) -> dict[str, int]:
    """Write (table, columns, rows) chunks into the raw tables (mode overwrite or append); {table: rows}."""
    schemas = raw_schemas()
    # rows are gathered per table first: the generator interleaves tables store by store
    rows: dict[str, list[tuple]] = {table: [] for table in RAW_TABLES}
    order = {table: [field.name for field in struct.fields] for table, struct in schemas.items()}
    for table, columns, chunk in chunks:
        if list(columns) == order[table]:
            rows[table].extend(chunk)
        else:
            positions = [list(columns).index(name) for name in order[table]]
            rows[table].extend(tuple(row[i] for i in positions) for row in chunk)
    counts = {}
    for table in RAW_TABLES:
        if mode == "append" and not rows[table]:
            counts[table] = 0
            continue
        frame = spark.createDataFrame(rows[table], schemas[table], verifySchema=False)
        frame.write.mode(mode).format("parquet").saveAsTable(f"{schema}.{table}")
        counts[table] = len(rows[table])
        rows[table] = []
        if progress:
            progress(table, counts[table], time.perf_counter() - started)
    return counts


def load_sample_spark(spark, data, schema: str = "raw",
                      progress: Callable[[str, int, float], None] | None = None) -> dict:
    """Replace every raw table of `schema` with the sample's rows. Returns {"rows": {table: n}, "seconds": s}."""
    started = time.perf_counter()
    spark.sql(f"create database if not exists {schema}")
    counts = write_rows(spark, data.iter_chunks(), schema, "overwrite", progress, started)
    if hasattr(data, "load_record"):
        record_load(spark, schema, data.load_record(), sum(counts.values()), replace=True)
    return {"rows": counts, "seconds": round(time.perf_counter() - started, 3)}
