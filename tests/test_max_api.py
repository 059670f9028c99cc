"""bot/max_api.py against the MAX emulator: a tiny echo bot on it talks to a person-like client,
and the client's limits, retries and error classes hold under injected faults."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot import max_api
from bot.max_api import MaxApi, MaxApiError, MaxOutcomeUnknown, MaxTlsError, MaxUnavailable
from bot.sandbox.max import MaxEmulator, MaxUser
from tests.max_support import MAX_TOKEN, QUICK_RETRIES, EchoBot, api, max_emu

__all__ = ["api", "max_emu"]


@pytest.fixture
async def echo(api: MaxApi) -> AsyncIterator[EchoBot]:
    async with EchoBot(api) as bot:
        yield bot


@pytest.fixture
def anna(max_emu: MaxEmulator) -> MaxUser:
    return max_emu.user(501, "Анна", "Петрова", locale="ru")


# -- the echo bot, end to end -------------------------------------------------------------------


async def test_deep_link_starts_the_bot_with_its_payload(
    max_emu: MaxEmulator, echo: EchoBot, anna: MaxUser
) -> None:
    await anna.open_link(max_emu.link("inv-7Hq2"))
    assert anna.last_message.text == "started with inv-7Hq2"
    started = echo.handled[0]
    assert started["update_type"] == "bot_started"
    assert started["user"]["user_id"] == anna.user_id
    assert started["chat_id"] == anna.chat_id != anna.user_id
    assert started["user_locale"] == "ru"


async def test_say_and_get_a_keyboard(echo: EchoBot, anna: MaxUser) -> None:
    await anna.start()
    await anna.say("привет")
    message = anna.last_message
    assert message.text == "echo: привет"
    assert message.button_labels == ["Edit me", "Notify", "Docs"]
    assert message.buttons[2].url == "https://dev.max.ru/docs-api"


async def test_callback_answer_replaces_the_message(echo: EchoBot, anna: MaxUser) -> None:
    await anna.start()
    await anna.say("hi")
    await anna.tap("Edit me")
    assert [m.text for m in anna.messages] == ["started with None", "edited"]
    assert anna.last_message.edited
    assert anna.last_message.keyboard is None


async def test_callback_answer_with_a_notification(
    max_emu: MaxEmulator, echo: EchoBot, anna: MaxUser
) -> None:
    await anna.start()
    await anna.say("hi")
    await anna.tap("Notify")
    assert anna.notifications == ["noticed"]
    assert anna.last_message.text == "echo: hi"  # a notification leaves the message as it is
    assert max_emu.answers[-1]["user_id"] == anna.user_id


async def test_upload_an_image_and_a_file(
    max_emu: MaxEmulator, echo: EchoBot, anna: MaxUser
) -> None:
    await anna.start()
    await anna.say("image")
    image = anna.last_message.images[0]
    assert max_emu.media_bytes(image) == b"\x89PNG-ish bytes"
    await anna.say("file")
    file = anna.last_message.files[0]
    assert (file["filename"], max_emu.media_bytes(file)) == ("export.csv", b"col1;col2\n1;2\n")


async def test_the_echo_bot_through_a_webhook(
    max_emu: MaxEmulator, api: MaxApi, anna: MaxUser
) -> None:
    """The same bot fed by MAX's POSTs instead of long polling."""
    bot = EchoBot(api)
    secrets_seen: list[str | None] = []

    async def on_update(request: web.Request) -> web.Response:
        secrets_seen.append(request.headers.get("X-Max-Bot-Api-Secret"))
        await bot._handle(await request.json())
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/max", on_update)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/max"
    try:
        await api.subscribe(url, update_types=["bot_started", "message_created"], secret="hook-1")
        assert [s.url for s in await api.subscriptions()] == [url]
        with pytest.raises(MaxApiError) as polling:
            await api.get_updates(wait=0)
        assert polling.value.status == 405
        await anna.start("from-hook")
        await anna.say("hello")
        assert [m.text for m in anna.messages] == ["started with from-hook", "echo: hello"]
        assert secrets_seen == ["hook-1", "hook-1"]
        await api.unsubscribe(url)
        assert await api.subscriptions() == []
    finally:
        await runner.cleanup()


# -- the client's typed answers -----------------------------------------------------------------


