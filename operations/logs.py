"""Log records carry the request id; in production they are written one JSON object a line (python-json-logger)."""

import logging
from datetime import UTC, datetime

from pythonjsonlogger.json import JsonFormatter

from operations.context import current_request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            # "-" outside any request or task: a field that is always there is easier to filter on.
            record.request_id = current_request_id() or "-"
        return True


class ServiceJsonFormatter(JsonFormatter):
    """time, level, logger, message, request_id, then whatever the call passed in `extra`."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", False)
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s", *args, **kwargs)

    def formatTime(self, record, datefmt=None) -> str:
        return datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")


def logging_config(*, log_format: str, level: str) -> dict:
    """The LOGGING dict for every environment: `plain` lines for people, `json` lines for log collectors."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "operations.logs.RequestIdFilter"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {"()": "operations.logs.ServiceJsonFormatter"},
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["request_id"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "WARNING"}},
    }
