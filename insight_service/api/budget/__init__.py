"""``GET /budget/optimize``: the budget split that maximises predicted revenue (the optimizer
engine is insight_service/optimizer/; service.py reads the marts for it and shapes its plan).
``GET /budget/utilization``: the month's spend against budget per channel (utilization.py)."""
from flask import Blueprint

bp = Blueprint("budget", __name__)

from insight_service.api.budget import routes  # noqa: E402,F401  (registers the views on bp)
