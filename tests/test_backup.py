"""Backups: taken while the bot runs and checked; restore refused beside a running bot; daily
backups with a count kept."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from pathlib import Path

from bot.clock import ManualClock
from bot.sandbox.vk import Emulator
from tests.harness import RunningBot, make_settings
from tests.orgs_helpers import Run, cli, make_inn
from tests.proc_helpers import Bot, bot_env


def add_org(db: Path, cwd: Path, name: str, n: int) -> Run:
    return cli(
        db, cwd, "org", "add", "--name", name, "--type", "school", "--inn", make_inn(n),
        "--region", "Москва", "--city", "Москва", lang="ru_RU.UTF-8",
    )  # fmt: skip


async def test_backup_while_the_bot_runs(bot: RunningBot, emu: Emulator, tmp_path: Path) -> None:
    staff = emu.user(1001, "Анна", "Иванова")
    await staff.say("Начать")
    db = bot.settings.database_path
    target = tmp_path / "copy.sqlite3"
    done = await asyncio.to_thread(cli, db, tmp_path, "backup", str(target), lang="ru_RU.UTF-8")
    assert done.code == 0, done.err
    assert done.out.startswith(f"Копия записана: {target}, ")
    assert done.out.strip().endswith("КБ, проверка целостности пройдена.")
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT vk_id FROM users").fetchall() == [(1001,)]
    # The bot goes on serving beside the backup.
    await staff.tap("Помощь")
    assert "Как подтвердить профиль" in staff.last_message.text


async def test_restore_refused_while_a_bot_runs(tmp_path: Path, emu: Emulator) -> None:
    data = tmp_path / "data"
    db = data / "bot.sqlite3"
    assert (await asyncio.to_thread(add_org, db, tmp_path, "Школа № 1", 1)).code == 0
    copy = tmp_path / "copy.sqlite3"
    assert (await asyncio.to_thread(cli, db, tmp_path, "backup", str(copy))).code == 0
    assert (await asyncio.to_thread(add_org, db, tmp_path, "Школа № 2", 2)).code == 0

    running = await Bot.start(tmp_path, bot_env(emu, data))
    try:
        await running.line_with("Bot started")
        refused = await asyncio.to_thread(cli, db, tmp_path, "restore", str(copy), lang="ru_RU")
        assert refused.code == 2
        assert refused.err_lines == [
            f"ошибка: с базой работает бот (процесс {running.proc.pid}, запущен "
            + refused.err.split("запущен ", 1)[1].split(")")[0]
            + "); остановите его и повторите restore"
        ]
        # The rest of the command line keeps working beside the bot.
        listed = await asyncio.to_thread(cli, db, tmp_path, "org", "list")
        assert "Школа № 2" in listed.out
    finally:
        running.proc.send_signal(signal.SIGTERM)
        await running.finish()
    restored = await asyncio.to_thread(cli, db, tmp_path, "restore", str(copy), lang="ru_RU")
    assert restored.code == 0, restored.err
    assert restored.out.startswith(f"База {db} восстановлена из {copy}")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT name FROM organizations").fetchall() == [("Школа № 1",)]


async def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    db = tmp_path / "data" / "bot.sqlite3"
    result = await asyncio.to_thread(cli, db, tmp_path, "restore", str(junk), lang="ru_RU")
    assert result.code == 2
    assert len(result.err_lines) == 1
    assert result.err.startswith(f"ошибка: {junk} — не исправная база бота: ")


async def test_daily_backups_keep_a_count(tmp_path: Path, emu: Emulator) -> None:
    folder = tmp_path / "backups"
    settings = make_settings(
        tmp_path / "bot.sqlite3", emu.api_url, backup_dir=str(folder), backup_keep=2
    )
    clock = ManualClock()
    running = await RunningBot(settings, emu, clock).start()
    try:
        assert running.app is not None
        for _ in range(3):
            clock.advance(24 * 3600)
            assert "backup" in await running.app.scheduler.run_due()
    finally:
        await running.stop()
    kept = sorted(folder.iterdir())
    assert len(kept) == 2
    for path in kept:
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
