{{ config(materialized='view') }}
{{ checked_source('influencer', 'influencers', ['influencer_id'], [
    negative_check(['followers']),
]) }}
