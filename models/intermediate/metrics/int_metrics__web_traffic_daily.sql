-- traffic family: web sessions per store-local day, channel and source (marts.md: traffic comes from web_sessions)
{{ config(materialized='view') }}

{{ metrics_traffic_family() }}
