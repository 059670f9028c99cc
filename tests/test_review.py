"""Administrators decide applications from VK Messenger: prompt, approve, reject, races,
strangers, delivery, reminders and expiry."""

from __future__ import annotations

import asyncio
import json
from collections import Counter

import pytest

from bot.events import ApplicationFiled, ApplicationWithdrawn, MemberVerified
from bot.sandbox.vk import Emulator
from bot.text import msk_datetime
from keyboards.review import RvApprove
from storage.models import AppStatus, Role
from tests.factories import make_member, make_org
from tests.harness import SUPERADMIN, RunningBot
from tests.review_helpers import (
    class_ids,
    file_application,
    make_invitation,
    members_count,
    prompt,
    status,
)

HOUR = 3600
DAY = 24 * HOUR
APPLICANT = 1001
ADMIN, ADMIN2, ADMIN3 = 2001, 2002, 2003


async def test_prompt_reaches_every_admin_in_one_call(bot: RunningBot, emu: Emulator) -> None:
    olga = emu.user(ADMIN, "Ольга", "Смирнова")
    igor = emu.user(ADMIN2, "Игорь", "Кузнецов")
    emu.user(APPLICANT, "Анна", "Иванова")
    deps = bot.deps
    org = await make_org(deps, short_name="Школа № 5", admins=(ADMIN, ADMIN2), classes=("5А", "7Б"))
    invitation = await make_invitation(deps, org, ADMIN)
    emu.reset_calls()
    app_id = await file_application(
        deps, org, APPLICANT, class_ids=await class_ids(deps, org), invitation_id=invitation
    )
    sends = [p for m, p in emu.calls if m == "messages.send"]
    assert len(sends) == 1
    assert sorted(sends[0]["peer_ids"].split(",")) == ["2001", "2002"]
    for admin in (olga, igor):
        shown = prompt(admin, app_id)
        assert shown.text.splitlines()[:8] == [
            f"Заявка № {app_id} · Школа № 5",
            "ФИО: Иванова Анна Сергеевна",
            f"Профиль ВКонтакте: Анна Иванова — vk.com/id{APPLICANT}",
            "Роль: Учитель (школа)",
            "Должность: учитель математики",
            "Классы: 5А, 7Б",
            f"Подана: {msk_datetime(bot.clock.now())} МСК",
            "Пришла по ссылке-приглашению",
        ]
        assert shown.button_labels == ["Принять", "Отклонить"]
        assert all(b.type == "callback" for b in shown.buttons)
        assert all(len(b.raw_payload or "") <= 255 for b in shown.buttons)
    stored = await deps.db.fetchall(
        "SELECT admin_id, conversation_message_id, delivered FROM review_prompts"
        " WHERE application_id = ? ORDER BY admin_id",
        (app_id,),
    )
    assert [tuple(r) for r in stored] == [
        (ADMIN, prompt(olga, app_id).conversation_message_id, 1),
        (ADMIN2, prompt(igor, app_id).conversation_message_id, 1),
    ]
    # Publishing again (a retried event) prompts nobody twice.
    await deps.bus.publish(ApplicationFiled(app_id))
    await deps.outbox.flush()
    assert len(olga.messages) == 1
    assert len(igor.messages) == 1


