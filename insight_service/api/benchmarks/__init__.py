"""``GET /benchmarks/<channel>``: the channel's metrics rated against industry benchmark bands."""
from flask import Blueprint

bp = Blueprint("benchmarks", __name__)

from insight_service.api.benchmarks import routes  # noqa: E402,F401  (registers the views on bp)
