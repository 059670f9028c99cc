"""What people type: the rules for a full name (ФИО), a position and other one-line answers,
shared by every conversation that asks for them."""

from __future__ import annotations

import itertools
import re
from enum import StrEnum

from bot.text import has_control_chars

MAX_NAME = 100
MAX_POSITION = 100


class InputProblem(StrEnum):
    EMPTY = "empty"
    CONTROL = "control"
    TOO_LONG = "too-long"
    SHORT = "short"
    DIGITS = "digits"
    WORDS = "words"
    LETTERS = "letters"
    MIXED = "mixed"
    NO_LETTERS = "no-letters"


class BadInput(Exception):
    def __init__(self, problem: InputProblem, limit: int = 0) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.limit = limit


_LATIN = "A-Za-z"
# The Cyrillic block without its combining marks and the thousands sign.
_CYRILLIC = "\u0400-\u0481\u048a-\u04ff"
_NAME_WORD = re.compile(rf"[{_LATIN}{_CYRILLIC}]+(?:['-][{_LATIN}{_CYRILLIC}]+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "`": "'"})


def common_checks(text: str, limit: int) -> str:
    """The text on one line, or the reason it cannot be an answer at all."""
    if not any(ch.isalnum() for ch in text):
        raise BadInput(InputProblem.EMPTY)
    if has_control_chars(text):
        raise BadInput(InputProblem.CONTROL)
    clean = " ".join(text.split())
    if len(clean) > limit:
        raise BadInput(InputProblem.TOO_LONG, limit)
    return clean


def _capitalise(word: str) -> str:
    parts = []
    for piece in word.split("-"):
        subparts = piece.split("'")
        out = [subparts[0][:1].upper() + subparts[0][1:].lower()]
        for before, sub in itertools.pairwise(subparts):
            # O'Neil, D'Arcy: a one-letter particle before the apostrophe, the name after it.
            out.append(sub[:1].upper() + sub[1:].lower() if len(before) == 1 else sub.lower())
        parts.append("'".join(out))
    return "-".join(parts)


def _script(ch: str) -> str:
    return "latin" if ch.isascii() else "cyrillic"


def parse_full_name(text: str) -> str:
    """ "иванова  анна сергеевна" → "Иванова Анна Сергеевна"; BadInput when it is not a name."""
    clean = common_checks(text.translate(_APOSTROPHES), MAX_NAME)
    if any(ch.isdigit() for ch in clean):
        raise BadInput(InputProblem.DIGITS)
    words = clean.split()
    if not 2 <= len(words) <= 3:
        raise BadInput(InputProblem.WORDS)
    for word in words:
        if not _NAME_WORD.fullmatch(word):
            raise BadInput(InputProblem.LETTERS)
        if len({_script(ch) for ch in word if ch.isalpha()}) > 1:
            raise BadInput(InputProblem.MIXED)
    return " ".join(_capitalise(w) for w in words)


def parse_line(text: str, limit: int) -> str:
    """A one-line answer with some letters: a position, an invitation's name."""
    clean = common_checks(text, limit)
    if not any(ch.isalpha() for ch in clean):
        raise BadInput(InputProblem.NO_LETTERS)
    return clean


def parse_position(text: str) -> str:
    return parse_line(text, MAX_POSITION)
