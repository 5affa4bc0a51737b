"""The data-quality suites of the marts, as code: one :class:`MartSuite` per mart.

Nothing here imports Great Expectations (slow to import): a :class:`Check` names a GX
expectation class and its arguments; :mod:`insight_service.quality.gx_runner` builds the GX
objects. Every check also carries an *offenders* query: the rows that break it, worst first,
which the runner reads (5 rows) only when the check fails, so every failure names the mart,
the check and the offending keys and values.

SQL conventions (query-based checks): ``{batch}`` is the mart being validated (substituted
by GX for ``UnexpectedRowsExpectation``, by the runner for offender queries) and ``{m}`` the
marts schema (substituted by :func:`render`). No other braces may appear, no ``:word``
outside casts (SQLAlchemy bind syntax), no trailing ``limit``/``;``: the runner appends one.
Every query orders its rows worst first.

Contract: ../shared/contracts/marts.md. Units: rates 0-100; only ``bounce_rate`` is bounded
above; money may be negative where refunds allow it (profit, ledger-driven cost/spent).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

CHANNELS: tuple[str, ...] = ("seo", "influencer", "social", "ads", "email", "referral", "direct")
CREDIT_CHANNELS: tuple[str, ...] = (*CHANNELS, "unattributed")
METRIC_CHANNELS: tuple[str, ...] = (*CHANNELS, "overall")
BUDGET_CHANNELS: tuple[str, ...] = ("seo", "influencer", "social", "ads", "email")
RULE_MODELS: tuple[str, ...] = ("first_touch", "last_touch", "linear", "time_decay", "position_based")
PERIODS: tuple[str, ...] = ("daily", "weekly", "monthly")
RATINGS: tuple[str, ...] = ("excellent", "good", "average", "poor", "insufficient_data")
DIRECTIONS: tuple[str, ...] = ("higher_is_better", "lower_is_better")
PACING: tuple[str, ...] = ("under", "on", "over")
ITEM_TYPES: tuple[str, ...] = ("seo_article", "influencer_delivery")
ARTICLE_STATUSES: tuple[str, ...] = ("draft", "scheduled", "published", "archived")
DELIVERY_STATUSES: tuple[str, ...] = ("planned", "posted", "verified", "missed")
BENCHMARK_METRICS: tuple[str, ...] = ("conversion_rate", "roas", "cpa", "cpc", "engagement_rate", "bounce_rate")
QUARANTINE_REASONS: tuple[str, ...] = ("null_key", "duplicate", "unknown_enum", "negative_value", "out_of_range",
                                       "future_timestamp", "missing_value", "unknown_reference")
RAW_TABLES: tuple[str, ...] = (
    "stores", "marketing_channels", "orders", "blog_articles", "article_daily_stats", "influencers",
    "influencer_campaigns", "influencer_outreach", "influencer_contracts", "influencer_deliveries",
    "social_posts_daily", "ad_campaign_daily", "marketing_spend", "web_sessions", "customer_identities",
)
# raw tables whose rows carry no store_id (quarantined with store_id null)
STORELESS_TABLES: tuple[str, ...] = ("influencers", "influencer_outreach", "influencer_deliveries")
FRESHNESS_STATUSES: tuple[str, ...] = ("ok", "warn", "error")
FX_PROVENANCE: tuple[str, ...] = ("ecb_eurofxref_hist", "offline_estimate")

# `source` of fct_unified_metrics: <type>:<id>, `unassigned` or `all` (POSIX regex, no braces)
SOURCE_REGEX = r"^(all|unassigned|article:.+|campaign:.+|post:.+|ad_campaign:[^:]+:.+)$"
_CHANNEL_ALT = "|".join(CHANNELS)
CHANNEL_PATH_REGEX = rf"^(unattributed|({_CHANNEL_ALT})( > ({_CHANNEL_ALT}))*)$"

# additive contract columns of fct_unified_metrics (rollups equal the sum of their parts)
UNIFIED_TRAFFIC = ("sessions", "pageviews", "impressions", "clicks", "engagements", "cost")
UNIFIED_ATTRIBUTED = ("conversions", "revenue", "profit")
UNIFIED_ADDITIVE = (*UNIFIED_TRAFFIC, *UNIFIED_ATTRIBUTED)
# profit - cost of each row: its rollups add up like its two terms (overall: + the unattributed profit)
UNIFIED_ROW_ADDITIVE = (*UNIFIED_ADDITIVE, "marketing_profit")

# the build's default attribution model and its start (+ tolerance) as "now" for future checks
DEFAULT_MODEL_SQL = ("(select attribution_default_model from {m}.mart_build_info "
                     "order by built_at desc nulls last limit 1)")
BUILT_AT_SQL = "(select max(built_at) from {m}.mart_build_info)"

OFFENDER_LIMIT = 5


@dataclasses.dataclass(frozen=True)
class Check:
    """One expectation of a suite, with the query that lists its worst offenders."""

    name: str                      # short, stable, unique in the suite: what failed
    expectation: str               # GX expectation class (great_expectations.expectations.<name>, or
                                   # ExpectNoOffendingRows: an UnexpectedRowsExpectation, gx_expectations.py)
    kwargs: dict[str, Any]         # its arguments (SQL still holds {m})
    description: str               # one sentence for the report and the data docs
    offenders: str | None = None   # SQL listing offending rows worst first ({batch}, {m})
    severity: str = "critical"     # critical -> exit non-zero; warning -> reported only


@dataclasses.dataclass(frozen=True)
class MartSuite:
    mart: str
    grain: tuple[str, ...]
    checks: tuple[Check, ...]
    description: str = ""

    @property
    def suite_name(self) -> str:
        return f"marts.{self.mart}"


def lit(value: Any) -> str:
    """SQL literal of a constant of this module (never user input)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def lit_list(values: Sequence[Any]) -> str:
    return ", ".join(lit(v) for v in values)


def render(text: str, schema: str) -> str:
    """Put the marts schema into a check's SQL (``{batch}`` is left for GX)."""
    return text.replace("{m}", schema)


