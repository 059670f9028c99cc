"""Seeding invitations and walking a person to the last step of joining."""

from __future__ import annotations

from typing import Any

from bot.deps import Deps
from bot.sandbox.vk.client import UserClient
from bot.services.invitations import DAY, hash_code, new_code
from storage.models import Role


async def make_invitation(
    deps: Deps,
    org_id: int,
    *,
    created_by: int,
    role: Role | None = Role.SCHOOL_TEACHER,
    class_id: int | None = None,
    needs_approval: bool = False,
    max_uses: int | None = None,
    days: int | None = None,
    name: str = "",
) -> tuple[int, str]:
    """An invitation put in through the repository; returns its id and its code."""
    code = new_code()
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        invitation_id = await deps.invitations.create(
            tx,
            org_id=org_id,
            code_hash=hash_code(code),
            name=name,
            role=role,
            class_id=class_id,
            needs_approval=needs_approval,
            max_uses=max_uses,
            expires_at=now + days * DAY if days else None,
            actor_id=created_by,
            now=now,
        )
    return invitation_id, code


async def reach_confirm(
    staff: UserClient, code: str, full_name: str = "Иванова Анна Сергеевна"
) -> None:
    """Open the link, give the name, skip the position: the next tap is the final one."""
    await staff.open_link(ref=code)
    await staff.say(full_name)
    await staff.tap("Пропустить")


class Collector:
    """Subscribes to a domain event and keeps what was published."""

    def __init__(self) -> None:
        self.events: list[Any] = []

    async def __call__(self, event: Any) -> None:
        self.events.append(event)
