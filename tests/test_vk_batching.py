"""VKApi under VK's 20 requests/s: waiting calls share one execute, each gets its own answer."""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from vkbottle import VKAPIError

from bot.clock import ManualClock
from bot.sandbox.vk import Emulator
from bot.vk_api import MAX_BATCH, MAX_CODE_BYTES, RateLimiter, VKApi, VKUnavailable
from tests.harness import GROUP_ID, TOKEN, RunningBot, make_settings


@pytest.fixture
async def api(emu: Emulator) -> AsyncIterator[VKApi]:
    client = VKApi(TOKEN, emu.api_url, "5.199", 1000)
    client.retry_delays = (0.01, 0.01)
    yield client
    await client.close()


def send(peer: int, text: str, random_id: int = 0) -> tuple[str, dict[str, Any]]:
    return "messages.send", {"peer_id": peer, "message": text, "random_id": random_id}


def texts(emu: Emulator, peer: int) -> list[str]:
    return [m.text for m in emu.sent_to(peer)]


def methods(emu: Emulator) -> list[str]:
    return [m for m, _ in emu.calls]


# -- request_many ---------------------------------------------------------------------------------


async def test_request_many_is_one_execute_in_order(emu: Emulator, api: VKApi) -> None:
    emu.user(5, "Анна", "Петрова")
    emu.user(6, "Борис", "Иванов")
    answers = await api.request_many(
        [send(5, 'первое "в кавычках"\n'), send(6, "b"), ("users.get", {"user_ids": [6]})]
    )
    assert emu.requests == 1
    assert methods(emu) == ["execute", "messages.send", "messages.send", "users.get"]
    assert texts(emu, 5) == ['первое "в кавычках"\n']
    assert texts(emu, 6) == ["b"]
    assert answers[0] == {"response": emu.sent_to(5)[0].message_id}
    assert answers[1] == {"response": emu.sent_to(6)[0].message_id}
    assert answers[2]["response"][0]["first_name"] == "Борис"


async def test_request_many_chunks_by_25_keeping_order(emu: Emulator, api: VKApi) -> None:
    emu.user(5, "Анна", "Петрова")
    answers = await api.request_many([send(5, str(i)) for i in range(MAX_BATCH + 5)])
    assert methods(emu).count("execute") == emu.requests == 2
    assert texts(emu, 5) == [str(i) for i in range(MAX_BATCH + 5)]
    assert [a["response"] for a in answers] == [m.message_id for m in emu.sent_to(5)]


async def test_request_many_keeps_each_execute_under_the_size_cap(
    emu: Emulator, api: VKApi
) -> None:
    emu.user(5, "Анна", "Петрова")
    # 4000 Cyrillic letters are 8000 bytes: seven of them fit in one execute, ten do not.
    long = [send(5, f"{i}" + "я" * 4000) for i in range(10)]
    answers = await api.request_many(long)
    assert [len(p["code"].encode()) < MAX_CODE_BYTES for m, p in emu.calls if m == "execute"] == [
        True,
        True,
    ]
    assert [m.text[0] for m in emu.sent_to(5)] == [str(i) for i in range(10)]
    assert all("response" in a for a in answers)


async def test_an_execute_in_request_many_goes_alone(emu: Emulator, api: VKApi) -> None:
    emu.user(5, "Анна", "Петрова")
    answers = await api.request_many(
        [send(5, "a"), ("execute", {"code": "return [];"}), send(5, "b")]
    )
    assert methods(emu) == ["messages.send", "execute", "messages.send"]
    assert answers[1] == {"response": []}


async def test_request_many_of_one_call_is_that_call(emu: Emulator, api: VKApi) -> None:
    emu.user(5, "Анна", "Петрова")
    [answer] = await api.request_many([send(5, "a")])
    assert methods(emu) == ["messages.send"]
    assert answer == {"response": emu.sent_to(5)[0].message_id}
    assert await api.request_many([]) == []


async def test_request_many_gives_each_error_in_its_place(emu: Emulator, api: VKApi) -> None:
    emu.user(5, "Анна", "Петрова")
    emu.user(7, "Вера", "Сидорова", allowed=False)
    answers = await api.request_many([send(5, "a"), send(7, "b"), send(5, "c")])
    assert answers[1]["error"]["error_code"] == 901
    assert "response" in answers[0]
    assert "response" in answers[2]
    assert texts(emu, 5) == ["a", "c"]
    assert emu.requests == 1


async def test_request_many_retries_only_the_failed_calls(emu: Emulator, api: VKApi) -> None:
    for peer in (5, 6, 7):
        emu.user(peer, "Анна", str(peer))
    emu.fail_next("users.get", code=10)
    emu.fail_next("messages.send", code=9)
    answers = await api.request_many(
        [send(5, "a"), ("users.get", {"user_ids": "6"}), send(6, "b"), send(7, "c")]
    )
    assert all("response" in a for a in answers)
    # Each message once: the retry re-sent only the two calls that failed, in their order.
    assert (texts(emu, 5), texts(emu, 6), texts(emu, 7)) == (["a"], ["b"], ["c"])
    assert methods(emu)[5:] == ["execute", "messages.send", "users.get"]
    assert emu.calls[6][1]["peer_id"] == "5"


