"""`insights load-sample --target spark`: the generated sample as Parquet tables of the Spark
warehouse's `raw` database, typed as raw_schema.sql types them (no PostgreSQL involved).

The rows are the generator's own (the same seed, scale, dates and load instant give the same rows
as the PostgreSQL load), so a Spark build and a PostgreSQL build of one sample can be compared.
"""
from __future__ import annotations

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


def load_sample_spark(spark, data, schema: str = "raw",
                      progress: Callable[[str, int, float], None] | None = None) -> dict:
    """Replace every raw table of `schema` with the sample's rows. Returns {"rows": {table: n}, "seconds": s}."""
    started = time.perf_counter()
    schemas = raw_schemas()
    spark.sql(f"create database if not exists {schema}")
    # rows are gathered per table first: the generator interleaves tables store by store
    rows: dict[str, list[tuple]] = {table: [] for table in RAW_TABLES}
    order = {table: [field.name for field in struct.fields] for table, struct in schemas.items()}
    for table, columns, chunk in data.iter_chunks():
        if list(columns) == order[table]:
            rows[table].extend(chunk)
        else:
            positions = [list(columns).index(name) for name in order[table]]
            rows[table].extend(tuple(row[i] for i in positions) for row in chunk)
    counts = {}
    for table in RAW_TABLES:
        frame = spark.createDataFrame(rows[table], schemas[table], verifySchema=False)
        frame.write.mode("overwrite").format("parquet").saveAsTable(f"{schema}.{table}")
        counts[table] = len(rows[table])
        rows[table] = []
        if progress:
            progress(table, counts[table], time.perf_counter() - started)
    return {"rows": counts, "seconds": round(time.perf_counter() - started, 3)}
