"""Every view of the dashboard page against the API: the figures the page shows (data-value) are the
numbers the JSON API gives a script for the same range, model and store."""
from __future__ import annotations

import re
import urllib.parse

import pytest

from pytests.browser.conftest import (
    act,
    assert_loaded,
    goto,
    path_of,
    query_of,
    same_number,
    screenshot,
    tid,
    value_of,
    wait_ready,
)

MODELS = ("first_touch", "last_touch", "linear", "time_decay", "position_based", "data_driven")
CARDS = {"revenue": "revenue", "cost": "cost", "roas": "roas", "profit": "profit", "conversions": "conversions"}
RANGE = {"days": "30"}
CUSTOM = ("2025-05-01", "2025-05-31")  # inside the sample (6 months to 2025-06-30)


def channels_of(dashboard: dict) -> list[str]:
    return [c for c in dashboard["channels"] if c != "overall"]


def expected_direction(comparison: dict) -> str | None:
    if comparison["previous"] == 0 and comparison["current"] not in (None, 0):
        return "new"
    return comparison["change"]["direction"]


def assert_change(card, expected: str | None, percentage: float | None) -> None:
    change = tid(card, "change")
    if expected is None:
        return
    assert change.get_attribute("data-direction") == expected
    text = change.inner_text()
    if expected == "new":
        assert "new" in text.lower(), text
    elif percentage is not None:
        digits = re.sub(r"[^\d]", "", text)
        whole = abs(percentage)
        candidates = {str(int(whole)), str(round(whole)), f"{whole:.1f}".replace(".", ""),
                      f"{whole:.2f}".replace(".", "")}
        assert any(c in digits for c in candidates), f"change text {text!r} does not show {percentage} %"


def assert_cards(page, api, **params) -> None:
    dashboard = api.get("/dashboard", **params)
    overall = dashboard["channels"]["overall"]
    for card_name, metric in CARDS.items():
        card = tid(page, f"card-{card_name}")
        shown = value_of(tid(card, "value"))
        assert same_number(shown, overall[metric]), f"card-{card_name}: page {shown}, API {overall[metric]} {params}"
    comparisons = dashboard["vs_previous_period"]["overall"]
    for card_name in ("revenue", "cost", "profit", "roas"):
        comparison = comparisons[card_name]
        assert_change(tid(page, f"card-{card_name}"), expected_direction(comparison),
                      comparison["change"]["percentage"])
    # conversions have no comparison in /dashboard: the previous window's own figure decides
    window = dashboard["date_range"]
    previous = api.get("/dashboard", start_date=window["previous_start_date"],
                       end_date=window["previous_end_date"])["channels"]["overall"]["conversions"]
    current = overall["conversions"]
    conversions_dir = ("new" if previous == 0 and current else "up" if current > previous
                       else "down" if current < previous else "flat")
    percentage = None if previous == 0 else (current - previous) / abs(previous) * 100
    assert_change(tid(page, "card-conversions"), conversions_dir, percentage)


def test_overview_cards_equal_the_api(page, api):
    goto(page, "/dashboard/overview?days=30")
    assert_loaded(page)
    assert_cards(page, api, days=30)
    screenshot(page, "overview-desktop")


def test_range_presets_and_a_custom_range_drive_the_cards_and_the_url(page, api):
    goto(page, "/dashboard/overview?days=30")
    assert tid(page, "range-30").get_attribute("aria-pressed") == "true"
    for days in (7, 90, 30):
        act(page, lambda d=days: tid(page, f"range-{d}").click())
        assert query_of(page).get("days") == str(days), page.url
        for other in (7, 30, 90):
            assert tid(page, f"range-{other}").get_attribute("aria-pressed") == str(other == days).lower()
        assert_cards(page, api, days=days)

    tid(page, "range-start").fill(CUSTOM[0])
    tid(page, "range-end").fill(CUSTOM[1])
    act(page, lambda: tid(page, "range-apply").click())
    query = query_of(page)
    assert (query.get("start_date"), query.get("end_date")) == CUSTOM, page.url
    assert "days" not in query
    assert_cards(page, api, start_date=CUSTOM[0], end_date=CUSTOM[1])
    for preset in (7, 30, 90):
        assert tid(page, f"range-{preset}").get_attribute("aria-pressed") == "false"

    # a deep link reproduces the view
    goto(page, f"/dashboard/overview?start_date={CUSTOM[0]}&end_date={CUSTOM[1]}")
    assert tid(page, "range-start").input_value() == CUSTOM[0]
    assert_cards(page, api, start_date=CUSTOM[0], end_date=CUSTOM[1])


