from bot.sandbox.vk import Emulator
from tests.apply_helpers import seed_school
from tests.harness import RunningBot


async def test_hang(bot: RunningBot, emu: Emulator) -> None:
    await seed_school(bot)
    staff = emu.user(3001, "Анна", "Иванова")
    await bot.deps.users.ensure(3001, locale="ru", now=0)
    await staff.say("Начать")
    await staff.tap("Подтвердить профиль")
    print(staff.last_message.text)
