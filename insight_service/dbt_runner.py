"""Run dbt as a subprocess against the resolved warehouse (one process per run: dbt's
programmatic runner is not safe to call concurrently in one process)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from insight_service.paths import project_dir


def dbt_executable() -> str:
    # prefer the dbt installed beside this Python (the project's venv)
    candidate = Path(sys.executable).parent / "dbt"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("dbt")
    if not found:
        raise RuntimeError("dbt is not installed in this environment (pip install -e .)")
    return found


def dbt_command(args: list[str]) -> list[str]:
    proj = project_dir()
    return [dbt_executable(), *args, "--project-dir", str(proj), "--profiles-dir", str(proj / "profiles")]


def run_dbt(args: list[str], *, env: dict[str, str] | None = None,
            capture: bool = False) -> subprocess.CompletedProcess:
    """Run `dbt <args>` with the project's profiles; raises CalledProcessError on failure."""
    full_env = {**os.environ, **(env or {})}
    full_env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    return subprocess.run(
        dbt_command(args), env=full_env, cwd=project_dir(), check=True,
        text=True, capture_output=capture,
    )
