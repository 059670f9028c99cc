"""Invitation links: administrators create, list and revoke; staff join by link or code."""

from __future__ import annotations

import asyncio
import io
import re

import PIL.Image
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st

from bot.answers import BadInput, parse_full_name, parse_line
from bot.events import ApplicationFiled, ApplicationWithdrawn, MemberVerified
from bot.sandbox.vk import Emulator
from bot.services.invitations import (
    DAY,
    hash_code,
    new_code,
    parse_code,
)
from storage.models import AppStatus, Role
from tests.factories import make_application, make_member, make_org
from tests.harness import GROUP_ID, RunningBot
from tests.invite_helpers import Collector, make_invitation, reach_confirm

ADMIN = 500
LINK = re.compile(r"https://vk\.me/club(\d+)\?ref=([A-Z2-7]{16})")


async def _membership(bot: RunningBot, org_id: int, vk_id: int):  # type: ignore[no-untyped-def]
    return await bot.deps.members.active(org_id, vk_id)


# --- administrators: creating ----------------------------------------------------------------
async def test_admin_creates_invitation_and_gets_link_code_and_qr(
    bot: RunningBot, emu: Emulator
) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,), classes=("5А", "5Б"))
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await admin.say("Начать")
    await admin.tap("Приглашения")
    assert "Приглашения организации МБОУ «Школа № 5»" in admin.last_message.text
    await admin.tap("Создать приглашение")
    assert "Для какой роли?" in admin.last_message.text
    await admin.tap("Учитель")
    await admin.tap("5А")
    await admin.tap("7 дней")
    await admin.tap("10 человек")
    await admin.tap("Подтверждать сразу")
    await admin.say("Учителя начальной школы")
    summary = admin.last_message.text
    assert "Роль: Учитель (школа)" in summary
    assert "Класс: 5А" in summary
    assert "Срок действия: 7 дней" in summary
    assert "Вступить смогут: 10 человек" in summary
    assert "Название: Учителя начальной школы" in summary
    created_at = bot.clock.now()
    await admin.tap("Создать")

    reply = admin.last_message
    found = LINK.search(reply.text)
    assert found is not None, reply.text
    link, code = found.group(0), found.group(2)
    assert int(found.group(1)) == GROUP_ID
    assert f"Код: {code}" in reply.text
    # The QR picture went through VK's upload chain and reads back as the link.
    assert len(reply.attachments) == 1
    assert reply.attachments[0].startswith("photo-")
    picture = PIL.Image.open(io.BytesIO(emu.photo_bytes(reply.attachments[0])))
    assert [r.text for r in zxingcpp.read_barcodes(picture)] == [link]
    assert [method for method, _ in emu.calls if method.startswith("photos.")] == [
        "photos.getMessagesUploadServer",
        "photos.saveMessagesPhoto",
    ]

    row = await bot.deps.db.fetchone("SELECT * FROM invitations")
    assert row["code_hash"] == hash_code(code)
    assert code not in row["code_hash"]
    assert row["org_id"] == org
    assert row["role"] == Role.SCHOOL_TEACHER.value
    assert row["max_uses"] == 10
    assert row["needs_approval"] == 0
    assert row["expires_at"] == created_at + 7 * DAY
    assert row["name"] == "Учителя начальной школы"
    assert row["created_by"] == ADMIN
    class_name = await bot.deps.db.fetchval(
        "SELECT name FROM classes WHERE id = ?", (row["class_id"],)
    )
    assert class_name == "5А"
    entries = await bot.deps.audit.entries(action="invitation.create")
    assert [(e.actor_id, e.object_id) for e in entries] == [(ADMIN, row["id"])]
    # The code is nowhere in the database, not even in the audit log.
    assert code not in str(entries[0].after)


async def test_qr_upload_failure_still_gives_link_and_code(bot: RunningBot, emu: Emulator) -> None:
    await make_org(bot.deps, admins=(ADMIN,))
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await admin.say("Начать")
    await admin.tap("Приглашения")
    await admin.tap("Создать приглашение")
    await admin.tap("Любая роль")
    await admin.tap("бессрочно")
    await admin.tap("без ограничения")
    await admin.tap("Нужно одобрение")
    await admin.tap("Без названия")
    emu.fail_next("photos.getMessagesUploadServer", code=100)
    await admin.tap("Создать")
    reply = admin.last_message
    assert LINK.search(reply.text) is not None
    assert "QR-код сейчас загрузить не удалось" in reply.text
    assert reply.attachments == []
    row = await bot.deps.db.fetchone(
        "SELECT role, max_uses, expires_at, needs_approval FROM invitations"
    )
    assert tuple(row) == (None, None, None, 1)