async def test_request_many_gives_up_with_the_last_error(emu: Emulator, api: VKApi) -> None:
    emu.user(5, "Анна", "Петрова")
    emu.fail_next("users.get", code=10, times=3)
    answers = await api.request_many([send(5, "a"), ("users.get", {"user_ids": "5"})])
    assert answers[1]["error"]["error_code"] == 10
    assert texts(emu, 5) == ["a"]
    assert methods(emu).count("users.get") == 3


async def test_request_many_lost_answers_are_retried_then_unavailable(
    emu: Emulator, api: VKApi
) -> None:
    emu.user(5, "Анна", "Петрова")
    emu.fail_next("execute", http_status=502)
    answers = await api.request_many([send(5, "a", 11), send(5, "b", 12)])
    assert [a["response"] for a in answers] == [m.message_id for m in emu.sent_to(5)]
    emu.fail_next("users.get", drop=True, times=3)
    with pytest.raises(VKUnavailable) as caught:
        await api.request_many([send(5, "c", 13), ("users.get", {"user_ids": "5"})])
    # The send ran before the dropped answer each time; its random_id kept it to one message.
    assert texts(emu, 5) == ["a", "b", "c"]
    assert caught.value.results == [None, None]


# -- coalescing -----------------------------------------------------------------------------------


async def test_a_lone_call_goes_out_as_itself(emu: Emulator) -> None:
    emu.user(5, "Анна", "Петрова")
    api = VKApi(TOKEN, emu.api_url, "5.199", 1)
    try:
        answer = await api.request("users.get", {"user_ids": "5"})
        assert answer["response"][0]["id"] == 5
        # Once the limiter is spent, a call waits for the next slot and still goes alone.
        [user] = await api.users.get(user_ids=[5])
    finally:
        await api.close()
    assert user.first_name == "Анна"
    assert methods(emu) == ["users.get", "users.get"]


@pytest.mark.parametrize("callers", [60, 100])
async def test_waiting_calls_share_executes_and_keep_each_callers_order(
    emu: Emulator, callers: int
) -> None:
    rate, per_caller = 5, 3
    users = [emu.user(100 + i, "Анна", f"Иванова{i}") for i in range(callers)]
    api = VKApi(TOKEN, emu.api_url, "5.199", rate)

    async def caller(peer: int) -> list[int]:
        ids = []
        for n in range(per_caller):
            # Each caller talks in turn: vkbottle's own typed methods and plain requests.
            if n == 1:
                [user] = await api.users.get(user_ids=[peer])
                ids.append(user.id)
            answer = await api.request("messages.send", dict(send(peer, f"{peer}:{n}")[1]))
            ids.append(answer["response"])
        return ids

    try:
        results = await asyncio.gather(*(caller(u.user_id) for u in users))
    finally:
        await api.close()
    for user, ids in zip(users, results, strict=True):
        assert texts(emu, user.user_id) == [f"{user.user_id}:{n}" for n in range(per_caller)]
        sent = [m.message_id for m in emu.sent_to(user.user_id)]
        assert ids == [sent[0], user.user_id, *sent[1:]]
    calls = callers * (per_caller + 1)
    # The first `rate` calls of the burst go out at once, the rest wait and travel 25 at a time.
    assert emu.requests <= per_caller * rate + math.ceil(calls / MAX_BATCH) + per_caller
    assert emu.requests < calls / 5


async def test_one_persons_calls_never_overtake_one_in_flight(emu: Emulator, api: VKApi) -> None:
    emu.user(5, "Анна", "Петрова")
    emu.user(6, "Борис", "Иванов")
    # The limiter has room for all, but a request to person 5 is in flight when the others come:
    # person 5's next calls wait for it and then travel together; person 6's goes at once.
    answers = await asyncio.gather(
        *(api.request("messages.send", dict(send(5, str(n))[1])) for n in range(3)),
        api.request("messages.send", dict(send(6, "b")[1])),
    )
    assert texts(emu, 5) == ["0", "1", "2"]
    assert [a["response"] for a in answers[:3]] == [m.message_id for m in emu.sent_to(5)]
    assert [(m, p.get("peer_id")) for m, p in emu.calls] == [
        ("messages.send", "5"),
        ("messages.send", "6"),
        ("execute", None),
        ("messages.send", "5"),
        ("messages.send", "5"),
    ]


