"""Insight generation and lifecycle, called by the insight routes (api/insights/routes.py) and the pipeline.

``generate`` reads the store's top signals from marts.fct_insight_signals, writes a text per
signal - by the LLM when it is configured and its answer for that signal is grounded, else
by the signal type's template - and upserts them into app.marketing_insights.

Lifecycle: an insight is created ``active``; ``dismiss`` and ``action`` move an active
insight to ``dismissed`` / ``actioned`` and stamp ``dismissed_at`` / ``actioned_at``; both
are final. Repeating the same transition is idempotent (unchanged, timestamps not moved); the
other transition on a moved insight is the Conflict ``invalid_transition``. An unknown id and
another store's id are the same NotFound. Regenerating refreshes the active insight of a
signal in place (same id, created_at; new text, figures, window, updated_at). A signal
without an active insight whose last insight was dismissed or actioned is held back
(``suppressed``) until it occurs in a later window *and* its type's cooldown has passed
(insights/config.py LifecycleConfig); the next signals in rank order take its place in
``limit``.
"""
from __future__ import annotations

import logging
from typing import Any

from insight_service.core.errors import Conflict, NotFound
from insight_service.core.numbers import iso, num
from insight_service.core.warehouse import Warehouse
from insight_service.insights import grounding, llm, store, templates
from insight_service.insights.breaker import llm_breaker
from insight_service.insights.config import LifecycleConfig, LLMConfig
from insight_service.insights.figures import channel_name, figures_of
from insight_service.telemetry.metrics import LLM_CALLS

log = logging.getLogger("insight_service.insights")

DEFAULT_LIMIT = 5
NO_API_KEY_NOTE = "rule-based only: OPENAI_API_KEY is not set, every insight uses its deterministic template"


class InvalidTransition(Conflict):
    """The insight has already moved to the other final status."""

    code = "invalid_transition"


# ---- serialisation ---------------------------------------------------------------------------

def to_json(row: dict[str, Any]) -> dict[str, Any]:
    """An insight row as the API returns it (numbers as numbers, ISO timestamps)."""
    return {
        "id": row["id"],
        "signal_id": row["signal_id"],
        "signal_type": row["signal_type"],
        "type": row["type"],
        "category": row["category"],
        "title": row["title"],
        "description": row["description"],
        "priority": row["priority"],
        "impact": num(row["impact"]),
        "suggested_action": row["suggested_action"],
        "status": row["status"],
        "generated_by": row["generated_by"],
        "model": row["model"],
        "template_reason": row["template_reason"],
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "dismissed_at": iso(row["dismissed_at"]),
        "actioned_at": iso(row["actioned_at"]),
        "evidence": row["evidence"],
        "period_start": iso(row.get("period_start")),
        "period_end": iso(row.get("period_end")),
    }


def suppressed_json(row: dict[str, Any]) -> dict[str, Any]:
    """A signal the lifecycle held back, and the closed insight that holds it."""
    return {
        "signal_id": row["signal_id"],
        "signal_type": row.get("signal_type"),
        "channel": row.get("channel"),
        "source": row.get("source"),
        "period": row.get("period"),
        "period_start": iso(row.get("period_start")),
        "period_end": iso(row.get("period_end")),
        "reason": row["hold_reason"],
        "insight_id": row["held_by"],
        "insight_status": row["held_status"],
        "closed_at": iso(row["closed_at"]),
        "cooldown_days": row.get("cooldown_days"),
        "cooldown_until": iso(row["cooldown_until"]),
    }


# ---- the LLM request -------------------------------------------------------------------------

def _window_dates(evidence: dict[str, Any]) -> set[str]:
    dates: set[str] = set()
    for block in (evidence.get("window") or {}, evidence.get("trailing_window") or {}):
        for value in block.values():
            if isinstance(value, str) and len(value) == 10:
                dates.add(value)
    return dates


def signal_payload(signal: dict[str, Any]) -> dict[str, Any]:
    """One signal as the model sees it (inside the data block)."""
    evidence = signal.get("evidence") or {}
    window = evidence.get("window") or {}
    return {
        "signal_id": signal["signal_id"],
        "signal_type": signal["signal_type"],
        "meaning": templates.MEANINGS.get(signal["signal_type"], ""),
        "severity": signal["severity"],
        "channel": signal["channel"],
        "channel_name": channel_name(signal["channel"]),
        "source": signal["source"],
        "source_title": evidence.get("source_title"),
        "industry": evidence.get("industry"),
        "window": {k: window.get(k) for k in ("period", "start", "end", "previous_start", "previous_end")},
        "figures": [f.to_prompt() for f in figures_of(evidence).values()],
    }


