{{ config(materialized='view') }}
{{ checked_source('shop', 'stores', ['store_id'], [
    enum_check('status', ['active', 'paused', 'archived']),
    ['unknown_enum', "timezone is null or trim(timezone) not in (select name from pg_timezone_names)",
     dq_value('timezone') ~ " || ' is not an IANA timezone name'"],
]) }}
