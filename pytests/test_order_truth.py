"""The attribution truth of the sample (sample_data/order_truth.py), generator only: no database.

Recording what drove each order must not change a single raw row: the generator draws nothing
more, it keeps what journeys.py already decided. The pinned digest below was computed with the
generator as it was before the truth was recorded (commit 067909d); a change of the raw rows
for this seed, deliberate or not, fails here first (as do the many tests that pin values). It
also moves when numpy changes its random streams, which would move every sample anyway.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from insight_service.sample_data.generator import generate
from insight_service.sample_data.loader import write_artifacts
from insight_service.sample_data.order_truth import BASELINE, COLUMNS, DRIVERS, FILE_NAME, read_order_truth
from insight_service.sample_data.stores import PAID_CHANNELS
from pytests.support.digest import raw_digest

PARAMS = dict(seed=7, scale=0.05, end_date=dt.date(2025, 6, 30), months=6)  # the test sample, loaded_at default
RAW_SHA256_BEFORE_TRUTH = "445c343926b7393dfb97827e0ae37ce922651f9cca58133a1cafccd3270f1e0e"
DEFAULT_SCALE_SHA256_BEFORE_TRUTH = "2f93176f51b39222a1c404db41158a665690ba0c009b67579cbd603e99338ca2"
NEW_ID_KINDS = {"unknown_enum", "negative_value", "future_timestamp"}  # dirty copies of an order under a new id


@pytest.fixture(scope="module")
def sample():
    data = generate(**PARAMS)
    data.digest = raw_digest(data)  # streams every row once; the truth is recorded meanwhile
    return data


def raw_order_ids(data) -> set[str]:
    ids: set[str] = set()
    for table, _, rows in data.iter_chunks():
        if table == "orders":
            nulls = rows.is_null("order_id")
            ids.update(x for x, null in zip(rows.data["order_id"].tolist(), nulls.tolist()) if not null)
    return ids


def test_raw_rows_are_byte_identical_to_before_the_truth_was_recorded(sample):
    assert sample.digest == RAW_SHA256_BEFORE_TRUTH


def test_default_scale_raw_rows_are_byte_identical_to_before_the_truth_was_recorded():
    """The sample bench/attribution_truth.py and bench/optimizer_truth.py score (about 2 s)."""
    data = generate(seed=42, scale=1.0, end_date=dt.date(2025, 6, 30), months=19)
    assert raw_digest(data) == DEFAULT_SCALE_SHA256_BEFORE_TRUTH


def test_every_generated_order_has_exactly_one_driver(sample):
    truth = sample.order_truth()
    assert [t.store_id for t in truth] == sample.store_ids
    rows = [r for t in truth for r in t.rows()]
    ids = [(r[0], r[1]) for r in rows]
    assert len(ids) == len(set(ids))
    assert {r[3] for r in rows} <= set(DRIVERS)
    assert all(0 <= r[5] <= r[4] for r in rows)  # driver sessions are sessions of the journey
    assert all(r[5] == 0 for r in rows if r[3] == BASELINE)


def test_truth_up_to_the_load_is_exactly_the_raw_orders(sample):
    """Every clean order id in raw is in the truth once, dated up to the end date; the raw ids
    without a truth are exactly the manifest's dirty copies under a new id."""
    loaded = {r[1] for t in sample.order_truth() for r in t.rows(sample.end_date)}
    raw = raw_order_ids(sample)
    dirty_new = {e["row_key"] for e in sample.manifest["dirty_rows"]
                 if e["table"] == "orders" and e["kind"] in NEW_ID_KINDS}
    assert loaded <= raw
    assert raw - loaded == dirty_new
    assert not loaded & dirty_new


def test_drivers_up_to_the_load_match_the_manifest_counts(sample):
    for t in sample.order_truth():
        counts = Counter(r[3] for r in t.rows(sample.end_date))
        expected = sample.manifest["stores"][t.store_id]["stats"]["orders_by_driver"]
        assert {d: counts.get(d, 0) for d in DRIVERS} == expected


def test_channel_driven_orders_mostly_show_their_channel_in_the_generated_journey(sample):
    """The generator's guarantee (order_truth.py): a driven order's journey holds a session of
    its channel unless it has no tracked session or no source of the channel was live."""
    rows = [r for t in sample.order_truth() for r in t.rows()]
    driven = [r for r in rows if r[3] in PAID_CHANNELS]
    with_journey = [r for r in driven if r[4] > 0]
    assert len(with_journey) > 0.95 * len(driven)  # 2 % of driven orders have no session
    assert sum(r[5] > 0 for r in with_journey) > 0.9 * len(with_journey)


def test_the_truth_is_the_worlds_and_covers_appended_days():
    """A later cutoff (what appends deliver) shows the same world: the same truth, and raw orders
    up to the later day are again exactly covered."""
    later = PARAMS["end_date"] + dt.timedelta(days=10)
    a = generate(**PARAMS, cutoff=later)
    b = generate(**PARAMS)
    rows_a = [r for t in a.order_truth() for r in t.rows()]
    assert rows_a == [r for t in b.order_truth() for r in t.rows()]
    loaded = {r[1] for t in a.order_truth() for r in t.rows(later)}
    assert len(loaded) > len({r[1] for t in b.order_truth() for r in t.rows(PARAMS["end_date"])})
    assert loaded <= raw_order_ids(a)


def test_write_artifacts_writes_the_truth_beside_the_curves(sample, tmp_path):
    write_artifacts(sample, tmp_path)
    assert (tmp_path / "true_curves.json").exists()
    rows = list(read_order_truth(tmp_path / FILE_NAME))
    assert rows == [r for t in sample.order_truth() for r in t.rows()]
    assert (tmp_path / FILE_NAME).read_text().splitlines()[0] == ",".join(COLUMNS)


def test_reading_another_file_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="not an order truth file"):
        list(read_order_truth(path))
