"""Helpers for the organizations tests: valid INNs, a superadmin at the organizations list, and
the command line run as the deployer runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bot.sandbox.vk import Emulator
from bot.sandbox.vk.client import SentMessage, UserClient
from tests.harness import SUPERADMIN

ROOT = Path(__file__).resolve().parent.parent

# The tax service's published weights for the check digits, written out here independently of
# the code under test.
_W10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)


def make_inn(n: int) -> str:
    """The n-th valid 10-digit INN (n >= 1): nine digits of n, then the check digit."""
    body = f"{n:09d}"
    check = sum(w * int(d) for w, d in zip(_W10, body, strict=True)) % 11 % 10
    return body + str(check)


def bad_checksum(inn: str) -> str:
    return inn[:-1] + str((int(inn[-1]) + 1) % 10)


async def open_orgs(admin: UserClient) -> SentMessage:
    """The superadmin writes "Начать" and opens "Организации"."""
    await admin.say("Начать")
    await admin.tap("Организации")
    return admin.last_message


def superadmin(emu: Emulator) -> UserClient:
    return emu.user(SUPERADMIN, "Сергей", "Главный")


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def cli(db: Path, cwd: Path, *args: str, lang: str = "en_US.UTF-8") -> Run:
    """`python -m bot ...` in a directory without .env, with only DATABASE_PATH set: no VK.
    The command line speaks the terminal's language; these tests read it in English unless
    they give another ``lang``."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("VK_", "DATABASE_", "LC_", "LANG"))
    }
    env["DATABASE_PATH"] = str(db)
    env["LANG"] = lang
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def cli_parallel(db: Path, cwd: Path, *commands: tuple[str, ...]) -> list[Run]:
    """Several runs side by side (two cores): only for commands that never open the database,
    since two processes migrating one new database at once would race."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda args: cli(db, cwd, *args), commands))
