"""Staging and the session/order rules of intermediate on hand-written raw rows: dedup, channel
classification (one case per rule of the contract), store-local dates across DST changes, identity
stitching, the order rules, and quarantine of each bad-row kind (own-row checks in staging,
unknown stores in intermediate)."""
from __future__ import annotations

import datetime as dt

import pytest

from insight_service.warehouse.raw_schema import create_raw_schema
from pytests.support.rows import insert_rows
from pytests.support.warehouse import NO_UNIT_TESTS

UTC = dt.UTC
T0 = dt.datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
LOAD1 = dt.datetime(2025, 6, 1, 0, 0, tzinfo=UTC)
LOAD2 = dt.datetime(2025, 6, 2, 0, 0, tzinfo=UTC)
FAR_FUTURE = dt.datetime.now(UTC) + dt.timedelta(days=10)


def session(session_id, store="nyc", **kw):
    row = {"session_id": session_id, "store_id": store, "visitor_id": f"v_{session_id}",
           "started_at": T0, "duration_s": 60, "pageviews": 2, "bounced": False,
           "landing_path": "/products/x", "_loaded_at": LOAD1}
    row.update(kw)
    return row


# (session_id, raw fields, expected channel, expected source)
CLASSIFICATION_CASES = [
    ("seo_blog", {"referrer_host": "www.google.com", "landing_path": "/Blog/Summer-Dresses/?q=1"}, "seo", "article:art1"),
    ("seo_bing", {"referrer_host": "bing.com"}, "seo", "unassigned"),
    ("seo_tagged_organic", {"utm_medium": "organic", "utm_source": "google"}, "seo", "unassigned"),
    ("influencer", {"utm_medium": " Influencer ", "utm_campaign": "kc1 ", "utm_content": "DEL1"}, "influencer", "campaign:KC1"),
    ("influencer_no_campaign", {"utm_medium": "influencer", "utm_content": "del1"}, "influencer", "campaign:KC1"),
    ("social_tagged", {"utm_medium": "social", "utm_content": "post9"}, "social", "post:post9"),
    ("social_organic", {"utm_medium": "Social-Organic", "utm_content": "post9"}, "social", "post:post9"),
    ("social_referrer", {"referrer_host": "l.facebook.com"}, "social", "unassigned"),
    ("social_tco", {"referrer_host": "t.co"}, "social", "unassigned"),
    ("ads_cpc", {"utm_medium": " CPC ", "utm_source": "google", "utm_campaign": "G-100"}, "ads", "ad_campaign:google_ads:g-100"),
    ("ads_ppc", {"utm_medium": "ppc", "utm_source": "bing", "utm_campaign": "b-1"}, "ads", "ad_campaign:bing:b-1"),
    ("ads_paid", {"utm_medium": "paid", "utm_campaign": "g-100"}, "ads", "ad_campaign:google_ads:g-100"),
    ("ads_paid_social", {"utm_medium": "paid_social", "utm_source": "facebook", "utm_campaign": "m-7"}, "ads", "ad_campaign:meta_ads:m-7"),
    ("ads_beats_search_referrer", {"utm_medium": "cpc", "utm_campaign": "g-100", "referrer_host": "www.google.com"}, "ads", "ad_campaign:google_ads:g-100"),
    ("email", {"utm_medium": "Email", "utm_campaign": "spring"}, "email", "unassigned"),
    ("referral", {"referrer_host": "blog.partner-site.com"}, "referral", "unassigned"),
    ("referral_unknown_medium", {"utm_medium": "affiliate", "utm_source": "partner"}, "referral", "unassigned"),
    ("direct", {}, "direct", "unassigned"),
    ("direct_blank_utm", {"utm_medium": "  ", "referrer_host": ""}, "direct", "unassigned"),
]

