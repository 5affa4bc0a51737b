"""Custom GX expectation of the marts suites (imported only when GX runs)."""
from __future__ import annotations

from typing import Any, ClassVar

from great_expectations.constants import MAX_RESULT_RECORDS
from great_expectations.expectations import UnexpectedRowsExpectation


class ExpectNoOffendingRows(UnexpectedRowsExpectation):
    """An ``UnexpectedRowsExpectation`` (SQL over ``{batch}`` that lists offending rows) that runs
    its query once.

    The stock expectation resolves two metrics, the rows (first 200) and ``COUNT(*)`` over the
    same query, so every reconciliation query runs twice. Here success and the observed count
    come from the fetched rows alone: ``observed_value`` is exact up to 200 rows and means
    "200 or more" at 200. The first rows are kept in ``details.unexpected_rows``.
    """

    metric_dependencies: ClassVar[tuple[str, ...]] = ("unexpected_rows_query.table",)

    def _validate(self, metrics: dict, runtime_configuration: dict | None = None,
                  execution_engine: Any = None) -> dict:
        rows = metrics["unexpected_rows_query.table"] or []
        count = len(rows)
        return {
            "success": count == 0,
            "result": {
                "observed_value": count,
                "details": {"unexpected_rows": [dict(r) for r in rows[:5]],
                            "truncated": count >= MAX_RESULT_RECORDS},
            },
        }
