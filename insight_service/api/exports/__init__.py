"""``GET /export/<report>.csv``: the CSV of a report, composed from the other features' services."""
from flask import Blueprint

bp = Blueprint("exports", __name__)

from insight_service.api.exports import routes  # noqa: E402,F401  (registers the views on bp)
