"""The dbt data tests of the marts, read from their dbt properties files (models/marts/**/*.yml).

They are the one definition of the marts' grain, not-null columns, accepted values and row
rules (``no_rows_where``); :mod:`insight_service.quality.from_dbt` turns them into checkpoint
checks. The YAML is read rather than target/manifest.json: it is what dbt compiles into the
manifest (same test names and arguments), and it is there without a `dbt parse`, so
`insights validate` and the tests need no dbt run to know their suites.
"""
from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import Any

import yaml

from insight_service.paths import project_dir

MARTS_MODELS_DIR = Path("models") / "marts"


@dataclasses.dataclass(frozen=True)
class DbtTest:
    """One generic data test of a mart, as written in its properties file."""

    model: str
    test: str                        # unique | unique_combination | not_null | accepted_values | no_rows_where | ...
    column: str | None               # the column of a column-level test
    arguments: dict[str, Any]
    name: str | None = None          # the explicit `name:` of the test, if any
    severity: str = "error"          # dbt severity: error | warn
    checkpoint: str | None = None    # config.meta.checkpoint: the checkpoint's name for the check


@dataclasses.dataclass(frozen=True)
class MartTests:
    """The dbt definition of one mart: its columns and data tests."""

    model: str
    columns: tuple[str, ...]
    tests: tuple[DbtTest, ...]

    @property
    def grain(self) -> tuple[str, ...]:
        """The columns of the grain test (unique_combination, or unique on one column)."""
        for t in self.tests:
            if t.test == "unique_combination":
                return tuple(t.arguments["columns"])
        for t in self.tests:
            if t.test == "unique" and t.column:
                return (t.column,)
        return ()

    def of(self, test: str) -> list[DbtTest]:
        return [t for t in self.tests if t.test == test]

    def accepted_values(self, column: str) -> tuple[str, ...]:
        for t in self.of("accepted_values"):
            if t.column == column:
                return tuple(t.arguments["values"])
        raise KeyError(f"{self.model}.{column} has no accepted_values test")


def _parse_test(model: str, column: str | None, entry: Any, constraint: bool = False) -> DbtTest:
    if isinstance(entry, str):
        return DbtTest(model, entry, column, {})
    ((test, body),) = entry.items()
    body = body or {}
    config = body.get("config") or {}
    # dbt >= 1.10 puts a test's arguments under `arguments:`; older files put them beside `config:`
    arguments = dict(body.get("arguments") or {k: v for k, v in body.items() if k not in ("config", "name")})
    severity = str(config.get("severity", "error")).lower()
    return DbtTest(model, test, column, arguments, name=body.get("name"), severity=severity,
                   checkpoint=(config.get("meta") or {}).get("checkpoint"))


def _mart_tests(model: dict[str, Any]) -> MartTests:
    name = model["name"]
    tests: list[DbtTest] = [_parse_test(name, None, t) for t in model.get("data_tests") or []]
    columns = []
    for col in model.get("columns") or []:
        columns.append(col["name"])
        # an enforced contract's not_null constraint is the column's not-null rule
        if any(c.get("type") == "not_null" for c in col.get("constraints") or []):
            tests.append(DbtTest(name, "not_null", col["name"], {}))
        tests.extend(_parse_test(name, col["name"], t) for t in col.get("data_tests") or [])
    return MartTests(name, tuple(columns), tuple(tests))


@functools.cache
def _read(root: Path) -> dict[str, MartTests]:
    marts: dict[str, MartTests] = {}
    for path in sorted((root / MARTS_MODELS_DIR).rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in data.get("models") or []:
            marts[model["name"]] = _mart_tests(model)
    return marts


def mart_tests(root: Path | None = None) -> dict[str, MartTests]:
    """Mart name -> its dbt definition, for every model of models/marts."""
    return _read((root or project_dir()).resolve())


def accepted_values(model: str, column: str) -> tuple[str, ...]:
    """The values dbt accepts for ``model.column`` (its accepted_values test)."""
    return mart_tests()[model].accepted_values(column)
