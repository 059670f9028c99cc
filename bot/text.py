"""Text normalisation shared by storage (search index) and services (input checks)."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta, timezone

_QUOTES = "\"'«»„“”‘’`"
_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s-]", re.UNICODE)


def search_key(text: str) -> str:
    """Lower case, ё→е, no quotes, no №, punctuation as spaces, single spaces."""
    # № goes first: NFKC would turn it into the letters "No" ("№5" → "no5").
    text = text.replace("№", " ")
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    for q in _QUOTES:
        text = text.replace(q, " ")
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def has_control_chars(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t" for ch in text)


# Dates and times shown to people are Moscow time: the zone most of the audience reads by, and
# the one Sferum's own notices use.
MSK = timezone(timedelta(hours=3))


def msk_datetime(ts: int) -> str:
    return datetime.fromtimestamp(ts, MSK).strftime("%d.%m.%Y %H:%M")


def msk_date(ts: int) -> str:
    return datetime.fromtimestamp(ts, MSK).strftime("%d.%m.%Y")