async def test_wizard_rejects_typed_text_where_buttons_are_expected(
    bot: RunningBot, emu: Emulator
) -> None:
    await make_org(bot.deps, admins=(ADMIN,))
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await admin.say("Начать")
    await admin.tap("Приглашения")
    await admin.tap("Создать приглашение")
    await admin.tap("Учитель")
    await admin.say("неделю")
    assert "выберите вариант кнопкой" in admin.last_message.text
    assert "Сколько будет действовать" in admin.last_message.text
    await admin.tap("30 дней")
    await admin.tap("1 человек")
    await admin.tap("Подтверждать сразу")
    await admin.say("x" * 61)
    assert "не длиннее 60 символов" in admin.last_message.text
    await admin.say("🙂🙂")
    assert "не длиннее 60 символов" in admin.last_message.text
    await admin.say("Физруки")
    assert "Название: Физруки" in admin.last_message.text


# --- staff: joining --------------------------------------------------------------------------
async def test_join_by_deep_link(bot: RunningBot, emu: Emulator) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,), classes=("5А",))
    class_id = await bot.deps.db.fetchval("SELECT id FROM classes")
    inv_id, code = await make_invitation(bot.deps, org, created_by=ADMIN, class_id=class_id)
    verified = Collector()
    bot.deps.bus.subscribe(MemberVerified, verified)

    staff = emu.user(2001, "Анна", "Иванова")
    await staff.open_link(ref=code)
    offer = staff.last_message.text
    assert not offer.startswith("Здравствуйте"), "the start handler took the link"
    assert "Приглашение в организацию МБОУ «Школа № 5»" in offer
    assert "Роль: Учитель (школа)" in offer
    assert "Класс: 5А" in offer
    assert "сразу станете подтверждённым сотрудником" in offer
    # The VK name is offered as a one-tap answer, surname first as in documents.
    await staff.tap("Иванова Анна")
    await staff.tap("Пропустить")
    assert "ФИО: Иванова Анна" in staff.last_message.text
    assert "Должность: не указана" in staff.last_message.text
    await staff.tap("Вступить")
    assert "Вы — подтверждённый сотрудник организации МБОУ «Школа № 5»" in staff.last_message.text

    member = await _membership(bot, org, 2001)
    assert member is not None
    assert (member.via, member.full_name, member.position) == ("invitation", "Иванова Анна", "")
    assert member.role is Role.SCHOOL_TEACHER
    assert member.class_ids == (class_id,)
    assert (
        await bot.deps.db.fetchval(
            "SELECT invitation_id FROM memberships WHERE id = ?", (member.id,)
        )
        == inv_id
    )
    assert await bot.deps.db.fetchval("SELECT uses FROM invitations") == 1
    assert [e.membership_id for e in verified.events] == [member.id]
    joins = await bot.deps.audit.entries(action="invitation.join")
    assert [(e.actor_id, e.object_id, e.after) for e in joins] == [
        (2001, inv_id, {"vk_id": 2001, "uses": 1, "membership_id": member.id})
    ]
    assert await bot.deps.states.state_name(2001) is None


async def test_join_by_typed_code_with_any_role(bot: RunningBot, emu: Emulator) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    _, code = await make_invitation(bot.deps, org, created_by=ADMIN, role=None)
    staff = emu.user(2002, "Мария", "Петрова")
    await staff.say("Начать")
    await staff.tap("У меня приглашение")
    assert "Отправьте код приглашения" in staff.last_message.text
    await staff.say("это мой код")
    assert "не похоже на код приглашения" in staff.last_message.text
    # Any case, with spaces: people retype codes from a screen.
    await staff.say(f"{code[:8].lower()} {code[8:].lower()}")
    assert "Выберите вашу роль" in staff.last_message.text
    await staff.tap("Педагог доп. образования")
    await staff.say("петрова анна-мария о'нил")
    await staff.say("  педагог   по   шахматам ")
    summary = staff.last_message.text
    assert "ФИО: Петрова Анна-Мария О'Нил" in summary
    assert "Должность: педагог по шахматам" in summary
    await staff.tap("Вступить")
    member = await _membership(bot, org, 2002)
    assert member is not None
    assert member.role is Role.ADDITIONAL_TEACHER
    assert member.position == "педагог по шахматам"


