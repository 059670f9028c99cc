"""Organization administration end to end: classes, staff, administrators, exports."""

from __future__ import annotations

import csv
import io

from bot.sandbox.vk import Emulator
from storage.models import Role
from tests.factories import make_member, make_org
from tests.harness import RunningBot
from tests.org_helpers import (
    ADMIN,
    APPLICANT,
    EDUCATOR,
    OTHER_ADMIN,
    TEACHER,
    audit_count,
    open_menu,
    seed,
)


async def _class_names(bot: RunningBot, org_id: int) -> list[str]:
    return [c.name for c in await bot.deps.classes.of_org(org_id)]


async def test_admin_creates_renames_and_deletes_classes(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    org = await make_org(deps, admins=(ADMIN,))
    member = await make_member(deps, org, TEACHER, "Иванова Анна Сергеевна")
    admin = emu.user(ADMIN, "Ольга", "Смирнова")

    await open_menu(admin, "Управление")
    assert "Сначала создайте их" in admin.last_message.text
    await admin.tap("Классы")
    assert "Классов пока нет" in admin.last_message.text
    await admin.tap("Добавить")
    assert "Напишите название класса" in admin.last_message.text

    # Bad input is explained and the question asked again; nothing is created.
    await admin.send_sticker()
    assert admin.last_message.text.startswith("Пришлите ответ текстом.")
    assert "Напишите название класса" in admin.last_message.text
    await admin.say("😀")
    assert admin.last_message.text.startswith("Нужны буквы или цифры.")
    await admin.say("x" * 31)
    assert admin.last_message.text.startswith("Слишком длинно: не больше 30.")
    assert await _class_names(bot, org) == []

    await admin.say("5А, 5Б\n6А; 5а")
    assert "Добавлено: 5А, 5Б, 6А." in admin.last_message.text
    assert await _class_names(bot, org) == ["5А", "5Б", "6А"]
    await admin.tap("Добавить")
    await admin.say("5а, Старшая группа")
    assert "Добавлено: Старшая группа." in admin.last_message.text
    assert "Уже были: 5а." in admin.last_message.text

    await admin.tap("6А")
    assert admin.last_message.text == "Класс «6А». Отмечен у сотрудников: 0."
    await admin.tap("Переименовать")
    await admin.say("5б")
    assert admin.last_message.text.startswith("Класс «5б» уже есть.")
    await admin.say("5В")
    assert admin.last_message.text.startswith("Класс «6А» переименован в «5В».")
    assert await _class_names(bot, org) == ["5А", "5Б", "5В", "Старшая группа"]
    [renamed] = await deps.audit.entries(action="class.rename")
    assert (renamed.actor_id, renamed.before, renamed.after) == (
        ADMIN,
        {"name": "6А"},
        {"name": "5В"},
    )

    # Deleting a class takes it off the staff who had it (the foreign keys cascade).
    class_id = next(c.id for c in await deps.classes.of_org(org) if c.name == "5В")
    async with deps.db.transaction() as tx:
        current = await deps.members.get_in(tx, member)
        assert current is not None
        await deps.members.update(
            tx, current, position=current.position, class_ids=(class_id,), now=0, actor_id=None
        )
    await admin.tap("Удалить")
    assert "Удалить класс «5В»?" in admin.last_message.text
    assert "снят у сотрудников (1)" in admin.last_message.text
    await admin.tap("Да, удалить")
    assert admin.last_message.text.startswith("Класс «5В» удалён.")
    assert await _class_names(bot, org) == ["5А", "5Б", "Старшая группа"]
    after = await deps.members.get(member)
    assert after is not None
    assert after.class_ids == ()
    assert len(await deps.audit.entries(action="class.delete")) == 1


async def test_deleting_twice_changes_once(bot: RunningBot, emu: Emulator) -> None:
    world = await seed(bot.deps)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await open_menu(admin, "Управление")
    await admin.tap("Классы")
    await admin.tap("5А")
    await admin.tap("Удалить")
    confirm = admin.last_message
    yes = next(b for b in confirm.buttons if b.label == "Да, удалить")
    await admin.press_payload(yes.payload or "")
    await admin.press_payload(yes.payload or "")
    assert admin.last_message.text.startswith("Этого класса уже нет.")
    assert await _class_names(bot, world.school) == ["5Б"]
    assert len(await bot.deps.audit.entries(action="class.delete")) == 1


async def test_admin_changes_position_and_classes(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    world = await seed(deps)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await open_menu(admin, "Управление")
    await admin.tap("Сотрудники")
    text = admin.last_message.text
    assert "Сотрудники: МБОУ «Школа № 5» (3)" in text
    assert "Смирнова Ольга Ивановна (администратор) — Учитель (школа), директор" in text
    await admin.tap("Иванова Анна Сергеевна")
    assert "Должность: учитель математики" in admin.last_message.text
    assert "vk.com/id3001" in admin.last_message.text

    await admin.tap("Должность")
    await admin.say("   ")
    assert admin.last_message.text.startswith("Пришлите ответ текстом.")
    await admin.say("у" * 101)
    assert admin.last_message.text.startswith("Слишком длинно: не больше 100.")
    await admin.say("учитель  физики")
    assert admin.last_message.text.startswith("Должность сохранена.")
    assert "Должность: учитель физики" in admin.last_message.text
    member = await deps.members.get(world.teacher_membership)
    assert member is not None
    assert member.position == "учитель физики"

    await admin.tap("Классы")
    await admin.tap("5А")
    await admin.tap("5Б")
    assert {"✅ 5А", "✅ 5Б"} <= set(admin.last_message.button_labels)
    await admin.tap("✅ 5А")
    assert "Сейчас: 5Б." in admin.last_message.text
    await admin.tap("Готово")
    assert "Классы: 5Б" in admin.last_message.text
    member = await deps.members.get(world.teacher_membership)
    five_b = next(c.id for c in await deps.classes.of_org(world.school) if c.name == "5Б")
    assert member is not None
    assert member.class_ids == (five_b,)
    updates = await deps.audit.entries(action="member.update")
    assert next(u.after for u in updates) == {"position": "учитель физики", "classes": []}
    assert len(updates) == 4
    assert all(u.actor_id == ADMIN for u in updates)


async def test_staff_filtered_by_role(bot: RunningBot, emu: Emulator) -> None:
    await seed(bot.deps)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await open_menu(admin, "Управление")
    await admin.tap("Сотрудники")
    await admin.tap("Роль")
    assert admin.last_message.text == "Сотрудников с какой ролью показать?"
    assert "Учитель (2)" in admin.last_message.button_labels
    await admin.tap("Воспитатель")
    text = admin.last_message.text
    assert "Роль: Воспитатель или педагог дошкольного образования" in text
    assert "Ёлкина Мария Петровна" in text
    assert "Иванова" not in text
    assert admin.last_message.button_labels[0] == "Ёлкина Мария Петровна"


async def test_staff_list_pages(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    org = await make_org(deps, admins=(ADMIN,), classes=("5А",))
    for i in range(7):
        await make_member(deps, org, 5000 + i, f"Сотрудник{i} Имя Отчество")
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await open_menu(admin, "Управление")
    await admin.tap("Сотрудники")
    assert "Страница 1 из 2" in admin.last_message.text
    assert "Сотрудник4" in admin.last_message.text
    assert "Сотрудник5" not in admin.last_message.text
    await admin.tap("Дальше ▶")
    assert "Страница 2 из 2" in admin.last_message.text
    assert admin.last_message.button_labels[:2] == [
        "Сотрудник5 Имя Отчество",
        "Сотрудник6 Имя Отчество",
    ]
    assert "Дальше ▶" not in admin.last_message.button_labels


async def test_admin_removes_member_with_reason(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    world = await seed(deps)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    teacher = emu.user(TEACHER, "Анна", "Иванова")
    educator = emu.user(EDUCATOR, "Мария", "Ёлкина")
    await teacher.say("Начать")
    await educator.say("Начать")

    await open_menu(admin, "Управление")
    await admin.tap("Сотрудники")
    await admin.tap("Иванова Анна Сергеевна")
    await admin.tap("Удалить из организации")
    assert "Выберите причину" in admin.last_message.text
    await admin.tap("Не работает в организации")
    assert admin.last_message.text.startswith(
        "Иванова Анна Сергеевна больше не в списке подтверждённых сотрудников."
    )
    assert await deps.members.active(world.school, TEACHER) is None
    [removal] = await deps.audit.entries(action="member.remove")
    assert (removal.actor_id, removal.reason) == (ADMIN, "not_employee")
    assert "Причина: Не работает в организации." in teacher.last_message.text
    # The badge is gone: the profile no longer shows it, the contacts are closed.
    await open_menu(teacher, "Мой профиль")
    assert "✅" not in teacher.last_message.text
    await open_menu(teacher, "Контакты организации")
    assert "только её подтверждённым сотрудникам" in teacher.last_message.text

    # Another reason is typed; a bad one is explained first.
    await admin.tap("Ёлкина Мария Петровна")
    await admin.tap("Удалить из организации")
    await admin.tap("Другая причина")
    await admin.say("ок")
    assert admin.last_message.text.startswith("Слишком коротко.")
    await admin.say("Перевелась в детский сад № 7")
    assert await deps.members.active(world.school, EDUCATOR) is None
    assert "Причина: Перевелась в детский сад № 7." in educator.last_message.text

    # An administrator cannot remove themselves here: that is leaving, from the profile.
    await admin.tap("Смирнова Ольга Ивановна")
    await admin.tap("Удалить из организации")
    assert admin.last_message.text.startswith("Себя здесь удалить нельзя.")
    assert await deps.members.active(world.school, ADMIN) is not None


async def test_removing_an_admin_member_ends_their_rights(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    world = await seed(deps)
    async with deps.db.transaction() as tx:
        await deps.orgs.add_admin(tx, world.school, TEACHER, 0, None)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await open_menu(admin, "Управление")
    await admin.tap("Сотрудники")
    await admin.tap("Иванова Анна Сергеевна")
    await admin.tap("Удалить из организации")
    await admin.tap("ФИО не совпадает")
    assert await deps.orgs.admin_ids(world.school) == [ADMIN]


async def test_admin_appoints_and_removes_administrators(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    world = await seed(deps)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    educator = emu.user(EDUCATOR, "Мария", "Ёлкина")
    await educator.say("Начать")
    assert "Управление" not in educator.last_message.button_labels

    await open_menu(admin, "Управление")
    await admin.tap("Администраторы")
    assert "1. Смирнова Ольга Ивановна — vk.com/id2001" in admin.last_message.text
    # The only administrator cannot be removed.
    await admin.tap("Смирнова Ольга Ивановна")
    assert admin.last_message.text.startswith("Это единственный администратор")
    await admin.tap("Назначить")
    text = admin.last_message.text
    assert "Ёлкина Мария Петровна" in text
    assert "Смирнова" not in text
    assert "Кузнецов" not in text  # an applicant is not verified staff
    await admin.tap("Ёлкина Мария Петровна")
    await admin.tap("Назначить")
    assert admin.last_message.text.startswith("Ёлкина Мария Петровна теперь администратор.")
    assert await deps.orgs.admin_ids(world.school) == [ADMIN, EDUCATOR]
    assert "Вас назначили администратором" in educator.last_message.text
    await educator.say("Начать")
    assert "Управление" in educator.last_message.button_labels
    [appointed] = await deps.audit.entries(action="admin.appoint", object_id=EDUCATOR)
    assert appointed.actor_id == ADMIN

    await admin.tap("Ёлкина Мария Петровна")
    assert "Снять права администратора организации" in admin.last_message.text
    await admin.tap("Снять права")
    assert admin.last_message.text.startswith("Права администратора сняты.")
    assert await deps.orgs.admin_ids(world.school) == [ADMIN]
    assert educator.last_message.text.startswith("Вы больше не администратор")
    assert len(await deps.audit.entries(action="admin.remove")) == 1


async def test_last_admin_is_never_removed_even_by_an_old_button(
    bot: RunningBot, emu: Emulator
) -> None:
    deps = bot.deps
    world = await seed(deps)
    async with deps.db.transaction() as tx:
        await deps.orgs.add_admin(tx, world.school, TEACHER, 0, None)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await open_menu(admin, "Управление")
    await admin.tap("Администраторы")
    await admin.tap("Смирнова Ольга Ивановна")
    assert "с себя" in admin.last_message.text
    remove_self = next(b for b in admin.last_message.buttons if b.label == "Снять права")
    # Meanwhile the other administrator is removed; the old confirmation must not leave none.
    async with deps.db.transaction() as tx:
        await deps.orgs.remove_admin(tx, world.school, TEACHER, 0, None)
    await admin.press_payload(remove_self.payload or "")
    assert admin.last_message.text.startswith("Это единственный администратор")
    assert await deps.orgs.admin_ids(world.school) == [ADMIN]


async def test_export_staff_and_applications(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    world = await seed(deps)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await open_menu(admin, "Управление")
    await admin.tap("Выгрузка")
    export_menu = admin.last_message
    await admin.tap("Сотрудники")
    message = admin.last_message
    assert message.text == "Сотрудники: МБОУ «Школа № 5»."
    [attachment] = message.attachments
    data = emu.doc_bytes(attachment)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "ФИО",
        "Роль",
        "Должность",
        "Классы",
        "Профиль ВКонтакте",
        "Администратор",
        "Подтверждён",
    ]
    assert [r[0] for r in rows[1:]] == [
        "Ёлкина Мария Петровна",
        "Иванова Анна Сергеевна",
        "Смирнова Ольга Ивановна",
    ]
    assert rows[3][4:6] == ["https://vk.com/id2001", "да"]

    await admin.tap("Заявки", message=export_menu)
    data = emu.doc_bytes(admin.last_message.attachments[0])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Номер", "ФИО", "Роль"]
    assert len(rows) == 2
    assert rows[1][1:2] + rows[1][4:6] == [
        "Кузнецов Илья Андреевич",
        f"https://vk.com/id{APPLICANT}",
        "На рассмотрении",
    ]
    exports = [e.action for e in await deps.audit.entries() if e.action.startswith("export.")]
    assert exports == ["export.staff", "export.apps"]
    assert {e.org_id for e in await deps.audit.entries(action="export.staff")} == {world.school}
    uploads = [m for m, _ in emu.calls if m.startswith("docs.")]
    assert uploads == ["docs.getMessagesUploadServer", "docs.save"] * 2


async def test_admin_of_several_organizations_picks_one(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    world = await seed(deps)
    async with deps.db.transaction() as tx:
        await deps.orgs.add_admin(tx, world.kindergarten, ADMIN, 0, None)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await open_menu(admin, "Управление")
    assert admin.last_message.text.startswith("Вы администратор нескольких организаций")
    await admin.tap("Детский сад")
    assert admin.last_message.text.startswith("Управление: МБДОУ «Детский сад № 7»")
    await admin.tap("Сотрудники")
    assert "Подтверждённых сотрудников пока нет." in admin.last_message.text
    await admin.tap("Назад")
    await admin.tap("Другая организация")
    assert admin.last_message.text.startswith("Вы администратор нескольких организаций")
    await admin.tap("Школа")
    assert admin.last_message.text.startswith("Управление: МБОУ «Школа № 5»")


async def test_text_button_client_manages_too(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    world = await seed(deps)
    admin = emu.user(ADMIN, "Ольга", "Смирнова", callbacks=False)
    await open_menu(admin, "Управление")
    await admin.tap("Классы")
    await admin.tap("Добавить")
    await admin.say("7А")
    assert "Добавлено: 7А." in admin.last_message.text
    assert "7А" in await _class_names(bot, world.school)
    before = await audit_count(deps)
    # A text-button client pressing a button while typing is served by the button.
    await admin.tap("Добавить")
    await admin.tap("Отмена")
    assert admin.last_message.text.startswith("Классы и группы")
    assert await audit_count(deps) == before


async def test_typed_answer_rechecks_rights(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    world = await seed(deps)
    async with deps.db.transaction() as tx:
        await deps.orgs.add_admin(tx, world.school, OTHER_ADMIN, 0, None)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await open_menu(admin, "Управление")
    await admin.tap("Классы")
    await admin.tap("5А")
    await admin.tap("Переименовать")
    # While the administrator types, another one removes their rights.
    async with deps.db.transaction() as tx:
        await deps.orgs.remove_admin(tx, world.school, ADMIN, 0, OTHER_ADMIN)
    await admin.say("5Я")
    assert admin.last_message.text == "Нет прав"
    assert await _class_names(bot, world.school) == ["5А", "5Б"]
    assert await deps.states.state_name(ADMIN) is None


async def test_role_label_for_every_role_fits(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    org = await make_org(deps, admins=(ADMIN,), classes=("5А",))
    for i, role in enumerate(Role):
        await make_member(deps, org, 6000 + i, f"Сотрудник{i} Имя", role=role)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await open_menu(admin, "Управление")
    await admin.tap("Сотрудники")
    await admin.tap("Роль")
    assert len(admin.last_message.buttons) == len(Role) + 2
    await admin.tap("Орган управления (1)")
    assert "Сотрудник5 Имя" in admin.last_message.text


async def test_old_member_card_after_the_member_left(bot: RunningBot, emu: Emulator) -> None:
    deps = bot.deps
    world = await seed(deps)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await open_menu(admin, "Управление")
    await admin.tap("Сотрудники")
    await admin.tap("Иванова Анна Сергеевна")
    card = admin.last_message
    teacher = emu.user(TEACHER, "Анна", "Иванова")
    await open_menu(teacher, "Мой профиль")
    await teacher.tap("Выйти из организации")
    await teacher.tap("Да, выйти")
    before = await audit_count(deps)
    await admin.tap("Должность", message=card)
    assert admin.last_message.text.startswith("Этого сотрудника уже нет среди подтверждённых.")
    assert "Иванова" not in admin.last_message.text
    assert await deps.states.state_name(ADMIN) is None
    assert await audit_count(deps) == before
    assert await deps.members.active(world.school, TEACHER) is None


async def test_management_in_english(bot: RunningBot, emu: Emulator) -> None:
    await seed(bot.deps)
    admin = emu.user(ADMIN, "Olga", "Smirnova", lang_id=3)
    await open_menu(admin, "Manage")
    assert admin.last_message.text.startswith("Manage: МБОУ «Школа № 5»\nVerified staff: 3")
    await admin.tap("Staff")
    assert "Смирнова Ольга Ивановна (administrator) — School teacher" in admin.last_message.text


async def test_admin_list_survives_vk_failing_to_name_someone(
    bot: RunningBot, emu: Emulator
) -> None:
    """users.get failing while the list names an administrator VK has not named yet: the
    list still shows (that administrator unnamed), and their name is asked again next time."""
    deps = bot.deps
    world = await seed(deps)
    async with deps.db.transaction() as tx:
        await deps.orgs.add_admin(tx, world.school, OTHER_ADMIN, 0, None)
    emu.user(OTHER_ADMIN, "Пётр", "Орлов")
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await open_menu(admin, "Управление")
    emu.fail_next("users.get", code=100)
    await admin.tap("Администраторы")
    text = admin.last_message.text
    assert "1. - — vk.com/id2101" in text
    assert "2. Смирнова Ольга Ивановна — vk.com/id2001" in text
    assert "Что-то пошло не так" not in text
    assert emu.failures_left("users.get") == 0

    await admin.tap("Назад")
    await admin.tap("Администраторы")
    assert "1. Пётр Орлов — vk.com/id2101" in admin.last_message.text


async def test_removal_and_appointment_stand_when_the_notice_fails(
    bot: RunningBot, emu: Emulator
) -> None:
    """The change commits and then the person is told: a notice VK refuses is logged, and the
    administrator is told the change is done (not "something went wrong")."""
    deps = bot.deps
    world = await seed(deps)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    teacher = emu.user(TEACHER, "Анна", "Иванова")
    educator = emu.user(EDUCATOR, "Мария", "Ёлкина")
    await teacher.say("Начать")
    await educator.say("Начать")
    told_teacher, told_educator = len(teacher.messages), len(educator.messages)

    await open_menu(admin, "Управление")
    await admin.tap("Сотрудники")
    await admin.tap("Иванова Анна Сергеевна")
    await admin.tap("Удалить из организации")
    emu.fail_next("messages.send", code=7)
    await admin.tap("Не работает в организации")
    assert emu.failures_left("messages.send") == 0
    assert admin.last_message.text.startswith(
        "Иванова Анна Сергеевна больше не в списке подтверждённых сотрудников."
    )
    assert await deps.members.active(world.school, TEACHER) is None
    assert len(teacher.messages) == told_teacher

    await open_menu(admin, "Управление")
    await admin.tap("Администраторы")
    await admin.tap("Назначить")
    await admin.tap("Ёлкина Мария Петровна")
    emu.fail_next("messages.send", code=7)
    await admin.tap("Назначить")
    assert emu.failures_left("messages.send") == 0
    assert admin.last_message.text.startswith("Ёлкина Мария Петровна теперь администратор.")
    assert await deps.orgs.admin_ids(world.school) == [ADMIN, EDUCATOR]
    assert len(educator.messages) == told_educator
