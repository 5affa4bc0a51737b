"""`flags` of dbt's context for sqlfluff's jinja templater: an ordinary (not full-refresh) run."""

FULL_REFRESH = False