async def test_link_pasted_as_message_starts_joining(bot: RunningBot, emu: Emulator) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    _, code = await make_invitation(bot.deps, org, created_by=ADMIN)
    staff = emu.user(2003, "Иван", "Сидоров")
    await staff.say(f"вот: https://vk.me/club{GROUP_ID}?ref={code}&ref_source=chat")
    assert "Приглашение в организацию" in staff.last_message.text
    assert await bot.deps.states.state_name(2003) == "InviteJoin:name"


async def test_link_without_an_invitation_code_is_an_ordinary_start(
    bot: RunningBot, emu: Emulator
) -> None:
    staff = emu.user(2004, "Иван", "Сидоров")
    await staff.open_link(ref="vk_ads")
    assert staff.last_message.text.startswith("Здравствуйте!")


async def test_full_name_is_validated_and_the_step_repeated(bot: RunningBot, emu: Emulator) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    _, code = await make_invitation(bot.deps, org, created_by=ADMIN)
    staff = emu.user(2005, "Анна", "Иванова")
    await staff.open_link(ref=code)
    for bad in (
        "Иванова",
        "Иванова Анна 2",
        "Иванова Анна Сергеевна Мария",
        "🙂 🙂",
        "А" * 60 + " " + "Б" * 45,
    ):
        await staff.say(bad)
        assert "два или три слова" in staff.last_message.text, bad
        assert "Иванова Анна" in staff.last_message.button_labels
    await staff.send_sticker()
    assert "два или три слова" in staff.last_message.text
    await staff.say("ИВАНОВА анна")
    assert "Напишите вашу должность" in staff.last_message.text
    await staff.say("x" * 101)
    assert "не длиннее 100 символов" in staff.last_message.text
    await staff.say("Учитель")
    assert "ФИО: Иванова Анна" in staff.last_message.text
    await staff.say("ну и?")
    assert "выберите вариант кнопкой" in staff.last_message.text
    assert "Вступить" in staff.last_message.button_labels


async def test_text_button_client_joins(bot: RunningBot, emu: Emulator) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    _, code = await make_invitation(bot.deps, org, created_by=ADMIN)
    staff = emu.user(2006, "Анна", "Иванова", callbacks=False)
    await staff.open_link(ref=code)
    assert all(b.type == "text" for b in staff.last_message.buttons)
    await staff.tap("Иванова Анна")
    await staff.tap("Пропустить")
    await staff.tap("Вступить")
    assert "Готово!" in staff.last_message.text
    assert await _membership(bot, org, 2006) is not None


async def test_cancel_leaves_the_flow(bot: RunningBot, emu: Emulator) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    _, code = await make_invitation(bot.deps, org, created_by=ADMIN)
    staff = emu.user(2007, "Анна", "Иванова")
    await staff.open_link(ref=code)
    await staff.tap("Отмена")
    assert staff.last_message.text.startswith("Хорошо, отменил.")
    assert await bot.deps.states.state_name(2007) is None
    assert await bot.deps.db.fetchval("SELECT uses FROM invitations") == 0


async def test_stale_join_button_says_so_and_shows_the_step(bot: RunningBot, emu: Emulator) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    _, code = await make_invitation(bot.deps, org, created_by=ADMIN)
    staff = emu.user(2008, "Анна", "Иванова")
    await staff.open_link(ref=code)
    old_button = next(b for b in staff.last_message.buttons if b.label == "Иванова Анна")
    await staff.tap("Иванова Анна")
    # The position question is on screen; a second press of the name button is from the past.
    assert isinstance(old_button.payload, dict)
    await staff.press_payload(old_button.payload)
    assert staff.snackbars == ["Эта кнопка уже неактуальна"]
    assert "Напишите вашу должность" in staff.last_message.text
    assert await bot.deps.states.state_name(2008) == "InviteJoin:position"


# --- staff: refusals -------------------------------------------------------------------------
async def test_expired_invitation(bot: RunningBot, emu: Emulator) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    _, code = await make_invitation(bot.deps, org, created_by=ADMIN, days=1)
    bot.clock.advance(DAY)
    staff = emu.user(2010, "Анна", "Иванова")
    await staff.open_link(ref=code)
    assert "Срок действия этого приглашения в МБОУ «Школа № 5» истёк" in staff.last_message.text
    assert "Подтвердить профиль можно и без приглашения" in staff.last_message.text
    assert "Подтвердить профиль" in staff.last_message.button_labels


