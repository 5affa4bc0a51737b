"""``GET /funnel``: impressions -> clicks -> sessions -> conversions per channel and overall, with step rates."""
from flask import Blueprint

bp = Blueprint("funnel", __name__)

from insight_service.api.funnel import routes  # noqa: E402,F401  (registers the views on bp)
