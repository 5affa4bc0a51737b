
select * from "gen40"."marts"."fct_budget_utilization" where (pacing is null) <> (coalesce(monthly_budget, 0) = 0)
