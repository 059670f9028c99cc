"""The audit trail, readable: an organization's administrators page through it in the bot
(Moscow time, erased people as erased), and the deployer exports it as CSV."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.clock import ManualClock
from bot.sandbox.vk import Emulator
from tests.harness import RunningBot
from tests.org_helpers import ADMIN, TEACHER, open_menu, seed
from tests.orgs_helpers import cli

MSK = timezone(timedelta(hours=3))


def msk(ts: int) -> str:
    return datetime.fromtimestamp(ts, MSK).strftime("%d.%m.%Y %H:%M")


async def test_admins_read_the_trail_and_erased_people_stay_erased(
    bot: RunningBot, emu: Emulator, clock: ManualClock, tmp_path: Path
) -> None:
    deps = bot.deps
    world = await seed(deps)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    teacher = emu.user(TEACHER, "Анна", "Иванова")
    await teacher.say("Начать")
    removed_at = clock.now()
    await open_menu(admin, "Управление")
    await admin.tap("Сотрудники")
    await admin.tap("Иванова Анна Сергеевна")
    await admin.tap("Удалить из организации")
    await admin.tap("Не работает в организации")

    await open_menu(admin, "Управление")
    await admin.tap("Журнал")
    text = admin.last_message.text
    assert text.startswith("Журнал: ")
    assert "время московское" in text
    assert (
        f"{msk(removed_at)} — Смирнова Ольга Ивановна (vk.com/id{ADMIN}): сотрудник удалён из"
        f" организации — Иванова Анна Сергеевна (vk.com/id{TEACHER})"
        " (причина: Не работает в организации)"
    ) in text

    # The person erases their data: the trail keeps the entry, without their name.
    await teacher.say("Начать")
    await teacher.tap("Мой профиль")
    await teacher.tap("Мои данные")
    await teacher.tap("Удалить мои данные")
    await teacher.tap("Да, удалить")
    await admin.tap("Назад")
    await admin.tap("Журнал")
    text = admin.last_message.text
    assert "сотрудник удалён из организации — удалённый пользователь" in text
    assert "Иванова" not in text
    assert f"id{TEACHER}" not in text

    # The deployer's export: the staff export's CSV format, the same lines.
    out = tmp_path / "audit.csv"
    db = bot.settings.database_path
    done = await asyncio.to_thread(
        cli, db, tmp_path, "audit", "export", str(world.school), str(out), lang="ru_RU.UTF-8"
    )
    assert done.code == 0, done.err
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Когда (МСК)", "Кто", "Что", "О ком или о чём", "Причина"]
    assert [
        msk(removed_at),
        f"Смирнова Ольга Ивановна (vk.com/id{ADMIN})",
        "сотрудник удалён из организации",
        "удалённый пользователь",
        "Не работает в организации",
    ] in rows
    assert done.out.strip() == (
        f"{len(rows) - 1} записей журнала организации № {world.school} записано в {out}"
    )


async def test_the_trail_pages_and_rechecks_rights(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    world = await seed(deps)
    async with deps.db.transaction() as tx:
        for n in range(20):
            await deps.classes.create(tx, world.school, f"{n + 6}В", deps.clock.now(), ADMIN)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await open_menu(admin, "Управление")
    await admin.tap("Журнал")
    first = admin.last_message
    total = await deps.db.fetchval(
        "SELECT COUNT(*) FROM audit_log WHERE org_id = ?", (world.school,)
    )
    assert total == 28  # the seed's own entries and the twenty classes
    assert "Записей: 28. Страница 1 из 4" in first.text
    assert "создан класс — «25В»" in first.text
    assert "Дальше ▶" in first.button_labels
    await admin.tap("Дальше ▶")
    assert "Страница 2 из 4" in admin.last_message.text
    assert "создан класс — «25В»" not in admin.last_message.text
    # No longer an administrator: the old button shows nothing of the trail.
    async with deps.db.transaction() as tx:
        await deps.orgs.remove_admin(tx, world.school, ADMIN, deps.clock.now(), None, force=True)
    await admin.tap("Дальше ▶")
    assert "Страница 3 из 4" not in admin.last_message.text
    assert admin.snackbars[-1] == "Нет прав"
