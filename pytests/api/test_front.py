"""The HTTP front of `insights serve` (granian, issue 17), against a real server: slow clients do not take the
app's threads, and over-long or broken requests get the JSON envelope (or, beyond the front's own limits, the
front's bodiless answer). Functional, not timed: the bounds are loose."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from pytests.api.conftest import BASE
from pytests.api.fixtures import STORE_A
from pytests.support.server import serving


@pytest.fixture(scope="module")
def server(marts_db):
    """`insights serve --workers 1 --threads 2` on a free port: few threads, so a stall would show."""
    with serving(marts_db.env, "--workers", "1", "--threads", "2") as port:
        yield port, marts_db.keys[STORE_A]


def _raw(port: int, payload: bytes) -> tuple[int, bytes]:
    """Send ``payload`` on a fresh connection; the status and the body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(payload)
        data = b""
        try:
            while chunk := conn.recv(65536):
                data += chunk
                head, sep, body = data.partition(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), None)
                if sep and length is not None and len(body) >= length:
                    break
        except ConnectionResetError:  # the front closed after answering (e.g. a 431 it sends itself)
            pass
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def _envelope(body: bytes, code: str) -> dict:
    parsed = json.loads(body)
    assert parsed["success"] is False and parsed["error"]["code"] == code, parsed
    return parsed


def test_slow_clients_do_not_stall_the_others(server):
    port, key = server
    slow = []
    try:
        for _ in range(20):  # half a request line each, never finished: ten times the app's 2 threads
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(f"GET {BASE}/dashboard?da".encode())
            slow.append(s)
        for _ in range(20):
            start = time.monotonic()
            request = urllib.request.Request(f"http://127.0.0.1:{port}{BASE}/dashboard",
                                             headers={"Authorization": f"Bearer {key}"})
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.status == 200 and json.load(response)["success"] is True
            assert time.monotonic() - start < 2
    finally:
        for s in slow:
            s.close()


def test_over_long_request_target_is_a_414_envelope(server):
    port, key = server
    status, body = _raw(port, f"GET {BASE}/dashboard?x={'a' * 9000} HTTP/1.1\r\nHost: t\r\n"
                              f"Authorization: Bearer {key}\r\nConnection: close\r\n\r\n".encode())
    assert status == 414
    assert _envelope(body, "uri_too_long")["error"]["details"]["limit"] == 8190


@pytest.mark.parametrize("headers", [
    "X-Big: " + "a" * 9000 + "\r\n",  # one field over 8190 bytes
    "".join(f"X-Part-{i}: {'b' * 4000}\r\n" for i in range(9)),  # 36 KB of fields, each under the field limit
])
def test_over_long_headers_are_a_431_envelope(server, headers):
    port, key = server
    status, body = _raw(port, f"GET {BASE}/dashboard HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {key}\r\n"
                              f"{headers}Connection: close\r\n\r\n".encode())
    assert status == 431
    _envelope(body, "request_header_fields_too_large")


def test_beyond_the_fronts_own_limits_it_answers_without_a_body(server):
    """Over 100 header fields, or a head over granian's 408 KiB buffer: granian's own 431, no body (documented)."""
    port, _ = server
    many = "".join(f"X-H{i}: v\r\n" for i in range(120))
    status, body = _raw(port, f"GET /livez HTTP/1.1\r\nHost: t\r\n{many}\r\n".encode())
    assert status == 431 and body == b""
    status, body = _raw(port, f"GET /livez?x={'a' * 500_000} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
    # a head past granian's buffer: its own bodiless 431 when the bytes outrun its read buffer, else the head
    # reaches the app and its 414 answers (seen both ways, by how the bytes arrive; the server may close
    # while this client still sends, which can cut the body short): a refusal, never a 5xx
    assert status in (414, 431)
    if status == 431:
        assert body == b""


def test_over_large_body_is_a_413_envelope(server):
    port, key = server
    big = b"x" * (65 * 1024)
    status, body = _raw(port, f"POST {BASE}/insights/generate HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {key}\r\n"
                              f"Content-Type: application/json\r\nContent-Length: {len(big)}\r\n"
                              "Connection: close\r\n\r\n".encode() + big)
    assert status == 413
    _envelope(body, "payload_too_large")


def test_broken_chunking_is_a_400_envelope(server):
    port, key = server
    status, body = _raw(port, f"POST {BASE}/insights/generate HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {key}\r\n"
                              "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
                              "\r\nzz\r\n{}\r\n0\r\n\r\n".encode())
    assert status == 400
    _envelope(body, "bad_request")


def test_a_request_that_is_not_http_gets_the_fronts_400(server):
    """Garbage instead of a request line never reaches the app: granian answers 400 without a body."""
    port, _ = server
    status, body = _raw(port, b"NOT HTTP AT ALL\r\n\r\n")
    assert status == 400 and body == b""


def test_a_starting_worker_drops_the_live_gauges_of_dead_workers(tmp_path):
    """granian has no child_exit hook: the files of a gone worker's live gauges are removed at the next start."""
    from insight_service.telemetry.metrics import forget_dead_workers

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    for name in (f"gauge_livesum_{gone.pid}.db", f"gauge_livemax_{gone.pid}.db", f"gauge_livesum_{os.getpid()}.db",
                 f"counter_{gone.pid}.db"):
        (tmp_path / name).write_bytes(b"")
    assert set(forget_dead_workers(str(tmp_path))) == {gone.pid}
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"counter_{gone.pid}.db", f"gauge_livesum_{os.getpid()}.db"]


@pytest.mark.parametrize("forwarded, secure", [("https", True), ("", False)])
def test_session_cookie_is_secure_behind_a_trusted_tls_proxy(server, forwarded, secure):
    """X-Forwarded-Proto from 127.0.0.1 (the default FORWARDED_ALLOW_IPS) sets the scheme, as gunicorn did."""
    port, key = server
    headers = {"Content-Type": "application/json", **({"X-Forwarded-Proto": forwarded} if forwarded else {})}
    sign_in = urllib.request.Request(f"http://127.0.0.1:{port}{BASE}/session", method="POST", headers=headers,
                                     data=json.dumps({"api_key": key}).encode())
    with urllib.request.urlopen(sign_in, timeout=10) as response:
        assert ("; Secure" in response.headers["Set-Cookie"]) is secure
