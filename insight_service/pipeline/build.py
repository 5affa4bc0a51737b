"""``dbt build`` for a refresh: a subprocess (dbt_runner's command line), a stable target
path (so dbt's partial parsing is reused from one refresh to the next), progress lines from
dbt's own "N of M" output, cancellation (SIGINT to dbt, which cancels its queries; every model
is its own transaction, so an aborted build leaves each model old or new) and the outcome read
from ``run_results.json``."""
from __future__ import annotations

import collections
import contextlib
import dataclasses
import json
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from insight_service.dbt_runner import dbt_command
from insight_service.paths import project_dir
from insight_service.pipeline.cancel import Cancel

PROGRESS_EVERY_S = 10.0
SLOWEST_MODELS = 5   # kept in the run's steps with their timings
SLOWEST_TESTS = 3
# dbt answers SIGINT by cancelling its open queries; escalate if it does not exit in time
INTERRUPT_GRACE_S = 30.0
TERMINATE_GRACE_S = 10.0

NODE_LINE = re.compile(r"^\s*\d\d:\d\d:\d\d\s+(\d+) of (\d+) (OK|PASS|WARN|ERROR|FAIL|SKIP|NO-OP)\b")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
FAILED_STATUSES = ("error", "fail", "runtime error")
TEST_PREFIXES = ("test.", "unit_test.")


def target_path() -> Path:
    """Where refresh's dbt writes its artifacts: $INSIGHTS_REFRESH_TARGET_PATH, else
    <$DBT_TARGET_PATH or <project>/target>/refresh. Its own folder, so that an analyst's
    `dbt ...` in the same checkout never overwrites the run_results.json a refresh reads."""
    explicit = os.environ.get("INSIGHTS_REFRESH_TARGET_PATH")
    if explicit:
        return Path(explicit).resolve()
    base = os.environ.get("DBT_TARGET_PATH")
    return (Path(base).resolve() if base else project_dir() / "target") / "refresh"


@dataclasses.dataclass
class BuildResult:
    returncode: int
    elapsed_s: float
    invocation_id: str | None = None
    counts: dict[str, int] = dataclasses.field(default_factory=dict)   # status -> nodes
    failures: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    rows_written: int = 0
    slowest: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    models: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)  # name -> status, rows
    full_refresh: bool = False
    test_failures: int = 0       # data and unit tests that failed or errored
    test_warnings: int = 0       # tests at severity warn that found rows
    interrupted: str | None = None
    output_tail: list[str] = dataclasses.field(default_factory=list)

    @property
    def success(self) -> bool:
        return self.returncode == 0 and not self.failures and not self.interrupted

    @property
    def error(self) -> str | None:
        """One line saying why the build failed (None when it passed)."""
        if self.success:
            return None
        if self.interrupted:
            return f"dbt build interrupted ({self.interrupted})"
        if self.failures:
            shown = "; ".join(f"{f['node']}: {f['message']}" if f.get("message") else f["node"]
                              for f in self.failures[:3])
            more = f" and {len(self.failures) - 3} more" if len(self.failures) > 3 else ""
            skipped = self.counts.get("skipped", 0)
            return (f"dbt build: {len(self.failures)} node{'s' if len(self.failures) != 1 else ''} failed "
                    f"({shown}{more})" + (f", {skipped} skipped" if skipped else ""))
        last = next((line for line in reversed(self.output_tail) if line.strip()), "")
        return f"dbt build exited {self.returncode}" + (f": {last.strip()[:300]}" if last else "")

    def details(self) -> dict[str, Any]:
        return {"invocation_id": self.invocation_id, "returncode": self.returncode,
                "elapsed_s": round(self.elapsed_s, 1), "full_refresh": self.full_refresh,
                "nodes": self.counts, "rows_written": self.rows_written, "slowest_nodes": self.slowest,
                "test_failures": self.test_failures, "test_warnings": self.test_warnings,
                "failures": self.failures[:20], **({"interrupted": self.interrupted} if self.interrupted else {})}


def node_name(unique_id: str) -> str:
    """``model.project.fct_x`` -> ``model fct_x``; ``test.project.not_null_x.ab12`` -> ``test not_null_x``."""
    parts = unique_id.split(".")
    if len(parts) >= 3:
        kind = parts[0]
        name = parts[2]
        return f"{kind} {name}"
    return unique_id


