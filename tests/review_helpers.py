"""Filing applications the way the staff conversation does, and finding the prompts they cause."""

from __future__ import annotations

from bot.deps import Deps
from bot.events import ApplicationFiled
from bot.sandbox.vk.client import SentMessage, UserClient
from storage.models import Role
from tests.factories import make_application


async def file_application(
    deps: Deps,
    org_id: int,
    applicant: int,
    full_name: str = "Иванова Анна Сергеевна",
    *,
    role: Role = Role.SCHOOL_TEACHER,
    position: str = "учитель математики",
    vk_name: str = "Анна Иванова",
    class_ids: tuple[int, ...] = (),
    invitation_id: int | None = None,
) -> int:
    """Commit a pending application, publish ApplicationFiled (as the conversation does) and
    wait for the prompts to go out."""
    app_id = await make_application(
        deps,
        org_id,
        applicant,
        full_name,
        role=role,
        position=position,
        vk_name=vk_name,
        class_ids=class_ids,
        invitation_id=invitation_id,
    )
    await deps.bus.publish(ApplicationFiled(app_id))
    await deps.outbox.flush()
    return app_id


async def make_invitation(deps: Deps, org_id: int, created_by: int) -> int:
    """An invitation row that needs approval (the invitations feature owns the real flow)."""
    async with deps.db.transaction() as tx:
        return await tx.insert(
            "INSERT INTO invitations (org_id, code_hash, name, needs_approval, created_by,"
            " created_at) VALUES (?, ?, ?, 1, ?, ?)",
            (org_id, f"hash-{org_id}-{created_by}", "Учителя", created_by, deps.clock.now()),
        )


async def class_ids(deps: Deps, org_id: int) -> tuple[int, ...]:
    return tuple(c.id for c in await deps.classes.of_org(org_id))


def prompt(admin: UserClient, app_id: int) -> SentMessage:
    """The administrator's prompt for an application, as they see it now: the first message
    about it (a later one may show the same application, e.g. an edited confirmation)."""
    found = [m for m in admin.messages if m.text.startswith(f"Заявка № {app_id} ·")]
    assert found, [m.text[:40] for m in admin.messages]
    return found[0]


async def status(deps: Deps, app_id: int) -> str:
    return str(await deps.db.fetchval("SELECT status FROM applications WHERE id = ?", (app_id,)))


async def members_count(deps: Deps, org_id: int) -> int:
    return int(
        await deps.db.fetchval(
            "SELECT COUNT(*) FROM memberships WHERE org_id = ? AND removed_at IS NULL", (org_id,)
        )
    )
