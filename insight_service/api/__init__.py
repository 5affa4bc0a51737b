"""The insight API: a Flask service over the marts (see shared/contracts/api.md).

``create_app(config)`` in :mod:`insight_service.api.app`; ``wsgi:app`` for gunicorn;
``insights keys ...`` / ``insights serve`` in :mod:`insight_service.api.cli_commands`.
"""
from __future__ import annotations


def create_app(config=None):
    from insight_service.api.app import create_app as _create_app

    return _create_app(config)


__all__ = ["create_app"]
