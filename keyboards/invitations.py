"""Buttons of the invitation screens: administrators' (create, list, revoke) and staff's (join)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from keyboards.builder import KeyboardBuilder
from keyboards.callback_data import CallbackData
from keyboards.menu import MenuApply, MenuHome, MenuInvitations, home_button
from storage.models import Organization, Role, SchoolClass

T = Callable[..., str]
ORGS_PER_PAGE = 5
CLASSES_PER_PAGE = 6
CLASSES_PER_ROW = 3


# --- administrators --------------------------------------------------------------------------
class IvOrgs(CallbackData, prefix="iv.orgs"):
    page: int


class IvOrg(CallbackData, prefix="iv.org"):
    org: int


class IvNew(CallbackData, prefix="iv.new"):
    org: int


class IvRole(CallbackData, prefix="iv.role"):
    role: str  # "" for any role


class IvClass(CallbackData, prefix="iv.cls"):
    class_id: int  # 0 for no class


class IvClassPage(CallbackData, prefix="iv.clsp"):
    page: int


class IvExpiry(CallbackData, prefix="iv.exp"):
    days: int


class IvUses(CallbackData, prefix="iv.uses"):
    n: int


class IvApproval(CallbackData, prefix="iv.appr"):
    on: bool


class IvNoName(CallbackData, prefix="iv.noname"):
    pass


class IvCreate(CallbackData, prefix="iv.go"):
    pass


class IvEdit(CallbackData, prefix="iv.edit"):
    pass


class IvList(CallbackData, prefix="iv.ls"):
    org: int
    page: int


class IvShow(CallbackData, prefix="iv.show"):
    inv: int


class IvRevoke(CallbackData, prefix="iv.rv"):
    inv: int


class IvRevokeYes(CallbackData, prefix="iv.rvy"):
    inv: int


class IvCancel(CallbackData, prefix="iv.x"):
    pass


# --- staff -----------------------------------------------------------------------------------
class IvJoinRole(CallbackData, prefix="iv.jrole"):
    role: str


class IvVkName(CallbackData, prefix="iv.vkn"):
    pass


class IvSkip(CallbackData, prefix="iv.skip"):
    pass


class IvJoin(CallbackData, prefix="iv.join"):
    pass


def cancel(kb: KeyboardBuilder, t: T) -> KeyboardBuilder:
    return kb.row().button(t("menu-cancel"), IvCancel(), "negative")


def _nav(kb: KeyboardBuilder, t: T, prev: CallbackData | None, nxt: CallbackData | None) -> None:
    if prev is None and nxt is None:
        return
    kb.row()
    if prev is not None:
        kb.button(t("invite-btn-prev"), prev)
    if nxt is not None:
        kb.button(t("invite-btn-next"), nxt)


def org_picker(
    kb: KeyboardBuilder, t: T, orgs: Sequence[Organization], page: int
) -> KeyboardBuilder:
    start = page * ORGS_PER_PAGE
    for org in orgs[start : start + ORGS_PER_PAGE]:
        kb.row().button(org.short_name or org.name, IvOrg(org=org.id))
    # Paging and the menu share the last row: five organizations take five of the six rows.
    kb.row()
    if page > 0:
        kb.button(t("invite-btn-prev"), IvOrgs(page=page - 1))
    home_button(kb, t)
    if start + ORGS_PER_PAGE < len(orgs):
        kb.button(t("invite-btn-next"), IvOrgs(page=page + 1))
    return kb


def org_screen(
    kb: KeyboardBuilder, t: T, org_id: int, active: int, several: bool
) -> KeyboardBuilder:
    kb.button(t("invite-btn-new"), IvNew(org=org_id), "positive")
    kb.row().button(t("invite-btn-list", count=active), IvList(org=org_id, page=0))
    kb.row()
    if several:
        kb.button(t("invite-btn-orgs"), IvOrgs(page=0))
    return home_button(kb, t)


def role_picker(kb: KeyboardBuilder, t: T, *, any_role: bool) -> KeyboardBuilder:
    """Two roles a row, by their short button names. The administrator also gets "any role"."""
    for i, role in enumerate(Role):
        if i % 2 == 0:
            kb.row()
        data: CallbackData = IvRole(role=role.value) if any_role else IvJoinRole(role=role.value)
        kb.button(t(f"rolebtn-{role.value}"), data)
    if any_role:
        kb.row().button(t("invite-role-any"), IvRole(role=""), "primary")
    return cancel(kb, t)


def class_picker(
    kb: KeyboardBuilder, t: T, classes: Sequence[SchoolClass], page: int
) -> KeyboardBuilder:
    start = page * CLASSES_PER_PAGE
    for i, cls in enumerate(classes[start : start + CLASSES_PER_PAGE]):
        if i % CLASSES_PER_ROW == 0:
            kb.row()
        kb.button(cls.name, IvClass(class_id=cls.id))
    kb.row().button(t("invite-class-none"), IvClass(class_id=0), "primary")
    _nav(
        kb,
        t,
        IvClassPage(page=page - 1) if page > 0 else None,
        IvClassPage(page=page + 1) if start + CLASSES_PER_PAGE < len(classes) else None,
    )
    return cancel(kb, t)


def choices(
    kb: KeyboardBuilder, t: T, buttons: Sequence[tuple[str, CallbackData]]
) -> KeyboardBuilder:
    for label, data in buttons:
        kb.button(label, data)
    return cancel(kb, t)


def approval_picker(kb: KeyboardBuilder, t: T) -> KeyboardBuilder:
    kb.button(t("invite-approval-off"), IvApproval(on=False))
    kb.row().button(t("invite-approval-on"), IvApproval(on=True))
    return cancel(kb, t)


def name_step(kb: KeyboardBuilder, t: T) -> KeyboardBuilder:
    kb.button(t("invite-btn-no-name"), IvNoName(), "primary")
    return cancel(kb, t)


def create_confirm(kb: KeyboardBuilder, t: T) -> KeyboardBuilder:
    kb.button(t("invite-btn-create"), IvCreate(), "positive")
    kb.row().button(t("invite-btn-edit"), IvEdit())
    return cancel(kb, t)


def after_create(kb: KeyboardBuilder, t: T) -> KeyboardBuilder:
    kb.button(t("menu-invitations"), MenuInvitations())
    return home_button(kb, t)


def invitation_list(
    kb: KeyboardBuilder, t: T, org_id: int, ids: Sequence[int], page: int, total: int, per_page: int
) -> KeyboardBuilder:
    """The list's items are numbered in the text; one short button per number opens one."""
    for n, inv_id in enumerate(ids, start=page * per_page + 1):
        kb.button(str(n), IvShow(inv=inv_id))
    _nav(
        kb,
        t,
        IvList(org=org_id, page=page - 1) if page > 0 else None,
        IvList(org=org_id, page=page + 1) if (page + 1) * per_page < total else None,
    )
    kb.row().button(t("menu-back"), IvOrg(org=org_id))
    return kb


