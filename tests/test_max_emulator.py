"""The MAX emulator speaks MAX's protocol as dev.max.ru documents it, limits and faults included.

Requests here are raw HTTP, as any client would send them; tests/test_max_api.py drives the same
emulator through the project's own client.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.sandbox.max import MaxEmulator, MaxUser
from bot.sandbox.max.schema import load_schema
from tests.max_support import MAX_TOKEN, max_emu

__all__ = ["max_emu"]


async def call(
    emu: MaxEmulator,
    method: str,
    path: str,
    *,
    query: dict[str, str] | None = None,
    body: Any = None,
    token: str | None = MAX_TOKEN,
) -> tuple[int, Any]:
    headers = {"Authorization": token} if token is not None else {}
    async with (
        aiohttp.ClientSession() as session,
        session.request(
            method, emu.api_url + path, params=query, json=body, headers=headers
        ) as response,
    ):
        return response.status, await response.json(content_type=None)


async def started(emu: MaxEmulator, user_id: int = 501, **kwargs: Any) -> MaxUser:
    person = emu.user(user_id, "Анна", "Петрова", **kwargs)
    # Nobody answers in these tests: push without settling, as the person's app would.
    emu.push_bot_started(person, None)
    return person


def keyboard(rows: list[list[dict[str, Any]]]) -> dict[str, Any]:
    return {"type": "inline_keyboard", "payload": {"buttons": rows}}


def cb(text: str = "OK", payload: str = "ok") -> dict[str, Any]:
    return {"type": "callback", "text": text, "payload": payload}


def take_violations(emu: MaxEmulator) -> list[str]:
    """The violations a test provoked on purpose, cleared so the fixture checks the rest."""
    found = [f"{v.where}: {v.problem}" for v in emu.violations]
    emu.violations.clear()
    return found


# -- auth, identity, unknown paths --------------------------------------------------------------


async def test_token_only_in_the_authorization_header(max_emu: MaxEmulator) -> None:
    assert (await call(max_emu, "GET", "/me", token=None))[0] == 401
    status, body = await call(max_emu, "GET", "/me", token="wrong")
    assert (status, body["code"]) == (401, "verify.token")
    # The old way, a token in the query, is refused even when the header is right too.
    status, body = await call(max_emu, "GET", "/me", query={"access_token": MAX_TOKEN})
    assert (status, body["code"]) == (401, "verify.token")
    assert "no longer supported" in body["message"]


async def test_get_me_describes_the_bot(max_emu: MaxEmulator) -> None:
    status, me = await call(max_emu, "GET", "/me")
    assert status == 200
    assert me["user_id"] == max_emu.bot_user_id
    assert me["username"] == max_emu.bot_username
    assert me["is_bot"] is True


async def test_unknown_path_is_a_max_error_not_html(max_emu: MaxEmulator) -> None:
    status, body = await call(max_emu, "GET", "/method/messages.send")
    assert status == 404
    assert body["code"] == "not.found"


# -- sending, editing, deleting, reading --------------------------------------------------------


async def test_send_to_a_person_by_user_id_and_by_chat_id(max_emu: MaxEmulator) -> None:
    person = await started(max_emu)
    assert person.chat_id is not None
    assert person.chat_id != person.user_id
    status, sent = await call(
        max_emu, "POST", "/messages", query={"user_id": "501"}, body={"text": "hello"}
    )
    assert status == 200
    message = sent["message"]
    assert message["recipient"] == {
        "chat_id": person.chat_id,
        "chat_type": "dialog",
        "user_id": 501,
    }
    assert message["sender"]["is_bot"] is True
    assert message["timestamp"] > 10**12  # milliseconds
    await call(
        max_emu, "POST", "/messages", query={"chat_id": str(person.chat_id)}, body={"text": "again"}
    )
    assert [m.text for m in person.messages] == ["hello", "again"]
    assert person.messages[0].mid == message["body"]["mid"]


async def test_no_dialog_before_the_person_starts_the_bot(max_emu: MaxEmulator) -> None:
    max_emu.user(502, "Пётр")
    status, body = await call(
        max_emu, "POST", "/messages", query={"user_id": "502"}, body={"text": "hi"}
    )
    assert (status, body["code"]) == (403, "chat.denied")
    status, body = await call(
        max_emu, "POST", "/messages", query={"chat_id": "12345"}, body={"text": "hi"}
    )
    assert status == 404


async def test_request_bodies_are_checked_against_the_schema(max_emu: MaxEmulator) -> None:
    person = await started(max_emu)
    query = {"user_id": str(person.user_id)}
    status, body = await call(max_emu, "POST", "/messages", query=query, body={"text": "x" * 4001})
    assert (status, body["code"]) == (400, "proto.payload")
    assert take_violations(max_emu) == ["text: 4001 characters, at most 4000"]
    status, _ = await call(
        max_emu, "POST", "/messages", query=query, body={"text": "hi", "formatt": "html"}
    )
    assert status == 400
    assert take_violations(max_emu) == ["formatt: unknown field"]
    status, _ = await call(
        max_emu, "POST", "/messages", query=query, body={"text": "hi", "format": "bbcode"}
    )
    assert status == 400
    assert take_violations(max_emu) == ["format: 'bbcode' is not one of ['markdown', 'html']"]
    status, _ = await call(
        max_emu, "POST", "/messages", query={**query, "peer_id": "1"}, body={"text": "hi"}
    )
    assert status == 400
    assert take_violations(max_emu) == ["?peer_id: unknown parameter"]
    assert person.messages == []


def _row(n: int, first: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    row = [cb(f"b{i}", f"p{i}") for i in range(n)]
    return [first, *row[1:]] if first else row


LINK = {"type": "link", "text": "Site", "url": "https://example.org"}


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ([_row(8)], "row 0 has 8 buttons, at most 7"),
        ([_row(4, LINK)], "row 0 has 4 buttons, at most 3"),
        ([_row(1)] * 31, "31 rows, a keyboard allows 30"),
        ([_row(7)] * 30 + [], None),  # 210 buttons in 30 rows of 7: the largest keyboard
        ([[cb("x" * 129)]], "text: 129 characters, at most 128"),
        ([[cb("OK", "p" * 1025)]], "payload: 1025 characters, at most 1024"),
        ([[{"type": "callback", "text": "OK"}]], "payload: required field is missing"),
        ([[{"type": "reply", "text": "OK"}]], "is not one of"),
    ],
)
async def test_keyboard_limits(
    max_emu: MaxEmulator, rows: list[list[dict[str, Any]]], problem: str | None
) -> None:
    person = await started(max_emu)
    body = {"text": "pick", "attachments": [keyboard(rows)]}
    status, _ = await call(max_emu, "POST", "/messages", query={"user_id": "501"}, body=body)
    if problem is None:
        assert status == 200
        assert len(person.last_message.buttons) == 210
        return
    assert status == 400
    found = take_violations(max_emu)
    assert any(problem in p for p in found), found
    assert person.messages == []


async def test_a_row_with_a_link_takes_three(max_emu: MaxEmulator) -> None:
    person = await started(max_emu)
    body = {"text": "pick", "attachments": [keyboard([_row(3, LINK), _row(7)])]}
    status, _ = await call(max_emu, "POST", "/messages", query={"user_id": "501"}, body=body)
    assert status == 200
    assert person.last_message.button_labels[0] == "Site"


async def test_edit_in_place_keeps_or_removes_attachments(max_emu: MaxEmulator) -> None:
    person = await started(max_emu)
    body = {"text": "v1", "attachments": [keyboard([[cb()]])]}
    _, sent = await call(max_emu, "POST", "/messages", query={"user_id": "501"}, body=body)
    mid = sent["message"]["body"]["mid"]
    status, result = await call(
        max_emu,
        "PUT",
        "/messages",
        query={"message_id": mid},
        body={"text": "v2", "attachments": None},
    )
    assert (status, result) == (200, {"success": True})
    assert (person.last_message.text, person.last_message.button_labels) == ("v2", ["OK"])
    assert person.last_message.edited
    await call(max_emu, "PUT", "/messages", query={"message_id": mid}, body={"attachments": []})
    assert (person.last_message.text, person.last_message.keyboard) == ("v2", None)
    assert len(person.messages) == 1
    status, body = await call(
        max_emu, "PUT", "/messages", query={"message_id": "mid.nope"}, body={"text": "x"}
    )
    assert (status, body["code"]) == (404, "not.found")


async def test_delete_and_read_messages(max_emu: MaxEmulator) -> None:
    person = await started(max_emu)
    mids = []
    for text in ("one", "two"):
        _, sent = await call(
            max_emu, "POST", "/messages", query={"user_id": "501"}, body={"text": text}
        )
        mids.append(sent["message"]["body"]["mid"])
    status, listed = await call(max_emu, "GET", "/messages", query={"chat_id": str(person.chat_id)})
    assert status == 200
    assert [m["body"]["text"] for m in listed["messages"]] == ["two", "one"]  # newest first
    status, one = await call(max_emu, "GET", f"/messages/{mids[0]}")
    assert (status, one["body"]["text"]) == (200, "one")
    status, result = await call(max_emu, "DELETE", "/messages", query={"message_id": mids[0]})
    assert (status, result) == (200, {"success": True})
    assert [m.text for m in person.messages] == ["two"]
    assert (await call(max_emu, "GET", f"/messages/{mids[0]}"))[0] == 404


# -- callbacks ----------------------------------------------------------------------------------


async def _pressed(emu: MaxEmulator, person: MaxUser) -> str:
    body = {"text": "question", "attachments": [keyboard([[cb("Yes", "yes")]])]}
    await call(emu, "POST", "/messages", query={"user_id": str(person.user_id)}, body=body)
    return emu.push_callback(person, person.last_message, "yes")


async def test_callback_update_and_answers(max_emu: MaxEmulator) -> None:
    person = await started(max_emu, locale="en")
    callback_id = await _pressed(max_emu, person)
    update = max_emu.updates[-1]
    assert update["update_type"] == "message_callback"
    assert update["callback"]["payload"] == "yes"
    assert update["callback"]["user"]["user_id"] == person.user_id
    assert update["message"]["body"]["mid"] == person.last_message.mid
    assert update["user_locale"] == "en"
    q = {"callback_id": callback_id}
    assert (await call(max_emu, "POST", "/answers", query=q, body={"notification": "Saved"}))[
        0
    ] == 200
    assert person.notifications == ["Saved"]
    status, _ = await call(
        max_emu, "POST", "/answers", query=q, body={"message": {"text": "Done", "attachments": []}}
    )
    assert status == 200
    assert (person.last_message.text, person.last_message.keyboard) == ("Done", None)
    status, body = await call(max_emu, "POST", "/answers", query=q, body={})
    assert (status, body["code"]) == (400, "proto.payload")
    unknown = {"callback_id": "cb.unknown"}
    status, _ = await call(max_emu, "POST", "/answers", query=unknown, body={"notification": "x"})
    assert status == 404


# -- limits on rate -----------------------------------------------------------------------------


async def test_thirty_requests_a_second(max_emu: MaxEmulator) -> None:
    max_emu.clock = lambda: 100.0  # every request lands in the same second
    statuses = [(await call(max_emu, "GET", "/me"))[0] for _ in range(31)]
    assert statuses == [200] * 30 + [429]
    assert take_violations(max_emu) == ["rate: 31 requests in a second"]
    max_emu.clock = lambda: 101.5
    assert (await call(max_emu, "GET", "/me"))[0] == 200


async def test_two_messages_a_second_into_one_dialog(max_emu: MaxEmulator) -> None:
    anna = await started(max_emu, 501)
    boris = await started(max_emu, 502)
    max_emu.clock = lambda: 100.0
    results = []
    for user in ("501", "501", "501", "502"):
        status, body = await call(
            max_emu, "POST", "/messages", query={"user_id": user}, body={"text": "hi"}
        )
        results.append((status, body.get("code")))
    assert results == [(200, None), (200, None), (429, "too.many.requests"), (200, None)]
    assert take_violations(max_emu) == ["rate: more than 2 messages a second in a dialog"]
    assert (len(anna.messages), len(boris.messages)) == (2, 1)


async def test_two_callback_answers_a_second_in_a_dialog(max_emu: MaxEmulator) -> None:
    person = await started(max_emu)
    await _pressed(max_emu, person)
    max_emu.clock = lambda: 100.0
    statuses = []
    for _ in range(3):
        callback_id = max_emu.push_callback(person, person.last_message, "yes")
        body = {"notification": "n"}
        q = {"callback_id": callback_id}
        statuses.append((await call(max_emu, "POST", "/answers", query=q, body=body))[0])
    assert statuses == [200, 200, 429]
    assert take_violations(max_emu) == ["rate: more than 2 callback answers a second in a dialog"]
    assert person.notifications == ["n", "n"]


# -- uploads ------------------------------------------------------------------------------------


async def _upload(emu: MaxEmulator, url: str, data: bytes, name: str) -> tuple[int, Any]:
    form = aiohttp.FormData()
    form.add_field("data", data, filename=name)
    async with aiohttp.ClientSession() as session, session.post(url, data=form) as response:
        return response.status, await response.json()


async def test_upload_an_image_and_a_file_then_attach_them(max_emu: MaxEmulator) -> None:
    person = await started(max_emu)
    status, endpoint = await call(max_emu, "POST", "/uploads", query={"type": "image"})
    assert status == 200
    status, uploaded = await _upload(max_emu, endpoint["url"], b"PNGDATA", "qr.png")
    assert status == 200
    (photo,) = uploaded["photos"].values()
    # One file per upload URL.
    assert (await _upload(max_emu, endpoint["url"], b"again", "x.png"))[0] == 400
    _, endpoint = await call(max_emu, "POST", "/uploads", query={"type": "file"})
    _, file = await _upload(max_emu, endpoint["url"], b"a;b\n", "export.csv")
    attachments = [
        {"type": "image", "payload": {"photos": uploaded["photos"]}},
        {"type": "file", "payload": {"token": file["token"]}},
    ]
    status, _ = await call(
        max_emu, "POST", "/messages", query={"user_id": "501"}, body={"attachments": attachments}
    )
    assert status == 200
    message = person.last_message
    assert [a["payload"]["token"] for a in message.images] == [photo["token"]]
    assert max_emu.media_bytes(message.images[0]) == b"PNGDATA"
    assert (message.files[0]["filename"], message.files[0]["size"]) == ("export.csv", 4)
    assert max_emu.media_bytes(message.files[0]) == b"a;b\n"
    bad = [{"type": "image", "payload": {"token": "image.forged"}}]
    status, body = await call(
        max_emu, "POST", "/messages", query={"user_id": "501"}, body={"attachments": bad}
    )
    assert (status, body["code"]) == (400, "proto.payload")
    status, _ = await call(max_emu, "POST", "/uploads", query={"type": "photo"})
    assert status == 400  # MAX renamed photo to image
    assert take_violations(max_emu) == [
        "?type: 'photo' is not one of ['image', 'video', 'audio', 'file']"
    ]


# -- long polling -------------------------------------------------------------------------------


async def test_long_poll_marker_semantics(max_emu: MaxEmulator) -> None:
    person = await started(max_emu)  # update 0: bot_started
    person.push_message("one")
    person.push_message("two")
    status, latest = await call(max_emu, "GET", "/updates", query={"timeout": "0"})
    assert status == 200
    # Without a marker only the latest update comes.
    assert [u["message"]["body"]["text"] for u in latest["updates"]] == ["two"]
    _, everything = await call(max_emu, "GET", "/updates", query={"marker": "0", "timeout": "0"})
    kinds = [u["update_type"] for u in everything["updates"]]
    assert kinds == ["bot_started", "message_created", "message_created"]
    assert everything["updates"][1]["message"]["recipient"]["chat_id"] == person.chat_id
    assert everything["updates"][1]["user_locale"] == "ru"
    marker = everything["marker"]
    _, nothing = await call(
        max_emu, "GET", "/updates", query={"marker": str(marker), "timeout": "0"}
    )
    assert (nothing["updates"], nothing["marker"]) == ([], marker)
    _, limited = await call(
        max_emu, "GET", "/updates", query={"marker": "0", "limit": "1", "timeout": "0"}
    )
    assert ([u["update_type"] for u in limited["updates"]], limited["marker"]) == (
        ["bot_started"],
        1,
    )
    _, typed = await call(
        max_emu, "GET", "/updates", query={"marker": "0", "types": "bot_started", "timeout": "0"}
    )
    assert [u["update_type"] for u in typed["updates"]] == ["bot_started"]


async def test_long_poll_waits_for_the_next_update(max_emu: MaxEmulator) -> None:
    person = await started(max_emu)
    poll = asyncio.create_task(
        call(max_emu, "GET", "/updates", query={"marker": "1", "timeout": "30"})
    )
    await max_emu.wait_for_poller()
    person.push_message("wake up")
    status, batch = await poll
    assert status == 200
    assert [u["message"]["body"]["text"] for u in batch["updates"]] == ["wake up"]
    assert batch["marker"] == 2


async def test_long_poll_limits_are_the_schemas(max_emu: MaxEmulator) -> None:
    status, _ = await call(max_emu, "GET", "/updates", query={"timeout": "91"})
    assert status == 400
    assert take_violations(max_emu) == ["?timeout: 91 is above the maximum 90"]


# -- webhooks -----------------------------------------------------------------------------------


class Receiver:
    """A bot's webhook endpoint that fails its first ``fail`` deliveries with 500."""

    def __init__(self, fail: int = 0) -> None:
        self.fail = fail
        self.got: list[tuple[dict[str, Any], str | None]] = []
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def _on_post(self, request: web.Request) -> web.Response:
        if self.fail:
            self.fail -= 1
            return web.Response(status=500)
        self.got.append((await request.json(), request.headers.get("X-Max-Bot-Api-Secret")))
        return web.Response(text="ok")

    async def start(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/max", self._on_post)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}/max"
        return self


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    found = await Receiver().start()
    yield found
    assert found.runner is not None
    await found.runner.cleanup()


async def test_webhook_must_be_https_unless_the_switch_allows_loopback() -> None:
    async with MaxEmulator(token=MAX_TOKEN) as strict:
        status, body = await call(
            strict, "POST", "/subscriptions", body={"url": "http://127.0.0.1:1/x"}
        )
        assert (status, body["code"]) == (400, "proto.payload")
        assert take_violations(strict) == ["url: 'http://127.0.0.1:1/x' is not an https:// URL"]
        status, _ = await call(
            strict, "POST", "/subscriptions", body={"url": "https://bot.example/max"}
        )
        assert status == 200
    async with MaxEmulator(token=MAX_TOKEN, allow_loopback_webhooks=True) as loose:
        status, _ = await call(
            loose, "POST", "/subscriptions", body={"url": "http://example.org/x"}
        )
        assert status == 400  # the switch opens loopback only
        take_violations(loose)


async def test_webhook_delivery_with_secret_and_retries(
    max_emu: MaxEmulator, receiver: Receiver
) -> None:
    receiver.fail = 2
    body = {"url": receiver.url, "update_types": ["message_created"], "secret": "s3cret-42"}
    assert (await call(max_emu, "POST", "/subscriptions", body=body))[0] == 200
    _, listed = await call(max_emu, "GET", "/subscriptions")
    assert [(s["url"], s["update_types"]) for s in listed["subscriptions"]] == [
        (receiver.url, ["message_created"])
    ]
    person = await started(max_emu)  # bot_started is not among the subscribed types
    key = person.push_message("via webhook")
    await max_emu.delivered(key).wait()
    assert [(u["message"]["body"]["text"], s) for u, s in receiver.got] == [
        ("via webhook", "s3cret-42")
    ]
    assert [a.outcome for a in max_emu.webhook_attempts] == ["500", "500", "200"]
    # Long polling is off while a webhook is set.
    status, answer = await call(max_emu, "GET", "/updates", query={"timeout": "0"})
    assert status == 405
    assert answer["code"]
    assert (await call(max_emu, "DELETE", "/subscriptions", query={"url": receiver.url}))[0] == 200
    assert (await call(max_emu, "GET", "/subscriptions"))[1] == {"subscriptions": []}
    assert (await call(max_emu, "GET", "/updates", query={"timeout": "0"}))[0] == 200


async def test_webhook_gives_up_after_the_last_retry(
    max_emu: MaxEmulator, receiver: Receiver
) -> None:
    receiver.fail = 100
    await call(max_emu, "POST", "/subscriptions", body={"url": receiver.url})
    person = max_emu.user(501, "Анна")
    max_emu.push_bot_started(person, "code")
    await max_emu.until(lambda: len(max_emu.undelivered) == 1)
    assert len(max_emu.webhook_attempts) == len(max_emu.webhook_retry_delays) + 1
    assert max_emu.undelivered[0]["payload"] == "code"
    assert receiver.got == []


# -- faults -------------------------------------------------------------------------------------


async def test_injected_http_errors_and_lost_answers(max_emu: MaxEmulator) -> None:
    person = await started(max_emu)
    max_emu.fail_next("POST /messages", status=502)
    status, body = await call(
        max_emu, "POST", "/messages", query={"user_id": "501"}, body={"text": "a"}
    )
    assert (status, body["code"]) == (502, "internal.error")
    assert person.messages == []
    max_emu.fail_next("POST /messages", status=400, code="attachment.not.ready")
    status, body = await call(
        max_emu, "POST", "/messages", query={"user_id": "501"}, body={"text": "a"}
    )
    assert (status, body["code"]) == (400, "attachment.not.ready")
    max_emu.fail_next("POST /messages", after=True)
    with pytest.raises(aiohttp.ClientError):
        await call(max_emu, "POST", "/messages", query={"user_id": "501"}, body={"text": "b"})
    # MAX did the work though the answer was lost.
    assert [m.text for m in person.messages] == ["b"]
    # aiohttp itself repeats a GET once on a dropped connection: drop both.
    max_emu.fail_next("GET /me", drop=True, times=2)
    with pytest.raises(aiohttp.ClientError):
        await call(max_emu, "GET", "/me")
    assert (await call(max_emu, "GET", "/me"))[0] == 200
    with pytest.raises(ValueError, match="exactly one"):
        max_emu.fail_next("GET /me", status=500, drop=True)


async def test_bad_json_body_is_refused(max_emu: MaxEmulator) -> None:
    await started(max_emu)
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            max_emu.api_url + "/messages",
            params={"user_id": "501"},
            data=b"{not json",
            headers={"Authorization": MAX_TOKEN},
        ) as response,
    ):
        assert response.status == 400
        assert json.loads(await response.text())["code"] == "proto.payload"
    assert take_violations(max_emu) == ["body: not valid JSON"]


