"""Locations of the dbt project and the embedded warehouse folder."""
from __future__ import annotations

import os
from pathlib import Path


def project_dir() -> Path:
    """The dbt project root: $INSIGHTS_PROJECT_DIR, else the checkout this package lives in, else cwd."""
    env = os.environ.get("INSIGHTS_PROJECT_DIR")
    if env:
        return Path(env).resolve()
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "dbt_project.yml").exists():
        return checkout
    return Path.cwd()


def warehouse_dir() -> Path:
    """Folder that holds the embedded PostgreSQL data ($INSIGHTS_WAREHOUSE_DIR, default .warehouse/)."""
    env = os.environ.get("INSIGHTS_WAREHOUSE_DIR")
    return Path(env).resolve() if env else project_dir() / ".warehouse"
