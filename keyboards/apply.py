"""Buttons of the application conversation ("ap.") and of "My applications" ("as.").

Every step's keyboard ends with "back" and "cancel". Inline keyboards hold at most 10 buttons
in 6 rows, so lists are paged: 5 organizations a page with one navigation row, 8 roles in
pairs, classes in one row of 5 (or up to 7 on one page without paging).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.services.apply import ApplyState, org_label
from keyboards.builder import Color, KeyboardBuilder
from keyboards.callback_data import CallbackData
from keyboards.menu import MenuContinueApply, MenuHome, MenuMyApplications
from storage.models import Application, Organization, Role, SchoolClass

T = Callable[..., str]

ORGS_PER_PAGE = 5
APPS_PER_PAGE = 5
CLASSES_UNPAGED = 7
CLASSES_PER_PAGE = 5


class ApOrg(CallbackData, prefix="ap.org"):
    o: int


class ApOrgPage(CallbackData, prefix="ap.opg"):
    p: int


class ApRole(CallbackData, prefix="ap.role"):
    r: str


class ApName(CallbackData, prefix="ap.name"):
    """The one-tap name: "vk" is the VK profile's, "cur" keeps the one already entered."""

    src: str


class ApPosition(CallbackData, prefix="ap.pos"):
    """keep=True keeps the position already entered, False skips the question."""

    keep: bool


class ApClass(CallbackData, prefix="ap.cls"):
    cl: int


class ApClassPage(CallbackData, prefix="ap.cpg"):
    p: int


class ApClassesDone(CallbackData, prefix="ap.cdone"):
    pass


class ApEdit(CallbackData, prefix="ap.edit"):
    st: str


class ApSubmit(CallbackData, prefix="ap.send"):
    pass


class ApBack(CallbackData, prefix="ap.back"):
    """Carries the step it was shown at: pressed at another step, it is out of date."""

    st: str


class ApCancel(CallbackData, prefix="ap.cancel"):
    pass


class ApCancelYes(CallbackData, prefix="ap.cyes"):
    pass


class ApRestart(CallbackData, prefix="ap.restart"):
    pass


class AsList(CallbackData, prefix="as.list"):
    p: int


class AsWithdraw(CallbackData, prefix="as.wd"):
    a: int


class AsWithdrawYes(CallbackData, prefix="as.wdy"):
    a: int


def pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def _back_cancel(kb: KeyboardBuilder, t: T, step: ApplyState) -> KeyboardBuilder:
    kb.row().button(t("menu-back"), ApBack(st=step.value))
    return kb.button(t("menu-cancel"), ApCancel(), "negative")


def org_ask(kb: KeyboardBuilder, t: T, current: Organization | None) -> KeyboardBuilder:
    if current is not None:
        kb.button("\u2713 " + org_label(current), ApOrg(o=current.id), "primary")
    return _back_cancel(kb, t, ApplyState.ORG)


def org_results(
    kb: KeyboardBuilder,
    t: T,
    orgs: Sequence[Organization],
    page: int,
    total_pages: int,
    current: int | None,
) -> KeyboardBuilder:
    for org in orgs:
        if org.id == current:
            kb.row().button("\u2713 " + org_label(org), ApOrg(o=org.id), "primary")
        else:
            kb.row().button(org_label(org), ApOrg(o=org.id))
    kb.row()
    if page > 0:
        kb.button(t("apply-prev"), ApOrgPage(p=page - 1))
    kb.button(t("menu-back"), ApBack(st=ApplyState.ORG.value))
    kb.button(t("menu-cancel"), ApCancel(), "negative")
    if page + 1 < total_pages:
        kb.button(t("apply-next"), ApOrgPage(p=page + 1))
    return kb


def org_none(kb: KeyboardBuilder, t: T) -> KeyboardBuilder:
    return _back_cancel(kb, t, ApplyState.ORG)


def org_blocked(
    kb: KeyboardBuilder, t: T, page: int, open_app: Application | None
) -> KeyboardBuilder:
    """A chosen organization the person may not apply to: back to the list, or its remedy."""
    if open_app is not None:
        kb.button(t("apply-withdraw-open"), AsWithdraw(a=open_app.id), "negative")
        kb.button(t("menu-my-applications"), MenuMyApplications())
    kb.row().button(t("menu-back"), ApOrgPage(p=page))
    return kb.button(t("menu-cancel"), ApCancel(), "negative")


