
select * from "gen40"."marts"."fct_budget_utilization" where not is_current_month and (projected_spend <> spent or days_elapsed <> days_in_month)
