-- one row per (from_currency, to_currency, rate_month): monthly average exchange rates between every two
-- currencies of the fx_rates seed, crossed through its base currency (ECB reference rates are per euro)
{{ config(
    materialized='table',
    indexes=[{'columns': ['from_currency', 'to_currency', 'rate_month'], 'unique': true}],
) }}

with published as (
    -- the seed: units of `currency` per 1 `base_currency`, one monthly average per row
    select
        rate_month::date        as rate_month,
        base_currency::{{ text_type() }}     as base_currency,
        currency::{{ text_type() }}          as currency,
        rate::{{ fx_rate_type() }}  as rate,
        provenance::{{ text_type() }}        as provenance
    from {{ ref('fx_rates') }}
),

with_base as (
    -- the base currency is worth exactly 1 of itself in every month the publisher covers
    select rate_month, base_currency, currency, rate, provenance
    from published
    union all
    select rate_month, base_currency, base_currency as currency, 1::{{ fx_rate_type() }}, min(provenance)
    from published
    group by rate_month, base_currency
)

select
    source.currency::{{ text_type() }}                                                       as from_currency,
    target.currency::{{ text_type() }}                                                       as to_currency,
    source.rate_month::date                                                     as rate_month,
    -- 1 unit of from_currency in to_currency: (to per base) / (from per base)
    round(target.rate / source.rate, 10)::numeric(20,10)                        as rate,
    source.base_currency::{{ text_type() }}                                                  as base_currency,
    -- a cross rate is as good as its weaker leg
    (case when 'offline_estimate' in (source.provenance, target.provenance) then 'offline_estimate'
          else target.provenance end)::{{ text_type() }}                                     as provenance
from with_base as source
inner join with_base as target
    on target.rate_month = source.rate_month
   and target.base_currency = source.base_currency
   and target.currency <> source.currency