def parse_run_results(data: dict[str, Any]) -> dict[str, Any]:
    """The facts a refresh keeps from run_results.json (pure; see BuildResult)."""
    results = data.get("results") or []
    counts: dict[str, int] = collections.Counter(str(r.get("status")) for r in results)
    failures = []
    rows = 0
    models: dict[str, dict[str, Any]] = {}
    timed = []
    test_failures = test_warnings = 0
    for r in results:
        uid = str(r.get("unique_id", ""))
        status = str(r.get("status"))
        affected = (r.get("adapter_response") or {}).get("rows_affected")
        affected = int(affected) if isinstance(affected, (int, float)) and affected > 0 else 0
        if uid.startswith("model."):
            rows += affected
            models[uid.split(".")[-1]] = {"status": status, "rows": affected}
        if uid.startswith(TEST_PREFIXES):
            # the run's metrics (pipeline/metrics.py) export these counts
            test_failures += status in FAILED_STATUSES
            test_warnings += status == "warn"
        if status in FAILED_STATUSES:
            message = " ".join(str(r.get("message") or "").split())[:300]
            failures.append({"node": node_name(uid), "status": status, "message": message})
        timed.append({"node": node_name(uid), "seconds": round(float(r.get("execution_time") or 0.0), 2),
                      **({"rows": affected} if uid.startswith("model.") else {})})
    timed.sort(key=lambda t: t["seconds"], reverse=True)
    slow_models = [t for t in timed if t["node"].startswith("model ")][:SLOWEST_MODELS]
    slow_tests = [t for t in timed if t["node"].startswith(("test ", "unit_test "))][:SLOWEST_TESTS]
    args = data.get("args") or {}
    return {
        "invocation_id": (data.get("metadata") or {}).get("invocation_id"),
        "counts": dict(sorted(counts.items())),
        "failures": failures,
        "rows_written": rows,
        "slowest": slow_models + slow_tests,
        "models": models,
        "full_refresh": bool(args.get("full_refresh")),
        "test_failures": test_failures,
        "test_warnings": test_warnings,
    }


def manifest_nodes(target: Path, *resource_types: str) -> list[dict[str, Any]]:
    """The nodes of these resource types (default: models) in the manifest.json of the last build, read
    once (empty if absent)."""
    try:
        nodes = json.loads((target / "manifest.json").read_text(encoding="utf-8")).get("nodes") or {}
    except (OSError, ValueError):
        return []
    return [node for node in nodes.values() if node.get("resource_type") in (resource_types or ("model",))]


def materializations(target: Path) -> dict[str, str]:
    """Model name -> materialization, from the manifest.json of the last build (empty if absent)."""
    return {node["name"]: str((node.get("config") or {}).get("materialized")) for node in manifest_nodes(target)}


def model_relations(target: Path, materialized: str = "incremental") -> dict[str, tuple[str, str]]:
    """Model name -> (schema, table) of the models with that materialization, from the manifest.json of
    the last build (empty if absent)."""
    return {node["name"]: (str(node.get("schema")), str(node.get("alias") or node["name"]))
            for node in manifest_nodes(target) if (node.get("config") or {}).get("materialized") == materialized}


def run_build(dbt_args: list[str], *, cancel: Cancel | None = None,
              say: Callable[[str], None] | None = None, echo: bool = False,
              target: Path | None = None) -> BuildResult:
    """Run ``dbt build <dbt_args>``; never raises for a failed build (see ``BuildResult.error``)."""
    say = say or (lambda _m: None)
    target = target or target_path()
    target.mkdir(parents=True, exist_ok=True)
    results_file = target / "run_results.json"
    results_file.unlink(missing_ok=True)  # never read a previous build's results
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_USE_COLORS": "false"}
    command = dbt_command(["build", "--target-path", str(target), *dbt_args])
    started = time.monotonic()
    tail: collections.deque[str] = collections.deque(maxlen=40)
    interrupted: list[str] = []
    # its own session: a terminal's Ctrl-C reaches only us, and we stop dbt deliberately
    proc = subprocess.Popen(command, env=env, cwd=project_dir(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, bufsize=1, start_new_session=True)
    timers: list[threading.Timer] = []

    def send(sig: int) -> None:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)

    def stop() -> None:
        interrupted.append(cancel.reason if cancel and cancel.reason else "cancelled")
        send(signal.SIGINT)
        escalation = ((INTERRUPT_GRACE_S, signal.SIGTERM), (INTERRUPT_GRACE_S + TERMINATE_GRACE_S, signal.SIGKILL))
        for delay, sig in escalation:
            timer = threading.Timer(delay, send, (sig,))
            timer.daemon = True
            timer.start()
            timers.append(timer)

    done = total = 0
    last_progress = started
    try:
        with cancel.on_cancel(stop) if cancel else contextlib.nullcontext():
            assert proc.stdout is not None
            for raw_line in proc.stdout:
                line = ANSI.sub("", raw_line.rstrip("\n"))
                tail.append(line)
                if echo:
                    say(line)
                match = NODE_LINE.match(line)
                if match:
                    done, total = done + 1, int(match.group(2))
                now = time.monotonic()
                if not echo and now - last_progress >= PROGRESS_EVERY_S:
                    last_progress = now
                    say(f"  build: {done}/{total or '?'} nodes done ({now - started:.0f}s)")
            returncode = proc.wait()
    finally:
        for timer in timers:
            timer.cancel()
        if proc.poll() is None:  # an exception in this process: never leave dbt running
            send(signal.SIGKILL)
            proc.wait()
    result = BuildResult(returncode=returncode, elapsed_s=time.monotonic() - started,
                         interrupted=interrupted[0] if interrupted else None, output_tail=list(tail))
    if results_file.exists():
        try:
            facts = parse_run_results(json.loads(results_file.read_text(encoding="utf-8")))
        except ValueError:
            facts = {}
        for key, value in facts.items():
            setattr(result, key, value)
    return result

