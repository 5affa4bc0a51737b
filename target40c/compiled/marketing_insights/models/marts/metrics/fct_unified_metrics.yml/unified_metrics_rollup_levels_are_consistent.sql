
select * from "gen40"."marts"."fct_unified_metrics" where channel = 'overall' and source <> 'all'
