"""Deterministic insight text per signal type (the rule-based path).

Used when there is no API key, when the LLM call fails (timeout, HTTP error, malformed or
truncated answer) and for every LLM insight that fails the grounding check. Every number
written here is a figure of the signal, formatted by :func:`figures.display`, so a template
always passes the same grounding check as a model answer (tested).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from insight_service.insights.figures import Figure, channel_name, display, figures_of
from insight_service.insights.grounding import looks_like_instruction

# signal_type -> (insight type, category)
KINDS: dict[str, tuple[str, str]] = {
    "revenue_decline": ("warning", "revenue"),
    "revenue_growth": ("opportunity", "revenue"),
    "roas_below_benchmark": ("warning", "efficiency"),
    "cpa_above_benchmark": ("warning", "efficiency"),
    "budget_underutilized": ("recommendation", "budget"),
    "budget_overpacing": ("warning", "budget"),
    "marginal_efficiency_decline": ("recommendation", "efficiency"),
    "outsized_source_revenue": ("opportunity", "content"),
    "sessions_drop": ("warning", "traffic"),
    "forecast_overspend": ("warning", "budget"),
    "forecast_revenue_miss": ("warning", "revenue"),
}

# what each signal type means, for the model (sent inside the data block)
MEANINGS: dict[str, str] = {
    "revenue_decline": "The channel's revenue fell versus the previous window of equal length.",
    "revenue_growth": "The channel's revenue grew versus the previous window of equal length.",
    "roas_below_benchmark": "The channel's ROAS (revenue / cost) is rated poor: below the industry benchmark average.",
    "cpa_above_benchmark": "The channel's cost per acquisition is rated poor: above the industry benchmark average.",
    "budget_underutilized": "At its current pace the channel will spend well under its monthly budget.",
    "budget_overpacing": "At its current pace the channel will spend well over its monthly budget.",
    "marginal_efficiency_decline": "The channel's spend rose but the extra spend brought little extra revenue "
                                   "(low marginal ROAS).",
    "outsized_source_revenue": "One article or influencer campaign brings a large share of its channel's revenue.",
    "sessions_drop": "The channel's sessions in the last 7 days fell far below its trailing weekly average.",
    "forecast_overspend": "The month's spend so far plus the forecast of its remaining days exceeds the channel's "
                          "monthly budget.",
    "forecast_revenue_miss": "The month's revenue so far plus the forecast of its remaining days falls well short "
                             "of last month's revenue.",
}

DECLINE_ACTIONS = {
    "overall": "Break the drop down by channel on the dashboard and start with the channel that lost the most "
               "revenue; check tracking, stock and pricing changes made in the period.",
    "seo": "Check rankings and organic clicks of your top articles, refresh the pages that lost the most traffic "
           "and fix any indexing or tracking issue.",
    "ads": "Review campaign-level spend and conversion rates, rework or pause the campaigns that stopped "
           "converting and check budget caps and conversion tracking.",
    "social": "Compare reach and engagement of recent posts with the previous period and bring back the formats "
              "that converted.",
    "influencer": "Check which campaigns ended or under-delivered and plan new deliveries with the creators whose "
                  "audiences converted best.",
    "email": "Check send volume, deliverability and click rates, and restart or fix the flows that stopped sending.",
    "referral": "Find the partner sites whose referrals fell and follow up with them.",
    "direct": "Look at returning-customer activity and brand demand, and check site availability and checkout "
              "for the period.",
}


@dataclasses.dataclass(frozen=True)
class InsightText:
    title: str
    description: str
    suggested_action: str


class _Text:
    """Figure lookup for one signal: ``t["id"]`` -> display text, ``t.abs("id")`` without sign."""

    def __init__(self, signal: dict[str, Any]):
        self.evidence: dict[str, Any] = signal.get("evidence") or {}
        self.figures: dict[str, Figure] = figures_of(self.evidence)
        self.signal = signal
        self.ch = channel_name(signal.get("channel"))
        self.ch_lower = self.ch if signal.get("channel") in ("seo",) else self.ch.lower()
        window = self.evidence.get("window") or {}
        self.start = str(window.get("start") or signal.get("period_start") or "")
        self.end = str(window.get("end") or signal.get("period_end") or "")

    def has(self, fid: str) -> bool:
        return fid in self.figures

    def __getitem__(self, fid: str) -> str:
        return self.figures[fid].display if fid in self.figures else "n/a"

    def abs(self, fid: str) -> str:
        figure = self.figures.get(fid)
        if figure is None:
            return "n/a"
        return display(abs(figure.value), figure.unit, figure.currency, figure.places)


def source_name(signal: dict[str, Any]) -> str:
    """How a text names the signal's source: its title in quotes, or the source id when the title
    is missing or reads like an instruction (it is shown as data, never repeated as text)."""
    evidence = signal.get("evidence") or {}
    title = evidence.get("source_title")
    if isinstance(title, str) and title.strip() and not looks_like_instruction(title):
        clean = " ".join(title.split())
        return f"“{clean[:80]}{'…' if len(clean) > 80 else ''}”"
    source = str(signal.get("source") or "")
    return source.split(":")[-1] if source else "this source"


def _revenue_decline(t: _Text) -> InsightText:
    subject = "Store revenue" if t.signal.get("channel") == "overall" else f"{t.ch} revenue"
    return InsightText(
        f"{subject} down {t.abs('change_pct')} in the last {t['window_days']} days",
        f"{subject} was {t['current_revenue']} from {t.start} to {t.end}, against {t['previous_revenue']} "
        f"in the previous {t['window_days']} days: {t.abs('revenue_change')} less ({t.abs('change_pct')} lower).",
        DECLINE_ACTIONS.get(t.signal.get("channel") or "", DECLINE_ACTIONS["overall"]),
    )


def _revenue_growth(t: _Text) -> InsightText:
    overall = t.signal.get("channel") == "overall"
    subject = "Store revenue" if overall else f"{t.ch} revenue"
    action = ("Find which channels and campaigns drove the increase and keep funding them while watching "
              "their cost." if overall else
              f"Find what drove the {t.ch_lower} increase (campaigns, content or offers of the period) and scale "
              f"it while its cost per conversion holds.")
    return InsightText(
        f"{subject} up {t.abs('change_pct')} in the last {t['window_days']} days",
        f"{subject} reached {t['current_revenue']} from {t.start} to {t.end}, up from {t['previous_revenue']} "
        f"in the previous {t['window_days']} days ({t.abs('revenue_change')} more).",
        action,
    )


def _industry(t: _Text) -> str:
    industry = str(t.evidence.get("industry") or "general")
    return "general" if looks_like_instruction(industry) else industry.replace("_", " ")


def _roas_below(t: _Text) -> InsightText:
    return InsightText(
        f"{t.ch} ROAS below the {_industry(t)} benchmark",
        f"Over the last {t['window_days']} days {t.ch_lower} returned a ROAS of {t['value']} ({t['revenue']} "
        f"revenue on {t['cost']} cost), below the {_industry(t)} benchmark average of {t['benchmark_average']}.",
        f"Move {t.ch_lower} budget from the campaigns with the lowest ROAS to the best ones and tighten "
        f"targeting before adding spend.",
    )


def _cpa_above(t: _Text) -> InsightText:
    return InsightText(
        f"{t.ch} cost per acquisition above the {_industry(t)} benchmark",
        f"Over the last {t['window_days']} days {t.ch_lower} cost {t['value']} per conversion ({t['cost']} for "
        f"{t['conversions']} conversion{'' if t['conversions'] == '1' else 's'}), above the {_industry(t)} "
        f"benchmark average of {t['benchmark_average']}.",
        f"Cut the {t.ch_lower} placements and audiences with the highest cost per conversion and improve "
        f"landing-page conversion before scaling spend.",
    )


def _budget_under(t: _Text) -> InsightText:
    if t.has("recent_roas"):
        action = (f"The {t.ch_lower} channel returned a ROAS of {t['recent_roas']} over the last four weeks: if that "
                  f"is profitable, put the unused budget into its best campaigns; otherwise move it to a channel "
                  f"with better returns.")
    else:
        action = f"Move the unused {t.ch_lower} budget to a channel with proven returns, or lower the budget."
    return InsightText(
        f"{t.ch} budget on pace to be only {t['projected_utilization_pct']} used",
        f"{t.ch} spend is {t['spent']} of the {t['monthly_budget']} monthly budget after {t['days_elapsed']} of "
        f"{t['days_in_month']} days, projected at {t['projected_spend']} for the month: {t.abs('budget_gap')} "
        f"under budget.",
        action,
    )


def _budget_over(t: _Text) -> InsightText:
    return InsightText(
        f"{t.ch} spend on pace to exceed its budget",
        f"{t.ch} spend is {t['spent']} after {t['days_elapsed']} of {t['days_in_month']} days; at this pace the "
        f"month ends at {t['projected_spend']} against a {t['monthly_budget']} budget "
        f"({t['projected_utilization_pct']} of budget).",
        f"Lower daily caps or pause the least efficient {t.ch_lower} campaigns so the month ends within budget, "
        f"or raise the budget if the extra spend is profitable.",
    )


def _marginal(t: _Text) -> InsightText:
    return InsightText(
        f"{t.ch} spend up {t.abs('cost_change_pct')} with little extra revenue",
        f"{t.ch} cost rose from {t['previous_cost']} to {t['cost']} in the last {t['window_days']} days compared "
        f"with the {t['window_days']} days before, while revenue went from {t['previous_revenue']} to "
        f"{t['revenue']}: each extra unit of cost brought {t['marginal_roas']} in revenue (ROAS before: "
        f"{t['previous_roas']}).",
        f"Bring {t.ch_lower} spend back towards the previous level or move the increase to campaigns whose "
        f"returns hold up, then test increases in smaller steps.",
    )


def _outsized(t: _Text) -> InsightText:
    source = str(t.signal.get("source") or "")
    is_campaign = source.startswith("campaign:")
    kind, kinds = ("influencer campaign", "campaigns") if is_campaign else ("article", "articles")
    name = source_name(t.signal)
    action = ("Extend or repeat this campaign with the same creators and reuse its content in ads and social "
              "posts." if is_campaign else
              "Build on it: keep the article up to date, link to it from related pages, and write follow-up "
              "content on the same topic.")
    return InsightText(
        f"{kind.capitalize()} {name} drives {t['share_pct']} of {t.ch_lower} revenue",
        f"The {kind} {name} brought {t['source_revenue']} of the {t['channel_revenue']} {t.ch_lower} revenue in "
        f"the last {t['window_days']} days ({t['share_pct']}), against an average of {t['mean_source_revenue']} "
        f"per {kind} across {t['channel_sources']} active {kinds}.",
        action,
    )


def _sessions_drop(t: _Text) -> InsightText:
    subject = "Store" if t.signal.get("channel") == "overall" else t.ch
    return InsightText(
        f"{subject} sessions dropped in the last {t['window_days']} days",
        f"{subject} had {t['current_sessions']} sessions from {t.start} to {t.end}, against an average of "
        f"{t['mean_sessions']} per week over the previous {t['trailing_weeks']} weeks ({t.abs('change_pct')} lower, "
        f"{t.abs('z_score')} standard deviations below the average).",
        "Check tracking and site availability first, then the traffic sources of the channel (rankings, campaigns, "
        "posts) that fell in the period.",
    )


def _forecast_overspend(t: _Text) -> InsightText:
    return InsightText(
        f"{t.ch} on track to overspend its budget",
        f"{t.ch} has spent {t['spent']} after {t['days_elapsed']} of {t['days_in_month']} days; the forecast puts "
        f"the month at {t['projected_spend']} (likely {t['projected_spend_low']} to {t['projected_spend_high']}) "
        f"against a {t['monthly_budget']} budget ({t['projected_utilization_pct']} of budget).",
        f"Lower daily caps or pause the least efficient {t.ch_lower} campaigns for the rest of the month, or raise "
        f"the budget if the extra spend is profitable.",
    )


def _forecast_revenue_miss(t: _Text) -> InsightText:
    subject = "Store" if t.signal.get("channel") == "overall" else t.ch
    return InsightText(
        f"{subject} revenue projected to miss last month's",
        f"{subject} revenue is {t['revenue_to_date']} after {t['days_elapsed']} of {t['days_in_month']} days; the "
        f"forecast puts the month at {t['projected_revenue']} (likely {t['projected_revenue_low']} to "
        f"{t['projected_revenue_high']}), {t.abs('shortfall')} ({t.abs('shortfall_pct')}) below last month's "
        f"{t['previous_month_revenue']}.",
        DECLINE_ACTIONS.get(t.signal.get("channel") or "", DECLINE_ACTIONS["overall"]),
    )


TEMPLATES: dict[str, Callable[[_Text], InsightText]] = {
    "revenue_decline": _revenue_decline,
    "revenue_growth": _revenue_growth,
    "roas_below_benchmark": _roas_below,
    "cpa_above_benchmark": _cpa_above,
    "budget_underutilized": _budget_under,
    "budget_overpacing": _budget_over,
    "marginal_efficiency_decline": _marginal,
    "outsized_source_revenue": _outsized,
    "sessions_drop": _sessions_drop,
    "forecast_overspend": _forecast_overspend,
    "forecast_revenue_miss": _forecast_revenue_miss,
}


def render(signal: dict[str, Any]) -> InsightText:
    """The template text of a signal (a row of marts.fct_insight_signals)."""
    template = TEMPLATES.get(str(signal.get("signal_type")))
    t = _Text(signal)
    if template is None:  # a signal type newer than this service
        return InsightText(
            f"{t.ch}: {str(signal.get('signal_type') or 'signal').replace('_', ' ')}",
            f"The warehouse raised a {str(signal.get('signal_type')).replace('_', ' ')} signal for {t.ch_lower} "
            f"from {t.start} to {t.end}.",
            "Review the evidence of this signal.",
        )
    return template(t)


def kind_of(signal_type: str) -> tuple[str, str]:
    return KINDS.get(signal_type, ("recommendation", "general"))
