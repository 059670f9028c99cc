""" "Мои заявки": every application with its status; an open one can be withdrawn."""

from __future__ import annotations

from bot.clock import ManualClock
from bot.sandbox.vk import Emulator
from keyboards.apply import AsWithdrawYes
from storage.models import AppStatus, Role
from tests.factories import make_org
from tests.harness import RunningBot


async def seed(
    bot: RunningBot, vk_id: int, statuses: list[tuple[AppStatus, str | None]]
) -> list[int]:
    deps = bot.deps
    ids = []
    for n, (status, reason) in enumerate(statuses, 1):
        org_id = await make_org(deps, f"МБОУ «Школа № {n}»", city="Пермь")
        async with deps.db.transaction() as tx:
            app_id = await deps.applications.create(
                tx,
                org_id=org_id,
                vk_id=vk_id,
                role=Role.SCHOOL_TEACHER,
                full_name="Иванова Анна",
                position="",
                vk_name="Анна Иванова",
                class_ids=(),
                invitation_id=None,
                now=deps.clock.now(),
            )
            assert app_id is not None
            if status is not AppStatus.PENDING:
                app = await deps.applications.get_in(tx, app_id)
                assert app is not None
                await deps.applications.transition(
                    tx,
                    app,
                    status,
                    actor_id=500,
                    now=deps.clock.now(),
                    reason_code=reason if reason and not reason.startswith("!") else None,
                    reason_text=reason[1:] if reason and reason.startswith("!") else None,
                )
        ids.append(app_id)
    return ids


async def test_every_status_is_shown_in_words(bot: RunningBot, emu: Emulator) -> None:
    ids = await seed(
        bot,
        4001,
        [
            (AppStatus.PENDING, None),
            (AppStatus.APPROVED, None),
            (AppStatus.REJECTED, "not_employee"),
            (AppStatus.WITHDRAWN, None),
            (AppStatus.EXPIRED, None),
        ],
    )
    staff = emu.user(4001, "Анна", "Иванова")
    await staff.say("Начать")
    await staff.tap("Мои заявки")
    text = staff.last_message.text
    assert text.startswith("Ваши заявки:")
    for app_id, status in zip(
        ids, ["На рассмотрении", "Принята", "Отклонена", "Отозвана", "Истекла"], strict=True
    ):
        assert f"№ {app_id} — МБОУ «Школа № {app_id}», Пермь" in text
        assert f"Статус: {status}" in text
    assert "Причина: Не работает в организации" in text
    assert "Учитель (школа), подана " in text
    # Newest first; only the open one can be withdrawn.
    assert text.index(f"№ {ids[-1]} —") < text.index(f"№ {ids[0]} —")
    assert staff.last_message.button_labels == [f"Отозвать заявку № {ids[0]}", "В меню"]


async def test_a_free_text_reason_is_shown(bot: RunningBot, emu: Emulator) -> None:
    await seed(bot, 4002, [(AppStatus.REJECTED, "!Уточните отчество")])
    staff = emu.user(4002, "Анна", "Иванова")
    await staff.say("Начать")
    await staff.tap("Мои заявки")
    assert "Причина: Уточните отчество" in staff.last_message.text


async def test_withdraw_asks_first(bot: RunningBot, emu: Emulator, clock: ManualClock) -> None:
    [app_id] = await seed(bot, 4003, [(AppStatus.PENDING, None)])
    staff = emu.user(4003, "Анна", "Иванова")
    await staff.say("Начать")
    await staff.tap("Мои заявки")
    await staff.tap(f"Отозвать заявку № {app_id}")
    assert f"Отозвать заявку № {app_id}?" in staff.last_message.text
    await staff.tap("Нет")
    assert "Статус: На рассмотрении" in staff.last_message.text
    await staff.tap(f"Отозвать заявку № {app_id}")
    clock.advance(10)
    await staff.tap("Да, отозвать")
    assert f"Заявка № {app_id} отозвана" in staff.last_message.text
    app = await bot.deps.applications.get(app_id)
    assert app is not None
    assert app.status is AppStatus.WITHDRAWN
    assert app.decided_at == clock.now()
    # The same confirmation pressed again changes nothing and says why.
    await staff.press_payload(bot.deps.signer.pack(AsWithdrawYes(a=app_id)))
    assert f"Заявка № {app_id} уже не на рассмотрении. Статус: Отозвана" in (
        staff.last_message.text
    )
    assert len(await bot.deps.applications.history(app_id)) == 2


async def test_another_persons_application_cannot_be_withdrawn(
    bot: RunningBot, emu: Emulator
) -> None:
    [app_id] = await seed(bot, 4004, [(AppStatus.PENDING, None)])
    intruder = emu.user(4005, "Борис", "Петров")
    await intruder.say("Начать")
    await intruder.press_payload(bot.deps.signer.pack(AsWithdrawYes(a=app_id)))
    assert "Такой заявки нет" in intruder.last_message.text
    assert "Школа № 1" not in intruder.last_message.text
    app = await bot.deps.applications.get(app_id)
    assert app is not None
    assert app.status is AppStatus.PENDING


async def test_no_applications_yet(bot: RunningBot, emu: Emulator) -> None:
    staff = emu.user(4006, "Анна", "Иванова")
    await staff.say("Начать")
    await staff.tap("Мои заявки")
    assert "У вас пока нет заявок" in staff.last_message.text
    await staff.tap("Подтвердить профиль")
    assert "Напишите часть названия" in staff.last_message.text


async def test_many_applications_are_paged(bot: RunningBot, emu: Emulator) -> None:
    await seed(bot, 4007, [(AppStatus.WITHDRAWN, None)] * 7)
    staff = emu.user(4007, "Анна", "Иванова")
    await staff.say("Начать")
    await staff.tap("Мои заявки")
    assert "Страница 1 из 2" in staff.last_message.text
    await staff.tap("›")
    assert "Страница 2 из 2" in staff.last_message.text
    assert "№ 1 —" in staff.last_message.text
