"""Paged lists of buttons: VK's inline keyboard holds 6 rows and 10 buttons, so long lists page."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.callback_data import CallbackData
from keyboards.builder import KeyboardBuilder


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // size))


def items(
    kb: KeyboardBuilder, entries: Sequence[tuple[str, CallbackData]], per_row: int = 1
) -> KeyboardBuilder:
    """Each entry a button, `per_row` to a row, then a fresh row for what follows."""
    for i, (label, data) in enumerate(entries):
        if i % per_row == 0:
            kb.row()
        kb.button(label, data)
    return kb.row()


def nav(
    kb: KeyboardBuilder,
    page: int,
    pages: int,
    make: Callable[[int], CallbackData],
    prev_label: str,
    next_label: str,
) -> KeyboardBuilder:
    """Previous/next buttons on the current row, only where there is somewhere to go."""
    if page > 0:
        kb.button(prev_label, make(page - 1))
    if page < pages - 1:
        kb.button(next_label, make(page + 1))
    return kb
