"""First contact: greeting, menu, help, things the bot does not understand."""

from __future__ import annotations

from bot.sandbox.vk import Emulator
from tests.harness import RunningBot


async def test_start_shows_greeting_and_menu(bot: RunningBot, emu: Emulator) -> None:
    staff = emu.user(1001, "Анна", "Иванова")
    await staff.say("Начать")
    reply = staff.last_message
    assert reply.text.startswith("Здравствуйте!")
    assert {"Подтвердить профиль", "У меня приглашение", "Мои заявки", "Помощь"} <= set(
        reply.button_labels
    )
    assert reply.inline
    assert all(b.type == "callback" for b in reply.buttons)


async def test_help_explains_verification(bot: RunningBot, emu: Emulator) -> None:
    staff = emu.user(1001, "Анна", "Иванова")
    await staff.say("/start")
    event_id = await staff.tap("Помощь")
    assert "Как подтвердить профиль" in staff.last_message.text
    # The press is answered exactly once, without a snackbar.
    assert len(staff.answers_for(event_id)) == 1
    assert staff.snackbars == []


async def test_group_chat_messages_are_not_answered(bot: RunningBot, emu: Emulator) -> None:
    staff = emu.user(1001, "Анна", "Иванова")
    chat = 2_000_000_001
    event_id = staff.push_message("Начать", peer_id=chat)
    await emu.settle(event_id)
    # Not even attempted (the emulator would refuse an unknown peer, which proves nothing).
    assert not [p for m, p in emu.calls if m == "messages.send" and str(chat) in str(p)]
    await staff.say("Начать")
    assert len(staff.messages) == 1


async def test_allowing_messages_gets_a_greeting(bot: RunningBot, emu: Emulator) -> None:
    staff = emu.user(1004, "Анна", "Иванова", allowed=False)
    await staff.allow_messages()
    assert staff.last_message.text.startswith("Здравствуйте!")
    assert "Подтвердить профиль" in staff.last_message.button_labels
    user = await bot.deps.users.get(1004)
    assert user is not None
    assert user.messages_allowed
