-- Insights of the insight service (issue 7): the MarketingInsight shape, written by
-- POST /insights/generate from marts.fct_insight_signals, read by GET /insights, moved by
-- POST /insights/<id>/dismiss | /action. Lifecycle: active -> dismissed | actioned (final).
create table if not exists app.marketing_insights (
    id               uuid primary key default gen_random_uuid(),
    store_id         text not null check (store_id <> ''),
    signal_id        text not null check (signal_id <> ''),
    signal_type      text not null,
    type             text not null check (type in ('opportunity', 'warning', 'recommendation')),
    category         text not null,
    title            text not null check (title <> ''),
    description      text not null,
    priority         text not null check (priority in ('high', 'medium', 'low')),
    impact           numeric(18, 2),
    suggested_action text,
    evidence         jsonb not null default '{}'::jsonb,
    status           text not null default 'active' check (status in ('active', 'dismissed', 'actioned')),
    generated_by     text not null check (generated_by in ('llm', 'template')),
    model            text,
    template_reason  text,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    dismissed_at     timestamptz,
    actioned_at      timestamptz,
    constraint marketing_insights_dismissed_at check ((status = 'dismissed') = (dismissed_at is not null)),
    constraint marketing_insights_actioned_at check ((status = 'actioned') = (actioned_at is not null)),
    constraint marketing_insights_llm_model check (generated_by <> 'llm' or model is not null)
);

-- at most one active insight per (store, signal): regeneration refreshes it (upsert), and a
-- new one can appear only after the previous one was dismissed or actioned
create unique index if not exists marketing_insights_active_signal_uidx
    on app.marketing_insights (store_id, signal_id) where status = 'active';

create index if not exists marketing_insights_store_status_idx
    on app.marketing_insights (store_id, status, created_at desc);

comment on table app.marketing_insights is
    'Insights per store (MarketingInsight): text by the LLM (generated_by llm, model) or by the deterministic template (template_reason says why), evidence = the signal''s evidence from marts.fct_insight_signals.';