# (session_id, store, started_at UTC, expected local date)
DST_CASES = [
    # New York springs forward 2025-03-09 02:00 -> 03:00: 04:30 UTC on the 10th is 00:30 EDT
    ("ny_after_spring_forward", "nyc", dt.datetime(2025, 3, 10, 4, 30, tzinfo=UTC), dt.date(2025, 3, 10)),
    # ...and 04:30 UTC on the 9th (before the change) is 23:30 EST on the 8th
    ("ny_before_spring_forward", "nyc", dt.datetime(2025, 3, 9, 4, 30, tzinfo=UTC), dt.date(2025, 3, 8)),
    # New York falls back 2025-11-02: 04:30 UTC on Nov 3 is 23:30 EST on Nov 2
    ("ny_after_fall_back", "nyc", dt.datetime(2025, 11, 3, 4, 30, tzinfo=UTC), dt.date(2025, 11, 2)),
    # Sydney leaves DST 2025-04-06 03:00 -> 02:00: 13:30 UTC is 23:30 AEST on the 6th
    ("syd_after_dst_end", "syd", dt.datetime(2025, 4, 6, 13, 30, tzinfo=UTC), dt.date(2025, 4, 6)),
    # 23:30 local on the last day of a month in a UTC-5 store stays in that month
    ("ny_month_end", "nyc", dt.datetime(2025, 2, 1, 4, 30, tzinfo=UTC), dt.date(2025, 1, 31)),
]

# (raw table, row_key, reason, fragment the details must mention)
QUARANTINE_CASES = [
    ("web_sessions", "<null>", "null_key", "session_id"),
    ("web_sessions", "dup1", "duplicate", "superseded"),
    ("web_sessions", "neg_pageviews", "negative_value", "pageviews = '-3'"),
    ("web_sessions", "future_session", "future_timestamp", "started_at"),
    ("web_sessions", "after_its_delivery", "future_timestamp", "started_at"),
    ("web_sessions", "ghost_store", "unknown_reference", "store_id = 'ghost'"),
    ("orders", "bad_status", "unknown_enum", "status = 'shipped_maybe'"),
    ("orders", "future_order", "future_timestamp", "created_at"),
    ("orders", "neg_order", "negative_value", "subtotal = '-10.00'"),
    ("marketing_spend", "tv_spend", "unknown_enum", "channel = 'tv'"),
    ("ad_campaign_daily", "google_ads|neg|2025-03-01", "negative_value", "spend = '-5.00'"),
    ("article_daily_stats", "art1|2025-03-02", "out_of_range", "bounce_rate"),
    ("customer_identities", "nyc|v_orphan", "missing_value", "customer_id"),
    ("stores", "mars", "unknown_enum", "timezone = 'Mars/Base'"),
    ("stores", "nyc", "duplicate", "superseded"),
]


