"""The page at 375 px (a phone) and by keyboard alone."""
from __future__ import annotations

from pytests.browser.conftest import (
    PHONE,
    act,
    assert_loaded,
    goto,
    path_of,
    query_of,
    screenshot,
    tid,
)
from pytests.browser.test_dashboard import CARDS, assert_cards

NAV = ("overview", "channels", "funnels", "attribution", "budget", "insights", "calendar")


def body_scroll_width(page) -> int:
    return page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


def test_main_flow_at_375_px_has_no_horizontal_scroll_and_stacked_cards(phone_page, api):
    page = phone_page
    goto(page, "/dashboard/overview?days=30")
    assert_loaded(page)
    assert body_scroll_width(page) <= PHONE["width"], "the page scrolls sideways at 375 px"
    boxes = [tid(page, f"card-{c}").bounding_box() for c in CARDS]
    assert all(b is not None for b in boxes)
    boxes.sort(key=lambda b: b["y"])
    for upper, lower in zip(boxes, boxes[1:], strict=False):
        assert lower["y"] >= upper["y"] + upper["height"] - 1, f"cards side by side at 375 px: {upper} {lower}"
    for box in boxes:
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert_cards(page, api, days=30)
    screenshot(page, "overview-375")

    act(page, lambda: tid(page, "range-7").click())
    assert query_of(page).get("days") == "7"
    assert_cards(page, api, days=7)
    act(page, lambda: tid(page, "range-30").click())

    for view in NAV[1:]:
        # the nav may sit behind a menu button on a phone: the link is reached by navigating its href
        link = tid(page, f"nav-{view}")
        if link.is_visible():
            act(page, lambda lk=link: lk.click())
        else:
            goto(page, f"/dashboard/{view}?days=30")
        assert path_of(page) == f"/dashboard/{view}"
        assert_loaded(page)
        assert body_scroll_width(page) <= PHONE["width"], f"{view} scrolls sideways at 375 px"
        screenshot(page, f"{view}-375")
    goto(page, "/dashboard/channels/ads?days=30")
    assert_loaded(page)
    assert body_scroll_width(page) <= PHONE["width"], "the channel tab scrolls sideways at 375 px"
    screenshot(page, "channel-ads-375")


def focused_test_id(page) -> str | None:
    return page.evaluate("document.activeElement && document.activeElement.getAttribute('data-testid')")


def tab_to(page, test_id: str, limit: int = 80) -> None:
    for _ in range(limit):
        if focused_test_id(page) == test_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {test_id}")


def test_keyboard_reaches_presets_and_nav_and_enter_activates(page, api):
    goto(page, "/dashboard/overview?days=30")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    reached = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.add(focused_test_id(page))
    wanted = {"range-7", "range-30", "range-90", *(f"nav-{v}" for v in NAV)}
    assert wanted <= reached, f"not reachable by Tab: {sorted(wanted - reached)}"

    tab_to(page, "range-7")
    act(page, lambda: page.keyboard.press("Enter"))
    assert query_of(page).get("days") == "7"
    assert tid(page, "range-7").get_attribute("aria-pressed") == "true"
    assert_cards(page, api, days=7)

    tab_to(page, "nav-channels")
    act(page, lambda: page.keyboard.press("Enter"))
    assert path_of(page) == "/dashboard/channels"
    assert query_of(page).get("days") == "7"
    assert_loaded(page, charts=("channels", "timeline"))
