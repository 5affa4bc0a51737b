{{ config(materialized='view') }}
{{ checked_source('influencer', 'influencer_outreach', ['outreach_id'], [
    enum_check('status', ['queued', 'sent', 'bounced', 'replied', 'declined', 'accepted']),
    future_check('sent_at'),
]) }}
