"""Conversation state rows: one per peer, the state name and its JSON payload; and at most one
parked draft per peer, set aside while the person uses another flow."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiosqlite

from storage.db import Database

# Table names are ours, never input: the current state and the parked one share the row shape.
CURRENT, PARKED = "conversation_states", "parked_states"


@dataclass(frozen=True, slots=True)
class StateRow:
    peer_id: int
    state: str
    payload: dict[str, Any]


def _row(row: aiosqlite.Row | None) -> StateRow | None:
    if row is None:
        return None
    try:
        payload = json.loads(row["payload"])
    except ValueError:
        payload = {}
    return StateRow(row["peer_id"], row["state"], payload if isinstance(payload, dict) else {})


class StatesRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, peer_id: int, table: str = CURRENT) -> StateRow | None:
        return _row(
            await self._db.fetchone(
                f"SELECT peer_id, state, payload FROM {table} WHERE peer_id = ?", (peer_id,)
            )
        )

    async def set(self, peer_id: int, state: str, payload: dict[str, Any], now: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                """
                INSERT INTO conversation_states (peer_id, state, payload, updated_at)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (peer_id) DO UPDATE SET
                    state = excluded.state, payload = excluded.payload,
                    updated_at = excluded.updated_at
                """,
                (peer_id, state, json.dumps(payload, ensure_ascii=False), now),
            )

    async def delete(self, peer_id: int, table: str = CURRENT) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(f"DELETE FROM {table} WHERE peer_id = ?", (peer_id,))

    async def park(self, peer_id: int, now: int) -> None:
        """Set the current state aside (replacing an older parked one)."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT OR REPLACE INTO parked_states (peer_id, state, payload, parked_at)"
                " SELECT peer_id, state, payload, ? FROM conversation_states WHERE peer_id = ?",
                (now, peer_id),
            )

    async def unpark(self, peer_id: int, now: int) -> bool:
        """Make the parked state current again; False when nothing is parked."""
        async with self._db.transaction() as tx:
            changed = await tx.update(
                "INSERT OR REPLACE INTO conversation_states (peer_id, state, payload, updated_at)"
                " SELECT peer_id, state, payload, ? FROM parked_states WHERE peer_id = ?",
                (now, peer_id),
            )
            await tx.execute("DELETE FROM parked_states WHERE peer_id = ?", (peer_id,))
        return changed == 1
