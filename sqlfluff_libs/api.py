"""`api` of dbt's context for sqlfluff's jinja templater: `api.Relation.create` renders the relation's
quoted name, as dbt's Relation does in SQL (the watermark table of macros/staging.sql)."""


class Relation:
    @staticmethod
    def create(database=None, schema=None, identifier=None, type=None):
        return ".".join(f'"{part}"' for part in (database, schema, identifier) if part)
