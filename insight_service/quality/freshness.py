"""`dbt source freshness` on the raw tables (thresholds: vars freshness_warn_after_hours /
freshness_error_after_hours, models/staging/__sources.yml), parsed from its sources.json."""
from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any


@dataclasses.dataclass
class SourceFreshness:
    source: str               # <source>.<table>, e.g. web.web_sessions
    status: str               # pass | warn | error | runtime error
    max_loaded_at: str | None
    age_hours: float | None
    error: str | None = None


@dataclasses.dataclass
class FreshnessReport:
    sources: list[SourceFreshness]
    error: str | None = None   # dbt itself failed (no result file)
    elapsed_s: float = 0.0

    @property
    def errors(self) -> list[SourceFreshness]:
        return [s for s in self.sources if s.status in ("error", "runtime error")]

    @property
    def warnings(self) -> list[SourceFreshness]:
        return [s for s in self.sources if s.status == "warn"]

    @property
    def ok(self) -> bool:
        return self.error is None and not self.errors


def parse_sources_json(data: dict[str, Any]) -> list[SourceFreshness]:
    out = []
    for result in data.get("results", []):
        unique_id = str(result.get("unique_id", ""))
        parts = unique_id.split(".")
        name = ".".join(parts[-2:]) if len(parts) >= 2 else unique_id
        age = result.get("max_loaded_at_time_ago_in_s")
        out.append(SourceFreshness(
            source=name,
            status=str(result.get("status", "unknown")),
            max_loaded_at=result.get("max_loaded_at"),
            age_hours=round(float(age) / 3600.0, 2) if isinstance(age, (int, float)) else None,
            error=(str(result["error"]).splitlines()[0] if result.get("error") else None),
        ))
    return sorted(out, key=lambda s: s.source)


def run_source_freshness(extra_args: list[str] | None = None) -> FreshnessReport:
    """Run `dbt source freshness` (PG* variables already resolved) and parse its output."""
    import time

    from insight_service.dbt_runner import run_dbt

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="insights_freshness_") as tmp:
        output = Path(tmp) / "sources.json"
        failure = None
        try:
            run_dbt(["source", "freshness", "--output", str(output), *(extra_args or [])], capture=True)
        except subprocess.CalledProcessError as exc:  # exit 1 when a source is at error level
            failure = exc
        except (OSError, RuntimeError) as exc:
            return FreshnessReport([], error=f"could not run dbt: {exc}", elapsed_s=time.monotonic() - started)
        if not output.exists():
            tail = ""
            if failure is not None:
                lines = [line for line in (failure.stdout or "").splitlines() + (failure.stderr or "").splitlines()
                         if line.strip()]
                tail = re.sub(r"\x1b\[[0-9;]*m", "", lines[-1]).strip() if lines else f"exit {failure.returncode}"
            return FreshnessReport([], error=f"dbt source freshness failed: {tail or 'no sources.json'}",
                                   elapsed_s=time.monotonic() - started)
        data = json.loads(output.read_text(encoding="utf-8"))
    return FreshnessReport(parse_sources_json(data), elapsed_s=time.monotonic() - started)
