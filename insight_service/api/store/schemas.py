"""Response model of ``GET /store``."""
from __future__ import annotations

import datetime as dt

from pydantic import Field

from insight_service.api.web.params import StoreProfile


class StoreData(StoreProfile):
    data_as_of: dt.datetime | None = Field(..., description="when the marts were last built (null before any build)")
    last_data_date: dt.date | None = Field(..., description="the store's last day with data (null without data)")
