"""The Prometheus exposition: the service metrics (of every gunicorn worker in multiprocess mode, else
of this process) followed by the pipeline and warehouse metrics, computed at scrape time."""
from __future__ import annotations

import hmac
import os

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from insight_service.core.warehouse import Warehouse
from insight_service.pipeline.metrics import PipelineCollector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def token_matches(given: str, expected: str) -> bool:
    """Constant-time comparison of the scrape's token with the setting."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def service_registry() -> CollectorRegistry:
    """The registry of the service metrics: the files of all workers when gunicorn runs several."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return registry
    return REGISTRY


def exposition(warehouse: Warehouse) -> bytes:
    """The text format of every metric; the pipeline collector never fails a scrape."""
    pipeline = CollectorRegistry()
    pipeline.register(PipelineCollector(warehouse))
    # two registries, two blocks of distinct metric families: valid exposition text
    return generate_latest(service_registry()) + generate_latest(pipeline)
