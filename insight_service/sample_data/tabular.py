"""Typed column blocks: one set of numpy arrays renders both PostgreSQL COPY text and tuples.

The generator keeps every table as a `Frame` of typed numpy columns. `Frame.copy_text()`
renders the block in COPY text format with vectorised look-ups (the loader's fast path);
iterating a `Frame` yields plain Python tuples (str, int, Decimal, datetime, date, bool, None),
the public `Iterable[tuple]` of `SampleData.iter_chunks()`. Both come from the same arrays,
so they always agree.

Column kinds and their array representation:
    text   object array of str, None = null
    int    int64 array (+ optional bool null mask)
    dec2   int64 hundredths (numeric(…,2)); dec4: int64 ten-thousandths
    ts     int64 epoch seconds UTC (timestamptz)
    ts_us  int64 epoch microseconds UTC (timestamptz): `_loaded_at` of appended rows, which
           are squeezed between the previous load and the append instant (`with_loaded_at_us`)
    date   int64 days since 1970-01-01
    bool   bool array
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from operator import add

import numpy as np

UTC = dt.UTC
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
NULL = "\\N"

# table -> [(column, kind)], in the order of raw_schema.sql
SCHEMAS: dict[str, list[tuple[str, str]]] = {
    "stores": [("store_id", "text"), ("name", "text"), ("industry", "text"), ("currency", "text"),
               ("timezone", "text"), ("status", "text"), ("created_at", "ts")],
    "marketing_channels": [("channel_id", "text"), ("store_id", "text"), ("type", "text"), ("name", "text"),
                           ("monthly_budget", "dec2"), ("status", "text"), ("created_at", "ts")],
    "blog_articles": [("article_id", "text"), ("store_id", "text"), ("title", "text"), ("slug", "text"),
                      ("target_keyword", "text"), ("status", "text"), ("scheduled_for", "ts"),
                      ("published_at", "ts"), ("created_at", "ts")],
    "article_daily_stats": [("store_id", "text"), ("article_id", "text"), ("date", "date"),
                            ("impressions", "int"), ("organic_clicks", "int"), ("avg_position", "dec2"),
                            ("pageviews", "int"), ("unique_visitors", "int"),
                            ("avg_time_on_page_s", "dec2"), ("bounce_rate", "dec4")],
    "influencers": [("influencer_id", "text"), ("platform", "text"), ("handle", "text"),
                    ("followers", "int"), ("niche", "text")],
    "influencer_campaigns": [("campaign_id", "text"), ("store_id", "text"), ("name", "text"),
                             ("status", "text"), ("budget_allocated", "dec2"), ("start_date", "date"),
                             ("end_date", "date"), ("created_at", "ts")],
    "influencer_outreach": [("outreach_id", "text"), ("campaign_id", "text"), ("influencer_id", "text"),
                            ("status", "text"), ("sent_at", "ts"), ("opened_at", "ts"), ("replied_at", "ts")],
    "influencer_contracts": [("contract_id", "text"), ("store_id", "text"), ("campaign_id", "text"),
                             ("influencer_id", "text"), ("fee", "dec2"), ("start_date", "date"),
                             ("end_date", "date"), ("status", "text")],
    "influencer_deliveries": [("delivery_id", "text"), ("contract_id", "text"), ("deliverable_type", "text"),
                              ("platform", "text"), ("post_date", "date"), ("status", "text"),
                              ("reach", "int"), ("impressions", "int"), ("engagements", "int"),
                              ("clicks", "int")],
    "social_posts_daily": [("store_id", "text"), ("post_id", "text"), ("platform", "text"), ("date", "date"),
                           ("impressions", "int"), ("engagements", "int"), ("clicks", "int"),
                           ("spend", "dec2")],
    "ad_campaign_daily": [("store_id", "text"), ("platform", "text"), ("campaign_id", "text"),
                          ("campaign_name", "text"), ("date", "date"), ("impressions", "int"),
                          ("clicks", "int"), ("spend", "dec2"), ("platform_conversions", "dec2")],
    "marketing_spend": [("spend_id", "text"), ("store_id", "text"), ("channel", "text"),
                        ("source_type", "text"), ("source_id", "text"), ("spend_date", "date"),
                        ("amount", "dec2"), ("description", "text")],
    "web_sessions": [("session_id", "text"), ("store_id", "text"), ("visitor_id", "text"),
                     ("customer_id", "text"), ("started_at", "ts"), ("duration_s", "int"),
                     ("pageviews", "int"), ("bounced", "bool"), ("landing_path", "text"),
                     ("referrer_host", "text"), ("utm_source", "text"), ("utm_medium", "text"),
                     ("utm_campaign", "text"), ("utm_content", "text")],
    "customer_identities": [("store_id", "text"), ("visitor_id", "text"), ("customer_id", "text"),
                            ("linked_at", "ts")],
    "orders": [("order_id", "text"), ("store_id", "text"), ("customer_id", "text"), ("visitor_id", "text"),
               ("created_at", "ts"), ("status", "text"), ("subtotal", "dec2"), ("discount", "dec2"),
               ("shipping", "dec2"), ("tax", "dec2"), ("total", "dec2"), ("refunded_amount", "dec2"),
               ("cogs", "dec2"), ("promo_code", "text")],
}
for _cols in SCHEMAS.values():
    _cols.append(("_loaded_at", "ts"))

# natural keys (raw_sources.md), in contract order; used for manifest row keys
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "stores": ("store_id",),
    "marketing_channels": ("channel_id",),
    "blog_articles": ("article_id",),
    "article_daily_stats": ("article_id", "date"),
    "influencers": ("influencer_id",),
    "influencer_campaigns": ("campaign_id",),
    "influencer_outreach": ("outreach_id",),
    "influencer_contracts": ("contract_id",),
    "influencer_deliveries": ("delivery_id",),
    "social_posts_daily": ("post_id", "date"),
    "ad_campaign_daily": ("platform", "campaign_id", "date"),
    "marketing_spend": ("spend_id",),
    "web_sessions": ("session_id",),
    "customer_identities": ("store_id", "visitor_id"),
    "orders": ("order_id",),
}

# free-text columns that may hold tabs, newlines or backslashes (escaped for COPY text)
FREE_TEXT = {"title", "name", "description", "campaign_name", "handle", "target_keyword", "promo_code"}

_DEC_SCALE = {"dec2": 2, "dec4": 4}
_FRAC_TABLES: dict[int, np.ndarray] = {}
_SECOND_TABLE: np.ndarray | None = None
_BOOL_TABLE = np.array(["f", "t"], dtype=object)
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _frac_table(k: int) -> np.ndarray:
    if k not in _FRAC_TABLES:
        _FRAC_TABLES[k] = np.array(["." + str(i).zfill(k) for i in range(10**k)], dtype=object)
    return _FRAC_TABLES[k]


def _second_table() -> np.ndarray:
    global _SECOND_TABLE
    if _SECOND_TABLE is None:
        _SECOND_TABLE = np.array(
            [f" {h:02d}:{m:02d}:{s:02d}+00" for h in range(24) for m in range(60) for s in range(60)],
            dtype=object,
        )
    return _SECOND_TABLE


def _day_table(lo: int, hi: int) -> np.ndarray:
    days = np.arange(lo, hi + 1, dtype=np.int64).astype("datetime64[D]")
    return np.array(np.datetime_as_string(days, unit="D").tolist(), dtype=object)


class Frame:
    """Rows of one raw table as typed numpy columns (see module docstring)."""

    __slots__ = ("table", "columns", "kinds", "data", "masks", "n")

    def __init__(self, table: str, data: dict, masks: dict | None = None):
        self.table = table
        schema = SCHEMAS[table]
        self.columns = [c for c, _ in schema]
        self.kinds = dict(schema)
        missing = set(self.columns) - set(data)
        if missing:
            raise ValueError(f"{table}: missing columns {sorted(missing)}")
        lengths = {c: len(data[c]) for c in self.columns if not np.isscalar(data[c]) and data[c] is not None}
        n = max(lengths.values()) if lengths else 0
        self.n = n
        self.data = {}
        for c in self.columns:
            v = data[c]
            kind = self.kinds[c]
            if v is None or np.isscalar(v) or isinstance(v, str):
                if kind == "text":
                    arr = np.empty(n, dtype=object)
                    arr[:] = v
                else:
                    arr = np.full(n, 0 if v is None else v, dtype=bool if kind == "bool" else np.int64)
                    if v is None:
                        masks = dict(masks or {})
                        masks[c] = np.ones(n, dtype=bool)
            elif kind == "text":
                arr = np.asarray(v, dtype=object)
            elif kind == "bool":
                arr = np.asarray(v, dtype=bool)
            else:
                arr = np.asarray(v, dtype=np.int64)
            if len(arr) != n:
                raise ValueError(f"{table}.{c}: {len(arr)} values, expected {n}")
            self.data[c] = arr
        self.masks = {c: np.asarray(m, dtype=bool) for c, m in (masks or {}).items() if m is not None}

    def __len__(self) -> int:
        return self.n

    def with_loaded_at_us(self, loaded_us) -> Frame:
        """A copy whose `_loaded_at` is the given epoch microseconds (rendered with fractions)."""
        f = self.take(np.arange(self.n))
        f.kinds = {**self.kinds, "_loaded_at": "ts_us"}
        f.data["_loaded_at"] = np.asarray(loaded_us, dtype=np.int64)
        return f

    # ---- manipulation (used by the dirty-row injector) ----
    def take(self, idx) -> Frame:
        idx = np.asarray(idx, dtype=np.int64)
        f = Frame.__new__(Frame)
        f.table, f.columns, f.kinds, f.n = self.table, self.columns, self.kinds, len(idx)
        f.data = {c: v[idx].copy() for c, v in self.data.items()}
        f.masks = {c: m[idx].copy() for c, m in self.masks.items()}
        return f

    def set_null(self, column: str, rows=None) -> None:
        rows = np.arange(self.n) if rows is None else np.asarray(rows)
        if self.kinds[column] == "text":
            self.data[column][rows] = None
        else:
            m = self.masks.setdefault(column, np.zeros(self.n, dtype=bool))
            m[rows] = True

    def set_value(self, column: str, values, rows=None) -> None:
        rows = np.arange(self.n) if rows is None else np.asarray(rows)
        self.data[column][rows] = values
        if column in self.masks:
            self.masks[column][rows] = False

    def is_null(self, column: str) -> np.ndarray:
        v = self.data[column]
        if self.kinds[column] == "text":
            return np.equal(v, None)
        m = self.masks.get(column)
        return m.copy() if m is not None else np.zeros(self.n, dtype=bool)

    @staticmethod
    def concat(frames: list[Frame]) -> Frame:
        frames = [f for f in frames if f is not None]
        first = frames[0]
        f = Frame.__new__(Frame)
        f.table, f.columns, f.kinds = first.table, first.columns, first.kinds
        f.n = sum(x.n for x in frames)
        f.data = {c: np.concatenate([x.data[c] for x in frames]) for c in first.columns}
        f.masks = {}
        for c in {c for x in frames for c in x.masks}:
            f.masks[c] = np.concatenate([x.masks.get(c, np.zeros(x.n, dtype=bool)) for x in frames])
        return f

    def slices(self, size: int):
        """Consecutive blocks of `size` rows: views on this frame's arrays (no copy; read only)."""
        for a in range(0, self.n, size):
            b = min(a + size, self.n)
            f = Frame.__new__(Frame)
            f.table, f.columns, f.kinds, f.n = self.table, self.columns, self.kinds, b - a
            f.data = {c: v[a:b] for c, v in self.data.items()}
            f.masks = {c: m[a:b] for c, m in self.masks.items()}
            yield f

    # ---- key rendering for the manifest ----
    def key_strings(self, columns=None) -> list[str]:
        columns = columns or NATURAL_KEYS[self.table]
        parts = []
        for c in columns:
            kind = self.kinds[c]
            nulls = self.is_null(c)
            if kind == "text":
                vals = [str(x) for x in self.data[c].tolist()] if self.n else []
            elif kind == "date":
                vals = [dt.date.fromordinal(_EPOCH_ORDINAL + int(x)).isoformat() for x in self.data[c].tolist()]
            else:
                vals = [str(x) for x in self.data[c].tolist()]
            parts.append(["<null>" if nl else v for v, nl in zip(vals, nulls.tolist())])
        return ["|".join(p) for p in zip(*parts)]

    # ---- output ----
    def _text_column(self, c: str) -> list[str]:
        kind = self.kinds[c]
        v = self.data[c]
        if kind == "text":
            out = v
            if c in FREE_TEXT:
                out = np.array([x.translate(_ESCAPES) if x is not None else None for x in v.tolist()],
                               dtype=object)
            nulls = np.equal(out, None)
            if nulls.any():
                out = out.copy()
                out[nulls] = NULL
            return out.tolist()
        if kind == "int":
            out = list(map(str, v.tolist()))
        elif kind in _DEC_SCALE:
            k = _DEC_SCALE[kind]
            a = np.abs(v)
            out = list(map(add, map(str, (a // 10**k).tolist()), _frac_table(k)[a % 10**k].tolist()))
            for i in np.flatnonzero(v < 0).tolist():
                out[i] = "-" + out[i]
        elif kind == "ts" and c == "_loaded_at" and self.n > 1000:
            # few distinct load instants: render each once
            uniq, inv = np.unique(v, return_inverse=True)
            day = uniq // 86400
            lo = int(day.min())
            out = (_day_table(lo, int(day.max()))[day - lo] + _second_table()[uniq - day * 86400])[inv].tolist()
        elif kind == "ts":
            day = v // 86400
            lo, hi = (int(day.min()), int(day.max())) if self.n else (0, 0)
            out = list(map(add, _day_table(lo, hi)[day - lo].tolist(), _second_table()[v - day * 86400].tolist()))
        elif kind == "ts_us":
            sec, us = np.divmod(v, 1_000_000)
            day = sec // 86400
            lo, hi = (int(day.min()), int(day.max())) if self.n else (0, 0)
            # "YYYY-MM-DD HH:MM:SS.ffffff+00": the seconds table ends in "+00"
            whole = _second_table()[sec - day * 86400]
            out = [d + w[:-3] + "." + str(u).zfill(6) + "+00"
                   for d, w, u in zip(_day_table(lo, hi)[day - lo].tolist(), whole.tolist(), us.tolist())]
        elif kind == "date":
            lo, hi = (int(v.min()), int(v.max())) if self.n else (0, 0)
            out = _day_table(lo, hi)[v - lo].tolist()
        elif kind == "bool":
            out = _BOOL_TABLE[v.astype(np.int8)].tolist()
        else:  # pragma: no cover
            raise ValueError(kind)
        m = self.masks.get(c)
        if m is not None:
            for i in np.flatnonzero(m).tolist():
                out[i] = NULL
        return out

    def copy_text(self) -> str:
        """The rows in PostgreSQL COPY text format (tab separated, \\N for null), one per line."""
        if self.n == 0:
            return ""
        cols = [self._text_column(c) for c in self.columns]
        return "\n".join(map("\t".join, zip(*cols))) + "\n"

    def _py_column(self, c: str) -> list:
        kind = self.kinds[c]
        v = self.data[c]
        if kind == "text":
            return v.tolist()
        if kind == "int":
            out = v.tolist()
        elif kind in _DEC_SCALE:
            k = -_DEC_SCALE[kind]
            out = [Decimal(x).scaleb(k) for x in v.tolist()]
        elif kind == "ts":
            td = dt.timedelta
            out = [_EPOCH + td(seconds=x) for x in v.tolist()]
        elif kind == "ts_us":
            td = dt.timedelta
            out = [_EPOCH + td(microseconds=x) for x in v.tolist()]
        elif kind == "date":
            fo = dt.date.fromordinal
            out = [fo(_EPOCH_ORDINAL + x) for x in v.tolist()]
        else:
            out = v.tolist()
        m = self.masks.get(c)
        if m is not None and m.any():
            for i in np.flatnonzero(m).tolist():
                out[i] = None
        return out

    def __iter__(self):
        return zip(*[self._py_column(c) for c in self.columns])

    def rows(self) -> list[tuple]:
        return list(self)


def str_ids(prefix: str, numbers) -> np.ndarray:
    """prefix + decimal number, as an object array (fast)."""
    return np.array(list(map(prefix.__add__, map(str, np.asarray(numbers).tolist()))), dtype=object)


def concat_str(*parts) -> np.ndarray:
    """Element-wise concatenation of object arrays / scalars."""
    out = None
    for p in parts:
        p = np.asarray(p, dtype=object) if not isinstance(p, str) else p
        out = p if out is None else out + p
    return np.asarray(out, dtype=object)


__all__ = ["Frame", "SCHEMAS", "NATURAL_KEYS", "str_ids", "concat_str"]
