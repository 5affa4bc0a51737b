"""An incremental build equals a full refresh (snowplow-style), for every staging model, the
quarantine and every mart.

A small sample is built with its last two days held back. Two deliveries follow, each built
incrementally: the held-back days, late sessions of earlier days, a refund and a cancellation of
old orders, a session re-delivered with a new start time, a session and an order whose newest
delivery is bad (they must leave the marts), a browser re-linked to another customer, a ledger row
moved to another day and an ads row re-delivered unchanged. Then every table is snapshotted,
rebuilt with `--full-refresh` and compared both ways (bookkeeping stamps excluded).
"""
from __future__ import annotations

import datetime as dt

import pytest

from pytests.conftest import SAMPLE_END_DATE, load_generated_sample

END = dt.date.fromisoformat(SAMPLE_END_DATE)
# stamps of when a run wrote a row: they legitimately differ between incremental and full builds
BOOKKEEPING = {"staged_at", "processed_at", "built_at", "detected_at", "attributed_at", "checked_at",
               "age_hours", "status", "previous_session_date", "previous_converted_date"}
# held back from the first build and delivered later: (table, UTC date expression)
DATED_TABLES = {
    "web_sessions": "(started_at at time zone 'UTC')::date",
    "orders": "(created_at at time zone 'UTC')::date",
    "customer_identities": "(linked_at at time zone 'UTC')::date",
    "ad_campaign_daily": "date",
    "social_posts_daily": "date",
    "article_daily_stats": "date",
    "marketing_spend": "spend_date",
}


def compared_tables(db) -> list[tuple[str, str]]:
    """Every staging model, the quarantine models and every mart (the build info excluded: it names the build)."""
    rows = db.query("""select table_schema, table_name from information_schema.tables
                       where table_schema in ('staging', 'marts') and table_type = 'BASE TABLE'
                         and table_name not in ('incremental_watermarks', 'mart_build_info')
                       order by 1, 2""")
    return [(r[0], r[1]) for r in rows]


def columns(db, schema, table):
    rows = db.query("select column_name from information_schema.columns where table_schema = %s and table_name = %s "
                    "order by ordinal_position", (schema, table))
    return [r[0] for r in rows if r[0] not in BOOKKEEPING]


def deliver(conn, day: dt.date, stamp: str) -> None:
    """Move the held-back rows of `day` into raw with a new _loaded_at."""
    for table, expr in DATED_TABLES.items():
        conn.execute(f"update held.{table} set _loaded_at = {stamp} where {expr} = %s", (day,))
        conn.execute(f"insert into raw.{table} select * from held.{table} where {expr} = %s", (day,))


