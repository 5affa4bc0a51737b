"""`insights serve --workers 2` (granian): the counts of both workers add up in one scrape of /metrics
(multiprocess mode), and every log line of the server (granian's and the app's) is JSON."""
from __future__ import annotations

import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from pytests.support.server import stop_server

TOKEN = "serve-scrape-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _json_lines(path) -> list[dict]:
    lines = path.read_text().splitlines()
    # the plain lines of `insights serve` itself come before the server starts (user-facing progress)
    return [json.loads(line) for line in lines if line.startswith("{")]


def test_two_workers_add_up_in_one_scrape(fresh_db, tmp_path):
    port = _free_port()
    metrics_dir = tmp_path / "metrics"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "INSIGHTS_", "PROMETHEUS_"))}
    env.update(fresh_db.env)
    env.update({"INSIGHTS_RATE_LIMIT": "off", "INSIGHTS_CACHE_BACKEND": "memory", "INSIGHTS_METRICS_TOKEN": TOKEN,
                "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)})
    metrics_dir.mkdir()
    (metrics_dir / "counter_1.db").write_bytes(b"stale")  # an earlier server's file: removed by serve
    log_path = tmp_path / "server.log"
    with open(log_path, "w") as log_file:
        proc = subprocess.Popen([sys.executable, "-m", "insight_service.cli", "serve", "--port", str(port),
                                 "--workers", "2", "--threads", "2"], env=env, stdout=log_file,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            assert proc.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "the server did not answer"
            time.sleep(0.3)

        sent = 1  # the health check above
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            for _ in range(10):  # until both workers have answered some
                statuses = list(pool.map(lambda _: _get(f"{base}/healthz")[0], range(40)))
                assert set(statuses) == {200}
                sent += len(statuses)
                time.sleep(0.2)
                pids = {line["pid"] for line in _json_lines(log_path) if line.get("route") == "/healthz"}
                if len(pids) >= 2:
                    break
        assert len(pids) >= 2, "the requests all reached one worker"

        assert _get(f"{base}/metrics")[0] == 401
        status, body = _get(f"{base}/metrics", {"Authorization": f"Bearer {TOKEN}"})
        assert status == 200
        families = {f.name: f for f in text_string_to_metric_families(body.decode())}
        counted = sum(s.value for s in families["insights_http_requests"].samples
                      if s.name == "insights_http_requests_total" and s.labels["route"] == "/healthz"
                      and s.labels["status"] == "200")
        assert counted == sent
        assert not (metrics_dir / "counter_1.db").exists()
    finally:
        stop_server(proc)

    lines = log_path.read_text().splitlines()
    server_start = next(i for i, line in enumerate(lines) if line.startswith("{"))
    records = [json.loads(line) for line in lines[server_start:]]  # every line from the server on is JSON
    assert any(r["logger"] == "_granian" and "Spawning worker" in r["message"] for r in records)
    requests = [r for r in records if r.get("logger") == "insight_service.api.request"]
    assert len(requests) == sent  # /metrics is not logged, and granian's access log is off
    assert all(r["route"] == "/healthz" and r["status"] == 200 and r["request_id"] for r in requests)
