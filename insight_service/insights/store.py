"""Queries of the insights feature: signals from the marts, insights in ``app.marketing_insights``
(migrations 002_insights.sql, 004_insight_lifecycle.sql). Every query is parameterised and filtered on
the store of the API key; they run through :class:`insight_service.core.warehouse.Warehouse` (pool, error mapping).

Lifecycle rule (one SQL fragment, :func:`_hold`, used when ranking and again under the lock when
writing): a signal without an active insight is *held* by a dismissed or actioned insight of the same
(store, signal) when the signal's window does not start after that insight's window (the same
occurrence) or when that insight was closed less than the signal type's cooldown ago.
"""
from __future__ import annotations

import uuid
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from insight_service.core.warehouse import Warehouse
from insight_service.insights.config import LifecycleConfig
from insight_service.insights.forecast_signals import forecast_signals

STATUSES = ("active", "dismissed", "actioned")

INSIGHT_COLUMNS = sql.SQL(
    "id::text as id, store_id, signal_id, signal_type, type, category, title, description, priority, impact, "
    "suggested_action, evidence, status, generated_by, model, template_reason, created_at, updated_at, "
    "dismissed_at, actioned_at, period_start, period_end")

SEVERITY_ORDER = sql.SQL("case severity when 'high' then 0 when 'medium' then 1 else 2 end")

# Generate and the status transitions of one store run one at a time (transaction-level advisory
# lock, two-key form: its key space is apart from the pipeline's and the migrator's one-key locks).
# Without it a dismissal committed while generate is writing would not be seen by generate's insert,
# and the insert, no longer in conflict with an active row, would recreate the dismissed insight.
LIFECYCLE_LOCK_CLASS = 0x1A5C_1F7E


def _hold(a: sql.Composable, s: str) -> sql.Composed:
    """Lateral join giving, for each row of alias ``s`` (signal_id, period_start, cooldown_days), the
    closed insight that holds it back (the latest one), or nulls."""
    closed_at = sql.SQL("coalesce(c.dismissed_at, c.actioned_at)")
    s_ = sql.Identifier(s)
    same_window = sql.SQL("(c.period_start is not null and {s}.period_start <= c.period_start)").format(s=s_)
    cooling = sql.SQL("{closed} + make_interval(days => {s}.cooldown_days) > now()").format(closed=closed_at, s=s_)
    return sql.SQL(
        "left join lateral ("
        " select c.id::text as held_by, c.status as held_status, {closed} as closed_at,"
        " case when {same_window} then 'same_window' else 'cooldown' end as hold_reason,"
        " {closed} + make_interval(days => {s}.cooldown_days) as cooldown_until"
        " from {a}.marketing_insights c"
        " where c.store_id = %(store)s and c.signal_id = {s}.signal_id and c.status in ('dismissed', 'actioned')"
        " and ({same_window} or {cooling})"
        # an insight still active is refreshed whatever its signal's history
        " and not exists (select 1 from {a}.marketing_insights act where act.store_id = %(store)s"
        "   and act.signal_id = {s}.signal_id and act.status = 'active')"
        " order by {closed} desc, c.id limit 1"
        ") as hold on true"
    ).format(a=a, s=s_, closed=closed_at, same_window=same_window, cooling=cooling)


def _cooldown_params(lifecycle: LifecycleConfig) -> dict[str, Any]:
    return {"cooldowns": Jsonb(lifecycle.cooldown_days), "fallback_days": lifecycle.default_days}


# the same resolution as LifecycleConfig.cooldown_for
COOLDOWN_DAYS = sql.SQL(
    "coalesce((%(cooldowns)s::jsonb ->> (sig.signal_type || ':' || sig.period))::integer, "
    "(%(cooldowns)s::jsonb ->> sig.signal_type)::integer, %(fallback_days)s::integer)")


def ranked_signals(warehouse: Warehouse, store_id: str, lifecycle: LifecycleConfig) -> list[dict[str, Any]]:
    """Every signal of the store (the marts' and those of its stored forecast), most important first
    (severity, then money at stake), each with its cooldown and, when the lifecycle holds it back, the
    insight that does (``held_by`` ...)."""
    return warehouse.fetch(sql.SQL(
        "with sig as (select store_id, signal_id, signal_type, channel, source, period, period_start, period_end, "
        "  metric, current_value, comparison_value, comparison_kind, change_pct, estimated_revenue_impact, "
        "  severity, evidence from {m}.fct_insight_signals where store_id = %(store)s "
        "  union all select * from jsonb_to_recordset(%(forecast)s::jsonb) as f (store_id text, signal_id text, "
        "  signal_type text, channel text, source text, period text, period_start date, period_end date, "
        "  metric text, current_value numeric, comparison_value numeric, comparison_kind text, change_pct numeric, "
        "  estimated_revenue_impact numeric, severity text, evidence jsonb)), "
        "ranked as (select sig.*, {cooldown} as cooldown_days from sig) "
        "select ranked.*, hold.* from ranked {hold} "
        "order by {severity}, ranked.estimated_revenue_impact desc nulls last, ranked.signal_id"
    ).format(m=warehouse.m, cooldown=COOLDOWN_DAYS, hold=_hold(warehouse.a, "ranked"), severity=SEVERITY_ORDER),
        {"store": store_id, "forecast": Jsonb(forecast_signal_rows(warehouse, store_id)),
         **_cooldown_params(lifecycle)})


