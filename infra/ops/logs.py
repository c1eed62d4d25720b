"""Structured logs: one JSON object a line on stderr (or plain text), for every process.

A line holds the time, level, logger, message, the process id (so the lines of `govledger
up`'s children can be told apart) and every field passed with `extra=`. Our own packages log
at the configured level; libraries (kafka, faust, uvicorn) only from WARNING on, so their
chatter does not drown ours. Database URLs pass through `redact` before they are logged.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

import msgspec
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from infra.settings import Ops

OURS = ("aggregates", "consumers", "contracts", "infra", "projections")
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
_encoder = msgspec.json.Encoder(enc_hook=str)


def fields(record: logging.LogRecord) -> dict[str, Any]:
    """What the caller passed with `extra=`."""
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
            **fields(record),
        }
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return _encoder.encode(line).decode()


class Text(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        extra = " ".join(f"{k}={v}" for k, v in fields(record).items())
        text = super().format(record)
        return f"{text} {extra}" if extra else text


class _Stderr(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is at the time (test runners swap it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure(ops: Ops) -> logging.Handler:
    """Send every log record to stderr in the configured format; calling it again replaces
    the handler it installed before."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Stderr)]:
        root.removeHandler(old)
    handler = _Stderr()
    handler.setFormatter(Text() if ops.log_format == "text" else JsonLines())
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    for name in OURS:
        logging.getLogger(name).setLevel(ops.log_level.upper())
    return handler


def redact(url: str) -> str:
    """A database URL fit for a log line: its password replaced by `***`."""
    try:
        info = conninfo_to_dict(url)
    except Exception:
        return "<unparsed database url>"
    if info.get("password"):
        info["password"] = "***"
    return make_conninfo("", **info)  # "": no string to start from, only these parameters