# -- the person-like client ---------------------------------------------------------------------


async def test_person_needs_start_and_a_link_to_this_bot(max_emu: MaxEmulator) -> None:
    person = max_emu.user(501, "Анна")
    with pytest.raises(AssertionError, match="has not started the bot"):
        person.push_message("hi")
    with pytest.raises(AssertionError, match="is not a link to the bot"):
        await person.open_link("https://max.ru/other_bot?start=abc")
    with pytest.raises(AssertionError, match="130-character payload"):
        await person.open_link(max_emu.link("x" * 130))
    assert take_violations(max_emu) == ["start: 130 characters, at most 128"]
    assert max_emu.updates == []


async def test_link_buttons_send_nothing_to_the_bot(max_emu: MaxEmulator) -> None:
    person = await started(max_emu)
    body = {"text": "see", "attachments": [keyboard([[LINK]])]}
    await call(max_emu, "POST", "/messages", query={"user_id": "501"}, body=body)
    with pytest.raises(AssertionError, match="link button"):
        await person.tap("Site")
    with pytest.raises(AssertionError, match="no button"):
        await person.tap("Missing")


async def test_the_emulator_runs_by_hand() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.sandbox.max",
        "--port",
        "0",
        "--token",
        "by-hand",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        url = (await asyncio.wait_for(process.stdout.readline(), 30)).decode().strip()
        async with (
            aiohttp.ClientSession() as session,
            session.get(url + "/me", headers={"Authorization": "by-hand"}) as response,
        ):
            assert response.status == 200
            assert (await response.json())["username"] == "staff_verify_bot"
    finally:
        process.terminate()
        assert await process.wait() == 0