async def test_an_error_inside_an_execute_reaches_its_own_caller(emu: Emulator) -> None:
    emu.user(5, "Анна", "Петрова")
    emu.user(7, "Вера", "Сидорова", allowed=False)
    api = VKApi(TOKEN, emu.api_url, "5.199", 1)
    api.retry_delays = (0.01,)
    emu.fail_next("users.get", code=6)
    try:
        first = api.request("users.get", {"user_ids": "5"})
        calls = [api.request("messages.send", dict(send(p, "x")[1])) for p in (5, 7, 5)]
        results = await asyncio.gather(first, *calls, return_exceptions=True)
    finally:
        await api.close()
    users, sent, refused, sent_again = results
    assert isinstance(refused, VKAPIError)
    assert refused.code == 901
    assert isinstance(sent, dict)
    assert isinstance(sent_again, dict)
    assert [sent["response"], sent_again["response"]] == [m.message_id for m in emu.sent_to(5)]
    # The users.get took the only slot and met error 6; the sends waited for the next slot and
    # its retry joined them there, behind them.
    assert isinstance(users, dict)
    assert users["response"][0]["id"] == 5
    assert methods(emu) == ["users.get", "execute", *["messages.send"] * 3, "users.get"]


async def test_a_refused_execute_is_retried_for_every_call_in_it(emu: Emulator) -> None:
    users = [emu.user(100 + i, "Анна", str(i)) for i in range(4)]
    api = VKApi(TOKEN, emu.api_url, "5.199", 1)
    api.retry_delays = (0.01,)
    emu.fail_next("execute", code=6)
    try:
        answers = await asyncio.gather(
            *(api.request("messages.send", dict(send(u.user_id, "a")[1])) for u in users)
        )
    finally:
        await api.close()
    assert [a["response"] for a in answers] == [emu.sent_to(u.user_id)[0].message_id for u in users]
    assert all(texts(emu, u.user_id) == ["a"] for u in users)
    # The first call alone, the three that waited refused together, then sent together again.
    assert [m for m in methods(emu) if m == "execute"] == ["execute", "execute"]


async def test_a_caller_that_gives_up_while_waiting_sends_nothing(emu: Emulator) -> None:
    for peer in (5, 6, 7):
        emu.user(peer, "Анна", str(peer))
    api = VKApi(TOKEN, emu.api_url, "5.199", 1)
    try:
        first = asyncio.create_task(api.request("messages.send", dict(send(5, "a")[1])))
        waiting = asyncio.create_task(api.request("messages.send", dict(send(6, "b")[1])))
        await first
        waiting.cancel()
        await api.request("messages.send", dict(send(7, "c")[1]))
        # A caller still waiting when the API closes is cancelled, not left hanging.
        left = asyncio.create_task(api.request("messages.send", dict(send(5, "d")[1])))
        await asyncio.sleep(0)  # one turn of the loop, not a wait: the task queues its call
    finally:
        await api.close()
    with pytest.raises(asyncio.CancelledError):
        await left
    assert (texts(emu, 5), texts(emu, 6), texts(emu, 7)) == (["a"], [], ["c"])


async def test_vk_rate_limit_is_never_exceeded(tmp_path: Path) -> None:
    async with Emulator(token=TOKEN, group_id=GROUP_ID, enforce_rps=20) as emu:
        api = VKApi(TOKEN, emu.api_url, "5.199", 20)
        users = [emu.user(300 + i, "Анна", f"Иванова{i}") for i in range(400)]
        try:
            answers = await asyncio.gather(
                *(api.request("messages.send", dict(send(u.user_id, "a")[1])) for u in users)
            )
        finally:
            await api.close()
        assert all(isinstance(a["response"], int) for a in answers)
        assert all(texts(emu, u.user_id) == ["a"] for u in users)
        assert emu.max_rps_seen <= 20
        assert emu.requests <= 20 + math.ceil(380 / MAX_BATCH)


async def test_bot_under_a_burst_stays_within_the_limit(tmp_path: Path) -> None:
    async with Emulator(token=TOKEN, group_id=GROUP_ID, enforce_rps=20) as emu:
        settings = make_settings(tmp_path / "burst.sqlite3", emu.api_url, vk_rps=20)
        running = await RunningBot(settings, emu, ManualClock()).start()
        users = [emu.user(2000 + i, "Анна", f"Иванова{i}") for i in range(60)]
        try:
            await asyncio.gather(*(u.say("Начать") for u in users))
            await asyncio.gather(*(u.tap("Помощь") for u in users))
        finally:
            await running.stop()
        assert all("Как подтвердить профиль" in u.last_message.text for u in users)
        assert emu.max_rps_seen <= 20
        # 60 replies, 60 event answers and 60 helps went out in far fewer requests.
        assert emu.requests < len([m for m in methods(emu) if m != "execute"]) / 3
        assert emu.violations == []


async def test_a_slot_is_held_until_after_the_answer() -> None:
    # VK may count a request as late as when it answers, so the window runs from there.
    limiter = RateLimiter(1)
    await limiter.acquire()
    assert not limiter.try_acquire()
    limiter.release()
    assert not limiter.try_acquire()
