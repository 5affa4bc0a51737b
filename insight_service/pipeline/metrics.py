"""PLACEHOLDER until the obs-ops branch is merged (its real file replaces this one): the collector of
the pipeline and warehouse metrics, computed at scrape time from app.pipeline_runs and the marts."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any


class PipelineCollector:
    def __init__(self, warehouse: Any):
        self.warehouse = warehouse

    def collect(self) -> Iterator[Any]:
        yield from ()
