"""An organization's administration by its administrators: classes, staff, administrators and
exports.

Rights: every function here is called only after admin_org() found the person in org_admins for
that organization, on every press and every typed answer. Superadmins have no rights in an
organization unless they are also its administrators (they appoint administrators through the
organizations menu; staff data stays with the organization's own administrators). Every change
and every export is written to the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from loguru import logger

from bot.deps import Deps
from bot.services import export
from bot.services.roster import Problem, RosterEntry, clamp_page, clean_line, pages, roster
from storage import audit
from storage.models import Membership, Organization, Role, SchoolClass

PAGE_SIZE = 5
CLASS_NAME_MAX = 30
CLASSES_AT_ONCE = 20
POSITION_MAX = 100
REASON_MAX = 300
# Removal reasons offered as buttons; anything else is typed (domain.ftl has their texts).
REMOVE_REASONS = ("not_employee", "name_mismatch")


async def admin_org(deps: Deps, org_id: int, vk_id: int) -> Organization | None:
    """The organization when the person administers it now (an archived one is nobody's)."""
    if not await deps.orgs.is_admin(org_id, vk_id):
        return None
    return await deps.orgs.get(org_id)


@dataclass(frozen=True, slots=True)
class Overview:
    org: Organization
    members: int
    admins: int
    classes: int
    pending: int


async def overview(deps: Deps, org: Organization) -> Overview:
    return Overview(
        org,
        await deps.members.count(org.id),
        len(await deps.orgs.admin_ids(org.id)),
        len(await deps.classes.of_org(org.id)),
        await deps.applications.pending_count([org.id]),
    )


async def _tell(deps: Deps, vk_id: int, key: str, **args: object) -> None:
    """A notice to a person about a change to them; a person who blocked messages misses it."""
    user = await deps.users.get(vk_id)
    locale = user.locale if user is not None else deps.settings.default_locale
    sent = await deps.messenger.send(vk_id, deps.t(locale, key, **args))
    if not sent.ok:
        logger.info("Notice {} to {} not delivered: VK error {}", key, vk_id, sent.error)


# --- classes -----------------------------------------------------------------------------


def clean_class_names(text: str) -> list[str] | Problem:
    """One or several names ("5А, 5Б" or one per line), each checked, repeats dropped."""
    parts = [p for p in re.split(r"[,;\n]", text) if p.strip()]
    if not parts:
        return Problem.EMPTY
    if len(parts) > CLASSES_AT_ONCE:
        return Problem.TOO_MANY
    names: list[str] = []
    for part in parts:
        name = clean_line(part, min_len=1, max_len=CLASS_NAME_MAX)
        if isinstance(name, Problem):
            return name
        if name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


def clean_class_name(text: str) -> str | Problem:
    return clean_line(text, min_len=1, max_len=CLASS_NAME_MAX)


async def org_class(deps: Deps, org_id: int, class_id: int) -> SchoolClass | None:
    cls = await deps.classes.get(class_id)
    return cls if cls is not None and cls.org_id == org_id else None


async def create_classes(
    deps: Deps, org_id: int, names: list[str], actor: int
) -> tuple[list[str], list[str]]:
    """(created, already there)."""
    created: list[str] = []
    existing: list[str] = []
    async with deps.db.transaction() as tx:
        for name in names:
            made = await deps.classes.create(tx, org_id, name, deps.clock.now(), actor)
            (created if made is not None else existing).append(name)
    return created, existing


class Rename(StrEnum):
    DONE = "done"
    GONE = "gone"
    CLASH = "clash"


async def rename_class(deps: Deps, org_id: int, class_id: int, name: str, actor: int) -> Rename:
    async with deps.db.transaction() as tx:
        # Read under the write lock: a class deleted a moment ago is not renamed back to life.
        cls = await org_class(deps, org_id, class_id)
        if cls is None:
            return Rename.GONE
        if cls.name == name:
            return Rename.DONE
        ok = await deps.classes.rename(tx, cls, name, deps.clock.now(), actor)
    return Rename.DONE if ok else Rename.CLASH


async def delete_class(deps: Deps, org_id: int, class_id: int, actor: int) -> SchoolClass | None:
    async with deps.db.transaction() as tx:
        cls = await org_class(deps, org_id, class_id)
        if cls is not None:
            await deps.classes.delete(tx, cls, deps.clock.now(), actor)
    return cls


# --- staff -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StaffPage:
    people: list[RosterEntry]
    page: int
    pages: int
    total: int


async def staff_page(deps: Deps, org_id: int, role: Role | None, page: int) -> StaffPage:
    total = await deps.members.count(org_id, role=role)
    page = clamp_page(page, total, PAGE_SIZE)
    members = await deps.members.of_org(org_id, role=role, offset=page * PAGE_SIZE, limit=PAGE_SIZE)
    return StaffPage(await roster(deps, members), page, pages(total, PAGE_SIZE), total)


async def role_counts(deps: Deps, org_id: int) -> dict[Role, int]:
    counts = {role: await deps.members.count(org_id, role=role) for role in Role}
    return {role: n for role, n in counts.items() if n}


async def org_member(deps: Deps, org_id: int, membership_id: int) -> RosterEntry | None:
    member = await deps.members.get(membership_id)
    if member is None or member.org_id != org_id:
        return None
    return (await roster(deps, [member]))[0]


def clean_position(text: str) -> str | Problem:
    return clean_line(text, min_len=2, max_len=POSITION_MAX)


def clean_reason(text: str) -> str | Problem:
    return clean_line(text, min_len=3, max_len=REASON_MAX)


async def _change(
    deps: Deps,
    org_id: int,
    membership_id: int,
    actor: int,
    *,
    position: str | None = None,
    toggle_class: int | None = None,
) -> Membership | None:
    """Change a member's position or flip one class; None when they are no longer a member."""
    async with deps.db.transaction() as tx:
        member = await deps.members.get_in(tx, membership_id)
        if member is None or member.org_id != org_id:
            return None
        classes = set(member.class_ids)
        if toggle_class is not None:
            classes ^= {toggle_class}
        await deps.members.update(
            tx,
            member,
            position=member.position if position is None else position,
            class_ids=tuple(sorted(classes)),
            now=deps.clock.now(),
            actor_id=actor,
        )
    return await deps.members.get(membership_id)


async def set_position(
    deps: Deps, org_id: int, membership_id: int, position: str, actor: int
) -> Membership | None:
    return await _change(deps, org_id, membership_id, actor, position=position)


async def toggle_class(
    deps: Deps, org_id: int, membership_id: int, class_id: int, actor: int
) -> Membership | None:
    if await org_class(deps, org_id, class_id) is None:
        # The class is gone (or not this organization's): nothing to flip.
        member = await deps.members.get(membership_id)
        return member if member is not None and member.org_id == org_id else None
    return await _change(deps, org_id, membership_id, actor, toggle_class=class_id)


class Removal(StrEnum):
    REMOVED = "removed"
    GONE = "gone"
    SELF = "self"


async def remove_member(
    deps: Deps, org: Organization, membership_id: int, actor: int, *, code: str | None, text: str
) -> Removal:
    """End a membership for a reason (a code from REMOVE_REASONS or typed text). A member who
    administers the organization loses that right too; one's own membership is ended by
    leaving, from the profile, where the last-administrator rule applies."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        member = await deps.members.get_in(tx, membership_id)
        if member is None or member.org_id != org.id:
            return Removal.GONE
        if member.vk_id == actor:
            return Removal.SELF
        reason = code or text
        if member.vk_id in await deps.orgs.admin_ids(org.id):
            await deps.orgs.remove_admin(tx, org.id, member.vk_id, now, actor)
        await deps.members.remove(tx, member, reason=reason, now=now, actor_id=actor)
    user = await deps.users.get(member.vk_id)
    locale = user.locale if user is not None else deps.settings.default_locale
    shown = deps.t(locale, f"reason-{code}") if code else text
    await _tell(deps, member.vk_id, "mg-removed-notice", org=org.name, reason=shown)
    return Removal.REMOVED


# --- administrators ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Admin:
    vk_id: int
    name: str


async def admins(deps: Deps, org_id: int) -> list[Admin]:
    """Administrators by the name they were verified under, else their VK name."""
    ids = await deps.orgs.admin_ids(org_id)
    names: dict[int, str] = {}
    for vk_id in ids:
        member = await deps.members.active(org_id, vk_id)
        user = await deps.users.get(vk_id)
        if member is not None and member.full_name:
            names[vk_id] = member.full_name
        elif user is not None and user.vk_name:
            names[vk_id] = user.vk_name
    unknown = [i for i in ids if i not in names]
    if unknown:
        fetched = await deps.messenger.user_names(unknown)
        for vk_id, (first, last) in fetched.items():
            names[vk_id] = f"{first} {last}".strip()
    return [Admin(i, names.get(i, "")) for i in ids]


async def candidates(deps: Deps, org_id: int, page: int) -> StaffPage:
    """Verified members who are not administrators yet."""
    admin_ids = set(await deps.orgs.admin_ids(org_id))
    members = [m for m in await deps.members.of_org(org_id) if m.vk_id not in admin_ids]
    page = clamp_page(page, len(members), PAGE_SIZE)
    chunk = members[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    return StaffPage(await roster(deps, chunk), page, pages(len(members), PAGE_SIZE), len(members))


class Appoint(StrEnum):
    DONE = "done"
    NOT_MEMBER = "not-member"
    ALREADY = "already"


async def appoint(deps: Deps, org: Organization, membership_id: int, actor: int) -> Appoint:
    """Only a verified member can be appointed: administrators see staff data."""
    async with deps.db.transaction() as tx:
        member = await deps.members.get_in(tx, membership_id)
        if member is None or member.org_id != org.id:
            return Appoint.NOT_MEMBER
        if not await deps.orgs.add_admin(tx, org.id, member.vk_id, deps.clock.now(), actor):
            return Appoint.ALREADY
    await _tell(deps, member.vk_id, "mg-appointed-notice", org=org.name)
    return Appoint.DONE


class Dismiss(StrEnum):
    DONE = "done"
    LAST = "last"
    NOT_ADMIN = "not-admin"


async def dismiss(deps: Deps, org: Organization, vk_id: int, actor: int) -> Dismiss:
    async with deps.db.transaction() as tx:
        if vk_id not in await deps.orgs.admin_ids(org.id):
            return Dismiss.NOT_ADMIN
        if not await deps.orgs.remove_admin(tx, org.id, vk_id, deps.clock.now(), actor):
            return Dismiss.LAST
    if vk_id != actor:
        await _tell(deps, vk_id, "mg-dismissed-notice", org=org.name)
    return Dismiss.DONE


# --- export ------------------------------------------------------------------------------


class ExportKind(StrEnum):
    STAFF = "staff"
    APPLICATIONS = "apps"


async def export_file(
    deps: Deps, org: Organization, kind: ExportKind, actor: int, peer_id: int, locale: str
) -> str:
    """Build the CSV, upload it for the admin's chat and return the attachment; the export of
    personal data is written to the audit log like a change."""
    if kind is ExportKind.STAFF:
        data = await export.staff_csv(deps, org.id, locale)
    else:
        data = await export.applications_csv(deps, org.id, locale)
    now = deps.clock.now()
    stamp = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%d")
    filename = f"{kind.value}-{org.id}-{stamp}.csv"
    attachment = await deps.messenger.upload_file(peer_id, filename, data)
    async with deps.db.transaction() as tx:
        await audit.record(
            tx,
            at=now,
            actor_id=actor,
            action=f"export.{kind.value}",
            org_id=org.id,
            object_type="organization",
            object_id=org.id,
        )
    return attachment
