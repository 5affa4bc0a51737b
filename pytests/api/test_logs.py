"""Structured logs: one JSON line per request (request id, route, status, duration, store and key id;
never the key or the query string), the JSON formatter, and Sentry's scrubbed error events."""
from __future__ import annotations

import gzip
import io
import json
import logging
import os
import subprocess
import sys
import textwrap
import zlib

import pytest
from werkzeug import Request, Response

from insight_service.telemetry import logs
from insight_service.telemetry.logs import JsonFormatter
from insight_service.telemetry.sentry import scrub_event
from pytests.api.conftest import BASE, base_config
from pytests.api.fixtures import STORE_A

REQUEST_LOGGER = "insight_service.api.request"


def request_lines(caplog) -> list[dict]:
    formatter = JsonFormatter()
    lines = [formatter.format(r) for r in caplog.records if r.name == REQUEST_LOGGER]
    for line in lines:
        assert "\n" not in line
    return [json.loads(line) for line in lines]


def test_one_json_line_per_request(api_a, keys, caplog):
    key = keys[STORE_A]
    key_id = key.split("_")[1]
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)
    api_a.get("/roi/ads", {"days": "7", "secret_param": "hunter2"}, headers={"X-Request-ID": "req-abc.123"})
    api_a.get("/dashboard")
    api_a.client.get(BASE + "/dashboard", headers={"X-Request-ID": "anon-1"})  # no key: 401
    lines = request_lines(caplog)
    assert len(lines) == 3
    first, second, anonymous = lines
    assert first["request_id"] == "req-abc.123"
    assert first["route"] == BASE + "/roi/<channel>" and first["method"] == "GET" and first["status"] == 200
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert first["key_id"] == key_id and first["store_id"] == STORE_A
    assert first["level"] == "INFO" and first["logger"] == REQUEST_LOGGER and first["ts"].endswith("+00:00")
    assert len(second["request_id"]) == 32  # generated when none was sent
    assert anonymous["status"] == 401 and anonymous["key_id"] is None and anonymous["request_id"] == "anon-1"
    text = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    assert key not in text and key.split("_", 2)[2] not in text
    assert "hunter2" not in text and "secret_param" not in text and "days=7" not in text


def test_formatter_keeps_extra_fields_and_exceptions():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("insight_service.test_logs")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("step %s done", "build", extra={"step": "build", "run_id": 7})
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "step build done" and first["step"] == "build" and first["run_id"] == 7
    assert second["level"] == "ERROR" and "ValueError: boom" in second["exc_info"]


def test_configure_writes_json_to_stderr_without_a_host_config():
    code = "from insight_service.telemetry import logs; import logging; logs.configure('INFO'); " \
           "logging.getLogger('insight_service.x').info('hello', extra={'k': 1}); " \
           "logging.getLogger('other.lib').info('not shown'); logging.getLogger('other.lib').warning('shown')"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    lines = [json.loads(line) for line in run.stderr.splitlines()]
    assert [(x["logger"], x["message"]) for x in lines] == [("insight_service.x", "hello"), ("other.lib", "shown")]
    assert lines[0]["k"] == 1 and run.stdout == ""
    assert logs.JsonFormatter  # the module the CLI and gunicorn use


# ---- Sentry ------------------------------------------------------------------------------------

def test_scrub_event_removes_headers_query_strings_and_keys(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-live-abcdef123456")
    event = {
        "request": {"url": "http://h/api/x?key=mk_0123456789ab_secret", "query_string": "key=1",
                    "headers": {"Authorization": "Bearer mk_0123456789ab_" + "s" * 43, "Cookie": "a=b",
                                "User-Agent": "t"}},
        "exception": {"values": [{"value": "failed with mk_0123456789ab_" + "x" * 43 + " and sk-live-abcdef123456"}]},
        "breadcrumbs": {"values": [{"message": "token mk_aaaaaaaaaaaa_" + "y" * 43}]},
    }
    text = json.dumps(scrub_event(event))
    assert "mk_0123456789ab" not in text and "mk_aaaaaaaaaaaa" not in text and "sk-live" not in text
    assert "Authorization" not in text and "Cookie" not in text and "key=1" not in text and "?" not in text
    assert "User-Agent" in text


SENTRY_APP = textwrap.dedent("""
    import json, sys
    from insight_service.api.app import create_app
    from insight_service.telemetry import sentry

    app = create_app(json.loads(sys.argv[1]))
    key, openai_key = sys.argv[2], sys.argv[3]

    @app.get("/boom")
    def boom():
        raise RuntimeError(f"forced failure with {key} and {openai_key}")

    response = app.test_client().get("/boom?token=query-secret", headers={"Authorization": f"Bearer {key}",
                                                                         "Cookie": "session=cookie-secret"})
    assert response.status_code == 500, response.status_code
    sentry.flush(10)
    app.extensions["insights"].close()
    print("done")
""")


def _decode(request: Request) -> str:
    body = request.get_data()
    encoding = request.headers.get("Content-Encoding", "")
    if encoding == "gzip":
        body = gzip.decompress(body)
    elif encoding == "deflate":
        body = zlib.decompress(body)
    elif encoding == "br":
        import brotli

        body = brotli.decompress(body)
    return body.decode("utf-8", "replace")


def test_sentry_receives_a_scrubbed_event(marts_db, keys, httpserver):
    received: list[str] = []

    def handler(request: Request) -> Response:
        received.append(_decode(request))
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/api/42/envelope/", method="POST").respond_with_handler(handler)
    key = keys[STORE_A]
    openai_key = "sk-test-should-never-leave-123456"
    env = {**os.environ, "SENTRY_DSN": f"http://publickey@127.0.0.1:{httpserver.port}/42",
           "OPENAI_API_KEY": openai_key}
    config = {k: v for k, v in base_config(marts_db).items()}
    run = subprocess.run([sys.executable, "-c", SENTRY_APP, json.dumps(config), key, openai_key], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "done" in run.stdout, run.stderr[-3000:]
    events = [e for e in received if '"type":"event"' in e.replace(" ", "") or "RuntimeError" in e]
    assert events, received
    text = "\n".join(received)
    assert "RuntimeError" in text and "forced failure" in text
    for secret in (key, key.split("_", 2)[2], openai_key, "query-secret", "cookie-secret"):
        assert secret not in text, (secret, text[max(0, text.find(secret) - 300):text.find(secret) + 100])


def test_without_a_dsn_sentry_is_never_imported(marts_db):
    code = textwrap.dedent("""
        import json, sys
        from insight_service.api.app import create_app
        app = create_app(json.loads(sys.argv[1]))
        app.test_client().get("/healthz")
        app.extensions["insights"].close()
        print("sentry_sdk" in sys.modules)
    """)
    env = {k: v for k, v in os.environ.items() if k != "SENTRY_DSN"}
    run = subprocess.run([sys.executable, "-c", code, json.dumps(base_config(marts_db))], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip() == "False"


@pytest.fixture(autouse=True)
def _no_dsn(monkeypatch):
    monkeypatch.delenv("SENTRY_DSN", raising=False)
