
select * from "gen40"."marts"."fct_unified_metrics" where channel <> 'overall' and (unattributed_conversions <> 0 or unattributed_revenue <> 0 or unattributed_profit <> 0)
