"""Who may do what: every administrative action and the contact list against every kind of
person. Payloads are signed by the bot (valid buttons); only the database decides rights."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.callback_data import CallbackData
from bot.sandbox.vk import Emulator, UserClient
from keyboards import manage as mg
from keyboards.contacts import CtPage, CtSearch
from keyboards.menu import MenuManage
from tests.factories import make_member
from tests.harness import SUPERADMIN, RunningBot
from tests.org_helpers import (
    ADMIN,
    APPLICANT,
    EDUCATOR,
    OTHER_ADMIN,
    STRANGER,
    TEACHER,
    World,
    open_menu,
    seed,
    text_of,
)

# Superadmins have no rights inside an organization unless they are also its administrators.
DENIED = {
    "stranger": STRANGER,
    "staff, not verified": APPLICANT,
    "verified member": TEACHER,
    "admin of another organization": OTHER_ADMIN,
    "superadmin": SUPERADMIN,
}
CONTACTS_DENIED = {k: v for k, v in DENIED.items() if k != "verified member"}
ADMIN_OF_NOTHING = {k: v for k, v in DENIED.items() if k != "admin of another organization"}


async def _admin_actions(bot: RunningBot, w: World) -> list[CallbackData]:
    """Every administrative button for the school, the ones that change something last."""
    org = w.school
    c = (await bot.deps.classes.of_org(org))[0].id
    t, e = w.teacher_membership, w.educator_membership
    return [
        mg.MgOrg(org=org),
        mg.MgClasses(org=org),
        mg.MgClassAdd(org=org),
        mg.MgClass(org=org, cls=c),
        mg.MgClassRename(org=org, cls=c),
        mg.MgClassDel(org=org, cls=c),
        mg.MgStaff(org=org),
        mg.MgRoles(org=org),
        mg.MgMember(org=org, m=t),
        mg.MgPosition(org=org, m=t),
        mg.MgMemberClasses(org=org, m=t),
        mg.MgAdmins(org=org),
        mg.MgAdmin(org=org, vk=ADMIN),
        mg.MgAppoint(org=org),
        mg.MgAppointAsk(org=org, m=e),
        mg.MgRemove(org=org, m=t),
        mg.MgExport(org=org),
        mg.MgExportFile(org=org, kind="staff"),
        mg.MgExportFile(org=org, kind="apps"),
        mg.MgToggle(org=org, m=t, cls=c),
        mg.MgDismiss(org=org, vk=ADMIN),
        mg.MgAppointYes(org=org, m=e),
        mg.MgRemoveWhy(org=org, m=t, why="other"),
        mg.MgRemoveWhy(org=org, m=t, why="not_employee"),
        mg.MgClassDelYes(org=org, cls=c),
    ]


async def _snapshot(bot: RunningBot, w: World) -> dict[str, Any]:
    db = bot.deps.db
    return {
        "audit": await db.fetchval("SELECT COUNT(*) FROM audit_log"),
        "classes": [tuple(r) for r in await db.fetchall("SELECT id, name FROM classes")],
        "members": [
            tuple(r)
            for r in await db.fetchall(
                "SELECT id, position, removed_at, (SELECT group_concat(class_id)"
                " FROM membership_classes WHERE membership_id = m.id) FROM memberships m"
            )
        ],
        "admins": [tuple(r) for r in await db.fetchall("SELECT org_id, vk_id FROM org_admins")],
        "states": await db.fetchval("SELECT COUNT(*) FROM conversation_states"),
        "docs": len([m for m, _ in bot.emu.calls if m == "docs.save"]),
    }


def _snackbar(user: UserClient, event_id: str) -> str | None:
    [answer] = user.answers_for(event_id)
    data = answer["event_data"]
    return data["text"] if isinstance(data, dict) else None


@pytest.mark.parametrize("who", list(DENIED))
async def test_administrative_actions_are_refused(bot: RunningBot, emu: Emulator, who: str) -> None:
    world = await seed(bot.deps)
    person = emu.user(DENIED[who], "Кто", "Угодно")
    await person.say("Начать")
    sent_before = len(person.messages)
    before = await _snapshot(bot, world)
    for action in await _admin_actions(bot, world):
        event_id = await person.press_payload(bot.deps.signer.pack(action))
        assert _snackbar(person, event_id) == "Нет прав", action
    assert len(person.messages) == sent_before
    assert await _snapshot(bot, world) == before


async def test_administrator_may_do_all_of_it(bot: RunningBot, emu: Emulator) -> None:
    world = await seed(bot.deps)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await admin.say("Начать")
    for action in await _admin_actions(bot, world):
        event_id = await admin.press_payload(bot.deps.signer.pack(action))
        assert _snackbar(admin, event_id) != "Нет прав", action
    deps = bot.deps
    assert await deps.members.active(world.school, TEACHER) is None
    assert await deps.orgs.admin_ids(world.school) == [ADMIN, EDUCATOR]
    assert [c.name for c in await deps.classes.of_org(world.school)] == ["5Б"]
    assert len([m for m, _ in emu.calls if m == "docs.save"]) == 2


async def test_someone_else_pressing_an_admins_button_changes_nothing(
    bot: RunningBot, emu: Emulator
) -> None:
    world = await seed(bot.deps)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await open_menu(admin, "Управление")
    await admin.tap("Классы")
    await admin.tap("5А")
    await admin.tap("Удалить")
    admin_msg = admin.last_message
    yes = next(b for b in admin_msg.buttons if b.label == "Да, удалить")
    other = emu.user(TEACHER, "Анна", "Иванова")
    await other.say("Начать")
    before = await _snapshot(bot, world)
    event_id = await other.press_payload(yes.payload or "")
    assert _snackbar(other, event_id) == "Нет прав"
    assert await _snapshot(bot, world) == before
    # A client without callback buttons sends the payload with a message: told in a message.
    text_client = emu.user(STRANGER, "Иван", "Новиков", callbacks=False)
    await text_client.say("Начать")
    await text_client.press_payload(yes.raw_payload or "", callback=False, text=yes.label)
    assert text_client.last_message.text == "Нет прав"
    assert await _snapshot(bot, world) == before


@pytest.mark.parametrize("who", list(ADMIN_OF_NOTHING))
async def test_management_menu_is_refused(bot: RunningBot, emu: Emulator, who: str) -> None:
    await seed(bot.deps)
    person = emu.user(ADMIN_OF_NOTHING[who], "Кто", "Угодно")
    await person.say("Начать")
    assert "Управление" not in person.last_message.button_labels
    event_id = await person.press_payload(bot.deps.signer.pack(MenuManage()))
    assert _snackbar(person, event_id) == "Нет прав"


async def test_admin_of_another_organization_manages_only_their_own(
    bot: RunningBot, emu: Emulator
) -> None:
    await seed(bot.deps)
    other = emu.user(OTHER_ADMIN, "Нина", "Орлова")
    await open_menu(other, "Управление")
    assert other.last_message.text.startswith("Управление: МБДОУ «Детский сад № 7»")
    await other.tap("Сотрудники")
    assert "Иванова" not in text_of(other)
    assert "Смирнова" not in text_of(other)


@pytest.mark.parametrize("who", list(CONTACTS_DENIED))
async def test_contact_list_is_refused(bot: RunningBot, emu: Emulator, who: str) -> None:
    world = await seed(bot.deps)
    person = emu.user(CONTACTS_DENIED[who], "Кто", "Угодно")
    await person.say("Начать")
    for action in (CtPage(org=world.school), CtPage(org=world.school, p=1, q="ива")):
        await person.press_payload(bot.deps.signer.pack(action))
        assert person.last_message.text.startswith("Список контактов организации доступен только")
    await person.press_payload(bot.deps.signer.pack(CtSearch(org=world.school)))
    assert await bot.deps.states.state_name(person.user_id) is None
    assert "vk.com/id" not in text_of(person)
    assert "Иванова" not in text_of(person)


@pytest.mark.parametrize("who", ["verified member", "administrator"])
async def test_contact_list_is_open_to_verified_members(
    bot: RunningBot, emu: Emulator, who: str
) -> None:
    world = await seed(bot.deps)
    person = emu.user(TEACHER if who == "verified member" else ADMIN, "Кто", "Угодно")
    await person.say("Начать")
    await person.press_payload(bot.deps.signer.pack(CtPage(org=world.school)))
    assert "vk.com/id3001" in person.last_message.text
    # Not the kindergarten's list: they are not verified there.
    await person.press_payload(bot.deps.signer.pack(CtPage(org=world.kindergarten)))
    assert person.last_message.text.startswith("Список контактов организации доступен только")


async def test_ids_of_another_organization_are_not_reachable(
    bot: RunningBot, emu: Emulator
) -> None:
    """An administrator's valid payload naming their own organization but another one's class
    or member finds nothing: objects are looked up within the organization."""
    deps = bot.deps
    world = await seed(deps)
    their_class = (await deps.classes.of_org(world.kindergarten))[0].id
    their_member = await make_member(deps, world.kindergarten, 3100, "Орлова Нина Павловна")
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await admin.say("Начать")
    before = await _snapshot(bot, world)
    action: CallbackData
    for action in (
        mg.MgMember(org=world.school, m=their_member),
        mg.MgPosition(org=world.school, m=their_member),
        mg.MgRemoveWhy(org=world.school, m=their_member, why="not_employee"),
        mg.MgAppointYes(org=world.school, m=their_member),
        mg.MgToggle(org=world.school, m=their_member, cls=their_class),
    ):
        await admin.press_payload(deps.signer.pack(action))
        assert "Этого сотрудника уже нет" in admin.last_message.text, action
    for action in (
        mg.MgClass(org=world.school, cls=their_class),
        mg.MgClassDelYes(org=world.school, cls=their_class),
    ):
        await admin.press_payload(deps.signer.pack(action))
        assert "Этого класса уже нет" in admin.last_message.text, action
    await admin.press_payload(
        deps.signer.pack(mg.MgToggle(org=world.school, m=world.teacher_membership, cls=their_class))
    )
    assert await _snapshot(bot, world) == before
    assert "Орлова" not in text_of(admin)


async def test_two_administrators_removing_at_once_remove_once(
    bot: RunningBot, emu: Emulator
) -> None:
    deps = bot.deps
    world = await seed(deps)
    async with deps.db.transaction() as tx:
        await deps.orgs.add_admin(tx, world.school, EDUCATOR, 0, None)
    teacher = emu.user(TEACHER, "Анна", "Иванова")
    await teacher.say("Начать")
    admins = [emu.user(ADMIN, "Ольга", "Смирнова"), emu.user(EDUCATOR, "Мария", "Ёлкина")]
    remove = deps.signer.pack(
        mg.MgRemoveWhy(org=world.school, m=world.teacher_membership, why="not_employee")
    )
    for a in admins:
        await a.say("Начать")
    pushed = [
        a.push_callback(json.loads(remove), a.last_message.conversation_message_id) for a in admins
    ]
    for event_id in pushed:
        await emu.settle(event_id)
    assert len(await deps.audit.entries(action="member.remove")) == 1
    notices = [m for m in teacher.messages if "снял с вас статус" in m.text]
    assert len(notices) == 1
    texts = sorted(a.last_message.text.split("\n")[0] for a in admins)
    assert texts == [
        "Иванова Анна Сергеевна больше не в списке подтверждённых сотрудников.",
        "Этого сотрудника уже нет среди подтверждённых.",
    ]
