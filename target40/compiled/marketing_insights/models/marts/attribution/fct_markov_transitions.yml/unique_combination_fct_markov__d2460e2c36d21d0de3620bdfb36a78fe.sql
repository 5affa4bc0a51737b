
select store_id, month_start, kind, from_state, to_state, count(*) as occurrences
from "gen40"."marts"."fct_markov_transitions"
group by store_id, month_start, kind, from_state, to_state
having count(*) > 1
