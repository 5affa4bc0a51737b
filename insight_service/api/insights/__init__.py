"""The insight endpoints: list, generate, dismiss, action. The generation and lifecycle logic is the
domain package insight_service/insights/; this package is its HTTP face."""
from flask import Blueprint

bp = Blueprint("insights", __name__)

from insight_service.api.insights import routes  # noqa: E402,F401  (registers the views on bp)
