-- every influencers delivery excluded from staging, with why (macros/staging.sql)
{{ config(
    materialized=incremental_on_postgres(),
    indexes=[{'columns': ['row_key']}, {'columns': ['detected_at']}],
    post_hook="{{ record_raw_watermark('influencers') }}",
) }}
{{ quarantined_rows('influencers') }}