@pytest.fixture(scope="module")
def incremental_vs_full(make_database):
    db = make_database("equivalence")
    load_generated_sample(db, months=3)
    with db.connect() as conn:
        conn.execute("create schema held")
        for table, day in DATED_TABLES.items():
            conn.execute(f"create table held.{table} as select * from raw.{table} where {day} >= %s",
                         (END - dt.timedelta(days=1),))
            conn.execute(f"delete from raw.{table} where {day} >= %s", (END - dt.timedelta(days=1),))
        # one in five sessions of three days ago arrives late too
        conn.execute("""insert into held.web_sessions select * from raw.web_sessions
                        where (started_at at time zone 'UTC')::date = %s and right(md5(session_id), 1) in ('0', '1', '2')""",
                     (END - dt.timedelta(days=4),))
        conn.execute("delete from raw.web_sessions where session_id in (select session_id from held.web_sessions) "
                     "and (started_at at time zone 'UTC')::date = %s", (END - dt.timedelta(days=4),))
        conn.commit()

    db.dbt("build")
    facts = {"first_run_orders": db.scalar("select count(*) from marts.fct_order_attribution")}

    with db.connect() as conn:
        # delivery 1: the first held-back day, the late sessions, and changes to old rows
        deliver(conn, END - dt.timedelta(days=1), "now()")
        conn.execute("update held.web_sessions set _loaded_at = now() where (started_at at time zone 'UTC')::date = %s",
                     (END - dt.timedelta(days=4),))
        conn.execute("""insert into raw.web_sessions select * from held.web_sessions
                        where (started_at at time zone 'UTC')::date = %s""", (END - dt.timedelta(days=4),))
        old = dict(conn.execute("""
            select kind, order_id from (
                select 'refunded' as kind, order_id from raw.orders where status in ('paid', 'fulfilled')
                  and created_at < now() - interval '1 day' and (created_at at time zone 'UTC')::date < %s - 50
                order by order_id limit 1) a
            union all select * from (
                select 'cancelled', order_id from raw.orders where status in ('paid', 'fulfilled')
                  and (created_at at time zone 'UTC')::date < %s - 40 order by order_id desc limit 1) b
            union all select * from (
                select 'broken', order_id from raw.orders where status = 'fulfilled'
                  and (created_at at time zone 'UTC')::date between %s - 30 and %s - 20 order by order_id limit 1) c""",
            (END, END, END, END)).fetchall())
        later = "now() + interval '1 second'"
        conn.execute(f"""insert into raw.orders select order_id, store_id, customer_id, visitor_id, created_at, 'refunded',
                        subtotal, discount, shipping, tax, total, subtotal - discount, cogs, promo_code, {later}
                        from raw.orders where order_id = %s""", (old["refunded"],))
        conn.execute(f"""insert into raw.orders select order_id, store_id, customer_id, visitor_id, created_at, 'cancelled',
                        subtotal, discount, shipping, tax, total, refunded_amount, cogs, promo_code, {later}
                        from raw.orders where order_id = %s""", (old["cancelled"],))
        # the newest delivery of an order is bad: the order leaves the marts
        conn.execute(f"""insert into raw.orders select order_id, store_id, customer_id, visitor_id, created_at, 'lost_in_transit',
                        subtotal, discount, shipping, tax, total, refunded_amount, cogs, promo_code, {later}
                        from raw.orders where order_id = %s""", (old["broken"],))
        facts.update(old)
        # a converting journey's session: re-delivered two hours earlier; another one re-delivered bad
        moved, broken = [r[0] for r in conn.execute("""
            select session_id from raw.web_sessions where customer_id is not null
              and (started_at at time zone 'UTC')::date between %s - 25 and %s - 10
            order by session_id limit 2""", (END, END)).fetchall()]
        conn.execute(f"""insert into raw.web_sessions select session_id, store_id, visitor_id, customer_id,
                        started_at - interval '2 hours', duration_s, pageviews, bounced, landing_path, referrer_host,
                        utm_source, utm_medium, utm_campaign, utm_content, {later}
                        from raw.web_sessions where session_id = %s order by _loaded_at desc limit 1""", (moved,))
        conn.execute(f"""insert into raw.web_sessions select session_id, store_id, visitor_id, customer_id, started_at,
                        duration_s, -1, bounced, landing_path, referrer_host, utm_source, utm_medium, utm_campaign,
                        utm_content, {later}
                        from raw.web_sessions where session_id = %s order by _loaded_at desc limit 1""", (broken,))
        facts.update(moved_session=moved, broken_session=broken)
        # a browser linked to one customer is re-linked to another one
        relinked = conn.execute("""select store_id, visitor_id from raw.customer_identities
                                   where customer_id is not null order by visitor_id limit 1""").fetchone()
        other = conn.execute("""select customer_id from raw.customer_identities where store_id = %s and customer_id <> (
                                    select customer_id from raw.customer_identities where store_id = %s and visitor_id = %s limit 1)
                                order by customer_id limit 1""", (relinked[0], relinked[0], relinked[1])).fetchone()[0]
        conn.execute(f"""insert into raw.customer_identities select store_id, visitor_id, %s, linked_at, {later}
                        from raw.customer_identities where store_id = %s and visitor_id = %s
                        order by _loaded_at desc limit 1""", (other, relinked[0], relinked[1]))
        # a ledger entry re-booked on another day; an ads row re-delivered unchanged (connector re-sync)
        conn.execute(f"""insert into raw.marketing_spend select spend_id, store_id, channel, source_type, source_id,
                        spend_date - 9, amount, description, {later}
                        from raw.marketing_spend where amount > 0 and spend_date < %s - 30
                        order by spend_id limit 1""", (END,))
        conn.execute(f"""insert into raw.ad_campaign_daily select store_id, platform, campaign_id, campaign_name, date,
                        impressions, clicks, spend, platform_conversions, {later}
                        from raw.ad_campaign_daily where date = %s - 2 order by campaign_id limit 3""", (END,))
        conn.commit()
    db.dbt("build")

    with db.connect() as conn:
        # delivery 2: the last held-back day
        deliver(conn, END, "now() + interval '2 seconds'")
        conn.commit()
    db.dbt("build")
    facts["untouched"] = db.scalar(
        "select count(*) from marts.fct_order_attribution where processed_at = (select min(processed_at) from marts.fct_order_attribution)")

    tables = compared_tables(db)
    with db.connect() as conn:
        conn.execute("create schema snap")
        for schema, table in tables:
            cols = ", ".join(columns(db, schema, table))
            conn.execute(f"create table snap.{schema}__{table} as select {cols} from {schema}.{table}")
        conn.commit()

    db.dbt("build", "--full-refresh")
    return db, tables, facts


