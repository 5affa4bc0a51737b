
-- Fixture for fct_marketing_calendar
select cast(null as text) as "store_id", cast(null as text) as "item_type", cast(null as text) as "item_id", cast(null as text) as "channel", cast(null as text) as "source", cast(null as text) as "title", cast(null as date) as "scheduled_date", cast(null as text) as "status", cast(null as text) as "platform"
    limit 0