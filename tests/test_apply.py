"""The application conversation end to end, as a teacher on a phone goes through it."""

from __future__ import annotations

import json

import pytest

from bot.callback_data import CallbackData
from bot.clock import ManualClock
from bot.events import ApplicationFiled
from bot.sandbox.vk import Emulator
from keyboards.apply import ApSubmit
from keyboards.menu import MenuApply
from storage.models import AppStatus, OrgType, Role
from tests.apply_helpers import (
    ERROR_GENERIC,
    SCHOOL,
    SCHOOL_BUTTON,
    draft_of,
    reach,
    seed_school,
    state_of,
    step_of,
)
from tests.factories import make_org
from tests.harness import RunningBot


async def test_whole_conversation_files_a_pending_application(
    bot: RunningBot, emu: Emulator, clock: ManualClock
) -> None:
    filed: list[ApplicationFiled] = []

    async def record(event: ApplicationFiled) -> None:
        filed.append(event)

    bot.deps.bus.subscribe(ApplicationFiled, record)
    org_id = await seed_school(bot)
    staff = emu.user(1001, "Анна", "Иванова")

    await staff.say("Начать")
    await staff.tap("Подтвердить профиль")
    assert "Напишите часть названия, город или ИНН" in staff.last_message.text
    assert staff.last_message.button_labels == ["Назад", "Отмена"]

    await staff.say("школа 5")
    results = staff.last_message
    assert "Нашлось: 1" in results.text
    assert f"1. {SCHOOL}, Екатеринбург" in results.text
    assert results.button_labels == [SCHOOL_BUTTON, "Назад", "Отмена"]

    await staff.tap(SCHOOL_BUTTON)
    roles = staff.last_message
    assert "Кем вы работаете?" in roles.text
    # A school: the school roles first; all eight, plus back and cancel, fit VK's 10.
    assert roles.button_labels[:2] == ["Учитель", "Руководитель, администрация"]
    assert len(roles.buttons) == 10
    assert roles.keyboard is not None
    assert len(roles.keyboard["buttons"]) <= 6

    await staff.tap("Учитель")
    assert "фамилию, имя и отчество" in staff.last_message.text
    # The VK profile name is offered surname first, as in documents.
    assert "Иванова Анна" in staff.last_message.button_labels

    await staff.say("  иванова   анна сергеевна ")
    assert "Ваша должность?" in staff.last_message.text
    assert "Пропустить" in staff.last_message.button_labels

    await staff.say("учитель математики")
    classes = staff.last_message
    assert "Есть: 5А, 5Б, 6В" in classes.text
    assert classes.button_labels == ["5А", "5Б", "6В", "Готово", "Назад", "Отмена"]

    await staff.tap("5А")
    await staff.tap("6В")
    assert "Выбрано: 5А, 6В" in staff.last_message.text
    assert "✓ 5А" in staff.last_message.button_labels
    await staff.tap("Готово")

    card = staff.last_message.text
    assert "Организация: " + SCHOOL + ", Екатеринбург" in card
    assert "Роль: Учитель (школа)" in card
    assert "ФИО: Иванова Анна Сергеевна" in card
    assert "Должность: учитель математики" in card
    assert "Классы: 5А, 6В" in card
    assert staff.last_message.button_labels[0] == "Отправить заявку"
    assert await bot.deps.db.fetchval("SELECT COUNT(*) FROM applications") == 0

    await staff.tap("Отправить заявку")
    app_id = int(await bot.deps.db.fetchval("SELECT id FROM applications"))
    done = staff.last_message.text
    assert f"Заявка № {app_id} отправлена" in done
    assert SCHOOL in done
    assert "Администратор организации проверит её" in done

    app = await bot.deps.applications.get(app_id)
    assert app is not None
    assert (app.org_id, app.vk_id, app.role, app.status) == (
        org_id,
        1001,
        Role.SCHOOL_TEACHER,
        AppStatus.PENDING,
    )
    assert app.full_name == "Иванова Анна Сергеевна"
    assert app.position == "учитель математики"
    assert app.vk_name == "Анна Иванова"
    assert app.created_at == clock.now()
    names = await bot.deps.classes.names(app.class_ids)
    assert names == ["5А", "6В"]
    assert await bot.deps.applications.history(app_id) == [(None, "pending", 1001, None)]
    audit = await bot.deps.audit.entries(action="application.file", object_id=app_id)
    assert len(audit) == 1
    assert audit[0].actor_id == 1001
    assert audit[0].org_id == org_id
    assert filed == [ApplicationFiled(app_id)]
    # The draft is gone; the VK name was cached for later.
    assert await state_of(bot, 1001) == (None, None)
    user = await bot.deps.users.get(1001)
    assert user is not None
    assert (user.first_name, user.last_name) == ("Анна", "Иванова")


