"""Superadmins' "Организации" in the bot: create, edit, archive, appoint, list and search."""

from __future__ import annotations

from bot.sandbox.vk import Emulator
from storage.models import OrgType
from tests.factories import make_org
from tests.harness import SUPERADMIN, RunningBot
from tests.orgs_helpers import bad_checksum, make_inn, open_orgs, superadmin

SCHOOL = "МБОУ «Средняя общеобразовательная школа № 7»"


async def test_create_organization_through_the_conversation(bot: RunningBot, emu: Emulator) -> None:
    admin = superadmin(emu)
    await admin.say("Начать")
    assert "Организации" in admin.last_message.button_labels
    await admin.tap("Организации")
    assert "Организаций пока нет" in admin.last_message.text
    await admin.tap("Создать")
    assert "полное название" in admin.last_message.text

    # A sticker, emoji only and a too short name are refused with the question again.
    await admin.send_sticker()
    assert "Пришлите ответ текстом" in admin.last_message.text
    assert "полное название" in admin.last_message.text
    await admin.say("🏫🏫🏫")
    assert "эмодзи" in admin.last_message.text
    await admin.say("Ш")
    assert "Слишком коротко" in admin.last_message.text

    await admin.say(f"  {SCHOOL}  ")
    assert "Выберите тип" in admin.last_message.text
    await admin.say("что-то своё")
    assert "Выберите тип кнопкой" in admin.last_message.text
    await admin.tap("Школа")
    assert "ИНН" in admin.last_message.text

    inn = make_inn(6_658_001)
    await admin.say("12345")
    assert "10 цифр" in admin.last_message.text
    await admin.say(bad_checksum(inn))
    assert "контрольная цифра" in admin.last_message.text
    await admin.say(inn)
    await admin.say("Свердловская область")
    await admin.say("Екатеринбург")

    review = admin.last_message
    assert "Проверьте новую организацию" in review.text
    for value in (SCHOOL, "Школа", inn, "Свердловская область", "Екатеринбург"):
        assert value in review.text
    assert await bot.deps.orgs.by_inn(inn) is None  # nothing is saved before the confirmation

    await admin.tap("Создать")
    assert f"Организация {SCHOOL} создана" in admin.last_message.text
    assert "Назначить администратора" in admin.last_message.button_labels

    org = await bot.deps.orgs.by_inn(inn)
    assert org is not None
    assert (org.name, org.short_name, org.type.value, org.region, org.city) == (
        SCHOOL,
        SCHOOL,
        "school",
        "Свердловская область",
        "Екатеринбург",
    )
    found, _ = await bot.deps.orgs.search("школа 7 екатеринбург")
    assert [o.id for o in found] == [org.id]
    [entry] = await bot.deps.audit.entries(action="org.create")
    assert (entry.actor_id, entry.object_id) == (SUPERADMIN, org.id)
    assert await bot.deps.states.state_name(SUPERADMIN) is None


async def test_review_fixes_a_field_and_survives_a_restart(bot: RunningBot, emu: Emulator) -> None:
    admin = superadmin(emu)
    await open_orgs(admin)
    await admin.tap("Создать")
    await admin.say("Гимназия № 2")
    await admin.tap("Школа")
    inn = make_inn(7_707_002)
    await admin.say(inn)
    await admin.say("Москва")

    await bot.restart()  # the draft is in SQLite: the conversation goes on where it was
    await admin.say("Мосва")
    assert "Город: Мосва" in admin.last_message.text

    await admin.tap("Город")
    assert "Сейчас: Мосва" in admin.last_message.text
    await admin.say("Москва")
    await admin.tap("Краткое название")
    await admin.say("Гимназия 2")
    review = admin.last_message
    assert "Город: Москва" in review.text
    assert "Краткое название: Гимназия 2" in review.text
    # Typing at the review card gets a hint and the card again, nothing is lost.
    await admin.say("готово")
    assert "Нажмите кнопку" in admin.last_message.text
    assert "Гимназия № 2" in admin.last_message.text

    await admin.tap("Создать")
    org = await bot.deps.orgs.by_inn(inn)
    assert org is not None
    assert (org.name, org.short_name, org.city) == ("Гимназия № 2", "Гимназия 2", "Москва")


