"""Lint gates of the repository, run as tests (so the README's test command runs them):
- the SQL of the dbt project passes sqlfluff (.sqlfluff at the root: postgres, jinja templater with
  dbt's builtins and the project's macros; no database needed);
- the Python passes ruff ([tool.ruff] in pyproject.toml);
- the package keeps its layers: no import from a lower layer to a higher one, no import between
  independent feature packages, no Flask below the service (.importlinter, lint-imports)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from insight_service.paths import project_dir

SQL_PATHS = ["models", "macros", "tests", "analyses"]
TOOLS = Path(sys.executable).parent


def _run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(TOOLS / argv[0]), *argv[1:]], cwd=project_dir(), capture_output=True, text=True)


def test_sql_lint_is_clean():
    proc = _run("sqlfluff", "lint", *SQL_PATHS)
    assert proc.returncode == 0, f"sqlfluff lint {' '.join(SQL_PATHS)} found problems:\n{proc.stdout}\n{proc.stderr}"


def test_python_lint_is_clean():
    proc = _run("ruff", "check", ".")
    assert proc.returncode == 0, f"ruff check found problems:\n{proc.stdout}\n{proc.stderr}"


def test_import_layers_hold():
    proc = _run("lint-imports", "--no-cache")
    assert proc.returncode == 0, f"lint-imports: a contract of .importlinter is broken:\n{proc.stdout}\n{proc.stderr}"
    assert "0 broken" in proc.stdout
