"""Incremental attribution equals a full refresh (snowplow-style): build on history, append a
new day plus late-arriving sessions and a late refund/cancellation, run incrementally,
snapshot, rebuild with --full-refresh and compare every attribution mart both ways."""
from __future__ import annotations

import datetime as dt

import pytest

from pytests.conftest import SAMPLE_END_DATE, load_generated_sample

# bookkeeping columns legitimately differ between an incremental run and a rebuild
BOOKKEEPING = {"processed_at", "inputs_loaded_at"}
COMPARED = [
    ("intermediate", "int_attribution__touchpoints"),
    ("marts", "fct_attribution_credits"),
    ("marts", "fct_order_attribution"),
    ("marts", "fct_channel_attribution_daily"),
    ("marts", "fct_conversion_paths"),
]
# held back from the first build and delivered later: (table, local-date expression)
DATED_TABLES = {
    "web_sessions": "(started_at at time zone 'UTC')::date",
    "orders": "(created_at at time zone 'UTC')::date",
    "ad_campaign_daily": "date",
    "social_posts_daily": "date",
    "article_daily_stats": "date",
    "marketing_spend": "spend_date",
}
END = dt.date.fromisoformat(SAMPLE_END_DATE)


def columns(db, schema, table):
    rows = db.query(
        "select column_name from information_schema.columns where table_schema = %s and table_name = %s order by ordinal_position",
        (schema, table),
    )
    return [r[0] for r in rows if r[0] not in BOOKKEEPING]


@pytest.fixture(scope="module")
def incremental_vs_full(make_database):
    db = make_database("incremental")
    load_generated_sample(db, months=3)
    with db.connect() as conn:
        conn.execute("create schema held")
        for table, day in DATED_TABLES.items():
            # the last day arrives tomorrow
            conn.execute(f"create table held.{table} as select * from raw.{table} where {day} >= %s", (END,))
            conn.execute(f"delete from raw.{table} where {day} >= %s", (END,))
        # one in five sessions of three days ago arrives late too
        conn.execute("""insert into held.web_sessions select * from raw.web_sessions
                        where (started_at at time zone 'UTC')::date = %s and right(md5(session_id), 1) in ('0', '1', '2')""",
                     (END - dt.timedelta(days=3),))
        conn.execute("delete from raw.web_sessions where session_id in (select session_id from held.web_sessions) "
                     "and (started_at at time zone 'UTC')::date = %s", (END - dt.timedelta(days=3),))
        conn.commit()

    db.dbt("build", "--select", "+fct_conversion_paths", "+fct_channel_attribution_daily", "--indirect-selection", "cautious")
    first_run = db.scalar("select max(processed_at) from marts.fct_order_attribution")

    with db.connect() as conn:
        for table in DATED_TABLES:
            # delivered now: later than anything the first run saw
            conn.execute(f"update held.{table} set _loaded_at = now()")
            conn.execute(f"insert into raw.{table} select * from held.{table}")
        # a refund and a cancellation re-delivered today for orders from 50+ days ago
        old = conn.execute("""select order_id from raw.orders where status in ('paid', 'fulfilled')
                              and created_at < %s order by order_id limit 2""",
                           (dt.datetime.combine(END - dt.timedelta(days=50), dt.time(), dt.timezone.utc),)).fetchall()
        refunded, cancelled = old[0][0], old[1][0]
        conn.execute("""insert into raw.orders select order_id, store_id, customer_id, visitor_id, created_at, 'refunded',
                        subtotal, discount, shipping, tax, total, subtotal - discount, cogs, promo_code, now() + interval '1 second'
                        from raw.orders where order_id = %s""", (refunded,))
        conn.execute("""insert into raw.orders select order_id, store_id, customer_id, visitor_id, created_at, 'cancelled',
                        subtotal, discount, shipping, tax, total, refunded_amount, cogs, promo_code, now() + interval '1 second'
                        from raw.orders where order_id = %s""", (cancelled,))
        conn.commit()

    db.dbt("build", "--select", "+fct_conversion_paths", "+fct_channel_attribution_daily", "--indirect-selection", "cautious")
    with db.connect() as conn:
        conn.execute("create schema snap")
        for schema, table in COMPARED:
            cols = ", ".join(columns(db, schema, table))
            conn.execute(f"create table snap.{table} as select {cols} from {schema}.{table}")
        conn.commit()
    untouched = db.scalar("select count(*) from marts.fct_order_attribution where processed_at = %s", (first_run,))

    db.dbt("build", "--full-refresh", "--select", "+fct_conversion_paths", "+fct_channel_attribution_daily", "--indirect-selection", "cautious")
    return db, {"refunded": refunded, "cancelled": cancelled, "untouched": untouched}


def test_incremental_run_did_not_rebuild_history(incremental_vs_full):
    _, facts = incremental_vs_full
    assert facts["untouched"] > 0


@pytest.mark.parametrize("schema,table", COMPARED, ids=[t for _, t in COMPARED])
def test_incremental_equals_full_refresh(incremental_vs_full, schema, table):
    db, _ = incremental_vs_full
    cols = ", ".join(columns(db, schema, table))
    only_incremental = db.scalar(f"select count(*) from (select * from snap.{table} except all select {cols} from {schema}.{table}) d")
    only_full = db.scalar(f"select count(*) from (select {cols} from {schema}.{table} except all select * from snap.{table}) d")
    total = db.scalar(f"select count(*) from {schema}.{table}")
    assert total > 0
    assert (only_incremental, only_full) == (0, 0)


def test_late_refund_and_cancellation_reached_the_marts(incremental_vs_full):
    db, facts = incremental_vs_full
    revenue = db.scalar("select revenue from marts.fct_order_attribution where order_id = %s", (facts["refunded"],))
    assert revenue == 0
    assert db.scalar("select count(*) from marts.fct_attribution_credits where order_id = %s", (facts["cancelled"],)) == 0
