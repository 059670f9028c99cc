"""The sandbox's web chat in a real browser (Debian's headless Chromium): a person sees the whole
product, verification from both sides, invitation QR codes, the old-client fallback, and a
forged button refused. Each test leaves a screenshot of its end state in test-artifacts/."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import PIL.Image
import pytest
import zxingcpp
from playwright.async_api import expect

from tests.sandbox_helpers import (
    CHROMIUM,
    TEACHER,
    PaneUser,
    browser,
    running_sandbox,
    screenshot,
)

# CI (.ci/run installs Chromium) never skips them: there a missing browser is a failure.
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (.ci/run installs it)",
)
SCHOOL = "МАОУ «Средняя общеобразовательная школа № 12»"
SCHOOL_BUTTON = "Школа № 12, Екатеринбург"
LINK = re.compile(r"https://vk\.me/club(\d+)\?ref=([A-Z0-9]+)")


async def _apply(teacher: PaneUser, *, name: str = "Иванова Анна Сергеевна") -> None:
    """A teacher's whole application, as they would click and type it."""
    await teacher.start()
    await teacher.expect_bot("Здравствуйте")
    await teacher.tap("Подтвердить профиль", then="Найдём вашу организацию")
    await teacher.say("школа 12")
    await teacher.expect_bot("Выберите свою организацию")
    await teacher.tap(SCHOOL_BUTTON, then="Кем вы работаете?")
    await teacher.tap("Учитель", then="фамилию, имя и отчество")
    await teacher.say(name)
    await teacher.expect_bot("Ваша должность?")
    await teacher.say("учитель математики")
    await teacher.expect_bot("В каких классах")
    await teacher.tap("5А", then="Выбрано: 5А")
    await teacher.tap("Готово", then="Проверьте заявку")
    await teacher.tap("Отправить заявку", then="отправлена")


async def test_teacher_applies_in_one_pane_and_the_administrator_approves_in_the_other(
    tmp_path: Path,
) -> None:
    async with (
        running_sandbox(tmp_path / "data") as sandbox,
        browser(tmp_path / "profile") as context,
    ):
        page = await context.new_page()
        await page.goto(sandbox.url)
        await expect(page.locator(".top-notice")).to_contain_text("Входа нет")
        teacher, admin = PaneUser(page, 0), PaneUser(page, 1)
        await expect(teacher.root.locator(".who")).to_have_text("Анна Иванова")
        await expect(admin.root.locator(".who")).to_have_text("Наталья Кузнецова")
        await expect(teacher.root.locator(".community-name")).to_have_text(
            "Подтверждение сотрудников"
        )

        await _apply(teacher)
        # The administrator's prompt arrives live, with the bot's coloured callback buttons.
        await admin.expect_bot("Это сотрудник вашей организации?")
        await admin.expect_bot("Иванова Анна Сергеевна")
        approve = admin.last_bot().get_by_role("button", name="Принять")
        await expect(approve).to_have_class(re.compile(r"\bpositive\b"))
        await approve.click()
        await expect(admin.root.locator(".snackbar")).to_have_text("Заявка № 1 принята")
        # Edited in place: the same message now says who approved it.
        await expect(admin.root.locator(".msg", has_text="Принята: ")).to_have_count(1)
        await expect(admin.root.locator(".meta", has_text="изменено")).not_to_have_count(0)

        # The teacher is told at once, under their new badge.
        await teacher.expect_bot("✅ Сотрудник · Школа № 12")
        await teacher.expect_bot("профиль сотрудника подтверждён")
        await teacher.tap("Мой профиль", then=f"✅ {SCHOOL}")
        await screenshot(page, "sandbox-verification")
        # On a phone-sized window the panes stack and stay readable.
        await page.set_viewport_size({"width": 390, "height": 844})
        await expect(teacher.last_bot()).to_contain_text(f"✅ {SCHOOL}")
        await screenshot(page, "sandbox-phone")

        assert sandbox.app is not None
        deps = sandbox.app.deps
        members = await deps.members.of_user(TEACHER)
        assert [(m.full_name, m.position) for m in members] == [
            ("Иванова Анна Сергеевна", "учитель математики")
        ]