def roles(
    kb: KeyboardBuilder, t: T, offered: Sequence[tuple[Role, bool]], chosen: Role | None
) -> KeyboardBuilder:
    for i, (role, fits) in enumerate(offered):
        if i % 2 == 0:
            kb.row()
        color: Color = "positive" if role == chosen else "primary" if fits else "secondary"
        kb.button(t(f"rolebtn-{role.value}"), ApRole(r=role.value), color)
    return _back_cancel(kb, t, ApplyState.ROLE)


def name(kb: KeyboardBuilder, t: T, suggestion: str | None, current: str | None) -> KeyboardBuilder:
    if current is not None:
        kb.row().button(t("apply-keep", value=current), ApName(src="cur"), "primary")
    if suggestion is not None and suggestion != current:
        kb.row().button(suggestion, ApName(src="vk"), "primary")
    return _back_cancel(kb, t, ApplyState.NAME)


def position(kb: KeyboardBuilder, t: T, current: str | None) -> KeyboardBuilder:
    if current:
        kb.row().button(t("apply-keep", value=current), ApPosition(keep=True), "primary")
    kb.row().button(t("apply-position-skip"), ApPosition(keep=False))
    return _back_cancel(kb, t, ApplyState.POSITION)


def classes(
    kb: KeyboardBuilder,
    t: T,
    shown: Sequence[SchoolClass],
    chosen: set[int],
    page: int,
    total_pages: int,
) -> KeyboardBuilder:
    for cls in shown:
        mark = "\u2713 " if cls.id in chosen else ""
        kb.button(mark + cls.name, ApClass(cl=cls.id), "positive" if mark else "secondary")
    kb.row()
    if page > 0:
        kb.button(t("apply-prev"), ApClassPage(p=page - 1))
    kb.button(t("apply-classes-done"), ApClassesDone(), "primary")
    if page + 1 < total_pages:
        kb.button(t("apply-next"), ApClassPage(p=page + 1))
    return _back_cancel(kb, t, ApplyState.CLASSES)


def review(kb: KeyboardBuilder, t: T, with_classes: bool) -> KeyboardBuilder:
    kb.button(t("apply-submit"), ApSubmit(), "positive")
    kb.row().button(t("apply-edit-org"), ApEdit(st=ApplyState.ORG.value))
    kb.button(t("apply-edit-role"), ApEdit(st=ApplyState.ROLE.value))
    kb.row().button(t("apply-edit-name"), ApEdit(st=ApplyState.NAME.value))
    kb.button(t("apply-edit-position"), ApEdit(st=ApplyState.POSITION.value))
    if with_classes:
        kb.row().button(t("apply-edit-classes"), ApEdit(st=ApplyState.CLASSES.value))
    return _back_cancel(kb, t, ApplyState.REVIEW)


def cancel_confirm(kb: KeyboardBuilder, t: T) -> KeyboardBuilder:
    kb.button(t("apply-cancel-yes"), ApCancelYes(), "negative")
    return kb.button(t("apply-cancel-no"), MenuContinueApply())


def draft_exists(kb: KeyboardBuilder, t: T) -> KeyboardBuilder:
    kb.button(t("apply-continue"), MenuContinueApply(), "positive")
    kb.button(t("apply-restart"), ApRestart())
    return kb.row().button(t("menu-home"), MenuHome())


def to_menu(kb: KeyboardBuilder, t: T, *, my_applications: bool = True) -> KeyboardBuilder:
    if my_applications:
        kb.button(t("menu-my-applications"), MenuMyApplications())
    return kb.button(t("menu-home"), MenuHome())


def my_applications(
    kb: KeyboardBuilder, t: T, withdrawable: Sequence[int], page: int, total_pages: int
) -> KeyboardBuilder:
    for app_id in withdrawable:
        kb.row().button(t("apps-withdraw", id=app_id), AsWithdraw(a=app_id))
    kb.row()
    if page > 0:
        kb.button(t("apply-prev"), AsList(p=page - 1))
    kb.button(t("menu-home"), MenuHome())
    if page + 1 < total_pages:
        kb.button(t("apply-next"), AsList(p=page + 1))
    return kb


def withdraw_confirm(kb: KeyboardBuilder, t: T, app_id: int) -> KeyboardBuilder:
    kb.button(t("apps-withdraw-yes"), AsWithdrawYes(a=app_id), "negative")
    return kb.button(t("apps-withdraw-no"), AsList(p=0))


def after_withdraw(kb: KeyboardBuilder, t: T, draft: bool) -> KeyboardBuilder:
    if draft:
        kb.button(t("apply-menu-continue"), MenuContinueApply(), "positive").row()
    return to_menu(kb, t)
