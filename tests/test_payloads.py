"""Button payloads: packed and checked in one place."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from bot.callback_data import CallbackData, Signer


class Sample(CallbackData, prefix="test.sample"):
    app: int
    kind: str


def test_round_trip_and_size() -> None:
    signer = Signer(b"token")
    packed = signer.pack(Sample(app=12, kind="ap"))
    assert len(packed) <= 255
    assert signer.unpack(packed) == Sample(app=12, kind="ap")
    assert signer.unpack(json.loads(packed)) == Sample(app=12, kind="ap")


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: {**d, "app": 13},  # forged field
        lambda d: {**d, "v": 2},  # unknown version
        lambda d: {**d, "s": "AAAAAAAAAAA"},  # wrong signature
        lambda d: {k: v for k, v in d.items() if k != "s"},  # unsigned
        lambda d: {**d, "c": "test.other"},  # unknown prefix
        lambda d: {**d, "extra": 1},  # unexpected field
        lambda d: {**d, "app": "12"},  # wrong type
    ],
)
def test_tampered_payloads_are_rejected(mutate: Callable[[dict[str, Any]], object]) -> None:
    signer = Signer(b"token")
    body = json.loads(signer.pack(Sample(app=12, kind="ap")))
    assert signer.unpack(json.dumps(mutate(body))) is None


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", "x" * 300, "", "null", "{}"])
def test_malformed_payloads_are_rejected(raw: str) -> None:
    assert Signer(b"token").unpack(raw) is None


def test_other_token_signs_differently() -> None:
    packed = Signer(b"token").pack(Sample(app=1, kind="x"))
    assert Signer(b"another").unpack(packed) is None


def test_reserved_field_names_are_refused() -> None:
    with pytest.raises(TypeError, match="reserved"):

        class Clash(CallbackData, prefix="test.clash"):
            c: int