async def test_invitation_qr_is_shown_and_a_new_person_joins_by_its_link(tmp_path: Path) -> None:
    async with (
        running_sandbox(tmp_path / "data") as sandbox,
        browser(tmp_path / "profile") as context,
    ):
        page = await context.new_page()
        await page.goto(sandbox.url)
        left, admin = PaneUser(page, 0), PaneUser(page, 1)
        await admin.start()
        await admin.tap("Приглашения", then="Приглашения организации")
        await admin.tap("Создать приглашение", then="Для какой роли?")
        await admin.tap("Учитель", then="Привязать приглашение к классу?")
        await admin.tap("Без класса", then="Сколько будет действовать")
        await admin.tap("7 дней", then="Сколько человек")
        await admin.tap("10 человек", then="Подтверждать вступивших")
        await admin.tap("Подтверждать сразу", then="Придумайте название")
        await admin.tap("Без названия", then="Роль: Учитель (школа)")
        await admin.tap("Создать", then=LINK)

        message = admin.last_bot()
        text = await message.locator(".body").inner_text()
        found = LINK.search(text)
        assert found is not None, text
        link = found.group(0)
        # The QR code is shown as an image and reads back as the link.
        image = message.locator("img.photo")
        await expect(image).to_be_visible()
        src = await image.get_attribute("src")
        assert src is not None
        response = await page.request.get(sandbox.url + src)
        picture = PIL.Image.open(io.BytesIO(await response.body()))
        assert [r.text for r in zxingcpp.read_barcodes(picture)] == [link]

        await left.new_person("Пётр", "Сидоров")
        await message.get_by_role("link", name=link).click()
        dialog = page.locator("#link-dialog")
        await expect(dialog).to_be_visible()
        await expect(dialog.locator(".link-person")).to_have_value(
            await left.root.locator("select.person").input_value()
        )
        await dialog.get_by_role("button", name="Перейти").click()
        await left.expect_bot("Приглашение в организацию")
        await left.tap("Сидоров Пётр", then="должность")
        await left.tap("Пропустить", then="Вступить")
        await left.tap("Вступить", then="Вы — подтверждённый сотрудник")
        await screenshot(page, "sandbox-invitation")

        assert sandbox.app is not None
        new_id = int(await left.root.locator("select.person").input_value())
        members = await sandbox.app.deps.members.of_user(new_id)
        assert [(m.full_name, m.via) for m in members] == [("Сидоров Пётр", "invitation")]


async def test_old_client_completes_an_application_with_text_buttons(tmp_path: Path) -> None:
    async with (
        running_sandbox(tmp_path / "data") as sandbox,
        browser(tmp_path / "profile") as context,
    ):
        page = await context.new_page()
        await page.goto(sandbox.url)
        teacher = PaneUser(page, 0)
        await teacher.pick(4)
        await teacher.client("old")
        await _apply(teacher, name="Попов Михаил Андреевич")
        # Every button the bot showed this client was a text button: its presses are messages.
        types = await teacher.root.locator(".kb-btn").evaluate_all(
            "els => [...new Set(els.map(e => e.dataset.type))]"
        )
        assert types == ["text"]
        await expect(
            teacher.root.locator('.msg[data-from="person"]', has_text="Отправить заявку")
        ).to_have_count(1)
        await screenshot(page, "sandbox-old-client")

        assert sandbox.app is not None
        pending = await sandbox.app.deps.db.fetchall(
            "SELECT full_name, status FROM applications WHERE vk_id = 4"
        )
        assert [tuple(r) for r in pending] == [("Попов Михаил Андреевич", "pending")]


