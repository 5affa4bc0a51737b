"""WSGI entry point: ``gunicorn 'insight_service.api.wsgi:app'`` (each worker builds its own
pool after the fork; do not use ``--preload``). Settings come from INSIGHTS_* and PG*."""
from insight_service.api.app import create_app

app = create_app()
