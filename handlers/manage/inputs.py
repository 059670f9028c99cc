"""What an administrator types: new classes, a class's new name, a position, a removal reason.
Each is one step of one table; a button press leaves it (the buttons that ask set it again)."""

from __future__ import annotations

from bot.services import manage
from bot.services.roster import Problem
from handlers.common import Ctx
from handlers.flow import FINISH, Edge, Flow, Reask, Step, View
from handlers.manage import views
from handlers.manage.base import ManageFlow, Typing, org_of
from handlers.notices import Term, tell
from keyboards import manage as kbs
from storage.models import Organization


async def removed(
    ctx: Ctx, org: Organization, membership_id: int, code: str | None, text: str
) -> None:
    """Remove a member for a reason (a button's code or typed text) and say how it went."""
    person = await manage.org_member(ctx.deps, org.id, membership_id)
    name = person.member.full_name if person else ""
    outcome = await manage.remove_member(
        ctx.deps, org, membership_id, ctx.vk_id, code=code, text=text
    )
    edit = ctx.event is not None
    if outcome is manage.Removal.REMOVED and person is not None:
        reason = Term(f"reason-{code}") if code else text
        vk_id = person.member.vk_id
        await tell(ctx.deps, [vk_id], "mg-removed-notice", org=org.name, reason=reason)
    if outcome is manage.Removal.SELF and person is not None:
        await views.member(ctx, org, person, edit=edit, notice=ctx.t("mg-remove-self"))
        return
    key = "mg-removed" if outcome is manage.Removal.REMOVED else "mg-member-gone"
    await views.staff(ctx, org, None, 0, edit=edit, notice=ctx.t(key, name=name))


# --- new classes ---------------------------------------------------------------------------


async def class_new_view(ctx: Ctx, draft: Typing) -> View:
    keyboard = kbs.cancel(ctx.kb(), ctx.t, kbs.MgClasses(org=draft.org))
    return ctx.t("mg-class-new-ask"), keyboard


async def class_new_typed(ctx: Ctx, draft: Typing) -> Reask | None:
    names = manage.clean_class_names(ctx.text)
    if isinstance(names, Problem):
        limit = manage.CLASSES_AT_ONCE if names is Problem.TOO_MANY else manage.CLASS_NAME_MAX
        return Reask(views.problem(ctx, names, limit))
    await INPUTS.leave(ctx)
    org = await org_of(ctx, draft)
    created, existing = await manage.create_classes(ctx.deps, org.id, names, ctx.vk_id)
    notice = []
    if created:
        notice.append(ctx.t("mg-classes-created", names=", ".join(created)))
    if existing:
        notice.append(ctx.t("mg-classes-existing", names=", ".join(existing)))
    await views.classes(ctx, org, 0, edit=False, notice="\n".join(notice))
    return None


# --- a class's new name --------------------------------------------------------------------


async def class_rename_view(ctx: Ctx, draft: Typing) -> View:
    cls = await manage.org_class(ctx.deps, draft.org, draft.cls)
    keyboard = kbs.cancel(ctx.kb(), ctx.t, kbs.MgClass(org=draft.org, cls=draft.cls))
    return ctx.t("mg-class-rename-ask", name=cls.name if cls else ""), keyboard


async def class_rename_typed(ctx: Ctx, draft: Typing) -> Reask | None:
    org = await org_of(ctx, draft)
    name = manage.clean_class_name(ctx.text)
    cls = await manage.org_class(ctx.deps, org.id, draft.cls)
    if cls is None:
        await INPUTS.leave(ctx)
        await views.classes(ctx, org, 0, edit=False, notice=ctx.t("mg-class-gone"))
        return None
    if isinstance(name, Problem):
        return Reask(views.problem(ctx, name, manage.CLASS_NAME_MAX))
    outcome = await manage.rename_class(ctx.deps, org.id, cls.id, name, ctx.vk_id)
    if outcome is manage.Rename.CLASH:
        return Reask(ctx.t("mg-class-clash", name=name))
    await INPUTS.leave(ctx)
    renamed = await manage.org_class(ctx.deps, org.id, cls.id)
    if renamed is None:
        await views.classes(ctx, org, 0, edit=False, notice=ctx.t("mg-class-gone"))
        return None
    notice = ctx.t("mg-class-renamed", old=cls.name, name=renamed.name)
    await views.class_card(ctx, org, renamed, edit=False, notice=notice)
    return None


