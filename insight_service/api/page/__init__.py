"""The dashboard page: its built ``index.html`` on ``/``, ``/signin`` and ``/dashboard/...`` (client-side
routes) and its hashed ``/assets/...``, from ``static/`` (the Vite build of frontend/, shipped in the
package). Outside the API area: no key, not in the OpenAPI document."""
from flask import Blueprint

bp = Blueprint("page", __name__)

from insight_service.api.page import routes  # noqa: E402,F401  (registers the views on bp)
