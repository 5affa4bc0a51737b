"""The forecast panel (overview and channel tabs) and the month projections against the API: the chart draws
the API's history + forecast rows, metric and horizon switches ask the API again, the projections' figures are
/dashboard's `projections`, and a store without a fitted forecast shows the calm empty state."""
from __future__ import annotations

import psycopg
from psycopg import sql

from pytests.browser.conftest import (
    DESKTOP,
    PageWatch,
    act,
    assert_loaded,
    goto,
    new_context,
    same_number,
    screenshot,
    sign_in_by_api,
    tid,
    value_of,
)

UNFITTED_STORE = "demo-beauty-de"  # the server's fixture fits the demo store only


def points_of(page, chart: str) -> int:
    wrapper = page.locator(f"[data-chart='{chart}']")
    assert wrapper.get_attribute("data-rendered") == "true", f"chart {chart} not rendered"
    return int(wrapper.get_attribute("data-points"))


def assert_forecast_drawn(page, api, chart: str, channel: str, metric: str, horizon: int) -> dict:
    expected = api.get("/forecast", metric=metric, channel=channel, horizon=horizon)
    assert len(expected["forecast"]) == horizon and expected["history"], expected
    panel = tid(page, "forecast-panel")
    assert panel.get_attribute("data-channel") == channel
    assert panel.get_attribute("data-metric") == metric
    assert panel.get_attribute("data-horizon") == str(horizon)
    assert points_of(page, chart) == len(expected["history"]) + len(expected["forecast"])
    model = tid(page, "forecast-model")
    assert model.get_attribute("data-model") == expected["model"]
    assert expected["model"] in model.inner_text()
    assert tid(page, "forecast-empty").count() == 0
    return expected


def test_overview_forecast_and_projections(page, api):
    goto(page, "/dashboard/overview?days=30")
    assert_loaded(page, charts=("forecast-overall", "timeline"))
    assert_forecast_drawn(page, api, "forecast-overall", "overall", "revenue", 30)

    projections = api.get("/dashboard", days=30)["projections"]
    assert projections is not None, "the fixture fitted the demo store: /dashboard must carry projections"
    overall = projections["channels"]["overall"]
    figures = {
        "projection-revenue": overall["revenue"]["projected"],
        "projection-revenue-mtd": overall["revenue"]["month_to_date"],
        "projection-spend": overall["cost"]["projected"],
        "projection-spend-mtd": overall["cost"]["month_to_date"],
        "projection-budget": overall["cost"]["budget"],
        "projection-previous-month": overall["revenue"]["previous_month"],
    }
    table = tid(page, "projections")
    for test_id, expected in figures.items():
        shown = value_of(tid(table, test_id))
        assert same_number(shown, expected, cents=True), f"{test_id}: page {shown}, API {expected}"
    if overall["cost"]["budget"]:
        utilization = value_of(tid(table, "projection-utilization"))
        assert same_number(utilization, overall["cost"]["projected_utilization_pct"])
        assert tid(table, "projection-pacing").get_attribute("data-pacing") == overall["cost"]["pacing"]
    # the projection does not move with the window (it is the month of the last data day)
    other = api.get("/dashboard", days=7)["projections"]["channels"]["overall"]
    assert other["revenue"]["projected"] == overall["revenue"]["projected"]
    screenshot(page, "forecast-overview")


def test_channel_tab_forecast_follows_metric_and_horizon(page, api):
    goto(page, "/dashboard/channels/ads?days=30")
    assert_loaded(page, charts=("forecast", "channels"))
    first = assert_forecast_drawn(page, api, "forecast", "ads", "revenue", 30)

    act(page, lambda: tid(page, "forecast-metric").select_option("cost"))
    assert_loaded(page, charts=("forecast",))
    cost = assert_forecast_drawn(page, api, "forecast", "ads", "cost", 30)
    assert cost["history"] != first["history"], "cost and revenue histories of ads should differ"

    act(page, lambda: tid(page, "forecast-horizon").select_option("90"))
    assert_loaded(page, charts=("forecast",))
    assert_forecast_drawn(page, api, "forecast", "ads", "cost", 90)
    screenshot(page, "forecast-channel-ads")

    # another tab keeps the chosen metric and horizon and asks for its own channel
    act(page, lambda: tid(page, "tab-email").click())
    assert_loaded(page, charts=("forecast",))
    assert_forecast_drawn(page, api, "forecast", "email", "cost", 90)

    act(page, lambda: tid(page, "forecast-metric").select_option("sessions"))
    assert_forecast_drawn(page, api, "forecast", "email", "sessions", 90)


def test_store_without_forecast_shows_calm_empty_state(browser, dash_server):
    from insight_service.api.web import auth

    with psycopg.connect(dash_server.conninfo) as conn:
        _, key = auth.create_key(conn, UNFITTED_STORE, "browser tests, no forecast")
        # the shared sample database may hold this store's fit from another module (the forecast API's
        # end-to-end test fits the first store): take it away, this test is about a store without one
        for table in ("forecasts", "forecast_series", "forecast_stores"):
            conn.execute(sql.SQL("delete from app.{} where store_id = %s").format(sql.Identifier(table)),
                         (UNFITTED_STORE,))
        conn.commit()
    watch = PageWatch()
    watch.allow(409, "/forecast")  # the API's "not fitted yet" answer is expected, and shown calmly
    context = new_context(browser, dash_server, DESKTOP)
    try:
        sign_in_by_api(context, key)
        page = context.new_page()
        watch.attach(page)
        goto(page, "/dashboard/overview?days=30")
        assert page.evaluate("() => document.documentElement.dataset.ready") == "true"
        empty = tid(page, "forecast-empty")
        assert empty.is_visible()
        assert empty.get_attribute("data-code") == "forecast_not_ready"
        status, payload = dash_server.api.json("GET", "/forecast", {"metric": "revenue", "channel": "overall"},
                                               headers={"Authorization": f"Bearer {key}"})
        assert status == 409 and payload["error"]["message"] in empty.inner_text()
        assert tid(page, "error-banner").count() == 0
        assert page.locator("[data-chart='forecast-overall']").count() == 0
        assert tid(page, "projections-empty").is_visible()
        assert tid(page, "projection-revenue").count() == 0
        assert_loaded(page, charts=("timeline",))
    finally:
        context.close()
    assert not watch.problems(), "\n".join(watch.problems())


def test_forecast_and_projections_fit_a_phone(phone_page, api):
    goto(phone_page, "/dashboard/overview?days=30")
    assert_loaded(phone_page, charts=("forecast-overall",))
    assert_forecast_drawn(phone_page, api, "forecast-overall", "overall", "revenue", 30)
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways at 375 px: {width} px wide"
    box = tid(phone_page, "forecast-horizon").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 375, f"horizon select off screen: {box}"
    screenshot(phone_page, "forecast-overview-375")