async def test_approve_verifies_tells_applicant_and_edits_every_prompt(
    bot: RunningBot, emu: Emulator
) -> None:
    olga = emu.user(ADMIN, "Ольга", "Смирнова")
    igor = emu.user(ADMIN2, "Игорь", "Кузнецов")
    anna = emu.user(APPLICANT, "Анна", "Иванова")
    deps = bot.deps
    verified: list[int] = []

    async def on_verified(event: MemberVerified) -> None:
        verified.append(event.membership_id)

    deps.bus.subscribe(MemberVerified, on_verified)
    org = await make_org(deps, short_name="Школа № 5", admins=(ADMIN, ADMIN2), classes=("5А",))
    classes = await class_ids(deps, org)
    app_id = await file_application(deps, org, APPLICANT, class_ids=classes)

    event = await olga.tap("Принять", message=prompt(olga, app_id))

    assert len(olga.answers_for(event)) == 1
    assert olga.snackbars == [f"Заявка № {app_id} принята"]
    assert await status(deps, app_id) == "approved"
    member = await deps.members.active(org, APPLICANT)
    assert member is not None
    assert (member.role, member.full_name, member.position, member.class_ids) == (
        Role.SCHOOL_TEACHER,
        "Иванова Анна Сергеевна",
        "учитель математики",
        classes,
    )
    assert verified == [member.id]
    notice = anna.last_message
    assert notice.text.startswith("✅ Сотрудник · Школа № 5\n")
    assert "контакты организации" in notice.text
    assert {"Контакты организации", "Мой профиль"} <= set(notice.button_labels)
    decided = f"✅ Принята: Ольга Смирнова, {msk_datetime(bot.clock.now())} МСК"
    for admin in (olga, igor):
        shown = prompt(admin, app_id)
        assert shown.edited
        assert shown.keyboard is None
        assert shown.text.endswith(decided)
    # The audit log holds who, when, before and after.
    [entry] = await deps.audit.entries(action="application.approved", object_id=app_id)
    assert (entry.actor_id, entry.at, entry.before, entry.after) == (
        ADMIN,
        bot.clock.now(),
        {"status": "pending"},
        {"status": "approved"},
    )
    assert await deps.applications.history(app_id) == [
        (None, "pending", APPLICANT, None),
        ("pending", "approved", ADMIN, None),
    ]


@pytest.mark.parametrize("n_admins", [1, 3])
async def test_vk_calls_of_one_verification(bot: RunningBot, emu: Emulator, n_admins: int) -> None:
    admins = [emu.user(ADMIN + i, "Админ", str(i)) for i in range(n_admins)]
    anna = emu.user(APPLICANT, "Анна", "Иванова")
    org = await make_org(bot.deps, admins=tuple(a.user_id for a in admins))
    emu.reset_calls()
    app_id = await file_application(bot.deps, org, APPLICANT)
    await admins[0].tap("Принять", message=prompt(admins[0], app_id))
    assert anna.last_message.text.startswith("✅ Сотрудник")
    # One batched prompt, the press answer, the decider's name (asked once, then kept),
    # the applicant's notice, and one edit per administrator's prompt.
    assert Counter(m for m, _ in emu.calls) == {
        "messages.send": 2,
        "messages.sendMessageEventAnswer": 1,
        "users.get": 1,
        "messages.edit": n_admins,
    }
    # The next verification decided by the same administrator no longer asks for the name.
    emu.user(APPLICANT + 1, "Борис", "Петров")
    emu.reset_calls()
    second = await file_application(bot.deps, org, APPLICANT + 1)
    await admins[0].tap("Принять", message=prompt(admins[0], second))
    assert len(emu.calls) == 3 + n_admins