def test_incremental_runs_did_not_rebuild_history(incremental_vs_full):
    _, _, facts = incremental_vs_full
    # most orders were attributed once, by the first build
    assert facts["untouched"] > 0.9 * facts["first_run_orders"]


def test_every_staging_quarantine_and_mart_table_is_compared(incremental_vs_full):
    _, tables, _ = incremental_vs_full
    names = {table for _, table in tables}
    assert {"stg_web__sessions", "stg_shop__orders", "quarantine_web__sessions", "data_quality_issues",
            "fct_attribution_credits", "fct_unified_metrics", "fct_conversion_paths", "fct_markov_transitions",
            "fct_channel_attribution_daily", "fct_budget_utilization", "fct_insight_signals"} <= names
    assert len(tables) >= 45


def test_incremental_equals_full_refresh(incremental_vs_full):
    db, tables, _ = incremental_vs_full
    differing = {}
    for schema, table in tables:
        cols = ", ".join(columns(db, schema, table))
        only_incremental = db.scalar(
            f"select count(*) from (select * from snap.{schema}__{table} except all select {cols} from {schema}.{table}) d")
        only_full = db.scalar(
            f"select count(*) from (select {cols} from {schema}.{table} except all select * from snap.{schema}__{table}) d")
        if only_incremental or only_full:
            differing[f"{schema}.{table}"] = (only_incremental, only_full)
    assert differing == {}


def test_late_refund_cancellation_and_bad_redeliveries_reached_the_marts(incremental_vs_full):
    db, _, facts = incremental_vs_full
    assert db.scalar("select revenue from marts.fct_order_attribution where order_id = %s", (facts["refunded"],)) == 0
    for gone in (facts["cancelled"], facts["broken"]):
        assert db.scalar("select count(*) from marts.fct_attribution_credits where order_id = %s", (gone,)) == 0
    assert db.scalar("select reason from marts.data_quality_issues where table_name = 'orders' and row_key = %s "
                     "and reason <> 'duplicate'", (facts["broken"],)) == "unknown_enum"
    assert db.scalar("select count(*) from intermediate.int_sessions where session_id = %s and not is_removed",
                     (facts["broken_session"],)) == 0
    assert db.scalar("select count(*) from marts.fct_attribution_credits where touchpoint_id = %s",
                     (facts["broken_session"],)) == 0
