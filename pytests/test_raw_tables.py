"""The raw-table list is written once in Python (insight_service/warehouse/raw_schema.py, read from
raw_schema.sql); dbt cannot import it and keeps its own two lists, pinned here to it: the sources
(models/staging/__sources.yml) and the raw_tables() macro (macros/raw_tables.sql)."""
from __future__ import annotations

import re

import yaml

from insight_service.paths import project_dir
from insight_service.warehouse.raw_schema import RAW_TABLES, STORELESS_TABLES

MACRO = project_dir() / "macros" / "raw_tables.sql"


def _macro_entries() -> list[tuple[str, str]]:
    """(table, store_column) of every entry of raw_tables()."""
    text = MACRO.read_text(encoding="utf-8")
    body = text.split("{% macro raw_tables() %}")[1].split("{% endmacro %}")[0]
    return re.findall(r"'table': '(\w+)'.*?'store_column': (none|'\w+')", body, re.S)


def test_dbt_sources_are_the_raw_tables():
    data = yaml.safe_load((project_dir() / "models" / "staging" / "__sources.yml").read_text(encoding="utf-8"))
    tables = [t["name"] for source in data["sources"] for t in source["tables"]]
    assert sorted(tables) == sorted(RAW_TABLES)


def test_raw_tables_macro_names_the_raw_tables():
    tables = [table for table, _ in _macro_entries()]
    assert sorted(tables) == sorted(RAW_TABLES)


def test_storeless_tables_agree_with_the_macro():
    assert sorted(t for t, store_column in _macro_entries() if store_column == "none") == sorted(STORELESS_TABLES)
