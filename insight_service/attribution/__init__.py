"""Attribution models computed by the insight service (the ``data_driven`` Markov model).

The public API is ``insight_service.attribution.markov.__all__``, re-exported here.
"""

from insight_service.attribution import markov
from insight_service.attribution.markov import *  # noqa: F403

__all__ = markov.__all__