def assert_attribution(page, api, model: str | None) -> None:
    data = api.get("/attribution", model=model, **RANGE)
    assert same_number(value_of(tid(page, "attribution-total")), data["total_revenue"]), model
    assert same_number(value_of(tid(page, "attribution-unattributed")), data["unattributed_revenue"]), model


def test_attribution_totals_and_the_model_picker_follow_the_api(page, api):
    goto(page, "/dashboard/attribution?days=30")
    assert_loaded(page, charts=("attribution-models", "attribution-share"))
    select = tid(page, "model-select")
    options = select.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert sorted(options) == sorted(MODELS)
    default = select.input_value()
    assert default == api.get("/attribution", **RANGE)["model"], "the picker does not start at the API's default"
    assert_attribution(page, api, None)
    screenshot(page, "attribution-desktop")
    for model in [m for m in MODELS if m != default]:
        act(page, lambda m=model: select.select_option(m))
        assert query_of(page).get("model") == model, page.url
        assert select.input_value() == model
        assert_attribution(page, api, model)
        assert_loaded(page, charts=("attribution-models", "attribution-share"))


def test_channels_table_equals_the_api_and_the_export_downloads_the_apis_csv(page, api):
    goto(page, "/dashboard/channels?days=30")
    assert_loaded(page, charts=("channels", "timeline"))
    dashboard = api.get("/dashboard", **RANGE)
    channels = channels_of(dashboard)
    table = tid(page, "channels-table")
    rows = table.locator("[data-testid^='row-']")
    shown = sorted(r.get_attribute("data-testid").removeprefix("row-") for r in rows.all())
    # a totals row is the API's `overall` entry: optional, but when shown it must equal the API too
    assert [c for c in shown if c != "overall"] == sorted(channels)
    for channel in shown:
        row = tid(table, f"row-{channel}")
        for metric in ("revenue", "cost", "roas", "cpa", "conversion_rate"):
            shown = value_of(tid(row, f"cell-{metric}"))
            expected = dashboard["channels"][channel][metric]
            assert same_number(shown, expected), f"row-{channel} cell-{metric}: page {shown}, API {expected}"
    screenshot(page, "channels-desktop")

    link = tid(page, "export-channels")
    href = link.get_attribute("href")
    split = urllib.parse.urlsplit(href)
    assert split.path == "/api/marketing/analytics/export/channels.csv", href
    params = dict(urllib.parse.parse_qsl(split.query))
    assert params.get("days") == "30" or (params.get("start_date") and params.get("end_date")), href
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8") as fh:
        downloaded = fh.read()
    expected = api.text("/export/channels.csv", **params)
    got_lines, want_lines = downloaded.splitlines(), expected.splitlines()
    assert got_lines[0] == want_lines[0], "CSV header differs"
    assert got_lines[1:] == want_lines[1:], "CSV rows differ"
    assert len(got_lines) == len(channels) + 2 or len(got_lines) > 1  # header + rows
    for report in ("attribution", "timeseries", "benchmarks", "calendar"):
        other = tid(page, f"export-{report}")
        if other.count():
            assert urllib.parse.urlsplit(other.get_attribute("href")).path.endswith(f"/export/{report}.csv")


def test_every_channel_tab_shows_the_apis_roi_and_benchmark_ratings(page, api):
    goto(page, "/dashboard/channels?days=30")
    channels = channels_of(api.get("/dashboard", **RANGE))
    for i, channel in enumerate(channels):
        tab = tid(page, f"tab-{channel}")
        act(page, lambda t=tab: t.click())
        assert path_of(page) == f"/dashboard/channels/{channel}", page.url
        roi = api.get(f"/roi/{channel}", **RANGE)
        for metric in ("revenue", "cost", "roi", "roas"):
            shown = value_of(tid(page, f"roi-{metric}"))
            assert same_number(shown, roi[metric]), f"{channel} roi-{metric}: page {shown}, API {roi[metric]}"
        benchmarks = api.get(f"/benchmarks/{channel}", **RANGE)["metrics"]
        banded = tuple(f"benchmark-{m}" for m, b in benchmarks.items() if b["benchmarks"] is not None)
        for metric, expected in benchmarks.items():
            row = page.locator(f"[data-testid='benchmark-{metric}']:not([data-chart])")
            assert row.count() == 1, f"{channel}: benchmark-{metric} row missing"
            assert row.get_attribute("data-rating") == expected["rating"], f"{channel} {metric}"
        assert_loaded(page, charts=banded)
        if i == 0:
            screenshot(page, f"channel-{channel}-desktop")


