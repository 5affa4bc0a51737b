{{ config(materialized='view') }}
{{ checked_source('seo', 'blog_articles', ['article_id'], [
    reference_check('store_id', ref('stg_shop__stores'), 'store_id'),
    enum_check('status', ['draft', 'scheduled', 'published', 'archived']),
    future_check('published_at'),
]) }}
