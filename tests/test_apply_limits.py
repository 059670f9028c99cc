"""Per-person limits: open applications at once, submissions an hour (small limits here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.config import Settings
from bot.sandbox.vk import Emulator
from storage.models import Role
from tests.apply_helpers import file_application, reach, seed_school, step_of
from tests.factories import make_org
from tests.harness import RunningBot, make_settings


@pytest.fixture
def settings(tmp_path: Path, emu: Emulator) -> Settings:
    return make_settings(
        tmp_path / "bot.sqlite3", emu.api_url, max_open_applications=2, submissions_per_hour=3
    )


async def test_at_most_max_open_applications(bot: RunningBot, emu: Emulator) -> None:
    org_ids = [await seed_school(bot, inn=None)]
    for n in (2, 3):
        org_ids.append(await make_org(bot.deps, f"МАОУ «Гимназия № {n}»"))
    now = bot.deps.clock.now()
    async with bot.deps.db.transaction() as tx:
        for org_id in org_ids[1:]:
            await bot.deps.applications.create(
                tx,
                org_id=org_id,
                vk_id=3001,
                role=Role.OTHER,
                full_name="Иванова Анна",
                position="",
                vk_name="",
                class_ids=(),
                invitation_id=None,
                now=now,
            )
    staff = emu.user(3001, "Анна", "Иванова")
    await staff.say("Начать")
    await staff.tap("Подтвердить профиль")
    assert "Заявок на рассмотрении: 2 — это максимум" in staff.last_message.text
    assert staff.last_message.button_labels == ["Мои заявки", "В меню"]
    assert await step_of(bot, 3001) is None
    assert await bot.deps.applications.open_count(3001) == 2


async def test_a_draft_started_before_the_limit_is_stopped_at_submission(
    bot: RunningBot, emu: Emulator
) -> None:
    await seed_school(bot)
    gymnasium = await make_org(bot.deps, "МАОУ «Гимназия № 2»")
    lyceum = await make_org(bot.deps, "МАОУ «Лицей № 3»")
    staff = emu.user(3002, "Анна", "Иванова")
    await reach(staff, bot, "review")
    now = bot.deps.clock.now()
    async with bot.deps.db.transaction() as tx:
        for org_id in (gymnasium, lyceum):
            await bot.deps.applications.create(
                tx,
                org_id=org_id,
                vk_id=3002,
                role=Role.OTHER,
                full_name="Иванова Анна",
                position="",
                vk_name="",
                class_ids=(),
                invitation_id=None,
                now=now,
            )
    await staff.tap("Отправить заявку")
    assert "это максимум" in staff.last_message.text
    assert "Проверьте заявку" in staff.last_message.text
    assert await step_of(bot, 3002) == "review"
    assert await bot.deps.applications.open_count(3002) == 2


async def test_submissions_per_hour(bot: RunningBot, emu: Emulator, clock: ManualClock) -> None:
    await seed_school(bot)
    staff = emu.user(3003, "Анна", "Иванова")
    for _ in range(3):
        app_id = await file_application(staff, bot)
        clock.advance(60)
        await staff.tap("Мои заявки")
        await staff.tap(f"Отозвать заявку № {app_id}")
        await staff.tap("Да, отозвать")
    await staff.say("Начать")
    await staff.tap("Подтвердить профиль")
    assert "слишком много заявок за последний час" in staff.last_message.text
    assert "через 57 мин" in staff.last_message.text
    clock.advance(57 * 60)
    await file_application(staff, bot)
    assert (
        await bot.deps.db.fetchval(
            "SELECT COUNT(*) FROM rate_events WHERE vk_id = 3003 AND kind = 'apply.submit'"
        )
        == 4
    )
