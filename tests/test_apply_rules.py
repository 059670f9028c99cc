"""Who may apply where: members, open applications, several organizations, after a rejection."""

from __future__ import annotations

from functools import partial

from bot.clock import ManualClock
from bot.events import ApplicationFiled, ApplicationWithdrawn
from bot.sandbox.vk import Emulator
from storage.models import AppStatus, Role
from tests.apply_helpers import SCHOOL_BUTTON, file_application, reach, seed_school, step_of
from tests.factories import make_member, make_org
from tests.harness import RunningBot


async def decide(bot: RunningBot, app_id: int, to: AppStatus, reason: str | None = None) -> None:
    """What an administrator's decision leaves in the database (the review feature's job)."""
    app = await bot.deps.applications.get(app_id)
    assert app is not None
    async with bot.deps.db.transaction() as tx:
        changed = await bot.deps.applications.transition(
            tx, app, to, actor_id=500, now=bot.deps.clock.now(), reason_code=reason
        )
    assert changed


async def test_a_verified_member_is_told_confirmation_is_not_needed(
    bot: RunningBot, emu: Emulator
) -> None:
    org_id = await seed_school(bot)
    await make_member(bot.deps, org_id, 2001)
    staff = emu.user(2001, "Анна", "Иванова")
    await reach(staff, bot, "org")
    await staff.say("школа 5")
    await staff.tap(SCHOOL_BUTTON)
    text = staff.last_message.text
    assert "Вы уже подтверждены как сотрудник этой организации" in text
    assert "повторно подтверждать не нужно" in text
    assert await step_of(bot, 2001) == "org"
    assert await bot.deps.db.fetchval("SELECT COUNT(*) FROM applications") == 0
    # Back leads to the search results, where another organization can be chosen.
    await staff.tap("Назад")
    assert SCHOOL_BUTTON in staff.last_message.button_labels


async def test_an_open_application_is_shown_never_filed_twice_and_can_be_withdrawn(
    bot: RunningBot, emu: Emulator, clock: ManualClock
) -> None:
    withdrawn: list[ApplicationWithdrawn] = []

    async def record(event: ApplicationWithdrawn) -> None:
        withdrawn.append(event)

    bot.deps.bus.subscribe(ApplicationWithdrawn, record)
    await seed_school(bot)
    staff = emu.user(2002, "Анна", "Иванова")
    app_id = await file_application(staff, bot)
    clock.advance(3600)
    await reach(staff, bot, "org")
    await staff.say("школа 5")
    await staff.tap(SCHOOL_BUTTON)
    shown = staff.last_message
    assert f"У вас уже есть заявка № {app_id}" in shown.text
    assert "Статус: На рассмотрении" in shown.text
    assert await bot.deps.db.fetchval("SELECT COUNT(*) FROM applications") == 1

    await staff.tap("Отозвать заявку")
    assert f"Отозвать заявку № {app_id}?" in staff.last_message.text
    await staff.tap("Да, отозвать")
    assert f"Заявка № {app_id} отозвана" in staff.last_message.text
    app = await bot.deps.applications.get(app_id)
    assert app is not None
    assert app.status is AppStatus.WITHDRAWN
    assert (await bot.deps.applications.history(app_id))[-1] == ("pending", "withdrawn", 2002, None)
    assert len(await bot.deps.audit.entries(action="application.withdrawn")) == 1
    assert withdrawn == [ApplicationWithdrawn(app_id)]
    # The draft waited meanwhile: continue it, pick the school again, and file anew.
    await staff.tap("Продолжить заявку")
    await staff.tap(SCHOOL_BUTTON)
    assert await step_of(bot, 2002) == "role"


async def test_the_database_never_holds_two_open_applications_to_one_organization(
    bot: RunningBot,
) -> None:
    org_id = await seed_school(bot)
    file_one = partial(
        bot.deps.applications.create,
        org_id=org_id,
        vk_id=2003,
        role=Role.OTHER,
        full_name="Иванова Анна",
        position="",
        vk_name="",
        class_ids=(),
        invitation_id=None,
        now=1,
    )
    async with bot.deps.db.transaction() as tx:
        first = await file_one(tx)
        second = await file_one(tx)
    assert first is not None
    assert second is None