async def test_reject_with_preset_reason(bot: RunningBot, emu: Emulator) -> None:
    olga = emu.user(ADMIN, "Ольга", "Смирнова")
    anna = emu.user(APPLICANT, "Анна", "Иванова")
    deps = bot.deps
    org = await make_org(deps, short_name="Школа № 5", admins=(ADMIN,))
    app_id = await file_application(deps, org, APPLICANT)

    await olga.tap("Отклонить", message=prompt(olga, app_id))
    reasons = prompt(olga, app_id)  # the prompt itself now asks for the reason
    assert reasons.text.endswith("Выберите причину отказа:")
    assert reasons.button_labels == [
        "Не работает в организации",
        "ФИО не совпадает с документами",
        "Повторная заявка",
        "Другое",
        "Назад",
    ]
    assert await status(deps, app_id) == "pending"
    # "Назад" brings the decision buttons back; nothing is decided.
    await olga.tap("Назад", message=reasons)
    assert prompt(olga, app_id).button_labels == ["Принять", "Отклонить"]
    await olga.tap("Отклонить", message=prompt(olga, app_id))
    event = await olga.tap("ФИО не совпадает", message=prompt(olga, app_id))

    assert len(olga.answers_for(event)) == 1
    assert olga.snackbars[-1] == f"Заявка № {app_id} отклонена"
    app = await deps.applications.get(app_id)
    assert app is not None
    assert app.status is AppStatus.REJECTED
    assert (app.reason_code, app.reason_text, app.decided_by) == ("name_mismatch", None, ADMIN)
    assert await members_count(deps, org) == 0
    again = msk_datetime(bot.clock.now() + 24 * HOUR)
    assert anna.last_message.text == (
        f"Ваша заявка № {app_id} в «Школа № 5» отклонена.\n"
        "Причина: ФИО не совпадает с документами\n"
        f"Подать новую заявку можно после {again} МСК."
    )
    shown = prompt(olga, app_id)
    assert shown.keyboard is None
    assert shown.text.endswith(
        f"❌ Отклонена: Ольга Смирнова, {msk_datetime(bot.clock.now())} МСК\n"
        "Причина: ФИО не совпадает с документами"
    )
    [entry] = await deps.audit.entries(action="application.rejected", object_id=app_id)
    assert (entry.actor_id, entry.reason, entry.before, entry.after) == (
        ADMIN,
        "name_mismatch",
        {"status": "pending"},
        {"status": "rejected"},
    )


async def test_reject_with_typed_reason(bot: RunningBot, emu: Emulator) -> None:
    olga = emu.user(ADMIN, "Ольга", "Смирнова")
    anna = emu.user(APPLICANT, "Анна", "Иванова")
    deps = bot.deps
    org = await make_org(deps, admins=(ADMIN,))
    app_id = await file_application(deps, org, APPLICANT)

    await olga.tap("Отклонить", message=prompt(olga, app_id))
    await olga.tap("Другое", message=prompt(olga, app_id))
    assert "Напишите причину отказа" in prompt(olga, app_id).text
    await olga.send_sticker()
    assert olga.last_message.text.startswith("Напишите причину словами.")
    await olga.say("x" * 301)
    assert olga.last_message.text.startswith("Причина длиннее 300 символов (сейчас 301)")
    await olga.say("😀😀")
    assert olga.last_message.text.startswith("Напишите причину словами.")
    assert await status(deps, app_id) == "pending"

    await olga.say("  Не нашли вас   в списке сотрудников  ")
    confirm = olga.last_message
    assert confirm.text == (
        f"Отклонить заявку № {app_id} (Иванова Анна Сергеевна)?\n"
        "Причина: Не нашли вас в списке сотрудников"
    )
    await olga.tap("Отклонить", message=confirm)

    app = await deps.applications.get(app_id)
    assert app is not None
    assert app.status is AppStatus.REJECTED
    assert (app.reason_code, app.reason_text) == ("other", "Не нашли вас в списке сотрудников")
    assert "Причина: Не нашли вас в списке сотрудников" in anna.last_message.text
    assert prompt(olga, app_id).keyboard is None
    # The confirmation now shows the outcome too.
    assert olga.last_message.text.startswith(f"Заявка № {app_id} ·")
    assert olga.last_message.keyboard is None
    assert await deps.states.state_name(ADMIN) is None
    [entry] = await deps.audit.entries(action="application.rejected", object_id=app_id)
    assert entry.reason == "Не нашли вас в списке сотрудников"


