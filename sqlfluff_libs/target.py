"""`target` of dbt's context for sqlfluff's jinja templater: the default `warehouse` target (plain schemas)."""

name = "warehouse"
schema = "public"
database = "marketing"

type = "postgres"
