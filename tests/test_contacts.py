"""The organization's contact list: for its verified staff only, paged, searchable by name."""

from __future__ import annotations

from bot.sandbox.vk import Emulator
from tests.factories import make_member, make_org
from tests.harness import RunningBot
from tests.org_helpers import (
    ADMIN,
    APPLICANT,
    EDUCATOR,
    OTHER_ADMIN,
    STRANGER,
    TEACHER,
    open_menu,
    seed,
    text_of,
)


async def test_verified_member_sees_colleagues(bot: RunningBot, emu: Emulator) -> None:
    await seed(bot.deps)
    teacher = emu.user(TEACHER, "Анна", "Иванова")
    await open_menu(teacher, "Контакты организации")
    text = teacher.last_message.text
    assert text.startswith("Контакты: МБОУ «Школа № 5»\nПодтверждённых сотрудников: 3.")
    assert (
        "3. Смирнова Ольга Ивановна — администратор\nУчитель (школа), директор\nvk.com/id2001"
    ) in text
    assert "1. Ёлкина Мария Петровна\nВоспитатель или педагог дошкольного образования" in text
    assert "vk.com/id3002" in text
    # Applicants are not verified staff; nobody of another organization is listed.
    assert "Кузнецов" not in text
    assert teacher.last_message.button_labels == ["Найти по имени", "В меню"]


async def test_contacts_page_and_search(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    org = await make_org(deps)
    await make_member(deps, org, TEACHER, "Иванова Анна Сергеевна")
    await make_member(deps, org, EDUCATOR, "Ёлкина Мария Петровна")
    for i in range(6):
        await make_member(deps, org, 5000 + i, f"Сидоров{i} Пётр Ильич")
    teacher = emu.user(TEACHER, "Анна", "Иванова")
    await open_menu(teacher, "Контакты организации")
    assert "Страница 1 из 2" in teacher.last_message.text
    await teacher.tap("Дальше ▶")
    assert "Страница 2 из 2" in teacher.last_message.text
    assert "6. Сидоров3 Пётр Ильич" in teacher.last_message.text
    await teacher.tap("◀ Назад")
    assert "Страница 1 из 2" in teacher.last_message.text

    await teacher.tap("Найти по имени")
    await teacher.send_sticker()
    assert teacher.last_message.text.startswith("Пришлите фамилию или имя текстом.")
    await teacher.say("е")
    assert teacher.last_message.text.startswith("Слишком коротко")
    # Case and ё do not matter.
    await teacher.say("ЕЛКИНА")
    text = teacher.last_message.text
    assert "По запросу «ЕЛКИНА» найдено: 1." in text
    assert "1. Ёлкина Мария Петровна" in text
    assert "Иванова" not in text
    await teacher.tap("Весь список")
    assert "Подтверждённых сотрудников: 8." in teacher.last_message.text

    await teacher.tap("Найти по имени")
    # Words are matched from their start: "рия" is inside "Мария" and finds nobody.
    await teacher.say("сидоров")
    assert "найдено: 6" in teacher.last_message.text
    await teacher.tap("Дальше ▶")
    assert "Сидоров5" in teacher.last_message.text
    assert "Иванова" not in teacher.last_message.text
    await teacher.tap("Найти по имени")
    await teacher.say("рия")
    assert "Никого не нашлось" in teacher.last_message.text

    await teacher.tap("Найти по имени")
    await teacher.say("Кузнецов")
    assert "Никого не нашлось" in teacher.last_message.text

    await teacher.tap("Найти по имени")
    await teacher.tap("Отмена")
    assert "Подтверждённых сотрудников: 8." in teacher.last_message.text
    assert await deps.states.state_name(TEACHER) is None


async def test_not_verified_people_are_told_how_to_get_access(
    bot: RunningBot, emu: Emulator
) -> None:
    await seed(bot.deps)
    stranger = emu.user(STRANGER, "Иван", "Новиков")
    await open_menu(stranger, "Контакты организации")
    text = stranger.last_message.text
    assert text.startswith("Список контактов организации доступен только её подтверждённым")
    assert "«Подтвердить профиль»" in text
    assert {"Подтвердить профиль", "У меня приглашение", "В меню"} == set(
        stranger.last_message.button_labels
    )
    applicant = emu.user(APPLICANT, "Илья", "Кузнецов")
    await open_menu(applicant, "Контакты организации")
    assert "Ваша заявка ещё на рассмотрении" in applicant.last_message.text
    # An administrator who is not verified staff there does not see the list either.
    other_admin = emu.user(OTHER_ADMIN, "Нина", "Орлова")
    await open_menu(other_admin, "Контакты организации")
    assert "только её подтверждённым" in other_admin.last_message.text
    for person in (stranger, applicant, other_admin):
        assert "vk.com/id" not in text_of(person)
        assert "Иванова" not in text_of(person)


async def test_member_of_several_organizations_picks_one(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    world = await seed(deps)
    await make_member(deps, world.kindergarten, TEACHER, "Иванова Анна Сергеевна")
    await make_member(deps, world.kindergarten, 3100, "Орлова Нина Павловна")
    teacher = emu.user(TEACHER, "Анна", "Иванова")
    await open_menu(teacher, "Контакты организации")
    assert teacher.last_message.text.startswith("Вы подтверждены в нескольких организациях")
    await teacher.tap("Детский сад")
    text = teacher.last_message.text
    assert text.startswith("Контакты: МБДОУ «Детский сад № 7»")
    assert "Орлова Нина Павловна" in text
    assert "Смирнова" not in text
    await teacher.tap("Другая организация")
    await teacher.tap("Школа")
    assert "Смирнова Ольга Ивановна" in teacher.last_message.text


async def test_old_page_button_after_removal_shows_nothing(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    world = await seed(deps)
    teacher = emu.user(TEACHER, "Анна", "Иванова")
    await open_menu(teacher, "Контакты организации")
    search = next(b for b in teacher.last_message.buttons if b.label == "Найти по имени")
    member = await deps.members.active(world.school, TEACHER)
    assert member is not None
    async with deps.db.transaction() as tx:
        await deps.members.remove(tx, member, reason="x", now=0, actor_id=ADMIN)
    await teacher.press_payload(search.payload or "")
    assert teacher.last_message.text.startswith("Список контактов организации доступен только")
    assert await deps.states.state_name(TEACHER) is None


async def test_archived_organization_has_no_contact_list(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    world = await seed(deps)
    async with deps.db.transaction() as tx:
        await deps.orgs.set_archived(tx, world.school, True, 0, None)
    teacher = emu.user(TEACHER, "Анна", "Иванова")
    await open_menu(teacher, "Контакты организации")
    assert "vk.com/id" not in teacher.last_message.text
    await open_menu(teacher, "Мой профиль")
    assert "Организация в архиве." in teacher.last_message.text
