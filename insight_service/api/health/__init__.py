"""``GET /healthz`` (also at the root path ``/healthz``): the marts build, the source freshness and
the last pipeline run; anonymous, 503 when the warehouse or the marts are not there."""
from flask import Blueprint

bp = Blueprint("health", __name__)

from insight_service.api.health import routes  # noqa: E402,F401  (registers the views on bp)
