"""One module per marketing channel: its plan (costs, sources of touches), how its sessions are
tagged, and the platform rows derived from those sessions.

* ads.py         paid search and social ad campaigns (ad_campaign_daily)
* social.py      organic posts and their boosts (social_posts_daily)
* seo.py         blog articles, writing fees and the SEO tool (blog_articles, article_daily_stats)
* email.py       newsletter sends billed per send, and flows
* influencer.py  the creator pool and the influencer programme (campaigns to deliveries)

plan.py and journeys.py call them in a fixed order: every module draws from the store's shared
random streams, so the call order is part of the generated data.
"""
