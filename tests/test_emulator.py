"""Tests of the VK API emulator itself, driven by vkbottle's real API class and raw aiohttp."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from vkbottle import API, AiohttpClient, BotPolling, Keyboard, Text, VKAPIError
from vkbottle.tools import DocMessagesUploader, PhotoMessageUploader
from vkbottle_types.events.bot_events import MessageAllow, MessageEvent, MessageNew

from bot.sandbox.vk import Emulator, SchemaViolation, UserClient
from bot.sandbox.vk import server as emulator_server

pytestmark = pytest.mark.asyncio

ROOT = Path(__file__).resolve().parent.parent


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator() as emulator:
        yield emulator


@pytest_asyncio.fixture
async def api(emu: Emulator) -> AsyncIterator[API]:
    client = API(emu.token, http_client=AiohttpClient())
    client.API_URL = emu.api_url
    yield client
    await client.http_client.close()


@pytest_asyncio.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def no_settle(event_id: str) -> None:
    """For tests without a bot: pushing is enough."""


async def raw_call(
    http: aiohttp.ClientSession,
    emu: Emulator,
    method: str,
    token: str | None = None,
    **params: Any,
) -> dict[str, Any]:
    query = {"access_token": token or emu.token, "v": "5.199"}
    async with http.post(emu.api_url + method, params=query, data=params) as response:
        result: dict[str, Any] = await response.json(content_type=None)
        return result


async def poll(
    http: aiohttp.ClientSession,
    server: dict[str, Any],
    ts: str | int,
    wait: int = 0,
) -> dict[str, Any]:
    params = {"act": "a_check", "key": server["key"], "ts": str(ts), "wait": str(wait)}
    async with http.post(server["server"], params=params) as response:
        result: dict[str, Any] = await response.json()
        return result


def error_code(answer: dict[str, Any]) -> int:
    code: int = answer["error"]["error_code"]
    return code


def keyboard(rows: list[list[dict[str, Any]]], *, inline: bool = False) -> str:
    return json.dumps({"one_time": False, "inline": inline, "buttons": rows})


def text_button(label: str, payload: Any = None) -> dict[str, Any]:
    action: dict[str, Any] = {"type": "text", "label": label}
    if payload is not None:
        action["payload"] = payload
    return {"action": action, "color": "secondary"}


# -- protocol and schema ---------------------------------------------------------------------------


async def test_every_answer_is_json_with_vk_errors(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    assert error_code(await raw_call(http, emu, "wall.post")) == 3
    assert error_code(await raw_call(http, emu, "users.get", token="stolen")) == 5
    async with http.get(f"{emu.base_url}/nowhere") as response:
        assert error_code(await response.json()) == 3
    answer = await raw_call(http, emu, "groups.getLongPollServer")
    assert error_code(answer) == 100
    method = {"key": "method", "value": "groups.getLongPollServer"}
    assert method in answer["error"]["request_params"]
    assert SchemaViolation("wall.post", "", "unknown method") in emu.violations
    assert (
        SchemaViolation("groups.getLongPollServer", "group_id", "missing required parameter")
        in emu.violations
    )


@pytest.mark.parametrize(
    ("params", "param", "problem"),
    [
        ({"peer_id": 5, "message": "hi", "bogus": 1}, "bogus", "unknown parameter"),
        ({"peer_id": "five", "message": "hi"}, "peer_id", "not an integer"),
        ({"peer_id": 5, "message": "x" * 9001}, "message", "at most 9000"),
        ({"peer_ids": list(range(1, 102)), "message": "hi"}, "peer_ids", "at most 100"),
        ({"peer_id": 5, "message": "hi", "dont_parse_links": 2}, "dont_parse_links", "boolean"),
        ({"peer_id": 5, "message": "hi", "intent": "spam"}, "intent", "allowed values"),
        ({"peer_id": 5, "message": "hi", "keyboard": "[1]"}, "keyboard", "JSON object"),
    ],
)
async def test_schema_rejects_malformed_calls(
    emu: Emulator, api: API, params: dict[str, Any], param: str, problem: str
) -> None:
    emu.user(5, "Анна", "Петрова")
    with pytest.raises(VKAPIError[100]):
        await api.request("messages.send", {"random_id": 0, **params})
    assert [(v.method, v.param) for v in emu.violations] == [("messages.send", param)]
    assert problem in emu.violations[0].problem
    assert emu.sent_to(5) == []


async def test_vkbottle_calls_pass_the_schema(emu: Emulator, api: API) -> None:
    emu.user(5, "Анна", "Петрова", screen_name="anna")
    users = await api.users.get(user_ids=["anna"], fields=["screen_name", "sex"])  # type: ignore[list-item]
    assert (users[0].id, users[0].first_name, users[0].screen_name) == (5, "Анна", "anna")
    groups = await api.groups.get_by_id()
    assert groups.groups[0].id == emu.group_id
    resolved = await api.request("utils.resolveScreenName", {"screen_name": "anna"})
    assert resolved["response"] == {"type": "user", "object_id": 5}
    unknown = await api.request("utils.resolveScreenName", {"screen_name": "nobody"})
    assert unknown["response"] == []
    message_id = await api.messages.send(peer_id=5, message="Привет", random_id=0)
    assert emu.sent_to(5)[0].message_id == message_id
    assert emu.violations == []
    assert [m for m, _ in emu.calls] == [
        "users.get",
        "groups.getById",
        "utils.resolveScreenName",
        "utils.resolveScreenName",
        "messages.send",
    ]


# -- keyboards and callback answers ---------------------------------------------------------------

TOO_LONG = "Очень длинная надпись на кнопке: 41 знак!"
BROKEN_KEYBOARDS = {
    "six in a row": keyboard([[text_button(str(i)) for i in range(6)]]),
    "eleven inline": keyboard(
        [[text_button(str(r * 5 + i)) for i in range(5)] for r in range(2)] + [[text_button("11")]],
        inline=True,
    ),
    "seven inline rows": keyboard([[text_button(str(r))] for r in range(7)], inline=True),
    "eleven rows": keyboard([[text_button(str(r))] for r in range(11)]),
    "41-char label": keyboard([[text_button(TOO_LONG)]]),
    "256-char payload": keyboard([[text_button("A", {"p": "x" * 248})]]),
    "one_time inline": json.dumps({"one_time": True, "inline": True, "buttons": []}),
    "unknown action": keyboard([[{"action": {"type": "teleport", "label": "A"}}]]),
    "open_link without link": keyboard([[{"action": {"type": "open_link", "label": "A"}}]]),
}


@pytest.mark.parametrize("name", BROKEN_KEYBOARDS)
async def test_keyboard_limits_are_error_911(emu: Emulator, api: API, name: str) -> None:
    assert len(TOO_LONG) == 41
    emu.user(5, "Анна", "Петрова")
    with pytest.raises(VKAPIError[911]):
        await api.messages.send(
            peer_id=5, message="Меню", random_id=0, keyboard=BROKEN_KEYBOARDS[name]
        )
    assert emu.violations
    assert {v.param for v in emu.violations} == {"keyboard"}
    assert emu.sent_to(5) == []


async def test_keyboards_at_the_limits_are_accepted(emu: Emulator, api: API) -> None:
    emu.user(5, "Анна", "Петрова")
    standard = keyboard([[text_button(f"{r}-{i}") for i in range(4)] for r in range(10)])
    inline = keyboard(
        [[text_button(str(r * 5 + i)) for i in range(5)] for r in range(2)], inline=True
    )
    built = Keyboard(inline=True).add(Text("Да", payload={"cmd": "yes"})).get_json()
    payload = keyboard([[text_button("A", {"p": "x" * 247}), text_button("Б" * 40)]])
    for kb in (standard, inline, built, payload, Keyboard().get_json()):
        await api.messages.send(peer_id=5, message="Меню", random_id=0, keyboard=kb)
    assert emu.violations == []
    sent = emu.sent_to(5)
    assert (len(sent[0].buttons), sent[0].inline) == (40, False)
    yes = sent[2].buttons[0]
    assert (sent[2].inline, yes.payload, yes.raw_payload) == (True, {"cmd": "yes"}, '{"cmd":"yes"}')
    assert (sent[4].keyboard, sent[4].buttons) == (json.loads(Keyboard().get_json()), [])


async def test_event_answers_are_recorded_and_checked(emu: Emulator, api: API) -> None:
    staff = emu.user(5, "Анна", "Петрова")
    emu.settle = no_settle
    envelope = staff.push_callback({"cmd": "yes"}, 1)
    callback_id = emu.updates[-1]["object"]["event_id"]
    data = json.dumps({"type": "show_snackbar", "text": "Готово"})
    await api.messages.send_message_event_answer(
        event_id=callback_id, user_id=5, peer_id=5, event_data=data
    )
    assert staff.snackbars == ["Готово"]
    assert len(staff.answers_for(envelope)) == 1 == len(staff.answers_for(callback_id))
    with pytest.raises(VKAPIError[100]):
        await api.messages.send_message_event_answer(event_id="nope", user_id=5, peer_id=5)
    long_text = json.dumps({"type": "show_snackbar", "text": "я" * 91})
    with pytest.raises(VKAPIError[100]):
        await api.messages.send_message_event_answer(
            event_id=callback_id, user_id=5, peer_id=5, event_data=long_text
        )
    assert emu.violations[-1].param == "event_data"
    assert len(staff.answers_for(envelope)) == 1


# -- sending -----------------------------------------------------------------------------------


async def test_random_id_deduplicates_per_peer(emu: Emulator, api: API) -> None:
    emu.user(5, "Анна", "Петрова")
    emu.user(6, "Борис", "Иванов")
    first = await api.messages.send(peer_id=5, message="Раз", random_id=42)
    again = await api.messages.send(peer_id=5, message="Раз", random_id=42)
    other = await api.messages.send(peer_id=6, message="Раз", random_id=42)
    await api.messages.send(peer_id=5, message="Два", random_id=0)
    await api.messages.send(peer_id=5, message="Два", random_id=0)
    assert first == again != other
    assert [m.text for m in emu.sent_to(5)] == ["Раз", "Два", "Два"]
    assert emu.sent_to(5)[0].random_id == 42


async def test_901_until_the_user_allows_messages(emu: Emulator, api: API) -> None:
    emu.settle = no_settle
    shy = emu.user(5, "Анна", "Петрова", allowed=False)
    writer = emu.user(6, "Борис", "Иванов", allowed=False)
    for peer in (5, 6, 777):
        with pytest.raises(VKAPIError[901]):
            await api.messages.send(peer_id=peer, message="Здравствуйте", random_id=0)
    event_id = await shy.allow_messages()
    writer.push_message("Привет")  # writing first allows answers too
    await api.messages.send(peer_id=5, message="Здравствуйте", random_id=0)
    await api.messages.send(user_id=6, message="Здравствуйте", random_id=0)
    assert len(shy.messages) == len(writer.messages) == 1
    assert (emu.updates[0]["type"], emu.updates[0]["event_id"]) == ("message_allow", event_id)


async def test_peer_ids_batch_reports_each_peer(emu: Emulator, api: API) -> None:
    emu.user(5, "Анна", "Петрова")
    emu.user(6, "Борис", "Иванов")
    emu.user(7, "Вера", "Сидорова", allowed=False)
    items: Any = await api.messages.send(peer_ids=[5, 6, 7], message="Общий сбор", random_id=0)
    results = [(i.peer_id, i.error and i.error.code) for i in items]
    assert results == [(5, None), (6, None), (7, 901)]
    assert items[0].conversation_message_id == emu.sent_to(5)[0].conversation_message_id
    assert emu.sent_to(7) == []


async def test_edit_replaces_the_message(emu: Emulator, api: API) -> None:
    staff = emu.user(5, "Анна", "Петрова")
    kb = keyboard([[{"action": {"type": "callback", "label": "Да", "payload": "{}"}}]], inline=True)
    await api.messages.send(peer_id=5, message="Подтвердить?", random_id=0, keyboard=kb)
    cmid = staff.last_message.conversation_message_id
    # The way vkbottle's MessageEvent.edit_message() addresses the message.
    await api.request(
        "messages.edit", {"peer_id": 5, "conversation_message_id": cmid, "message": "Подтверждено"}
    )
    assert (staff.last_message.text, staff.last_message.edited) == ("Подтверждено", True)
    assert staff.last_message.keyboard is None
    with pytest.raises(VKAPIError[100]):
        await api.messages.edit(peer_id=5, cmid=cmid + 10, message="?")
    assert emu.violations == []


# -- long poll ---------------------------------------------------------------------------------


async def test_long_poll_delivers_waits_and_fails_on_request(
    emu: Emulator, api: API, http: aiohttp.ClientSession
) -> None:
    server = (await api.request("groups.getLongPollServer", {"group_id": 1}))["response"]
    assert server["server"] == f"{emu.base_url}/lp/1"
    ts = server["ts"]
    first = emu.push_update("message_new", {"message": {"from_id": 5, "text": "a"}})
    answer = await poll(http, server, ts, wait=25)
    assert [u["event_id"] for u in answer["updates"]] == [first]
    assert emu.delivered(first).is_set()
    assert (answer["updates"][0]["v"], answer["updates"][0]["group_id"]) == ("5.199", 1)
    emu.push_raw(answer["updates"][0])  # VK may deliver the same event twice
    again = await poll(http, server, answer["ts"])
    assert [u["event_id"] for u in again["updates"]] == [first]
    answer = again

    # Nothing new: the server holds the request for `wait` seconds, then answers empty.
    empty = await poll(http, server, answer["ts"], wait=1)
    assert empty == {"ts": answer["ts"], "updates": []}

    # A poll already parked is answered as soon as something arrives.
    parked = asyncio.create_task(poll(http, server, answer["ts"], wait=25))
    await emu.wait_for_poller()
    second = emu.push_update("message_new", {"message": {"from_id": 5, "text": "b"}})
    assert [u["event_id"] for u in (await parked)["updates"]] == [second]

    assert (await poll(http, server, 10**9))["failed"] == 1
    assert (await poll(http, server, 0)) == {"failed": 1, "ts": str(int(ts) + 3)}
    assert await poll(http, {**server, "key": "wrong"}, ts) == {"failed": 2}
    emu.lp_fail_next(1)
    assert (await poll(http, server, ts))["failed"] == 1
    emu.lp_fail_next(2)
    assert await poll(http, server, ts) == {"failed": 2}
    assert await poll(http, server, ts) == {"failed": 2}  # the old key is dead now
    fresh = (await api.request("groups.getLongPollServer", {"group_id": 1}))["response"]
    emu.lp_fail_next(3)
    assert await poll(http, fresh, ts) == {"failed": 3}


@pytest.mark.expect_errors("Unable to make request to BotPolling, retrying")
async def test_bot_polling_reads_events_through_failures(
    emu: Emulator, api: API, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # BotPolling writes its ts file into the working directory
    staff = emu.user(5, "Анна", "Петрова")
    emu.lp_fail_next(2)
    emu.lp_fail_next(3)
    emu.fail_next("lp", drop=True)  # vkbottle retries network errors after a short backoff
    polling = BotPolling(api, group_id=emu.group_id, wait=5)
    events = polling.listen()
    next_event = asyncio.create_task(anext(events))
    await emu.wait_for_poller()
    event_id = staff.push_message("Привет")
    event = await next_event
    polling.stop()
    await events.aclose()
    update = event["updates"][0]
    assert update["event_id"] == event_id
    assert MessageNew(**update).model_dump()["object"]["message"]["text"] == "Привет"


async def test_client_updates_match_vkbottle_models(emu: Emulator) -> None:
    emu.settle = no_settle
    staff = emu.user(5, "Анна", "Петрова", callbacks=False, inline=False, lang_id=3)
    await staff.say("Привет")
    await staff.open_link("invite-42", "qr")
    await staff.send_sticker()
    await staff.send_photo(b"\x89PNG fake")
    await staff.press_payload({"cmd": "x"}, callback=False, text="Кнопка")
    await staff.press_payload('{"cmd": "y"}', cmid=3)
    await staff.press_payload("not json at all", callback=False)
    await staff.allow_messages()
    # vkbottle drops an update its models reject with only a log line: validate them here.
    updates = emu.updates
    models = {
        "message_new": MessageNew,
        "message_event": MessageEvent,
        "message_allow": MessageAllow,
    }
    objects = [models[u["type"]](**u).model_dump(mode="json")["object"] for u in updates]
    messages = [o["message"] for o in objects[:5]]
    info = objects[0]["client_info"]
    assert "callback" not in info["button_actions"]
    assert (info["inline_keyboard"], info["lang_id"]) == (False, 3)
    assert (messages[1]["ref"], messages[1]["ref_source"]) == ("invite-42", "qr")
    assert messages[2]["attachments"][0]["sticker"]["sticker_id"] == 9014
    photo = messages[3]["attachments"][0]["photo"]
    assert emu.photo_bytes(f"photo{photo['owner_id']}_{photo['id']}") == b"\x89PNG fake"
    assert messages[4]["payload"] == '{"cmd":"x"}'
    assert (objects[5]["payload"], objects[5]["conversation_message_id"]) == ({"cmd": "y"}, 3)
    assert updates[6]["object"]["message"]["payload"] == "not json at all"
    assert objects[7]["user_id"] == 5
    assert [m["conversation_message_id"] for m in messages] == [1, 2, 3, 4, 5]


# -- failures and limits -----------------------------------------------------------------------


async def test_injected_failures(emu: Emulator, api: API, http: aiohttp.ClientSession) -> None:
    emu.user(5, "Анна", "Петрова")
    emu.fail_next("messages.send", code=6)
    emu.fail_next("messages.send", code=9, times=2)
    for code in (6, 9, 9):
        with pytest.raises(VKAPIError[code]):
            await api.messages.send(peer_id=5, message="Раз", random_id=0)
    await api.messages.send(peer_id=5, message="Раз", random_id=0)

    emu.fail_next("users.get", http_status=502)
    async with http.post(emu.api_url + "users.get", params={"access_token": emu.token}) as resp:
        assert resp.status == 502
        with pytest.raises(json.JSONDecodeError):
            json.loads(await resp.text())

    emu.fail_next("users.get", drop=True)
    with pytest.raises(aiohttp.ClientConnectionError):
        await api.request("users.get", {"user_ids": "5"})
    assert (await api.request("users.get", {"user_ids": "5"}))["response"][0]["id"] == 5
    assert len(emu.sent_to(5)) == 1


async def test_enforce_rps(http: aiohttp.ClientSession) -> None:
    async with Emulator(enforce_rps=5) as emu:
        emu.user(5, "Анна", "Петрова")
        answers = await asyncio.gather(
            *(raw_call(http, emu, "users.get", user_ids="5") for _ in range(8))
        )
        codes = sorted(error_code(a) if "error" in a else 0 for a in answers)
        assert codes == [0] * 5 + [6] * 3
        assert emu.max_rps_seen == 8
        emu.reset_calls()
        assert (emu.calls, emu.max_rps_seen) == ([], 0)


# -- uploads -----------------------------------------------------------------------------------


async def test_photo_and_doc_uploads_round_trip(
    emu: Emulator, api: API, http: aiohttp.ClientSession
) -> None:
    emu.user(5, "Анна", "Петрова")
    picture, table = b"\x89PNG\r\n\x1a\n picture", "ФИО;Роль\nАнна;учитель\n".encode()
    photo = await PhotoMessageUploader(api).upload(picture, peer_id=5)
    doc = await DocMessagesUploader(api).upload(table, peer_id=5, title="staff.csv")
    assert photo.startswith(f"photo-{emu.group_id}_")
    assert doc.startswith(f"doc-{emu.group_id}_")
    assert (emu.photo_bytes(photo), emu.doc_bytes(doc)) == (picture, table)
    await api.messages.send(peer_id=5, attachment=f"{photo},{doc}", random_id=0)
    assert emu.sent_to(5)[0].attachments == [photo, doc]
    with pytest.raises(VKAPIError[100]):
        await api.request("docs.save", {"file": "forged"})
    with pytest.raises(VKAPIError[100]):
        await api.messages.send(peer_id=5, attachment="photo-1_999", random_id=0)
    async with http.get(f"{emu.base_url}/files/{doc}") as response:
        assert await response.read() == table
    assert emu.violations == []


# -- the person-like client against a tiny bot ------------------------------------------------


async def tiny_bot(api: API, emu: Emulator) -> None:
    """Echoes texts with a two-button inline keyboard and answers callback presses."""
    polling = BotPolling(api, group_id=emu.group_id, wait=5)
    yes: dict[str, Any] = {"type": "callback", "label": "Да", "payload": '{"cmd":"yes"}'}
    more: dict[str, Any] = {"type": "text", "label": "Ещё", "payload": {"cmd": "more"}}
    buttons = [[{"action": yes}, {"action": more}]]
    async for event in polling.listen():
        for update in event["updates"]:
            obj = update["object"]
            if update["type"] == "message_new":
                message = obj["message"]
                extra = f"{message.get('payload', '')} {message.get('ref', '')}"
                text = f"echo: {message['text']} {extra}"
                await api.messages.send(
                    peer_id=message["peer_id"],
                    message=text.strip(),
                    random_id=0,
                    keyboard=keyboard(buttons, inline=True),
                )
            elif update["type"] == "message_event":
                snackbar = json.dumps({"type": "show_snackbar", "text": f"ok {obj['payload']}"})
                await api.messages.send_message_event_answer(
                    event_id=obj["event_id"],
                    user_id=obj["user_id"],
                    peer_id=obj["peer_id"],
                    event_data=snackbar,
                )
                await api.request(
                    "messages.edit",
                    {
                        "peer_id": obj["peer_id"],
                        "message": "done",
                        "conversation_message_id": obj["conversation_message_id"],
                    },
                )


async def test_user_client_talks_to_a_bot(
    emu: Emulator, api: API, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    bot = asyncio.create_task(tiny_bot(api, emu))
    await emu.wait_for_poller()  # the bot skips whatever was pushed before it started polling
    try:
        staff: UserClient = emu.user(5, "Анна", "Петрова")
        await staff.say("привет")
        first = staff.last_message
        assert (first.text, first.button_labels) == ("echo: привет", ["Да", "Ещё"])

        press = await staff.tap("да")
        assert staff.snackbars == ["ok {'cmd': 'yes'}"]
        assert len(staff.answers_for(press)) == 1
        # The default settle returns at the bot's first action (the snackbar), not the edit.
        await emu.until(lambda: staff.last_message.edited)
        assert (staff.last_message.text, staff.last_message.keyboard) == ("done", None)

        await staff.say("снова")
        await staff.tap("Ещё")
        assert staff.last_message.text == 'echo: Ещё {"cmd":"more"}'

        with pytest.raises(AssertionError, match=r"no button 'Нет'.*\['Да', 'Ещё'\]"):
            await staff.tap("Нет")
        await staff.tap("Ещё", message=staff.messages[1])  # a stale message's button still works
        await staff.open_link("qr-7")
        assert staff.last_message.text == "echo: Начать  qr-7"
        assert len(staff.messages) == 5
    finally:
        bot.cancel()
        await asyncio.gather(bot, return_exceptions=True)


async def test_settle_fails_clearly_without_a_bot(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(emulator_server, "SETTLE_TIMEOUT", 0.2)
    staff = emu.user(5, "Анна", "Петрова")
    with pytest.raises(AssertionError, match=r"bot did not fetch .* from user 5 within 0\.2 s"):
        await staff.say("Есть кто?")


# -- runnable mode -----------------------------------------------------------------------------


async def test_runnable_mode(http: aiohttp.ClientSession) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.sandbox.vk",
        "--port",
        "0",
        "--token",
        "T",
        "--group-id",
        "7",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        api_url = (await asyncio.wait_for(process.stdout.readline(), 30)).decode().strip()
        base = api_url.removesuffix("/method/")
        async with http.post(f"{base}/_emu/say", json={"user_id": 5, "text": "Привет"}) as r:
            event_id = (await r.json())["event_id"]
        api = API("T", http_client=AiohttpClient())
        api.API_URL = api_url
        server = await api.groups.get_long_poll_server(group_id=7)
        updates = (await poll(http, server.model_dump(), 1))["updates"]
        assert updates[0]["event_id"] == event_id
        await api.messages.send(peer_id=5, message="Здравствуйте", random_id=0)
        await api.http_client.close()
        async with http.get(f"{base}/_emu/messages", params={"peer_id": "5"}) as r:
            assert [m["text"] for m in await r.json()] == ["Здравствуйте"]
    finally:
        process.terminate()
        assert await process.wait() == 0