async def test_one_tap_vk_name_and_skipped_position(bot: RunningBot, emu: Emulator) -> None:
    await seed_school(bot, classes=())
    staff = emu.user(1002, "Пётр", "Сидоров")
    await reach(staff, bot, "name")
    await staff.tap("Сидоров Пётр")
    await staff.tap("Пропустить")
    # The school has no classes: straight to the card.
    card = staff.last_message.text
    assert "ФИО: Сидоров Пётр" in card
    assert "Должность: не указана" in card
    assert "Классы" not in card
    await staff.tap("Отправить заявку")
    row = await bot.deps.db.fetchone("SELECT full_name, position FROM applications")
    assert row is not None
    assert (row["full_name"], row["position"]) == ("Сидоров Пётр", "")


async def test_roles_that_fit_the_organization_come_first(bot: RunningBot, emu: Emulator) -> None:
    await make_org(
        bot.deps,
        "МАДОУ «Детский сад № 12 „Берёзка“»",
        short_name="Детский сад № 12",
        type=OrgType.PRESCHOOL,
    )
    await make_org(
        bot.deps,
        "ФГБОУ ВО «Уральский федеральный университет»",
        short_name="УрФУ",
        type=OrgType.UNIVERSITY,
    )
    staff = emu.user(1003, "Анна", "Иванова")
    await reach(staff, bot, "role", query="березка", org_button="Детский сад № 12")
    assert staff.last_message.button_labels[0] == "Воспитатель"
    await staff.tap("Назад")
    await staff.say("уральский университет")
    await staff.tap("УрФУ")
    assert staff.last_message.button_labels[0] == "Преподаватель вуза"
    # "Other staff" fits anywhere and comes after every specific role.
    assert staff.last_message.button_labels[-3:] == ["Другой сотрудник", "Назад", "Отмена"]


async def test_classes_are_not_asked_of_a_role_that_does_not_teach(
    bot: RunningBot, emu: Emulator
) -> None:
    await seed_school(bot)
    staff = emu.user(1004, "Анна", "Иванова")
    await reach(staff, bot, "position", role="Руководитель, администрация")
    await staff.say("директор")
    assert await step_of(bot, 1004) == "review"
    assert "Классы" not in staff.last_message.text


async def test_many_classes_are_paged_and_can_be_typed(bot: RunningBot, emu: Emulator) -> None:
    names = tuple(f"{n}{letter}" for n in (5, 6, 7, 8) for letter in "АБВ")
    await seed_school(bot, classes=names)
    staff = emu.user(1005, "Анна", "Иванова")
    await reach(staff, bot, "classes")
    first = staff.last_message
    assert "Страница 1 из 3" in first.text
    assert first.button_labels == ["5А", "5Б", "5В", "6А", "6Б", "Готово", "›", "Назад", "Отмена"]
    await staff.tap("›")
    assert staff.last_message.button_labels[:5] == ["6В", "7А", "7Б", "7В", "8А"]
    await staff.tap("7Б")
    await staff.say("5а, 8 в")
    assert "Выбрано: 5А, 7Б, 8В" in staff.last_message.text
    await staff.say("11Я")
    assert "Не нашёл такого класса" in staff.last_message.text
    assert "Выбрано: 5А, 7Б, 8В" in staff.last_message.text
    await staff.tap("Готово")
    assert "Классы: 5А, 7Б, 8В" in staff.last_message.text


