"""Typed, versioned, signed button payloads: packed and checked in this one place.

A payload is a small JSON object: {"c": <prefix>, "v": <version>, <fields>..., "s": <signature>}.
The signature is an HMAC of the rest under a key derived from the community token, so a payload
the bot did not make is recognised as forged; who may act on it is still checked from the
database by the service that acts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

MAX_PAYLOAD = 255
RESERVED = frozenset({"c", "v", "s"})
_REGISTRY: dict[str, type[CallbackData]] = {}

T = TypeVar("T", bound="CallbackData")


class CallbackData(BaseModel):
    """Subclass with `prefix="..."` (and `version=N` when its fields change)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)
    prefix: ClassVar[str]
    version: ClassVar[int]

    def __init_subclass__(cls, prefix: str = "", version: int = 1, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not prefix:
            return
        if prefix in _REGISTRY:
            raise ValueError(f"callback prefix {prefix!r} is used twice")
        cls.prefix = prefix
        cls.version = version
        _REGISTRY[prefix] = cls

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        # The packed object uses these keys itself; a field so named would overwrite one.
        clash = RESERVED & set(cls.model_fields)
        if clash:
            raise TypeError(f"{cls.__name__} uses reserved payload keys {sorted(clash)}")


class Signer:
    def __init__(self, secret: bytes) -> None:
        self._key = hashlib.sha256(b"staff-verify-bot/payload/" + secret).digest()

    def _sign(self, body: dict[str, Any]) -> str:
        raw = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        mac = hmac.new(self._key, raw.encode(), hashlib.sha256).digest()[:8]
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")

    def pack(self, data: CallbackData) -> str:
        body: dict[str, Any] = {"c": data.prefix, "v": data.version, **data.model_dump()}
        body["s"] = self._sign(body)
        packed = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
        if len(packed) > MAX_PAYLOAD:
            raise ValueError(f"payload of {type(data).__name__} is {len(packed)} chars")
        return packed

    def unpack(self, raw: str | dict[str, Any] | None) -> CallbackData | None:
        """The payload as its typed object, or None when it is malformed, stale or forged."""
        if raw is None:
            return None
        if isinstance(raw, str):
            if len(raw) > MAX_PAYLOAD:
                return None
            try:
                raw = json.loads(raw)
            except ValueError:
                return None
        if not isinstance(raw, dict):
            return None
        body = dict(raw)
        signature = body.pop("s", None)
        cls = _REGISTRY.get(body.pop("c", None)) if isinstance(raw.get("c"), str) else None
        version = body.pop("v", None)
        if cls is None or version != cls.version or not isinstance(signature, str):
            return None
        expected = self._sign({"c": cls.prefix, "v": version, **body})
        if not hmac.compare_digest(signature, expected):
            return None
        try:
            return cls.model_validate(body)
        except ValidationError:
            return None


def is_start_command(raw: str | dict[str, Any] | None) -> bool:
    """VK's own "Начать" button sends {"command": "start"}."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return False
    return isinstance(raw, dict) and raw.get("command") == "start"
