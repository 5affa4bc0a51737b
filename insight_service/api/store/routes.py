"""The store view (the profile itself is shared with ``GET /session``: api/web/context.py)."""
from __future__ import annotations

from flask import Response

from insight_service.api.store import bp
from insight_service.api.store.schemas import StoreData
from insight_service.api.web.context import data_as_of, last_data_date, ok, store_profile
from insight_service.api.web.openapi import RouteSpec, api_route


@bp.get("/store")
@api_route(RouteSpec(
    summary="The key's store: name, currency, timezone, industry, locale, data freshness",
    response=StoreData, errors=(503,),
    description="From marts.dim_stores; `locale` (BCP 47) is derived from the store's timezone, else its currency "
                "(default en-US). `data_as_of` is the marts' build time, `last_data_date` the store's last day "
                "with data. A store the marts do not know yet has null fields."))
def store() -> Response:
    last = last_data_date()
    return ok({**store_profile(), "data_as_of": data_as_of(), "last_data_date": last.isoformat() if last else None})