# ---- check builders ------------------------------------------------------------------------

def _keys(grain: Sequence[str]) -> str:
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


def unique(grain: Sequence[str], name: str = "unique_grain") -> Check:
    cols = _keys(grain)
    offenders = (f"select {cols}, count(*) as copies from {{batch}} group by {cols} "
                 f"having count(*) > 1 order by count(*) desc, {cols}")
    if len(grain) == 1:
        return Check(name, "ExpectColumnValuesToBeUnique", {"column": grain[0]},
                     f"one row per {grain[0]}", offenders=offenders)
    return Check(name, "ExpectCompoundColumnsToBeUnique", {"column_list": list(grain)},
                 f"one row per ({cols})", offenders=offenders)


def not_null(column: str, grain: Sequence[str]) -> Check:
    keys = _keys(grain)
    return Check(f"not_null:{column}", "ExpectColumnValuesToNotBeNull", {"column": column},
                 f"{column} is never null",
                 offenders=f"select {keys} from {{batch}} where {column} is null order by {keys}")


def in_set(column: str, values: Sequence[str], grain: Sequence[str], name: str | None = None) -> Check:
    keys = _keys(grain)
    show = keys if column in grain else f"{keys}, {column}"
    return Check(name or f"accepted_values:{column}", "ExpectColumnValuesToBeInSet",
                 {"column": column, "value_set": list(values)},
                 f"{column} is one of {', '.join(values)}",
                 offenders=(f"select {show} from {{batch}} where {column} is not null "
                            f"and {column}::text not in ({lit_list(values)}) order by {column}, {keys}"))


def between(column: str, grain: Sequence[str], min_value: float | None = None, max_value: float | None = None,
            name: str | None = None, severity: str = "critical") -> Check:
    keys = _keys(grain)
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
                 offenders=(f"select {keys}, {column} from {{batch}} where {' or '.join(conditions)} "
                            f"order by {worst} desc, {keys}"),
                 severity=severity)


def regex(column: str, pattern: str, grain: Sequence[str], name: str, description: str) -> Check:
    keys = _keys(grain)
    show = keys if column in grain else f"{keys}, {column}"
    return Check(name, "ExpectColumnValuesToMatchRegex", {"column": column, "regex": pattern}, description,
                 offenders=(f"select {show} from {{batch}} where {column} is not null "
                            f"and {column} !~ {lit(pattern)} order by {keys}"))


