"""Only superadmins by the settings act in "Организации": a button's payload is not a right."""

from __future__ import annotations

from bot.sandbox.vk import Emulator
from bot.sandbox.vk.client import Button, SentMessage
from tests.factories import make_member, make_org
from tests.harness import SUPERADMIN, RunningBot, make_settings
from tests.orgs_helpers import make_inn, open_orgs, superadmin


def button(message: SentMessage, label: str) -> Button:
    [found] = [b for b in message.buttons if b.label == label]
    return found


async def snapshot(bot: RunningBot) -> tuple[object, ...]:
    db = bot.deps.db
    return (
        await db.fetchall("SELECT * FROM organizations ORDER BY id"),
        await db.fetchall("SELECT * FROM org_admins ORDER BY org_id, vk_id"),
        await db.fetchval("SELECT COUNT(*) FROM audit_log"),
    )


async def test_others_pressing_superadmin_buttons_change_nothing(
    bot: RunningBot, emu: Emulator
) -> None:
    org_id = await make_org(bot.deps, "Школа № 5", inn=make_inn(5), admins=(700,))
    await make_member(bot.deps, org_id, 1001)
    intruders = {
        "stranger": emu.user(1002, "Пётр", "Посторонний"),
        "staff": emu.user(1001, "Анна", "Иванова"),
        "org admin": emu.user(700, "Ольга", "Директорова"),
    }
    emu.user(1, "Павел", "Дуров", screen_name="durov")

    # The superadmin's own buttons, collected as they appear.
    admin = superadmin(emu)
    await admin.say("Начать")
    buttons = [button(admin.last_message, "Организации")]
    await admin.tap("Организации")
    buttons += [button(admin.last_message, "1"), button(admin.last_message, "Создать")]
    await admin.tap("1")
    card = admin.last_message
    buttons += [button(card, "В архив"), button(card, "Изменить")]
    await admin.tap("В архив")
    buttons.append(button(admin.last_message, "Да, в архив"))
    await admin.tap("Отмена")
    await admin.tap("Изменить")
    buttons += [button(admin.last_message, "Сохранить"), button(admin.last_message, "Название")]
    await admin.tap("Назначить администратора", message=card)
    await admin.say("@durov")
    buttons.append(button(admin.last_message, "Назначить"))
    await admin.tap("Отмена")
    before = await snapshot(bot)

    for who, other in intruders.items():
        await other.say("Начать")
        assert "Организации" not in other.last_message.button_labels, who
        for b in buttons:
            assert isinstance(b.payload, dict)
            assert b.raw_payload is not None
            snackbars = len(other.snackbars)
            await other.press_payload(b.payload)
            assert other.snackbars[snackbars:] == ["Нет прав"], (who, b.label)
            await other.press_payload(b.raw_payload, callback=False, text=b.label)
            assert other.last_message.text == "Нет прав", (who, b.label)
            assert await bot.deps.states.state_name(other.user_id) is None, (who, b.label)

    assert await snapshot(bot) == before
    org = await bot.deps.orgs.get(org_id)
    assert org is not None
    assert org.archived_at is None
    assert await bot.deps.orgs.admin_ids(org_id) == [700]


async def test_a_superadmin_removed_from_the_settings_is_stopped_mid_flow(
    bot: RunningBot, emu: Emulator
) -> None:
    admin = superadmin(emu)
    await open_orgs(admin)
    await admin.tap("Создать")
    await admin.say("Школа № 9")
    assert "Выберите тип" in admin.last_message.text
    type_button = button(admin.last_message, "Школа")

    # The deployer takes the person out of SUPERADMIN_IDS and restarts the bot.
    bot.settings = make_settings(bot.settings.database_path, emu.api_url, superadmin_ids="1")
    await bot.restart()
    await admin.say("Школа")  # typed at the step the person was at
    assert admin.last_message.text == "Нет прав"
    assert await bot.deps.states.state_name(SUPERADMIN) is None
    assert type_button.payload is not None
    await admin.press_payload(type_button.payload)
    assert admin.snackbars[-1] == "Нет прав"
    await admin.say("Начать")
    assert "Организации" not in admin.last_message.button_labels
    assert await bot.deps.orgs.count() == 0