async def test_get_me_send_edit_delete_and_read(
    max_emu: MaxEmulator, api: MaxApi, anna: MaxUser
) -> None:
    me = await api.get_me()
    assert (me.user_id, me.username) == (max_emu.bot_user_id, max_emu.bot_username)
    max_emu.push_bot_started(anna, None)
    keyboard = max_api.inline_keyboard([[max_api.callback_button("OK", "ok")]])
    sent = await api.send(user_id=anna.user_id, text="*hi*", attachments=[keyboard], fmt="markdown")
    assert sent.chat_id == anna.chat_id
    assert anna.last_message.format == "markdown"
    await api.edit(sent.mid, text="kept keyboard")
    assert (anna.last_message.text, anna.last_message.button_labels) == ("kept keyboard", ["OK"])
    await api.edit(sent.mid, attachments=[])
    assert anna.last_message.keyboard is None
    assert (await api.get_message(sent.mid))["body"]["text"] == "kept keyboard"
    second = await api.send(chat_id=sent.chat_id, text="second")
    listed = await api.get_messages(sent.chat_id)
    assert [m["body"]["mid"] for m in listed] == [second.mid, sent.mid]
    await api.delete(sent.mid)
    assert [m.text for m in anna.messages] == ["second"]
    with pytest.raises(ValueError, match="exactly one"):
        await api.send(user_id=1, chat_id=2, text="x")


async def test_refusals_are_typed_and_not_retried(max_emu: MaxEmulator, api: MaxApi) -> None:
    with pytest.raises(MaxApiError) as missing:
        await api.send(chat_id=123, text="nobody")
    assert (missing.value.status, missing.value.code) == (404, "chat.not.found")
    assert len(max_emu.calls) == 1
    async with MaxApi("wrong-token", max_emu.api_url) as wrong:
        with pytest.raises(MaxApiError) as denied:
            await wrong.get_me()
    assert (denied.value.status, denied.value.code) == (401, "verify.token")
    async with MaxApi(MAX_TOKEN, max_emu.api_url + "/v1") as misplaced:
        with pytest.raises(MaxApiError) as lost:
            await misplaced.get_me()
    assert lost.value.code == "not.found"


# -- retries and limits -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 502},
        {"status": 503},
        {"status": 429, "code": "too.many.requests"},
        {"status": 400, "code": "attachment.not.ready"},
    ],
)
async def test_transient_errors_are_retried(
    max_emu: MaxEmulator, api: MaxApi, anna: MaxUser, fault: dict[str, Any]
) -> None:
    max_emu.push_bot_started(anna, None)
    max_emu.fail_next("POST /messages", times=2, **fault)
    await api.send(user_id=anna.user_id, text="through")
    assert [m.text for m in anna.messages] == ["through"]
    assert [name for name, _, _ in max_emu.calls].count("POST /messages") == 3


async def test_a_dropped_read_is_retried(max_emu: MaxEmulator, api: MaxApi) -> None:
    max_emu.fail_next("GET /me", drop=True, times=3)
    assert (await api.get_me()).user_id == max_emu.bot_user_id


async def test_a_send_whose_answer_was_lost_is_not_repeated(
    max_emu: MaxEmulator, api: MaxApi, anna: MaxUser
) -> None:
    max_emu.push_bot_started(anna, None)
    max_emu.fail_next("POST /messages", after=True)
    with pytest.raises(MaxOutcomeUnknown):
        await api.send(user_id=anna.user_id, text="once")
    # Said exactly once: the caller can find it in the dialog instead of sending it again.
    assert [m.text for m in anna.messages] == ["once"]
    assert [m["body"]["text"] for m in await api.get_messages(anna.chat_id or 0)] == ["once"]


async def test_unavailable_after_the_last_retry(max_emu: MaxEmulator, api: MaxApi) -> None:
    max_emu.fail_next("GET /me", status=500, times=len(QUICK_RETRIES) + 1)
    with pytest.raises(MaxUnavailable, match="HTTP 500"):
        await api.get_me()
    assert len(max_emu.calls) == len(QUICK_RETRIES) + 1


