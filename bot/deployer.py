"""What the deployer reads in the terminal: in Russian, or in English when LANG says English.

The bot's users get their VK client's language; the person at the server's terminal gets the
language of their locale settings, so a deployer who set LANG=en_US.UTF-8 is not answered in
Russian.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from bot.i18n import Translator


def locale() -> str:
    # POSIX precedence: LC_ALL over LC_MESSAGES over LANG; "C"/"POSIX" say nothing of a language.
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").strip()
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return "en" if value.lower().startswith("en") else "ru"
    return "ru"


@cache
def _translator() -> Translator:
    return Translator("ru")


def say(key: str, **args: Any) -> str:
    """The deployer-facing text under ``key`` in the terminal's language. Everything is passed
    as text: ids, line numbers and counts read in scripts must not get thousands separators,
    and paths or exceptions are not Fluent's types."""
    plain = {k: str(v) for k, v in args.items()}
    return _translator()(locale(), key, **plain)