async def test_a_person_sends_a_picture_the_bot_can_download(max_emu: MaxEmulator) -> None:
    person = await started(max_emu)
    key = person.push_message("my badge", [max_emu.store_image(b"JPEGDATA", "badge.jpg")])
    update = max_emu.updates[-1]
    assert update["message"]["body"]["mid"] == key
    (image,) = update["message"]["body"]["attachments"]
    assert image["type"] == "image"
    async with aiohttp.ClientSession() as session, session.get(image["payload"]["url"]) as got:
        assert (got.status, await got.read()) == (200, b"JPEGDATA")


# Two defects of the schema itself, not of the emulator: ChatType's enum lists only "chat" while
# its description (and every dialog MAX delivers) says "dialog" too; MessageBody requires a "link"
# that is a field of Message, not of MessageBody.
SCHEMA_DEFECTS = {
    ("recipient.chat_type", "'dialog' is not one of ['chat']"),
    ("body.link", "required field is missing"),
}


def conformance(name: str, value: Any) -> list[tuple[str, str]]:
    problems = load_schema().check({"$ref": f"#/components/schemas/{name}"}, value, "")
    return [
        (where, problem)
        for where, problem in problems
        if not any(where.endswith(w) and problem == p for w, p in SCHEMA_DEFECTS)
    ]


