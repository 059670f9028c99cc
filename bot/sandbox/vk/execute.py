"""VK's ``execute`` as the bot uses it: up to 25 API calls in one request.

Only the VKScript form the bot generates is understood, ``return [API.x.y({...}), ...];`` with
JSON object literals; anything else is refused with VK's error 12, as code VK could not compile
would be. Each inner call goes through the same injected faults, schema checks and handlers as a
direct call; a failed one gives ``false`` in its place and an entry in ``execute_errors``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import VkError

if TYPE_CHECKING:
    from .server import Emulator, Params, _Failure

MAX_CALLS = 25

_RETURN = re.compile(r"\s*return\s*\[\s*")
_CALL = re.compile(r"API\.([A-Za-z]+\.[A-Za-z]+)\(\s*")
_CLOSE = re.compile(r"\s*\)\s*")
_NEXT = re.compile(r",\s*")
_END = re.compile(r"\]\s*;?\s*")
_DECODER = json.JSONDecoder()


class BrokenRequest(Exception):
    """An injected transport fault: the whole HTTP request breaks, whatever ran before it."""

    def __init__(self, failure: _Failure) -> None:
        super().__init__(failure)
        self.failure = failure


@dataclass
class Answer:
    response: list[Any]
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def body(self) -> dict[str, Any]:
        if not self.errors:
            return {"response": self.response}
        return {"response": self.response, "execute_errors": self.errors}


async def run(emu: Emulator, p: Params) -> Answer:
    calls = parse(p["code"])
    if len(calls) > MAX_CALLS:
        raise VkError(13, f"too many API calls ({len(calls)}), at most {MAX_CALLS} allowed")
    answer = Answer([])
    for method, params in calls:
        emu.calls.append((method, dict(params)))
        try:
            answer.response.append(await emu._call(method, params))
        except VkError as e:
            answer.response.append(False)
            answer.errors.append(
                {"method": method, "error_code": e.code, "error_msg": emu._error_message(e)}
            )
    return answer


def parse(code: str) -> list[tuple[str, Params]]:
    """``return [API.a.b({...}), ...];`` -> [("a.b", params as a form would carry them)]."""
    start = _RETURN.match(code)
    if start is None:
        raise _unsupported("the code must be `return [API.section.method({...}), ...];`")
    pos, calls = start.end(), []
    while not (end := _END.match(code, pos)):
        call = _CALL.match(code, pos)
        if call is None:
            raise _unsupported(f"expected API.section.method( at character {pos}")
        try:
            args, pos = _DECODER.raw_decode(code, call.end())
        except ValueError as e:
            raise _unsupported(f"the arguments of {call.group(1)} are not JSON: {e}") from None
        close = _CLOSE.match(code, pos)
        if not isinstance(args, dict) or close is None:
            raise _unsupported(f"{call.group(1)} takes one JSON object")
        calls.append((call.group(1), {k: _form_value(k, v) for k, v in args.items()}))
        pos = close.end()
        if separator := _NEXT.match(code, pos):
            pos = separator.end()
        elif not _END.match(code, pos):
            raise _unsupported(f"expected , or ] at character {pos}")
    if end.end() != len(code):
        raise _unsupported("nothing may follow the return statement")
    return calls


def _form_value(name: str, value: Any) -> str:
    """The string VK would have read from a form field holding this value."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return ",".join(map(str, value))
    raise _unsupported(f"{name}: only strings, numbers and lists of them are understood")


def _unsupported(detail: str) -> VkError:
    return VkError(12, detail)