async def test_first_decision_wins_ten_taps_three_admins(bot: RunningBot, emu: Emulator) -> None:
    admins = [
        emu.user(ADMIN, "Ольга", "Смирнова"),
        emu.user(ADMIN2, "Игорь", "Кузнецов"),
        emu.user(ADMIN3, "Мария", "Орлова"),
    ]
    emu.user(APPLICANT, "Анна", "Иванова")
    deps = bot.deps
    org = await make_org(deps, admins=(ADMIN, ADMIN2, ADMIN3))
    app_id = await file_application(deps, org, APPLICANT)
    prompts = [prompt(a, app_id) for a in admins]
    taps = [(admins[i % 3], prompts[i % 3]) for i in range(10)]

    events = await asyncio.gather(*(a.tap("Принять", message=m) for a, m in taps))

    assert await status(deps, app_id) == "approved"
    assert await members_count(deps, org) == 1
    assert len(await deps.applications.history(app_id)) == 2
    assert len(await deps.audit.entries(action="application.approved")) == 1
    assert all(len(admins[0].answers_for(e)) == 1 for e in events)
    snackbars = [s for a in admins for s in a.snackbars]
    assert len(snackbars) == 10
    assert snackbars.count(f"Заявка № {app_id} принята") == 1
    app = await deps.applications.get(app_id)
    assert app is not None
    assert app.decided_by is not None
    winner = {ADMIN: "Ольга Смирнова", ADMIN2: "Игорь Кузнецов", ADMIN3: "Мария Орлова"}
    already = f"Уже принята: {winner[app.decided_by]}, {msk_datetime(bot.clock.now())}"
    assert snackbars.count(already) == 9


async def test_strangers_and_forged_payloads_change_nothing(bot: RunningBot, emu: Emulator) -> None:
    olga = emu.user(ADMIN, "Ольга", "Смирнова")
    emu.user(ADMIN2, "Игорь", "Кузнецов")
    emu.user(APPLICANT, "Анна", "Иванова")
    stranger = emu.user(3001, "Пётр", "Чужой")
    staff = emu.user(3002, "Семён", "Учитель")
    other_admin = emu.user(3003, "Вера", "Соседняя")
    deps = bot.deps
    org = await make_org(deps, admins=(ADMIN, ADMIN2))
    await make_org(deps, "Гимназия № 2", admins=(3003,))
    await make_member(deps, org, 3002)
    app_id = await file_application(deps, org, APPLICANT)
    approve = prompt(olga, app_id).buttons[0].payload
    reject = prompt(olga, app_id).buttons[1].payload
    assert isinstance(approve, dict)
    assert isinstance(reject, dict)
    # Olga loses her rights after the prompt reached her.
    async with deps.db.transaction() as tx:
        assert await deps.orgs.remove_admin(tx, org, ADMIN, bot.clock.now(), None)

    for person in (stranger, staff, other_admin, olga):
        for payload in (approve, reject):
            event = await person.press_payload(payload)
            assert len(person.answers_for(event)) == 1
        assert person.snackbars[-2:] == ["Нет прав", "Нет прав"], person

    forged = dict(approve, s="AAAAAAAAAAA")
    other_app = dict(approve, a=app_id + 1)
    new_version = dict(approve, v=2)
    huge = dict(approve, x="я" * 300)
    unknown = bot.deps.signer.pack(RvApprove(a=app_id + 100))
    for bad in (forged, other_app, new_version, huge, unknown):
        event = await stranger.press_payload(bad)
        assert len(stranger.answers_for(event)) == 1
        assert stranger.snackbars[-1] == "Кнопка устарела", bad
    # VK delivers a callback's payload as an object; malformed text reaches the bot only as a
    # text button's payload. These, and the forgeries above as text buttons, get the menu back.
    for raw in ("{not json", "[1, 2]", json.dumps(forged), json.dumps(huge)):
        await staff.press_payload(raw, callback=False, text="Принять")
        assert staff.last_message.text.startswith("Эта кнопка устарела"), raw
    await staff.press_payload(json.dumps(approve), callback=False, text="Принять")
    assert staff.last_message.text == "Нет прав"

    assert await status(deps, app_id) == "pending"
    assert await members_count(deps, org) == 1  # only the staff member made by the factory
    assert await deps.applications.history(app_id) == [(None, "pending", APPLICANT, None)]


