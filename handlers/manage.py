"""The administration menu: an organization's administrators manage its classes, staff and
administrators and export its lists. Rights are checked from the database on every press and
every typed answer."""

from __future__ import annotations

from pydantic import BaseModel
from vkbottle import BaseStateGroup
from vkbottle.bot import BotLabeler

from bot.deps import Deps
from bot.services import audit_trail, manage, rights
from bot.services.roster import Problem, RosterEntry, clamp_page, pages
from handlers.common import Ctx, Keyboard, TypedRule, on_button, on_text
from handlers.flow import Leaving
from keyboards import manage as kbs
from keyboards.menu import MenuManage
from storage.models import Organization, Role, SchoolClass


class ManageFlow(BaseStateGroup):
    CLASS_NEW = "class_new"
    CLASS_RENAME = "class_rename"
    POSITION = "position"
    REASON = "reason"


class Typing(BaseModel):
    """What a typed answer applies to: the organization and the class or membership."""

    org: int
    cls: int = 0
    m: int = 0


async def _out(ctx: Ctx, text: str, keyboard: Keyboard, *, edit: bool) -> None:
    if edit:
        await ctx.show(text, keyboard)
    else:
        await ctx.reply(text, keyboard)


def _join(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


async def _rights(ctx: Ctx, org_id: int, *, typed_answer: bool = False) -> Organization | None:
    """The organization if the person administers it now; else "no rights" and nothing else.

    A button press leaves a typed step of this flow (the buttons that start one set it again);
    a typed answer keeps its step, so that a mistyped answer can be corrected.
    """
    org = await rights.admin_org(ctx.deps, org_id, ctx.vk_id)
    if not typed_answer or org is None:
        await Leaving(ManageFlow).leave(ctx)
    if org is None:
        await ctx.snackbar(ctx.t("no-rights"))
    return org


def _role(value: str) -> Role | None:
    """The role filter of a list; empty (or unknown in an old button) means every role."""
    try:
        return Role(value)
    except ValueError:
        return None


def _problem(ctx: Ctx, problem: Problem, limit: int) -> str:
    return ctx.t(f"mg-input-{problem.value}", max=limit)


async def _typing(ctx: Ctx) -> tuple[Typing, Organization] | None:
    """What a typed answer is for, with the rights re-checked; None once handled otherwise."""
    draft = await ctx.data(Typing)
    if draft is None:
        # The step's data is lost or from an older version: start again from the menu.
        await ctx.clear_state()
        await _pick(ctx, 0, edit=False)
        return None
    org = await _rights(ctx, draft.org, typed_answer=True)
    return None if org is None else (draft, org)


# --- screens -----------------------------------------------------------------------------


async def _pick(ctx: Ctx, page: int, *, edit: bool) -> None:
    orgs = await ctx.deps.orgs.administered(ctx.vk_id)
    if not orgs:
        await ctx.snackbar(ctx.t("no-rights"))
        return
    if len(orgs) == 1:
        await _panel(ctx, orgs[0], edit=edit)
        return
    page = clamp_page(page, len(orgs), kbs.PICK_PAGE)
    await _out(ctx, ctx.t("mg-pick"), kbs.pick_org(ctx.kb(), ctx.t, orgs, page), edit=edit)


async def _panel(ctx: Ctx, org: Organization, *, edit: bool, notice: str = "") -> None:
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
        text = _join(text, ctx.t("mg-no-classes-hint"))
    several = len(await ctx.deps.orgs.administered(ctx.vk_id)) > 1
    keyboard = kbs.org_panel(ctx.kb(), ctx.t, org.id, no_classes=not info.classes, several=several)
    await _out(ctx, _join(notice, text), keyboard, edit=edit)


async def _classes(ctx: Ctx, org: Organization, page: int, *, edit: bool, notice: str = "") -> None:
    classes = await ctx.deps.classes.of_org(org.id)
    page = clamp_page(page, len(classes), kbs.CLASS_PAGE)
    if classes:
        text = ctx.t(
            "mg-classes-list",
            org=org.name,
            count=len(classes),
            names=", ".join(c.name for c in classes),
        )
    else:
        text = ctx.t("mg-classes-empty", org=org.name)
    keyboard = kbs.classes_list(ctx.kb(), ctx.t, org.id, classes, page)
    await _out(ctx, _join(notice, text), keyboard, edit=edit)


async def _class_card(
    ctx: Ctx, org: Organization, cls: SchoolClass, *, edit: bool, notice: str = ""
) -> None:
    count = await ctx.deps.classes.member_count(cls.id)
    text = ctx.t("mg-class-card", name=cls.name, count=count)
    await _out(ctx, _join(notice, text), kbs.class_card(ctx.kb(), ctx.t, org.id, cls.id), edit=edit)


def _staff_line(ctx: Ctx, n: int, person: RosterEntry) -> str:
    m = person.member
    return ctx.t(
        "mg-staff-entry",
        n=n,
        name=m.full_name,
        role=ctx.t(f"role-{m.role.value}"),
        position=m.position or "-",
        admin=ctx.t("mg-admin-mark") if person.is_admin else "",
    )


async def _staff(
    ctx: Ctx, org: Organization, role: Role | None, page: int, *, edit: bool, notice: str = ""
) -> None:
    found = await manage.staff_page(ctx.deps, org.id, role, page)
    lines = [ctx.t("mg-staff-title", org=org.name, total=found.total)]
    if role is not None:
        lines.append(ctx.t("mg-staff-role", role=ctx.t(f"role-{role.value}")))
    if found.pages > 1:
        lines.append(ctx.t("mg-page", page=found.page + 1, pages=found.pages))
    first = found.page * manage.PAGE_SIZE + 1
    lines += [_staff_line(ctx, n, p) for n, p in enumerate(found.people, first)]
    if not found.people:
        lines.append(ctx.t("mg-staff-empty"))
    else:
        lines.append(ctx.t("mg-staff-hint"))
    entries = [(p.member.full_name, p.member.id) for p in found.people]
    keyboard = kbs.staff_list(
        ctx.kb(), ctx.t, org.id, role.value if role else "", entries, found.page, found.pages
    )
    await _out(ctx, _join(notice, "\n\n".join(lines)), keyboard, edit=edit)


async def _member(
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
    await _out(ctx, _join(notice, text), kbs.member_card(ctx.kb(), ctx.t, org.id, m.id), edit=edit)


async def _member_or_list(ctx: Ctx, org: Organization, membership_id: int) -> RosterEntry | None:
    """The member, or None after showing that they are gone (removed, left) and the list."""
    person = await manage.org_member(ctx.deps, org.id, membership_id)
    if person is None:
        await _staff(ctx, org, None, 0, edit=True, notice=ctx.t("mg-member-gone"))
    return person


async def _member_classes(
    ctx: Ctx, org: Organization, person: RosterEntry, page: int, *, edit: bool
) -> None:
    classes = await ctx.deps.classes.of_org(org.id)
    m = person.member
    if not classes:
        keyboard = kbs.no_classes(ctx.kb(), ctx.t, org.id, kbs.MgMember(org=org.id, m=m.id))
        await _out(ctx, ctx.t("mg-no-classes-first"), keyboard, edit=edit)
        return
    page = clamp_page(page, len(classes), kbs.CLASS_PAGE)
    text = ctx.t(
        "mg-member-classes-ask",
        name=m.full_name,
        classes=", ".join(person.classes) or ctx.t("mg-no-classes"),
    )
    keyboard = kbs.member_classes(ctx.kb(), ctx.t, org.id, m.id, classes, m.class_ids, page)
    await _out(ctx, text, keyboard, edit=edit)


async def _admins(ctx: Ctx, org: Organization, page: int, *, edit: bool, notice: str = "") -> None:
    admins = await manage.admins(ctx.deps, org.id)
    total_pages = pages(len(admins), manage.PAGE_SIZE)
    page = min(max(page, 0), total_pages - 1)
    chunk = admins[page * manage.PAGE_SIZE : (page + 1) * manage.PAGE_SIZE]
    lines = [ctx.t("mg-admins-title", org=org.name, count=len(admins))]
    first = page * manage.PAGE_SIZE + 1
    for n, a in enumerate(chunk, first):
        lines.append(ctx.t("mg-admin-entry", n=n, name=a.name or "-", vk=f"vk.com/id{a.vk_id}"))
    lines.append(ctx.t("mg-admins-hint"))
    entries = [(a.name or f"id{a.vk_id}", a.vk_id) for a in chunk]
    keyboard = kbs.admins_list(ctx.kb(), ctx.t, org.id, entries, page, total_pages)
    await _out(ctx, _join(notice, "\n\n".join(lines)), keyboard, edit=edit)


# --- the labeler -------------------------------------------------------------------------


def make_labeler(deps: Deps) -> BotLabeler:
    labeler = BotLabeler()

    @on_button(labeler, deps, MenuManage)
    async def open_manage(ctx: Ctx) -> None:
        await Leaving(ManageFlow).leave(ctx)
        await _pick(ctx, 0, edit=False)

    @on_button(labeler, deps, kbs.MgPick)
    async def pick(ctx: Ctx, data: kbs.MgPick) -> None:
        await _pick(ctx, data.p, edit=True)

    @on_button(labeler, deps, kbs.MgOrg)
    async def panel(ctx: Ctx, data: kbs.MgOrg) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        await _panel(ctx, org, edit=True)

    # --- classes -------------------------------------------------------------------------

    @on_button(labeler, deps, kbs.MgClasses)
    async def classes(ctx: Ctx, data: kbs.MgClasses) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        await _classes(ctx, org, data.p, edit=True)

    @on_button(labeler, deps, kbs.MgClassAdd)
    async def class_add(ctx: Ctx, data: kbs.MgClassAdd) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        await ctx.set_state(ManageFlow.CLASS_NEW, Typing(org=org.id))
        keyboard = kbs.cancel(ctx.kb(), ctx.t, kbs.MgClasses(org=org.id))
        await ctx.reply(ctx.t("mg-class-new-ask"), keyboard)

    @on_button(labeler, deps, kbs.MgClass)
    async def class_card(ctx: Ctx, data: kbs.MgClass) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        cls = await manage.org_class(deps, org.id, data.cls)
        if cls is None:
            await _classes(ctx, org, 0, edit=True, notice=ctx.t("mg-class-gone"))
            return
        await _class_card(ctx, org, cls, edit=True)

    @on_button(labeler, deps, kbs.MgClassRename)
    async def class_rename(ctx: Ctx, data: kbs.MgClassRename) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        cls = await manage.org_class(deps, org.id, data.cls)
        if cls is None:
            await _classes(ctx, org, 0, edit=True, notice=ctx.t("mg-class-gone"))
            return
        await ctx.set_state(ManageFlow.CLASS_RENAME, Typing(org=org.id, cls=cls.id))
        keyboard = kbs.cancel(ctx.kb(), ctx.t, kbs.MgClass(org=org.id, cls=cls.id))
        await ctx.reply(ctx.t("mg-class-rename-ask", name=cls.name), keyboard)

    @on_button(labeler, deps, kbs.MgClassDel)
    async def class_delete_ask(ctx: Ctx, data: kbs.MgClassDel) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        cls = await manage.org_class(deps, org.id, data.cls)
        if cls is None:
            await _classes(ctx, org, 0, edit=True, notice=ctx.t("mg-class-gone"))
            return
        count = await deps.classes.member_count(cls.id)
        keyboard = kbs.confirm_class_delete(ctx.kb(), ctx.t, org.id, cls.id)
        await ctx.show(ctx.t("mg-class-delete-ask", name=cls.name, count=count), keyboard)

    @on_button(labeler, deps, kbs.MgClassDelYes)
    async def class_delete(ctx: Ctx, data: kbs.MgClassDelYes) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        cls = await manage.delete_class(deps, org.id, data.cls, ctx.vk_id)
        notice = ctx.t("mg-class-deleted", name=cls.name) if cls else ctx.t("mg-class-gone")
        await _classes(ctx, org, 0, edit=True, notice=notice)

    @on_text(labeler, deps, TypedRule(), state=ManageFlow.CLASS_NEW)
    async def class_new_typed(ctx: Ctx) -> None:
        if (found := await _typing(ctx)) is None:
            return
        _, org = found
        names = manage.clean_class_names(ctx.text)
        if isinstance(names, Problem):
            limit = manage.CLASSES_AT_ONCE if names is Problem.TOO_MANY else manage.CLASS_NAME_MAX
            keyboard = kbs.cancel(ctx.kb(), ctx.t, kbs.MgClasses(org=org.id))
            await ctx.reply(_join(_problem(ctx, names, limit), ctx.t("mg-class-new-ask")), keyboard)
            return
        await ctx.clear_state()
        created, existing = await manage.create_classes(deps, org.id, names, ctx.vk_id)
        notice = []
        if created:
            notice.append(ctx.t("mg-classes-created", names=", ".join(created)))
        if existing:
            notice.append(ctx.t("mg-classes-existing", names=", ".join(existing)))
        await _classes(ctx, org, 0, edit=False, notice="\n".join(notice))

    @on_text(labeler, deps, TypedRule(), state=ManageFlow.CLASS_RENAME)
    async def class_rename_typed(ctx: Ctx) -> None:
        if (found := await _typing(ctx)) is None:
            return
        draft, org = found
        name = manage.clean_class_name(ctx.text)
        cls = await manage.org_class(deps, org.id, draft.cls)
        if cls is None:
            await ctx.clear_state()
            await _classes(ctx, org, 0, edit=False, notice=ctx.t("mg-class-gone"))
            return
        keyboard = kbs.cancel(ctx.kb(), ctx.t, kbs.MgClass(org=org.id, cls=cls.id))
        if isinstance(name, Problem):
            problem = _problem(ctx, name, manage.CLASS_NAME_MAX)
            await ctx.reply(_join(problem, ctx.t("mg-class-rename-ask", name=cls.name)), keyboard)
            return
        outcome = await manage.rename_class(deps, org.id, cls.id, name, ctx.vk_id)
        if outcome is manage.Rename.CLASH:
            clash = ctx.t("mg-class-clash", name=name)
            await ctx.reply(_join(clash, ctx.t("mg-class-rename-ask", name=cls.name)), keyboard)
            return
        await ctx.clear_state()
        renamed = await manage.org_class(deps, org.id, cls.id)
        if renamed is None:
            await _classes(ctx, org, 0, edit=False, notice=ctx.t("mg-class-gone"))
            return
        notice = ctx.t("mg-class-renamed", old=cls.name, name=renamed.name)
        await _class_card(ctx, org, renamed, edit=False, notice=notice)

    # --- staff ---------------------------------------------------------------------------

    @on_button(labeler, deps, kbs.MgStaff)
    async def staff(ctx: Ctx, data: kbs.MgStaff) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        await _staff(ctx, org, _role(data.r), data.p, edit=True)

    @on_button(labeler, deps, kbs.MgRoles)
    async def roles(ctx: Ctx, data: kbs.MgRoles) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        counts = await manage.role_counts(deps, org.id)
        await ctx.show(ctx.t("mg-roles-ask"), kbs.roles_filter(ctx.kb(), ctx.t, org.id, counts))

    @on_button(labeler, deps, kbs.MgMember)
    async def member(ctx: Ctx, data: kbs.MgMember) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        if (person := await _member_or_list(ctx, org, data.m)) is not None:
            await _member(ctx, org, person, edit=True)

    @on_button(labeler, deps, kbs.MgPosition)
    async def position(ctx: Ctx, data: kbs.MgPosition) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        if (person := await _member_or_list(ctx, org, data.m)) is None:
            return
        m = person.member
        await ctx.set_state(ManageFlow.POSITION, Typing(org=org.id, m=m.id))
        keyboard = kbs.cancel(ctx.kb(), ctx.t, kbs.MgMember(org=org.id, m=m.id))
        text = ctx.t("mg-position-ask", name=m.full_name, position=m.position or "-")
        await ctx.reply(text, keyboard)

    @on_text(labeler, deps, TypedRule(), state=ManageFlow.POSITION)
    async def position_typed(ctx: Ctx) -> None:
        if (found := await _typing(ctx)) is None:
            return
        draft, org = found
        value = manage.clean_position(ctx.text)
        if isinstance(value, Problem):
            person = await manage.org_member(deps, org.id, draft.m)
            name, current = (
                (person.member.full_name, person.member.position) if person else ("", "")
            )
            keyboard = kbs.cancel(ctx.kb(), ctx.t, kbs.MgMember(org=org.id, m=draft.m))
            ask = ctx.t("mg-position-ask", name=name, position=current or "-")
            await ctx.reply(_join(_problem(ctx, value, manage.POSITION_MAX), ask), keyboard)
            return
        await ctx.clear_state()
        changed = await manage.set_position(deps, org.id, draft.m, value, ctx.vk_id)
        if changed is None or (person := await manage.org_member(deps, org.id, draft.m)) is None:
            await _staff(ctx, org, None, 0, edit=False, notice=ctx.t("mg-member-gone"))
            return
        await _member(ctx, org, person, edit=False, notice=ctx.t("mg-position-saved"))

    @on_button(labeler, deps, kbs.MgMemberClasses)
    async def member_classes(ctx: Ctx, data: kbs.MgMemberClasses) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        if (person := await _member_or_list(ctx, org, data.m)) is not None:
            await _member_classes(ctx, org, person, data.p, edit=True)

    @on_button(labeler, deps, kbs.MgToggle)
    async def toggle(ctx: Ctx, data: kbs.MgToggle) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        changed = await manage.toggle_class(deps, org.id, data.m, data.cls, ctx.vk_id)
        if changed is None or (person := await manage.org_member(deps, org.id, data.m)) is None:
            await _staff(ctx, org, None, 0, edit=True, notice=ctx.t("mg-member-gone"))
            return
        await _member_classes(ctx, org, person, data.p, edit=True)

    @on_button(labeler, deps, kbs.MgRemove)
    async def remove_ask(ctx: Ctx, data: kbs.MgRemove) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        if (person := await _member_or_list(ctx, org, data.m)) is None:
            return
        m = person.member
        if m.vk_id == ctx.vk_id:
            await _member(ctx, org, person, edit=True, notice=ctx.t("mg-remove-self"))
            return
        keyboard = kbs.remove_reasons(ctx.kb(), ctx.t, org.id, m.id, manage.REMOVE_REASONS)
        await ctx.show(ctx.t("mg-remove-ask", name=m.full_name, org=org.name), keyboard)

    async def _removed(
        ctx: Ctx, org: Organization, membership_id: int, code: str | None, text: str
    ) -> None:
        person = await manage.org_member(deps, org.id, membership_id)
        name = person.member.full_name if person else ""
        outcome = await manage.remove_member(
            deps, org, membership_id, ctx.vk_id, code=code, text=text
        )
        edit = ctx.event is not None
        if outcome is manage.Removal.SELF and person is not None:
            await _member(ctx, org, person, edit=edit, notice=ctx.t("mg-remove-self"))
            return
        key = "mg-removed" if outcome is manage.Removal.REMOVED else "mg-member-gone"
        await _staff(ctx, org, None, 0, edit=edit, notice=ctx.t(key, name=name))

    @on_button(labeler, deps, kbs.MgRemoveWhy)
    async def remove_why(ctx: Ctx, data: kbs.MgRemoveWhy) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        if data.why in manage.REMOVE_REASONS:
            await _removed(ctx, org, data.m, data.why, "")
            return
        if (person := await _member_or_list(ctx, org, data.m)) is None:
            return
        await ctx.set_state(ManageFlow.REASON, Typing(org=org.id, m=data.m))
        keyboard = kbs.cancel(ctx.kb(), ctx.t, kbs.MgMember(org=org.id, m=data.m))
        await ctx.reply(ctx.t("mg-remove-reason-ask", name=person.member.full_name), keyboard)

    @on_text(labeler, deps, TypedRule(), state=ManageFlow.REASON)
    async def reason_typed(ctx: Ctx) -> None:
        if (found := await _typing(ctx)) is None:
            return
        draft, org = found
        value = manage.clean_reason(ctx.text)
        if isinstance(value, Problem):
            person = await manage.org_member(deps, org.id, draft.m)
            ask = ctx.t("mg-remove-reason-ask", name=person.member.full_name if person else "")
            keyboard = kbs.cancel(ctx.kb(), ctx.t, kbs.MgMember(org=org.id, m=draft.m))
            await ctx.reply(_join(_problem(ctx, value, manage.REASON_MAX), ask), keyboard)
            return
        await ctx.clear_state()
        await _removed(ctx, org, draft.m, None, value)

    # --- administrators ------------------------------------------------------------------

    @on_button(labeler, deps, kbs.MgAdmins)
    async def admins(ctx: Ctx, data: kbs.MgAdmins) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        await _admins(ctx, org, data.p, edit=True)

    @on_button(labeler, deps, kbs.MgAdmin)
    async def admin_card(ctx: Ctx, data: kbs.MgAdmin) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        found = {a.vk_id: a for a in await manage.admins(deps, org.id)}
        if data.vk not in found:
            await _admins(ctx, org, 0, edit=True, notice=ctx.t("mg-admin-gone"))
            return
        if len(found) == 1:
            await _admins(ctx, org, 0, edit=True, notice=ctx.t("mg-admin-last"))
            return
        key = "mg-dismiss-self-ask" if data.vk == ctx.vk_id else "mg-dismiss-ask"
        name = found[data.vk].name or f"id{data.vk}"
        keyboard = kbs.confirm_dismiss(ctx.kb(), ctx.t, org.id, data.vk)
        await ctx.show(ctx.t(key, name=name, org=org.name), keyboard)

    @on_button(labeler, deps, kbs.MgDismiss)
    async def dismiss(ctx: Ctx, data: kbs.MgDismiss) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        outcome = await manage.dismiss(deps, org, data.vk, ctx.vk_id)
        if outcome is manage.Dismiss.DONE and data.vk == ctx.vk_id:
            await ctx.show(ctx.t("mg-dismissed-self", org=org.name), None)
            return
        key = {
            manage.Dismiss.DONE: "mg-dismissed",
            manage.Dismiss.LAST: "mg-admin-last",
            manage.Dismiss.NOT_ADMIN: "mg-admin-gone",
        }[outcome]
        await _admins(ctx, org, 0, edit=True, notice=ctx.t(key))

    @on_button(labeler, deps, kbs.MgAppoint)
    async def appoint_pick(ctx: Ctx, data: kbs.MgAppoint) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        found = await manage.candidates(deps, org.id, data.p)
        lines = [ctx.t("mg-appoint-title", org=org.name)]
        if found.pages > 1:
            lines.append(ctx.t("mg-page", page=found.page + 1, pages=found.pages))
        first = found.page * manage.PAGE_SIZE + 1
        lines += [_staff_line(ctx, n, p) for n, p in enumerate(found.people, first)]
        if not found.people:
            lines.append(ctx.t("mg-appoint-none"))
        entries = [(p.member.full_name, p.member.id) for p in found.people]
        keyboard = kbs.candidates(ctx.kb(), ctx.t, org.id, entries, found.page, found.pages)
        await ctx.show("\n\n".join(lines), keyboard)

    @on_button(labeler, deps, kbs.MgAppointAsk)
    async def appoint_ask(ctx: Ctx, data: kbs.MgAppointAsk) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        if (person := await _member_or_list(ctx, org, data.m)) is None:
            return
        if person.is_admin:
            await _admins(ctx, org, 0, edit=True, notice=ctx.t("mg-appoint-already"))
            return
        keyboard = kbs.confirm_appoint(ctx.kb(), ctx.t, org.id, data.m)
        text = ctx.t("mg-appoint-ask", name=person.member.full_name, org=org.name)
        await ctx.show(text, keyboard)

    @on_button(labeler, deps, kbs.MgAppointYes)
    async def appoint(ctx: Ctx, data: kbs.MgAppointYes) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        person = await manage.org_member(deps, org.id, data.m)
        outcome = await manage.appoint(deps, org, data.m, ctx.vk_id)
        if outcome is manage.Appoint.DONE and person is not None:
            notice = ctx.t("mg-appointed", name=person.member.full_name)
        elif outcome is manage.Appoint.ALREADY:
            notice = ctx.t("mg-appoint-already")
        else:
            notice = ctx.t("mg-member-gone")
        await _admins(ctx, org, 0, edit=True, notice=notice)

    # --- audit trail ---------------------------------------------------------------------

    @on_button(labeler, deps, kbs.MgAudit)
    async def audit(ctx: Ctx, data: kbs.MgAudit) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        trail = await audit_trail.page(deps, org.id, data.p, ctx.locale)
        if not trail.total:
            text = ctx.t("audit-empty", org=org.name)
        else:
            title = ctx.t(
                "audit-title",
                org=org.name,
                total=trail.total,
                page=trail.page + 1,
                pages=trail.pages,
            )
            lines = [audit_trail.render(deps.t, ctx.locale, line) for line in trail.lines]
            text = _join(title, "\n".join(lines))
        keyboard = kbs.audit_page(ctx.kb(), ctx.t, org.id, trail.page, trail.pages)
        await ctx.show(text, keyboard)

    # --- export --------------------------------------------------------------------------

    @on_button(labeler, deps, kbs.MgExport)
    async def export_menu(ctx: Ctx, data: kbs.MgExport) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        kinds = (manage.ExportKind.STAFF.value, manage.ExportKind.APPLICATIONS.value)
        keyboard = kbs.export_menu(ctx.kb(), ctx.t, org.id, kinds)
        await ctx.show(ctx.t("mg-export-ask", org=org.name), keyboard)

    @on_button(labeler, deps, kbs.MgExportFile)
    async def export_file(ctx: Ctx, data: kbs.MgExportFile) -> None:
        if (org := await _rights(ctx, data.org)) is None:
            return
        try:
            kind = manage.ExportKind(data.kind)
        except ValueError:
            await ctx.snackbar(ctx.t("button-stale"))
            return
        await ctx.ack()
        attachment = await manage.export_file(deps, org, kind, ctx.vk_id, ctx.peer_id, ctx.locale)
        key = "mg-export-staff-done" if kind is manage.ExportKind.STAFF else "mg-export-apps-done"
        await ctx.reply(ctx.t(key, org=org.name), attachment=attachment)

    return labeler
