
select * from "gen40"."marts"."fct_unified_metrics" where bounce_rate < 0 or bounce_rate > 100 or bounced_sessions > sessions
