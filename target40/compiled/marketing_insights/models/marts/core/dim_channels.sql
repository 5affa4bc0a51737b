-- one row per marketing channel: the names used by fct_unified_metrics, attribution and benchmarks


select
    channel::text            as channel,
    label::text              as channel_label,
    is_paid::boolean         as is_paid,
    has_budget::boolean      as has_budget,
    cost_sources::text       as cost_sources,
    platform_metrics::text   as platform_metrics,
    source_types::text       as source_types,
    sort_order::integer      as sort_order
from (values
    ('seo',        'SEO',        false, true,  'marketing_spend ledger',                                  'search impressions, organic clicks (article_daily_stats)',    'article:<article_id>, unassigned',                     1),
    ('influencer', 'Influencer', true,  true,  'marketing_spend ledger (contract fees)',                  'impressions, clicks, engagements (influencer_deliveries)',   'campaign:<campaign_id>, unassigned',                   2),
    ('social',     'Social',     false, true,  'social_posts_daily.spend (boosts) + marketing_spend ledger', 'impressions, clicks, engagements (social_posts_daily)',   'post:<post_id>, unassigned',                           3),
    ('ads',        'Paid ads',   true,  true,  'ad_campaign_daily.spend + marketing_spend ledger',        'impressions, clicks (ad_campaign_daily)',                    'ad_campaign:<platform>:<campaign_id>, unassigned',     4),
    ('email',      'Email',      false, true,  'marketing_spend ledger',                                  null,                                                         'unassigned',                                           5),
    ('referral',   'Referral',   false, false, null,                                                      null,                                                         'unassigned',                                           6),
    ('direct',     'Direct',     false, false, null,                                                      null,                                                         'unassigned',                                           7)
) as channels (channel, label, is_paid, has_budget, cost_sources, platform_metrics, source_types, sort_order)