async def test_every_answer_can_be_changed_from_the_card(bot: RunningBot, emu: Emulator) -> None:
    await seed_school(bot)
    other = await make_org(
        bot.deps, "МАОУ «Гимназия № 2»", short_name="Гимназия № 2", city="Казань", classes=("10А",)
    )
    staff = emu.user(1006, "Анна", "Иванова")
    await reach(staff, bot, "review")

    await staff.tap("✏️ ФИО")
    await staff.say("Петрова-Водкина анна-мария")
    assert await step_of(bot, 1006) == "review"
    assert "ФИО: Петрова-Водкина Анна-Мария" in staff.last_message.text

    await staff.tap("✏️ Должность")
    await staff.say("классный руководитель")
    assert "Должность: классный руководитель" in staff.last_message.text

    await staff.tap("✏️ Роль")
    await staff.tap("Педагог доп. образования")
    assert "Роль: Педагог дополнительного образования" in staff.last_message.text

    await staff.tap("✏️ Классы")
    await staff.tap("5Б")
    await staff.tap("Готово")
    assert "Классы: 5А, 5Б" in staff.last_message.text

    # Another organization: its own classes are asked, the old ones dropped.
    await staff.tap("✏️ Организация")
    assert "Сейчас выбрана:" in staff.last_message.text
    await staff.say("гимназия 2")
    await staff.tap("Гимназия № 2, Казань")
    assert await step_of(bot, 1006) == "classes"
    await staff.tap("10А")
    await staff.tap("Готово")
    card = staff.last_message.text
    assert "Организация: МАОУ «Гимназия № 2», Казань" in card
    assert "Классы: 10А" in card
    # "Назад" while changing an answer returns to the card unchanged.
    await staff.tap("✏️ ФИО")
    await staff.tap("Назад")
    assert "ФИО: Петрова-Водкина Анна-Мария" in staff.last_message.text
    draft = await draft_of(bot, 1006)
    assert draft["org_id"] == other
    assert draft["editing"] is False


async def test_back_goes_one_step_back_and_keeps_the_answers(
    bot: RunningBot, emu: Emulator
) -> None:
    await seed_school(bot)
    staff = emu.user(1007, "Анна", "Иванова")
    await reach(staff, bot, "review")
    for expected in ("classes", "position", "name", "role", "org"):
        await staff.tap("Назад")
        assert await step_of(bot, 1007) == expected
    assert "Сейчас выбрана:" in staff.last_message.text
    draft = await draft_of(bot, 1007)
    assert draft["full_name"] == "Иванова Анна Сергеевна"
    assert draft["position"] == "учитель математики"
    # Forward again with the "keep" buttons: nothing has to be typed twice.
    await staff.tap("✓ " + SCHOOL_BUTTON)
    await staff.tap("Учитель")
    await staff.tap("Оставить: Иванова Анна Сергеевна")
    await staff.tap("Оставить: учитель математики")
    await staff.tap("Готово")
    assert "Классы: 5А" in staff.last_message.text
    # Back from the first step leaves for the menu, which offers to continue.
    await staff.tap("✏️ Организация")
    await staff.tap("Назад")
    assert await step_of(bot, 1007) == "review"
    for _ in range(6):
        await staff.tap("Назад")
    assert await step_of(bot, 1007) == "org"
    assert "Главное меню" in staff.last_message.text
    assert "Продолжить заявку" in staff.last_message.button_labels


async def test_search_ignores_case_yo_quotes_numero_and_spaces(
    bot: RunningBot, emu: Emulator
) -> None:
    await seed_school(bot)
    await make_org(bot.deps, "МБОУ «Школа № 50»", short_name="Школа № 50")
    await make_org(
        bot.deps,
        "МАДОУ «Детский сад „Берёзка“»",
        short_name="Детский сад «Берёзка»",
        type=OrgType.PRESCHOOL,
        city="Пермь",
        inn="5902123456",
    )
    staff = emu.user(1008, "Анна", "Иванова")
    await staff.say("Начать")
    await staff.tap("Подтвердить профиль")
    for query in ("школа 5", "ШКОЛА   №5", "«школа № 5»", "средняя общеобразовательная 5"):
        await staff.say(query)
        # The number matches whole: school 50 is not offered for "5".
        assert staff.last_message.button_labels == [SCHOOL_BUTTON, "Назад", "Отмена"], query
    await staff.say("березка")
    assert "Детский сад «Берёзка», Пермь" in staff.last_message.button_labels
    await staff.say("5902123456")
    assert "Детский сад «Берёзка», Пермь" in staff.last_message.button_labels
    await staff.say("пермь")
    assert "Детский сад «Берёзка», Пермь" in staff.last_message.button_labels


