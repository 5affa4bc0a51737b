"""Sign-in, sign-out and a wrong key through the page; the session cookie's flags; the page's security
headers (CSP) and the static files."""
from __future__ import annotations

import json
import re
import time

from pytests.browser.conftest import BASE, CSP, goto, path_of, screenshot, tid, wait_ready

WRONG_KEY = "mk_000000000000_notarealsecretnotarealsecret0000"


def test_sign_in_with_the_key_sets_an_httponly_strict_cookie_and_keeps_no_key(anon_page, watch, api):
    page = anon_page
    watch.allow(401, f"{BASE}/session")  # the page asks whether it is signed in before it is
    page.goto("/")
    page.wait_for_url("**/signin")
    assert tid(page, "signin-key").get_attribute("type") == "password"
    screenshot(page, "signin-desktop")
    tid(page, "signin-key").press_sequentially(api.key, delay=2)
    tid(page, "signin-submit").click()
    page.wait_for_url("**/dashboard/overview**")
    wait_ready(page)

    storage = page.evaluate("JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
    secret = api.key.split("_", 2)[2]  # mk_<key_id>_<secret>: the secret itself may hold "_"
    assert api.key not in storage and secret not in storage, "the key is kept in web storage"
    assert secret not in page.url
    assert "insights_session" not in page.evaluate("document.cookie"), "the session cookie is readable by scripts"
    history = page.evaluate("JSON.stringify(history.state)") or ""
    assert secret not in history

    cookies = {c["name"]: c for c in page.context.cookies()}
    assert "insights_session" in cookies, f"no session cookie: {sorted(cookies)}"
    session = cookies["insights_session"]
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Strict"
    assert session["path"] == "/"
    assert secret not in session["value"]

    store = api.get("/store")
    assert tid(page, "store-name").inner_text().strip() == store["name"]
    assert tid(page, "data-as-of").inner_text().strip(), "no 'data as of' text"
    assert tid(page, "dq-badge").get_attribute("data-status") in ("ok", "warn", "error")


def test_a_wrong_key_shows_the_apis_message(anon_page, watch, api):
    page = anon_page
    watch.allow(401, f"{BASE}/session")
    status, payload = api.json("POST", "/session", headers={"Authorization": None, "Content-Type": "application/json"},
                               body=json.dumps({"api_key": WRONG_KEY}).encode())
    assert status == 401 and payload["success"] is False
    message = payload["error"]["message"]

    page.goto("/signin")
    tid(page, "signin-key").fill(WRONG_KEY)
    tid(page, "signin-submit").click()
    error = tid(page, "signin-error")
    error.wait_for(state="visible")
    assert message in error.inner_text(), f"expected the API's message {message!r}, got {error.inner_text()!r}"
    assert path_of(page) == "/signin"
    assert tid(page, "signin-form").is_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "insights_session"]
    screenshot(page, "signin-error-desktop")


def session_status(api, cookie: str) -> tuple[int, dict]:
    """GET /session with only the cookie (no Bearer key), as the browser sends it."""
    return api.json("GET", "/session", headers={"Authorization": None, "Cookie": f"insights_session={cookie}"})


def sign_out(page, watch) -> str:
    """Sign out through the header button; returns the cookie the browser held before."""
    watch.allow(401, f"{BASE}/session")  # after sign-out the page may ask again
    goto(page, "/dashboard/overview?days=30")
    cookie = next(c for c in page.context.cookies() if c["name"] == "insights_session")["value"]
    tid(page, "signout").click()
    page.wait_for_url("**/signin**")
    tid(page, "signin-form").wait_for(state="visible")
    return cookie


def test_sign_out_returns_to_sign_in_and_clears_the_cookie(page, watch, api):
    cookie = sign_out(page, watch)
    assert not [c for c in page.context.cookies() if c["name"] == "insights_session"], "cookie not cleared"
    page.goto("/dashboard/overview")
    page.wait_for_url("**/signin**")
    assert cookie


def test_the_cookie_of_a_signed_out_session_is_refused(page, watch, api):
    """A copy of the cookie taken before sign-out (another tab, a stolen copy) must not outlive it."""
    goto(page, "/dashboard/overview?days=30")
    held = next(c for c in page.context.cookies() if c["name"] == "insights_session")["value"]
    assert session_status(api, held)[0] == 200, "the cookie should work before sign-out"
    cookie = sign_out(page, watch)
    assert cookie == held
    # the worker that signed it out refuses it at once; the other gunicorn worker may have verified it
    # within INSIGHTS_KEY_CACHE_S (5 s) and keeps it that long (documented: api/web/keycache.py). Past
    # that, every worker refuses it
    time.sleep(5 + 1)
    answers = [session_status(api, cookie) for _ in range(6)]
    assert [status for status, _ in answers] == [401] * 6, f"the old session cookie still works: {answers}"


def test_page_has_the_strict_csp_and_security_headers(anon_page, watch, api):
    page = anon_page
    watch.allow(401, f"{BASE}/session")
    for path in ("/", "/signin", "/dashboard", "/dashboard/channels/ads"):
        status, headers, body = api.request("GET", path, headers={"Authorization": None})
        headers = {k.lower(): v for k, v in headers.items()}
        assert status == 200, f"{path} -> {status}"
        assert headers["content-type"].startswith("text/html")
        assert headers.get("content-security-policy") == CSP, f"{path}: {headers.get('content-security-policy')}"
        assert headers.get("x-frame-options") == "DENY"
        assert headers.get("referrer-policy") == "no-referrer"
        assert "no-cache" in headers.get("cache-control", "")
        html = body.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline script in {path}"
        assert "<style" not in html and " style=" not in html, f"inline style in {path}"

    response = page.goto("/signin")
    assert response.headers.get("content-security-policy") == CSP
    tid(page, "signin-form").wait_for(state="visible")
    asset = page.evaluate("[...document.querySelectorAll('script[src]')].map(s => s.getAttribute('src'))")
    assert asset and asset[0].startswith("/assets/"), asset
    status, headers, _ = api.request("GET", asset[0], headers={"Authorization": None})
    headers = {k.lower(): v for k, v in headers.items()}
    assert status == 200 and "immutable" in headers.get("cache-control", "")
    status, _, body = api.request("GET", "/assets/no-such-file.js", headers={"Authorization": None})
    assert status == 404 and json.loads(body)["success"] is False
