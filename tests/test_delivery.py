"""Exactly-once delivery through VK's faults: the outbox, random_id, poisoned updates, calls."""

from __future__ import annotations

import asyncio
import functools
import itertools
import random
from collections import Counter
from collections.abc import Iterator
from typing import Any

from loguru import logger
from vkbottle import GroupEventType
from vkbottle.bot import MessageEvent
from vkbottle.dispatch.rules.base import TextRule

from bot.sandbox.vk import Emulator
from bot.sandbox.vk.client import UserClient
from handlers.common import Ctx, guarded
from tests.apply_helpers import SCHOOL_BUTTON, seed_school
from tests.harness import RunningBot
from tests.review_helpers import prompt

APOLOGY = "Что-то пошло не так, мы уже разбираемся. Попробуйте ещё раз чуть позже."
ADMIN = 500


def add_first_handler(bot: RunningBot, text: str | None, fn: object) -> None:
    """A failing handler of the test's own ahead of every handler of the bot: for messages
    with `text`, or (None) for every callback press."""
    assert bot.app is not None
    labeler = bot.app.bot.labeler
    handler = guarded(bot.deps, fn)  # type: ignore[arg-type]
    if text is not None:
        labeler.message(TextRule(text))(handler)
        handlers = labeler.message_view.handlers
    else:
        labeler.raw_event(GroupEventType.MESSAGE_EVENT, MessageEvent)(handler)
        handlers = labeler.raw_event_view.handlers[GroupEventType.MESSAGE_EVENT.value]
    handlers.insert(0, handlers.pop())


async def test_poisoned_update_ends_failed_after_n_attempts_with_one_apology(
    bot: RunningBot, emu: Emulator
) -> None:
    runs: list[int] = []

    async def explode(ctx: Ctx) -> None:
        runs.append(ctx.vk_id)
        # What it wrote before failing must vanish with the failure.
        await ctx.reply("half-way")
        raise ZeroDivisionError("poison")

    add_first_handler(bot, "boom", explode)
    records: list[str] = []
    sink = logger.add(lambda m: records.append(str(m)), level="ERROR")
    staff = emu.user(1001, "Анна", "Иванова")
    try:
        event_id = await staff.say("boom")
    finally:
        logger.remove(sink)
    attempts = bot.settings.update_max_attempts
    assert len(runs) == attempts
    assert [m.text for m in staff.messages] == [APOLOGY]
    row = await bot.deps.db.fetchone(
        "SELECT attempts, failed_at, done_at FROM processed_events WHERE event_id = ?",
        (event_id,),
    )
    assert row is not None
    assert row["attempts"] == attempts
    assert row["failed_at"] is not None
    assert row["done_at"] is not None
    assert any("Traceback" in r and "ZeroDivisionError: poison" in r for r in records)
    # A restart does not run it again, and the person is served as usual afterwards.
    await bot.restart()
    await staff.say("Начать")
    assert len(runs) == attempts
    assert staff.last_message.text.startswith("Здравствуйте!")
    assert [m.text for m in staff.messages].count(APOLOGY) == 1


async def test_failed_handler_answers_the_press_once(bot: RunningBot, emu: Emulator) -> None:
    """A press whose handling keeps failing still gets its event answered, once."""
    staff = emu.user(1001, "Анна", "Иванова")
    await staff.say("Начать")

    async def explode(_: Ctx) -> None:
        raise RuntimeError("poison")

    add_first_handler(bot, None, explode)
    event_id = await staff.tap("Подтвердить профиль")
    assert len(emu.answers_for(event_id)) == 1
    assert staff.last_message.text == APOLOGY


def count_flow_calls(emu: Emulator) -> Counter[str]:
    return Counter(method for method, _ in emu.calls)


async def apply_and_approve(
    emu: Emulator, staff: UserClient, admin: UserClient, *, classes: bool
) -> int:
    """One teacher's application, from "Начать" to the decision they are told of."""
    await staff.say("Начать")
    await staff.tap("Подтвердить профиль")
    await staff.say("школа 5")
    await staff.tap(SCHOOL_BUTTON)
    await staff.tap("Учитель")
    await staff.say("иванова анна сергеевна")
    await staff.say("учитель математики")
    if classes:
        await staff.tap("5А")
        await staff.tap("Готово")
    await staff.tap("Отправить заявку")
    filed = next(m for m in staff.messages if "отправлена" in m.text)
    app_id = int(filed.text.split("№ ", 1)[1].split()[0])
    await admin.tap("Принять", message=prompt(admin, app_id))
    await emu.until(lambda: f"заявка № {app_id} принята" in staff.last_message.text)
    return app_id


async def test_calls_per_application_and_approval(bot: RunningBot, emu: Emulator) -> None:
    """The VK requests one application and its approval cost, from "Начать" to the notice."""
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    staff = emu.user(1001, "Анна", "Иванова")
    await seed_school(bot, classes=())
    emu.reset_calls()
    await apply_and_approve(emu, staff, admin, classes=False)
    calls = count_flow_calls(emu)
    # Each person's name is asked once, each press is answered once, each answer is one call.
    assert calls == {
        "users.get": 2,
        "messages.send": 6,
        "messages.sendMessageEventAnswer": 5,
        "messages.edit": 5,
    }, calls
    assert sum(calls.values()) == 18


async def test_faults_deliver_every_message_exactly_once(bot: RunningBot, emu: Emulator) -> None:
    """30 concurrent application-and-approval flows while 10% of calls fail: errors 6, 9, 10,
    HTTP 500 and a dropped connection after VK did the work. All complete, none twice."""
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await seed_school(bot)
    staff = [emu.user(2000 + i, "Анна", f"Иванова{i}") for i in range(30)]
    rng = random.Random(10)
    kinds: list[dict[str, Any]] = [
        {"drop_after": True},
        {"code": 6},
        {"code": 9},
        {"http_status": 500},
        {"code": 10},
    ]
    faults: dict[str, Iterator[dict[str, Any]]] = {}
    injected: Counter[str] = Counter()

    async def inject() -> None:
        # About a tenth of each method's calls fail, the kinds of fault in turn, until the end.
        seen = 0
        while not done.is_set():
            seen = len(emu.calls)
            await emu.until(functools.partial(_grew, emu, seen, done), within=120)
            method = emu.calls[-1][0]
            if method != "groups.getLongPollServer" and rng.random() < 0.1:
                fault = next(faults.setdefault(method, itertools.cycle(kinds)))
                emu.fail_next(method, **fault)
                injected[f"{method} {fault}"] += 1

    done = asyncio.Event()
    injector = asyncio.create_task(inject())
    try:
        ids = await asyncio.gather(*(apply_and_approve(emu, s, admin, classes=True) for s in staff))
    finally:
        done.set()
        emu._changed()
        await injector
    assert sum(injected.values()) >= 30
    assert injected["messages.send {'drop_after': True}"] >= 2, injected
    assert len(set(ids)) == 30
    for person in staff:
        texts = [m.text for m in person.messages]
        assert len(texts) == len(set(texts)), texts
        assert sum("отправлена" in t for t in texts) == 1
    prompts = Counter(m.text.split(" ·", 1)[0] for m in admin.messages)
    assert all(n == 1 for n in prompts.values()), prompts
    assert len(prompts) == 30


def _grew(emu: Emulator, seen: int, done: asyncio.Event) -> bool:
    return len(emu.calls) > seen or done.is_set()