async def test_search_results_are_paged(bot: RunningBot, emu: Emulator) -> None:
    for n in range(1, 13):
        await make_org(
            bot.deps, f"МАОУ «Гимназия № {n}»", short_name=f"Гимназия № {n}", city="Казань"
        )
    staff = emu.user(1009, "Анна", "Иванова")
    await reach(staff, bot, "org")
    await staff.say("гимназия")
    first = staff.last_message
    assert "Нашлось: 12" in first.text
    assert "Страница 1 из 3" in first.text
    assert len(first.buttons) == 5 + 3
    assert first.button_labels[-1] == "›"
    await staff.tap("›")
    await staff.tap("›")
    last = staff.last_message
    assert "Страница 3 из 3" in last.text
    assert "11. " in last.text
    assert last.button_labels[-3:] == ["‹", "Назад", "Отмена"]
    await staff.tap("Гимназия № 11, Казань")
    assert await step_of(bot, 1009) == "role"
    assert "Гимназия № 11" in staff.last_message.text


async def test_no_match_says_so_and_points_to_invitations(bot: RunningBot, emu: Emulator) -> None:
    await seed_school(bot)
    staff = emu.user(1010, "Анна", "Иванова")
    await reach(staff, bot, "org")
    await staff.say("Хогвартс")
    text = staff.last_message.text
    assert "По запросу «Хогвартс» ничего не нашлось" in text
    assert "ссылку-приглашение" in text
    assert staff.last_message.button_labels == ["Назад", "Отмена"]
    assert await step_of(bot, 1010) == "org"


async def test_cancel_asks_first_and_then_clears_the_draft(bot: RunningBot, emu: Emulator) -> None:
    await seed_school(bot)
    staff = emu.user(1011, "Анна", "Иванова")
    await reach(staff, bot, "position")
    await staff.tap("Отмена")
    assert "Отменить заявку?" in staff.last_message.text
    await staff.tap("Нет, продолжить")
    assert "Ваша должность?" in staff.last_message.text
    assert (await draft_of(bot, 1011))["full_name"] == "Иванова Анна Сергеевна"
    # Typed "отмена" asks the same.
    await staff.say("отмена")
    assert "Отменить заявку?" in staff.last_message.text
    await staff.tap("Да, отменить")
    assert "Заявка отменена" in staff.last_message.text
    assert await state_of(bot, 1011) == (None, None)
    await staff.say("Начать")
    assert "Подтвердить профиль" in staff.last_message.button_labels
    assert "Продолжить заявку" not in staff.last_message.button_labels


async def test_a_returning_user_is_offered_to_continue(bot: RunningBot, emu: Emulator) -> None:
    await seed_school(bot)
    staff = emu.user(1012, "Анна", "Иванова")
    await reach(staff, bot, "position")
    await bot.restart()
    await staff.say("Начать")
    menu = staff.last_message
    assert menu.button_labels[0] == "Продолжить заявку"
    assert "Подтвердить профиль" not in menu.button_labels
    await staff.tap("Продолжить заявку")
    assert "Ваша должность?" in staff.last_message.text
    # "Подтвердить профиль" from an older menu asks whether to continue or start over.
    await staff.press_payload(bot.deps.signer.pack(MenuApply()))
    assert "незаконченная заявка" in staff.last_message.text
    await staff.tap("Начать заново")
    assert "Напишите часть названия" in staff.last_message.text
    assert (await draft_of(bot, 1012))["org_id"] is None


@pytest.mark.parametrize("step", ["org", "role", "name", "position", "classes", "review"])
async def test_a_restart_at_any_step_loses_nothing(
    bot: RunningBot, emu: Emulator, step: str
) -> None:
    await seed_school(bot)
    staff = emu.user(1013, "Анна", "Иванова")
    await reach(staff, bot, step)
    before = await draft_of(bot, 1013)
    await bot.restart()
    assert await draft_of(bot, 1013) == before
    # The step's own message still works after the restart.
    if step == "org":
        await staff.say("школа 5")
        await staff.tap(SCHOOL_BUTTON)
        assert await step_of(bot, 1013) == "role"
    elif step == "role":
        await staff.tap("Учитель")
        assert await step_of(bot, 1013) == "name"
    elif step == "name":
        await staff.say("Иванова Анна")
        assert await step_of(bot, 1013) == "position"
    elif step == "position":
        await staff.say("завуч")
        assert await step_of(bot, 1013) == "classes"
    elif step == "classes":
        await staff.tap("5Б")
        await staff.tap("Готово")
        assert "Классы: 5Б" in staff.last_message.text
    else:
        await staff.tap("Отправить заявку")
        assert await bot.deps.db.fetchval("SELECT COUNT(*) FROM applications") == 1
    after = await state_of(bot, 1013)
    if after[1] is not None:
        for field in ("org_id", "role", "full_name", "position"):
            if before[field] is not None:
                assert after[1][field] is not None, field


