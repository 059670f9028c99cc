"""Whole journeys across features, as a teacher and an administrator live them."""

from __future__ import annotations

from storage.models import Role
from tests.emulator import Emulator
from tests.factories import make_org
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
