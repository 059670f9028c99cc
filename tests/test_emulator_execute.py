"""The emulator's execute: the VKScript form the bot sends, per-call results and errors, limits."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from bot.sandbox.vk import Emulator

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator() as emulator:
        yield emulator


@pytest_asyncio.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def send(peer: int, text: str, random_id: int = 0) -> str:
    args = {"peer_id": peer, "message": text, "random_id": random_id}
    return f"API.messages.send({json.dumps(args, ensure_ascii=False)})"


async def execute(http: aiohttp.ClientSession, emu: Emulator, code: str) -> dict[str, Any]:
    query = {"access_token": emu.token, "v": "5.199"}
    async with http.post(emu.api_url + "execute", params=query, data={"code": code}) as response:
        result: dict[str, Any] = await response.json(content_type=None)
        return result


async def test_calls_run_in_order_with_their_own_results(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    emu.user(5, "Анна", "Петрова")
    emu.user(6, "Борис", "Иванов")
    tricky = 'первое "в кавычках"\n'
    code = f"return [{send(5, tricky)}, {send(6, 'b')}, {send(5, 'второе')}];"
    answer = await execute(http, emu, code)
    assert "execute_errors" not in answer
    first, second, third = answer["response"]
    assert [m.text for m in emu.sent_to(5)] == ['первое "в кавычках"\n', "второе"]
    assert [m.message_id for m in emu.sent_to(5)] == [first, third]
    assert emu.sent_to(6)[0].message_id == second
    assert emu.requests == 1
    assert [m for m, _ in emu.calls] == ["execute", *["messages.send"] * 3]


async def test_a_failed_call_is_false_with_its_error(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    emu.user(5, "Анна", "Петрова")
    emu.user(7, "Вера", "Сидорова", allowed=False)
    answer = await execute(http, emu, f"return [{send(7, 'a')}, {send(5, 'b')}];")
    assert answer["response"][0] is False
    assert isinstance(answer["response"][1], int)
    [error] = answer["execute_errors"]
    assert (error["method"], error["error_code"]) == ("messages.send", 901)
    assert error["error_msg"].startswith("Can't send messages")
    assert [m.text for m in emu.sent_to(5)] == ["b"]


async def test_inner_calls_are_checked_against_the_schema(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    emu.user(5, "Анна", "Петрова")
    code = 'return [API.messages.send({"peer_id": 5, "random_id": 0, "colour": "red"})];'
    answer = await execute(http, emu, code)
    assert answer["response"] == [False]
    assert answer["execute_errors"][0]["error_code"] == 100
    assert [(v.method, v.param) for v in emu.violations] == [("messages.send", "colour")]


async def test_injected_faults_hit_the_inner_call(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    emu.user(5, "Анна", "Петрова")
    emu.fail_next("messages.send", code=10)
    answer = await execute(http, emu, f"return [{send(5, 'a')}, {send(5, 'b')}];")
    assert answer["response"][0] is False
    assert answer["execute_errors"] == [
        {
            "method": "messages.send",
            "error_code": 10,
            "error_msg": "Internal server error: injected by the test",
        }
    ]
    assert [m.text for m in emu.sent_to(5)] == ["b"]


async def test_a_dropped_inner_call_breaks_the_request_after_the_work_before_it(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    emu.user(5, "Анна", "Петрова")
    emu.user(6, "Борис", "Иванов")
    emu.fail_next("users.get", drop=True)
    code = f'return [{send(5, "a")}, API.users.get({{"user_ids": "6"}}), {send(6, "b")}];'
    with pytest.raises(aiohttp.ClientConnectionError):
        await execute(http, emu, code)
    assert [m.text for m in emu.sent_to(5)] == ["a"]
    assert emu.sent_to(6) == []


async def test_more_than_25_calls_is_error_13(emu: Emulator, http: aiohttp.ClientSession) -> None:
    emu.user(5, "Анна", "Петрова")
    at_limit = await execute(http, emu, f"return [{', '.join([send(5, 'a')] * 25)}];")
    assert len(at_limit["response"]) == 25
    over = await execute(http, emu, f"return [{', '.join([send(5, 'b')] * 26)}];")
    assert over["error"]["error_code"] == 13
    assert [m.text for m in emu.sent_to(5)] == ["a"] * 25


@pytest.mark.parametrize(
    "code",
    [
        'return API.users.get({"user_ids": "5"});',
        'var a = API.users.get({"user_ids": "5"}); return [a];',
        'return [API.users.get({"user_ids": "5"})]; return [];',
        'return [API.users.get({"user_ids": "5"}) + 1];',
        "return [API.users.get({user_ids: 5})];",
        'return [API.execute({"code": "return 1;"})];',
        'return [API.users.get({"user_ids": {"a": 1}})];',
        'return [API.users.get({"user_ids": "5"})',
        "",
    ],
)
async def test_other_code_is_error_12(
    emu: Emulator, http: aiohttp.ClientSession, code: str
) -> None:
    emu.user(5, "Анна", "Петрова")
    answer = await execute(http, emu, code)
    assert answer["error"]["error_code"] == 12
    assert [m for m, _ in emu.calls] == ["execute"]


async def test_execute_itself_is_checked_and_faulted(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    emu.user(5, "Анна", "Петрова")
    query = {"access_token": emu.token, "v": "5.199"}
    async with http.post(emu.api_url + "execute", params=query, data={}) as response:
        missing = await response.json()
    assert missing["error"]["error_code"] == 100
    assert [(v.method, v.param) for v in emu.violations] == [("execute", "code")]
    emu.violations.clear()
    emu.fail_next("execute", http_status=500)
    async with http.post(emu.api_url + "execute", params=query, data={"code": "return [];"}) as r:
        assert r.status == 500
    assert emu.sent_to(5) == []
    assert await execute(http, emu, "return [];") == {"response": []}


async def test_an_execute_counts_once_against_the_rate_limit(
    http: aiohttp.ClientSession,
) -> None:
    async with Emulator(enforce_rps=3) as emu:
        emu.user(5, "Анна", "Петрова")
        code = f"return [{', '.join([send(5, 'a')] * 25)}];"
        answers = await asyncio.gather(*(execute(http, emu, code) for _ in range(4)))
        codes = sorted(a["error"]["error_code"] if "error" in a else 0 for a in answers)
        assert codes == [0, 0, 0, 6]
        assert len(emu.sent_to(5)) == 75
        assert emu.max_rps_seen == 4
