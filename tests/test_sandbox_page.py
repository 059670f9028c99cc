"""The web chat's requests, as the page sends them: bad input refused as VK would refuse it,
with a clear message and nothing passed to the bot; the demo seeded; documents downloadable;
a call VK would refuse shown in the page and logged; the English client answered in English."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from loguru import logger

from bot.sandbox.run import Sandbox
from tests.sandbox_helpers import ADMIN, TEACHER, VERIFIED, running_sandbox


class Page:
    """What the page's script does, request by request."""

    def __init__(self, sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
        self.sandbox = sandbox
        self.http = http
        assert sandbox.emu is not None
        self.emu = sandbox.emu

    async def post(self, path: str, body: Any) -> tuple[int, dict[str, Any]]:
        data = body if isinstance(body, str) else json.dumps(body)
        async with self.http.post(self.sandbox.url + path, data=data) as response:
            return response.status, await response.json()

    async def dialog(self, user: int) -> list[dict[str, Any]]:
        async with self.http.get(f"{self.sandbox.url}/api/dialog/{user}") as response:
            return list((await response.json())["messages"])

    async def bot_said(self, user: int, count: int) -> list[dict[str, Any]]:
        """The person's dialog once the bot has said `count` messages to them."""
        await self.emu.until(lambda: len(self.emu.sent_to(user)) >= count)
        return await self.dialog(user)

    async def press(self, user: int, label: str) -> None:
        for message in reversed(await self.dialog(user)):
            for row in (message["keyboard"] or {}).get("buttons", []):
                for button in row:
                    action = button["action"]
                    if action.get("label") == label:
                        status, body = await self.post(
                            "/api/press",
                            {
                                "user": user,
                                "cmid": message["cmid"],
                                "type": action["type"],
                                "label": label,
                                "payload": action["payload"],
                            },
                        )
                        assert status == 200, body
                        return
        raise AssertionError(f"no button {label!r}")


@pytest.fixture
async def page(tmp_path: Path) -> AsyncIterator[Page]:
    async with running_sandbox(tmp_path / "data") as sandbox, aiohttp.ClientSession() as http:
        yield Page(sandbox, http)


async def test_demo_people_and_organizations_are_seeded(page: Page) -> None:
    async with page.http.get(page.sandbox.url + "/api/config") as response:
        config = await response.json()
    people = {p["id"]: (p["name"], p["part"]) for p in config["people"]}
    assert people[1] == ("Ирина Соколова", "суперадминистратор")
    assert people[ADMIN] == ("Наталья Кузнецова", "администратор, Школа № 12")
    assert people[VERIFIED] == ("Елена Васильева", "подтверждённый учитель, Школа № 12")
    assert config["community"]["name"] == "Подтверждение сотрудников"
    assert config["labels"]["sandbox-notice"].startswith("Это песочница, а не ВКонтакте")
    assert page.sandbox.app is not None
    deps = page.sandbox.app.deps
    orgs = await deps.db.fetchall("SELECT type, inn, city FROM organizations ORDER BY id")
    assert [tuple(r) for r in orgs] == [
        ("school", "6671012340", "Екатеринбург"),
        ("preschool", "5406012341", "Новосибирск"),
        ("college", "1655012344", "Казань"),
    ]
    classes = [c.name for c in await deps.classes.of_org(1)]
    assert sorted(classes) == sorted(["1А", "1Б", "5А", "7В", "9Б", "11А"])
    assert deps.is_superadmin(1)
    [member] = await deps.members.of_user(VERIFIED)
    assert member.full_name == "Васильева Елена Дмитриевна"


@pytest.mark.parametrize(
    ("path", "body", "status", "says"),
    [
        ("/api/say", {"user": 999, "text": "Начать"}, 404, "Такого человека в песочнице нет"),
        ("/api/say", {"user": "3", "text": "Начать"}, 404, "Такого человека в песочнице нет"),
        ("/api/say", {"user": TEACHER, "text": " \n "}, 400, "Нельзя отправить пустое"),
        ("/api/say", {"user": TEACHER, "text": "я" * 10_000}, 400, "слишком длинное"),
        ("/api/say", "{not json", 400, "не поняла запрос"),
        ("/api/say", [1, 2], 400, "не поняла запрос"),
        ("/api/people", {"first_name": "", "last_name": "Петров"}, 400, "Укажите имя"),
        ("/api/people", {"first_name": "12", "last_name": "34"}, 400, "Укажите имя"),
        ("/api/client", {"user": TEACHER, "client": "telegram"}, 400, "Неизвестный тип"),
        (
            "/api/open-link",
            {"user": TEACHER, "url": "https://vk.me/club77?ref=ABC"},
            400,
            "не ссылка на сообщество песочницы",
        ),
        (
            "/api/press",
            {"user": TEACHER, "cmid": 40, "type": "callback", "payload": "{}", "label": "x"},
            400,
            "больше нет в диалоге",
        ),
    ],
)
async def test_bad_input_gets_a_clear_error_and_never_reaches_the_bot(
    page: Page, path: str, body: Any, status: int, says: str
) -> None:
    got, answer = await page.post(path, body)
    assert got == status
    assert says in answer["error"]
    assert page.emu.updates == []
    # The bot is still there and answers the next good message.
    got, _ = await page.post("/api/say", {"user": TEACHER, "text": "Начать"})
    assert got == 200
    [_, reply] = await page.bot_said(TEACHER, 1)
    assert reply["text"].startswith("Здравствуйте")


async def test_broken_payloads_and_buttons_the_client_cannot_show_are_refused(page: Page) -> None:
    await page.post("/api/say", {"user": TEACHER, "text": "Начать"})
    [_, menu] = await page.bot_said(TEACHER, 1)
    button = menu["keyboard"]["buttons"][0][0]["action"]
    press = {"user": TEACHER, "cmid": menu["cmid"], "type": "callback", "label": "x"}
    for payload in ("{broken", "[" + "1," * 200 + "1]", 5):
        got, answer = await page.post("/api/press", press | {"payload": payload})
        assert got == 400
        assert "Кнопка повреждена" in answer["error"]
    got, answer = await page.post("/api/press", press | {"type": "location", "payload": "{}"})
    assert "ничего не отправляет боту" in answer["error"]
    await page.post("/api/client", {"user": TEACHER, "client": "old"})
    got, answer = await page.post("/api/press", press | {"payload": button["payload"]})
    assert got == 400
    assert "нет callback-кнопок" in answer["error"]
    assert [u["type"] for u in page.emu.updates] == ["message_new"]


async def test_english_client_is_answered_in_english(page: Page) -> None:
    await page.post("/api/client", {"user": TEACHER, "client": "en"})
    # The empty dialog's start button, as the English app sends it.
    got, _ = await page.post("/api/say", {"user": TEACHER, "start": True})
    assert got == 200
    [mine, reply] = await page.bot_said(TEACHER, 1)
    assert mine["text"] == "Start"
    assert reply["text"].startswith("Hello!")
    assert reply["keyboard"]["buttons"][0][0]["action"]["type"] == "callback"


async def test_staff_csv_export_is_a_downloadable_document(page: Page) -> None:
    await page.post("/api/say", {"user": ADMIN, "text": "Начать"})
    await page.bot_said(ADMIN, 1)
    await page.press(ADMIN, "Управление")
    await page.emu.until(lambda: "Выгрузка" in page.emu.sent_to(ADMIN)[-1].button_labels)
    await page.press(ADMIN, "Выгрузка")
    await page.emu.until(lambda: "Что выгрузить?" in page.emu.sent_to(ADMIN)[-1].text)
    await page.press(ADMIN, "Сотрудники")
    await page.emu.until(lambda: bool(page.emu.sent_to(ADMIN)[-1].attachments))
    [doc] = (await page.dialog(ADMIN))[-1]["attachments"]
    assert doc["type"] == "doc"
    assert doc["title"].endswith(".csv")
    async with page.http.get(page.sandbox.url + doc["url"]) as response:
        assert response.headers["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
        text = (await response.read()).decode("utf-8-sig")
    assert "Васильева Елена Дмитриевна" in text


@pytest.mark.expect_errors("VK would refuse messages.send: keyboard 7 rows")
async def test_a_call_vk_would_refuse_is_shown_in_the_page_and_logged(page: Page) -> None:
    logged: list[str] = []
    sink = logger.add(lambda m: logged.append(str(m)), level="ERROR")
    try:
        async with page.http.ws_connect(page.sandbox.url + "/ws") as ws:
            first = json.loads((await ws.receive()).data)
            while first["type"] != "violations":
                first = json.loads((await ws.receive()).data)
            assert first["violations"] == []
            # A bot that builds a keyboard over VK's limit, as a buggy screen would.
            rows = [[{"action": {"type": "text", "label": str(i)}}] for i in range(7)]
            keyboard = json.dumps({"inline": True, "buttons": rows})
            params = {
                "access_token": page.emu.token,
                "v": "5.199",
                "peer_id": str(TEACHER),
                "random_id": "0",
                "message": "x",
                "keyboard": keyboard,
            }
            async with page.http.post(page.emu.api_url + "messages.send", data=params) as r:
                assert (await r.json())["error"]["error_code"] == 911
            shown = json.loads((await ws.receive()).data)
            while shown["type"] != "violations":
                shown = json.loads((await ws.receive()).data)
    finally:
        logger.remove(sink)
    [violation] = shown["violations"]
    assert violation["method"] == "messages.send"
    assert "7 rows, a inline keyboard allows 6" in violation["problem"]
    assert any("VK would refuse messages.send" in line for line in logged)
    # Shown and logged as it should be; the sandbox's own check below is for the bot's calls.
    page.emu.violations.clear()