def forecast_signal_rows(warehouse: Warehouse, store_id: str) -> list[dict[str, Any]]:
    """The store's forecast signals (insights/forecast_signals.py) as JSON rows; none, without reading
    the marts, when the refresh has not fitted the store."""
    if warehouse.one(sql.SQL("select 1 as fitted from {a}.forecast_stores where store_id = %(store)s "
                             "and status = 'ok'").format(a=warehouse.a), {"store": store_id}) is None:
        return []
    row = warehouse.one(sql.SQL("select coalesce(jsonb_agg(to_jsonb(s)), '[]'::jsonb) as rows from ({}) as s")
                        .format(forecast_signals(warehouse.m, warehouse.a)), {"store": store_id})
    return row["rows"] if row else []


def lock_store(conn: psycopg.Connection, store_id: str) -> None:
    """Serialise the lifecycle writes of one store until the end of the transaction."""
    conn.execute("select pg_advisory_xact_lock(%s::integer, hashtext(%s::text))", (LIFECYCLE_LOCK_CLASS, store_id))


def save(warehouse: Warehouse, store_id: str,
         rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Write the insights under the store's lifecycle lock: ``(saved rows, held rows)``. A row whose
    signal was closed since it was ranked (a dismissal while the texts were written) is held, not
    written. Each row carries signal_id, period_start, period_end and cooldown_days besides its text."""
    if not rows:
        return [], []
    with warehouse.transaction() as conn:
        lock_store(conn, store_id)
        held = conn.execute(sql.SQL(
            "select r.signal_id, hold.* from jsonb_to_recordset(%(rows)s) as r "
            "(signal_id text, period_start date, cooldown_days integer) {hold} where hold.held_by is not null"
        ).format(hold=_hold(warehouse.a, "r")), {"store": store_id, "rows": Jsonb(rows)}).fetchall()
        held_ids = {row["signal_id"] for row in held}
        writable = [row for row in rows if row["signal_id"] not in held_ids]
        saved = upsert(conn, warehouse.a, store_id, writable) if writable else []
    return saved, held


def upsert(conn: psycopg.Connection, a: sql.Composable, store_id: str,
           rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert the insights; an insight still ``active`` for the same (store, signal) is refreshed in
    place (same id and created_at, new text/figures/window, updated_at now) instead of duplicated:
    the partial unique index on active insights is the conflict target, so two generates at once
    cannot both insert. Callers hold the store's lifecycle lock (:func:`save`)."""
    return conn.execute(sql.SQL(
        "insert into {a}.marketing_insights as mi (store_id, signal_id, signal_type, type, category, title, "
        "description, priority, impact, suggested_action, evidence, generated_by, model, template_reason, "
        "period_start, period_end) "
        "select %(store)s, r.signal_id, r.signal_type, r.type, r.category, r.title, r.description, r.priority, "
        "r.impact, r.suggested_action, r.evidence, r.generated_by, r.model, r.template_reason, "
        "r.period_start, r.period_end "
        "from jsonb_to_recordset(%(rows)s) as r (signal_id text, signal_type text, type text, category text, "
        "title text, description text, priority text, impact numeric, suggested_action text, evidence jsonb, "
        "generated_by text, model text, template_reason text, period_start date, period_end date) "
        "on conflict (store_id, signal_id) where status = 'active' do update set "
        "signal_type = excluded.signal_type, type = excluded.type, category = excluded.category, "
        "title = excluded.title, description = excluded.description, priority = excluded.priority, "
        "impact = excluded.impact, suggested_action = excluded.suggested_action, evidence = excluded.evidence, "
        "generated_by = excluded.generated_by, model = excluded.model, template_reason = excluded.template_reason, "
        "period_start = excluded.period_start, period_end = excluded.period_end, "
        "updated_at = now() "
        "returning {cols}, (xmax = 0) as inserted"
    ).format(a=a, cols=INSIGHT_COLUMNS), {"store": store_id, "rows": Jsonb(rows)}).fetchall()


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
    store has no *active* insight with this id (the caller tells unknown from already-moved). Runs
    under the store's lifecycle lock, so it never interleaves with generate's write."""
    key = _uuid(insight_id)
    if key is None:
        return None
    with warehouse.transaction() as conn:
        lock_store(conn, store_id)
        return conn.execute(sql.SQL(
            "update {a}.marketing_insights set status = %(to)s::text, updated_at = now(), "
            "dismissed_at = case when %(to)s::text = 'dismissed' then now() else dismissed_at end, "
            "actioned_at = case when %(to)s::text = 'actioned' then now() else actioned_at end "
            "where id = %(id)s and store_id = %(store)s and status = 'active' "
            "returning {cols}"
        ).format(a=warehouse.a, cols=INSIGHT_COLUMNS), {"id": key, "store": store_id, "to": to}).fetchone()
