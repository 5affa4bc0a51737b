"""``GET /store``: the key's store (name, currency, timezone, industry, locale) and how fresh its data is."""
from flask import Blueprint

bp = Blueprint("store", __name__)

from insight_service.api.store import routes  # noqa: E402,F401  (registers the views on bp)
