"""Browser tests of the dashboard page: the real app under `insights serve` (gunicorn) on a free
loopback port, against the dbt-built sample (`sample_warehouse`), driven by Playwright through
Debian's /usr/bin/chromium (never a downloaded browser).

One server and one browser per session; a fresh browser context (cookies, storage, cache) per test.
Every page a test opens is watched: console errors, uncaught exceptions, failed requests, HTTP
errors and CSP reports fail the test at teardown unless the test declared them expected.

Without chromium or Playwright the tests skip with the reason, unless INSIGHTS_REQUIRE_BROWSER=1
(CI) makes that a failure. Screenshots go to test-artifacts/screenshots/ (gitignored).
"""
from __future__ import annotations

import http.client
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

from pytests.support.server import stop_server

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
BASE = "/api/marketing/analytics"
STORE = "demo-fashion-us"
CHROMIUM = os.environ.get("INSIGHTS_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Counts the times documentElement.dataset.ready became "true" in this document: a test that starts a
# client-side load waits for the count to grow, so a "true" left over from the previous load never counts.
READY_COUNTER = """
(() => {
  window.__readyLoads = 0;
  new MutationObserver(() => {
    if (document.documentElement && document.documentElement.dataset.ready === 'true') window.__readyLoads += 1;
  }).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-ready']});
})();
"""
TIMEOUT_MS = 30_000


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (pip install -e '.[dev]')"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def browser_available() -> None:
    reason = browser_missing()
    if reason:
        if os.environ.get("INSIGHTS_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ApiError(AssertionError):
    pass


class Api:
    """The JSON API called as a script would (Bearer key), to compare the page's figures with."""

    def __init__(self, url: str, key: str):
        self.url = url
        self.key = key

    def request(self, method: str, path: str, params: dict | None = None, headers: dict | None = None,
                body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
        query = "?" + urllib.parse.urlencode(params) if params else ""
        sent = {"Authorization": f"Bearer {self.key}", **(headers or {})}
        sent = {k: v for k, v in sent.items() if v is not None}
        req = urllib.request.Request(self.url + path + query, method=method, headers=sent, data=body)
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                return resp.status, dict(resp.headers.items()), resp.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers.items()), err.read()

    def json(self, method: str, path: str, params: dict | None = None, **kwargs) -> tuple[int, dict]:
        status, _, body = self.request(method, BASE + path, params, **kwargs)
        return status, json.loads(body)

    def get(self, path: str, **params) -> dict:
        """data of a successful GET {BASE}{path}."""
        status, payload = self.json("GET", path, {k: v for k, v in params.items() if v is not None})
        if status != 200 or not payload.get("success"):
            raise ApiError(f"GET {path} {params} -> {status}: {payload}")
        return payload["data"]

    def post(self, path: str, **params) -> dict:
        status, payload = self.json("POST", path, {k: v for k, v in params.items() if v is not None})
        if status not in (200, 201, 202) or not payload.get("success"):
            raise ApiError(f"POST {path} {params} -> {status}: {payload}")
        return payload["data"]

    def text(self, path: str, **params) -> str:
        status, _, body = self.request("GET", BASE + path, params)
        if status != 200:
            raise ApiError(f"GET {path} -> {status}: {body[:300]!r}")
        return body.decode("utf-8")


@dataclass
class DashServer:
    url: str
    key: str
    database: str
    conninfo: str
    log: Path
    api: Api = field(init=False)

    def __post_init__(self):
        self.api = Api(self.url, self.key)


def wait_until_serving(port: int, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"insights serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"insights serve did not answer /healthz in {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def dash_server(browser_available, sample_warehouse) -> DashServer:
    """`insights serve` (2 gunicorn workers: a session must work on either) on the sample warehouse,
    template insights only (no LLM), no rate limit (the tests fire many requests), in-memory cache."""
    from insight_service.api.web import auth
    from insight_service.pipeline.forecasts import fit_stores
    from insight_service.warehouse.migrations import migrate

    db = sample_warehouse
    with psycopg.connect(db.conninfo) as conn:
        migrate(conn)
        conn.commit()
        _, key = auth.create_key(conn, STORE, "browser tests")
        conn.commit()
        # the sample is built with `dbt build`, not `refresh`: fit the forecasts the page draws before serving
        # (fitted later, a response cache keyed by the build would keep answering "no forecast")
        fitted = fit_stores(conn, [STORE], "marts")
        conn.commit()
        assert [r["result"] for r in fitted] == ["ok"], fitted
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="insights-browser-"))
    log = workdir / "serve.log"
    drop = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "INSIGHTS_REDIS_URL", "INSIGHTS_DATABASE_URL",
            "INSIGHTS_CACHE_BACKEND", "INSIGHTS_RATE_LIMIT_STORAGE", "SENTRY_DSN")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("PG")}
    env.update(db.env)
    env.update({"INSIGHTS_RATE_LIMIT": "off", "INSIGHTS_CACHE_BACKEND": "memory", "INSIGHTS_LOG_LEVEL": "WARNING",
                "PROMETHEUS_MULTIPROC_DIR": str(workdir / "metrics")})
    cmd = [sys.executable, "-m", "insight_service.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--workers", "2", "--threads", "4"]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_serving(port, proc, log)
        yield DashServer(url=f"http://127.0.0.1:{port}", key=key, database=db.name, conninfo=db.conninfo, log=log)
    finally:
        stop_server(proc)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def api(dash_server) -> Api:
    return dash_server.api