async def test_revoked_invitation(bot: RunningBot, emu: Emulator) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    inv_id, code = await make_invitation(bot.deps, org, created_by=ADMIN)
    invitation = await bot.deps.invitations.get(inv_id)
    assert invitation is not None
    async with bot.deps.db.transaction() as tx:
        await bot.deps.invitations.revoke(tx, invitation, actor_id=ADMIN, now=bot.clock.now())
    staff = emu.user(2011, "Анна", "Иванова")
    await staff.open_link(ref=code)
    assert "отозвал это приглашение" in staff.last_message.text
    assert "Подтвердить профиль" in staff.last_message.button_labels


async def test_used_up_invitation(bot: RunningBot, emu: Emulator) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    _, code = await make_invitation(bot.deps, org, created_by=ADMIN, max_uses=1)
    first = emu.user(2012, "Анна", "Иванова")
    await reach_confirm(first, code)
    await first.tap("Вступить")
    second = emu.user(2013, "Борис", "Борисов")
    await second.open_link(ref=code)
    assert "уже вступило максимальное число человек" in second.last_message.text
    assert "Подтвердить профиль" in second.last_message.button_labels
    assert await _membership(bot, org, 2013) is None


async def test_unknown_code(bot: RunningBot, emu: Emulator) -> None:
    staff = emu.user(2014, "Анна", "Иванова")
    await staff.open_link(ref=new_code())
    assert "Приглашение с таким кодом не найдено" in staff.last_message.text
    assert "Осталось попыток: 4" in staff.last_message.text
    assert "Подтвердить профиль" in staff.last_message.button_labels


async def test_already_a_member(bot: RunningBot, emu: Emulator) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    await make_member(bot.deps, org, 2015)
    _, code = await make_invitation(bot.deps, org, created_by=ADMIN)
    staff = emu.user(2015, "Анна", "Иванова")
    await staff.open_link(ref=code)
    assert "Вы уже подтверждённый сотрудник организации МБОУ «Школа № 5»" in staff.last_message.text
    assert await bot.deps.db.fetchval("SELECT uses FROM invitations") == 0


async def test_wrong_code_limit_then_cool_down(bot: RunningBot, emu: Emulator) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    _, code = await make_invitation(bot.deps, org, created_by=ADMIN)
    staff = emu.user(2016, "Анна", "Иванова")
    await staff.say("Начать")
    await staff.tap("У меня приглашение")
    for left in (4, 3, 2, 1):
        await staff.say(new_code())
        assert f"Осталось попыток: {left}" in staff.last_message.text
        assert "Отправьте код приглашения" in staff.last_message.text
    await staff.say(new_code())
    assert "Попытки закончились" in staff.last_message.text
    # Even the right code is not looked up during the cool-down, by any way in.
    await staff.say(code)
    assert "Слишком много неверных кодов подряд. Попробуйте снова через 10 мин." in (
        staff.last_message.text
    )
    await staff.open_link(ref=code)
    assert "Слишком много неверных кодов" in staff.last_message.text
    bot.clock.advance(5 * 60)
    await staff.open_link(ref=code)
    assert "через 5 мин" in staff.last_message.text
    bot.clock.advance(5 * 60)
    await staff.open_link(ref=code)
    assert "Приглашение в организацию" in staff.last_message.text
    # Someone else is not affected by this person's mistakes.
    other = emu.user(2017, "Борис", "Борисов")
    await other.say(new_code())
    assert "Осталось попыток: 4" in other.last_message.text


async def test_revoked_while_joining_fails_cleanly(bot: RunningBot, emu: Emulator) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    inv_id, code = await make_invitation(bot.deps, org, created_by=ADMIN, name="Учителя")
    staff = emu.user(2020, "Анна", "Иванова")
    await reach_confirm(staff, code)

    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await admin.say("Начать")
    await admin.tap("Приглашения")
    await admin.tap("Активные (1)")
    await admin.tap("1")
    await admin.tap("Отозвать")
    await admin.tap("Да, отозвать")

    await staff.tap("Вступить")
    assert "отозвал это приглашение" in staff.last_message.text
    assert "Подтвердить профиль" in staff.last_message.button_labels
    assert await _membership(bot, org, 2020) is None
    row = await bot.deps.db.fetchone(
        "SELECT uses, revoked_by FROM invitations WHERE id = ?", (inv_id,)
    )
    assert tuple(row) == (0, ADMIN)
    assert await bot.deps.states.state_name(2020) is None
    assert await bot.deps.audit.entries(action="invitation.join") == []


