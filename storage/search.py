"""The one normalisation both sides of a search go through: what the index stores and what the
query is folded to (registered as the SQL function search_key for LIKE-style matching)."""

from __future__ import annotations

import re
import unicodedata

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