async def test_long_poll_marker_walks_forward(
    max_emu: MaxEmulator, api: MaxApi, anna: MaxUser
) -> None:
    max_emu.push_bot_started(anna, None)
    anna.push_message("one")
    first = await api.get_updates(0, wait=0)
    assert [u["update_type"] for u in first.updates] == ["bot_started", "message_created"]
    poll = asyncio.create_task(api.get_updates(first.marker, wait=30))
    await max_emu.wait_for_poller()
    anna.push_message("two")
    second = await poll
    assert [u["message"]["body"]["text"] for u in second.updates] == ["two"]
    assert second.marker is not None
    assert first.marker is not None
    assert second.marker > first.marker
    only = await api.get_updates(0, wait=0, types=["bot_started"])
    assert [u["update_type"] for u in only.updates] == ["bot_started"]


async def test_bursts_stay_within_max_limits(max_emu: MaxEmulator, anna: MaxUser) -> None:
    """40 reads at once and 5 messages into one dialog: the client queues, MAX refuses none
    (the fixture checks that no 429 limit was crossed)."""
    max_emu.push_bot_started(anna, None)
    async with MaxApi(MAX_TOKEN, max_emu.api_url, retry_delays=()) as paced:
        await asyncio.gather(*(paced.get_me() for _ in range(40)))
        await asyncio.gather(*(paced.send(user_id=anna.user_id, text=str(i)) for i in range(5)))
    assert sorted(m.text for m in anna.messages) == ["0", "1", "2", "3", "4"]
    assert max_emu.max_rps_seen <= 30


async def test_callback_answers_are_paced_per_dialog(
    max_emu: MaxEmulator, api: MaxApi, anna: MaxUser
) -> None:
    max_emu.push_bot_started(anna, None)
    keyboard = max_api.inline_keyboard([[max_api.callback_button("Go", "go")]])
    await api.send(user_id=anna.user_id, text="press", attachments=[keyboard])
    presses = [max_emu.push_callback(anna, anna.last_message, "go") for _ in range(4)]
    assert anna.chat_id is not None
    await asyncio.gather(
        *(
            api.answer_callback(p, chat_id=anna.chat_id, notification=f"n{i}")
            for i, p in enumerate(presses)
        )
    )
    assert sorted(anna.notifications) == ["n0", "n1", "n2", "n3"]
    with pytest.raises(ValueError, match="message, a notification"):
        await api.answer_callback(presses[0], chat_id=anna.chat_id)


async def test_the_token_stays_out_of_reprs_and_urls(max_emu: MaxEmulator, api: MaxApi) -> None:
    await api.get_me()
    assert MAX_TOKEN not in repr(api)
    assert all(MAX_TOKEN not in str(query) for _, query, _ in max_emu.calls)


async def test_one_pace_per_dialog_however_it_is_addressed(
    max_emu: MaxEmulator, api: MaxApi, anna: MaxUser
) -> None:
    max_emu.push_bot_started(anna, None)
    first = await api.send(user_id=anna.user_id, text="by user")
    await api.send(chat_id=first.chat_id, text="by chat")
    await api.send(user_id=anna.user_id, text="by user again")
    assert [m.text for m in anna.messages] == ["by user", "by chat", "by user again"]


async def test_upload_retries_with_a_fresh_url(
    max_emu: MaxEmulator, api: MaxApi, anna: MaxUser
) -> None:
    max_emu.push_bot_started(anna, None)
    max_emu.fail_next("upload", status=503)
    max_emu.fail_next("upload", after=True)  # stored, URL used up, token lost
    attachment = await api.upload("file", b"data", "list.csv")
    await api.send(user_id=anna.user_id, attachments=[attachment])
    assert max_emu.media_bytes(anna.last_message.files[0]) == b"data"
    assert [name for name, _, _ in max_emu.calls].count("POST /uploads") == 3
    with pytest.raises(ValueError, match="image or file"):
        await api.upload("video", b"", "clip.mp4")


async def test_a_lost_callback_answer_is_not_repeated(
    max_emu: MaxEmulator, api: MaxApi, anna: MaxUser
) -> None:
    max_emu.push_bot_started(anna, None)
    keyboard = max_api.inline_keyboard([[max_api.callback_button("Go", "go")]])
    await api.send(user_id=anna.user_id, text="press", attachments=[keyboard])
    press = max_emu.push_callback(anna, anna.last_message, "go")
    max_emu.fail_next("POST /answers", after=True)
    assert anna.chat_id is not None
    with pytest.raises(MaxOutcomeUnknown):
        await api.answer_callback(press, chat_id=anna.chat_id, notification="once")
    assert anna.notifications == ["once"]


