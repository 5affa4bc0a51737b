"""``GET /metrics``: the Prometheus scrape (service metrics of every worker + the pipeline's collector),
behind the bearer token INSIGHTS_METRICS_TOKEN; 404 while the token is not set."""
from flask import Blueprint

bp = Blueprint("metrics", __name__)

from insight_service.api.metrics import routes  # noqa: E402,F401  (registers the view on bp)
