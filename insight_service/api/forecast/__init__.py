"""``GET /forecast``: a store's stored daily forecast of one metric and channel with its intervals (fitted
by the refresh, insight_service/forecast/; this feature only reads app.forecasts and the marts)."""
from flask import Blueprint

bp = Blueprint("forecast", __name__)

from insight_service.api.forecast import routes  # noqa: E402,F401  (registers the views on bp)
