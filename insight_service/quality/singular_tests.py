"""The dbt singular tests (tests/**/*.sql) that are also checkpoint checks: the reconciliations
between marts, written once, in dbt.

A singular test becomes a check when its properties entry (a ``data_tests:`` YAML beside it)
carries ``config.meta.checkpoint``::

    data_tests:
      - name: assert_credits_reconcile_per_order_and_model
        description: per (order, model) ...            # the check's description
        config:
          meta:
            checkpoint:
              mart: fct_attribution_credits            # the suite it belongs to
              check: credits_sum_to_order_revenue      # its name in the report
              severity: critical                       # critical | warning
              order_by: ...                            # optional: worst offenders first

Any row the test returns is an offender. Its SQL is dbt's compiled code with every row in scope
(:mod:`insight_service.quality.compiled_tests`); until then the check holds only the test's name,
so the suites are built without dbt (the pure tests, `insights refresh`'s scope rule).
"""
from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import Any

import yaml

from insight_service.paths import project_dir
from insight_service.quality.check import Check

TESTS_DIR = Path("tests")
SEVERITIES = ("critical", "warning")


@dataclasses.dataclass(frozen=True)
class SingularTest:
    """One singular dbt test that the checkpoint runs as a check of ``mart``."""

    name: str             # the dbt test (tests/**/<name>.sql)
    mart: str
    check: str
    description: str
    severity: str = "critical"
    order_by: str | None = None  # SQL over the test's columns, worst first

    def as_check(self) -> Check:
        """The check, its query still to be compiled (``dbt_test`` names it)."""
        return Check(self.check, "ExpectNoOffendingRows", {"unexpected_rows_query": None},
                     f"{self.description} (dbt test {self.name})", severity=self.severity, dbt_test=self.name)


def _parse(entry: dict[str, Any], path: Path) -> SingularTest | None:
    meta = ((entry.get("config") or {}).get("meta") or {}).get("checkpoint")
    if not meta:
        return None
    severity = str(meta.get("severity", "critical"))
    if severity not in SEVERITIES:
        raise ValueError(f"{path}: {entry['name']}: checkpoint severity {severity!r} is not one of {SEVERITIES}")
    description = " ".join(str(entry.get("description") or entry["name"]).split())
    return SingularTest(entry["name"], meta["mart"], meta["check"], description, severity, meta.get("order_by"))


@functools.cache
def _read(root: Path) -> tuple[SingularTest, ...]:
    found: list[SingularTest] = []
    for path in sorted((root / TESTS_DIR).rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in data.get("data_tests") or []:
            test = _parse(entry, path)
            if test is not None:
                found.append(test)
    return tuple(found)


def singular_tests(root: Path | None = None) -> tuple[SingularTest, ...]:
    """Every singular test the checkpoint runs, in file order."""
    return _read((root or project_dir()).resolve())


def singular_checks(mart: str, root: Path | None = None) -> list[Check]:
    """The checks of ``mart`` that its singular dbt tests define (queries not yet compiled)."""
    return [t.as_check() for t in singular_tests(root) if t.mart == mart]
