"""The administration menu's rules: the organization a press or a typed answer is for (rights
re-read every time), and the class or member a button names (gone: the list says so)."""

from __future__ import annotations

from typing import Any

from bot.deps import Deps
from bot.services import manage
from handlers.common import Ctx, Update
from handlers.manage import views
from handlers.manage.inputs import INPUTS
from handlers.needs import AdminOf, Found, no_rights

REFUSE = no_rights(leave=INPUTS)


def admin_of(deps: Deps) -> AdminOf:
    """`org` of the button's payload."""
    return AdminOf(deps, lambda u: int(u.data.org), REFUSE)


def typing_admin_of(deps: Deps) -> AdminOf:
    """`org` of the typed step's draft: a mistyped answer keeps its step, lost rights end it."""
    return AdminOf(deps, lambda u: int(u.context["draft"].org), REFUSE)


def class_named(deps: Deps) -> Found:
    """`cls`: the organization's class the button names."""

    async def find(update: Update) -> Any:
        return await manage.org_class(deps, update.context["org"].id, update.data.cls)

    async def gone(ctx: Ctx, update: Update) -> None:
        org = update.context["org"]
        await views.classes(ctx, org, 0, edit=True, notice=ctx.t("mg-class-gone"))

    return Found("cls", find, gone)


def member_named(deps: Deps) -> Found:
    """`person`: the organization's member the button names (removed or left: gone)."""

    async def find(update: Update) -> Any:
        return await manage.org_member(deps, update.context["org"].id, update.data.m)

    async def gone(ctx: Ctx, update: Update) -> None:
        org = update.context["org"]
        await views.staff(ctx, org, None, 0, edit=True, notice=ctx.t("mg-member-gone"))

    return Found("person", find, gone)
