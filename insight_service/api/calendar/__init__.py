"""``GET /calendar``: the unified content calendar (articles, influencer deliveries) by date."""
from flask import Blueprint

bp = Blueprint("calendar", __name__)

from insight_service.api.calendar import routes  # noqa: E402,F401  (registers the views on bp)
