-- attribution family: conversions, revenue and profit credited under var('attribution_default_model'),
-- by conversion day
{{ config(materialized='view') }}

{{ metrics_attribution_family() }}