# --- a member's position and removal reason ------------------------------------------------


async def position_view(ctx: Ctx, draft: Typing) -> View:
    person = await manage.org_member(ctx.deps, draft.org, draft.m)
    name, current = (person.member.full_name, person.member.position) if person else ("", "")
    keyboard = kbs.cancel(ctx.kb(), ctx.t, kbs.MgMember(org=draft.org, m=draft.m))
    return ctx.t("mg-position-ask", name=name, position=current or "-"), keyboard


async def position_typed(ctx: Ctx, draft: Typing) -> Reask | None:
    value = manage.clean_position(ctx.text)
    if isinstance(value, Problem):
        return Reask(views.problem(ctx, value, manage.POSITION_MAX))
    await INPUTS.leave(ctx)
    org = await org_of(ctx, draft)
    changed = await manage.set_position(ctx.deps, org.id, draft.m, value, ctx.vk_id)
    person = await manage.org_member(ctx.deps, org.id, draft.m) if changed else None
    if person is None:
        await views.staff(ctx, org, None, 0, edit=False, notice=ctx.t("mg-member-gone"))
    else:
        await views.member(ctx, org, person, edit=False, notice=ctx.t("mg-position-saved"))
    return None


async def reason_view(ctx: Ctx, draft: Typing) -> View:
    person = await manage.org_member(ctx.deps, draft.org, draft.m)
    keyboard = kbs.cancel(ctx.kb(), ctx.t, kbs.MgMember(org=draft.org, m=draft.m))
    name = person.member.full_name if person else ""
    return ctx.t("mg-remove-reason-ask", name=name), keyboard


async def reason_typed(ctx: Ctx, draft: Typing) -> Reask | None:
    value = manage.clean_reason(ctx.text)
    if isinstance(value, Problem):
        return Reask(views.problem(ctx, value, manage.REASON_MAX))
    await INPUTS.leave(ctx)
    await removed(ctx, await org_of(ctx, draft), draft.m, None, value)
    return None


async def lost(ctx: Ctx) -> None:
    """The step's data is lost or from an older version: start again from the menu."""
    await INPUTS.leave(ctx)
    await views.pick(ctx, 0, edit=False)


INPUTS = Flow(
    "flow-manage-inputs",
    ManageFlow,
    Typing,
    [
        Step(
            ManageFlow.CLASS_NEW,
            class_new_view,
            accepts=("flow-typed-class-names",),
            typed=class_new_typed,
            next=(Edge(FINISH, by="flow-by-list"),),
        ),
        Step(
            ManageFlow.CLASS_RENAME,
            class_rename_view,
            accepts=("flow-typed-class-name",),
            typed=class_rename_typed,
            next=(Edge(FINISH, by="flow-by-card"),),
        ),
        Step(
            ManageFlow.POSITION,
            position_view,
            accepts=("flow-typed-position",),
            typed=position_typed,
            next=(Edge(FINISH, by="flow-by-card"),),
        ),
        Step(
            ManageFlow.REASON,
            reason_view,
            accepts=("flow-typed-reason",),
            typed=reason_typed,
            next=(Edge(FINISH, by="flow-by-list"),),
        ),
    ],
    entries=[
        Edge(ManageFlow.CLASS_NEW.value, by="mg-class-add"),
        Edge(ManageFlow.CLASS_RENAME.value, by="mg-class-rename"),
        Edge(ManageFlow.POSITION.value, by="mg-position"),
        Edge(ManageFlow.REASON.value, by="mg-remove-other"),
    ],
    lost=lost,
    edits=False,
)
