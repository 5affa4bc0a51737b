"""Create the raw landing schema (idempotent) from raw_schema.sql."""
from __future__ import annotations

from importlib import resources

from psycopg import sql

RAW_TABLES = (
    "stores", "marketing_channels", "blog_articles", "article_daily_stats", "influencers",
    "influencer_campaigns", "influencer_outreach", "influencer_contracts",
    "influencer_deliveries", "social_posts_daily", "ad_campaign_daily", "marketing_spend",
    "web_sessions", "customer_identities", "orders",
)


def ddl(schema: str) -> sql.Composed:
    text = resources.files("insight_service.warehouse").joinpath("raw_schema.sql").read_text()
    return sql.SQL(text).format(schema=sql.Identifier(schema))


def create_raw_schema(conn, schema: str = "raw") -> None:
    """Create the schema and every contract table if missing. Commits."""
    conn.execute(ddl(schema))
    conn.commit()


def truncate_raw_tables(conn, schema: str = "raw") -> None:
    conn.execute(
        sql.SQL("truncate {}").format(
            sql.SQL(", ").join(sql.Identifier(schema, t) for t in RAW_TABLES)
        )
    )
    conn.commit()
