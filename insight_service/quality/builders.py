"""The check-building primitives of the suites: one function per kind of check (contract
columns, rows per store, uniqueness, not-null, accepted values, ranges, regexes, query checks).
Each returns a :class:`~insight_service.quality.check.Check` with its offenders query."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from insight_service.quality.check import Check, lit, lit_list

# the build's default attribution model, and its start as "now" for the future checks
DEFAULT_MODEL_SQL = ("(select attribution_default_model from {m}.mart_build_info "
                     "order by built_at desc nulls last limit 1)")
BUILT_AT_SQL = "(select max(built_at) from {m}.mart_build_info)"


def keys(grain: Sequence[str]) -> str:
    return ", ".join(grain)


def contract_columns(columns: Sequence[str]) -> Check:
    present = lit_list(columns)
    return Check(
        "contract_columns", "ExpectTableColumnsToMatchSet",
        {"column_set": list(columns), "exact_match": False},
        "every contract column exists (more columns are allowed)",
        offenders=(
            "select wanted.column_name as missing_column from unnest(array[" + present + "]) as wanted(column_name) "
            "where wanted.column_name not in (select column_name from information_schema.columns "
            "where table_schema || '.' || table_name = " + "'{batch}'" + ") order by 1"),
    )


def has_rows() -> Check:
    return Check("has_rows", "ExpectTableRowCountToBeBetween", {"min_value": 1},
                 "the mart is not empty",
                 offenders="select count(*) as row_count from {batch}")


def rows_per_store(severity: str = "critical") -> Check:
    sql = ("select stores.store_id, stores.status from {m}.dim_stores as stores "
           "where coalesce(stores.status, '') <> 'archived' "
           "and not exists (select 1 from {batch} as mart where mart.store_id = stores.store_id) "
           "order by stores.store_id")
    return rows("rows_per_store", "every store of dim_stores (not archived) has rows", sql, severity=severity)


def known_stores() -> Check:
    sql = ("select mart.store_id, count(*) as row_count from {batch} as mart "
           "where not exists (select 1 from {m}.dim_stores as stores where stores.store_id = mart.store_id) "
           "group by mart.store_id order by count(*) desc, mart.store_id")
    return rows("known_stores", "every store_id is a store of dim_stores", sql)


def store_level(columns: Sequence[str], rows_per_store_severity: str = "critical") -> list[Check]:
    """The hand-written checks every store-level mart gets (grain and not-null come from dbt)."""
    return [contract_columns(columns), rows_per_store(rows_per_store_severity), known_stores()]


def unique(grain: Sequence[str], name: str = "unique_grain") -> Check:
    cols = keys(grain)
    offenders = (f"select {cols}, count(*) as copies from {{batch}} group by {cols} "
                 f"having count(*) > 1 order by count(*) desc, {cols}")
    if len(grain) == 1:
        return Check(name, "ExpectColumnValuesToBeUnique", {"column": grain[0]},
                     f"one row per {grain[0]}", offenders=offenders)
    return Check(name, "ExpectCompoundColumnsToBeUnique", {"column_list": list(grain)},
                 f"one row per ({cols})", offenders=offenders)


def not_null(column: str, grain: Sequence[str]) -> Check:
    cols = keys(grain)
    return Check(f"not_null:{column}", "ExpectColumnValuesToNotBeNull", {"column": column},
                 f"{column} is never null",
                 offenders=f"select {cols} from {{batch}} where {column} is null order by {cols}")


def in_set(column: str, values: Sequence[str], grain: Sequence[str], name: str | None = None) -> Check:
    cols = keys(grain)
    show = cols if column in grain else f"{cols}, {column}"
    return Check(name or f"accepted_values:{column}", "ExpectColumnValuesToBeInSet",
                 {"column": column, "value_set": list(values)},
                 f"{column} is one of {', '.join(values)}",
                 offenders=(f"select {show} from {{batch}} where {column} is not null "
                            f"and {column}::text not in ({lit_list(values)}) order by {column}, {cols}"))


def between(column: str, grain: Sequence[str], min_value: float | None = None, max_value: float | None = None,
            name: str | None = None, severity: str = "critical") -> Check:
    cols = keys(grain)
    kwargs: dict[str, Any] = {"column": column}
    conditions, badness = [], []
    if min_value is not None:
        kwargs["min_value"] = min_value
        conditions.append(f"{column} < {lit(min_value)}")
        badness.append(f"{lit(min_value)} - {column}")
    if max_value is not None:
        kwargs["max_value"] = max_value
        conditions.append(f"{column} > {lit(max_value)}")
        badness.append(f"{column} - {lit(max_value)}")
    if min_value is not None and max_value is not None:
        text, rule = f"{column} is between {min_value} and {max_value}", "range"
    elif min_value is not None:
        text, rule = f"{column} >= {min_value}", "min"
    else:
        text, rule = f"{column} <= {max_value}", "max"
    worst = badness[0] if len(badness) == 1 else f"greatest({', '.join(badness)})"
    return Check(name or f"{rule}:{column}", "ExpectColumnValuesToBeBetween", kwargs, text,
                 offenders=(f"select {cols}, {column} from {{batch}} where {' or '.join(conditions)} "
                            f"order by {worst} desc, {cols}"),
                 severity=severity)


def at_least_zero(columns: Sequence[str], grain: Sequence[str]) -> list[Check]:
    return [between(c, grain, 0) for c in columns]


def regex(column: str, pattern: str, grain: Sequence[str], name: str, description: str) -> Check:
    cols = keys(grain)
    show = cols if column in grain else f"{cols}, {column}"
    return Check(name, "ExpectColumnValuesToMatchRegex", {"column": column, "regex": pattern}, description,
                 offenders=(f"select {show} from {{batch}} where {column} is not null "
                            f"and {column} !~ {lit(pattern)} order by {cols}"))


def over_batch(sql: str) -> str:
    """Read the mart through one CTE ``mart`` over ``{batch}``.

    GX substitutes ``{batch}`` with an aliased subquery, except in queries with a JOIN, where the
    alias is left to the query (``{batch_alias}``, filled by the runner). Queries write
    ``{batch}`` wherever they read the mart; it becomes ``mart`` (inlined: NOT MATERIALIZED).
    """
    body = sql.replace("{batch}", "mart")
    head = "mart as not materialized (select * from {batch}{batch_alias})"
    if body.lstrip().lower().startswith("with "):
        return "with " + head + ", " + body.lstrip()[5:]
    return "with " + head + " " + body


def rows(name: str, description: str, sql: str, severity: str = "critical") -> Check:
    """A query-based check: the query lists the offending rows, worst first."""
    assert "limit" not in sql.lower().split("order by")[-1], name
    query = over_batch(sql)
    return Check(name, "ExpectNoOffendingRows", {"unexpected_rows_query": query}, description,
                 offenders=query, severity=severity)


def no_future(column: str, grain: Sequence[str], what: str, tolerance_hours: int, is_date: bool = False) -> Check:
    cols = keys(grain)
    limit = f"{BUILT_AT_SQL} + interval '{int(tolerance_hours)} hours'"
    if is_date:
        limit = f"({limit})::date"
    return rows(f"no_future:{column}", f"{what} is not after the build (+{tolerance_hours} h tolerance)",
                f"select {cols}, {column} from {{batch}} where {column} > {limit} order by {column} desc, {cols}")


def month_start_is_first_day(grain: Sequence[str]) -> Check:
    cols = keys(grain)
    return rows("month_start_is_first_day", "month_start is the first day of a month",
                f"select {cols} from {{batch}} where month_start <> date_trunc('month', month_start)::date "
                f"order by {cols}")
