-- every session as a potential touchpoint, tagged with the person whose journey it belongs to
{{ config(indexes=[{'columns': ['store_id', 'person_key', 'started_at']}]) }}

with sessions as (
    -- staged sessions with their channel and source
    select * from {{ ref('stg_web__sessions') }}
),

identities as (
    -- identity stitching: a browser linked to a customer joins that customer's journey
    select store_id, visitor_id, customer_id, loaded_at from {{ ref('stg_web__customer_identities') }}
)

select
    sessions.store_id,
    sessions.session_id,
    -- a logged-in session belongs to its customer; else the customer its browser was linked
    -- to; an unlinked browser is a person of its own (it can still form non-converting paths)
    coalesce(sessions.customer_id, identities.customer_id, 'visitor:' || sessions.visitor_id,
             'session:' || sessions.session_id)                                         as person_key,
    coalesce(sessions.customer_id, identities.customer_id)                              as customer_id,
    sessions.visitor_id,
    sessions.started_at,
    sessions.session_date,
    sessions.channel,
    sessions.source,
    greatest(sessions.loaded_at, coalesce(identities.loaded_at, sessions.loaded_at))    as loaded_at
from sessions
left join identities
    on identities.store_id = sessions.store_id and identities.visitor_id = sessions.visitor_id
