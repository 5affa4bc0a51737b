"""The insight API: a Flask service over the marts (see shared/contracts/api.md).

``create_app(config)`` in :mod:`insight_service.api.app`; ``wsgi:app`` for gunicorn;
``insights keys ...`` / ``insights serve`` in :mod:`insight_service.cli.keys` and :mod:`insight_service.cli.serve`.

Layout: ``web/`` is the HTTP toolkit (errors, OpenAPI, auth, cache, params, request context, JSON);
one package per feature (dashboard, attribution, benchmarks, budget, calendar, exports, insights,
data_quality, health), each with ``bp`` in its ``__init__``, ``routes.py`` (thin views),
``service.py`` (query results -> response data), ``queries.py`` (its SQL) and ``schemas.py``
(query and response models). Settings, the warehouse repository and domain errors are in
insight_service/core/.
"""
from __future__ import annotations


def create_app(config=None):
    from insight_service.api.app import create_app as _create_app

    return _create_app(config)


__all__ = ["create_app"]
