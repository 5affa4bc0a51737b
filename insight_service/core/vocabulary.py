"""The channel and attribution-model names, read from the dbt seeds that define them.

seeds/channels.csv and seeds/attribution_models.csv are the one list of each; the warehouse
publishes them (dim_channels, the seeds' own tables) and this module gives the same names to
the service, in the seeds' order (sort_order).
"""
from __future__ import annotations

import csv
from pathlib import Path

from insight_service.paths import project_dir


def _seed_rows(name: str) -> list[dict[str, str]]:
    """The rows of seeds/<name>.csv, in sort_order."""
    path: Path = project_dir() / "seeds" / f"{name}.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return sorted(rows, key=lambda row: int(row["sort_order"]))


def _is_true(value: str) -> bool:
    # dbt loads the seed's booleans from these spellings
    return value.strip().lower() in ("true", "t", "1", "yes")


_MODEL_ROWS = _seed_rows("attribution_models")

# the marketing channels (never `overall` or `unattributed`)
CHANNELS: tuple[str, ...] = tuple(row["channel"] for row in _seed_rows("channels"))
# the rule-based attribution models dbt computes (fct_attribution_credits)
RULE_MODELS: tuple[str, ...] = tuple(row["model"] for row in _MODEL_ROWS if _is_true(row["is_rule_based"]))
# every attribution model: the rule models, then data_driven (Markov, computed by the service)
MODELS: tuple[str, ...] = tuple(row["model"] for row in _MODEL_ROWS)