async def test_confirming_twice_creates_once(bot: RunningBot, emu: Emulator) -> None:
    admin = superadmin(emu)
    await open_orgs(admin)
    await admin.tap("Создать")
    for text in ("Детский сад № 11 «Солнышко»",):
        await admin.say(text)
    await admin.tap("Детский сад")
    await admin.say(make_inn(1_111))
    await admin.say("Пермский край")
    await admin.say("Пермь")
    review = admin.last_message
    [button] = [b for b in review.buttons if b.label == "Создать"]
    # Two quick presses: both arrive before the card replaces the review.
    first = admin.push_callback(button.payload, review.conversation_message_id)
    second = admin.push_callback(button.payload, review.conversation_message_id)
    await emu.settle(first)
    await emu.settle(second)
    assert "Кнопка устарела" in admin.snackbars
    assert await bot.deps.orgs.count() == 1


async def test_inn_already_registered_is_refused(bot: RunningBot, emu: Emulator) -> None:
    inn = make_inn(4_242)
    await make_org(bot.deps, "Лицей № 1", inn=inn)
    admin = superadmin(emu)
    await open_orgs(admin)
    await admin.tap("Создать")
    await admin.say("Лицей № 1 (дубль)")
    await admin.tap("Школа")
    await admin.say(inn)
    assert "уже есть в системе" in admin.last_message.text
    assert "Лицей № 1" in admin.last_message.text
    assert await bot.deps.orgs.count() == 1


async def test_edit_organization(bot: RunningBot, emu: Emulator) -> None:
    other_inn = make_inn(3_003)
    await make_org(bot.deps, "Колледж связи", type=OrgType.COLLEGE, inn=other_inn)
    org_id = await make_org(bot.deps, "Аграрный колледж", type=OrgType.COLLEGE, inn=make_inn(3_004))
    admin = superadmin(emu)
    await open_orgs(admin)
    await admin.tap("1")  # sorted by name: "Аграрный колледж" first
    assert "Аграрный колледж" in admin.last_message.text
    await admin.tap("Изменить")
    assert "Изменение организации" in admin.last_message.text
    await admin.tap("Название")
    await admin.say("Уральский аграрный колледж")
    await admin.tap("ИНН")
    await admin.say(other_inn)
    assert "уже есть в системе" in admin.last_message.text
    await admin.tap("Назад к проверке")
    await admin.tap("Тип")
    await admin.tap("Вуз")
    await admin.tap("Сохранить")
    assert "Изменения сохранены" in admin.last_message.text

    org = await bot.deps.orgs.get(org_id)
    assert org is not None
    # The short name followed the name because it was the same before.
    assert (org.name, org.short_name, org.type) == (
        "Уральский аграрный колледж",
        "Уральский аграрный колледж",
        OrgType.UNIVERSITY,
    )
    found, _ = await bot.deps.orgs.search("уральский аграрный")
    assert [o.id for o in found] == [org_id]
    [entry] = await bot.deps.audit.entries(action="org.update")
    assert entry.actor_id == SUPERADMIN
    assert entry.before is not None
    assert entry.before["name"] == "Аграрный колледж"


async def test_archive_hides_the_organization(bot: RunningBot, emu: Emulator) -> None:
    org_id = await make_org(bot.deps, "Школа № 13", inn=make_inn(1_313), admins=(700,))
    admin_of_org = emu.user(700, "Ольга", "Директорова")
    await admin_of_org.say("Начать")
    assert "Управление" in admin_of_org.last_message.button_labels

    admin = superadmin(emu)
    await open_orgs(admin)
    await admin.tap("1")
    await admin.tap("В архив")
    assert "Отправить «Школа № 13» в архив?" in admin.last_message.text
    [yes] = [b for b in admin.last_message.buttons if b.label == "Да, в архив"]
    await admin.tap("Да, в архив")
    assert "в архиве" in admin.last_message.text

    org = await bot.deps.orgs.get(org_id)
    assert org is not None
    assert org.archived_at is not None
    assert await bot.deps.orgs.search("Школа № 13") == ([], 0)
    assert await bot.deps.orgs.search(make_inn(1_313)) == ([], 0)
    assert "Организаций пока нет" in admin.last_message.text
    await admin_of_org.say("Начать")
    assert "Управление" not in admin_of_org.last_message.button_labels

    # The same confirmation pressed again changes nothing.
    assert yes.payload is not None
    await admin.press_payload(yes.payload)
    assert "уже в архиве" in admin.last_message.text
    assert len(await bot.deps.audit.entries(action="org.archive")) == 1


