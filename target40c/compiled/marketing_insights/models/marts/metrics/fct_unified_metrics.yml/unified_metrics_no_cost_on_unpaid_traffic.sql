
select * from "gen40"."marts"."fct_unified_metrics" where channel in ('referral', 'direct') and cost <> 0
