"""Lint gates of the repository, run as tests: the SQL of the dbt project passes sqlfluff (.sqlfluff at the
root: postgres, jinja templater with dbt's builtins and the project's macros; no database needed)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from insight_service.paths import project_dir

SQL_PATHS = ["models", "macros", "tests", "analyses"]


def test_sql_lint_is_clean():
    sqlfluff = Path(sys.executable).parent / "sqlfluff"
    proc = subprocess.run([str(sqlfluff), "lint", *SQL_PATHS], cwd=project_dir(), capture_output=True, text=True)
    assert proc.returncode == 0, f"sqlfluff lint {' '.join(SQL_PATHS)} found problems:\n{proc.stdout}\n{proc.stderr}"