async def test_admin_who_disallowed_messages_is_reported(bot: RunningBot, emu: Emulator) -> None:
    olga = emu.user(ADMIN, "Ольга", "Смирнова")
    emu.user(ADMIN2, "Игорь", "Кузнецов", allowed=False)
    boss = emu.user(SUPERADMIN, "Главный", "Админ")
    emu.user(APPLICANT, "Анна", "Иванова")
    deps = bot.deps
    org = await make_org(deps, short_name="Школа № 5", admins=(ADMIN, ADMIN2))
    app_id = await file_application(deps, org, APPLICANT)

    assert prompt(olga, app_id).button_labels == ["Принять", "Отклонить"]
    assert emu.sent_to(ADMIN2) == []
    assert boss.last_message.text == (
        f"⚠️ Заявка № {app_id} в «Школа № 5» не доставлена администратору: "
        f"Игорь Кузнецов (vk.com/id{ADMIN2}). Они не разрешили сообщения от сообщества.\n"
        "Заявка ждёт решения других администраторов."
    )
    delivered = await deps.db.fetchall(
        "SELECT admin_id, delivered FROM review_prompts WHERE application_id = ? ORDER BY admin_id",
        (app_id,),
    )
    assert [tuple(r) for r in delivered] == [(ADMIN, 1), (ADMIN2, 0)]
    igor = await deps.users.get(ADMIN2)
    assert igor is not None
    assert not igor.messages_allowed
    assert await status(deps, app_id) == "pending"
    # The others still decide.
    await olga.tap("Принять", message=prompt(olga, app_id))
    assert await status(deps, app_id) == "approved"


async def test_no_admin_reachable_is_reported(bot: RunningBot, emu: Emulator) -> None:
    emu.user(ADMIN, "Ольга", "Смирнова", allowed=False)
    boss = emu.user(SUPERADMIN, "Главный", "Админ")
    emu.user(APPLICANT, "Анна", "Иванова")
    org = await make_org(bot.deps, short_name="Школа № 5", admins=(ADMIN,))
    app_id = await file_application(bot.deps, org, APPLICANT)
    assert boss.last_message.text.endswith(
        "Никто из администраторов её не получил: назначьте того, кто может получать сообщения."
    )
    orphan = await make_org(bot.deps, "Сад № 1", short_name="Сад № 1")
    lonely = await file_application(bot.deps, orphan, APPLICANT)
    assert boss.last_message.text == (
        f"⚠️ У «Сад № 1» нет администраторов: заявка № {lonely} ждёт, пока их назначат."
    )
    assert await status(bot.deps, app_id) == "pending"


async def test_restart_between_prompt_and_tap(bot: RunningBot, emu: Emulator) -> None:
    olga = emu.user(ADMIN, "Ольга", "Смирнова")
    anna = emu.user(APPLICANT, "Анна", "Иванова")
    org = await make_org(bot.deps, admins=(ADMIN,))
    app_id = await file_application(bot.deps, org, APPLICANT)
    await bot.restart()
    event = await olga.tap("Принять", message=prompt(olga, app_id))
    assert len(olga.answers_for(event)) == 1
    assert await status(bot.deps, app_id) == "approved"
    assert anna.last_message.text.startswith("✅ Сотрудник")


