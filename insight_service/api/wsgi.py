"""WSGI entry point: ``granian --interface wsgi insight_service.api.wsgi:app`` or ``gunicorn
'insight_service.api.wsgi:app'`` (each worker process imports this module and builds its own pool; do not use
gunicorn's ``--preload``). Settings come from INSIGHTS_* and PG*."""
import os

from insight_service.api.app import create_app
from insight_service.telemetry.metrics import forget_dead_workers


class TrustedProxyScheme:
    """``X-Forwarded-Proto`` sets the request's scheme (so session cookies are ``Secure`` behind a TLS proxy) only
    when the peer is one of FORWARDED_ALLOW_IPS (comma-separated, ``*`` for any): what gunicorn does itself,
    and granian does not."""

    def __init__(self, wsgi_app, allowed: str):
        self.wsgi_app = wsgi_app
        self.allowed = {address.strip() for address in allowed.split(",") if address.strip()}

    def __call__(self, environ, start_response):
        proto = environ.get("HTTP_X_FORWARDED_PROTO", "").strip().lower()
        if proto in ("http", "https") and ("*" in self.allowed or environ.get("REMOTE_ADDR") in self.allowed):
            environ["wsgi.url_scheme"] = proto
        return self.wsgi_app(environ, start_response)


forget_dead_workers(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
app = create_app()
app.wsgi_app = TrustedProxyScheme(app.wsgi_app, os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"))
