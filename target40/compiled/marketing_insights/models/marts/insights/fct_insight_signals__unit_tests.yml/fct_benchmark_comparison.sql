
-- Fixture for fct_benchmark_comparison
select cast(null as text) as "store_id", cast(null as text) as "channel", cast(null as text) as "metric", cast(null as text) as "period", cast(null as date) as "period_start", cast(null as text) as "industry", cast(null as numeric(20,4)) as "value", cast(null as numeric(12,4)) as "poor", cast(null as numeric(12,4)) as "average", cast(null as numeric(12,4)) as "good", cast(null as numeric(12,4)) as "excellent", cast(null as text) as "direction", cast(null as text) as "rating"
    limit 0