@pytest.fixture(scope="session")
def browser(browser_available):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


class PageWatch:
    """What went wrong on the pages of one test: console errors, uncaught exceptions, failed or
    refused requests, CSP messages. `allow(status, path_part)` declares an expected HTTP error."""

    def __init__(self):
        self.console_errors: list[str] = []
        self.csp_messages: list[str] = []
        self.page_errors: list[str] = []
        self.failed_requests: list[str] = []
        self.http_errors: list[tuple[int, str]] = []
        self.allowed: list[tuple[int, str]] = []

    def allow(self, status: int, path_part: str) -> None:
        self.allowed.append((status, path_part))

    def _is_allowed(self, status: int, url: str) -> bool:
        return any(status == s and part in url for s, part in self.allowed)

    def attach(self, page) -> None:
        def on_console(msg):
            text = msg.text
            if "Content Security Policy" in text or "Content-Security-Policy" in text:
                self.csp_messages.append(text)
            if msg.type == "error":
                self.console_errors.append(text)

        def on_response(response):
            if response.status >= 400:
                self.http_errors.append((response.status, response.url))

        def on_failed(request):
            failure = request.failure or ""
            # a superseded fetch the page cancels, or a download handed to the browser, is no failure
            if "ERR_ABORTED" in failure:
                return
            self.failed_requests.append(f"{request.method} {request.url}: {failure}")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("response", on_response)
        page.on("requestfailed", on_failed)

    def problems(self) -> list[str]:
        found = []
        unexpected_http = [(s, u) for s, u in self.http_errors if not self._is_allowed(s, u)]
        found += [f"HTTP {s} {u}" for s, u in unexpected_http]
        # Chromium logs every 4xx/5xx response as a console error: those of allowed responses are expected
        expected_console = sum(1 for s, u in self.http_errors if self._is_allowed(s, u))
        resource_errors = [e for e in self.console_errors if e.startswith("Failed to load resource")]
        other_errors = [e for e in self.console_errors if not e.startswith("Failed to load resource")]
        if len(resource_errors) > expected_console:
            found += [f"console error: {e}" for e in resource_errors]
        found += [f"console error: {e}" for e in other_errors]
        found += [f"CSP: {m}" for m in self.csp_messages]
        found += [f"uncaught exception: {e}" for e in self.page_errors]
        found += [f"request failed: {r}" for r in self.failed_requests]
        return found


def new_context(browser, server: DashServer, viewport: dict, **kwargs):
    context = browser.new_context(base_url=server.url, viewport=viewport, accept_downloads=True, **kwargs)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(script=READY_COUNTER)
    return context


@pytest.fixture()
def watch() -> PageWatch:
    return PageWatch()


def _open(browser, dash_server, watch, viewport, signed_in: bool):
    context = new_context(browser, dash_server, viewport)
    if signed_in:
        sign_in_by_api(context, dash_server.key)
    page = context.new_page()
    watch.attach(page)
    return context, page