def test_funnels_equal_the_api(page, api):
    goto(page, "/dashboard/funnels?days=30")
    funnel = api.get("/funnel", **RANGE)
    names = list(funnel["channels"])
    assert "overall" in names
    assert_loaded(page, charts=("funnel-overall",))
    for name in names:
        block = page.locator(f"[data-testid='funnel-{name}']:not([data-chart])")
        assert block.count() == 1, f"funnel-{name} missing"
        for step in ("impressions", "clicks", "sessions", "conversions"):
            shown = value_of(tid(block, f"step-{step}"))
            expected = funnel["channels"][name][step]
            assert same_number(shown, expected), f"funnel-{name} step-{step}: page {shown}, API {expected}"
    screenshot(page, "funnels-desktop")


def test_budget_utilization_and_the_optimizer_equal_the_api(page, api):
    goto(page, "/dashboard/budget?days=30")
    assert_loaded(page, charts=("budget-utilization",))
    utilization = api.get("/budget/utilization")
    table = tid(page, "utilization-table")
    rows = table.locator("[data-testid^='util-']")
    assert sorted(r.get_attribute("data-testid") for r in rows.all()) == \
        sorted(f"util-{c['channel']}" for c in utilization["channels"])
    for expected in utilization["channels"]:
        row = tid(table, f"util-{expected['channel']}")
        for cell in ("spent", "monthly_budget"):
            shown = value_of(tid(row, f"cell-{cell}"))
            assert same_number(shown, expected[cell]), f"util-{expected['channel']} {cell}: {shown} vs {expected[cell]}"
        if expected["pacing"]:
            assert expected["pacing"].lower() in tid(row, "cell-pacing").inner_text().lower()
    screenshot(page, "budget-desktop")

    # a total near the last 30 days' paid spend, in whole currency units
    current = sum(v["cost"] for k, v in api.get("/dashboard", **RANGE)["channels"].items() if k != "overall")
    total = max(100, round(current * 1.2))
    tid(page, "optimizer-total").fill(str(total))
    tid(page, "optimizer-run").click()
    result = tid(page, "optimizer-result")
    result.locator("[data-testid^='opt-']").first.wait_for(state="visible")
    wait_ready(page)
    page.locator("[data-chart='optimizer'][data-rendered='true']").wait_for()
    plan = api.get("/budget/optimize", total_budget=total)
    shown_total = 0.0
    for channel in plan["channels"]:
        row = tid(result, f"opt-{channel['channel']}")
        shown = value_of(tid(row, "cell-recommended_budget"))
        assert same_number(shown, channel["recommended_budget"], cents=True), \
            f"opt-{channel['channel']}: page {shown}, API {channel['recommended_budget']}"
        shown_total += shown
        if channel["bound_hit"]:
            assert tid(row, "cell-bound_hit").inner_text().strip(), f"{channel['channel']} bound not shown"
        fit = channel.get("fit") or {}
        if fit.get("fallback_used") and fit.get("fallback_reason"):
            code = fit["fallback_reason"].split(":", 1)[0].strip()
            assert code.replace("_", " ") in row.inner_text().replace("_", " "), f"fit reason of {channel['channel']}"
    assert round(shown_total, 2) == pytest.approx(total, abs=0.011)
    predicted = plan["scenarios"]["recommended"]["predicted_revenue"]
    assert same_number(value_of(tid(page, "optimizer-predicted")), predicted, cents=True)
    assert_loaded(page, charts=("budget-utilization", "optimizer"))
    screenshot(page, "optimizer-desktop")