def request_payload(signals: list[dict[str, Any]]) -> dict[str, Any]:
    currency = next(((s.get("evidence") or {}).get("currency") for s in signals), None)
    return {"store_currency": currency, "signals": [signal_payload(s) for s in signals]}


def _names(signal: dict[str, Any]) -> list[str]:
    """Names a text may quote verbatim (digits in them are not claims)."""
    evidence = signal.get("evidence") or {}
    source = str(signal.get("source") or "")
    names = [source, source.split(":")[-1], str(signal.get("channel") or ""), str(signal.get("signal_id") or "")]
    title = evidence.get("source_title")
    if isinstance(title, str) and title.strip():
        names += [title, " ".join(title.split()), templates.source_name(signal).strip("“”…")]
    return names


def verdict_for(signal: dict[str, Any], title: str, description: str, action: str,
                cited: list[tuple[str, float]]) -> grounding.Verdict:
    evidence = signal.get("evidence") or {}
    title_text = evidence.get("source_title")
    return grounding.check(
        [title, description, action], figures_of(evidence), cited, _window_dates(evidence),
        names=_names(signal), data_texts=[title_text] if isinstance(title_text, str) else [])


# ---- generation ------------------------------------------------------------------------------

def _texts(signals: list[dict[str, Any]],
           config: LLMConfig) -> tuple[dict[str, tuple[Any, str, str | None]], str | None]:
    """signal_id -> (text, generated_by, template reason); plus the reason shared by all when the
    LLM path produced nothing. Every text is counted in insights_llm_calls_total."""
    out, shared_reason = _texts_of(signals, config)
    for _text, generated_by, reason in out.values():
        LLM_CALLS.labels(outcome="llm" if generated_by == "llm" else "fallback",
                         reason=llm.reason_label(reason)).inc()
    return out, shared_reason


def _llm_answer(signals: list[dict[str, Any]], config: LLMConfig) -> llm.ModelAnswer:
    """The LLM call behind this process's circuit breaker (LLMFailure ``circuit_open`` when it is open)."""
    breaker = llm_breaker()
    if not breaker.allow():
        raise llm.LLMFailure("circuit_open")
    try:
        answer = llm.call(config, request_payload(signals))
    except llm.LLMFailure as failure:
        if llm.reason_label(failure.reason) in llm.BREAKER_FAILURES:
            breaker.record_failure()
        else:  # the service answered (a refusal, a truncated answer): it is up
            breaker.record_success()
        raise
    except BaseException:
        breaker.record_failure()  # never leave a half-open trial hanging
        raise
    breaker.record_success()
    return answer


def _texts_of(signals: list[dict[str, Any]],
              config: LLMConfig) -> tuple[dict[str, tuple[Any, str, str | None]], str | None]:
    rendered = {s["signal_id"]: templates.render(s) for s in signals}
    if not config.enabled:
        return {sid: (text, "template", "no_api_key") for sid, text in rendered.items()}, "no_api_key"
    try:
        answer = _llm_answer(signals, config)
    except llm.LLMFailure as failure:
        log.warning("insight generation: LLM path failed, templates used for %d signals: %s",
                    len(signals), failure.reason)
        return {sid: (text, "template", failure.reason) for sid, text in rendered.items()}, failure.reason

    answers: dict[str, llm.ModelInsight] = {}
    for item in answer.insights:
        answers.setdefault(item.signal_id, item)  # unknown ids are ignored; the first answer wins
    out: dict[str, tuple[Any, str, str | None]] = {}
    for signal in signals:
        sid = signal["signal_id"]
        item = answers.get(sid)
        reason: str | None
        if item is None:
            reason = "llm_missing: no insight for this signal in the answer"
        else:
            reason = llm.too_long(item)
            if reason is None:
                verdict = verdict_for(signal, item.title, item.description, item.suggested_action,
                                      [(c.figure_id, c.value) for c in item.cited_figures])
                reason = verdict.reason
        if reason is None and item is not None:
            text = templates.InsightText(item.title.strip(), item.description.strip(), item.suggested_action.strip())
            out[sid] = (text, "llm", None)
        else:
            log.warning("insight generation: signal %s (%s) uses its template: %s", sid, signal["signal_type"], reason)
            out[sid] = (rendered[sid], "template", reason)
    return out, None


