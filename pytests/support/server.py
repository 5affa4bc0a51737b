"""`insights serve` as a real process for tests that need the HTTP front itself (slow clients, framing)."""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

QUIET_SETTINGS = {"INSIGHTS_RATE_LIMIT": "off", "INSIGHTS_ANON_RATE_LIMIT": "off", "INSIGHTS_CACHE_BACKEND": "memory"}


def stop_server(proc: subprocess.Popen, timeout_s: float = 30) -> None:
    """SIGTERM (the server's graceful stop), then kill it when it has not exited within ``timeout_s``."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(db_env: dict[str, str], *serve_args: str, timeout_s: float = 60) -> Iterator[int]:
    """Start `insights serve --port <free> *serve_args` on the database of ``db_env`` (its PG* variables;
    the caller's PG*/INSIGHTS_* settings are not inherited), wait for /livez, yield the port, stop with SIGTERM."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "INSIGHTS_"))}
    env.update(db_env)
    env.update(QUIET_SETTINGS)
    proc = subprocess.Popen([sys.executable, "-m", "insight_service.cli", "serve", "--port", str(port), *serve_args],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=2).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.2)
        yield port
    finally:
        stop_server(proc)
