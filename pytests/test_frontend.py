"""The dashboard page's frontend (frontend/): its ESLint and Vitest suites pass, and the build committed at
insight_service/api/page/static/ is exactly what the sources build to (CI fails on a stale build).

Needs Node.js and npm; without them the tests skip, unless INSIGHTS_REQUIRE_NODE=1 (CI) makes that a failure.
One `npm ci` per session, in a temporary copy of frontend/ so a developer's node_modules is left alone."""
from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from insight_service.paths import project_dir

FRONTEND = project_dir() / "frontend"
COMMITTED_BUILD = project_dir() / "insight_service" / "api" / "page" / "static"
STALE = "the committed build is stale: run `cd frontend && npm ci && npm run build` and commit the result"


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None:
        if os.environ.get("INSIGHTS_REQUIRE_NODE") == "1":
            pytest.fail("npm is not on PATH but INSIGHTS_REQUIRE_NODE=1: install Node.js 20+ (with npm)")
        pytest.skip("npm is not on PATH (install Node.js 20+ to lint, test and build the frontend; "
                    "INSIGHTS_REQUIRE_NODE=1 makes this a failure)")
    return npm


def _run(npm: str, cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([npm, *args], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "CI": "1", "NO_COLOR": "1", **(env or {})})


@pytest.fixture(scope="session")
def frontend_copy(tmp_path_factory) -> tuple[str, Path]:
    npm = _npm()
    copy = tmp_path_factory.mktemp("frontend") / "frontend"
    shutil.copytree(FRONTEND, copy, ignore=shutil.ignore_patterns("node_modules", ".vite", "dist"))
    proc = _run(npm, copy, "ci", "--no-audit", "--no-fund", "--prefer-offline")
    assert proc.returncode == 0, f"npm ci failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return npm, copy


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_frontend_lint_is_clean(frontend_copy):
    npm, copy = frontend_copy
    proc = _run(npm, copy, "run", "lint")
    assert proc.returncode == 0, f"npm run lint (eslint) found problems:\n{proc.stdout}\n{proc.stderr}"


def test_frontend_unit_tests_pass(frontend_copy):
    npm, copy = frontend_copy
    proc = _run(npm, copy, "test")
    assert proc.returncode == 0, f"npm test (vitest) failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}"
    assert " passed" in proc.stdout


def test_committed_build_is_fresh(frontend_copy, tmp_path):
    npm, copy = frontend_copy
    out = tmp_path / "static"
    proc = _run(npm, copy, "run", "build", env={"INSIGHTS_FRONTEND_OUTDIR": str(out)})
    assert proc.returncode == 0, f"npm run build failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    built, committed = _files(out), _files(COMMITTED_BUILD)
    assert "index.html" in built and any(name.startswith("assets/") for name in built)
    assert built == committed, f"{STALE}\nbuilt: {built}\ncommitted: {committed}"
    _, mismatch, errors = filecmp.cmpfiles(out, COMMITTED_BUILD, built, shallow=False)
    assert not mismatch and not errors, f"{STALE}\ndiffering files: {mismatch + errors}"
