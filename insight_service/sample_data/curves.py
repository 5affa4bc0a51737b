"""The sample generator's true response curves, as a JSON file (true_curves.json).

Each paid channel of each sample store earns incremental revenue from its spend through a
Hill curve on geometrically adstocked daily spend (insight_service/optimizer/response.py);
the generator draws orders from these curves and the optimizer's benchmark scores plans
against them.
"""
from __future__ import annotations

import json
from pathlib import Path

from insight_service.optimizer.response import ResponseCurve


def write_truth(path: Path, curves: dict[str, dict[str, ResponseCurve]], meta: dict) -> None:
    """Write {meta..., "stores": {store_id: {channel: curve}}} as JSON."""
    doc = {**meta, "stores": {s: {c: cur.to_dict() for c, cur in chans.items()} for s, chans in curves.items()}}
    path.write_text(json.dumps(doc, indent=2, sort_keys=True))


def read_truth(path: Path) -> tuple[dict[str, dict[str, ResponseCurve]], dict]:
    doc = json.loads(Path(path).read_text())
    stores = doc.pop("stores")
    curves = {s: {c: ResponseCurve.from_dict(d) for c, d in chans.items()} for s, chans in stores.items()}
    return curves, doc