async def test_withdrawn_application_cannot_be_approved(bot: RunningBot, emu: Emulator) -> None:
    olga = emu.user(ADMIN, "Ольга", "Смирнова")
    igor = emu.user(ADMIN2, "Игорь", "Кузнецов")
    anna = emu.user(APPLICANT, "Анна", "Иванова")
    deps = bot.deps
    org = await make_org(deps, admins=(ADMIN, ADMIN2))
    app_id = await file_application(deps, org, APPLICANT)
    app = await deps.applications.get(app_id)
    assert app is not None
    bot.clock.advance(600)
    async with deps.db.transaction() as tx:
        assert await deps.applications.transition(
            tx, app, AppStatus.WITHDRAWN, actor_id=APPLICANT, now=bot.clock.now()
        )
    before = len(anna.messages)

    event = await olga.tap("Принять", message=prompt(olga, app_id))

    assert len(olga.answers_for(event)) == 1
    assert olga.snackbars == [f"Заявитель отозвал заявку {msk_datetime(bot.clock.now())}"]
    assert await status(deps, app_id) == "withdrawn"
    assert await members_count(deps, org) == 0
    assert len(anna.messages) == before
    # The pressed prompt now shows where the application stands.
    withdrawn = f"↩️ Отозвана заявителем, {msk_datetime(bot.clock.now())} МСК"
    assert prompt(olga, app_id).text.endswith(withdrawn)
    assert prompt(olga, app_id).keyboard is None
    # The withdrawal event edits everyone's prompt.
    await deps.bus.publish(ApplicationWithdrawn(app_id))
    await deps.outbox.flush()
    assert prompt(igor, app_id).text.endswith(withdrawn)
    assert prompt(igor, app_id).keyboard is None


async def test_reminders_once_a_day_across_restarts(bot: RunningBot, emu: Emulator) -> None:
    olga = emu.user(ADMIN, "Ольга", "Смирнова")
    emu.user(APPLICANT, "Анна", "Иванова")
    emu.user(1002, "Борис", "Петров")
    deps = bot.deps
    org = await make_org(deps, short_name="Школа № 5", admins=(ADMIN,))
    other = await make_org(deps, "Гимназия № 2", short_name="Гимназия № 2", admins=(ADMIN,))
    first = await file_application(deps, org, APPLICANT)
    filed = msk_datetime(bot.clock.now())
    await file_application(deps, org, 1002, "Петров Борис")
    await file_application(deps, other, APPLICANT)

    def reminders() -> list[str]:
        return [m.text for m in olga.messages if m.text.startswith("Напоминание")]

    bot.clock.advance(23 * HOUR)
    assert "review-remind" not in await bot.scheduler.run_due()
    assert reminders() == []

    # Down while the reminder comes due: it goes out when the bot is back, not skipped.
    await bot.stop()
    bot.clock.advance(2 * HOUR)
    await bot.start()
    await emu.until(lambda: len(reminders()) == 1)
    assert reminders()[0] == (
        "Напоминание: эти заявки ждут вашего решения дольше 24 ч.\n"
        f"• Школа № 5: 2 (самая ранняя — № {first} от {filed} МСК)\n"
        f"• Гимназия № 2: 1 (самая ранняя — № {first + 2} от {filed} МСК)\n\n"
        "Откройте «Заявки», чтобы принять или отклонить их."
    )
    assert olga.messages[-1].button_labels == ["Открыть заявки"]
    # Neither another run nor another restart repeats it.
    assert "review-remind" not in await bot.scheduler.run_due()
    await bot.restart()
    assert "review-remind" not in await bot.scheduler.run_due()
    assert len(reminders()) == 1
    reminded = await bot.deps.db.fetchval("SELECT COUNT(*) FROM applications WHERE reminded_at > 0")
    assert reminded == 3

    bot.clock.advance(DAY)
    assert "review-remind" in await bot.scheduler.run_due()
    assert len(reminders()) == 2


