"""The update pipeline: order per user, concurrency across users, de-duplication, resume."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.clock import ManualClock
from bot.sandbox.vk import Emulator
from bot.updates import UpdateRunner
from bot.vk_api import VKApi
from storage.db import Database
from storage.inbox import InboxRepo
from tests.harness import GROUP_ID, TOKEN, RunningBot


class Recorder:
    """A handler that notes when each update starts and ends, and can hold one open."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str]] = []
        self.hold: dict[str, asyncio.Event] = {}
        self.started: dict[str, asyncio.Event] = {}

    async def __call__(self, update: dict[str, Any]) -> None:
        text = update["object"]["message"]["text"]
        self.log.append(("start", text))
        self.started.setdefault(text, asyncio.Event()).set()
        if text in self.hold:
            await self.hold[text].wait()
        self.log.append(("end", text))


async def _runner(
    tmp_path: Path, emu: Emulator, handler: Recorder
) -> tuple[UpdateRunner, Database]:
    db = await Database.open(tmp_path / "r.sqlite3")
    await db.migrate()
    api = VKApi(TOKEN, emu.api_url, "5.199", 1000)
    runner = UpdateRunner(api, GROUP_ID, InboxRepo(db), handler, ManualClock(), wait=5)
    return runner, db


async def test_one_user_in_order_each_update_one_transaction(tmp_path: Path, emu: Emulator) -> None:
    """One person's updates run in order; every update is one write transaction, so another
    person's update starts once the one being handled has committed (what they say is then
    delivered concurrently, by the outbox's sender)."""
    rec = Recorder()
    rec.hold["a1"] = asyncio.Event()
    runner, db = await _runner(tmp_path, emu, rec)
    task = asyncio.create_task(runner.run())
    await runner.connected.wait()
    anna, boris = emu.user(1, "Анна", "А"), emu.user(2, "Борис", "Б")
    a1, a2, b1 = anna.push_message("a1"), anna.push_message("a2"), boris.push_message("b1")
    await rec.started.setdefault("a1", asyncio.Event()).wait()
    assert [text for kind, text in rec.log if kind == "start"] == ["a1"]
    rec.hold["a1"].set()
    for event_id in (a1, a2, b1):
        await runner.wait_done(event_id)
    anna_log = [entry for entry in rec.log if entry[1].startswith("a")]
    assert anna_log == [("start", "a1"), ("end", "a1"), ("start", "a2"), ("end", "a2")]
    assert rec.log.index(("start", "b1")) > rec.log.index(("end", "a1"))
    runner.stop()
    await task
    await db.close()


async def test_duplicate_delivery_is_handled_once(tmp_path: Path, emu: Emulator) -> None:
    rec = Recorder()
    runner, db = await _runner(tmp_path, emu, rec)
    task = asyncio.create_task(runner.run())
    await runner.connected.wait()
    anna = emu.user(1, "Анна", "А")
    event_id = anna.push_message("hello")
    update = next(u for u in emu._updates if u["event_id"] == event_id)
    emu.push_raw(dict(update))
    await runner.wait_done(event_id)
    later = anna.push_message("after")
    await runner.wait_done(later)
    assert [t for kind, t in rec.log if kind == "start"] == ["hello", "after"]
    assert await db.fetchval("SELECT COUNT(*) FROM processed_events") == 2
    runner.stop()
    await task
    await db.close()


async def test_two_quick_messages_answered_in_order(bot: RunningBot, emu: Emulator) -> None:
    staff = emu.user(1001, "Анна", "Иванова")
    first = staff.push_message("Начать")
    second = staff.push_message("что-то непонятное")
    await emu.settle(first)
    await emu.settle(second)
    texts = [m.text for m in staff.messages]
    assert texts[0].startswith("Здравствуйте!")
    assert texts[1].startswith("Не понял")


async def test_updates_sent_while_bot_was_down_are_answered(bot: RunningBot, emu: Emulator) -> None:
    staff = emu.user(1001, "Анна", "Иванова")
    await staff.say("Начать")
    await bot.stop()
    event_id = staff.push_message("Начать")
    await bot.start()
    await emu.settle(event_id)
    assert len(staff.messages) == 2
    assert staff.last_message.text.startswith("Здравствуйте!")


async def test_unfinished_update_is_replayed_after_restart(bot: RunningBot, emu: Emulator) -> None:
    """An update stored in the inbox but not handled (the process died) is handled on start."""
    staff = emu.user(1001, "Анна", "Иванова")
    await staff.say("Начать")
    await bot.stop()
    db = await Database.open(bot.settings.database_path)
    inbox = InboxRepo(db)
    event_id = staff.push_message("Начать")
    update = next(u for u in emu._updates if u["event_id"] == event_id)
    # As if the previous process had stored this poll and died before handling it.
    cursor = await inbox.cursor(GROUP_ID)
    assert cursor is not None
    from storage.inbox import InboxItem

    await inbox.accept(GROUP_ID, str(int(cursor) + 1), [InboxItem(event_id, 1001, update)], 0)
    await db.close()
    await bot.start()
    await emu.settle(event_id)
    assert len(staff.messages) == 2


async def test_stop_lets_updates_in_flight_finish(tmp_path: Path, emu: Emulator) -> None:
    rec = Recorder()
    rec.hold["slow"] = asyncio.Event()
    runner, db = await _runner(tmp_path, emu, rec)
    task = asyncio.create_task(runner.run())
    await runner.connected.wait()
    event_id = emu.user(1, "Анна", "А").push_message("slow")
    await rec.started.setdefault("slow", asyncio.Event()).wait()
    runner.stop()
    assert not task.done()
    rec.hold["slow"].set()
    await task
    assert rec.log[-1] == ("end", "slow")
    done_at = await db.fetchval(
        "SELECT done_at FROM processed_events WHERE event_id = ?", (event_id,)
    )
    assert done_at is not None
    await db.close()
