
select * from "gen40"."marts"."fct_insight_signals" where estimated_revenue_impact < 0
