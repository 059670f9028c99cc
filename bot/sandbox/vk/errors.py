"""The emulator's way of answering a call with a VK error (shared by direct calls and execute)."""

from __future__ import annotations


class VkError(Exception):
    def __init__(self, code: int, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail
