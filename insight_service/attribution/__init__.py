"""Attribution models computed by the insight service (the ``data_driven`` Markov model)."""

from insight_service.attribution.markov import (
    CONVERSION,
    NULL,
    START,
    MarkovChainError,
    MarkovResult,
    PathCount,
    markov_attribution,
    parse_path,
    round_preserving_total,
)

__all__ = [
    "CONVERSION",
    "NULL",
    "START",
    "MarkovChainError",
    "MarkovResult",
    "PathCount",
    "markov_attribution",
    "parse_path",
    "round_preserving_total",
]
