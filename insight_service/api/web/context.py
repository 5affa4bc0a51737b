"""What a view needs from the request it serves: the service state, the key's store, validated
parameters, the cached store lookups (last data date, timezone, default model), the window, the
success envelope and the response cache."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, g, jsonify, request

from insight_service.api.web.auth import ApiKey
from insight_service.api.web.errors import Unauthorized
from insight_service.api.web.json import success_text
from insight_service.api.web.params import QueryModel, RangeQuery, validate_query
from insight_service.api.web.session import COOKIE_NAME, authenticate_request
from insight_service.core.locales import store_locale
from insight_service.core.periods import Window, local_today, resolve_window
from insight_service.core.vocabulary import MODELS
from insight_service.core.warehouse import FALLBACK_ATTRIBUTION_MODEL


def state():
    """The app's ServiceState (settings, warehouse, build tracker, cache), see api/app.py."""
    return current_app.extensions["insights"]


def store_id() -> str:
    """The store of the request's API key (set by the auth hook)."""
    return g.api_key.store_id


def optional_key() -> ApiKey | None:
    """On a public endpoint: the caller's key when it sent a valid one (then it sees details), else None."""
    if not request.headers.get("Authorization") and not request.cookies.get(COOKIE_NAME):
        return None
    st = state()
    try:
        key, _ = authenticate_request(request, st.warehouse.api_key, st.sessions, st.warehouse.session_key,
                                      st.verified)
    except Unauthorized:
        return None
    return key


def ok(data: Any, status: int = 200) -> Response:
    response = jsonify({"success": True, "data": data})
    response.status_code = status
    return response


def ok_raw(data_json: str) -> Response:
    """The success envelope around data that is already JSON text (a cached response)."""
    return Response(success_text(data_json), mimetype="application/json")


def query(model: type[QueryModel]) -> Any:
    """The request's query string validated by ``model`` (400 naming the parameter otherwise)."""
    return validate_query(model, request.args)


def cached(endpoint: str, params: dict[str, Any], compute: Callable[[], Any], raw: bool = False) -> Any:
    """``compute()`` for the key's store, cached per marts build (its JSON text when ``raw``)."""
    return state().cache.get_or_compute(store_id(), endpoint, params, compute, raw=raw)


def default_model() -> str:
    """The marts build's attribution_default_model, or the fallback when it names none we know."""
    build = state().tracker.current()
    model = build.attribution_default_model if build else None
    return model if model in MODELS else FALLBACK_ATTRIBUTION_MODEL


def last_data_date() -> dt.date | None:
    """The store's last date with data in the marts (cached per build)."""
    st = state()
    value = st.cache.get_or_compute(
        store_id(), "last_data_date", {},
        lambda: (lambda d: d.isoformat() if d else None)(st.warehouse.last_data_date(store_id())))
    return dt.date.fromisoformat(value) if value else None


def store_profile() -> dict[str, Any]:
    """The key's store as the page shows it (marts.dim_stores + its locale), cached per build;
    the fields are null (and the locale the default) for a store the marts do not know yet."""
    st = state()

    def compute() -> dict[str, Any]:
        row = st.warehouse.store(store_id()) or {}
        return {"store_id": store_id(), "name": row.get("name"), "currency": row.get("currency"),
                "timezone": row.get("timezone"), "industry": row.get("industry"),
                "locale": store_locale(row.get("currency"), row.get("timezone"))}

    return st.cache.get_or_compute(store_id(), "store_profile", {}, compute)


def data_as_of() -> str | None:
    """When the marts were last built (mart_build_info.built_at, ISO 8601), None before any build."""
    build = state().tracker.current()
    return build.built_at.isoformat() if build and build.built_at else None


def store_today() -> dt.date:
    """The store's local date now (marts.dim_stores.timezone, as the daily insights schedule reads
    it); for a store without a known timezone its last data date, else the UTC date."""
    st = state()
    timezone = st.cache.get_or_compute(store_id(), "store_timezone", {},
                                       lambda: st.warehouse.store_timezone(store_id()))
    return local_today(timezone) or last_data_date() or dt.datetime.now(dt.UTC).date()


def window_of(q: RangeQuery) -> Window:
    """The window of a range query (default: the 30 days ending at the last data date)."""
    return resolve_window(q.start_date, q.end_date, q.days, last_data_date)


def window_key(window: Window) -> dict[str, str]:
    """A window as cache-key parameters."""
    return {"start": window.start.isoformat(), "end": window.end.isoformat()}
