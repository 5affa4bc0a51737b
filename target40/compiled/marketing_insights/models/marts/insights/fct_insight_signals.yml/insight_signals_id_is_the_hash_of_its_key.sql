
select * from "gen40"."marts"."fct_insight_signals" where signal_id <> md5(concat_ws('|', signal_type, store_id, channel, source, period))
