"""One bot per database: an flock on a file beside it.

The kernel drops an flock when its holder's last descriptor closes, however the process ends
(kill -9 included), so a lock is never left stale. The command line does not take it: SQLite
serialises its writes with the bot's, and most commands are meant to run beside a live bot.
"""

from __future__ import annotations

import fcntl
import os
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Holder:
    pid: str
    since: str


class Locked(Exception):
    def __init__(self, holder: Holder) -> None:
        super().__init__(holder)
        self.holder = holder


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class InstanceLock:
    def __init__(self, database: Path) -> None:
        self.path = lock_path(database)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise Locked naming the process that holds it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise Locked(_read(self.path)) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n{time.strftime('%Y-%m-%d %H:%M:%S %Z')}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def running_bot(database: Path) -> Holder | None:
    """The bot working on ``database`` now, if any (for commands that must not run beside one)."""
    path = lock_path(database)
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read(path)
        return None
    finally:
        os.close(fd)


def _read(path: Path) -> Holder:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    # The holder writes its pid just after locking; a reader in between sees an empty file.
    return Holder(lines[0] if lines else "?", lines[1] if len(lines) > 1 else "?")
