"""Shared steps for the application tests: seed a school, walk to a step, read the draft."""

from __future__ import annotations

import json
from typing import Any

from bot.sandbox.vk import Emulator
from bot.sandbox.vk.client import UserClient
from tests.factories import make_org
from tests.harness import RunningBot

SCHOOL = "МБОУ «Средняя общеобразовательная школа № 5»"
SCHOOL_SHORT = "Школа № 5"
SCHOOL_BUTTON = "Школа № 5, Екатеринбург"
CLASSES = ("5А", "5Б", "6В")
STEPS = ("org", "role", "name", "position", "classes", "review")
ERROR_GENERIC = "Что-то пошло не так"


async def seed_school(bot: RunningBot, **overrides: Any) -> int:
    values: dict[str, Any] = {
        "short_name": SCHOOL_SHORT,
        "inn": "6658012345",
        "admins": (500,),
        "classes": CLASSES,
    }
    values.update(overrides)
    name = values.pop("name", SCHOOL)
    return await make_org(bot.deps, name, **values)


async def state_of(bot: RunningBot, vk_id: int) -> tuple[str | None, dict[str, Any] | None]:
    row = await bot.deps.db.fetchone(
        "SELECT state, payload FROM conversation_states WHERE peer_id = ?", (vk_id,)
    )
    if row is None:
        return None, None
    return str(row["state"]), json.loads(row["payload"])


async def draft_state(bot: RunningBot, vk_id: int) -> dict[str, Any] | None:
    """The application draft's answers, current or parked while another flow runs."""
    for table in ("conversation_states", "parked_states"):
        row = await bot.deps.db.fetchone(
            f"SELECT state, payload FROM {table} WHERE peer_id = ?", (vk_id,)
        )
        if row is not None and str(row["state"]).startswith("ApplyState:"):
            return dict(json.loads(row["payload"]))
    return None


async def step_of(bot: RunningBot, vk_id: int) -> str | None:
    state, _ = await state_of(bot, vk_id)
    return state.split(":", 1)[1] if state and state.startswith("ApplyState:") else None


async def draft_of(bot: RunningBot, vk_id: int) -> dict[str, Any]:
    _, payload = await state_of(bot, vk_id)
    assert payload is not None, "no draft"
    return payload


async def reach(
    staff: UserClient,
    bot: RunningBot,
    step: str,
    *,
    query: str = "школа 5",
    org_button: str = SCHOOL_BUTTON,
    role: str = "Учитель",
    name: str = "иванова анна сергеевна",
    position: str = "учитель математики",
) -> None:
    """From the main menu to `step` of a new application, answering as a teacher would."""
    await staff.say("Начать")
    await staff.tap("Подтвердить профиль")
    for current in STEPS:
        if current == step:
            break
        if current == "org":
            await staff.say(query)
            await staff.tap(org_button)
        elif current == "role":
            await staff.tap(role)
        elif current == "name":
            await staff.say(name)
        elif current == "position":
            await staff.say(position)
        elif current == "classes" and await step_of(bot, staff.user_id) == "classes":
            await staff.tap("5А")
            await staff.tap("Готово")
    assert await step_of(bot, staff.user_id) == step, staff.last_message.text


async def file_application(staff: UserClient, bot: RunningBot, **answers: Any) -> int:
    await reach(staff, bot, "review", **answers)
    await staff.tap("Отправить заявку")
    app_id = await bot.deps.db.fetchval(
        "SELECT MAX(id) FROM applications WHERE vk_id = ?", (staff.user_id,)
    )
    assert app_id is not None, staff.last_message.text
    return int(app_id)


def replies_to(emu: Emulator, vk_id: int) -> int:
    """How many times the bot has answered this person: messages, edits and event answers."""
    count = 0
    for method, params in emu.calls:
        if method == "messages.sendMessageEventAnswer":
            count += int(params.get("user_id", "0")) == vk_id
        elif method in ("messages.send", "messages.edit"):
            peers = params.get("peer_ids") or params.get("peer_id") or ""
            count += str(vk_id) in peers.split(",")
    return count
