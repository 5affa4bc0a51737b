"""Data quality for the dashboard: ``GET <base>/data-quality``, the key's store's quarantine
(marts ``data_quality_issues`` and ``data_quality_summary``; the marts only). The source
freshness that ``/healthz`` reports is the health feature's.

Store scope: a quarantined row is shown to the store in its ``store_id`` column. Rows of the
raw tables that carry no store (``influencers`` — a directory shared by every store —,
``influencer_outreach``, ``influencer_deliveries``) have ``store_id`` null and are not shown
to any store: attributing them through their parent (campaign / contract) would mean reading
staging or raw, which the service never does, and the parent reference may itself be the bad
value. They are listed in ``excluded_tables`` and reported by ``insights validate``.
"""
from flask import Blueprint

bp = Blueprint("data_quality", __name__)

from insight_service.api.data_quality import routes  # noqa: E402,F401  (registers the views on bp)