def test_dismissing_an_insight_removes_its_card_and_the_api_shows_it_dismissed(page, api):
    goto(page, "/dashboard/insights?days=30")
    if not api.get("/insights")["insights"]:
        tid(page, "insights-generate").click()  # the page's own button, as a user would
        page.locator("[data-testid='insight-card']").first.wait_for(state="visible", timeout=60_000)
        wait_ready(page)
    active = api.get("/insights")["insights"]
    assert active, "the sample gives no insights"
    cards = page.locator("[data-testid='insight-card']")
    cards.first.wait_for(state="visible")
    shown = {c.get_attribute("data-insight-id"): c for c in cards.all()}
    assert set(shown) == {i["id"] for i in active}
    for insight in active:
        card = shown[insight["id"]]
        assert card.get_attribute("data-priority") == insight["priority"]
        assert card.get_attribute("data-origin") == insight["generated_by"] == "template"
    screenshot(page, "insights-desktop")

    target = active[-1]["id"]
    card = page.locator(f"[data-testid='insight-card'][data-insight-id='{target}']")
    tid(card, "insight-dismiss").click()
    card.wait_for(state="detached")
    assert target not in {i["id"] for i in api.get("/insights")["insights"]}
    dismissed = {i["id"]: i for i in api.get("/insights", status="dismissed")["insights"]}
    assert target in dismissed and dismissed[target]["dismissed_at"]
    assert page.locator("[data-testid='insight-card']").count() == len(active) - 1


def test_calendar_lists_the_apis_items(page, api):
    goto(page, f"/dashboard/calendar?start_date={CUSTOM[0]}&end_date={CUSTOM[1]}")
    assert_loaded(page)
    items = api.get("/calendar", start_date=CUSTOM[0], end_date=CUSTOM[1])["items"]
    shown = tid(page, "calendar-list").locator("[data-testid='calendar-item']")
    if not items:
        assert tid(page, "empty-state").is_visible()
        return
    got = sorted((i.get_attribute("data-date"), i.get_attribute("data-type")) for i in shown.all())
    assert got == sorted((i["date"], i["item_type"]) for i in items)
    screenshot(page, "calendar-desktop")


VIEWS = ("overview", "channels", "funnels", "attribution", "budget", "insights", "calendar")


def test_every_view_draws_all_its_charts_through_the_nav(page, api):
    goto(page, "/dashboard/overview?days=30")
    required = {"channels": ("channels", "timeline"), "funnels": ("funnel-overall",),
                "attribution": ("attribution-models", "attribution-share"), "budget": ("budget-utilization",)}
    for view in VIEWS[1:] + ("overview",):
        act(page, lambda v=view: tid(page, f"nav-{v}").click())
        assert path_of(page) == f"/dashboard/{view}", page.url
        assert query_of(page).get("days") == "30", f"the range was lost going to {view}: {page.url}"
        drawn = assert_loaded(page, charts=required.get(view, ()))
        if view == "channels":
            dashboard = api.get("/dashboard", **RANGE)
            assert drawn["timeline"] >= len(dashboard["timeseries"]["dates"])
    # / lands on the overview when signed in
    page.goto("/")
    page.wait_for_url("**/dashboard/overview**")
    wait_ready(page)
    assert_cards(page, api, **query_of(page))


def test_a_range_without_data_shows_the_empty_state(page, api):
    goto(page, "/dashboard/overview?start_date=2020-01-01&end_date=2020-01-31")
    assert api.get("/dashboard", start_date="2020-01-01", end_date="2020-01-31")["channels"]["overall"]["revenue"] == 0
    tid(page, "empty-state").first.wait_for(state="visible")
    assert tid(page, "error-banner").count() == 0
    assert tid(page, "skeleton").count() == 0


def test_an_api_error_shows_its_message_in_the_banner(page, watch, api):
    """A total the API refuses (above its maximum; the page has no reason to know the limit) → 400 naming the
    parameter → the banner shows that message."""
    total = "2000000000000"
    watch.allow(400, "/api/marketing/analytics/budget/optimize")
    status, payload = api.json("GET", "/budget/optimize", {"total_budget": total})
    assert status == 400
    message = payload["error"]["message"]
    goto(page, "/dashboard/budget?days=30")
    tid(page, "optimizer-total").fill(total)
    tid(page, "optimizer-run").click()
    banner = tid(page, "error-banner").first
    banner.wait_for(state="visible")
    assert message in banner.inner_text(), f"banner {banner.inner_text()!r} lacks the API's message {message!r}"
    assert page.locator("[data-testid='optimizer-result'] [data-testid^='opt-']").count() == 0
