-- Warns about a store whose money metrics cannot be rated: its currency has no rate into a money
-- band's currency (dim_fx_rates), so fct_benchmark_comparison rates its cpc/cpa `insufficient_data`
-- (rating_reason `no_fx_rate`). Not an error: that is the documented, honest outcome, but it usually
-- means fx_rates needs the currency (`insights fx-rates import --currencies ...`).
{{ config(severity='warn') }}

with band_currencies as (
    -- the currencies money bands are published in
    select distinct currency from {{ ref('dim_benchmarks') }} where currency is not null
)

select stores.store_id, stores.currency, band_currencies.currency as benchmark_currency
from {{ ref('dim_stores') }} as stores
cross join band_currencies
where stores.currency is distinct from band_currencies.currency
  and not exists (
      select 1 from {{ ref('dim_fx_rates') }} as rates
      where rates.from_currency = stores.currency and rates.to_currency = band_currencies.currency
  )
