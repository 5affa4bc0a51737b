-- The Markov input loses nothing: per store and month, chain + passthrough conversions and
-- value equal the paths', and the flow out of (start) equals the chain paths' weight. Incremental
-- runs check the months of the orders the run (re)attributed.
with paths as (
    select store_id, month_start, sum(conversions) as conversions, sum(conversion_value) as value,
           sum(conversions + null_conversions) filter (where channel_path <> 'unattributed') as chain_weight
    from {{ ref('fct_conversion_paths') }} as paths
    where true {{ checked_months_only('paths') }}
    group by 1, 2
),

markov as (
    select store_id, month_start,
           coalesce(sum(conversions) filter (where kind in ('chain_total', 'passthrough')), 0) as conversions,
           coalesce(sum(conversion_value) filter (where kind in ('chain_total', 'passthrough')), 0) as value,
           coalesce(sum(weight) filter (where kind = 'transition' and from_state = '(start)'), 0) as chain_weight
    from {{ ref('fct_markov_transitions') }} as markov
    where true {{ checked_months_only('markov') }}
    group by 1, 2
)

select paths.*, markov.conversions as markov_conversions, markov.value as markov_value,
       markov.chain_weight as markov_chain_weight
from paths
left join markov on markov.store_id = paths.store_id and markov.month_start = paths.month_start
where markov.store_id is null
   or markov.conversions <> paths.conversions
   or markov.value <> paths.value
   or markov.chain_weight <> coalesce(paths.chain_weight, 0)