@pytest.fixture()
def anon_page(browser, dash_server, watch):
    """A page in a fresh context without a session (desktop size)."""
    context, page = _open(browser, dash_server, watch, DESKTOP, signed_in=False)
    yield page
    context.close()
    assert not watch.problems(), "\n".join(watch.problems())


@pytest.fixture()
def page(browser, dash_server, watch):
    """A page in a fresh context holding a session of the demo store (desktop size)."""
    context, page = _open(browser, dash_server, watch, DESKTOP, signed_in=True)
    yield page
    context.close()
    assert not watch.problems(), "\n".join(watch.problems())


@pytest.fixture()
def phone_page(browser, dash_server, watch):
    """A signed-in page at 375 x 812 (a phone), touch and a phone's pixel ratio."""
    context, page = _open(browser, dash_server, watch, PHONE, signed_in=True)
    yield page
    context.close()
    assert not watch.problems(), "\n".join(watch.problems())


def sign_in_by_api(context, key: str) -> None:
    """POST /session from the context's own request client: the cookie lands in the context, as after
    a sign-in through the form (which test_signin covers)."""
    response = context.request.post(f"{BASE}/session", data={"api_key": key})
    assert response.status == 200, response.text()


# ---- helpers the tests share ----

def ready_loads(page) -> int:
    return page.evaluate("window.__readyLoads || 0")


def wait_ready(page, after: int | None = None) -> None:
    """Wait until the view's data and charts are done; with `after`, until a load finished after that count
    (a client-side load the test just started)."""
    # a function, not an expression: Playwright evals expressions in the page, which the CSP forbids
    page.wait_for_function(
        "after => (after === null || (window.__readyLoads || 0) > after)"
        " && document.documentElement.dataset.ready === 'true'", arg=after, timeout=TIMEOUT_MS)


def act(page, action) -> None:
    """Run a page action that starts a new load (click, select) and wait for that load to finish."""
    before = ready_loads(page)
    action()
    wait_ready(page, after=before)


def goto(page, path: str):
    response = page.goto(path)
    wait_ready(page)
    return response


def tid(page_or_locator, test_id: str):
    return page_or_locator.locator(f"[data-testid='{test_id}']")


def value_of(locator) -> float | None:
    """The raw number a displayed figure carries (data-value; empty = null)."""
    raw = locator.get_attribute("data-value")
    assert raw is not None, f"no data-value on {locator}"
    return None if raw == "" else float(raw)


def same_number(shown: float | None, expected: float | None, cents: bool = False) -> bool:
    if expected is None or shown is None:
        return shown is expected
    if cents:
        return round(shown, 2) == round(expected, 2)
    return abs(shown - expected) <= 1e-9 * max(1.0, abs(expected))


def query_of(page) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(page.url).query))


def path_of(page) -> str:
    return urllib.parse.urlsplit(page.url).path


def assert_loaded(page, charts: tuple[str, ...] = ()) -> dict[str, int]:
    """The view finished: no skeleton left, no error banner, every chart drawn with points; `charts` must be
    among them. Returns chart name -> data-points."""
    assert tid(page, "skeleton").count() == 0, "loading skeletons left after ready"
    banner = tid(page, "error-banner")
    assert banner.count() == 0 or not banner.first.is_visible(), f"error banner: {banner.first.inner_text()}"
    wrappers = page.locator("[data-chart]")
    drawn = {}
    for i in range(wrappers.count()):
        wrapper = wrappers.nth(i)
        name = wrapper.get_attribute("data-chart")
        assert wrapper.get_attribute("data-rendered") == "true", f"chart {name} not rendered"
        points = wrapper.get_attribute("data-points")
        assert points is not None and int(points) > 0, f"chart {name} has data-points={points!r}"
        assert wrapper.locator("canvas").count() >= 1, f"chart {name} has no canvas"
        drawn[name] = int(points)
    missing = [c for c in charts if c not in drawn]
    assert not missing, f"charts missing on {page.url}: {missing} (drawn: {sorted(drawn)})"
    return drawn


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
