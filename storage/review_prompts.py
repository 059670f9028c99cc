"""Each administrator's prompt for an application: where it is, so it can be edited later."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database


@dataclass(frozen=True, slots=True)
class ReviewPrompt:
    application_id: int
    admin_id: int
    conversation_message_id: int | None
    message_id: int | None
    delivered: bool


class ReviewPromptsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def save(self, prompts: list[ReviewPrompt], now: int) -> None:
        """Record where each prompt went; a later delivery to an admin replaces a failed one."""
        if not prompts:
            return
        async with self._db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO review_prompts (application_id, admin_id, conversation_message_id,"
                " message_id, delivered, created_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (application_id, admin_id) DO UPDATE SET"
                " conversation_message_id = excluded.conversation_message_id,"
                " message_id = excluded.message_id, delivered = excluded.delivered,"
                " created_at = excluded.created_at",
                [
                    (
                        p.application_id,
                        p.admin_id,
                        p.conversation_message_id,
                        p.message_id,
                        int(p.delivered),
                        now,
                    )
                    for p in prompts
                ],
            )

    async def of_application(self, app_id: int) -> list[ReviewPrompt]:
        rows = await self._db.fetchall(
            "SELECT application_id, admin_id, conversation_message_id, message_id, delivered"
            " FROM review_prompts WHERE application_id = ? ORDER BY created_at, admin_id",
            (app_id,),
        )
        return [
            ReviewPrompt(
                application_id=r["application_id"],
                admin_id=r["admin_id"],
                conversation_message_id=r["conversation_message_id"],
                message_id=r["message_id"],
                delivered=bool(r["delivered"]),
            )
            for r in rows
        ]
