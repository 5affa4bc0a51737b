"""`run_started_at` of dbt's context for sqlfluff's jinja templater: a fixed instant (lint renders offline)."""

import datetime as _dt

_AT = _dt.datetime(2025, 1, 1, tzinfo=_dt.UTC)
isoformat = _AT.isoformat
strftime = _AT.strftime
