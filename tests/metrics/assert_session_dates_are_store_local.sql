-- The marts bucket sessions by int_sessions.session_date: it must be the store-local calendar day of
-- started_at (e.g. 23:30 in New York on 31 January is 04:30 UTC on 1 February and belongs to January).
-- Incremental runs check the sessions the run wrote.

select sessions.session_id, sessions.started_at, sessions.session_date, stores.timezone
from {{ ref('int_sessions') }} as sessions
inner join {{ ref('dim_stores') }} as stores on stores.store_id = sessions.store_id
where sessions.session_date <> {{ local_time('sessions.started_at', 'stores.timezone') }}::date
  {{ latest_batch_only('sessions.processed_at', ref('int_sessions')) }}