async def test_each_organization_is_applied_to_and_decided_separately(
    bot: RunningBot, emu: Emulator
) -> None:
    filed: list[ApplicationFiled] = []

    async def record(event: ApplicationFiled) -> None:
        filed.append(event)

    bot.deps.bus.subscribe(ApplicationFiled, record)
    school = await seed_school(bot)
    college = await make_org(
        bot.deps,
        "ГБПОУ «Екатеринбургский политехникум»",
        short_name="Политехникум",
        city="Екатеринбург",
    )
    staff = emu.user(2004, "Анна", "Иванова")
    in_school = await file_application(staff, bot)
    in_college = await file_application(
        staff, bot, query="политехникум", org_button="Политехникум", role="Преподаватель СПО"
    )
    assert in_school != in_college
    assert [e.application_id for e in filed] == [in_school, in_college]
    await decide(bot, in_school, AppStatus.APPROVED)
    await make_member(bot.deps, school, 2004)
    college_app = await bot.deps.applications.get(in_college)
    assert college_app is not None
    assert college_app.status is AppStatus.PENDING
    assert college_app.org_id == college
    assert college_app.role is Role.COLLEGE_TEACHER
    # Being a member of the school does not stop a third application elsewhere.
    await make_org(bot.deps, "МАДОУ «Детский сад № 1»", short_name="Детский сад № 1")
    await file_application(
        staff, bot, query="детский сад 1", org_button="Детский сад № 1", role="Воспитатель"
    )
    assert await bot.deps.applications.open_count(2004) == 2


async def test_after_a_rejection_the_reason_and_the_cool_down_are_shown(
    bot: RunningBot, emu: Emulator, clock: ManualClock
) -> None:
    await seed_school(bot)
    staff = emu.user(2005, "Анна", "Иванова")
    app_id = await file_application(staff, bot)
    await decide(bot, app_id, AppStatus.REJECTED, "name_mismatch")
    clock.advance(2 * 3600 + 30 * 60)
    await reach(staff, bot, "org")
    await staff.say("школа 5")
    await staff.tap(SCHOOL_BUTTON)
    text = staff.last_message.text
    assert "Прошлую заявку в эту организацию отклонили" in text
    assert "Причина: ФИО не совпадает с документами" in text
    assert "через 21 ч 30 мин" in text
    assert await step_of(bot, 2005) == "org"
    clock.advance(21 * 3600 + 29 * 60)
    await staff.tap("Назад")
    await staff.tap(SCHOOL_BUTTON)
    assert "через 1 мин" in staff.last_message.text
    clock.advance(60)
    await staff.tap("Назад")
    await staff.tap(SCHOOL_BUTTON)
    assert await step_of(bot, 2005) == "role"
    await staff.tap("Учитель")
    await staff.say("Иванова Анна Сергеевна")
    await staff.tap("Пропустить")
    await staff.tap("Готово")
    await staff.tap("Отправить заявку")
    assert (
        await bot.deps.db.fetchval(
            "SELECT COUNT(*) FROM applications WHERE vk_id = 2005 AND status = 'pending'"
        )
        == 1
    )


async def test_a_rule_broken_while_the_draft_waited_is_caught_at_submission(
    bot: RunningBot, emu: Emulator
) -> None:
    org_id = await seed_school(bot)
    staff = emu.user(2006, "Анна", "Иванова")
    await reach(staff, bot, "review")
    # Meanwhile the person joined by an invitation.
    await make_member(bot.deps, org_id, 2006)
    await staff.tap("Отправить заявку")
    assert "Вы уже подтверждены" in staff.last_message.text
    assert await bot.deps.db.fetchval("SELECT COUNT(*) FROM applications") == 0
    # The other answers are kept for another organization.
    assert await step_of(bot, 2006) == "org"
