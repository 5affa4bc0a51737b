"""``POST/GET/DELETE /session``: the dashboard page signs in with an API key and then uses a signed
session cookie (api/web/session.py); the key never reaches the browser's storage."""
from flask import Blueprint

bp = Blueprint("session", __name__)

from insight_service.api.session import routes  # noqa: E402,F401  (registers the views on bp)
