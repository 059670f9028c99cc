"""VK's documented keyboard and callback-answer limits, which the schema cannot express.

vkbottle checks none of them, and VK answers a broken keyboard with error 911 and sends nothing,
so a bot that breaks one loses the whole message in production.
"""

from __future__ import annotations

import json
from typing import Any

MAX_ROW_BUTTONS = 5
MAX_ROWS, MAX_BUTTONS = 10, 40
MAX_INLINE_ROWS, MAX_INLINE_BUTTONS = 6, 10
MAX_LABEL = 40
MAX_PAYLOAD = 255
MAX_SNACKBAR = 90

# Action type -> fields VK requires for it (messages_keyboard_button_action_* in the schema).
ACTIONS: dict[str, tuple[str, ...]] = {
    "text": ("label",),
    "callback": ("label",),
    "open_link": ("label", "link"),
    "location": (),
    "vkpay": ("hash",),
    "open_app": ("label", "app_id", "owner_id"),
}
# The schema lists "default"; VK's documentation and vkbottle use "secondary" for the same.
COLORS = frozenset({"default", "secondary", "primary", "positive", "negative"})
KEYBOARD_FIELDS = frozenset({"one_time", "inline", "buttons", "author_id"})


def payload_text(payload: Any) -> str:
    """The payload as VK stores and delivers it: a string stays, an object is compacted."""
    if isinstance(payload, str):
        return payload
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def check_keyboard(raw: str) -> list[str]:
    try:
        keyboard = json.loads(raw)
    except ValueError:
        return ["keyboard is not valid JSON"]
    if not isinstance(keyboard, dict):
        return ["keyboard is not a JSON object"]
    problems = [f"unknown keyboard field {k!r}" for k in sorted(set(keyboard) - KEYBOARD_FIELDS)]
    inline = keyboard.get("inline", False)
    for flag in ("inline", "one_time"):
        if not isinstance(keyboard.get(flag, False), bool):
            problems.append(f"{flag} must be true or false")
    if inline and keyboard.get("one_time"):
        problems.append("one_time is not allowed in an inline keyboard")
    rows = keyboard.get("buttons")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        return [*problems, "buttons must be a list of rows"]
    kind = "inline" if inline else "standard"
    max_rows = MAX_INLINE_ROWS if inline else MAX_ROWS
    max_buttons = MAX_INLINE_BUTTONS if inline else MAX_BUTTONS
    if len(rows) > max_rows:
        problems.append(f"{len(rows)} rows, a {kind} keyboard allows {max_rows}")
    total = sum(len(row) for row in rows)
    if total > max_buttons:
        problems.append(f"{total} buttons, a {kind} keyboard allows {max_buttons}")
    for i, row in enumerate(rows):
        if not row:
            problems.append(f"row {i} is empty")
        if len(row) > MAX_ROW_BUTTONS:
            problems.append(f"row {i} has {len(row)} buttons, at most {MAX_ROW_BUTTONS} allowed")
        for j, button in enumerate(row):
            problems += _check_button(button, f"button [{i}][{j}]")
    return problems


def _check_button(button: Any, where: str) -> list[str]:
    if not isinstance(button, dict) or not isinstance(button.get("action"), dict):
        return [f"{where}: no action object"]
    action: dict[str, Any] = button["action"]
    kind = action.get("type")
    if kind not in ACTIONS:
        return [f"{where}: action type {kind!r} is not one of {sorted(ACTIONS)}"]
    problems = [f"{where}: {kind} button needs {f!r}" for f in ACTIONS[kind] if f not in action]
    label = action.get("label")
    if "label" in action and (not isinstance(label, str) or not label):
        problems.append(f"{where}: label must be a non-empty string")
    elif isinstance(label, str) and len(label) > MAX_LABEL:
        problems.append(f"{where}: label has {len(label)} characters, at most {MAX_LABEL}")
    if "payload" in action:
        payload = payload_text(action["payload"])
        if len(payload) > MAX_PAYLOAD:
            problems.append(f"{where}: payload has {len(payload)} characters, max {MAX_PAYLOAD}")
        try:
            json.loads(payload)
        except ValueError:
            problems.append(f"{where}: payload is not valid JSON")
    if "color" in button and button["color"] not in COLORS:
        problems.append(f"{where}: color {button['color']!r} is not one of {sorted(COLORS)}")
    return problems


def check_event_data(raw: str) -> list[str]:
    """``event_data`` of messages.sendMessageEventAnswer."""
    try:
        data = json.loads(raw)
    except ValueError:
        return ["event_data is not valid JSON"]
    if not isinstance(data, dict):
        return ["event_data is not a JSON object"]
    kind = data.get("type")
    needs = {"show_snackbar": "text", "open_link": "link", "open_app": "app_id"}
    if kind not in needs:
        return [f"event_data type {kind!r} is not one of {sorted(needs)}"]
    if needs[kind] not in data:
        return [f"{kind} needs {needs[kind]!r}"]
    text = data.get("text")
    if kind == "show_snackbar" and (not isinstance(text, str) or not text):
        return ["snackbar text must be a non-empty string"]
    if kind == "show_snackbar" and isinstance(text, str) and len(text) > MAX_SNACKBAR:
        return [f"snackbar text has {len(text)} characters, at most {MAX_SNACKBAR}"]
    return []
