
-- Fixture for stg_influencer__campaigns
select cast(null as text) as "campaign_id", cast(null as text) as "store_id", cast(null as text) as "campaign_name", cast(null as text) as "status", cast(null as numeric(14,2)) as "budget_allocated", cast(null as date) as "start_date", cast(null as date) as "end_date", cast(null as timestamp with time zone) as "created_at", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "staged_at"
    limit 0