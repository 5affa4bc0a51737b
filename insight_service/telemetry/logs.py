"""JSON logs: one object per line (``ts`` ISO-8601 UTC, ``level``, ``logger``, ``message`` and the
record's extra fields), for the service, the CLI and gunicorn's error log alike."""
from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import Any

# attributes every LogRecord has: anything else on a record came from `extra=` and is logged as a field
_STANDARD = set(vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in out:
                out[key] = value
        if record.exc_info:
            out["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


def configure(level: str = "INFO", logger_name: str = "insight_service", stream: Any = None) -> None:
    """Log ``logger_name`` at ``level`` as JSON on stderr, unless the host (gunicorn's log config,
    pytest) already put a handler on the root logger: then its records propagate there."""
    logger = logging.getLogger(logger_name)
    logger.setLevel(level)
    if logging.getLogger().handlers or logger.handlers:
        return
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)


def gunicorn_logconfig(level: str = "INFO") -> dict[str, Any]:
    """gunicorn's ``logconfig_dict``: its error log and the root logger (the app's records) as JSON
    on stderr. gunicorn's access log stays off: the app logs one line per request."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {"error_console": {"class": "logging.StreamHandler", "formatter": "json",
                                       "stream": "ext://sys.stderr"}},
        "root": {"level": level, "handlers": ["error_console"]},
        "loggers": {"gunicorn.error": {"level": level, "handlers": ["error_console"], "propagate": False,
                                       "qualname": "gunicorn.error"}},
    }
