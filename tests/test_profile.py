"""My profile: badges per organization, leaving one, what the bot keeps and erasing it."""

from __future__ import annotations

import json

from bot.events import ApplicationWithdrawn
from bot.sandbox.vk import Emulator
from storage.models import AppStatus
from tests.factories import make_application, make_member
from tests.harness import SUPERADMIN, RunningBot
from tests.org_helpers import (
    ADMIN,
    APPLICANT,
    STRANGER,
    TEACHER,
    open_menu,
    seed,
)
from tests.review_helpers import file_application, prompt


async def test_profile_shows_badge_role_classes_and_open_applications(
    bot: RunningBot, emu: Emulator
) -> None:
    deps = bot.deps
    world = await seed(deps)
    five_a = next(c.id for c in await deps.classes.of_org(world.school) if c.name == "5А")
    async with deps.db.transaction() as tx:
        member = await deps.members.get_in(tx, world.teacher_membership)
        assert member is not None
        await deps.members.update(
            tx, member, position=member.position, class_ids=(five_a,), now=0, actor_id=None
        )
    await make_application(
        deps, world.kindergarten, TEACHER, "Иванова Анна Сергеевна", position="учитель", vk_name=""
    )
    teacher = emu.user(TEACHER, "Анна", "Иванова")
    await open_menu(teacher, "Мой профиль")
    text = teacher.last_message.text
    assert text.startswith("Мой профиль\n\n✅ МБОУ «Школа № 5»\nПодтверждённый сотрудник с ")
    assert "Роль: Учитель (школа)\nДолжность: учитель математики\nКлассы: 5А" in text
    assert "Заявки на рассмотрении:\n• МБДОУ «Детский сад № 7» — подана " in text
    assert "администратор" not in text
    assert teacher.last_message.button_labels == ["Выйти из организации", "Мои данные", "В меню"]

    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await open_menu(admin, "Мой профиль")
    assert "Вы администратор этой организации." in admin.last_message.text


