"""loguru set up once, before vkbottle is imported (vkbottle adds its own sink to a bare loguru)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from loguru import logger

if TYPE_CHECKING:
    from loguru import Record

TEXT_FORMAT = (
    # loguru appends "\n{exception}" to a string format itself; one more "\n" is an empty line.
    "{time:YYYY-MM-DD HH:mm:ss.SSS} | {level: <7} | {name}:{line} | {message}"
)


def configure(level: str, fmt: str, secrets: tuple[str, ...] = ()) -> None:
    hidden = tuple(s for s in secrets if s)

    def redact(record: Record) -> None:
        for secret in hidden:
            if secret in record["message"]:
                record["message"] = record["message"].replace(secret, "***")

    def only_ours(record: Record) -> bool:
        # vkbottle logs every request at DEBUG, token-free but noisy: keep its warnings only.
        name = record["name"] or ""
        return not name.startswith("vkbottle") or record["level"].no >= 30 or level == "TRACE"

    logger.remove()
    logger.configure(patcher=redact)
    if fmt == "json":
        logger.add(_json_sink, level=level, filter=only_ours, format="{message}", diagnose=False)
    else:
        # diagnose=False: variable values in tracebacks would put personal data in the log.
        logger.add(
            sys.stderr,
            level=level,
            filter=only_ours,
            format=TEXT_FORMAT,
            colorize=False,
            diagnose=False,
        )


def _json_sink(message: Any) -> None:
    record = message.record
    line: dict[str, Any] = {
        "time": record["time"].isoformat(),
        "level": record["level"].name,
        "logger": record["name"],
        "line": record["line"],
        "message": record["message"],
    }
    if record["exception"] is not None:
        line["exception"] = "".join(__import__("traceback").format_exception(*record["exception"]))
    sys.stderr.write(json.dumps(line, ensure_ascii=False) + "\n")