async def test_nobody_listening_is_unavailable_after_retries() -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    async with MaxApi(MAX_TOKEN, f"http://127.0.0.1:{port}", retry_delays=QUICK_RETRIES) as dead:
        with pytest.raises(MaxUnavailable, match="ClientConnectorError"):
            await dead.get_me()


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True)


@pytest.fixture
def tls(tmp_path: Path) -> tuple[ssl.SSLContext, Path]:
    """A root CA of our own (as MAX's is to common trust stores) and a server cert it signed."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test CA")
    ca_key, ca, key, csr, cert = (
        tmp_path / n for n in ("ca.key", "ca.pem", "srv.key", "srv.csr", "srv.pem")
    )
    ext = tmp_path / "ext.cnf"
    ext.write_text("subjectAltName=IP:127.0.0.1\n")
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        str(ca_key),
        "-out",
        str(ca),
        "-days",
        "2",
        "-subj",
        "/CN=Test Root CA",
    )
    _openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        str(key),
        "-out",
        str(csr),
        "-subj",
        "/CN=127.0.0.1",
    )
    _openssl(
        "x509",
        "-req",
        "-in",
        str(csr),
        "-CA",
        str(ca),
        "-CAkey",
        str(ca_key),
        "-CAcreateserial",
        "-out",
        str(cert),
        "-days",
        "2",
        "-extfile",
        str(ext),
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    return context, ca


async def test_an_untrusted_root_fails_fast_and_ca_file_fixes_it(
    tls: tuple[ssl.SSLContext, Path],
) -> None:
    context, ca = tls
    async with MaxEmulator(token=MAX_TOKEN, ssl_context=context) as secure:
        assert secure.api_url.startswith("https://")
        async with MaxApi(MAX_TOKEN, secure.api_url, retry_delays=QUICK_RETRIES) as plain:
            with pytest.raises(MaxTlsError, match="root certificate"):
                await plain.get_me()
        async with MaxApi(MAX_TOKEN, secure.api_url, ca_file=ca) as trusting:
            assert (await trusting.get_me()).username == secure.bot_username
        assert secure.violations == []


async def test_a_picture_with_a_caption_reaches_the_bot(echo: EchoBot, anna: MaxUser) -> None:
    await anna.start()
    await anna.send_image(b"JPEGDATA", "my badge")
    assert anna.last_message.text == "echo: my badge"
    (image,) = echo.handled[-1]["message"]["body"]["attachments"]
    assert image["type"] == "image"


async def test_update_keys_survive_a_redelivery(
    max_emu: MaxEmulator, api: MaxApi, anna: MaxUser
) -> None:
    """MAX retries a webhook POST whose answer it did not get: the inbox sees the same key."""
    received: list[dict[str, Any]] = []

    async def on_update(request: web.Request) -> web.Response:
        received.append(await request.json())
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/max", on_update)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        await api.subscribe(f"http://127.0.0.1:{runner.addresses[0][1]}/max")
        max_emu.lose_webhook_answers(1)
        started = max_emu.push_bot_started(anna, "inv")
        said = anna.push_message("hi")
        await max_emu.delivered(said).wait()
    finally:
        await runner.cleanup()
    assert [a.outcome for a in max_emu.webhook_attempts] == ["lost 200", "200", "200"]
    keys = [max_api.update_key(u) for u in received]
    assert keys[0] == keys[1] != keys[2]
    assert keys[0] == max_api.update_key(max_emu.update_for(started))
    assert keys[2] == f"max:m:{max_emu.update_for(said)['message']['body']['mid']}"
    assert [max_api.update_user(u) for u in received] == [anna.user_id] * 3


async def test_callback_keys_and_users(max_emu: MaxEmulator, api: MaxApi, anna: MaxUser) -> None:
    max_emu.push_bot_started(anna, None)
    await api.send(user_id=anna.user_id, text="q")
    press = max_emu.push_callback(anna, anna.last_message, "p")
    update = max_emu.update_for(press)
    assert max_api.update_key(update) == f"max:c:{press}"
    assert max_api.update_user(update) == anna.user_id
    assert max_api.update_user({"update_type": "bot_added", "timestamp": 1}) is None
