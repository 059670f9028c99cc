"""A person's own side: their profile in each organization, leaving one, and their data.

Leaving ends the membership and, where the person administers the organization, their
administrator rights there too; the last administrator cannot leave until they appoint another
(an organization is never left without anyone to review applications by an ordinary action).
Erasing one's data is a right under 152-FZ and is never refused: open applications are withdrawn,
every membership and administrator right ends, names and positions are blanked (see
storage/personal_data.py for what stays and why); an organization left without an administrator
is reported to the superadmins.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from loguru import logger

from bot.deps import Deps
from bot.events import ApplicationWithdrawn
from bot.services.roster import RosterEntry, roster
from storage import audit
from storage.models import Application, AppStatus, Organization, User
from storage.personal_data import PersonalDataRepo


@dataclass(frozen=True, slots=True)
class OrgEntry:
    org: Organization
    person: RosterEntry | None  # None: administrator without a staff profile there
    is_admin: bool


@dataclass(frozen=True, slots=True)
class Profile:
    entries: list[OrgEntry]
    pending: list[tuple[Application, Organization]]


async def _org(deps: Deps, org_id: int) -> Organization:
    org = await deps.orgs.get(org_id)
    # Memberships and applications reference organizations by foreign key: the row exists.
    assert org is not None
    return org


async def profile(deps: Deps, vk_id: int) -> Profile:
    entries = []
    seen = set()
    for person in await roster(deps, await deps.members.of_user(vk_id)):
        entries.append(OrgEntry(await _org(deps, person.member.org_id), person, person.is_admin))
        seen.add(person.member.org_id)
    for org in await deps.orgs.administered(vk_id):
        if org.id not in seen:
            entries.append(OrgEntry(org, None, True))
    pending = [
        (a, await _org(deps, a.org_id))
        for a in await deps.applications.of_user(vk_id)
        if a.status is AppStatus.PENDING
    ]
    return Profile(entries, pending)


async def member_orgs(deps: Deps, vk_id: int) -> list[Organization]:
    return [await _org(deps, m.org_id) for m in await deps.members.of_user(vk_id)]


class Leave(StrEnum):
    LEFT = "left"
    NOT_MEMBER = "not-member"
    LAST_ADMIN = "last-admin"


async def leave(deps: Deps, vk_id: int, org_id: int) -> Leave:
    current = await deps.members.active(org_id, vk_id)
    if current is None:
        return Leave.NOT_MEMBER
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        member = await deps.members.get_in(tx, current.id)
        if member is None:
            return Leave.NOT_MEMBER
        if vk_id in await deps.orgs.admin_ids(org_id) and not await deps.orgs.remove_admin(
            tx, org_id, vk_id, now, vk_id
        ):
            return Leave.LAST_ADMIN
        await deps.members.remove(
            tx, member, reason="left", now=now, actor_id=vk_id, action="member.leave"
        )
    return Leave.LEFT


@dataclass(frozen=True, slots=True)
class MyData:
    user: User
    entries: list[OrgEntry]
    applications: list[tuple[Application, Organization]]
    past_memberships: int
    audit_entries: int


async def my_data(deps: Deps, user: User) -> MyData:
    repo = PersonalDataRepo(deps.db)
    mine = await profile(deps, user.vk_id)
    applications = [
        (a, await _org(deps, a.org_id)) for a in await deps.applications.of_user(user.vk_id)
    ]
    return MyData(
        user,
        mine.entries,
        applications,
        await repo.past_memberships(user.vk_id),
        await repo.audit_entries(user.vk_id),
    )


@dataclass(frozen=True, slots=True)
class Erased:
    changed: bool
    withdrawn: int
    left: int
    orphaned: list[Organization]


async def erase(deps: Deps, vk_id: int) -> Erased:
    """Erase the person's data; a second press finds nothing left and changes nothing."""
    repo = PersonalDataRepo(deps.db)
    now = deps.clock.now()
    withdrawn: list[int] = []
    async with deps.db.transaction() as tx:
        for app in await deps.applications.of_user(vk_id):
            if app.status is AppStatus.PENDING and await deps.applications.transition(
                tx, app, AppStatus.WITHDRAWN, actor_id=vk_id, now=now
            ):
                withdrawn.append(app.id)
        members = await deps.members.of_user(vk_id)
        for member in members:
            await deps.members.remove(
                tx, member, reason="erase", now=now, actor_id=vk_id, action="member.leave"
            )
        rights, orphaned = await repo.drop_admin_rights(tx, vk_id, now)
        blanked = await repo.anonymise(tx, vk_id, now)
        changed = bool(withdrawn or members or rights or blanked)
        if changed:
            await audit.record(
                tx,
                at=now,
                actor_id=vk_id,
                action="user.erase",
                object_type="user",
                object_id=vk_id,
                after={"withdrawn": len(withdrawn), "left": len(members), "admin_rights": rights},
            )
    for app_id in withdrawn:
        await deps.bus.publish(ApplicationWithdrawn(app_id))
    orgs = [await _org(deps, org_id) for org_id in orphaned]
    await _tell_superadmins(deps, orgs)
    return Erased(changed, len(withdrawn), len(members), orgs)


async def _tell_superadmins(deps: Deps, orgs: list[Organization]) -> None:
    for org in orgs:
        for sa in sorted(deps.superadmins):
            user = await deps.users.get(sa)
            locale = user.locale if user is not None else deps.settings.default_locale
            sent = await deps.messenger.send(
                sa, deps.t(locale, "pf-orphaned-org", org=org.name, org_id=str(org.id))
            )
            if not sent.ok:
                logger.warning("Superadmin {} not told about org {}: {}", sa, org.id, sent.error)


@dataclass(frozen=True, slots=True)
class ErasePreview:
    pending: int
    orgs: int
    sole_admin_of: list[Organization]


async def erase_preview(deps: Deps, vk_id: int) -> ErasePreview:
    """What erasing would do, for the confirmation question."""
    sole = [
        org
        for org in await deps.orgs.administered(vk_id)
        if await deps.orgs.admin_ids(org.id) == [vk_id]
    ]
    return ErasePreview(
        await deps.applications.open_count(vk_id), len(await deps.members.of_user(vk_id)), sole
    )
