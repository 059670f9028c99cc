"""Fluent translations: one folder per language, every user-facing text of the bot."""

from pathlib import Path

LOCALES_DIR = Path(__file__).parent