async def test_appoint_administrator_by_link_and_by_id(bot: RunningBot, emu: Emulator) -> None:
    org_id = await make_org(bot.deps, "Школа № 5", inn=make_inn(5_005))
    durov = emu.user(1, "Павел", "Дуров", screen_name="durov")
    await durov.say("Начать")
    assert "Заявки" not in durov.last_message.button_labels
    ivan = emu.user(42420, "Иван", "Петров", allowed=False)  # never wrote to the community
    admin = superadmin(emu)
    await open_orgs(admin)
    await admin.tap("1")
    await admin.tap("Назначить администратора")
    assert "Кого назначить администратором" in admin.last_message.text

    await admin.say("это не ссылка!")
    assert "Не похоже на ссылку" in admin.last_message.text
    await admin.say("vk.com/nobody_here")
    assert "не нашлось" in admin.last_message.text
    await admin.say("https://vk.com/club4242")
    assert "сообщество" in admin.last_message.text
    await admin.say("https://vk.com/durov")
    assert "Назначить Павел Дуров (vk.com/id1)" in admin.last_message.text
    await admin.tap("Назначить")
    assert "Павел Дуров теперь администратор" in admin.last_message.text
    assert await bot.deps.orgs.admin_ids(org_id) == [1]
    assert "Вас назначили администратором" in durov.last_message.text
    await durov.say("Начать")
    assert {"Заявки", "Управление"} <= set(durov.last_message.button_labels)

    # By numeric id, and by @screen name for someone who already is an administrator.
    await admin.tap("Назначить администратора")
    await admin.say("id42420")
    assert "Иван Петров" in admin.last_message.text
    await admin.tap("Назначить")
    assert "Иван Петров теперь администратор" in admin.last_message.text
    assert ivan.messages == []  # the notice could not be delivered; the appointment stands
    await admin.tap("Назначить администратора")
    await admin.say("@durov")
    await admin.tap("Назначить")
    assert "уже администратор" in admin.last_message.text
    assert sorted(await bot.deps.orgs.admin_ids(org_id)) == [1, 42420]
    entries = await bot.deps.audit.entries(action="admin.appoint")
    assert [(e.actor_id, e.object_id) for e in entries] == [(SUPERADMIN, 1), (SUPERADMIN, 42420)]


async def test_list_pages_and_search(bot: RunningBot, emu: Emulator) -> None:
    for n in range(1, 8):
        city = "Казань" if n % 2 else "Самара"
        await make_org(bot.deps, f"Школа № {n}", inn=make_inn(n), city=city)
    admin = superadmin(emu)
    first = await open_orgs(admin)
    assert "Страница 1 из 2" in first.text
    assert "5. Школа № 5 — Казань" in first.text
    await admin.tap("Дальше ›")
    assert "1. Школа № 6 — Самара" in admin.last_message.text
    await admin.tap("Найти")
    await admin.say("казань")
    found = admin.last_message
    assert "Найдено по запросу «казань»: 4" in found.text
    assert "Самара" not in found.text
    await admin.tap("Другой поиск")
    await admin.say(make_inn(6))
    assert "1. Школа № 6" in admin.last_message.text
    await admin.tap("Другой поиск")
    await admin.say("гимназия")
    assert "ничего не нашлось" in admin.last_message.text
    await admin.tap("Все организации")
    assert "Организации: 7" in admin.last_message.text


async def test_works_with_text_buttons(bot: RunningBot, emu: Emulator) -> None:
    """A client without callback buttons (or inline keyboards) gets text buttons, same flow."""
    admin = emu.user(SUPERADMIN, "Сергей", "Главный", callbacks=False, inline=False)
    await open_orgs(admin)
    await admin.tap("Создать")
    await admin.say("Центр детского творчества")
    await admin.tap("Дополнительное образование")
    await admin.say(make_inn(9_009))
    await admin.say("Татарстан")
    await admin.say("Казань")
    await admin.tap("Создать")
    org = await bot.deps.orgs.by_inn(make_inn(9_009))
    assert org is not None
    assert org.type == OrgType.ADDITIONAL
    assert all(b.type == "text" for m in admin.messages for b in m.buttons)


async def test_leaving_through_the_menu_drops_the_draft(bot: RunningBot, emu: Emulator) -> None:
    admin = superadmin(emu)
    await open_orgs(admin)
    await admin.tap("Создать")
    await admin.say("Школа № 3")
    await open_orgs(admin)  # "Начать", then "Организации" again
    await admin.say("казань")
    assert "Выберите тип" not in admin.last_message.text
    assert await bot.deps.states.state_name(SUPERADMIN) is None