async def test_bad_input_gets_a_clear_answer_and_the_question_again(
    bot: RunningBot, emu: Emulator
) -> None:
    await seed_school(bot)
    staff = emu.user(1014, "Анна", "Иванова")
    await reach(staff, bot, "name")
    before = await draft_of(bot, 1014)
    cases = [
        ("Иванова Анна 2", "не должно быть цифр"),
        ("Анна", "два или три слова"),
        ("Иванова Анна Сергеевна Петровна", "два или три слова"),
        ("Ив@нова Анна", "только буквы, дефис и апостроф"),
        ("Иванoва Анна", "смешаны русские и латинские"),  # a Latin "o" inside
        ("Иванова " + "а" * 100, "не больше 100 символов"),
        ("😀😀😀", "ни букв, ни цифр"),
        ("Иванова\u200b Анна", "служебные символы"),
        ("", "ни букв, ни цифр"),
    ]
    for text, expected in cases:
        await staff.say(text)
        reply = staff.last_message.text
        assert expected in reply, (text, reply)
        assert "фамилию, имя и отчество" in reply, text
        assert await draft_of(bot, 1014) == before
    await staff.send_sticker()
    assert "Стикеры, фото и файлы здесь не нужны" in staff.last_message.text
    await staff.send_photo()
    assert "напишите ответ текстом" in staff.last_message.text
    assert await draft_of(bot, 1014) == before
    await staff.say("д'артаньян шарль")
    assert (await draft_of(bot, 1014))["full_name"] == "Д'Артаньян Шарль"

    # Position: too long, no letters; search: too short.
    await staff.say("учитель " * 20)
    assert "не больше 100 символов" in staff.last_message.text
    await staff.say("123")
    assert "Напишите должность словами" in staff.last_message.text
    await staff.tap("Назад")
    await staff.tap("Назад")
    await staff.tap("Назад")
    await staff.say("ш")
    assert "хотя бы две буквы" in staff.last_message.text
    # At the role step only buttons (or a role's name) are answers.
    await staff.tap(
        SCHOOL_BUTTON,
        message=next(
            m for m in reversed(staff.messages) if SCHOOL_BUTTON in " ".join(m.button_labels)
        ),
    )
    await staff.say("кто-то")
    assert "Выберите вариант кнопкой" in staff.last_message.text
    await staff.say("учитель (школа)")
    assert await step_of(bot, 1014) == "name"


async def test_an_old_button_is_out_of_date_and_shows_the_current_step(
    bot: RunningBot, emu: Emulator
) -> None:
    await seed_school(bot)
    staff = emu.user(1015, "Анна", "Иванова")
    await reach(staff, bot, "position")
    before = await draft_of(bot, 1015)
    # The first step's message, still on screen above: its "Назад" belongs to that step.
    first_step = next(m for m in staff.messages if "Напишите часть названия" in m.text)
    event_id = await staff.tap("Назад", message=first_step)
    assert staff.snackbars[-1] == "Кнопка устарела"
    assert len(staff.answers_for(event_id)) == 1
    assert "Ваша должность?" in staff.last_message.text
    assert staff.last_message is not first_step
    assert await draft_of(bot, 1015) == before
    assert await step_of(bot, 1015) == "position"
    # After submission every button of the conversation is out of date.
    await staff.tap("Пропустить")
    await staff.tap("Готово")
    await staff.tap("Отправить заявку")
    # The card became the confirmation; a second press of its old button files nothing.
    await staff.press_payload(bot.deps.signer.pack(ApSubmit()))
    assert staff.snackbars[-1] == "Кнопка устарела"
    assert "Эта кнопка устарела" in staff.last_message.text
    assert await bot.deps.db.fetchval("SELECT COUNT(*) FROM applications") == 1


