"""Checkpoint checks generated from the marts' dbt data tests (:mod:`dbt_tests`), so that an
invariant dbt already asserts is written once, in dbt:

=========================  ==========================================================
dbt test                   checkpoint check
=========================  ==========================================================
unique / unique_combination ``unique_grain`` (offenders: the key and its ``copies``)
not_null (test or contract ``not_null:<column>``
constraint)
accepted_values            ``accepted_values:<column>``
no_rows_where              the test's ``config.meta.checkpoint``, else its ``name``
                           (offenders: the grain and the columns the condition reads)
=========================  ==========================================================

The checkpoint runs them on every row: a test's ``where`` (an incremental build's latest
batch) is not applied. Warn-level tests stay dbt's own (the quarantine counter: the report
prints the quarantine summary), and so do ``relationships`` (``known_stores`` is the
checkpoint's store rule). Singular tests (tests/**/*.sql) with a ``config.meta.checkpoint`` are
checks too (:mod:`insight_service.quality.singular_tests`; see DECISIONLOG.md).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from insight_service.quality.builders import in_set, keys, not_null, rows, unique
from insight_service.quality.check import Check, MartSuite
from insight_service.quality.dbt_tests import DbtTest, MartTests
from insight_service.quality.singular_tests import singular_checks


def _condition_columns(condition: str, columns: Sequence[str], grain: Sequence[str]) -> list[str]:
    words = set(re.findall(r"[a-z_][a-z0-9_]*", condition.lower()))
    return [c for c in columns if c in words and c not in grain]


def _no_rows_where(test: DbtTest, mart: MartTests) -> Check:
    condition = " ".join(str(test.arguments["condition"]).split())
    grain = mart.grain
    shown = keys([*grain, *_condition_columns(condition, mart.columns, grain)])
    name = test.checkpoint or test.name or f"no_rows_where:{condition[:40]}"
    shown_condition = condition if len(condition) <= 100 else condition[:97] + "..."
    return rows(name, f"no row where {shown_condition} (dbt test {test.name})",
                f"select {shown} from {{batch}} where {condition} order by {keys(grain)}")


def checks_from_dbt(mart: MartTests) -> list[Check]:
    """The checks of ``mart`` that its dbt data tests define, in a stable order: grain,
    not-null columns, accepted values, row rules."""
    grain = mart.grain
    out: list[Check] = [unique(grain)] if grain else []
    not_null_columns = dict.fromkeys(t.column for t in mart.of("not_null") if t.column)
    out += [not_null(c, grain) for c in not_null_columns]
    out += [in_set(t.column, [str(v) for v in t.arguments["values"]], grain)
            for t in mart.of("accepted_values") if t.column and t.severity == "error"]
    out += [_no_rows_where(t, mart) for t in mart.of("no_rows_where") if t.severity == "error"]
    return out


def mart_suite(mart: MartTests, head: Sequence[Check], tail: Sequence[Check], description: str) -> MartSuite:
    """The suite of ``mart``: the hand-written ``head`` (contract, stores), the checks of its dbt
    generic tests, the hand-written ``tail``, then the reconciliations of its singular dbt tests
    (:mod:`singular_tests`). A name written both by hand and in dbt is an error: every invariant
    has one home."""
    checks = [*head, *checks_from_dbt(mart), *tail, *singular_checks(mart.model)]
    names = [c.name for c in checks]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"{mart.model}: checks defined twice (by hand and in dbt?): {', '.join(twice)}")
    return MartSuite(mart.model, mart.grain, tuple(checks), description)
