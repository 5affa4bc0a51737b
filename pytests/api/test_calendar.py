"""GET /calendar's default window (issue 16): without start_date, end_date and days it is the 30 days
before and the 30 days after the store's today (its local date, marts.dim_stores.timezone), so that
scheduled articles and deliveries show; explicit windows are the common ones. The export follows.

Calendar rows are written relative to the real today into a database of each test (fresh_db); the
store's today is computed before and after each request, so a test running across the store's
midnight still knows both possible answers.
"""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from insight_service.api import validation as v
from insight_service.api.app import create_app
from insight_service.api.periods import local_today
from pytests.api.conftest import Api, base_config
from pytests.api.fixtures import STORE_A, STORE_B, STORE_C

TZ = {STORE_A: "America/New_York", STORE_B: "Europe/Berlin"}  # marts.dim_stores of fixtures.sql
DAY = dt.timedelta(days=1)


@pytest.fixture()
def cal(fresh_db):
    """fresh_db with calendar items around the stores' today; returns (db, app, today of store_a)."""
    today = local_today(TZ[STORE_A])
    rows = [  # (store, item_type, item_id, days from today, status)
        (STORE_A, "seo_article", "past-45", -45, "published"),
        (STORE_A, "seo_article", "past-25", -25, "published"),
        (STORE_A, "influencer_delivery", "today-0", 0, "posted"),
        (STORE_A, "seo_article", "sched-10", 10, "scheduled"),
        (STORE_A, "influencer_delivery", "planned-25", 25, "planned"),
        (STORE_A, "seo_article", "sched-45", 45, "scheduled"),
        (STORE_B, "seo_article", "b-sched-5", 5, "scheduled"),
    ]
    for store, item_type, item_id, offset, status in rows:
        fresh_db.execute(
            "insert into marts.fct_marketing_calendar values (%s, %s, %s, %s, %s, %s, %s)",
            (store, item_type, item_id, "seo" if item_type == "seo_article" else "influencer",
             f"{item_id} title", today + offset * DAY, status))
    application = create_app(base_config(fresh_db))
    yield fresh_db, application, today
    application.extensions["insights"].close()


def calendar(api: Api, query=None) -> dict:
    response = api.get("/calendar", query)
    assert response.status_code == 200, response.get_data(as_text=True)
    data = response.get_json()["data"]
    v.CalendarData.model_validate(data)
    return data


def centred_on(data: dict, candidates: set[dt.date]) -> dt.date:
    """The day the window is centred on, checked to be one of ``candidates`` and 30 days each way."""
    start = dt.date.fromisoformat(data["date_range"]["start_date"])
    end = dt.date.fromisoformat(data["date_range"]["end_date"])
    centre = start + 30 * DAY
    assert centre in candidates, (data["date_range"], candidates)
    assert end == centre + 30 * DAY and data["date_range"]["days"] == 61
    return centre


def test_default_window_shows_scheduled_items_around_the_stores_today(cal):
    db, application, _ = cal
    a = Api(application, db.keys[STORE_A])
    before = local_today(TZ[STORE_A])
    data = calendar(a)
    after = local_today(TZ[STORE_A])
    centre = centred_on(data, {before, after})
    ids = [i["item_id"] for i in data["items"]]
    # the future items that the old default (the 30 days ending at the last data date) never showed
    assert ids == ["past-25", "today-0", "sched-10", "planned-25"]
    assert {i["status"] for i in data["items"] if i["item_id"] in ("sched-10", "planned-25")} == {"scheduled",
                                                                                                   "planned"}
    assert [i["date"] for i in data["items"]] == sorted(i["date"] for i in data["items"])
    assert all(centre - 30 * DAY <= dt.date.fromisoformat(i["date"]) <= centre + 30 * DAY for i in data["items"])
    # another store: its own items around its own today, never store_a's
    b = calendar(Api(application, db.keys[STORE_B]))
    centred_on(b, {local_today(TZ[STORE_B]), local_today(TZ[STORE_B]) - DAY, local_today(TZ[STORE_B]) + DAY})
    assert [i["item_id"] for i in b["items"]] == ["b-sched-5"]