async def test_concurrent_redemption_never_exceeds_the_limit(
    bot: RunningBot, emu: Emulator
) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    _, code = await make_invitation(bot.deps, org, created_by=ADMIN, max_uses=10)
    people = [emu.user(3000 + i, "Анна", "Иванова") for i in range(20)]
    await asyncio.gather(*(reach_confirm(p, code) for p in people))
    assert all("Вступить" in p.last_message.button_labels for p in people)

    await asyncio.gather(*(p.tap("Вступить") for p in people))

    joined = [p for p in people if "Готово!" in p.last_message.text]
    used_up = [p for p in people if "уже вступило максимальное число" in p.last_message.text]
    assert (len(joined), len(used_up)) == (10, 10)
    assert (
        await bot.deps.db.fetchval(
            "SELECT COUNT(*) FROM memberships WHERE org_id = ? AND via = 'invitation'", (org,)
        )
        == 10
    )
    assert await bot.deps.db.fetchval("SELECT uses FROM invitations") == 10
    assert {m.vk_id for m in await bot.deps.members.of_org(org)} == {p.user_id for p in joined}
    assert len(await bot.deps.audit.entries(action="invitation.join")) == 10


# --- approval and open applications ----------------------------------------------------------
async def test_invitation_needing_approval_files_an_application(
    bot: RunningBot, emu: Emulator
) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,), classes=("1Б",))
    class_id = await bot.deps.db.fetchval("SELECT id FROM classes")
    inv_id, code = await make_invitation(
        bot.deps,
        org,
        created_by=ADMIN,
        needs_approval=True,
        class_id=class_id,
        role=Role.PRESCHOOL_TEACHER,
    )
    filed = Collector()
    bot.deps.bus.subscribe(ApplicationFiled, filed)
    staff = emu.user(2030, "Анна", "Иванова")
    await staff.open_link(ref=code)
    assert "заявку «по приглашению» администратору" in staff.last_message.text
    await staff.say("Иванова Анна Сергеевна")
    await staff.say("воспитатель")
    await staff.tap("Отправить заявку")
    assert "Заявка по приглашению в МБОУ «Школа № 5» отправлена" in staff.last_message.text

    assert await _membership(bot, org, 2030) is None
    app = await bot.deps.applications.pending_for(org, 2030)
    assert app is not None
    assert (app.invitation_id, app.role, app.full_name, app.position, app.vk_name) == (
        inv_id,
        Role.PRESCHOOL_TEACHER,
        "Иванова Анна Сергеевна",
        "воспитатель",
        "Анна Иванова",
    )
    assert app.class_ids == (class_id,)
    assert [e.application_id for e in filed.events] == [app.id]
    assert await bot.deps.db.fetchval("SELECT uses FROM invitations") == 1
    joins = await bot.deps.audit.entries(action="invitation.join")
    assert joins[0].after == {"vk_id": 2030, "uses": 1, "application_id": app.id}


async def test_invitation_closes_an_open_application_to_the_same_org(
    bot: RunningBot, emu: Emulator
) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    old = await make_application(
        bot.deps, org, 2031, "Иванова Анна", position="", vk_name="Анна Иванова"
    )
    _, code = await make_invitation(bot.deps, org, created_by=ADMIN)
    withdrawn = Collector()
    bot.deps.bus.subscribe(ApplicationWithdrawn, withdrawn)
    staff = emu.user(2031, "Анна", "Иванова")
    await staff.open_link(ref=code)
    assert "будет закрыта: вы вступите по приглашению" in staff.last_message.text
    await staff.say("Иванова Анна")
    await staff.tap("Пропустить")
    await staff.tap("Вступить")
    assert "Готово!" in staff.last_message.text

    app = await bot.deps.applications.get(old)
    assert app is not None
    assert app.status is AppStatus.WITHDRAWN
    history = await bot.deps.applications.history(old)
    assert history[-1] == (
        "pending",
        "withdrawn",
        2031,
        "Сотрудник воспользовался приглашением в эту организацию",
    )
    assert [e.application_id for e in withdrawn.events] == [old]
    assert await _membership(bot, org, 2031) is not None
    joins = await bot.deps.audit.entries(action="invitation.join")
    assert joins[0].after is not None
    assert joins[0].after["withdrawn_application_id"] == old


