-- every marketing_spend delivery excluded from staging, with why (macros/staging.sql)
{{ config(
    partition_by=spark_store_partitions(),
    indexes=[{'columns': ['row_key']}, {'columns': ['detected_at']}],
    post_hook="{{ record_raw_watermark('marketing_spend') }}",
) }}
{{ quarantined_rows('marketing_spend') }}
