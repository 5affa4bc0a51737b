
select * from "gen40"."marts"."fct_insight_signals" where period_start > period_end
