"""GET /calendar without start_date, end_date and days (issue 16): `items` keep the contract's
default window (the 30 days ending at the store's last data date), and `upcoming` lists what is
planned after it up to 30 days after the store's today (its local date, marts.dim_stores.timezone),
so that scheduled articles and deliveries show. Explicit windows are the common ones, without
`upcoming`; the export is the window's items.

Calendar rows are written relative to the real today into a database of each test (fresh_db); the
store's today is computed before and after each request, so a test running across the store's
midnight still knows both possible answers.
"""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from insight_service.api.app import create_app
from insight_service.api.calendar.schemas import CalendarData
from insight_service.core.periods import Window, local_today, upcoming_window
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
    CalendarData.model_validate(data)
    return data


LAST_DATA_DATE = dt.date(2024, 3, 31)  # of store_a (fixtures.sql)


def last_data_date(db, store: str) -> dt.date:
    return db.scalar("select max(period_start) from marts.fct_unified_metrics where store_id = %s "
                     "and period = 'daily' and source = 'all' and channel = 'overall'", (store,))


def upcoming_until(data: dict, candidates: set[dt.date], last: dt.date = LAST_DATA_DATE) -> dt.date:
    """The store's today the look-ahead was computed from: one of ``candidates``, 30 days before its end."""
    assert data["upcoming_range"]["start_date"] == (last + DAY).isoformat()
    today = dt.date.fromisoformat(data["upcoming_range"]["end_date"]) - 30 * DAY
    assert today in candidates, (data["upcoming_range"], candidates)
    return today


def test_default_window_keeps_the_contract_and_adds_upcoming_items(cal):
    db, application, _ = cal
    a = Api(application, db.keys[STORE_A])
    before = local_today(TZ[STORE_A])
    data = calendar(a)
    after = local_today(TZ[STORE_A])
    # items: the contract's default window, the 30 days ending at the last data date
    assert (data["date_range"]["start_date"], data["date_range"]["end_date"]) == ("2024-03-02", "2024-03-31")
    assert [i["item_id"] for i in data["items"]] == ["del-1", "art-1", "art-2"]
    # upcoming: after that window up to today + 30, so the scheduled items show; nothing beyond
    today = upcoming_until(data, {before, after})
    ids = [i["item_id"] for i in data["upcoming"]]
    assert ids[-4:] == ["past-25", "today-0", "sched-10", "planned-25"] and "sched-45" not in ids
    assert {i["status"] for i in data["upcoming"] if i["item_id"] in ("sched-10", "planned-25")} == {"scheduled",
                                                                                                      "planned"}
    assert [i["date"] for i in data["upcoming"]] == sorted(i["date"] for i in data["upcoming"])
    assert all(LAST_DATA_DATE < dt.date.fromisoformat(i["date"]) <= today + 30 * DAY for i in data["upcoming"])
    # another store: its own items, never store_a's
    b = calendar(Api(application, db.keys[STORE_B]))
    b_today = local_today(TZ[STORE_B])
    upcoming_until(b, {b_today - DAY, b_today, b_today + DAY}, last_data_date(db, STORE_B))
    assert [i["item_id"] for i in b["upcoming"]] == ["b-sched-5"]
    assert not {i["item_id"] for i in b["items"] + b["upcoming"]} & {"sched-10", "planned-25", "today-0"}


def test_channel_filter_applies_to_upcoming(cal):
    db, application, _ = cal
    data = calendar(Api(application, db.keys[STORE_A]), {"channel": "influencer"})
    assert {i["channel"] for i in data["items"] + data["upcoming"]} == {"influencer"}
    assert [i["item_id"] for i in data["upcoming"]][-2:] == ["today-0", "planned-25"]


def test_export_is_the_default_window(cal):
    db, application, _ = cal
    a = Api(application, db.keys[STORE_A])
    response = a.get("/export/calendar.csv")
    assert response.status_code == 200, response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["date", "item_type", "item_id", "channel", "title", "status"]
    assert [r[2] for r in rows[1:]] == [i["item_id"] for i in calendar(a)["items"]] == ["del-1", "art-1", "art-2"]


def test_explicit_windows_are_unchanged_and_have_no_upcoming(cal):
    db, application, today = cal
    a = Api(application, db.keys[STORE_A])
    # both dates: exactly the window asked for
    window = {"start_date": (today - 60 * DAY).isoformat(), "end_date": today.isoformat()}
    data = calendar(a, window)
    assert (data["date_range"]["start_date"], data["date_range"]["end_date"]) == (window["start_date"],
                                                                                  window["end_date"])
    assert [i["item_id"] for i in data["items"]] == ["past-45", "past-25", "today-0"]
    assert "upcoming" not in data
    # one date or days: the common window, ending at end_date or at the store's last data date (2024-03-31)
    data = calendar(a, {"end_date": "2024-04-30"})
    assert (data["date_range"]["start_date"], data["date_range"]["end_date"]) == ("2024-04-01", "2024-04-30")
    assert [i["item_id"] for i in data["items"]] == ["del-2"] and "upcoming" not in data
    data = calendar(a, {"days": "30"})
    assert (data["date_range"]["start_date"], data["date_range"]["end_date"]) == ("2024-03-02", "2024-03-31")
    assert [i["item_id"] for i in data["items"]] == ["del-1", "art-1", "art-2"] and "upcoming" not in data
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
    last_b = last_data_date(db, STORE_B)
    assert last_b is not None
    data = calendar(Api(application, db.keys[STORE_B]))
    assert data["upcoming_range"] == {"start_date": (last_b + DAY).isoformat(),
                                      "end_date": (last_b + 30 * DAY).isoformat()}
    # no store row and no data at all: the UTC date; the window is the contract's, ending today
    before = dt.datetime.now(dt.UTC).date()
    data = calendar(Api(application, db.keys[STORE_C]))
    after = dt.datetime.now(dt.UTC).date()
    assert data["items"] == [] and data["upcoming"] == []
    assert dt.date.fromisoformat(data["upcoming_range"]["end_date"]) - 30 * DAY in {before, after}


def test_upcoming_window():
    w = Window(dt.date(2024, 3, 2), dt.date(2024, 3, 31))
    assert upcoming_window(w, dt.date(2024, 4, 10)) == Window(dt.date(2024, 4, 1), dt.date(2024, 5, 10))
    assert upcoming_window(w, dt.date(2024, 3, 2)) == Window(dt.date(2024, 4, 1), dt.date(2024, 4, 1))
    assert upcoming_window(w, dt.date(2024, 3, 1)) is None  # the window already reaches 30 days past today


def test_local_today_is_the_date_on_the_stores_clock():
    instant = dt.datetime(2024, 3, 31, 23, 30, tzinfo=dt.UTC)
    assert local_today("America/New_York", instant) == dt.date(2024, 3, 31)
    assert local_today("Asia/Tokyo", instant) == dt.date(2024, 4, 1)
    assert local_today("Not/AZone", instant) is None
    assert local_today(None, instant) is None
