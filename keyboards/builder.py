"""One builder for every keyboard: inline callback buttons where the client has them, text
buttons with the same payloads where it does not; VK's limits checked when a keyboard is built."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.callback_data import CallbackData, Signer
from bot.domain import Capabilities

Color = Literal["primary", "secondary", "positive", "negative"]

MAX_LABEL = 40
MAX_PER_ROW = 5
INLINE_ROWS, INLINE_BUTTONS = 6, 10
STANDARD_ROWS, STANDARD_BUTTONS = 10, 40


def fit_label(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


@dataclass
class KeyboardBuilder:
    signer: Signer
    caps: Capabilities
    rows: list[list[dict[str, Any]]] = field(default_factory=lambda: [[]])

    @property
    def inline(self) -> bool:
        return self.caps.inline

    @property
    def max_buttons(self) -> int:
        return INLINE_BUTTONS if self.inline else STANDARD_BUTTONS

    @property
    def count(self) -> int:
        return sum(len(row) for row in self.rows)

    def button(self, label: str, data: CallbackData, color: Color = "secondary") -> KeyboardBuilder:
        kind = "callback" if self.caps.callbacks and self.inline else "text"
        action = {"type": kind, "label": fit_label(label), "payload": self.signer.pack(data)}
        return self._add({"action": action, "color": color})

    def link(self, label: str, url: str) -> KeyboardBuilder:
        return self._add({"action": {"type": "open_link", "label": fit_label(label), "link": url}})

    def row(self) -> KeyboardBuilder:
        if self.rows[-1]:
            self.rows.append([])
        return self

    def _add(self, button: dict[str, Any]) -> KeyboardBuilder:
        if len(self.rows[-1]) >= MAX_PER_ROW:
            self.rows.append([])
        self.rows[-1].append(button)
        return self

    def build(self) -> str | None:
        rows = [row for row in self.rows if row]
        if not rows:
            return None
        max_rows = INLINE_ROWS if self.inline else STANDARD_ROWS
        if len(rows) > max_rows or self.count > self.max_buttons:
            raise ValueError(
                f"keyboard of {len(rows)} rows / {self.count} buttons is over VK's limit"
            )
        keyboard: dict[str, Any] = {"inline": self.inline, "buttons": rows}
        if not self.inline:
            keyboard["one_time"] = False
        return json.dumps(keyboard, ensure_ascii=False, separators=(",", ":"))
