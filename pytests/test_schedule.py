"""`insights schedule` logic that needs no warehouse: the interval syntax and when a store's
daily insights are due (fixed clocks; the running scheduler is tested in test_refresh.py)."""
from __future__ import annotations

import datetime as dt

import pytest

from insight_service.pipeline.daily import due_stores
from insight_service.pipeline.schedule import parse_interval

UTC = dt.UTC
STORES = {
    "ny": "America/New_York",      # UTC-4 in summer, UTC-5 in winter
    "tokyo": "Asia/Tokyo",         # UTC+9, no DST
    "sydney": "Australia/Sydney",  # UTC+10 / +11 (southern summer)
}


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize("text, seconds", [
    ("5m", 300), ("5", 300), ("90s", 90), ("1h", 3600), ("2 min", 120), ("0.5m", 30), ("10S", 10),
])
def test_parse_interval(text, seconds):
    assert parse_interval(text) == seconds


def test_parse_interval_default_unit_and_errors():
    assert parse_interval("30", default_unit="s") == 30
    for bad in ("", "0", "-5m", "5 days", "m5", "abc"):
        with pytest.raises(ValueError):
            parse_interval(bad)


def test_due_at_the_store_local_hour():
    # 2025-07-01 06:00 UTC = 02:00 in New York (EDT), 15:00 in Tokyo, 16:00 in Sydney
    now = at("2025-07-01 06:00")
    assert due_stores(now, STORES, 2, {}) == [
        ("ny", dt.date(2025, 7, 1)), ("sydney", dt.date(2025, 7, 1)), ("tokyo", dt.date(2025, 7, 1))]
    # one minute earlier New York is still at 01:59: not due; the others are past 02:00
    assert [s for s, _ in due_stores(at("2025-07-01 05:59"), STORES, 2, {})] == ["sydney", "tokyo"]


def test_once_per_local_day():
    done = {"ny": dt.date(2025, 7, 1)}
    assert due_stores(at("2025-07-01 06:00"), {"ny": STORES["ny"]}, 2, done) == []
    assert due_stores(at("2025-07-01 23:00"), {"ny": STORES["ny"]}, 2, done) == []  # 19:00 local, same day
    # next local day, before the hour: not yet; at the hour: due for the new date
    assert due_stores(at("2025-07-02 05:30"), {"ny": STORES["ny"]}, 2, done) == []
    assert due_stores(at("2025-07-02 06:00"), {"ny": STORES["ny"]}, 2, done) == [("ny", dt.date(2025, 7, 2))]


def test_the_local_date_is_the_stores_not_utcs():
    # 2025-07-01 17:30 UTC is already 2025-07-02 02:30 in Tokyo
    assert due_stores(at("2025-07-01 17:30"), {"tokyo": STORES["tokyo"]}, 2, {"tokyo": dt.date(2025, 7, 1)}) == [
        ("tokyo", dt.date(2025, 7, 2))]


def test_a_scheduler_started_late_catches_up_the_same_day():
    # started at 15:00 New York time: today's insights were not generated -> due now, once
    now = at("2025-07-01 19:00")
    assert due_stores(now, {"ny": STORES["ny"]}, 2, {"ny": dt.date(2025, 6, 30)}) == [("ny", dt.date(2025, 7, 1))]


def test_daylight_saving_changes():
    ny = {"ny": STORES["ny"]}
    # 2025-03-09 02:00 does not exist in New York (01:59 EST -> 03:00 EDT): the first later hour fires
    assert due_stores(at("2025-03-09 06:59"), ny, 2, {}) == []                      # 01:59 EST
    assert due_stores(at("2025-03-09 07:00"), ny, 2, {}) == [("ny", dt.date(2025, 3, 9))]  # 03:00 EDT
    # 2025-11-02 01:00-02:00 happens twice; with hour 1 the second 01:00 finds the day done
    first_one_am = at("2025-11-02 05:00")   # 01:00 EDT
    second_one_am = at("2025-11-02 06:00")  # 01:00 EST
    assert due_stores(first_one_am, ny, 1, {}) == [("ny", dt.date(2025, 11, 2))]
    assert due_stores(second_one_am, ny, 1, {"ny": dt.date(2025, 11, 2)}) == []
    # Sydney leaves DST on 2025-04-06: 02:00 local is 16:00 UTC the day before
    assert due_stores(at("2025-04-05 16:00"), {"sydney": STORES["sydney"]}, 2, {}) == [
        ("sydney", dt.date(2025, 4, 6))]


def test_unknown_timezone_is_skipped_and_inputs_checked():
    assert due_stores(at("2025-07-01 12:00"), {"x": "Not/AZone", "tokyo": STORES["tokyo"]}, 0, {}) == [
        ("tokyo", dt.date(2025, 7, 1))]
    with pytest.raises(ValueError):
        due_stores(dt.datetime(2025, 7, 1, 12), STORES, 2, {})   # naive clock
    with pytest.raises(ValueError):
        due_stores(at("2025-07-01 12:00"), STORES, 24, {})