async def test_expiry_closes_without_an_admin(bot: RunningBot, emu: Emulator) -> None:
    olga = emu.user(ADMIN, "Ольга", "Смирнова")
    anna = emu.user(APPLICANT, "Анна", "Иванова")
    deps = bot.deps
    org = await make_org(deps, short_name="Школа № 5", admins=(ADMIN,))
    app_id = await file_application(deps, org, APPLICANT)
    bot.clock.advance(14 * DAY - HOUR)
    await bot.scheduler.run_due()
    assert await status(deps, app_id) == "pending"

    # The deadline passes while the bot is down: the expiry runs when it is back.
    await bot.stop()
    bot.clock.advance(2 * HOUR)
    await bot.start()
    deps = bot.deps
    # The applicant is told first, then the prompts are edited: the edit marks the end.
    await emu.until(lambda: prompt(olga, app_id).edited)

    assert await status(deps, app_id) == "expired"
    assert (await deps.applications.history(app_id))[-1] == ("pending", "expired", None, None)
    [entry] = await deps.audit.entries(action="application.expired", object_id=app_id)
    assert entry.actor_id is None
    assert await deps.audit.entries(action="application.rejected") == []
    assert anna.last_message.text == (
        f"Заявка № {app_id} в «Школа № 5» не была рассмотрена за 14 дн. и закрыта."
        " Вы можете подать новую заявку."
    )
    assert "Подтвердить профиль" in anna.last_message.button_labels
    shown = prompt(olga, app_id)
    assert shown.keyboard is None
    assert shown.text.endswith(
        f"⌛ Истекла: не рассмотрена за 14 дн., {msk_datetime(bot.clock.now())} МСК"
    )
    # An expired application is neither reminded about nor expired again.
    admin_messages, notices = len(olga.messages), len(anna.messages)
    assert "review-expire" not in await bot.scheduler.run_due()
    bot.clock.advance(DAY)
    assert "review-remind" in await bot.scheduler.run_due()
    assert (len(olga.messages), len(anna.messages)) == (admin_messages, notices)
    assert len(await bot.deps.audit.entries(action="application.expired")) == 1


async def test_review_list_pages_decides_and_approves_all(bot: RunningBot, emu: Emulator) -> None:
    olga = emu.user(ADMIN, "Ольга", "Смирнова")
    deps = bot.deps
    org = await make_org(deps, short_name="Школа № 5", admins=(ADMIN,))
    ids = []
    for n in range(5):
        emu.user(1001 + n, "Сотрудник", str(n))
        ids.append(await file_application(deps, org, 1001 + n, f"Сотрудник Номер {n}"))
        bot.clock.advance(60)

    await olga.say("Начать")
    await olga.tap("Заявки (5)")
    page = olga.last_message
    assert page.text.startswith("Заявки на рассмотрении · Школа № 5: 5 (стр. 1 из 2)")
    assert [f"Заявка № {i} ·" in page.text for i in ids] == [True] * 3 + [False] * 2
    assert page.button_labels == [
        f"Принять № {ids[0]}",
        f"Отклонить № {ids[0]}",
        f"Принять № {ids[1]}",
        f"Отклонить № {ids[1]}",
        f"Принять № {ids[2]}",
        f"Отклонить № {ids[2]}",
        "Далее ›",
        "Принять все (5)",
        "В меню",
    ]
    await olga.tap("Далее ›", message=page)
    assert "стр. 2 из 2" in page.text  # the same message, edited in place
    await olga.tap(f"Принять № {ids[3]}", message=page)
    assert await status(deps, ids[3]) == "approved"
    assert page.text.startswith("Заявки на рассмотрении · Школа № 5: 4 (стр. 2 из 2)")
    assert prompt(olga, ids[3]).keyboard is None

    await olga.tap(f"Отклонить № {ids[4]}", message=page)
    await olga.tap("Повторная заявка", message=page)
    assert await status(deps, ids[4]) == "rejected"
    assert page.text.startswith("Заявки на рассмотрении · Школа № 5: 3 (стр. 1 из 1)")

    await olga.tap("Принять все (3)", message=page)
    assert page.text.startswith("Принять все заявки в «Школа № 5» (3)?")
    # One more arrives while the confirmation is on screen: it is not approved blindly.
    late = await file_application(deps, org, 1010, "Опоздавший Сотрудник")
    await olga.tap("Да, принять 3", message=page)
    assert olga.snackbars[-1] == "Принято заявок: 3"
    assert [await status(deps, i) for i in ids[:3]] == ["approved"] * 3
    assert await status(deps, late) == "pending"
    assert page.text.startswith("Заявки на рассмотрении · Школа № 5: 1 (стр. 1 из 1)")
    assert await members_count(deps, org) == 4


