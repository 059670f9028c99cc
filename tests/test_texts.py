"""The texts: role buttons never cut, names with their own quotes never nested, no hint about a
button that is not there, the invitation preview can go back, uses and days may be typed."""

from __future__ import annotations

from bot.i18n import SUPPORTED, Translator
from bot.sandbox.vk import Emulator
from bot.sandbox.vk.client import SentMessage
from bot.services.invitations import DAY
from keyboards.builder import MAX_LABEL
from storage.models import Role
from tests.apply_helpers import reach
from tests.factories import make_member, make_org
from tests.harness import RunningBot
from tests.invite_helpers import make_invitation

ADMIN = 500


def assert_uncut(message: SentMessage) -> None:
    for label in message.button_labels:
        assert not label.endswith("…"), label
        assert len(label) <= MAX_LABEL, label


def test_role_button_names_fit_with_a_count_in_every_language() -> None:
    t = Translator("ru")
    for locale in SUPPORTED:
        for role in Role:
            label = t(locale, "mg-role-count", role=t(locale, f"rolebtn-{role.value}"), count=999)
            assert len(label) <= MAX_LABEL, (locale, label)


async def test_no_role_button_is_cut_anywhere(bot: RunningBot, emu: Emulator) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,), classes=("5А",))
    for i, role in enumerate(Role):
        await make_member(bot.deps, org, 6000 + i, f"Сотрудник{i} Имя", role=role)
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await admin.say("Начать")
    await admin.tap("Приглашения")
    await admin.tap("Создать приглашение")
    assert_uncut(admin.last_message)  # the administrator's role picker
    await admin.say("Начать")
    await admin.tap("Управление")
    await admin.tap("Сотрудники")
    await admin.tap("Роль")
    assert_uncut(admin.last_message)  # the staff filter, with counts

    _, code = await make_invitation(bot.deps, org, created_by=ADMIN, role=None)
    staff = emu.user(2001, "Анна", "Иванова")
    await staff.open_link(ref=code)
    assert_uncut(staff.last_message)  # the joiner's role picker
    # The same short names as the application's role step.
    applicant = emu.user(2002, "Мария", "Петрова")
    await reach(applicant, bot, "role", org_button="МБОУ «Школа № 5», Екатеринбург")
    labels = set(applicant.last_message.button_labels)
    assert {"Воспитатель", "Педагог доп. образования"} <= labels
    assert {"Воспитатель", "Педагог доп. образования"} <= set(staff.last_message.button_labels)
    assert_uncut(applicant.last_message)


async def test_quotes_never_nest(bot: RunningBot, emu: Emulator) -> None:
    await make_org(bot.deps, "МБОУ «Средняя общеобразовательная школа № 5»", admins=(ADMIN,))
    other = await make_org(bot.deps, "Гимназия 2", admins=(ADMIN + 1,), inn="7707083893")
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await admin.say("Начать")
    await admin.tap("Приглашения")
    text = admin.last_message.text
    assert "Приглашения организации МБОУ «Средняя общеобразовательная школа № 5»." in text
    assert "»»" not in text
    second = emu.user(ADMIN + 1, "Пётр", "Сидоров")
    await second.say("Начать")
    await second.tap("Приглашения")
    # A name without quotes of its own is quoted once.
    assert "Приглашения организации «Гимназия 2»." in second.last_message.text
    assert other


async def test_the_name_hint_names_a_button_only_when_there_is_one(
    bot: RunningBot, emu: Emulator
) -> None:
    org = await make_org(bot.deps, admins=(ADMIN,))
    _, code = await make_invitation(bot.deps, org, created_by=ADMIN)
    named = emu.user(2001, "Анна", "Иванова")
    await named.open_link(ref=code)
    assert "нажмите кнопку с ним" in named.last_message.text
    assert "Иванова Анна" in named.last_message.button_labels
    nameless = emu.user(2002, "", "")
    await nameless.open_link(ref=code)
    assert "кнопк" not in nameless.last_message.text
    assert nameless.last_message.button_labels == ["Отмена"]


async def test_preview_goes_back_and_numbers_may_be_typed(bot: RunningBot, emu: Emulator) -> None:
    await make_org(bot.deps, admins=(ADMIN,))
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    await admin.say("Начать")
    await admin.tap("Приглашения")
    await admin.tap("Создать приглашение")
    await admin.tap("Учитель")
    assert "напишите число дней, от 1 до 365" in admin.last_message.text
    await admin.say("400")
    assert admin.last_message.text.startswith("Напишите целое число дней от 1 до 365")
    await admin.say("3")
    await admin.say("1001")
    assert admin.last_message.text.startswith("Напишите целое число человек от 1 до 1\xa0000")
    await admin.say("30")
    await admin.tap("Подтверждать сразу")
    await admin.tap("Без названия")
    preview = admin.last_message
    assert "Срок действия: 3 дня" in preview.text
    assert "Вступить смогут: 30 человек" in preview.text
    assert preview.button_labels[:2] == ["Создать", "Изменить"]

    # Back to the first step and through it again, choosing otherwise.
    await admin.tap("Изменить")
    await admin.tap("Воспитатель")
    await admin.say("2")
    await admin.say("2")
    await admin.tap("Подтверждать сразу")
    await admin.tap("Без названия")
    assert "Вступить смогут: 2 человека" in admin.last_message.text
    created_at = bot.clock.now()
    await admin.tap("Создать")
    row = await bot.deps.db.fetchone("SELECT role, max_uses, expires_at FROM invitations")
    assert (row["role"], row["max_uses"]) == (Role.PRESCHOOL_TEACHER.value, 2)
    assert row["expires_at"] == created_at + 2 * DAY