@pytest.fixture(scope="module")
def staged(make_database):
    db = make_database("staging")
    with db.connect() as conn:
        create_raw_schema(conn)
        insert_rows(conn, "stores", [
            {"store_id": "nyc", "name": "Old name", "industry": "Fashion", "currency": "usd", "timezone": "America/New_York", "status": "active", "_loaded_at": LOAD1},
            {"store_id": "nyc", "name": "NYC Fashion", "industry": " Fashion ", "currency": "usd", "timezone": "America/New_York", "status": "active", "_loaded_at": LOAD2},
            {"store_id": "syd", "name": "Sydney Home", "industry": None, "currency": "AUD", "timezone": "Australia/Sydney", "status": "active", "_loaded_at": LOAD1},
            {"store_id": "mars", "name": "Mars", "industry": "home", "currency": "USD", "timezone": "Mars/Base", "status": "active", "_loaded_at": LOAD1},
        ])
        insert_rows(conn, "blog_articles", [
            {"article_id": "art1", "store_id": "nyc", "title": "Summer dresses", "slug": "summer-dresses", "status": "published", "published_at": T0, "created_at": T0},
        ])
        insert_rows(conn, "article_daily_stats", [
            {"store_id": "nyc", "article_id": "art1", "date": dt.date(2025, 3, 1), "impressions": 100, "organic_clicks": 3, "bounce_rate": 0.5},
            {"store_id": "nyc", "article_id": "art1", "date": dt.date(2025, 3, 2), "impressions": 100, "organic_clicks": 3, "bounce_rate": 1.5},
        ])
        insert_rows(conn, "influencer_campaigns", [
            {"campaign_id": "KC1", "store_id": "nyc", "name": "Spring", "status": "active", "budget_allocated": 1000},
        ])
        insert_rows(conn, "influencer_contracts", [
            {"contract_id": "CT1", "store_id": "nyc", "campaign_id": "KC1", "influencer_id": "inf1", "fee": 500, "status": "signed"},
        ])
        insert_rows(conn, "influencer_deliveries", [
            {"delivery_id": "DEL1", "contract_id": "CT1", "deliverable_type": "reel", "platform": "instagram", "post_date": dt.date(2025, 3, 1), "status": "posted"},
        ])
        insert_rows(conn, "social_posts_daily", [
            {"store_id": "nyc", "post_id": "post9", "platform": "instagram", "date": dt.date(2025, 3, 1), "impressions": 10, "engagements": 1, "clicks": 1, "spend": 0},
        ])
        insert_rows(conn, "ad_campaign_daily", [
            {"store_id": "nyc", "platform": "google_ads", "campaign_id": "g-100", "campaign_name": "Brand", "date": dt.date(2025, 3, 1), "impressions": 1000, "clicks": 50, "spend": 40},
            {"store_id": "nyc", "platform": "meta_ads", "campaign_id": "m-7", "campaign_name": "Prospecting", "date": dt.date(2025, 3, 1), "impressions": 1000, "clicks": 20, "spend": 30},
            {"store_id": "nyc", "platform": "google_ads", "campaign_id": "neg", "campaign_name": "Broken", "date": dt.date(2025, 3, 1), "impressions": 10, "clicks": 1, "spend": -5},
        ])
        insert_rows(conn, "marketing_spend", [
            {"spend_id": "ok_spend", "store_id": "nyc", "channel": "seo", "source_type": "article", "source_id": "art1", "spend_date": dt.date(2025, 3, 1), "amount": 200},
            {"spend_id": "refund", "store_id": "nyc", "channel": "influencer", "source_type": "contract", "source_id": "CT1", "spend_date": dt.date(2025, 3, 2), "amount": -50},
            {"spend_id": "tv_spend", "store_id": "nyc", "channel": "tv", "source_type": "other", "spend_date": dt.date(2025, 3, 1), "amount": 999},
        ])
        sessions = [session(sid, **fields) for sid, fields, _, _ in CLASSIFICATION_CASES]
        sessions += [session(sid, store=store, started_at=ts, _loaded_at=ts + dt.timedelta(hours=2)) for sid, store, ts, _ in DST_CASES]
        sessions += [
            session("dup1", utm_medium="email", _loaded_at=LOAD1),
            session("dup1", utm_medium="cpc", utm_campaign="g-100", _loaded_at=LOAD2),
            session(None),
            session("neg_pageviews", pageviews=-3),
            session("future_session", started_at=FAR_FUTURE),
            # in the past for the build, but 3 days after the row was delivered: impossible
            session("after_its_delivery", started_at=LOAD1 + dt.timedelta(days=3), _loaded_at=LOAD1),
            session("ghost_store", store="ghost"),
            # identity stitching: v9 browsed anonymously, then logged in as c9; v8 was linked to c9
            # later; v7 was never linked; v9 in another store is another person
            session("anon1", visitor_id="v9", started_at=T0 - dt.timedelta(days=1)),
            session("login1", visitor_id="v9", customer_id="c9"),
            session("other_browser", visitor_id="v8"),
            session("stranger", visitor_id="v7"),
            session("same_visitor_other_store", store="syd", visitor_id="v9"),
        ]
        insert_rows(conn, "web_sessions", sessions)
        insert_rows(conn, "customer_identities", [
            {"store_id": "nyc", "visitor_id": "v_direct", "customer_id": "c1", "linked_at": T0},
            {"store_id": "nyc", "visitor_id": "v_orphan", "customer_id": None, "linked_at": T0},
            {"store_id": "nyc", "visitor_id": "v9", "customer_id": "c9", "linked_at": T0},
            {"store_id": "nyc", "visitor_id": "v8", "customer_id": "c9", "linked_at": T0 + dt.timedelta(days=4)},
        ])
        order = {"store_id": "nyc", "customer_id": "c1", "created_at": T0, "status": "paid", "subtotal": 100,
                 "discount": 10, "shipping": 5, "tax": 8, "total": 103, "refunded_amount": 0, "cogs": 40}
        insert_rows(conn, "orders", [
            {**order, "order_id": "good"},
            {**order, "order_id": "bad_status", "status": "shipped_maybe"},
            {**order, "order_id": "future_order", "created_at": dt.datetime.now(UTC) + dt.timedelta(days=3)},
            {**order, "order_id": "neg_order", "subtotal": -10},
            {**order, "order_id": None},
        ])
        conn.commit()
    db.dbt("build", "--select", "path:models/staging", "path:seeds", "+int_sessions", "+int_attribution__conversions",
           "+data_quality_issues", "assert_staging_reconciles_with_raw", "--indirect-selection", "cautious",
           *NO_UNIT_TESTS)
    return db


