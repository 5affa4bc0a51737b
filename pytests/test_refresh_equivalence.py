"""An incremental build equals a full refresh (snowplow-style), for every staging model, the
quarantine and every mart.

The suite's built sample (a copy of conftest.sample_warehouse) is the history. Days are appended
with `insights load-sample --append-days` (append_days: new days of every table, late sessions,
status changes such as refunds and cancellations, re-delivered rows, keys whose newest delivery is
bad) and built incrementally after each append, three times. The first delivery also carries
hand-made changes the sample does not make: a refund and a cancellation of old orders, a session
re-delivered with a new start time, a session and an order whose newest delivery is bad (they must
leave the marts), a browser re-linked to another customer, a ledger row moved to another day and an
ads row re-delivered unchanged. Then every table is snapshotted, rebuilt with `--full-refresh` and
compared both ways (bookkeeping stamps excluded).
"""
from __future__ import annotations

import datetime as dt
import re

import pytest

from pytests.conftest import SAMPLE_END_DATE, copy_database
from pytests.support.warehouse import NO_UNIT_TESTS

END = dt.date.fromisoformat(SAMPLE_END_DATE)
# stamps of when a run wrote a row: they legitimately differ between incremental and full builds
BOOKKEEPING = {"staged_at", "processed_at", "built_at", "detected_at", "attributed_at", "checked_at",
               "age_hours", "status", "previous_session_date", "previous_converted_date"}


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


def append(db, days: int) -> dict:
    """The next `days` days of the sample (`insights load-sample --append-days`)."""
    from insight_service.sample_data.append import append_days

    with db.connect() as conn:
        return append_days(conn, days)


def hand_made_changes(conn) -> dict:
    """Changes to old rows that the sample's appends do not make, delivered after them."""
    later = "now() + interval '1 second'"
    facts = dict(conn.execute("""
        select kind, order_id from (
            select 'refunded' as kind, order_id from raw.orders where status in ('paid', 'fulfilled')
              and (created_at at time zone 'UTC')::date < %s - 50 order by order_id limit 1) a
        union all select * from (
            select 'cancelled', order_id from raw.orders where status in ('paid', 'fulfilled')
              and (created_at at time zone 'UTC')::date < %s - 40 order by order_id desc limit 1) b
        union all select * from (
            select 'broken', order_id from raw.orders where status = 'fulfilled'
              and (created_at at time zone 'UTC')::date between %s - 30 and %s - 20 order by order_id limit 1) c""",
        (END, END, END, END)).fetchall())
    columns = ("order_id, store_id, customer_id, visitor_id, created_at, {status}, subtotal, discount, shipping, "
               "tax, total, {refunded}, cogs, promo_code, " + later)
    for kind, status, refunded in (("refunded", "'refunded'", "subtotal - discount"),
                                   ("cancelled", "'cancelled'", "refunded_amount"),
                                   # the newest delivery of an order is bad: the order leaves the marts
                                   ("broken", "'lost_in_transit'", "refunded_amount")):
        conn.execute(f"insert into raw.orders select {columns.format(status=status, refunded=refunded)} "
                     "from raw.orders where order_id = %s order by _loaded_at desc limit 1", (facts[kind],))
    # a converting journey's session re-delivered two hours earlier; another one re-delivered bad
    moved, broken = [r[0] for r in conn.execute("""
        select session_id from raw.web_sessions where customer_id is not null
          and (started_at at time zone 'UTC')::date between %s - 25 and %s - 10
        order by session_id limit 2""", (END, END)).fetchall()]
    session = ("session_id, store_id, visitor_id, customer_id, {started_at}, duration_s, {pageviews}, bounced, "
               "landing_path, referrer_host, utm_source, utm_medium, utm_campaign, utm_content, " + later)
    for session_id, started_at, pageviews in ((moved, "started_at - interval '2 hours'", "pageviews"),
                                              (broken, "started_at", "-1")):
        copied = session.format(started_at=started_at, pageviews=pageviews)
        conn.execute(f"insert into raw.web_sessions select {copied} "
                     "from raw.web_sessions where session_id = %s order by _loaded_at desc limit 1", (session_id,))
    facts.update(moved_session=moved, broken_session=broken)
    # an old session re-delivered with another browser id, in a month nothing else recounts: its
    # visitor already has a session of the same fields that month, so the month counts one more
    revisited = conn.execute("""
        select s.session_id from raw.web_sessions as s
        where (s.started_at at time zone 'UTC')::date between %s - 75 and %s - 45
          and extract(day from s.started_at at time zone 'UTC') between 5 and 25
          and exists (select 1 from raw.web_sessions as o
                      where o.store_id = s.store_id and o.visitor_id = s.visitor_id and o.session_id <> s.session_id
                        and date_trunc('month', o.started_at) = date_trunc('month', s.started_at)
                        and extract(day from o.started_at at time zone 'UTC') between 5 and 25
                        and o.utm_source is not distinct from s.utm_source
                        and o.utm_medium is not distinct from s.utm_medium
                        and o.referrer_host is not distinct from s.referrer_host
                        and o.utm_campaign is not distinct from s.utm_campaign
                        and o.utm_content is not distinct from s.utm_content
                        and o.landing_path is not distinct from s.landing_path)
        order by s.session_id limit 1""", (END, END)).fetchone()[0]
    copied = session.replace("visitor_id", "'revisit-browser'").format(started_at="started_at", pageviews="pageviews")
    conn.execute(f"insert into raw.web_sessions select {copied} "
                 "from raw.web_sessions where session_id = %s order by _loaded_at desc limit 1", (revisited,))
    facts["revisited_session"] = revisited
    # a browser linked to one customer is re-linked to another one
    store, visitor, customer = conn.execute("""select store_id, visitor_id, customer_id from raw.customer_identities
                                               where customer_id is not null order by visitor_id limit 1""").fetchone()
    other = conn.execute("select customer_id from raw.customer_identities where store_id = %s and customer_id <> %s "
                         "order by customer_id limit 1", (store, customer)).fetchone()[0]
    conn.execute(f"insert into raw.customer_identities select store_id, visitor_id, %s, linked_at, {later} "
                 "from raw.customer_identities where store_id = %s and visitor_id = %s "
                 "order by _loaded_at desc limit 1", (other, store, visitor))
    facts.update(relinked_store=store, relinked_visitor=visitor)
    # a ledger entry re-booked on another day; ads rows re-delivered unchanged (connector re-sync)
    conn.execute(f"""insert into raw.marketing_spend select spend_id, store_id, channel, source_type, source_id,
                    spend_date - 9, amount, description, {later}
                    from raw.marketing_spend where amount > 0 and spend_date < %s - 30
                    order by spend_id limit 1""", (END,))
    conn.execute(f"""insert into raw.ad_campaign_daily select store_id, platform, campaign_id, campaign_name, date,
                    impressions, clicks, spend, platform_conversions, {later}
                    from raw.ad_campaign_daily where date = %s - 2 order by campaign_id limit 3""", (END,))
    return facts


