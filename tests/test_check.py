"""`python -m bot check`: each misconfiguration of the community is read through the API and
named with its fix; `--fix` turns on what the API can turn on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.check import Point, diagnose
from bot.config import Settings
from bot.sandbox.vk import Emulator
from tests.harness import GROUP_ID, TOKEN

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def russian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)


def failing(points: list[Point]) -> list[str]:
    return [p.text for p in points if not p.ok]


async def test_a_healthy_community_passes(settings: Settings) -> None:
    points = await diagnose(settings)
    assert failing(points) == []
    assert [p.text.split(" ")[0] for p in points] == ["Ключ", "Права", "Long", "Сообщения"]


async def test_wrong_token(emu: Emulator, settings: Settings) -> None:
    points = await diagnose(settings.model_copy(update={"vk_token": SecretStr("bad")}))
    assert len(points) == 1
    assert points[0].text.startswith("VK отклонил ключ доступа")


async def test_missing_rights_cannot_be_fixed_by_the_api(emu: Emulator, settings: Settings) -> None:
    emu.community.permissions -= {"manage", "docs"}
    points = await diagnose(settings, fix=True)
    bad = failing(points)
    assert bad[0].startswith("Ключу не хватает прав: docs, manage. Права ключа не меняются")
    # Without manage the Long Poll settings cannot even be read.
    assert (
        bad[1]
        == "Настройки Long Poll API не прочитать: у ключа нет права «Управление сообществом»."
    )


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        ({"enabled": False}, "Long Poll API выключен."),
        ({"version": "5.131"}, "Long Poll API отдаёт события версии 5.131, а бот понимает 5.199."),
        ({"off": ("message_event",)}, "В Long Poll API не отмечены события: message_event."),
    ],
    ids=["off", "old-version", "message-event-not-ticked"],
)
async def test_long_poll_diagnosed_then_fixed(
    emu: Emulator, settings: Settings, breakage: dict[str, object], expected: str
) -> None:
    emu.community.break_long_poll(**breakage)  # type: ignore[arg-type]
    bad = failing(await diagnose(settings))
    assert len(bad) == 1
    assert bad[0].startswith(expected)
    assert "python -m bot check --fix" in bad[0]

    fixed = await diagnose(settings, fix=True)
    assert failing(fixed) == []
    assert "исправлено: " + expected in fixed[2].text
    assert emu.community.long_poll_enabled
    assert emu.community.long_poll_version == "5.199"
    assert all(emu.community.long_poll_events[e] for e in ("message_new", "message_event"))


async def test_community_messages_off_must_be_turned_on_by_hand(
    emu: Emulator, settings: Settings
) -> None:
    emu.community.online_status = "none"
    bad = failing(await diagnose(settings, fix=True))
    assert bad == [
        "Сообщения сообщества выключены. Включите их вручную: «Управление → Сообщения →"
        " Сообщения сообщества: включены»."
    ]


def run_check(emu: Emulator, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VK_", "DATABASE_"))}
    env |= {
        "VK_TOKEN": TOKEN,
        "VK_GROUP_ID": str(GROUP_ID),
        "VK_API_URL": emu.api_url,
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "check", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_check_and_fix_from_the_command_line(emu: Emulator, tmp_path: Path) -> None:
    import asyncio

    emu.community.break_long_poll(version="5.103", off=("message_event", "message_allow"))
    emu.community.online_status = "none"
    before = await asyncio.to_thread(run_check, emu, tmp_path)
    assert before.returncode == 1, before.stderr
    lines = before.stdout.splitlines()
    assert lines[0] == f"Проверка сообщества {GROUP_ID} через {emu.api_url}:"
    assert [line[0] for line in lines[1:5]] == ["✔", "✔", "✖", "✖"]
    assert lines[-1] == "Ошибок: 2."

    after = await asyncio.to_thread(run_check, emu, tmp_path, "--fix")
    assert after.returncode == 1
    assert [line[0] for line in after.stdout.splitlines()[1:5]] == ["✔", "✔", "✔", "✖"]
    assert after.stdout.splitlines()[-1] == "Ошибок: 1."
    emu.community.online_status = "online"
    clean = await asyncio.to_thread(run_check, emu, tmp_path)
    assert clean.returncode == 0
    assert clean.stdout.splitlines()[-1] == "Всё в порядке."
    # The check writes nothing: no database, no folder.
    assert os.listdir(tmp_path) == []
    print(before.stdout, after.stdout, sep="\n--- check --fix ---\n")