async def test_what_the_emulator_answers_matches_the_schema(max_emu: MaxEmulator) -> None:
    """The emulator's own answers and updates are what MAX's schema says MAX sends."""
    person = await started(max_emu)
    kb = keyboard([[cb("Yes", "yes"), LINK]])
    _, upload = await call(max_emu, "POST", "/uploads", query={"type": "image"})
    assert conformance("UploadEndpoint", upload) == []
    _, photo = await _upload(max_emu, upload["url"], b"PNG", "a.png")
    assert conformance("PhotoTokens", photo) == []
    _, upload = await call(max_emu, "POST", "/uploads", query={"type": "file"})
    _, file = await _upload(max_emu, upload["url"], b"CSV", "a.csv")
    assert conformance("UploadedInfo", file) == []
    image = {"type": "image", "payload": {"photos": photo["photos"]}}
    body = {"text": "all", "attachments": [kb, image, {"type": "file", "payload": file}]}
    _, sent = await call(max_emu, "POST", "/messages", query={"user_id": "501"}, body=body)
    assert conformance("SendMessageResult", sent) == []
    max_emu.push_callback(person, person.last_message, "yes")
    person.push_message("text", [max_emu.store_image(b"JPG")])
    max_emu.push_bot_started(person, "again")
    kinds = []
    for update in max_emu.updates:
        kinds.append(update["update_type"])
        assert conformance("Update", update) == [], update["update_type"]
    assert sorted(set(kinds)) == ["bot_started", "message_callback", "message_created"]
    _, listed = await call(max_emu, "GET", "/messages", query={"chat_id": str(person.chat_id)})
    assert conformance("MessageList", listed) == []
    _, me = await call(max_emu, "GET", "/me")
    assert conformance("BotInfo", me) == []
    _, polled = await call(max_emu, "GET", "/updates", query={"marker": "0", "timeout": "0"})
    assert conformance("UpdateList", polled) == []
    await call(max_emu, "POST", "/subscriptions", body={"url": "https://bot.example/max"})
    _, subs = await call(max_emu, "GET", "/subscriptions")
    assert conformance("GetSubscriptionsResult", subs) == []
    _, done = await call(
        max_emu, "DELETE", "/subscriptions", query={"url": "https://bot.example/max"}
    )
    assert conformance("SimpleQueryResult", done) == []
    _, error = await call(max_emu, "GET", "/me", token="wrong")
    assert conformance("Error", error) == []


