"""Insights (issue 7): deterministic signals from marts.fct_insight_signals turned into
MarketingInsight rows by an LLM (grounded, injection-safe) or by deterministic templates.

Modules: config (LLM settings from the environment), figures (evidence figures and how
they are written), grounding (number / injection checks of model text), templates
(rule-based text), llm (the structured-output call), store (SQL), service (generation and
lifecycle, used by the routes).
"""
