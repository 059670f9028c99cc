"""Backups of the bot's database: online (SQLite's backup API, while the bot writes), checked
with PRAGMA integrity_check before they count; restore only while no bot holds the database.

The backup API copies pages under SQLite's own locking, so a copy taken mid-write is a
consistent snapshot, unlike copying the file (its -wal beside it holds the latest pages).
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from loguru import logger

from bot.instance_lock import InstanceLock

DAILY_PREFIX = "bot-"
DAILY_SUFFIX = ".sqlite3"


class BackupError(Exception):
    """One line for the deployer."""


def integrity(path: Path) -> str:
    """'ok', or what SQLite found wrong (or why the file cannot be read as a database)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return str(exc)
    return "; ".join(str(r[0]) for r in rows[:5])


def backup(database: Path, target: Path) -> int:
    """Copy ``database`` to ``target`` (replaced only once the copy is sound); its size."""
    if not database.is_file():
        raise BackupError(f"{database}: {os.strerror(2)}")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(database)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
            # One file, no -wal beside it: the copy is what is copied further.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    finally:
        source.close()
    verdict = integrity(partial)
    if verdict != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(verdict)
    partial.replace(target)
    return target.stat().st_size


def restore(source: Path, database: Path) -> int:
    """Replace ``database`` with the backup ``source``; raises Locked while a bot runs.

    The bot's own lock is held meanwhile, so no bot can start on a half-restored database.
    """
    database.parent.mkdir(parents=True, exist_ok=True)
    lock = InstanceLock(database)
    lock.acquire()
    try:
        verdict = integrity(source)
        if verdict != "ok":
            raise BackupError(verdict)
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if not version or "organizations" not in tables:
                raise BackupError("no tables of the bot")
            target = sqlite3.connect(database)
            try:
                # Through the backup API, not a file copy: the target's -wal is reset with it.
                conn.backup(target)
            finally:
                target.close()
        finally:
            conn.close()
    finally:
        lock.release()
    return database.stat().st_size


def daily(database: Path, folder: Path, keep: int, now: int) -> Path:
    """Today's backup into ``folder``; only the ``keep`` newest daily backups stay."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%d-%H%M%S")
    target = folder / f"{DAILY_PREFIX}{stamp}{DAILY_SUFFIX}"
    size = backup(database, target)
    kept = sorted(folder.glob(f"{DAILY_PREFIX}*{DAILY_SUFFIX}"))
    for old in kept[:-keep]:
        old.unlink(missing_ok=True)
    logger.info("Backup {} written ({} bytes); {} kept", target, size, min(len(kept), keep))
    return target
