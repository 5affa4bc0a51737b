"""SQL of the budget optimizer: each channel's daily cost and revenue, and the curves the refresh
stored. Both live with the refresh's fit (pipeline/budget_curves.py), which reads and writes the
same rows; they are re-exported here for the feature."""
from __future__ import annotations

from insight_service.pipeline.budget_curves import NOT_CHANNELS, history_query, stored_curves_query

__all__ = ["NOT_CHANNELS", "history_query", "stored_curves_query"]
