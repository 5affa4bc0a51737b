"""``GET /attribution`` (revenue credited to channels by each model, the data-driven Markov shares
included) and ``GET /roi/<channel>`` (a channel's attributed revenue against its cost)."""
from flask import Blueprint

bp = Blueprint("attribution", __name__)

from insight_service.api.attribution import routes  # noqa: E402,F401  (registers the views on bp)