async def test_approval_invitation_replaces_an_open_application(
    bot: RunningBot, emu: Emulator
) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    old = await make_application(bot.deps, org, 2032, "Иванова Анна", position="", vk_name="")
    inv_id, code = await make_invitation(bot.deps, org, created_by=ADMIN, needs_approval=True)
    staff = emu.user(2032, "Анна", "Иванова")
    await reach_confirm(staff, code)
    await staff.tap("Отправить заявку")
    pending = await bot.deps.applications.pending_for(org, 2032)
    assert pending is not None
    assert pending.id != old
    assert pending.invitation_id == inv_id
    old_app = await bot.deps.applications.get(old)
    assert old_app is not None
    assert old_app.status is AppStatus.WITHDRAWN


async def test_approval_invitation_respects_the_cool_down_after_rejection(
    bot: RunningBot, emu: Emulator
) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    async with bot.deps.db.transaction() as tx:
        app_id = await bot.deps.applications.create(
            tx,
            org_id=org,
            vk_id=2033,
            role=Role.SCHOOL_TEACHER,
            full_name="Иванова Анна",
            position="",
            vk_name="",
            class_ids=(),
            invitation_id=None,
            now=bot.clock.now(),
        )
        app = await bot.deps.applications.get_in(tx, app_id or 0)
        assert app is not None
        await bot.deps.applications.transition(
            tx,
            app,
            AppStatus.REJECTED,
            actor_id=ADMIN,
            now=bot.clock.now(),
            reason_code="not_employee",
        )
    _, code = await make_invitation(bot.deps, org, created_by=ADMIN, needs_approval=True)
    staff = emu.user(2033, "Анна", "Иванова")
    await staff.open_link(ref=code)
    assert "Вашу заявку в МБОУ «Школа № 5» недавно отклонили" in staff.last_message.text
    assert "через 24 ч" in staff.last_message.text
    assert await bot.deps.db.fetchval("SELECT uses FROM invitations") == 0


# --- administrators: listing, revoking, rights -----------------------------------------------
async def test_list_shows_figures_and_revoke_needs_confirmation(
    bot: RunningBot, emu: Emulator
) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await bot.deps.users.ensure(ADMIN, locale="ru", now=bot.clock.now())
    await bot.deps.users.set_names(ADMIN, "Ольга", "Смирнова", bot.clock.now())
    direct_id, direct = await make_invitation(
        bot.deps, org, created_by=ADMIN, max_uses=10, days=7, name="Учителя"
    )
    bot.clock.advance(60)
    _, approval = await make_invitation(
        bot.deps, org, created_by=ADMIN, role=None, needs_approval=True, name="Все"
    )
    expired_id, _ = await make_invitation(bot.deps, org, created_by=ADMIN, days=1, name="Старое")
    staff = emu.user(2040, "Анна", "Иванова")
    await reach_confirm(staff, direct)
    await staff.tap("Вступить")
    waiting = emu.user(2041, "Борис", "Борисов")
    await waiting.open_link(ref=approval)
    await waiting.tap("Другой сотрудник")
    await waiting.say("Борисов Борис")
    await waiting.tap("Пропустить")
    await waiting.tap("Отправить заявку")
    bot.clock.advance(DAY)

    await admin.say("Начать")
    await admin.tap("Приглашения")
    assert "Активных: 2" in admin.last_message.text
    await admin.tap("Активные (2)")
    listing = admin.last_message.text
    assert "1. Все — Любая роль" in listing
    assert "2. Учителя — Учитель (школа)" in listing
    assert "Старое" not in listing
    assert "использовано: 1 из 10 · вступили: 1 · ждут решения: 0" in listing
    assert "использовано: 1 (без ограничения) · вступили: 0 · ждут решения: 1" in listing
    assert "создал(а): Ольга Смирнова" in listing
    assert "до " in listing
    assert "(МСК)" in listing
    assert "бессрочно" in listing

    await admin.tap("2")
    assert "Вступили: 1, ждут решения: 0" in admin.last_message.text
    await admin.tap("Отозвать")
    assert "Отозвать приглашение «Учителя»?" in admin.last_message.text
    assert (
        await bot.deps.db.fetchval("SELECT revoked_at FROM invitations WHERE id = ?", (direct_id,))
        is None
    )
    yes = next(b for b in admin.last_message.buttons if b.label == "Да, отозвать")
    await admin.tap("Да, отозвать")
    assert "Приглашение «Учителя» отозвано" in admin.last_message.text
    # A second press of the same confirmation changes nothing.
    assert isinstance(yes.payload, dict)
    await admin.press_payload(yes.payload)
    assert "уже отозвано" in admin.last_message.text
    revokes = await bot.deps.audit.entries(action="invitation.revoke")
    assert [(e.actor_id, e.object_id) for e in revokes] == [(ADMIN, direct_id)]
    await admin.tap("К приглашениям")
    assert "Активные приглашения МБОУ «Школа № 5»: 1" in admin.last_message.text
    # The member who joined by it stays.
    assert await _membership(bot, org, 2040) is not None
    assert expired_id


