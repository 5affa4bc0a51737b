-- every influencer_campaigns delivery excluded from staging, with why (macros/staging.sql)
{{ config(
    partition_by=spark_store_partitions(),
    indexes=[{'columns': ['row_key']}, {'columns': ['detected_at']}],
    post_hook="{{ record_raw_watermark('influencer_campaigns') }}",
) }}
{{ quarantined_rows('influencer_campaigns') }}
