"""``GET /dashboard``: channel KPIs of a window, the change vs the previous window, daily series."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from insight_service.api.dashboard import routes  # noqa: E402,F401  (registers the views on bp)
