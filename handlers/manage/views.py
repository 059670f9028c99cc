"""What an organization's administrator sees: the panel, classes, staff, a member, admins."""

from __future__ import annotations

from bot.services import manage
from bot.services.roster import Problem, RosterEntry, clamp_page, pages
from handlers.common import Ctx, Keyboard
from keyboards import manage as kbs
from storage.models import Organization, Role, SchoolClass


async def out(ctx: Ctx, text: str, keyboard: Keyboard, *, edit: bool) -> None:
    if edit:
        await ctx.show(text, keyboard)
    else:
        await ctx.reply(text, keyboard)


def join(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


def role_of(value: str) -> Role | None:
    """The role filter of a list; empty (or unknown in an old button) means every role."""
    try:
        return Role(value)
    except ValueError:
        return None


def problem(ctx: Ctx, found: Problem, limit: int) -> str:
    return ctx.t(f"mg-input-{found.value}", max=limit)


async def pick(ctx: Ctx, page: int, *, edit: bool) -> None:
    orgs = await ctx.deps.orgs.administered(ctx.vk_id)
    if not orgs:
        await ctx.snackbar(ctx.t("no-rights"))
        return
    if len(orgs) == 1:
        await panel(ctx, orgs[0], edit=edit)
        return
    page = clamp_page(page, len(orgs), kbs.PICK_PAGE)
    await out(ctx, ctx.t("mg-pick"), kbs.pick_org(ctx.kb(), ctx.t, orgs, page), edit=edit)


async def panel(ctx: Ctx, org: Organization, *, edit: bool, notice: str = "") -> None:
    info = await manage.overview(ctx.deps, org)
    text = ctx.t(
        "mg-panel",
        org=org.name,
        members=info.members,
        admins=info.admins,
        classes=info.classes,
        pending=info.pending,
    )
    if not info.classes:
        text = join(text, ctx.t("mg-no-classes-hint"))
    several = len(await ctx.deps.orgs.administered(ctx.vk_id)) > 1
    keyboard = kbs.org_panel(ctx.kb(), ctx.t, org.id, no_classes=not info.classes, several=several)
    await out(ctx, join(notice, text), keyboard, edit=edit)


async def classes(ctx: Ctx, org: Organization, page: int, *, edit: bool, notice: str = "") -> None:
    found = await ctx.deps.classes.of_org(org.id)
    page = clamp_page(page, len(found), kbs.CLASS_PAGE)
    if found:
        text = ctx.t(
            "mg-classes-list",
            org=org.name,
            count=len(found),
            names=", ".join(c.name for c in found),
        )
    else:
        text = ctx.t("mg-classes-empty", org=org.name)
    keyboard = kbs.classes_list(ctx.kb(), ctx.t, org.id, found, page)
    await out(ctx, join(notice, text), keyboard, edit=edit)


async def class_card(
    ctx: Ctx, org: Organization, cls: SchoolClass, *, edit: bool, notice: str = ""
) -> None:
    count = await ctx.deps.classes.member_count(cls.id)
    text = ctx.t("mg-class-card", name=cls.name, count=count)
    await out(ctx, join(notice, text), kbs.class_card(ctx.kb(), ctx.t, org.id, cls.id), edit=edit)


def staff_line(ctx: Ctx, n: int, person: RosterEntry) -> str:
    m = person.member
    return ctx.t(
        "mg-staff-entry",
        n=n,
        name=m.full_name,
        role=ctx.t(f"role-{m.role.value}"),
        position=m.position or "-",
        admin=ctx.t("mg-admin-mark") if person.is_admin else "",
    )


async def staff(
    ctx: Ctx, org: Organization, role: Role | None, page: int, *, edit: bool, notice: str = ""
) -> None:
    found = await manage.staff_page(ctx.deps, org.id, role, page)
    lines = [ctx.t("mg-staff-title", org=org.name, total=found.total)]
    if role is not None:
        lines.append(ctx.t("mg-staff-role", role=ctx.t(f"role-{role.value}")))
    if found.pages > 1:
        lines.append(ctx.t("mg-page", page=found.page + 1, pages=found.pages))
    first = found.page * manage.PAGE_SIZE + 1
    lines += [staff_line(ctx, n, p) for n, p in enumerate(found.people, first)]
    if not found.people:
        lines.append(ctx.t("mg-staff-empty"))
    else:
        lines.append(ctx.t("mg-staff-hint"))
    entries = [(p.member.full_name, p.member.id) for p in found.people]
    keyboard = kbs.staff_list(
        ctx.kb(), ctx.t, org.id, role.value if role else "", entries, found.page, found.pages
    )
    await out(ctx, join(notice, "\n\n".join(lines)), keyboard, edit=edit)


async def member(
    ctx: Ctx, org: Organization, person: RosterEntry, *, edit: bool, notice: str = ""
) -> None:
    m = person.member
    text = ctx.t(
        "mg-member-card",
        name=m.full_name,
        role=ctx.t(f"role-{m.role.value}"),
        position=m.position or "-",
        classes=", ".join(person.classes) or ctx.t("mg-no-classes"),
        since=person.since,
        vk=f"vk.com/id{m.vk_id}",
    )
    if person.is_admin:
        text += "\n" + ctx.t("mg-admin-mark")
    await out(ctx, join(notice, text), kbs.member_card(ctx.kb(), ctx.t, org.id, m.id), edit=edit)


async def member_classes(
    ctx: Ctx, org: Organization, person: RosterEntry, page: int, *, edit: bool
) -> None:
    every = await ctx.deps.classes.of_org(org.id)
    m = person.member
    if not every:
        keyboard = kbs.no_classes(ctx.kb(), ctx.t, org.id, kbs.MgMember(org=org.id, m=m.id))
        await out(ctx, ctx.t("mg-no-classes-first"), keyboard, edit=edit)
        return
    page = clamp_page(page, len(every), kbs.CLASS_PAGE)
    text = ctx.t(
        "mg-member-classes-ask",
        name=m.full_name,
        classes=", ".join(person.classes) or ctx.t("mg-no-classes"),
    )
    keyboard = kbs.member_classes(ctx.kb(), ctx.t, org.id, m.id, every, m.class_ids, page)
    await out(ctx, text, keyboard, edit=edit)


async def admins(ctx: Ctx, org: Organization, page: int, *, edit: bool, notice: str = "") -> None:
    found = await manage.admins(ctx.deps, org.id)
    total_pages = pages(len(found), manage.PAGE_SIZE)
    page = min(max(page, 0), total_pages - 1)
    chunk = found[page * manage.PAGE_SIZE : (page + 1) * manage.PAGE_SIZE]
    lines = [ctx.t("mg-admins-title", org=org.name, count=len(found))]
    first = page * manage.PAGE_SIZE + 1
    for n, a in enumerate(chunk, first):
        lines.append(ctx.t("mg-admin-entry", n=n, name=a.name or "-", vk=f"vk.com/id{a.vk_id}"))
    lines.append(ctx.t("mg-admins-hint"))
    entries = [(a.name or f"id{a.vk_id}", a.vk_id) for a in chunk]
    keyboard = kbs.admins_list(ctx.kb(), ctx.t, org.id, entries, page, total_pages)
    await out(ctx, join(notice, "\n\n".join(lines)), keyboard, edit=edit)
