"""JSON logs: one object per line (``ts`` ISO-8601 UTC, ``level``, ``logger``, ``message``, ``pid`` and
the record's extra fields), for the service, the CLI and gunicorn's error log alike."""
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
            "pid": record.process,  # which gunicorn worker
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in out:
                out[key] = value
        if record.exc_info:
            out["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


def configure(level: str = "INFO", stream: Any = None) -> None:
    """The package's loggers at ``level``, every record as JSON on stderr (other libraries' records from
    WARNING up). A host that already configured the root logger (gunicorn's log config, pytest) keeps
    its handlers: the records propagate to them."""
    level = level if level in logging.getLevelNamesMapping() else "INFO"  # never fail a command on it
    logging.getLogger("insight_service").setLevel(level)
    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(logging.WARNING)


def _json_logconfig(level: str, loggers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A dictConfig with the root logger (the app's records) and the server's ``loggers`` as JSON on
    stderr; each of ``loggers`` gets that handler and does not propagate."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {"error_console": {"class": "logging.StreamHandler", "formatter": "json",
                                       "stream": "ext://sys.stderr"}},
        "root": {"level": level, "handlers": ["error_console"]},
        "loggers": {name: {**options, "handlers": ["error_console"], "propagate": False}
                    for name, options in loggers.items()},
    }


def gunicorn_logconfig(level: str = "INFO") -> dict[str, Any]:
    """gunicorn's ``logconfig_dict``: its error log and the root logger (the app's records) as JSON
    on stderr. gunicorn's access log stays off: the app logs one line per request."""
    return _json_logconfig(level, {"gunicorn.error": {"level": level, "qualname": "gunicorn.error"}})


def granian_logconfig(level: str = "INFO") -> dict[str, Any]:
    """granian's ``--log-config``: its logger ``_granian`` and the root logger (the app's records) as JSON on
    stderr. granian's access log stays off (``--no-access-log``): the app logs one line per request."""
    return _json_logconfig(level, {"_granian": {"level": level}, "granian.access": {"level": "WARNING"}})