@pytest.fixture(scope="module")
def incremental_vs_full(make_database, sample_warehouse):
    # the history the deliveries land on: a copy of the suite's built sample (6 months, every dbt test passed)
    db = copy_database(make_database, sample_warehouse.template, "equivalence")
    facts = {"first_run_orders": db.scalar("select count(*) from marts.fct_order_attribution"),
             "appended": []}

    # delivery 1: two days of the sample, then the hand-made changes
    facts["appended"].append(append(db, 2))
    with db.connect() as conn:
        facts.update(hand_made_changes(conn))
        conn.commit()
    month_visitors = """select unified.unique_visitors from marts.fct_unified_metrics as unified
                         inner join intermediate.int_sessions as s
                            on s.store_id = unified.store_id and s.session_id = %s
                           and unified.period_start = date_trunc('month', s.session_date)::date
                         where unified.channel = 'overall' and unified.period = 'monthly'"""
    before = db.scalar(month_visitors, (facts["revisited_session"],))
    # a staging table built before its row count was kept: the first incremental run counts it once
    db.execute("update staging.incremental_watermarks set row_count = null, max_loaded_at = null "
               "where model = 'stg_web__sessions'")
    db.dbt("build", *NO_UNIT_TESTS)
    # deliveries 2 and 3: the next days, one build each
    for days in (1, 2):
        facts["appended"].append(append(db, days))
        db.dbt("build", *NO_UNIT_TESTS)
    facts["untouched"] = db.scalar(
        "select count(*) from marts.fct_order_attribution "
        "where processed_at = (select min(processed_at) from marts.fct_order_attribution)")
    facts["last_day"] = db.scalar("select max(period_start) from marts.fct_unified_metrics where period = 'daily'")
    facts["revisited_month_visitors"] = (before, db.scalar(month_visitors, (facts["revisited_session"],)))
    # int_sessions' recount flags as the incremental runs left them (a full refresh resets them)
    facts["visit_key_unchanged"] = dict(db.query(
        "select session_id, visit_key_unchanged from intermediate.int_sessions where session_id = any(%s)",
        ([facts["revisited_session"], facts["broken_session"]],)))
    facts["relinked_unchanged"] = db.scalar(
        "select count(*) filter (where visit_key_unchanged) from intermediate.int_sessions "
        "where store_id = %s and visitor_id = %s", (facts["relinked_store"], facts["relinked_visitor"]))

    # the row counts the staging strategy kept through the incremental runs equal the tables (full checks);
    # the check fails when one is off by a row
    kept_check = ("test", "--select", "assert_staged_row_counts_are_kept", "--vars", "{full_checks: true}")
    facts["kept_counts"] = db.dbt(*kept_check, check=False)
    db.execute("update staging.incremental_watermarks set row_count = row_count + 1 where model = 'stg_shop__orders'")
    facts["kept_counts_off"] = db.dbt(*kept_check, check=False)
    db.execute("update staging.incremental_watermarks set row_count = row_count - 1 where model = 'stg_shop__orders'")

    tables = compared_tables(db)
    with db.connect() as conn:
        conn.execute("create schema snap")
        for schema, table in tables:
            cols = ", ".join(columns(db, schema, table))
            conn.execute(f"create table snap.{schema}__{table} as select {cols} from {schema}.{table}")
        conn.commit()

    db.dbt("build", "--full-refresh", *NO_UNIT_TESTS)
    return db, tables, facts


