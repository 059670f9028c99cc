"""Translator over Fluent bundles with Russian plural rules; no user-facing text lives in code."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax.ast import Resource
from loguru import logger

from locales import LOCALES_DIR

SUPPORTED = ("ru", "en")
# VK's client_info.lang_id → our locale; anything we do not speak falls back to the default.
VK_LANG_IDS = {0: "ru", 3: "en"}


# How each language quotes a name; QUOTE($name) in the texts applies it.
QUOTES = {"ru": ("«", "»"), "en": ("“", "”")}
_QUOTE_MARKS = '«»„“”"'


def _quoter(marks: tuple[str, str]) -> Any:
    def quote(value: object) -> str:
        # A name with its own quotes (МБОУ «Школа № 5») is shown as it is: wrapping it again
        # would nest them («МБОУ «Школа № 5»»).
        text = str(value)
        return text if any(m in text for m in _QUOTE_MARKS) else f"{marks[0]}{text}{marks[1]}"

    return quote


@cache
def _parsed(path: Path) -> Resource:
    # Parsing is the slow part of building a bundle; the files do not change while we run.
    return FluentResource(path.read_text(encoding="utf-8"))


class Translator:
    def __init__(self, default: str = "ru", root: Path = LOCALES_DIR) -> None:
        self.default = default
        self._bundles: dict[str, FluentBundle] = {}
        for locale in SUPPORTED:
            # use_isolating=False: VK shows the Unicode isolation marks as garbage.
            bundle = FluentBundle(
                [locale], use_isolating=False, functions={"QUOTE": _quoter(QUOTES[locale])}
            )
            for path in sorted((root / locale).glob("*.ftl")):
                bundle.add_resource(_parsed(path))
            self._bundles[locale] = bundle

    def locale_for(self, lang_id: int | None) -> str | None:
        return None if lang_id is None else VK_LANG_IDS.get(lang_id)

    def has(self, key: str) -> bool:
        """Whether ``key`` is a text (e.g. a stored code that may or may not be one)."""
        return self._bundles[self.default].has_message(key)

    def __call__(self, locale: str, key: str, **args: Any) -> str:
        bundle = self._bundles.get(locale) or self._bundles[self.default]
        if not bundle.has_message(key):
            bundle = self._bundles[self.default]
            if not bundle.has_message(key):
                logger.error("Missing locale key {}", key)
                return key
        message = bundle.get_message(key)
        if message.value is None:
            logger.error("Locale key {} has no value", key)
            return key
        text, errors = bundle.format_pattern(message.value, args)
        for error in errors:
            logger.error("Locale key {}: {}", key, error)
        return str(text)
