"""Checks of what people type and the dates shown to them."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone


def has_control_chars(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t" for ch in text)


# Dates and times shown to people are Moscow time: the zone most of the audience reads by, and
# the one Sferum's own notices use.
MSK = timezone(timedelta(hours=3))


def msk_datetime(ts: int) -> str:
    return datetime.fromtimestamp(ts, MSK).strftime("%d.%m.%Y %H:%M")


def msk_date(ts: int) -> str:
    return datetime.fromtimestamp(ts, MSK).strftime("%d.%m.%Y")