async def test_admin_of_several_orgs_picks_one(bot: RunningBot, emu: Emulator) -> None:
    olga = emu.user(ADMIN, "Ольга", "Смирнова")
    emu.user(APPLICANT, "Анна", "Иванова")
    deps = bot.deps
    first = await make_org(deps, "Гимназия № 2", short_name="Гимназия № 2", admins=(ADMIN,))
    await make_org(deps, "Школа № 5", short_name="Школа № 5", admins=(ADMIN,))
    await file_application(deps, first, APPLICANT)
    await olga.say("Начать")
    menu_review = next(b for b in olga.last_message.buttons if b.label == "Заявки (1)")
    await olga.tap("Заявки (1)")
    assert olga.last_message.text == "Выберите организацию, чьи заявки хотите рассмотреть:"
    assert olga.last_message.button_labels == ["Гимназия № 2 (1)", "Школа № 5 (0)", "В меню"]
    await olga.tap("Школа № 5 (0)")
    assert olga.last_message.text == "В «Школа № 5» нет заявок, ожидающих решения."
    # A staff member without rights who replays the menu payload learns nothing.
    staff = emu.user(3002, "Семён", "Учитель")
    assert isinstance(menu_review.payload, dict)
    await staff.press_payload(menu_review.payload)
    assert staff.snackbars == ["Вы не администратор ни одной организации."]


async def test_admin_without_callback_buttons(bot: RunningBot, emu: Emulator) -> None:
    olga = emu.user(ADMIN, "Ольга", "Смирнова", callbacks=False)
    anna = emu.user(APPLICANT, "Анна", "Иванова")
    await olga.say("Начать")
    org = await make_org(bot.deps, admins=(ADMIN,))
    app_id = await file_application(bot.deps, org, APPLICANT)
    shown = prompt(olga, app_id)
    assert [b.type for b in shown.buttons] == ["text", "text"]
    await olga.tap("Принять", message=shown)
    assert await status(bot.deps, app_id) == "approved"
    assert f"Заявка № {app_id} принята" in [m.text for m in olga.messages]
    assert anna.last_message.text.startswith("✅ Сотрудник")


async def test_each_admin_reads_the_prompt_in_their_language(
    bot: RunningBot, emu: Emulator
) -> None:
    olga = emu.user(ADMIN, "Ольга", "Смирнова")
    john = emu.user(ADMIN2, "John", "Smith", lang_id=3)
    emu.user(APPLICANT, "Анна", "Иванова")
    await john.say("Start")
    org = await make_org(bot.deps, short_name="Школа № 5", admins=(ADMIN, ADMIN2))
    emu.reset_calls()
    app_id = await file_application(bot.deps, org, APPLICANT)
    # One call per language: a batch carries one text.
    assert [m for m, _ in emu.calls] == ["messages.send", "messages.send"]
    assert prompt(olga, app_id).button_labels == ["Принять", "Отклонить"]
    english = next(m for m in john.messages if m.text.startswith(f"Application #{app_id} ·"))
    assert "Role: School teacher" in english.text
    assert english.button_labels == ["Approve", "Reject"]
    await john.tap("Approve", message=english)
    assert john.snackbars == [f"Application #{app_id} approved"]
    assert english.text.endswith(
        f"✅ Approved: John Smith, {msk_datetime(bot.clock.now())} Moscow time"
    )
    assert prompt(olga, app_id).text.endswith(
        f"✅ Принята: John Smith, {msk_datetime(bot.clock.now())} МСК"
    )
