"""Conversation state rows: one per peer, the state name and its JSON payload."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from storage.db import Database


@dataclass(frozen=True, slots=True)
class StateRow:
    peer_id: int
    state: str
    payload: dict[str, Any]


class StatesRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, peer_id: int) -> StateRow | None:
        row = await self._db.fetchone(
            "SELECT peer_id, state, payload FROM conversation_states WHERE peer_id = ?", (peer_id,)
        )
        if row is None:
            return None
        try:
            payload = json.loads(row["payload"])
        except ValueError:
            payload = {}
        return StateRow(row["peer_id"], row["state"], payload if isinstance(payload, dict) else {})

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

    async def delete(self, peer_id: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM conversation_states WHERE peer_id = ?", (peer_id,))
