
-- Fixture for quarantine_shop__orders
select cast(null as text) as "table_name", cast(null as text) as "row_key", cast(null as text) as "store_id", cast(null as text) as "reason", cast(null as text) as "details", cast(null as timestamp with time zone) as "raw_loaded_at", cast(null as timestamp with time zone) as "detected_at"
    limit 0