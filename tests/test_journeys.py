"""Whole journeys across features, as a teacher and an administrator live them."""

from __future__ import annotations

from bot.clock import ManualClock
from bot.sandbox.vk import Emulator
from storage.models import Role
from tests.apply_helpers import (
    SCHOOL_BUTTON,
    draft_state,
    file_application,
    reach,
    seed_school,
    step_of,
)
from tests.factories import make_member, make_org
from tests.harness import RunningBot
from tests.invite_helpers import make_invitation

ADMIN = 5001


async def test_invitation_needing_approval_is_approved_by_the_admins_tap(
    bot: RunningBot, emu: Emulator
) -> None:
    admin = emu.user(ADMIN, "Ольга", "Директорова")
    await admin.say("Начать")
    org = await make_org(bot.deps, admins=(ADMIN,))
    _, code = await make_invitation(
        bot.deps, org, created_by=ADMIN, needs_approval=True, role=Role.SCHOOL_TEACHER
    )
    staff = emu.user(2001, "Анна", "Иванова")
    await staff.open_link(ref=code)
    await staff.say("Иванова Анна Сергеевна")
    await staff.say("учитель физики")
    await staff.tap("Отправить заявку")

    prompt = admin.last_message
    assert "Иванова Анна Сергеевна" in prompt.text
    assert "Пришла по ссылке-приглашению" in prompt.text
    event_id = await admin.tap("Принять")
    assert len(admin.answers_for(event_id)) == 1
    assert admin.last_message.text.count("Принята: Ольга Директорова") == 1
    assert admin.last_message.buttons == []

    member = await bot.deps.members.active(org, 2001)
    assert member is not None
    assert (member.full_name, member.position, member.via) == (
        "Иванова Анна Сергеевна",
        "учитель физики",
        "invitation",
    )
    assert staff.last_message.text.startswith("✅ Сотрудник · МБОУ «Школа № 5»")


async def test_teacher_applies_admin_approves_teacher_sees_contacts(
    bot: RunningBot, emu: Emulator
) -> None:
    """The Sferum flow from the source document, end to end in one conversation each."""
    admin = emu.user(ADMIN, "Ольга", "Директорова")
    await admin.say("Начать")
    org = await seed_school(bot, admins=(ADMIN,))
    await make_member(bot.deps, org, ADMIN, "Директорова Ольга Ивановна", role=Role.MANAGER)

    teacher = emu.user(2002, "Анна", "Иванова")
    app_id = await file_application(teacher, bot)
    assert f"№ {app_id}" in teacher.last_message.text

    prompt = admin.last_message
    assert f"Заявка № {app_id}" in prompt.text
    assert "Иванова Анна Сергеевна" in prompt.text
    assert "vk.com/id2002" in prompt.text
    await admin.tap("Принять", message=prompt)

    assert teacher.last_message.text.startswith("✅ Сотрудник · Школа № 5")
    member = await bot.deps.members.active(org, 2002)
    assert member is not None
    assert member.full_name == "Иванова Анна Сергеевна"
    assert await bot.deps.applications.open_count(2002) == 0

    await teacher.say("Начать")
    await teacher.tap("Контакты организации")
    contacts = teacher.last_message.text
    assert "Директорова Ольга Ивановна" in contacts
    assert "vk.com/id5001" in contacts

    # Verified once: a second application to the same organization is not filed.
    await teacher.say("Начать")
    await teacher.tap("Подтвердить профиль")
    await teacher.say("школа 5")
    await teacher.tap(SCHOOL_BUTTON)
    assert "уже" in teacher.last_message.text.lower()
    assert await bot.deps.applications.open_count(2002) == 0


async def test_rejected_teacher_sees_reason_and_cool_down(
    bot: RunningBot, emu: Emulator, clock: ManualClock
) -> None:
    admin = emu.user(ADMIN, "Ольга", "Директорова")
    await admin.say("Начать")
    await seed_school(bot, admins=(ADMIN,))
    teacher = emu.user(2003, "Анна", "Иванова")
    await file_application(teacher, bot)

    await admin.tap("Отклонить", message=admin.last_message)
    await admin.tap("ФИО не совпадает с документами", message=admin.last_message)
    assert "Причина: ФИО не совпадает с документами" in teacher.last_message.text

    await teacher.say("Начать")
    await teacher.tap("Подтвердить профиль")
    await teacher.say("школа 5")
    await teacher.tap(SCHOOL_BUTTON)
    refusal = teacher.last_message.text
    assert "ФИО не совпадает с документами" in refusal
    assert await bot.deps.applications.open_count(2003) == 0

    # The draft is kept; once the cool-down is over the same choice goes through.
    await teacher.tap("Назад")
    clock.advance(24 * 3600 + 1)
    await teacher.tap(SCHOOL_BUTTON)
    await teacher.tap("Учитель")
    await teacher.say("Иванова Анна Сергеевна")
    await teacher.say("учитель физики")
    await teacher.tap("Готово")
    await teacher.tap("Отправить заявку")
    assert await bot.deps.applications.open_count(2003) == 1


async def test_start_ends_a_half_typed_step_but_keeps_the_application_draft(
    bot: RunningBot, emu: Emulator
) -> None:
    admin = emu.user(ADMIN, "Ольга", "Директорова")
    await admin.say("Начать")
    org = await seed_school(bot, admins=(ADMIN,))
    app_id = await file_application(emu.user(2004, "Анна", "Иванова"), bot)
    await admin.tap("Отклонить", message=admin.last_message)
    await admin.tap("Другое", message=admin.last_message)
    # The admin changes their mind and goes to the menu; what they type next is no reason.
    await admin.say("Начать")
    await admin.say("Спасибо")
    assert admin.last_message.text.startswith("Не понял")
    app = await bot.deps.applications.get(app_id)
    assert app is not None
    assert app.status.value == "pending"
    assert org

    teacher = emu.user(2005, "Борис", "Петров")
    await reach(teacher, bot, "name")
    await teacher.say("Начать")
    assert "Продолжить заявку" in teacher.last_message.button_labels


async def test_application_draft_survives_a_detour_into_another_flow(
    bot: RunningBot, emu: Emulator
) -> None:
    await seed_school(bot)
    teacher = emu.user(2006, "Анна", "Иванова")
    await reach(teacher, bot, "position")
    await teacher.say("Начать")
    # An invitation code step takes over the conversation...
    await teacher.tap("У меня приглашение")
    assert (await step_of(bot, 2006)) is None
    # ...and the draft waits: the menu offers it, and it comes back where it was.
    await teacher.say("Начать")
    assert "Продолжить заявку" in teacher.last_message.button_labels
    await teacher.tap("Продолжить заявку")
    assert await step_of(bot, 2006) == "position"
    draft = await draft_state(bot, 2006)
    assert draft is not None
    assert draft["full_name"] == "Иванова Анна Сергеевна"
    await teacher.say("учитель физики")
    assert await step_of(bot, 2006) in ("classes", "review")
