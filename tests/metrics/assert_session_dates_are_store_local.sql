-- The marts bucket sessions by stg_web__sessions.session_date: it must be the store-local calendar day of
-- started_at (e.g. 23:30 in New York on 31 January is 04:30 UTC on 1 February and belongs to January).

select sessions.session_id, sessions.started_at, sessions.session_date, stores.timezone
from {{ ref('stg_web__sessions') }} as sessions
inner join {{ ref('dim_stores') }} as stores on stores.store_id = sessions.store_id
where sessions.session_date <> (sessions.started_at at time zone stores.timezone)::date
