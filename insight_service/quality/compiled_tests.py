"""The SQL of the checkpoint's singular dbt tests, compiled by dbt with every row in scope.

`insights validate` runs ``dbt compile --select <the tests> --vars '{full_checks: true}'`` once
and reads each test's ``compiled_code`` from the manifest: the exact SQL `dbt test` runs (refs,
vars, the project's macros), with the incremental scoping of macros/test_scope.sql and
macros/incremental.sql (``latest_batch_only``, ``checked_*_only``) off, as ``full_checks()``
turns it off. The compile writes to its own target folder (``<dbt target>/checkpoint``), so it
never replaces the manifest of the last build (one folder per database and dbt target), and
partial parsing keeps it to a few seconds.
See DECISIONLOG.md, "Quality checkpoint: one home per invariant".
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

from insight_service.paths import project_dir
from insight_service.quality.builders import rows
from insight_service.quality.check import Check, MartSuite
from insight_service.quality.singular_tests import singular_tests

PROJECT = "marketing_insights"
FULL_CHECKS_VARS = '{"full_checks": true}'
# a whole-line SQL comment: dropped, so no comment text reaches GX's bind parser (":word")
COMMENT_LINE = re.compile(r"^\s*--.*$", re.MULTILINE)


def _target_dir() -> Path:
    # one folder per warehouse and dbt target: two validates of different databases never read
    # each other's manifest (its relations name the database)
    base = os.environ.get("DBT_TARGET_PATH")
    key = f"{os.environ.get('PGDATABASE', 'marketing')}-{os.environ.get('DBT_TARGET', 'warehouse')}"
    return (Path(base) if base else project_dir() / "target") / "checkpoint" / re.sub(r"[^\w.-]", "_", key)


def compile_tests(names: Sequence[str]) -> dict[str, str]:
    """Test name -> its compiled SQL, the marts relations written ``{m}.<mart>`` (the schema the
    checkpoint validates). Raises ValueError when dbt cannot compile them."""
    from insight_service.dbt_runner import run_dbt

    if not names:
        return {}
    target = _target_dir()
    try:
        run_dbt(["compile", "--quiet", "--select", *names, "--vars", FULL_CHECKS_VARS,
                 "--target-path", str(target)], capture=True)
    except subprocess.CalledProcessError as exc:
        tail = "\n".join(((exc.stdout or "") + (exc.stderr or "")).strip().splitlines()[-5:])
        raise ValueError(f"dbt compile of the checkpoint's singular tests failed:\n{tail}") from exc
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    nodes = manifest["nodes"]
    # "<database>"."<marts schema>". -> {m}.  (dbt's marts schema, read from a mart's node)
    marts = [n for n in nodes.values() if n["resource_type"] == "model" and "/marts/" in "/" + n["path"]]
    prefixes = {f'"{n["database"]}"."{n["schema"]}".' for n in marts}
    compiled = {}
    for name in names:
        code = nodes[f"test.{PROJECT}.{name}"]["compiled_code"]
        for prefix in prefixes:
            code = code.replace(prefix, "{m}.")
        compiled[name] = COMMENT_LINE.sub("", code).strip()
    return compiled


def _as_rows_check(check: Check, sql: str, order_by: str | None) -> Check:
    # the test's rows, read as a subquery (it may start with WITH); worst first when it says how
    body = f"select * from (\n{sql}\n) as offenders" + (f" order by {order_by}" if order_by else "")
    return dataclasses.replace(rows(check.name, check.description, body, severity=check.severity),
                               dbt_test=check.dbt_test)


def with_compiled_tests(suites: Sequence[MartSuite]) -> list[MartSuite]:
    """``suites`` with the queries of their singular-test checks compiled (one dbt compile)."""
    wanted = sorted({c.dbt_test for s in suites for c in s.checks if c.dbt_test})
    if not wanted:
        return list(suites)
    compiled = compile_tests(wanted)
    order_by = {t.name: t.order_by for t in singular_tests()}
    return [dataclasses.replace(s, checks=tuple(
        _as_rows_check(c, compiled[c.dbt_test], order_by.get(c.dbt_test)) if c.dbt_test else c
        for c in s.checks)) for s in suites]
