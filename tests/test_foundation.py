"""Start-up, settings, migrations, resilience against VK's failures, the real process."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import sys
from pathlib import Path
from typing import TypedDict

import pytest
from loguru import logger

from bot.app import create_app
from bot.clock import ManualClock
from bot.config import Settings
from bot.sandbox.vk import Emulator
from storage.db import MIGRATIONS_DIR, Database
from tests.harness import GROUP_ID, TOKEN, RunningBot, make_settings

ROOT = Path(__file__).resolve().parent.parent


class Failure(TypedDict, total=False):
    """One of the ways Emulator.fail_next makes a call fail."""

    code: int
    http_status: int
    drop: bool


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VK_", "DATABASE_", "LOG_"))}
    env.update(values)
    env["PYTHONPATH"] = str(ROOT)
    return env


async def _run_bot(cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"VK_GROUP_ID": "1"}, ["VK_TOKEN не задана: укажите ключ доступа сообщества"]),
        ({"VK_TOKEN": "t"}, ["VK_GROUP_ID не задана"]),
        ({"VK_TOKEN": "t", "VK_GROUP_ID": "club1"}, ["VK_GROUP_ID задана неверно"]),
        ({"VK_TOKEN": "", "VK_GROUP_ID": ""}, ["VK_TOKEN пуста", "VK_GROUP_ID пуста"]),
        (
            {"VK_TOKEN": "t", "VK_GROUP_ID": "1", "VK_API_URL": "ftp://x", "LOG_FORMAT": "xml"},
            ["VK_API_URL задана неверно", "LOG_FORMAT задана неверно: укажите text или json"],
        ),
        ({"VK_TOKEN": "t", "VK_GROUP_ID": "1", "SUPERADMIN_IDS": "1,x"}, ["SUPERADMIN_IDS"]),
    ],
    ids=["no-token", "no-group", "club", "empty-values", "two-bad", "superadmins"],
)
async def test_bad_settings_all_listed_one_line_each(
    tmp_path: Path, values: dict[str, str], expected: list[str]
) -> None:
    code, out, err = await _run_bot(tmp_path, _env(tmp_path, LANG="ru_RU.UTF-8", **values))
    lines = err.strip().splitlines()
    assert code == 2
    # The .env looked for is named, so a bot started from the wrong folder is obvious.
    assert lines[0] == (
        f"Настройки не приняты (файла {tmp_path / '.env'} нет, настройки взяты только из"
        " окружения). Исправьте:"
    )
    assert len(lines) == 1 + len(expected), lines
    for line, start in zip(lines[1:], expected, strict=True):
        assert line.startswith(start), lines
    assert "Traceback" not in err
    assert "Value should" not in err
    assert out == ""
    # Nothing created on a failed start (the default DATABASE_PATH's folder included).
    assert os.listdir(tmp_path) == []


async def test_settings_name_the_env_file_read_and_speak_english(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("VK_TOKEN=t\nVK_GROUP_ID=0\n", encoding="utf-8")
    code, _, err = await _run_bot(tmp_path, _env(tmp_path, LANG="en_US.UTF-8"))
    assert code == 2
    assert err.splitlines() == [
        f"Settings not accepted (read the file {tmp_path / '.env'}). Fix:",
        "VK_GROUP_ID is invalid: put the numeric id of the community, a positive integer,"
        ' without "club".',
    ]


async def test_migrations_from_empty_and_again(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "m.sqlite3")
    latest = max(int(p.name.split("_")[0]) for p in MIGRATIONS_DIR.glob("*.sql"))
    assert await db.migrate() == list(range(1, latest + 1))
    assert await db.user_version() == latest
    tables = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "users",
        "organizations",
        "classes",
        "org_admins",
        "memberships",
        "applications",
        "application_events",
        "invitations",
        "conversation_states",
        "processed_events",
        "audit_log",
        "scheduled_jobs",
    } <= tables
    assert await db.migrate() == []
    assert await db.fetchval("PRAGMA journal_mode") == "wal"
    assert await db.fetchval("PRAGMA foreign_keys") == 1
    await db.close()


async def test_broken_migration_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "001_ok.sql").write_text("CREATE TABLE a (x INTEGER);")
    (folder / "002_broken.sql").write_text("CREATE TABLE b (x INTEGER);\nSELECT * FROM nowhere;")
    db = await Database.open(tmp_path / "b.sqlite3")
    with pytest.raises(sqlite3.OperationalError):
        await db.migrate(folder)
    assert await db.user_version() == 1
    tables = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "a" in tables
    assert "b" not in tables
    await db.close()


@pytest.mark.parametrize(
    "failure",
    [{"code": 6}, {"code": 9}, {"code": 10}, {"http_status": 502}, {"drop": True}],
    ids=["too-many-requests", "flood-control", "internal", "http-502", "dropped"],
)
async def test_transient_vk_failures_are_retried(
    bot: RunningBot, emu: Emulator, failure: Failure
) -> None:
    assert bot.app is not None
    bot.app.api.retry_delays = (0.01, 0.01, 0.01, 0.01)
    staff = emu.user(1001, "Анна", "Иванова")
    emu.fail_next("messages.send", times=2, **failure)
    await staff.say("Начать")
    assert len(staff.messages) == 1
    assert staff.last_message.text.startswith("Здравствуйте!")


async def test_english_client_gets_english(bot: RunningBot, emu: Emulator) -> None:
    staff = emu.user(1002, "Ann", "Smith", lang_id=3)
    await staff.say("start")
    assert staff.last_message.text.startswith("Hello!")
    assert "Confirm my profile" in staff.last_message.button_labels


async def test_client_without_callbacks_gets_text_buttons(bot: RunningBot, emu: Emulator) -> None:
    staff = emu.user(1003, "Анна", "Иванова", callbacks=False, inline=False)
    await staff.say("Начать")
    menu = staff.last_message
    assert not menu.inline
    assert all(b.type == "text" for b in menu.buttons)
    await staff.tap("Помощь")
    assert "Как подтвердить профиль" in staff.last_message.text


@pytest.mark.expect_errors("VK API unreachable at start")
async def test_unreachable_api_at_start_is_retried(
    settings: Settings, emu: Emulator, clock: ManualClock
) -> None:
    emu.fail_next("groups.getLongPollServer", http_status=503, times=7)
    records: list[str] = []
    sink = logger.add(lambda m: records.append(str(m)), level="ERROR")
    app = await create_app(settings, clock=clock, poll_wait=5)
    app.api.retry_delays = (0.01, 0.01)
    app.runner.start_delays = (0.01,)
    task = asyncio.create_task(app.run())
    await app.runner.connected.wait()
    logger.remove(sink)
    app.stop()
    await task
    await app.close()
    assert any("unreachable at start" in r for r in records)


async def test_bot_stays_within_vk_rate_limit(tmp_path: Path, clock: ManualClock) -> None:
    async with Emulator(token=TOKEN, group_id=GROUP_ID, enforce_rps=20) as emu:
        settings = make_settings(tmp_path / "rl.sqlite3", emu.api_url, vk_rps=20)
        running = await RunningBot(settings, emu, clock).start()
        users = [emu.user(2000 + i, "Анна", f"Иванова{i}") for i in range(30)]
        await asyncio.gather(*(u.say("Начать") for u in users))
        await running.stop()
        assert emu.max_rps_seen <= 20
        assert all(len(u.messages) == 1 for u in users)
        assert emu.violations == []


async def test_python_m_bot_answers_and_stops_on_sigterm(tmp_path: Path, emu: Emulator) -> None:
    env = _env(
        tmp_path,
        VK_TOKEN=TOKEN,
        VK_GROUP_ID=str(GROUP_ID),
        VK_API_URL=emu.api_url,
        DATABASE_PATH=str(tmp_path / "data" / "bot.sqlite3"),
        LOG_LEVEL="DEBUG",
        LOG_FORMAT="json",
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await emu.wait_for_poller()
        staff = emu.user(1001, "Анна", "Иванова")
        await staff.say("Начать")  # the emulator's own settle: waits for the bot's reply
        assert staff.last_message.text.startswith("Здравствуйте!")
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await proc.communicate()
    log = err.decode()
    assert proc.returncode == 0, log
    assert TOKEN not in log
    records = [json.loads(line) for line in log.splitlines()]
    messages = [r["message"] for r in records]
    assert any(m.startswith("Update message_new") and "from peer 1001" in m for m in messages)
    assert messages[-1] == "Bot stopped"
    # Nothing written outside the folder of DATABASE_PATH (vkbottle would write ./.vkbottle).
    assert sorted(os.listdir(tmp_path)) == ["data"]


async def test_daily_prune_forgets_old_updates_and_rate_counters(
    bot: RunningBot, emu: Emulator, clock: ManualClock
) -> None:
    from storage import rates

    assert bot.app is not None
    staff = emu.user(1001, "Анна", "Иванова")
    await staff.say("Начать")
    async with bot.deps.db.transaction() as tx:
        await rates.record(tx, "apply.submit", 1001, clock.now())
    clock.advance(8 * 24 * 3600)
    # Due once a day; eight days later it runs once, not eight times.
    assert "prune" in await bot.app.scheduler.run_due()
    assert "prune" not in await bot.app.scheduler.run_due()
    assert await bot.deps.db.fetchval("SELECT COUNT(*) FROM processed_events") == 0
    assert await bot.deps.db.fetchval("SELECT COUNT(*) FROM rate_events") == 0


def test_every_setting_is_documented() -> None:
    env_example = (ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"\n{name.upper()}=" in env_example, name
        assert f"| `{name.upper()}` |" in readme, name


async def test_upgrade_keeps_the_data_of_an_older_schema(tmp_path: Path) -> None:
    """A database made by the first release takes the later migrations with its rows intact."""
    first = tmp_path / "first"
    first.mkdir()
    (first / "001_init.sql").write_text((MIGRATIONS_DIR / "001_init.sql").read_text("utf-8"))
    db = await Database.open(tmp_path / "u.sqlite3")
    assert await db.migrate(first) == [1]
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO conversation_states (peer_id, state, payload, updated_at)"
            " VALUES (7, 'ApplyState:name', '{\"org_id\": 1}', 0)"
        )
    applied = await db.migrate()
    latest = max(int(p.name.split("_")[0]) for p in MIGRATIONS_DIR.glob("*.sql"))
    assert applied == list(range(2, latest + 1))
    row = await db.fetchone("SELECT state, payload FROM conversation_states WHERE peer_id = 7")
    assert row is not None
    assert (row["state"], row["payload"]) == ("ApplyState:name", '{"org_id": 1}')
    assert await db.fetchval("SELECT COUNT(*) FROM parked_states") == 0
    await db.close()
