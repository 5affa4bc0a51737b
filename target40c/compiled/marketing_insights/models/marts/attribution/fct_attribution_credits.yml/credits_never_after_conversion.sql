
select * from "gen40"."marts"."fct_attribution_credits" where touched_at > converted_at