@pytest.mark.parametrize(
    "wide",
    [
        LINK,
        {"type": "open_app", "text": "App", "web_app": "staff_verify_bot"},
        {"type": "request_geo_location", "text": "Where"},
        {"type": "request_contact", "text": "Phone"},
    ],
)
async def test_every_wide_button_narrows_its_row_to_three(
    max_emu: MaxEmulator, wide: dict[str, Any]
) -> None:
    person = await started(max_emu)
    for n, ok in ((3, True), (4, False)):
        body = {"text": "pick", "attachments": [keyboard([_row(n, wide)])]}
        status, _ = await call(max_emu, "POST", "/messages", query={"user_id": "501"}, body=body)
        assert (status == 200) is ok
    assert take_violations(max_emu) == [
        "attachments[0]: row 0 has 4 buttons, at most 3 (it holds a link, app, contact or "
        "location button)"
    ]
    assert person.last_message.buttons[0].type == wide["type"]


async def test_a_message_button_sends_its_text(max_emu: MaxEmulator) -> None:
    person = await started(max_emu)
    body = {"text": "pick", "attachments": [keyboard([[{"type": "message", "text": "Help"}]])]}
    await call(max_emu, "POST", "/messages", query={"user_id": "501"}, body=body)
    person.emu.settle = _no_settle
    await person.tap("Help")
    assert max_emu.updates[-1]["message"]["body"]["text"] == "Help"


async def _no_settle(key: str) -> None:
    """Nobody answers in these tests; the update itself is what they check."""
