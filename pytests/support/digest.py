"""A digest of every raw row a sample generates, to prove two generations identical (or not)."""
from __future__ import annotations

import hashlib


def raw_digest(data) -> str:
    """SHA-256 over every table's name, columns and COPY text, in the generator's order."""
    h = hashlib.sha256()
    for table, columns, rows in data.iter_chunks():
        h.update(table.encode())
        h.update("|".join(columns).encode())
        h.update(rows.copy_text().encode())
    return h.hexdigest()