def over_batch(sql: str) -> str:
    """Read the mart through one CTE ``mart`` over ``{batch}``.

    GX substitutes ``{batch}`` with an aliased subquery, except in queries with a JOIN, where the
    alias is left to the query (``{batch_alias}``, filled by the runner). Queries below write
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


def store_level(columns: Sequence[str], grain: Sequence[str], not_null_columns: Sequence[str],
                rows_per_store_severity: str = "critical") -> list[Check]:
    """The checks every store-level mart gets: contract columns, rows per store, known stores,
    uniqueness at the grain, non-null keys."""
    return [contract_columns(columns), rows_per_store(rows_per_store_severity), known_stores(), unique(grain),
            *(not_null(c, grain) for c in not_null_columns)]


def no_future(column: str, grain: Sequence[str], what: str, tolerance_hours: int, is_date: bool = False) -> Check:
    keys = _keys(grain)
    limit = f"{BUILT_AT_SQL} + interval '{int(tolerance_hours)} hours'"
    if is_date:
        limit = f"({limit})::date"
    return rows(f"no_future:{column}", f"{what} is not after the build (+{tolerance_hours} h tolerance)",
                f"select {keys}, {column} from {{batch}} where {column} > {limit} order by {column} desc, {keys}")


# ---- the suites ---------------------------------------------------------------------------

def _credits(tol: int) -> MartSuite:
    grain = ("order_id", "model", "touchpoint_id")
    cols = ("store_id", "order_id", "customer_id", "model", "touchpoint_id", "channel", "source", "touched_at",
            "converted_at", "touch_position", "touch_count", "credit_fraction", "credited_conversions",
            "credited_revenue", "credited_profit")
    checks = [
        *store_level(cols, grain, ("store_id", "order_id", "model", "channel", "converted_at", "credit_fraction",
                                   "credited_conversions", "credited_revenue", "credited_profit")),
        in_set("model", RULE_MODELS, grain),
        in_set("channel", CREDIT_CHANNELS, grain),
        between("credit_fraction", grain, 0, 1),
        between("credited_conversions", grain, 0, 1),
        between("credited_revenue", grain, 0),
        rows("unattributed_iff_no_touchpoint",
             "a credit has no touchpoint exactly when its channel is `unattributed`",
             "select order_id, model, touchpoint_id, channel from {batch} "
             "where (channel = 'unattributed') <> (touchpoint_id is null) order by order_id, model"),
        rows("touch_before_conversion", "a touch is not after the conversion it is credited for",
             "select order_id, model, touchpoint_id, touched_at, converted_at from {batch} "
             "where touched_at > converted_at order by touched_at - converted_at desc, order_id"),
        no_future("converted_at", ("order_id", "model", "touchpoint_id"), "converted_at", tol),
        rows("fractions_sum_to_one", "per (order_id, model) the credit fractions sum to 1",
             "select order_id, model, sum(credit_fraction) as fraction_sum from {batch} "
             "group by order_id, model having abs(sum(credit_fraction) - 1) > 0.000000001 "
             "order by abs(sum(credit_fraction) - 1) desc, order_id, model"),
        rows("credits_sum_to_order_revenue",
             "per (order_id, model) credited revenue sums to the order revenue (to the cent), "
             "under every rule-based model, and only converting orders are credited",
             "with sums as (select order_id, model, round(sum(credited_revenue), 2) as credited_revenue "
             "from {batch} group by order_id, model), "
             "expected as (select orders.order_id, models.model, orders.revenue from {m}.fct_order_attribution "
             "as orders cross join (values " + ", ".join(f"({lit(x)})" for x in RULE_MODELS) + ") as models(model)) "
             "select coalesce(expected.order_id, sums.order_id) as order_id, "
             "coalesce(expected.model, sums.model) as model, expected.revenue as order_revenue, "
             "sums.credited_revenue from expected full outer join sums "
             "on sums.order_id = expected.order_id and sums.model = expected.model "
             "where sums.credited_revenue is distinct from expected.revenue "
             "order by abs(coalesce(sums.credited_revenue, 0) - coalesce(expected.revenue, 0)) desc, 1, 2"),
        rows("credit_within_order_revenue", "no single credit exceeds its order's revenue",
             "select credits.order_id, credits.model, credits.touchpoint_id, credits.credited_revenue, "
             "orders.revenue as order_revenue from {batch} as credits "
             "join {m}.fct_order_attribution as orders on orders.order_id = credits.order_id "
             "where credits.credited_revenue > orders.revenue "
             "order by credits.credited_revenue - orders.revenue desc, credits.order_id"),
    ]
    return MartSuite("fct_attribution_credits", grain, tuple(checks),
                     "one row per (order_id, model, touchpoint); credits reconcile to the order")


def _orders(tol: int) -> MartSuite:
    grain = ("order_id",)
    cols = ("store_id", "order_id", "customer_id", "converted_at", "converted_date", "revenue", "profit",
            "touch_count", "first_touch_channel", "first_touch_source", "first_touch_at", "last_touch_channel",
            "last_touch_source", "last_touch_at", "days_to_convert", "channel_path")
    checks = [
        *store_level(cols, grain, ("store_id", "customer_id", "converted_at", "converted_date", "revenue",
                                   "profit", "touch_count", "channel_path")),
        between("revenue", grain, 0),
        between("touch_count", grain, 0),
        between("days_to_convert", grain, 0),
        in_set("first_touch_channel", CREDIT_CHANNELS, grain),
        in_set("last_touch_channel", CREDIT_CHANNELS, grain),
        regex("channel_path", CHANNEL_PATH_REGEX, grain, "channel_path_format",
              "channel_path is `unattributed` or channels joined with ' > '"),
        rows("touch_order", "first touch <= last touch <= conversion",
             "select order_id, first_touch_at, last_touch_at, converted_at from {batch} "
             "where first_touch_at > last_touch_at or last_touch_at > converted_at "
             "order by greatest(first_touch_at - last_touch_at, last_touch_at - converted_at) desc, order_id"),
        no_future("converted_at", grain, "converted_at", tol),
        rows("converted_date_is_store_local", "converted_date is the store-local day of converted_at",
             "select orders.order_id, orders.converted_at, orders.converted_date, stores.timezone "
             "from {batch} as orders join {m}.dim_stores as stores on stores.store_id = orders.store_id "
             "where (orders.converted_at at time zone stores.timezone)::date <> orders.converted_date "
             "order by orders.order_id"),
    ]
    return MartSuite("fct_order_attribution", grain, tuple(checks), "one row per converting order")


def _channel_daily(tol: int) -> MartSuite:
    grain = ("store_id", "date", "model", "channel")
    cols = (*grain, "attributed_conversions", "attributed_revenue", "attributed_profit")
    checks = [
        *store_level(cols, grain, (*grain, "attributed_conversions", "attributed_revenue", "attributed_profit")),
        in_set("model", RULE_MODELS, grain),
        in_set("channel", CREDIT_CHANNELS, grain),
        between("attributed_conversions", grain, 0),
        between("attributed_revenue", grain, 0),
        no_future("date", grain, "date", tol, is_date=True),
        rows("equals_credits",
             "per (store, model, channel, month) the daily attribution equals the sum of fct_attribution_credits",
             "with daily as (select store_id, model, channel, date_trunc('month', date)::date as month_start, "
             "sum(attributed_revenue) as revenue, sum(attributed_conversions) as conversions from {batch} "
             "group by 1, 2, 3, 4), "
             "credits as (select credits.store_id, credits.model, credits.channel, "
             "date_trunc('month', (credits.converted_at at time zone stores.timezone)::date)::date as month_start, "
             "sum(credits.credited_revenue) as revenue, sum(credits.credited_conversions) as conversions "
             "from {m}.fct_attribution_credits as credits "
             "join {m}.dim_stores as stores on stores.store_id = credits.store_id group by 1, 2, 3, 4) "
             "select coalesce(daily.store_id, credits.store_id) as store_id, "
             "coalesce(daily.model, credits.model) as model, coalesce(daily.channel, credits.channel) as channel, "
             "coalesce(daily.month_start, credits.month_start) as month_start, daily.revenue as daily_revenue, "
             "credits.revenue as credited_revenue, daily.conversions as daily_conversions, "
             "credits.conversions as credited_conversions "
             "from daily full outer join credits on credits.store_id = daily.store_id "
             "and credits.model = daily.model and credits.channel = daily.channel "
             "and credits.month_start = daily.month_start "
             "where daily.revenue is distinct from credits.revenue "
             "or abs(coalesce(daily.conversions, 0) - coalesce(credits.conversions, 0)) > 0.001 "
             "order by abs(coalesce(daily.revenue, 0) - coalesce(credits.revenue, 0)) desc, 1, 2, 3, 4"),
    ]
    return MartSuite("fct_channel_attribution_daily", grain, tuple(checks),
                     "one row per (store, date, model, channel)")


def _paths() -> MartSuite:
    grain = ("store_id", "month_start", "channel_path")
    cols = (*grain, "conversions", "conversion_value", "null_conversions")
    checks = [
        *store_level(cols, grain, (*grain, "conversions", "conversion_value", "null_conversions")),
        between("conversions", grain, 0),
        between("null_conversions", grain, 0),
        between("conversion_value", grain, 0),
        rows("month_start_is_first_day", "month_start is the first day of a month",
             "select store_id, month_start, channel_path from {batch} "
             "where month_start <> date_trunc('month', month_start)::date order by month_start, store_id"),
        rows("path_has_journeys", "every path row counts at least one journey",
             "select store_id, month_start, channel_path, conversions, null_conversions from {batch} "
             "where conversions + null_conversions <= 0 order by store_id, month_start"),
        rows("conversions_equal_converting_orders",
             "per (store, month) conversions and conversion_value equal the converting orders of "
             "fct_order_attribution",
             "with paths as (select store_id, month_start, sum(conversions) as conversions, "
             "sum(conversion_value) as conversion_value from {batch} group by 1, 2 having sum(conversions) > 0), "
             "orders as (select store_id, date_trunc('month', converted_date)::date as month_start, "
             "count(*) as conversions, sum(revenue) as conversion_value from {m}.fct_order_attribution "
             "group by 1, 2) "
             "select coalesce(paths.store_id, orders.store_id) as store_id, "
             "coalesce(paths.month_start, orders.month_start) as month_start, "
             "paths.conversions as path_conversions, orders.conversions as converting_orders, "
             "paths.conversion_value as path_value, orders.conversion_value as order_revenue "
             "from paths full outer join orders on orders.store_id = paths.store_id "
             "and orders.month_start = paths.month_start "
             "where paths.conversions is distinct from orders.conversions "
             "or paths.conversion_value is distinct from orders.conversion_value "
             "order by abs(coalesce(paths.conversions, 0) - coalesce(orders.conversions, 0)) desc, "
             "abs(coalesce(paths.conversion_value, 0) - coalesce(orders.conversion_value, 0)) desc, 1, 2"),
    ]
    return MartSuite("fct_conversion_paths", grain, tuple(checks), "one row per (store, month, channel_path)")


def _sum_mismatch(left: str, right: str, columns: Sequence[str], tolerance: dict[str, str]) -> tuple[str, str]:
    """(where clause, badness expression) comparing left.<c> with right.<c> for every column."""
    where, bad = [], []
    for c in columns:
        if c in tolerance:
            where.append(f"abs(coalesce({left}.{c}, 0) - coalesce({right}.{c}, 0)) > {tolerance[c]}")
        else:
            where.append(f"{left}.{c} is distinct from {right}.{c}")
        bad.append(f"abs(coalesce({left}.{c}, 0) - coalesce({right}.{c}, 0))")
    return " or ".join(where), f"greatest({', '.join(bad)})"


def _unified(tol: int) -> MartSuite:
    grain = ("store_id", "channel", "source", "period", "period_start")
    cols = (*grain, "sessions", "pageviews", "unique_visitors", "avg_session_duration_s", "bounce_rate",
            "impressions", "clicks", "engagements", "engagement_rate", "conversions", "revenue", "profit", "cost",
            "conversion_rate", "cpc", "cpa", "roas", "roi", "marketing_profit", "poas")
    keys = _keys(grain)
    sums = ", ".join(f"sum({c}) as {c}" for c in UNIFIED_ROW_ADDITIVE)
    shown = ", ".join(f"parent.{c} as rollup_{c}, parts.{c} as parts_{c}" for c in ("sessions", "cost", "revenue"))
    conv_tol = {"conversions": "0.00001"}
    where_src, bad_src = _sum_mismatch("parent", "parts", UNIFIED_ROW_ADDITIVE, conv_tol)
    where_days, bad_days = _sum_mismatch("parent", "parts", UNIFIED_ROW_ADDITIVE, conv_tol)
    ratio_rules = [
        # (column, expected value, denominator)
        ("bounce_rate", None, "sessions"),
        ("conversion_rate", "conversions * 100.0 / nullif(sessions, 0)", "sessions"),
        ("engagement_rate", "engagements * 100.0 / nullif(impressions, 0)", "impressions"),
        ("roas", "revenue / nullif(cost, 0)", "cost"),
        ("roi", "(revenue - cost) * 100.0 / nullif(cost, 0)", "cost"),
        ("cpc", "cost / nullif(clicks, 0)", "clicks"),
        ("cpa", "cost / nullif(conversions, 0)", "conversions"),
        ("poas", "profit / nullif(cost, 0)", "cost"),
    ]
    null_rules = " or ".join(f"(coalesce({den}, 0) = 0 and {col} is not null)" for col, _, den in ratio_rules)
    null_cols = ", ".join(dict.fromkeys(c for rule in ratio_rules for c in (rule[0], rule[2])))
    formula_rules = [(col, expr) for col, expr, _ in ratio_rules if expr] + [("marketing_profit", "profit - cost")]
    formula_where = " or ".join(f"abs({col} - round({expr}, 4)) > 0.0001" for col, expr in formula_rules)
    formula_bad = "greatest(" + ", ".join(f"coalesce(abs({col} - round({expr}, 4)), 0)"
                                          for col, expr in formula_rules) + ")"
    formula_cols = ", ".join(col for col, _ in formula_rules)
    checks = [
        *store_level(cols, grain, grain),
        in_set("channel", METRIC_CHANNELS, grain),
        in_set("period", PERIODS, grain),
        regex("source", SOURCE_REGEX, grain, "source_format",
              "source is <type>:<id>, `unassigned` or `all`"),
        *(between(c, grain, 0) for c in ("sessions", "pageviews", "unique_visitors", "impressions", "clicks",
                                         "engagements", "conversions", "revenue", "avg_session_duration_s")),
        between("bounce_rate", grain, 0, 100),
        between("engagement_rate", grain, 0),
        between("conversion_rate", grain, 0),
        rows("overall_has_source_all", "the store rollup (`overall`) has source `all`",
             f"select {keys} from {{batch}} where channel = 'overall' and source <> 'all' order by {keys}"),
        rows("period_start_aligned", "weekly rows start on a Monday (ISO week), monthly rows on the 1st",
             f"select {keys} from {{batch}} where (period = 'weekly' and extract(isodow from period_start) <> 1) "
             f"or (period = 'monthly' and extract(day from period_start) <> 1) order by {keys}"),
        no_future("period_start", grain, "period_start", tol, is_date=True),
        rows("ratios_null_on_zero_denominator", "a ratio whose denominator is 0 or null is null, never 0",
             f"select {keys}, {null_cols} from {{batch}} where {null_rules} order by {keys}"),
        rows("ratios_match_formulas",
             "conversion_rate, engagement_rate, roas, roi, cpc, cpa, poas and marketing_profit equal their "
             "formulas (4 decimals)",
             f"select {keys}, {formula_cols} from {{batch}} where {formula_where} "
             f"order by {formula_bad} desc, {keys}"),
        rows("channel_rollup_equals_sources",
             "every channel rollup (source `all`) equals the sum of its sources for every additive column",
             f"with parts as (select store_id, channel, period, period_start, {sums} from {{batch}} "
             f"where source <> 'all' group by 1, 2, 3, 4), "
             f"parent as (select * from {{batch}} where source = 'all' and channel <> 'overall') "
             f"select coalesce(parent.store_id, parts.store_id) as store_id, "
             f"coalesce(parent.channel, parts.channel) as channel, coalesce(parent.period, parts.period) as period, "
             f"coalesce(parent.period_start, parts.period_start) as period_start, {shown} "
             f"from parent full outer join parts on parts.store_id = parent.store_id "
             f"and parts.channel = parent.channel and parts.period = parent.period "
             f"and parts.period_start = parent.period_start "
             f"where parent.store_id is null or parts.store_id is null or {where_src} "
             f"order by {bad_src} desc nulls first, 1, 2, 3, 4"),
        rows("overall_equals_channels",
             "the store rollup (`overall`) equals the sum of the channel rollups (traffic and cost), and "
             "revenue/conversions/profit/marketing_profit = channels + the unattributed orders of the default "
             "model",
             "with parts as (select store_id, period, period_start, "
             + ", ".join(f"sum({c}) as {c}" for c in UNIFIED_ROW_ADDITIVE) +
             " from {batch} where source = 'all' and channel <> 'overall' group by 1, 2, 3), "
             "parent as (select * from {batch} where channel = 'overall'), "
             "unattributed as (select store_id, date, sum(attributed_revenue) as revenue, "
             "sum(attributed_conversions) as conversions, sum(attributed_profit) as profit "
             "from {m}.fct_channel_attribution_daily where channel = 'unattributed' "
             f"and model = {DEFAULT_MODEL_SQL} group by 1, 2) "
             "select parent.store_id, parent.period_start, parent.revenue as overall_revenue, "
             "parts.revenue as channel_revenue, unattributed.revenue as unattributed_revenue, "
             "parent.sessions as overall_sessions, parts.sessions as channel_sessions, "
             "parent.cost as overall_cost, parts.cost as channel_cost "
             "from parent left join parts on parts.store_id = parent.store_id and parts.period = parent.period "
             "and parts.period_start = parent.period_start "
             "left join unattributed on unattributed.store_id = parent.store_id "
             "and unattributed.date = parent.period_start "
             "where parent.period = 'daily' and ("
             + " or ".join(f"coalesce(parent.{c}, 0) <> coalesce(parts.{c}, 0)" for c in UNIFIED_TRAFFIC) +
             " or parent.revenue <> coalesce(parts.revenue, 0) + coalesce(unattributed.revenue, 0)"
             " or parent.profit <> coalesce(parts.profit, 0) + coalesce(unattributed.profit, 0)"
             " or parent.marketing_profit <> coalesce(parts.marketing_profit, 0) + coalesce(unattributed.profit, 0)"
             " or abs(parent.conversions - coalesce(parts.conversions, 0) - coalesce(unattributed.conversions, 0))"
             " > 0.0001) "
             "order by greatest(abs(parent.revenue - coalesce(parts.revenue, 0) - coalesce(unattributed.revenue, 0)), "
             + ", ".join(f"abs(coalesce(parent.{c}, 0) - coalesce(parts.{c}, 0))" for c in UNIFIED_TRAFFIC) +
             ") desc, 1, 2"),
        rows("periods_equal_sum_of_days",
             "every weekly and monthly row equals the sum of its daily rows for every additive column",
             f"with days as (select * from {{batch}} where period = 'daily'), "
             f"parts as (select store_id, channel, source, periods.period, "
             f"date_trunc(periods.unit, period_start)::date as period_start, {sums} from days "
             f"cross join (values ('weekly', 'week'), ('monthly', 'month')) as periods(period, unit) "
             f"group by 1, 2, 3, 4, 5), "
             f"parent as (select * from {{batch}} where period in ('weekly', 'monthly')) "
             f"select coalesce(parent.store_id, parts.store_id) as store_id, "
             f"coalesce(parent.channel, parts.channel) as channel, coalesce(parent.source, parts.source) as source, "
             f"coalesce(parent.period, parts.period) as period, "
             f"coalesce(parent.period_start, parts.period_start) as period_start, {shown} "
             f"from parent full outer join parts on parts.store_id = parent.store_id "
             f"and parts.channel = parent.channel and parts.source = parent.source "
             f"and parts.period = parent.period and parts.period_start = parent.period_start "
             f"where parent.store_id is null or parts.store_id is null or {where_days} "
             f"order by {bad_days} desc nulls first, 1, 2, 3, 4, 5"),
        rows("overall_revenue_equals_default_model",
             "per (store, month) overall revenue equals the revenue credited by the default attribution model",
             "with credits as (select credits.store_id, "
             "date_trunc('month', (credits.converted_at at time zone stores.timezone)::date)::date as month_start, "
             "sum(credits.credited_revenue) as revenue, sum(credits.credited_conversions) as conversions "
             "from {m}.fct_attribution_credits as credits "
             "join {m}.dim_stores as stores on stores.store_id = credits.store_id "
             f"where credits.model = {DEFAULT_MODEL_SQL} group by 1, 2), "
             "overall as (select store_id, period_start as month_start, revenue, conversions from {batch} "
             "where period = 'monthly' and channel = 'overall') "
             "select coalesce(overall.store_id, credits.store_id) as store_id, "
             "coalesce(overall.month_start, credits.month_start) as month_start, "
             "overall.revenue as overall_revenue, credits.revenue as attributed_revenue, "
             "overall.conversions as overall_conversions, credits.conversions as attributed_conversions "
             "from overall full outer join credits on credits.store_id = overall.store_id "
             "and credits.month_start = overall.month_start "
             "where coalesce(overall.revenue, 0) <> coalesce(credits.revenue, 0) "
             "or abs(coalesce(overall.conversions, 0) - coalesce(credits.conversions, 0)) > 0.01 "
             "order by abs(coalesce(overall.revenue, 0) - coalesce(credits.revenue, 0)) desc, 1, 2"),
    ]
    return MartSuite("fct_unified_metrics", grain, tuple(checks),
                     "one row per (store, channel, source, period, period_start); rollups add up")


def _benchmarks() -> MartSuite:
    grain = ("channel", "metric", "industry")
    cols = (*grain, "poor", "average", "good", "excellent", "direction")
    checks = [
        contract_columns(cols), has_rows(), unique(grain),
        *(not_null(c, grain) for c in (*grain, "direction")),
        in_set("channel", CHANNELS, grain),
        in_set("direction", DIRECTIONS, grain),
        rows("bands_ordered", "poor -> average -> good -> excellent move in the metric's direction",
             "select channel, metric, industry, direction, poor, average, good, excellent from {batch} "
             "where (direction = 'higher_is_better' and not (poor <= average and average <= good "
             "and good <= excellent)) or (direction = 'lower_is_better' and not (poor >= average "
             "and average >= good and good >= excellent)) order by channel, metric, industry"),
        rows("required_metrics_seeded",
             "conversion_rate, roas, cpa, cpc, engagement_rate, bounce_rate have `general` bands, and at "
             "least three industries besides `general` are seeded",
             "select required.metric, count(b.metric) as general_rows from (values "
             + ", ".join(f"({lit(x)})" for x in BENCHMARK_METRICS) + ") as required(metric) "
             "left join {batch} as b on b.metric = required.metric and b.industry = 'general' "
             "group by required.metric having count(b.metric) = 0 "
             "union all select 'industries besides general: ' || count(distinct industry), null from {batch} "
             "where industry <> 'general' having count(distinct industry) < 3 order by 1"),
    ]
    return MartSuite("dim_benchmarks", grain, tuple(checks), "one row per (channel, metric, industry)")


def _fx_rates() -> MartSuite:
    grain = ("from_currency", "to_currency", "rate_month")
    checks = [
        contract_columns((*grain, "rate", "base_currency", "provenance")), has_rows(), unique(grain),
        *(not_null(c, grain) for c in (*grain, "rate")),
        in_set("provenance", FX_PROVENANCE, grain),
        rows("rate_positive_and_inverse",
             "every rate is positive and the pair the other way round is its inverse (same month)",
             "select a.from_currency, a.to_currency, a.rate_month, a.rate, b.rate as inverse from {batch} as a "
             "left join {m}.dim_fx_rates as b on b.from_currency = a.to_currency "
             "and b.to_currency = a.from_currency and b.rate_month = a.rate_month "
             "where a.rate <= 0 or b.rate is null or abs(a.rate * b.rate - 1) > 0.000001 "
             "order by a.rate_month desc, a.from_currency, a.to_currency"),
        rows("store_currencies_covered",
             "every store currency converts into every money band's currency (else its cpc/cpa are "
             "insufficient_data)",
             "select s.store_id, s.currency, b.currency as benchmark_currency from {m}.dim_stores as s "
             "cross join (select distinct currency from {m}.dim_benchmarks where currency is not null) as b "
             "where s.currency is distinct from b.currency and not exists (select 1 from {batch} as r "
             "where r.from_currency = s.currency and r.to_currency = b.currency) order by s.store_id",
             severity="warning"),
    ]
    return MartSuite("dim_fx_rates", grain, tuple(checks),
                     "one row per (from_currency, to_currency, rate_month): monthly average FX rates")


def _rating_sql(value: str) -> str:
    """The warehouse's own rating of ``value`` (function benchmark_rating, built by dbt from
    macros/benchmarks.sql): the rule is written once, never restated here."""
    return f"{{m}}.benchmark_rating({value}, direction, average, good, excellent)"


def _comparison() -> MartSuite:
    grain = ("store_id", "channel", "metric", "period", "period_start")
    cols = (*grain, "industry", "value", "poor", "average", "good", "excellent", "direction", "rating",
            "currency", "benchmark_currency", "fx_rate", "fx_rate_date", "value_in_benchmark_currency")
    keys = _keys(grain)
    metric_case = "case c.metric " + " ".join(
        f"when {lit(m)} then u.{m}" for m in (*BENCHMARK_METRICS, "roi")) + " end"
    checks = [
        *store_level(cols, grain, (*grain, "industry", "rating")),
        in_set("rating", RATINGS, grain),
        in_set("period", PERIODS, grain),
        in_set("direction", DIRECTIONS, grain),
        in_set("channel", CHANNELS, grain),
        rows("rating_matches_bands",
             "rating follows value_in_benchmark_currency and the bands (>= for higher_is_better, <= for "
             "lower_is_better; no value or no FX rate -> insufficient_data), by the warehouse's rule",
             # the value is stored rounded to 4 places: a rating at a band edge may follow either side
             f"select {keys}, value, value_in_benchmark_currency, rating, direction, poor, average, good, "
             f"excellent from {{batch}} "
             f"where rating not in ({_rating_sql('value_in_benchmark_currency')}, "
             f"{_rating_sql('value_in_benchmark_currency + 0.00005')}, "
             f"{_rating_sql('value_in_benchmark_currency - 0.00005')}) order by {keys}"),
        rows("money_converted_at_fx_rate",
             "money metrics are compared in the band's currency: value x fx_rate (rate 1 in the same "
             "currency); rates and ratios are not converted",
             f"select {keys}, currency, benchmark_currency, value, fx_rate, value_in_benchmark_currency "
             f"from {{batch}} where (benchmark_currency is not null and fx_rate is not null "
             f"and abs(value_in_benchmark_currency - value * fx_rate) > 0.0001 * (1 + fx_rate)) "
             f"or (benchmark_currency is not null and currency = benchmark_currency and fx_rate <> 1) "
             f"or (benchmark_currency is null and value_in_benchmark_currency is distinct from value) "
             f"order by {keys}"),
        rows("fx_rate_matches_dim_fx_rates",
             "a converted row uses the latest monthly rate of dim_fx_rates on or before period_start",
             f"select c.store_id, c.channel, c.metric, c.period, c.period_start, c.fx_rate, c.fx_rate_date, "
             f"r.rate as expected_rate, r.rate_month as expected_month from {{batch}} as c "
             f"left join lateral (select rate, rate_month from {{m}}.dim_fx_rates as x "
             f"where x.from_currency = c.currency and x.to_currency = c.benchmark_currency "
             f"and x.rate_month <= c.period_start order by x.rate_month desc limit 1) as r on true "
             f"where c.benchmark_currency is not null and c.currency is distinct from c.benchmark_currency "
             f"and (c.fx_rate is distinct from r.rate or c.fx_rate_date is distinct from r.rate_month) "
             f"order by c.store_id, c.channel, c.metric, c.period, c.period_start"),
        rows("fx_rate_is_recent",
             "the FX rate of a converted row is from the period's month or the two before (older: the "
             "fx_rates seed needs a refresh, see `insights fx-rates import`)",
             f"select store_id, currency, benchmark_currency, max(fx_rate_date) as rate_month, "
             f"max(period_start) as latest_period from {{batch}} "
             f"where fx_rate_date < (date_trunc('month', period_start) - interval '2 months')::date "
             f"group by store_id, currency, benchmark_currency order by store_id", severity="warning"),
        rows("industry_is_stores_or_general", "industry is the store's benchmark industry or `general`",
             "select c.store_id, c.channel, c.metric, c.industry, s.industry as store_industry from {batch} as c "
             "join {m}.dim_stores as s on s.store_id = c.store_id "
             "where c.industry <> 'general' and c.industry is distinct from s.industry "
             "and c.industry is distinct from s.benchmark_industry "
             "group by 1, 2, 3, 4, 5 order by 1, 2, 3"),
        rows("value_matches_unified_metrics",
             "value is the channel rollup's metric in fct_unified_metrics (same store, period, period_start)",
             f"select c.store_id, c.channel, c.metric, c.period, c.period_start, c.value, "
             f"{metric_case} as unified_value from {{batch}} as c "
             f"left join {{m}}.fct_unified_metrics as u on u.store_id = c.store_id and u.channel = c.channel "
             f"and u.source = 'all' and u.period = c.period and u.period_start = c.period_start "
             f"where c.value is distinct from round(({metric_case})::numeric, 4) "
             f"order by abs(coalesce(c.value, 0) - coalesce(({metric_case})::numeric, 0)) desc, "
             f"c.store_id, c.channel, c.metric, c.period, c.period_start"),
    ]
    return MartSuite("fct_benchmark_comparison", grain, tuple(checks),
                     "one row per (store, channel, metric, period, period_start)")


def _budget() -> MartSuite:
    grain = ("store_id", "channel", "month_start")
    cols = (*grain, "monthly_budget", "spent", "utilization_pct", "days_elapsed", "days_in_month",
            "projected_spend", "pacing")
    keys = _keys(grain)
    checks = [
        *store_level(cols, grain, (*grain, "spent", "days_elapsed", "days_in_month", "projected_spend")),
        in_set("channel", BUDGET_CHANNELS, grain),
        in_set("pacing", PACING, grain),
        between("monthly_budget", grain, 0),
        between("days_in_month", grain, 28, 31),
        between("days_elapsed", grain, 1, 31),
        rows("month_start_is_first_day", "month_start is the first day of a month",
             f"select {keys} from {{batch}} where month_start <> date_trunc('month', month_start)::date "
             f"order by {keys}"),
        rows("days_elapsed_within_month", "days_elapsed <= days_in_month, and days_in_month is the month's",
             f"select {keys}, days_elapsed, days_in_month from {{batch}} where days_elapsed > days_in_month "
             f"or days_in_month <> extract(day from (month_start + interval '1 month' - interval '1 day'))::int "
             f"order by {keys}"),
        rows("spent_equals_unified_cost",
             "spent equals the month's channel cost in fct_unified_metrics (ledger refunds included)",
             "select b.store_id, b.channel, b.month_start, b.spent, u.cost as unified_cost from {batch} as b "
             "left join {m}.fct_unified_metrics as u on u.store_id = b.store_id and u.channel = b.channel "
             "and u.source = 'all' and u.period = 'monthly' and u.period_start = b.month_start "
             "where b.spent is distinct from coalesce(u.cost, 0) "
             "order by abs(coalesce(b.spent, 0) - coalesce(u.cost, 0)) desc, 1, 2, 3"),
        rows("utilization_matches_spent", "utilization_pct = spent / monthly_budget x 100 (null without budget)",
             f"select {keys}, spent, monthly_budget, utilization_pct from {{batch}} "
             f"where utilization_pct is distinct from round(case when coalesce(monthly_budget, 0) = 0 then null "
             f"else spent * 100.0 / monthly_budget end, 4) order by {keys}"),
        rows("projection_and_pacing",
             "projected_spend = spent for complete months; pacing under < 90 % <= on <= 110 % < over of budget "
             "by projected spend (null without budget)",
             f"select {keys}, spent, projected_spend, monthly_budget, pacing, days_elapsed, days_in_month "
             f"from {{batch}} where (days_elapsed = days_in_month and projected_spend <> spent) "
             f"or pacing is distinct from (case when coalesce(monthly_budget, 0) = 0 then null "
             f"when projected_spend < 0.9 * monthly_budget then 'under' "
             f"when projected_spend > 1.1 * monthly_budget then 'over' else 'on' end) order by {keys}"),
        rows("net_negative_spend",
             "a month whose refunds/credits exceed its spend (allowed by the contract: worth a look)",
             f"select {keys}, spent from {{batch}} where spent < 0 order by spent, {keys}",
             severity="warning"),
    ]
    return MartSuite("fct_budget_utilization", grain, tuple(checks), "one row per (store, channel, month)")


def _calendar() -> MartSuite:
    grain = ("item_type", "item_id")
    cols = ("store_id", "item_type", "item_id", "channel", "title", "scheduled_date", "status")
    checks = [
        # a store without blog articles or influencer deliveries legitimately has no calendar
        *store_level(cols, grain, ("store_id", *grain, "channel"), rows_per_store_severity="warning"),
        rows("dated_when_published",
             "published/scheduled/archived articles and posted/verified deliveries have a scheduled_date",
             "select item_type, item_id, status from {batch} where scheduled_date is null "
             "and status in ('published', 'scheduled', 'archived', 'posted', 'verified') order by 1, 2"),
        in_set("item_type", ITEM_TYPES, grain),
        in_set("channel", ("seo", "influencer"), grain),
        rows("channel_matches_item_type",
             "articles are `seo` items, influencer deliveries `influencer` items, each with its own statuses",
             "select item_type, item_id, channel, status from {batch} "
             "where (item_type = 'seo_article' and (channel <> 'seo' or status not in ("
             + lit_list(ARTICLE_STATUSES) + "))) or (item_type = 'influencer_delivery' and "
             "(channel <> 'influencer' or status not in (" + lit_list(DELIVERY_STATUSES) + "))) "
             "order by item_type, item_id"),
    ]
    return MartSuite("fct_marketing_calendar", grain, tuple(checks), "one row per calendar item")


def _quarantine(max_rate_pct: float) -> MartSuite:
    grain = ("table_name", "row_key", "reason")
    checks = [
        contract_columns(("table_name", "row_key", "reason", "detected_at")),
        *(not_null(c, grain) for c in ("table_name", "row_key", "reason", "detected_at")),
        in_set("reason", QUARANTINE_REASONS, grain),
        in_set("table_name", RAW_TABLES, grain),
        rows("quarantine_rate",
             f"quarantined rows (excluding superseded duplicates) stay under {max_rate_pct:g} % of a raw table",
             "with q as (select table_name, count(*) filter (where reason <> 'duplicate') as quarantined "
             "from {batch} group by 1) "
             "select q.table_name, q.quarantined, f.rows as accepted_rows, "
             "round(q.quarantined * 100.0 / nullif(q.quarantined + f.rows, 0), 2) as quarantined_pct "
             "from q join {m}.mart_source_freshness as f on f.source_table = q.table_name "
             f"where q.quarantined * 100.0 > {max_rate_pct!r} * (q.quarantined + f.rows) "
             "order by q.quarantined * 1.0 / nullif(q.quarantined + f.rows, 0) desc nulls first, 1",
             severity="warning"),
    ]
    return MartSuite("data_quality_issues", grain, tuple(checks), "the quarantine: raw rows the marts exclude")


def _stores() -> MartSuite:
    grain = ("store_id",)
    checks = [
        contract_columns(("store_id", "timezone", "currency", "industry")), has_rows(), unique(grain),
        *(not_null(c, grain) for c in ("store_id", "timezone", "currency")),
        rows("timezone_is_known", "timezone is an IANA name PostgreSQL knows",
             "select store_id, timezone from {batch} "
             "where timezone not in (select name from pg_timezone_names) order by store_id"),
    ]
    return MartSuite("dim_stores", grain, tuple(checks), "one row per store")


def _channels() -> MartSuite:
    grain = ("channel",)
    checks = [
        contract_columns(("channel",)), has_rows(), unique(grain), in_set("channel", CHANNELS, grain),
        rows("every_channel_listed", "every contract channel has a row",
             "select wanted.channel from (values " + ", ".join(f"({lit(c)})" for c in CHANNELS) + ") "
             "as wanted(channel) where not exists (select 1 from {batch} as d where d.channel = wanted.channel) "
             "order by 1"),
    ]
    return MartSuite("dim_channels", grain, tuple(checks), "one row per channel")


def _build_info() -> MartSuite:
    grain = ("build_id",)
    checks = [
        contract_columns(("build_id", "built_at", "attribution_default_model")),
        Check("one_row", "ExpectTableRowCountToEqual", {"value": 1}, "exactly one build row",
              offenders="select build_id, built_at from {batch} order by built_at desc"),
        not_null("built_at", grain),
        in_set("attribution_default_model", RULE_MODELS, grain),
    ]
    return MartSuite("mart_build_info", grain, tuple(checks), "the build that produced the marts")


def _freshness_mart() -> MartSuite:
    grain = ("source_table",)
    checks = [
        contract_columns(("source_table", "last_loaded_at", "rows", "status")), unique(grain),
        not_null("status", grain),
        in_set("status", FRESHNESS_STATUSES, grain),
        in_set("source_table", RAW_TABLES, grain),
        between("rows", grain, 0),
        rows("every_source_listed", "every raw table has a freshness row",
             "select wanted.source_table from (values " + ", ".join(f"({lit(t)})" for t in RAW_TABLES) + ") "
             "as wanted(source_table) where not exists "
             "(select 1 from {batch} as f where f.source_table = wanted.source_table) order by 1"),
    ]
    return MartSuite("mart_source_freshness", grain, tuple(checks), "per raw table: last load, rows, status")


def all_suites(future_tolerance_hours: int = 24, max_quarantine_pct: float = 5.0) -> list[MartSuite]:
    """Every suite, in the order they run (dimensions first: the facts' checks read them)."""
    return [
        _stores(), _channels(), _build_info(), _freshness_mart(),
        _orders(future_tolerance_hours), _credits(future_tolerance_hours),
        _channel_daily(future_tolerance_hours), _paths(), _unified(future_tolerance_hours),
        _benchmarks(), _fx_rates(), _comparison(), _budget(), _calendar(), _quarantine(max_quarantine_pct),
    ]
