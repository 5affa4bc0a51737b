create schema if not exists staging;
    create table if not exists "gen40"."staging"."incremental_watermarks" (
        model        text primary key,
        watermark    timestamptz,
        recorded_at  timestamptz not null default now()
    );
