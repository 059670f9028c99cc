"""MAX's documented limits that its schema does not carry (dev.max.ru, "Клавиатура для чат-бота",
"POST /messages", "POST /answers", the FAQ on request rates).

MAX answers a message that breaks one with 400 and sends nothing, so a bot that breaks one loses
the whole message in production.
"""

from __future__ import annotations

from typing import Any

REQUESTS_PER_SECOND = 30
MESSAGES_PER_DIALOG_PER_SECOND = 2
ANSWERS_PER_DIALOG_PER_SECOND = 2
MAX_TEXT = 4000
MAX_BUTTONS, MAX_ROWS, MAX_ROW_BUTTONS = 210, 30, 7
# A row holding one of these buttons takes at most three: their labels need the room.
WIDE_BUTTONS = frozenset({"link", "open_app", "request_geo_location", "request_contact"})
MAX_WIDE_ROW_BUTTONS = 3
MAX_BUTTON_TEXT = 128
MAX_CALLBACK_PAYLOAD = 1024
# The help page says 128; the schema allows 512 for bot_started.payload: links stay within 128.
MAX_START_PAYLOAD = 128


def check_keyboard(payload: Any) -> list[str]:
    """The ``payload`` of an ``inline_keyboard`` attachment (its shape is the schema's job)."""
    rows = payload.get("buttons") if isinstance(payload, dict) else None
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        return ["buttons must be a list of rows"]
    problems: list[str] = []
    if not rows:
        problems.append("a keyboard needs at least one row")
    if len(rows) > MAX_ROWS:
        problems.append(f"{len(rows)} rows, a keyboard allows {MAX_ROWS}")
    total = sum(len(row) for row in rows)
    if total > MAX_BUTTONS:
        problems.append(f"{total} buttons, a keyboard allows {MAX_BUTTONS}")
    for i, row in enumerate(rows):
        if not row:
            problems.append(f"row {i} is empty")
        wide = any(isinstance(b, dict) and b.get("type") in WIDE_BUTTONS for b in row)
        most = MAX_WIDE_ROW_BUTTONS if wide else MAX_ROW_BUTTONS
        if len(row) > most:
            why = " (it holds a link, app, contact or location button)" if wide else ""
            problems.append(f"row {i} has {len(row)} buttons, at most {most}{why}")
        for j, button in enumerate(row):
            problems += _check_button(button, f"button [{i}][{j}]")
    return problems


def _check_button(button: Any, where: str) -> list[str]:
    if not isinstance(button, dict):
        return [f"{where}: not an object"]
    problems = []
    text = button.get("text")
    if isinstance(text, str) and len(text) > MAX_BUTTON_TEXT:
        problems.append(f"{where}: text has {len(text)} characters, at most {MAX_BUTTON_TEXT}")
    payload = button.get("payload")
    if button.get("type") == "callback" and isinstance(payload, str):
        if len(payload) > MAX_CALLBACK_PAYLOAD:
            problems.append(
                f"{where}: payload has {len(payload)} characters, at most {MAX_CALLBACK_PAYLOAD}"
            )
        if not payload:
            problems.append(f"{where}: a callback button needs a non-empty payload")
    return problems
