"""dbt hygiene, read from target/manifest.json after `dbt parse` (no database, no build):

- every model and every column its YAML declares has a description;
- every raw source table and every one of its columns is declared with a description and the
  type of insight_service/warehouse/raw_schema.sql (the contract's columns: raw_sources.md);
- every model has a grain test (`unique` on a column or the project's `unique_combination`);
- a large incremental model (one whose tests are scoped with `latest_batch(...)`) scopes every
  generic test, so that an incremental refresh never tests the whole history.

That the YAML declares every column a model really builds needs the built tables: see
test_contracts.py::test_every_model_column_is_documented (catalog of the built sample).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from insight_service.dbt_runner import dbt_command
from insight_service.paths import project_dir

GRAIN_TESTS = {"unique", "unique_combination"}
RAW_SCHEMA_SQL = project_dir() / "insight_service" / "warehouse" / "raw_schema.sql"


@pytest.fixture(scope="module")
def manifest() -> dict:
    with tempfile.TemporaryDirectory(prefix="dbt_hygiene_") as tmp:
        env = {
            **os.environ,
            "DBT_TARGET_PATH": str(Path(tmp) / "target"),
            "DBT_LOG_PATH": str(Path(tmp) / "logs"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        proc = subprocess.run(dbt_command(["parse"]), env=env, capture_output=True, text=True)
        assert proc.returncode == 0, f"dbt parse failed:\n{(proc.stdout + proc.stderr)[-4000:]}"
        return json.loads((Path(tmp) / "target" / "manifest.json").read_text())


def _models(manifest: dict) -> list[dict]:
    return sorted((n for n in manifest["nodes"].values() if n["resource_type"] == "model"), key=lambda n: n["name"])


def _tests_of(manifest: dict) -> dict[str, list[dict]]:
    tests: dict[str, list[dict]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test" and node.get("attached_node"):
            tests.setdefault(node["attached_node"], []).append(node)
    return tests


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def raw_schema_columns() -> dict[str, dict[str, str]]:
    """{table: {column: type}} of the raw landing tables as raw_schema.sql creates them."""
    text = re.sub(r"--[^\n]*", "", RAW_SCHEMA_SQL.read_text())
    tables: dict[str, dict[str, str]] = {}
    for table, body in re.findall(r"create table if not exists \{schema\}\.(\w+)\s*\((.*?)\);", text, re.S):
        parts, depth, current = [], 0, ""
        for ch in body:  # split on the commas outside parentheses: numeric(14,2)
            depth += ch == "("
            depth -= ch == ")"
            if ch == "," and depth == 0:
                parts.append(current)
                current = ""
            else:
                current += ch
        parts.append(current)
        columns = {}
        for part in parts:
            name, _, rest = " ".join(part.split()).partition(" ")
            columns[name] = re.split(r" (?:not null|null|default)\b", rest)[0].strip().lower()
        tables[table] = columns
    return tables


def test_raw_schema_is_read():
    tables = raw_schema_columns()
    assert len(tables) == 15
    assert tables["orders"]["subtotal"] == "numeric(14,2)"
    assert tables["web_sessions"]["bounced"] == "boolean"
    assert tables["stores"]["_loaded_at"] == "timestamptz"


def test_every_model_is_described(manifest):
    models = _models(manifest)
    assert len(models) > 50
    assert [n["name"] for n in models if _blank(n["description"])] == []


def test_every_declared_model_column_is_described(manifest):
    undocumented = [f"{n['name']}.{name}" for n in _models(manifest)
                    for name, column in n["columns"].items() if _blank(column["description"])]
    assert undocumented == []


def test_every_source_table_and_column_is_declared_and_described(manifest):
    raw = raw_schema_columns()
    sources = {s["identifier"]: s for s in manifest["sources"].values()}
    assert sorted(sources) == sorted(raw), "every raw table is a source, and nothing else"
    problems = []
    for table, columns in sorted(raw.items()):
        source = sources[table]
        if _blank(source["description"]):
            problems.append(f"{source['source_name']}.{table}: no description")
        declared = source["columns"]
        if list(declared) != list(columns):
            problems.append(f"{source['source_name']}.{table}: declares {list(declared)}, "
                            f"raw_schema.sql has {list(columns)}")
        for name, column in declared.items():
            if _blank(column["description"]):
                problems.append(f"{source['source_name']}.{table}.{name}: no description")
            if name in columns and (column.get("data_type") or "").lower() != columns[name]:
                problems.append(f"{source['source_name']}.{table}.{name}: data_type {column.get('data_type')!r}, "
                                f"raw_schema.sql {columns[name]!r}")
    assert problems == []


def test_every_model_has_a_grain_test(manifest):
    tests = _tests_of(manifest)
    without = [n["name"] for n in _models(manifest)
               if not any((t.get("test_metadata") or {}).get("name") in GRAIN_TESTS and t["config"].get("enabled", True)
                          for t in tests.get(n["unique_id"], []))]
    assert without == []


def test_large_incremental_models_scope_every_test(manifest):
    """A model some of whose tests read the last batch only is large: all its generic tests must."""
    tests = _tests_of(manifest)
    unscoped = []
    for node in _models(manifest):
        generic = [t for t in tests.get(node["unique_id"], []) if t.get("test_metadata")]
        if any(str(t["config"].get("where") or "").startswith("latest_batch(") for t in generic):
            unscoped += [t["name"] for t in generic if not t["config"].get("where")]
    assert unscoped == []


def test_hygiene_checks_catch_a_gap(manifest):
    """The checks above are not vacuous: a model stripped of its description and grain test fails them."""
    broken = json.loads(json.dumps(manifest))
    node = next(n for n in broken["nodes"].values() if n["resource_type"] == "model" and n["name"] == "int_sessions")
    node["description"] = ""
    next(iter(node["columns"].values()))["description"] = " "
    for test in broken["nodes"].values():
        if test["resource_type"] == "test" and test.get("attached_node") == node["unique_id"]:
            test["test_metadata"] = {"name": "not_null"}
    next(iter(broken["sources"].values()))["columns"].popitem()
    for check in (test_every_model_is_described, test_every_declared_model_column_is_described,
                  test_every_model_has_a_grain_test, test_every_source_table_and_column_is_declared_and_described):
        with pytest.raises(AssertionError):
            check(broken)
