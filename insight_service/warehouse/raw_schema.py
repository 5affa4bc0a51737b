"""Create the raw landing schema (idempotent) from raw_schema.sql."""
from __future__ import annotations

import re
from importlib import resources

from psycopg import sql

RAW_TABLES = (
    "stores", "marketing_channels", "blog_articles", "article_daily_stats", "influencers",
    "influencer_campaigns", "influencer_outreach", "influencer_contracts",
    "influencer_deliveries", "social_posts_daily", "ad_campaign_daily", "marketing_spend",
    "web_sessions", "customer_identities", "orders",
)


def _sql_file(name: str, schema: str) -> sql.Composed:
    text = resources.files("insight_service.warehouse").joinpath(name).read_text()
    return sql.SQL(text).format(schema=sql.Identifier(schema))


def ddl(schema: str) -> sql.Composed:
    return _sql_file("raw_schema.sql", schema)


def create_raw_schema(conn, schema: str = "raw") -> None:
    """Create the schema and every contract table if missing. Commits."""
    conn.execute(ddl(schema))
    conn.commit()


def create_raw_indexes(conn, schema: str = "raw") -> None:
    """Indexes the incremental staging reads raw through (_loaded_at, natural key). Commits.

    Call after a bulk COPY: building an index once is cheaper than maintaining it row by row."""
    conn.execute(_sql_file("raw_indexes.sql", schema))
    conn.commit()


def drop_raw_indexes(conn, schema: str = "raw") -> None:
    """Drop the indexes of raw_indexes.sql (before replacing the tables' rows). Commits."""
    text = resources.files("insight_service.warehouse").joinpath("raw_indexes.sql").read_text()
    for name in re.findall(r"create index if not exists (\w+)", text):
        conn.execute(sql.SQL("drop index if exists {}").format(sql.Identifier(schema, name)))
    conn.commit()


def truncate_raw_tables(conn, schema: str = "raw") -> None:
    conn.execute(
        sql.SQL("truncate {}").format(
            sql.SQL(", ").join(sql.Identifier(schema, t) for t in RAW_TABLES)
        )
    )
    conn.commit()