@pytest.mark.parametrize("session_id,fields,channel,source", CLASSIFICATION_CASES, ids=[c[0] for c in CLASSIFICATION_CASES])
def test_channel_classification(staged, session_id, fields, channel, source):
    row = staged.query("select channel, source from intermediate.int_sessions where session_id = %s", (session_id,))
    assert row == [(channel, source)]


def test_every_session_is_classified(staged):
    assert staged.scalar("select count(*) from intermediate.int_sessions where channel = 'unclassified'") == 0


def test_utm_fields_are_trimmed_and_lower_cased(staged):
    row = staged.query("select utm_medium, utm_campaign, utm_content from staging.stg_web__sessions where session_id = 'influencer'")
    assert row == [("influencer", "kc1", "del1")]


@pytest.mark.parametrize("session_id,store,started_at,local_date", DST_CASES, ids=[c[0] for c in DST_CASES])
def test_local_dates_across_dst(staged, session_id, store, started_at, local_date):
    assert staged.scalar("select session_date from intermediate.int_sessions where session_id = %s", (session_id,)) == local_date


def test_latest_delivery_wins(staged):
    assert staged.query("select channel, utm_medium from intermediate.int_sessions where session_id = 'dup1'") == [("ads", "cpc")]
    assert staged.query("select store_name, industry from staging.stg_shop__stores where store_id = 'nyc'") == [("NYC Fashion", "fashion")]


def test_industry_falls_back_to_general(staged):
    assert staged.scalar("select industry from staging.stg_shop__stores where store_id = 'syd'") == "general"


def test_order_revenue_and_profit_follow_the_contract(staged):
    row = staged.query("select revenue, profit, converted_date from intermediate.int_attribution__conversions "
                       "where order_id = 'good'")
    # revenue = 100 - 10 - 0 (shipping and tax excluded); profit = 90 - 40
    assert row == [(90, 50, dt.date(2025, 3, 1))]


@pytest.mark.parametrize("session_id,person", [
    ("anon1", "c9"), ("login1", "c9"), ("other_browser", "c9"), ("stranger", "visitor:v7"),
    ("same_visitor_other_store", "visitor:v9")])
def test_identity_stitching_links_browsing_to_the_customer(staged, session_id, person):
    assert staged.scalar("select person_key from intermediate.int_sessions where session_id = %s", (session_id,)) == person


