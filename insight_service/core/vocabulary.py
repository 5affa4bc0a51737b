"""The names the service shares with the marts: marketing channels and attribution models.

Placeholder with today's values; the real module reads them from the dbt seeds.
"""
from __future__ import annotations

CHANNELS: tuple[str, ...] = ("seo", "influencer", "social", "ads", "email", "referral", "direct")
RULE_MODELS: tuple[str, ...] = ("first_touch", "last_touch", "linear", "time_decay", "position_based")
MODELS: tuple[str, ...] = (*RULE_MODELS, "data_driven")
