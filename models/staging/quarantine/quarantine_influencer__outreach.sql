-- every influencer_outreach delivery excluded from staging, with why (macros/staging.sql)
{{ config(
    materialized=incremental_on_postgres(),
    indexes=[{'columns': ['row_key']}, {'columns': ['detected_at']}],
    post_hook="{{ record_raw_watermark('influencer_outreach') }}",
) }}
{{ quarantined_rows('influencer_outreach') }}
