
select * from "gen40"."marts"."fct_insight_signals" where jsonb_typeof(evidence -> 'figures') <> 'array' or jsonb_array_length(evidence -> 'figures') = 0
