"""Queries of the insights feature: signals from the marts, insights in ``app.marketing_insights``
(migration 002_insights.sql). Every query is parameterised and filtered on the store of the
API key; they run through :class:`insight_service.api.db.Warehouse` (pool, 503 mapping)."""
from __future__ import annotations

import uuid
from typing import Any

from psycopg import sql
from psycopg.types.json import Jsonb

from insight_service.api.db import Warehouse

STATUSES = ("active", "dismissed", "actioned")

INSIGHT_COLUMNS = sql.SQL(
    "id::text as id, store_id, signal_id, signal_type, type, category, title, description, priority, impact, "
    "suggested_action, evidence, status, generated_by, model, template_reason, created_at, updated_at, "
    "dismissed_at, actioned_at")

SEVERITY_ORDER = sql.SQL("case severity when 'high' then 0 when 'medium' then 1 else 2 end")


def top_signals(warehouse: Warehouse, store_id: str, limit: int) -> list[dict[str, Any]]:
    """The store's ``limit`` most important signals: severity, then money at stake."""
    return warehouse.fetch(sql.SQL(
        "select store_id, signal_id, signal_type, channel, source, period, period_start, period_end, metric, "
        "current_value, comparison_value, comparison_kind, change_pct, estimated_revenue_impact, severity, evidence "
        "from {m}.fct_insight_signals where store_id = %(store)s "
        "order by {severity}, estimated_revenue_impact desc nulls last, signal_id limit %(limit)s"
    ).format(m=warehouse.m, severity=SEVERITY_ORDER), {"store": store_id, "limit": limit})


def upsert(warehouse: Warehouse, store_id: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert the insights; an insight still ``active`` for the same (store, signal) is refreshed in
    place (same id and created_at, new text/figures, updated_at now) instead of duplicated."""
    if not rows:
        return []
    return warehouse.fetch(sql.SQL(
        "insert into {a}.marketing_insights as mi (store_id, signal_id, signal_type, type, category, title, "
        "description, priority, impact, suggested_action, evidence, generated_by, model, template_reason) "
        "select %(store)s, r.signal_id, r.signal_type, r.type, r.category, r.title, r.description, r.priority, "
        "r.impact, r.suggested_action, r.evidence, r.generated_by, r.model, r.template_reason "
        "from jsonb_to_recordset(%(rows)s) as r (signal_id text, signal_type text, type text, category text, "
        "title text, description text, priority text, impact numeric, suggested_action text, evidence jsonb, "
        "generated_by text, model text, template_reason text) "
        "on conflict (store_id, signal_id) where status = 'active' do update set "
        "signal_type = excluded.signal_type, type = excluded.type, category = excluded.category, "
        "title = excluded.title, description = excluded.description, priority = excluded.priority, "
        "impact = excluded.impact, suggested_action = excluded.suggested_action, evidence = excluded.evidence, "
        "generated_by = excluded.generated_by, model = excluded.model, template_reason = excluded.template_reason, "
        "updated_at = now() "
        "returning {cols}, (xmax = 0) as inserted"
    ).format(a=warehouse.a, cols=INSIGHT_COLUMNS), {"store": store_id, "rows": Jsonb(rows)})


def list_insights(warehouse: Warehouse, store_id: str, status: str | None) -> list[dict[str, Any]]:
    """The store's insights (``status`` None = every status), newest first. Read only."""
    return warehouse.fetch(sql.SQL(
        "select {cols} from {a}.marketing_insights where store_id = %(store)s "
        "and (%(status)s::text is null or status = %(status)s::text) "
        "order by created_at desc, id"
    ).format(a=warehouse.a, cols=INSIGHT_COLUMNS), {"store": store_id, "status": status})


def _uuid(insight_id: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(insight_id)
    except (ValueError, AttributeError, TypeError):
        return None


def get(warehouse: Warehouse, store_id: str, insight_id: str) -> dict[str, Any] | None:
    key = _uuid(insight_id)
    if key is None:
        return None
    return warehouse.one(sql.SQL(
        "select {cols} from {a}.marketing_insights where id = %(id)s and store_id = %(store)s"
    ).format(a=warehouse.a, cols=INSIGHT_COLUMNS), {"id": key, "store": store_id})


def transition(warehouse: Warehouse, store_id: str, insight_id: str, to: str) -> dict[str, Any] | None:
    """active -> ``to`` (dismissed | actioned), stamping dismissed_at / actioned_at. None when the
    store has no *active* insight with this id (the caller tells unknown from already-moved)."""
    key = _uuid(insight_id)
    if key is None:
        return None
    return warehouse.one(sql.SQL(
        "update {a}.marketing_insights set status = %(to)s::text, updated_at = now(), "
        "dismissed_at = case when %(to)s::text = 'dismissed' then now() else dismissed_at end, "
        "actioned_at = case when %(to)s::text = 'actioned' then now() else actioned_at end "
        "where id = %(id)s and store_id = %(store)s and status = 'active' "
        "returning {cols}"
    ).format(a=warehouse.a, cols=INSIGHT_COLUMNS), {"id": key, "store": store_id, "to": to})