async def test_member_of_two_organizations_has_two_badges(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    world = await seed(deps)
    await make_member(deps, world.kindergarten, TEACHER, "Иванова Анна Сергеевна")
    teacher = emu.user(TEACHER, "Анна", "Иванова")
    await open_menu(teacher, "Мой профиль")
    assert teacher.last_message.text.count("✅") == 2


async def test_profile_of_someone_not_verified(bot: RunningBot, emu: Emulator) -> None:
    await seed(bot.deps)
    stranger = emu.user(STRANGER, "Иван", "Новиков")
    await open_menu(stranger, "Мой профиль")
    assert "ещё не подтвердили профиль сотрудника" in stranger.last_message.text
    assert "Подтвердить профиль" in stranger.last_message.button_labels


async def test_member_leaves_with_confirmation(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    world = await seed(deps)
    teacher = emu.user(TEACHER, "Анна", "Иванова")
    await open_menu(teacher, "Мой профиль")
    await teacher.tap("Выйти из организации")
    assert teacher.last_message.text.startswith("Выйти из организации МБОУ «Школа № 5»?")
    await teacher.tap("Отмена")
    assert await deps.members.active(world.school, TEACHER) is not None
    await teacher.tap("Выйти из организации")
    yes = next(b for b in teacher.last_message.buttons if b.label == "Да, выйти")
    await teacher.tap("Да, выйти")
    assert teacher.last_message.text.startswith("Вы вышли из организации МБОУ «Школа № 5».")
    assert await deps.members.active(world.school, TEACHER) is None
    # Pressed again: nothing more changes.
    await teacher.press_payload(yes.payload or "")
    assert teacher.last_message.text.startswith("Вы уже не состоите в этой организации.")
    [left] = await deps.audit.entries(action="member.leave")
    assert (left.actor_id, left.object_id) == (TEACHER, world.teacher_membership)
    await open_menu(teacher, "Контакты организации")
    assert "только её подтверждённым" in teacher.last_message.text


async def test_last_admin_cannot_leave_another_admin_can(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    world = await seed(deps)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await open_menu(admin, "Мой профиль")
    await admin.tap("Выйти из организации")
    assert "права администратора тоже будут сняты" in admin.last_message.text
    await admin.tap("Да, выйти")
    assert admin.last_message.text.startswith("Вы единственный администратор организации")
    assert await deps.members.active(world.school, ADMIN) is not None
    assert await deps.orgs.admin_ids(world.school) == [ADMIN]
    # The way out: appoint another administrator first.
    await admin.tap("Назначить")
    await admin.tap("Иванова Анна Сергеевна")
    await admin.tap("Назначить")
    await open_menu(admin, "Мой профиль")
    await admin.tap("Выйти из организации")
    await admin.tap("Да, выйти")
    assert admin.last_message.text.startswith("Вы вышли из организации")
    assert await deps.orgs.admin_ids(world.school) == [TEACHER]
    assert await deps.members.active(world.school, ADMIN) is None


async def test_my_data_lists_what_is_kept(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    await seed(deps)
    teacher = emu.user(TEACHER, "Анна", "Иванова")
    await teacher.say("Начать")
    await deps.users.set_names(TEACHER, "Анна", "Иванова", 0)
    await teacher.tap("Мой профиль")
    await teacher.tap("Мои данные")
    text = teacher.last_message.text
    assert text.startswith("Что бот хранит о вас")
    assert "Страница ВКонтакте: vk.com/id3001" in text
    assert "Имя во ВКонтакте: Анна Иванова" in text
    assert "Язык общения: русский" in text
    assert "• МБОУ «Школа № 5»: Иванова Анна Сергеевна, Учитель (школа), учитель математики" in text
    assert "Записей о вас в журнале действий: 1." in text
    assert teacher.last_message.button_labels == ["Удалить мои данные", "Назад", "В меню"]


async def test_erasing_my_data(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    world = await seed(deps)
    withdrawn: list[int] = []

    async def record(event: ApplicationWithdrawn) -> None:
        withdrawn.append(event.application_id)

    deps.bus.subscribe(ApplicationWithdrawn, record)
    open_app = await make_application(
        deps, world.kindergarten, TEACHER, "Иванова Анна Сергеевна", position="учитель", vk_name=""
    )
    teacher = emu.user(TEACHER, "Анна", "Иванова")
    await teacher.say("Начать")
    await deps.users.set_names(TEACHER, "Анна", "Иванова", 0)
    await teacher.tap("Мой профиль")
    await teacher.tap("Мои данные")
    await teacher.tap("Удалить мои данные")
    text = teacher.last_message.text
    assert text.startswith("Удалить ваши данные? Это нельзя отменить.")
    assert "Заявки на рассмотрении будут отозваны: 1." in text
    assert "Вы выйдете из организаций: 1;" in text
    await teacher.tap("Отмена")
    assert teacher.last_message.text.startswith("Что бот хранит о вас")
    await teacher.tap("Удалить мои данные")
    yes = next(b for b in teacher.last_message.buttons if b.label == "Да, удалить")
    await teacher.tap("Да, удалить")
    assert teacher.last_message.text.startswith("Готово: ваши данные удалены.")
    assert "Отозвано заявок: 1, организаций покинуто: 1." in teacher.last_message.text

    app = await deps.applications.get(open_app)
    assert app is not None
    assert app.status is AppStatus.WITHDRAWN
    assert (app.full_name, app.position, app.vk_name) == ("", "", "")
    assert withdrawn == [open_app]
    assert await deps.members.of_user(TEACHER) == []
    row = await deps.db.fetchone(
        "SELECT full_name, position, removed_at FROM memberships WHERE vk_id = ?", (TEACHER,)
    )
    assert row is not None
    assert (row["full_name"], row["position"]) == ("", "")
    assert row["removed_at"] is not None
    user = await deps.users.get(TEACHER)
    assert user is not None
    assert (user.first_name, user.last_name) == ("", "")
    # The audit trail stays, without the name.
    snapshots = await deps.db.fetchall("SELECT before, after FROM audit_log")
    assert all("Иванова" not in (r["before"] or "") + (r["after"] or "") for r in snapshots)
    [verified] = await deps.audit.entries(
        action="member.verify", object_id=world.teacher_membership
    )
    assert verified.after is not None
    assert verified.after["vk_id"] == TEACHER
    assert "full_name" not in verified.after
    [erased] = await deps.audit.entries(action="user.erase")
    assert erased.after == {"withdrawn": 1, "left": 1, "admin_rights": 0}

    # Pressed again: nothing left, nothing written.
    entries = len(await deps.audit.entries())
    await teacher.press_payload(yes.payload or "")
    assert teacher.last_message.text.startswith("Ваши данные уже удалены")
    assert len(await deps.audit.entries()) == entries

    # Contacts no longer list her.
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await open_menu(admin, "Контакты организации")
    assert "vk.com/id3001" not in admin.last_message.text


async def test_sole_admin_erasing_data_is_reported_to_superadmins(
    bot: RunningBot, emu: Emulator
) -> None:
    deps = bot.deps
    world = await seed(deps)
    superadmin = emu.user(SUPERADMIN, "Главный", "Админ")
    await superadmin.say("Начать")
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await open_menu(admin, "Мой профиль")
    await admin.tap("Мои данные")
    assert "Вы администратор: МБОУ «Школа № 5»" in admin.last_message.text
    await admin.tap("Удалить мои данные")
    assert "Вы единственный администратор: МБОУ «Школа № 5»." in admin.last_message.text
    await admin.tap("Да, удалить")
    assert admin.last_message.text.startswith("Готово: ваши данные удалены.")
    assert await deps.orgs.admin_ids(world.school) == []
    await emu.until(lambda: "осталась без администратора" in superadmin.last_message.text)
    assert f"№ {world.school}" in superadmin.last_message.text
    [dropped] = await deps.audit.entries(action="admin.remove")
    assert (dropped.actor_id, dropped.reason) == (ADMIN, "erase")


async def test_applicant_erasing_data_withdraws_the_application(
    bot: RunningBot, emu: Emulator
) -> None:
    deps = bot.deps
    await seed(deps)
    applicant = emu.user(APPLICANT, "Илья", "Кузнецов")
    await open_menu(applicant, "Мой профиль")
    assert "Заявки на рассмотрении:" in applicant.last_message.text
    await applicant.tap("Мои данные")
    assert "ФИО в заявке: Кузнецов Илья Андреевич" in applicant.last_message.text
    await applicant.tap("Удалить мои данные")
    await applicant.tap("Да, удалить")
    assert await deps.applications.open_count(APPLICANT) == 0
    await applicant.tap("В меню")
    await applicant.tap("Мой профиль")
    assert "Заявки на рассмотрении" not in applicant.last_message.text
    await applicant.tap("Мои данные")
    assert "ФИО в заявке: -" in applicant.last_message.text
    rows = await deps.db.fetchall("SELECT after FROM audit_log WHERE action = 'application.file'")
    assert all("full_name" not in json.loads(r["after"]) for r in rows if "3003" in r["after"])


async def test_erasure_updates_administrators_review_prompts(
    bot: RunningBot, emu: Emulator
) -> None:
    deps = bot.deps
    world = await seed(deps)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await admin.say("Начать")
    applicant = emu.user(STRANGER, "Иван", "Новиков")
    app_id = await file_application(deps, world.school, STRANGER, "Новиков Иван Петрович")
    assert "Новиков Иван Петрович" in prompt(admin, app_id).text
    await open_menu(applicant, "Мой профиль")
    await applicant.tap("Мои данные")
    await applicant.tap("Удалить мои данные")
    await applicant.tap("Да, удалить")
    await emu.until(lambda: "Отозвана заявителем" in prompt(admin, app_id).text)
    assert "Новиков" not in prompt(admin, app_id).text
    assert prompt(admin, app_id).buttons == []
