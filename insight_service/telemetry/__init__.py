"""Telemetry of the service and the CLI: Prometheus metrics (metrics.py), JSON logs (logs.py) and
optional error tracking (sentry.py). Sits just below insight_service.core: it imports nothing of
the package, so every layer above may record a metric or log a line."""
