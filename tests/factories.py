"""Test data put in through the project's own repositories (the same code the bot uses)."""

from __future__ import annotations

from bot.deps import Deps
from storage.models import OrgType, Role


async def make_org(
    deps: Deps,
    name: str = "МБОУ «Школа № 5»",
    *,
    short_name: str | None = None,
    type: OrgType = OrgType.SCHOOL,
    inn: str | None = None,
    region: str = "Свердловская область",
    city: str = "Екатеринбург",
    admins: tuple[int, ...] = (),
    classes: tuple[str, ...] = (),
) -> int:
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        org_id = await deps.orgs.create(
            tx,
            name=name,
            short_name=short_name or name,
            type=type,
            inn=inn,
            region=region,
            city=city,
            now=now,
            actor_id=None,
        )
        for admin in admins:
            await deps.orgs.add_admin(tx, org_id, admin, now, None)
        for class_name in classes:
            await deps.classes.create(tx, org_id, class_name, now, None)
    return org_id


async def make_member(
    deps: Deps,
    org_id: int,
    vk_id: int,
    full_name: str = "Петров Пётр Петрович",
    *,
    role: Role = Role.SCHOOL_TEACHER,
    position: str = "учитель математики",
) -> int:
    async with deps.db.transaction() as tx:
        membership_id = await deps.members.add(
            tx,
            org_id=org_id,
            vk_id=vk_id,
            role=role,
            full_name=full_name,
            position=position,
            class_ids=(),
            via="appointment",
            now=deps.clock.now(),
            actor_id=None,
        )
    assert membership_id is not None
    return membership_id


async def make_application(
    deps: Deps,
    org_id: int,
    vk_id: int,
    full_name: str = "Иванова Анна Сергеевна",
    *,
    role: Role = Role.SCHOOL_TEACHER,
    position: str = "учитель математики",
    vk_name: str = "Анна Иванова",
    class_ids: tuple[int, ...] = (),
    invitation_id: int | None = None,
) -> int:
    """A pending application committed as the conversation files it (no event published)."""
    async with deps.db.transaction() as tx:
        app_id = await deps.applications.create(
            tx,
            org_id=org_id,
            vk_id=vk_id,
            role=role,
            full_name=full_name,
            position=position,
            vk_name=vk_name,
            class_ids=class_ids,
            invitation_id=invitation_id,
            now=deps.clock.now(),
        )
    assert app_id is not None
    return app_id