def test_export_follows_the_same_default(cal):
    db, application, _ = cal
    a = Api(application, db.keys[STORE_A])
    response = a.get("/export/calendar.csv")
    assert response.status_code == 200, response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["date", "item_type", "item_id", "channel", "title", "status"]
    assert [r[2] for r in rows[1:]] == [i["item_id"] for i in calendar(a)["items"]]
    assert "sched-10" in [r[2] for r in rows[1:]] and "sched-45" not in [r[2] for r in rows[1:]]
    # explicit dates in the export: exactly that window
    explicit = list(csv.reader(io.StringIO(a.get("/export/calendar.csv", {
        "start_date": "2024-03-02", "end_date": "2024-03-31"}).get_data(as_text=True))))
    assert [r[2] for r in explicit[1:]] == ["del-1", "art-1", "art-2"]


def test_explicit_windows_are_unchanged(cal):
    db, application, today = cal
    a = Api(application, db.keys[STORE_A])
    # both dates: exactly the window asked for
    window = {"start_date": (today - 60 * DAY).isoformat(), "end_date": today.isoformat()}
    data = calendar(a, window)
    assert (data["date_range"]["start_date"], data["date_range"]["end_date"]) == (window["start_date"],
                                                                                  window["end_date"])
    assert [i["item_id"] for i in data["items"]] == ["past-45", "past-25", "today-0"]
    # one date or days: the common window, ending at end_date or at the store's last data date (2024-03-31)
    data = calendar(a, {"end_date": "2024-04-30"})
    assert (data["date_range"]["start_date"], data["date_range"]["end_date"]) == ("2024-04-01", "2024-04-30")
    assert [i["item_id"] for i in data["items"]] == ["del-2"]
    data = calendar(a, {"days": "30"})
    assert (data["date_range"]["start_date"], data["date_range"]["end_date"]) == ("2024-03-02", "2024-03-31")
    assert [i["item_id"] for i in data["items"]] == ["del-1", "art-1", "art-2"]
    data = calendar(a, {"start_date": "2024-01-01"})
    assert (data["date_range"]["start_date"], data["date_range"]["end_date"]) == ("2024-01-01", "2024-03-31")
    # bad input is still a 400 naming the parameter, never a default window
    response = a.get("/calendar", {"start_date": "2024-02-30"})
    assert response.status_code == 400
    assert response.get_json()["error"]["details"][0]["param"] == "start_date"


def test_today_without_a_known_timezone(cal):
    db, application, _ = cal
    # a timezone the service cannot read: the store's last data date stands for its today
    db.execute("update marts.dim_stores set timezone = 'Not/AZone' where store_id = %s", (STORE_B,))
    last_b = db.scalar("select max(period_start) from marts.fct_unified_metrics where store_id = %s "
                       "and period = 'daily' and source = 'all' and channel = 'overall'", (STORE_B,))
    assert last_b is not None
    centred_on(calendar(Api(application, db.keys[STORE_B])), {last_b})
    # no store row and no data at all: the UTC date
    before = dt.datetime.now(dt.timezone.utc).date()
    data = calendar(Api(application, db.keys[STORE_C]))
    centred_on(data, {before, dt.datetime.now(dt.timezone.utc).date()})
    assert data["items"] == []


def test_local_today_is_the_date_on_the_stores_clock():
    instant = dt.datetime(2024, 3, 31, 23, 30, tzinfo=dt.timezone.utc)
    assert local_today("America/New_York", instant) == dt.date(2024, 3, 31)
    assert local_today("Asia/Tokyo", instant) == dt.date(2024, 4, 1)
    assert local_today("Not/AZone", instant) is None
    assert local_today(None, instant) is None