async def test_forged_and_broken_button_presses_are_refused_in_the_page(tmp_path: Path) -> None:
    async with (
        running_sandbox(tmp_path / "data") as sandbox,
        browser(tmp_path / "profile") as context,
    ):
        page = await context.new_page()
        await page.goto(sandbox.url)
        teacher, admin = PaneUser(page, 0), PaneUser(page, 1)
        await _apply(teacher)
        await admin.expect_bot("Это сотрудник вашей организации?")

        # The teacher forges the administrator's "Approve" payload onto their own button.
        stolen = (
            await admin.last_bot()
            .get_by_role("button", name="Принять")
            .get_attribute("data-payload")
        )
        assert stolen is not None
        await teacher.say("Начать")
        await teacher.expect_bot("Выберите, что нужно сделать")
        button = teacher.last_bot().locator(".kb-btn").first
        await button.evaluate("(el, p) => { el.dataset.payload = p; }", stolen)
        await button.click()
        # Rights are read again from the database: a signed payload is not a permission.
        await expect(teacher.root.locator(".snackbar")).to_have_text("Нет прав")
        # A payload made up by hand carries no valid signature.
        await button.evaluate('el => { el.dataset.payload = \'{"a":"rv","id":1}\'; }')
        await button.click()
        await expect(teacher.root.locator(".snackbar")).to_contain_text("устарела")

        # A payload VK would never deliver (not JSON) is refused by the page's VK itself.
        await button.evaluate("el => { el.dataset.payload = '{broken'; }")
        await button.click()
        await expect(teacher.root.locator(".error")).to_contain_text("Кнопка повреждена")
        # Empty and over-long text are refused as VK refuses them; nothing reaches the bot.
        await teacher.say("   ")
        await expect(teacher.root.locator(".error")).to_contain_text("пустое сообщение")
        await teacher.say("я" * 10_000)
        await expect(teacher.root.locator(".error")).to_contain_text(
            re.compile(r"10\s000 символов, ВКонтакте принимает не больше 4\s096")
        )
        await screenshot(page, "sandbox-forged-button")

        # A call VK would refuse (here made by hand, as a buggy screen would) is shown at once.
        assert sandbox.emu is not None
        rows = [[{"action": {"type": "text", "label": str(i)}}] for i in range(7)]
        params = {
            "access_token": sandbox.emu.token,
            "v": "5.199",
            "peer_id": str(TEACHER),
            "random_id": "0",
            "message": "x",
            "keyboard": json.dumps({"inline": True, "buttons": rows}),
        }
        await page.request.post(sandbox.emu.api_url + "messages.send", form=params)
        await expect(page.locator("#violations")).to_contain_text("7 rows")
        sandbox.emu.violations.clear()  # shown as it should be; the rest were the bot's own

        assert sandbox.app is not None
        deps = sandbox.app.deps
        statuses = await deps.db.fetchall("SELECT status FROM applications")
        assert [r[0] for r in statuses] == ["pending"]
        assert await deps.members.of_user(TEACHER) == []


async def test_client_without_inline_keyboards_gets_the_keyboard_under_the_input(
    tmp_path: Path,
) -> None:
    async with (
        running_sandbox(tmp_path / "data") as sandbox,
        browser(tmp_path / "profile") as context,
    ):
        page = await context.new_page()
        await page.goto(sandbox.url)
        teacher = PaneUser(page, 0)
        await teacher.pick(5)
        await teacher.client("keyboard")
        await teacher.start()
        await teacher.expect_bot("Здравствуйте")
        under_input = teacher.root.locator(".keyboard .kb-btn")
        await expect(under_input.first).to_be_visible()
        await expect(teacher.last_bot().locator(".kb-btn")).to_have_count(0)
        await (
            teacher.root.locator(".keyboard")
            .get_by_role("button", name="Подтвердить профиль")
            .click()
        )
        await teacher.expect_bot("Найдём вашу организацию")
        await expect(teacher.root.locator(".keyboard")).to_contain_text("Отмена")
        await screenshot(page, "sandbox-keyboard-client")