def generate(warehouse: Warehouse, store_id: str, config: LLMConfig, limit: int = DEFAULT_LIMIT,
             lifecycle: LifecycleConfig | None = None) -> dict[str, Any]:
    lifecycle = lifecycle if lifecycle is not None else LifecycleConfig.from_env()
    ranked = store.ranked_signals(warehouse, store_id, lifecycle)
    held = [s for s in ranked if s["held_by"] is not None]
    signals = [s for s in ranked if s["held_by"] is None][:limit]
    if not signals:
        reason, note = (("all_suppressed", "every signal of the store is held back: its insight was dismissed "
                         "or actioned (same window, or within the cooldown)") if held
                        else ("no_signals", "the store has no signals"))
        return {"insights": [], "path": "none", "reason": reason, "note": note,
                "model": None, "signals_considered": 0, "created": 0, "refreshed": 0,
                "suppressed": len(held), "suppressed_signals": [suppressed_json(s) for s in held]}
    texts, shared_reason = _texts(signals, config)
    rows = []
    for signal in signals:
        text, generated_by, reason = texts[signal["signal_id"]]
        kind, category = templates.kind_of(signal["signal_type"])
        impact = signal.get("estimated_revenue_impact")
        rows.append({
            "signal_id": signal["signal_id"],
            "signal_type": signal["signal_type"],
            "type": kind,
            "category": category,
            "title": text.title,
            "description": text.description,
            "priority": signal["severity"],
            "impact": float(impact) if impact is not None else None,
            "suggested_action": text.suggested_action,
            "evidence": signal.get("evidence") or {},
            "generated_by": generated_by,
            "model": config.model if generated_by == "llm" else None,
            "template_reason": reason,
            "period_start": iso(signal["period_start"]),
            "period_end": iso(signal["period_end"]),
            "cooldown_days": signal["cooldown_days"],
        })
    written, held_now = store.save(warehouse, store_id, rows)
    saved = {row["signal_id"]: row for row in written}
    ordered = [saved[s["signal_id"]] for s in signals if s["signal_id"] in saved]
    # closed while the texts were being written: held like the others (reported with the signal's scope)
    by_id = {s["signal_id"]: s for s in signals}
    held += [{**by_id[h["signal_id"]], **h} for h in held_now]

    by = {row["generated_by"] for row in ordered}
    path = "mixed" if len(by) > 1 else (by.pop() if by else "none")
    reasons = list(dict.fromkeys(row["template_reason"] for row in ordered if row["template_reason"]))
    return {
        "insights": [to_json(row) for row in ordered],
        "path": path,
        "reason": shared_reason or ("; ".join(reasons) if reasons else None),
        "note": NO_API_KEY_NOTE if shared_reason == "no_api_key" else None,
        "model": config.model if config.enabled else None,
        "signals_considered": len(signals),
        "created": sum(1 for row in ordered if row["inserted"]),
        "refreshed": sum(1 for row in ordered if not row["inserted"]),
        "suppressed": len(held),
        "suppressed_signals": [suppressed_json(s) for s in held],
    }


# ---- reading and lifecycle -------------------------------------------------------------------

def list_insights(warehouse: Warehouse, store_id: str, status: str | None) -> list[dict[str, Any]]:
    wanted = None if status == "all" else (status or "active")
    return [to_json(row) for row in store.list_insights(warehouse, store_id, wanted)]


def change_status(warehouse: Warehouse, store_id: str, insight_id: str, to: str) -> dict[str, Any]:
    row = store.transition(warehouse, store_id, insight_id, to)
    if row is not None:
        return to_json(row)
    current = store.get(warehouse, store_id, insight_id)
    if current is None:  # unknown, malformed or another store's id: never reveal which
        raise NotFound(f"no insight {insight_id!r}", code="insight_not_found",
                       details={"insight_id": insight_id})
    if current["status"] == to:  # repeated request: idempotent, nothing moves
        return to_json(current)
    raise InvalidTransition(
        f"insight {insight_id} is {current['status']}; only an active insight can be {to}",
        details={"insight_id": insight_id, "status": current["status"], "requested": to})