async def test_admin_of_several_organizations_picks_one(bot: RunningBot, emu: Emulator) -> None:
    await make_org(bot.deps, "Гимназия № 1", admins=(ADMIN,))
    second = await make_org(bot.deps, "Лицей № 2", admins=(ADMIN,))
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await admin.say("Начать")
    await admin.tap("Приглашения")
    assert "Выберите организацию" in admin.last_message.text
    await admin.tap("Лицей № 2")
    await admin.tap("Создать приглашение")
    assert "Новое приглашение в «Лицей № 2»" in admin.last_message.text
    await admin.tap("Любая роль")
    await admin.tap("1 день")
    await admin.tap("1 человек")
    await admin.tap("Подтверждать сразу")
    await admin.tap("Без названия")
    await admin.tap("Создать")
    assert await bot.deps.db.fetchval("SELECT org_id FROM invitations") == second


async def test_non_admin_cannot_open_invitations(bot: RunningBot, emu: Emulator) -> None:
    await make_org(bot.deps, admins=(ADMIN,))
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await admin.say("Начать")
    menu_button = next(b for b in admin.last_message.buttons if b.label == "Приглашения")
    staff = emu.user(2050, "Анна", "Иванова")
    await staff.say("Начать")
    assert "Приглашения" not in staff.last_message.button_labels
    await staff.press_payload(menu_button.raw_payload or "", callback=False, text="Приглашения")
    assert "только её администраторы" in staff.last_message.text


async def test_other_admins_cannot_create_list_or_revoke(bot: RunningBot, emu: Emulator) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    await make_org(bot.deps, "Лицей № 2", admins=(600,))
    inv_id, _ = await make_invitation(bot.deps, org, created_by=ADMIN)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await admin.say("Начать")
    await admin.tap("Приглашения")
    org_screen = admin.last_message
    buttons = {b.label: b for b in org_screen.buttons}
    await admin.tap("Активные (1)")
    await admin.tap("1")
    await admin.tap("Отозвать")
    confirm = {b.label: b for b in admin.last_message.buttons}

    intruder = emu.user(600, "Пётр", "Чужой")
    await intruder.say("Начать")
    for label, button in [
        ("Создать приглашение", buttons["Создать приглашение"]),
        ("Активные (1)", buttons["Активные (1)"]),
        ("Да, отозвать", confirm["Да, отозвать"]),
    ]:
        before = len(intruder.messages)
        await intruder.press_payload(button.raw_payload or "", callback=False, text=label)
        assert len(intruder.messages) == before + 1
        assert "только её администраторы" in intruder.last_message.text, label
    assert await bot.deps.states.state_name(600) is None
    assert (
        await bot.deps.db.fetchval("SELECT revoked_at FROM invitations WHERE id = ?", (inv_id,))
        is None
    )
    assert await bot.deps.audit.entries(action="invitation.revoke") == []


async def test_rights_are_rechecked_at_every_step(bot: RunningBot, emu: Emulator) -> None:
    org = await make_org(bot.deps, admins=(ADMIN, 601))
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await admin.say("Начать")
    await admin.tap("Приглашения")
    await admin.tap("Создать приглашение")
    await admin.tap("Любая роль")
    await admin.tap("бессрочно")
    async with bot.deps.db.transaction() as tx:
        await bot.deps.orgs.remove_admin(tx, org, ADMIN, bot.clock.now(), 601)
    await admin.tap("без ограничения")
    assert "только её администраторы" in admin.last_message.text
    assert await bot.deps.states.state_name(ADMIN) is None
    assert await bot.deps.db.fetchval("SELECT COUNT(*) FROM invitations") == 0