def test_incremental_runs_did_not_rebuild_history(incremental_vs_full):
    _, _, facts = incremental_vs_full
    # most orders were attributed once, by the first build
    assert facts["untouched"] > 0.9 * facts["first_run_orders"]


def test_the_appends_brought_new_days_late_rows_and_redeliveries(incremental_vs_full):
    _, _, facts = incremental_vs_full
    assert facts["last_day"] > END + dt.timedelta(days=4)
    reports = facts["appended"]
    assert sum(r["late_sessions"] for r in reports) > 0
    assert sum(sum(r["status_changes"].values()) for r in reports) > 0
    assert any(entry.get("newest") for r in reports for entry in r["dirty_rows"])


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
            f"select count(*) from (select * from snap.{schema}__{table} "
            f"except all select {cols} from {schema}.{table}) d")
        only_full = db.scalar(
            f"select count(*) from (select {cols} from {schema}.{table} "
            f"except all select * from snap.{schema}__{table}) d")
        if only_incremental or only_full:
            differing[f"{schema}.{table}"] = (only_incremental, only_full)
    assert differing == {}


def test_staged_row_counts_are_kept_by_the_incremental_runs(incremental_vs_full):
    _, _, facts = incremental_vs_full
    kept, off = facts["kept_counts"], facts["kept_counts_off"]
    assert kept.returncode == 0 and re.search(r"\bPASS assert_staged_row_counts_are_kept\b", kept.stdout), \
        kept.stdout[-2000:]
    assert off.returncode == 1 and "FAIL 1 assert_staged_row_counts_are_kept" in off.stdout, off.stdout[-2000:]


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


def test_only_sessions_that_changed_a_visit_key_reopen_visitor_counts(incremental_vs_full):
    db, _, facts = incremental_vs_full
    flags = facts["visit_key_unchanged"]
    # another browser id and a tombstone change who is counted; a re-linked browser's sessions do not
    assert flags == {facts["revisited_session"]: False, facts["broken_session"]: False}
    assert facts["relinked_unchanged"] > 0
    # the revisited session's month counts one more visitor: its new browser (its old one has another session)
    assert facts["revisited_month_visitors"][1] == facts["revisited_month_visitors"][0] + 1


def test_the_unioned_view_tests_read_the_platform_families_of_the_checked_days(incremental_vs_full):
    """Incremental scope of int_metrics__unioned_daily's tests: the stores and days of the inputs' last
    runs, and only the platform and ledger families (the two large families are those of the
    traffic and attribution views, tested there for the same days); full checks read everything."""
    db, _, _ = incremental_vs_full
    test = "int_metrics__unioned_daily_keys_not_null"
    scoped = db.dbt("compile", "--select", test).stdout
    everything = db.dbt("compile", "--select", test, "--vars", "{full_checks: true}").stdout
    assert "store_id = any(array(" in scoped and "family not in ('web_traffic', 'attribution')" in scoped
    assert "any(array(" not in everything and "family not in" not in everything
