"""JSON lines on stdout, with `time`, `level` as a word and `msg`: what log collectors expect."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING, "error": logging.ERROR}
_NAMES = {number: name for name, number in LEVELS.items()} | {logging.CRITICAL: "error"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": _NAMES.get(record.levelno, record.levelname.lower()),
            "msg": record.getMessage(),
            "logger": record.name,
        }
        # Structured fields: logger.info("...", extra={"fields": {...}}).
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["err"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    set_level(level)
    # uvicorn's own lines go through the same handler; its access log is replaced by ours (no probes).
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True


def set_level(level: str) -> None:
    logging.getLogger().setLevel(LEVELS[level])


def fields(**values: object) -> dict[str, dict[str, object]]:
    """Structured fields for one log line."""
    return {"fields": values}