# --- codes -----------------------------------------------------------------------------------
def test_codes_are_random_short_and_parse_from_links() -> None:
    codes = {new_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(re.fullmatch(r"[A-Z2-7]{16}", c) for c in codes)  # 16 x 5 bits = 80 bits
    code = next(iter(codes))
    assert parse_code(code.lower()) == code
    assert parse_code(f"{code[:4]}-{code[4:8]} {code[8:]}") == code
    assert parse_code(f"https://vk.me/club1?ref={code}&ref_source=qr") == code
    assert parse_code("Иванова Анна") is None
    assert parse_code(code[:15]) is None
    assert hash_code(code) != hash_code(code.lower())
    assert len(hash_code(code)) == 64


async def test_invitation_of_an_archived_organization(bot: RunningBot, emu: Emulator) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    _, code = await make_invitation(bot.deps, org, created_by=ADMIN)
    async with bot.deps.db.transaction() as tx:
        await bot.deps.orgs.set_archived(tx, org, True, bot.clock.now(), None)
    staff = emu.user(2060, "Анна", "Иванова")
    await staff.open_link(ref=code)
    assert "больше не принимает сотрудников" in staff.last_message.text
    assert "Подтвердить профиль" in staff.last_message.button_labels


async def test_english_speaker_joins_in_english(bot: RunningBot, emu: Emulator) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    _, code = await make_invitation(bot.deps, org, created_by=ADMIN)
    staff = emu.user(2061, "Anna", "Smith", lang_id=3)
    await staff.open_link(ref=code)
    assert "Invitation to МБОУ «Школа № 5»." in staff.last_message.text
    await staff.tap("Smith Anna")
    await staff.tap("Skip")
    await staff.tap("Join")
    assert "Done! You are a verified employee" in staff.last_message.text


async def test_organization_picker_pages_within_vk_limits(bot: RunningBot, emu: Emulator) -> None:
    for n in range(1, 8):
        await make_org(bot.deps, f"Школа № {n}", admins=(ADMIN,))
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await admin.say("Начать")
    await admin.tap("Приглашения")
    first = admin.last_message.button_labels
    assert first == [*(f"Школа № {n}" for n in range(1, 6)), "В меню", "Далее →"]
    await admin.tap("Далее →")
    assert admin.last_message.button_labels == ["Школа № 6", "Школа № 7", "← Назад", "В меню"]
    await admin.tap("Школа № 7")
    assert "Приглашения организации «Школа № 7»" in admin.last_message.text
    await admin.tap("Другая организация")
    assert admin.last_message.button_labels == first


async def test_class_picker_pages_within_vk_limits(bot: RunningBot, emu: Emulator) -> None:
    classes = tuple(f"{n}А" for n in range(1, 10))
    await make_org(bot.deps, admins=(ADMIN,), classes=classes)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await admin.say("Начать")
    await admin.tap("Приглашения")
    await admin.tap("Создать приглашение")
    await admin.tap("Любая роль")
    first_page = [*classes[:6], "Без класса", "Далее →", "Отмена"]
    assert admin.last_message.button_labels == first_page
    await admin.tap("Далее →")
    assert admin.last_message.button_labels == ["7А", "8А", "9А", "Без класса", "← Назад", "Отмена"]
    await admin.tap("9А")
    await admin.tap("бессрочно")
    await admin.tap("без ограничения")
    await admin.tap("Подтверждать сразу")
    await admin.tap("Без названия")
    assert "Класс: 9А" in admin.last_message.text


@given(st.text(max_size=120))
def test_full_name_normalisation_is_idempotent_and_bounded(text: str) -> None:
    try:
        name = parse_full_name(text)
    except BadInput:
        return
    assert parse_full_name(name) == name
    assert 2 <= len(name.split()) <= 3
    assert len(name) <= 100
    assert all(ch.isalpha() or ch in " -'" for ch in name)


@given(st.text(max_size=150))
def test_free_text_lines_are_bounded_and_clean(text: str) -> None:
    try:
        line = parse_line(text, 100)
    except BadInput:
        return
    assert 0 < len(line) <= 100
    assert line == " ".join(line.split())
    assert parse_line(line, 100) == line