def test_negative_ledger_amounts_are_kept(staged):
    assert staged.scalar("select amount from staging.stg_finance__marketing_spend where spend_id = 'refund'") == -50


@pytest.mark.parametrize("table,row_key,reason,details", QUARANTINE_CASES, ids=[f"{c[0]}-{c[2]}" for c in QUARANTINE_CASES])
def test_bad_rows_are_quarantined_with_a_reason(staged, table, row_key, reason, details):
    rows = staged.query(
        "select reason, details from marts.data_quality_issues where table_name = %s and row_key = %s and reason = %s",
        (table, row_key, reason),
    )
    assert rows, f"{table} {row_key} not quarantined as {reason}"
    assert details in rows[0][1]


def test_quarantined_rows_never_reach_staging_or_the_marts(staged):
    assert staged.scalar("select count(*) from staging.stg_web__sessions where session_id in ('neg_pageviews', 'future_session')") == 0
    assert staged.scalar("select count(*) from staging.stg_shop__orders where order_id in ('bad_status', 'future_order', 'neg_order')") == 0
    assert staged.scalar("select count(*) from staging.stg_shop__stores where store_id = 'mars'") == 0
    # a row of an unknown store is clean for its own source: staged, then dropped by intermediate
    assert staged.scalar("select count(*) from staging.stg_web__sessions where session_id = 'ghost_store'") == 1
    assert staged.scalar("select count(*) from intermediate.int_sessions where session_id = 'ghost_store'") == 0


def test_staging_plus_quarantine_equals_raw(staged):
    """Every raw row reaches the marts or the quarantine, exactly once (rows of an unknown store are
    staged and quarantined: counted once, as quarantined)."""
    for raw, stg in [("web_sessions", "stg_web__sessions"), ("orders", "stg_shop__orders"), ("stores", "stg_shop__stores"),
                     ("ad_campaign_daily", "stg_ads__campaign_daily"), ("marketing_spend", "stg_finance__marketing_spend")]:
        raw_n = staged.scalar(f"select count(*) from raw.{raw}")
        stg_n = staged.scalar(f"select count(*) from staging.{stg}")
        orphans = staged.scalar("select count(*) from marts.data_quality_issues where table_name = %s "
                                "and reason = 'unknown_reference'", (raw,))
        dq_n = staged.scalar("select count(*) from marts.data_quality_issues where table_name = %s", (raw,))
        assert raw_n == stg_n - orphans + dq_n, raw


def test_warn_level_test_counts_bad_rows(staged):
    proc = staged.dbt("test", "--select", "quarantined_bad_raw_rows", check=False)
    assert proc.returncode == 0, proc.stdout[-2000:]
    bad = staged.scalar("select count(*) from marts.data_quality_issues where reason <> 'duplicate'")
    assert f"Got {bad} results" in proc.stdout


def test_a_quarantine_built_before_copy_number_is_upgraded_in_place(staged):
    """A deployment whose quarantine tables predate copy_number: a plain incremental build adds the column,
    numbers the stored rows as a fresh build does, and data_quality_issues builds on it."""
    db = staged
    columns = "table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at, copy_number"
    fresh = sorted(db.query(f"select {columns} from staging.quarantine_web__sessions"), key=repr)
    assert any(row[-1] == 1 for row in fresh)
    db.execute("alter table staging.quarantine_web__sessions drop column copy_number")

    db.dbt("build", "--select", "quarantine_web__sessions", "data_quality_issues")

    assert sorted(db.query(f"select {columns} from staging.quarantine_web__sessions"), key=repr) == fresh
    assert db.scalar("select count(*) from marts.data_quality_issues where table_name = 'web_sessions' "
                     "and copy_number is null") == 0
    issues = db.query("select row_key, reason, raw_loaded_at, copy_number from marts.data_quality_issues "
                      "where table_name = 'web_sessions'")
    assert {(r[1], r[3], r[5], r[7]) for r in fresh} <= set(issues)
