"""Data quality of the marts: Great Expectations suites (``suites``: the checks the marts' dbt
tests define, read by ``dbt_tests`` and turned into checks by ``from_dbt``, plus hand-written
checks built with ``builders``), one checkpoint (``gx_runner``), `dbt source freshness`
(``freshness``) and the `insights validate` command (``cli``). Importing this package does not
import Great Expectations (slow); running does."""
from __future__ import annotations

from typing import Any

__all__ = ["validate_marts", "ValidationReport"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from insight_service.quality import validate

        return getattr(validate, name)
    raise AttributeError(name)