async def test_client_without_callback_buttons_uses_text_buttons(
    bot: RunningBot, emu: Emulator
) -> None:
    await seed_school(bot)
    staff = emu.user(1016, "Анна", "Иванова", callbacks=False)
    await reach(staff, bot, "review")
    assert all(b.type == "text" for b in staff.last_message.buttons)
    assert staff.last_message.inline
    # A text button of another feature (the menu's "Помощь") is never taken for an answer.
    menu = next(m for m in staff.messages if "Помощь" in m.button_labels)
    await staff.tap("Назад")
    await staff.tap("Назад")
    assert await step_of(bot, 1016) == "position"
    await staff.tap("Помощь", message=menu)
    assert "Как подтвердить профиль" in staff.last_message.text
    assert (await draft_of(bot, 1016))["position"] == "учитель математики"
    await staff.say("Продолжить")  # typed text at the position step is an answer
    await staff.tap("Готово")
    await staff.tap("Отправить заявку")
    row = await bot.deps.db.fetchone("SELECT position FROM applications WHERE vk_id = 1016")
    assert row is not None
    assert row["position"] == "Продолжить"
    # An old text button: out of date, with the current state shown.
    old_role = next(m for m in staff.messages if "Учитель" in m.button_labels)
    await staff.tap("Учитель", message=old_role)
    assert "устарела" in staff.last_message.text


async def test_client_without_inline_keyboards_gets_the_standard_keyboard(
    bot: RunningBot, emu: Emulator
) -> None:
    await seed_school(bot)
    staff = emu.user(1017, "Анна", "Иванова", inline=False, callbacks=False)
    await reach(staff, bot, "review")
    card = staff.last_message
    assert not card.inline
    assert card.keyboard is not None
    assert card.keyboard["one_time"] is False
    await staff.tap("Отправить заявку")
    assert await bot.deps.db.fetchval("SELECT COUNT(*) FROM applications") == 1
    assert "отправлена" in staff.last_message.text


async def test_payloads_fit_vk_and_carry_no_personal_data(bot: RunningBot, emu: Emulator) -> None:
    await seed_school(bot)
    staff = emu.user(1018, "Анна", "Иванова")
    await reach(staff, bot, "review")
    for message in staff.messages:
        for button in message.buttons:
            raw = button.raw_payload or ""
            assert len(raw) <= 255
            assert "Иванова" not in raw
            assert json.loads(raw)["c"].startswith(("ap.", "as.", "m."))


EDGE_INPUTS = ["", "   ", "😀🎉", "\u202eанна", "я" * 150, "\x00"]


@pytest.mark.parametrize("step", ["org", "role", "name", "position", "classes", "review"])
async def test_odd_input_at_every_step_is_refused_kindly(
    bot: RunningBot, emu: Emulator, step: str
) -> None:
    await seed_school(bot)
    staff = emu.user(1019, "Анна", "Иванова")
    await reach(staff, bot, step)
    question = staff.last_message.text
    before = await draft_of(bot, 1019)
    for text in EDGE_INPUTS:
        sent = len(staff.messages)
        await staff.say(text)
        assert len(staff.messages) == sent + 1, text
        reply = staff.last_message.text
        assert ERROR_GENERIC not in reply
        # A clear notice, then the step's question again.
        assert reply != question
        assert reply.endswith(question.split("\n")[-1]) or question.split("\n")[0] in reply
        assert await draft_of(bot, 1019) == before, text
        assert await step_of(bot, 1019) == step
    await staff.send_sticker()
    await staff.send_photo()
    assert "напишите ответ текстом" in staff.last_message.text
    assert await draft_of(bot, 1019) == before


async def test_the_conversation_speaks_english_to_an_english_client(
    bot: RunningBot, emu: Emulator
) -> None:
    await seed_school(bot)
    staff = emu.user(1020, "Anna", "Ivanova", lang_id=3)
    await staff.say("start")
    await staff.tap("Confirm my profile")
    assert "Let's find your organization" in staff.last_message.text
    await staff.say("школа 5")
    await staff.tap(SCHOOL_BUTTON)
    assert "What is your job?" in staff.last_message.text
    assert staff.last_message.button_labels[0] == "School teacher"
    await staff.tap("School teacher")
    assert "Ivanova Anna" in staff.last_message.button_labels


def test_payload_fields_may_not_shadow_the_envelope() -> None:
    # A field named like an envelope key (c, v, s) would silently break every press.
    with pytest.raises(TypeError, match="reserved"):

        class Broken(CallbackData):
            s: str
