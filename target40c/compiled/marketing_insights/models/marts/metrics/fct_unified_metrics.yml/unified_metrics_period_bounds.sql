
select * from "gen40"."marts"."fct_unified_metrics" where (period = 'daily' and period_end <> period_start) or (period = 'weekly' and (extract(isodow from period_start) <> 1 or period_end <> period_start + 6)) or (period = 'monthly' and (extract(day from period_start) <> 1
    or period_end <> (period_start + interval '1 month')::date - 1))
