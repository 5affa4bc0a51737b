"""insight_service.core.vocabulary gives the names of the seeds that define them (seeds/channels.csv,
seeds/attribution_models.csv) in their order, and they are what the built warehouse publishes
(dim_channels, the seed tables) on the generated sample (``sample_warehouse``)."""
from __future__ import annotations

import csv

from insight_service.core.vocabulary import CHANNELS, MODELS, RULE_MODELS
from insight_service.paths import project_dir


def _seed(name: str) -> list[dict[str, str]]:
    with (project_dir() / "seeds" / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return sorted(csv.DictReader(handle), key=lambda row: int(row["sort_order"]))


def test_names_are_the_seeds_in_their_order():
    assert tuple(row["channel"] for row in _seed("channels")) == CHANNELS
    assert tuple(row["model"] for row in _seed("attribution_models")) == MODELS
    assert tuple(row["model"] for row in _seed("attribution_models") if row["is_rule_based"] == "true") == RULE_MODELS


def test_the_known_names():
    # the contract's channels and models (marts.md), in the order the API lists them
    assert CHANNELS == ("seo", "influencer", "social", "ads", "email", "referral", "direct")
    assert RULE_MODELS == ("first_touch", "last_touch", "linear", "time_decay", "position_based")
    assert (*RULE_MODELS, "data_driven") == MODELS


def test_the_warehouse_publishes_the_same_names(sample_warehouse):
    channels = sample_warehouse.query("select channel from marts.dim_channels order by sort_order")
    assert tuple(row[0] for row in channels) == CHANNELS
    models = sample_warehouse.query("select model, is_rule_based from seeds.attribution_models order by sort_order")
    assert tuple(model for model, _ in models) == MODELS
    assert tuple(model for model, rule_based in models if rule_based) == RULE_MODELS
    credited = sample_warehouse.query("select distinct model from marts.fct_attribution_credits")
    assert {row[0] for row in credited} == set(RULE_MODELS)