def invitation_card(
    kb: KeyboardBuilder, t: T, inv_id: int, org_id: int, active: bool
) -> KeyboardBuilder:
    if active:
        kb.button(t("invite-btn-revoke"), IvRevoke(inv=inv_id), "negative")
    kb.row().button(t("menu-back"), IvList(org=org_id, page=0))
    return kb


def revoke_confirm(kb: KeyboardBuilder, t: T, inv_id: int) -> KeyboardBuilder:
    kb.button(t("invite-btn-revoke-yes"), IvRevokeYes(inv=inv_id), "negative")
    kb.button(t("menu-back"), IvShow(inv=inv_id))
    return kb


def back_to_list(kb: KeyboardBuilder, t: T, org_id: int) -> KeyboardBuilder:
    kb.button(t("invite-btn-to-list"), IvList(org=org_id, page=0))
    return home_button(kb, t)


# --- staff -----------------------------------------------------------------------------------
def vk_name_step(kb: KeyboardBuilder, t: T, vk_name: str | None) -> KeyboardBuilder:
    if vk_name:
        kb.button(vk_name, IvVkName(), "primary")
    return cancel(kb, t)


def position_step(kb: KeyboardBuilder, t: T) -> KeyboardBuilder:
    kb.button(t("invite-btn-skip"), IvSkip())
    return cancel(kb, t)


def join_confirm(kb: KeyboardBuilder, t: T, needs_approval: bool) -> KeyboardBuilder:
    label = t("invite-btn-file") if needs_approval else t("invite-btn-join")
    kb.button(label, IvJoin(), "positive")
    return cancel(kb, t)


def refused(kb: KeyboardBuilder, t: T, offer_apply: bool) -> KeyboardBuilder:
    """After a refusal: the way to apply without an invitation, and the menu."""
    if offer_apply:
        kb.button(t("menu-apply"), MenuApply(), "positive")
    return kb.button(t("menu-home"), MenuHome())
