"""Request and response models of ``/session``."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from insight_service.api.web.params import StoreProfile


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    api_key: str = Field(..., min_length=1, max_length=200, description="the store's API key `mk_<id>_<secret>`")


class SessionData(BaseModel):
    store_id: str
    key_id: str = Field(..., description="public id of the key the session was opened with")
    expires_at: dt.datetime | None = Field(..., description="end of the session (UTC); null with a Bearer key")
    csrf_token: str | None = Field(
        ..., description="send it as header X-CSRF-Token on POST/DELETE made with the cookie; null with a Bearer key")


class SessionInfo(SessionData):
    store: StoreProfile
    data_as_of: dt.datetime | None = Field(..., description="when the marts were last built (null before any build)")
    last_data_date: dt.date | None = Field(..., description="the store's last day with data (null without data)")


class SignedOut(BaseModel):
    signed_out: bool
