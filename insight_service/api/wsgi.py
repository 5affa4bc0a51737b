"""WSGI entry point: ``granian --interface wsgi insight_service.api.wsgi:app`` or ``gunicorn
'insight_service.api.wsgi:app'`` (each worker process imports this module and builds its own pool; do not use
gunicorn's ``--preload``). Settings come from INSIGHTS_* and PG*."""
import os

from insight_service.api.app import create_app
from insight_service.telemetry.metrics import forget_dead_workers

forget_dead_workers(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
app = create_app()
