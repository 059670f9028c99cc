"""Buttons of an organization's administration: classes, staff, administrators, exports.

Every payload names the organization; the handlers check the presser's rights to it each time.
"""

from __future__ import annotations

from collections.abc import Callable

from keyboards.builder import KeyboardBuilder
from keyboards.callback_data import CallbackData
from keyboards.menu import MenuManage, home_button
from keyboards.paging import items, nav, page_count
from storage.models import Organization, Role, SchoolClass

T = Callable[..., str]
PICK_PAGE = 5
CLASS_PAGE = 6


class MgPick(CallbackData, prefix="mg.pick"):
    p: int = 0


class MgOrg(CallbackData, prefix="mg.org"):
    org: int


class MgClasses(CallbackData, prefix="mg.cls"):
    org: int
    p: int = 0


class MgClassAdd(CallbackData, prefix="mg.cadd"):
    org: int


class MgClass(CallbackData, prefix="mg.c"):
    org: int
    cls: int


class MgClassRename(CallbackData, prefix="mg.cren"):
    org: int
    cls: int


class MgClassDel(CallbackData, prefix="mg.cdel"):
    org: int
    cls: int


class MgClassDelYes(CallbackData, prefix="mg.cdely"):
    org: int
    cls: int


class MgStaff(CallbackData, prefix="mg.staff"):
    org: int
    r: str = ""
    p: int = 0


class MgRoles(CallbackData, prefix="mg.roles"):
    org: int


class MgMember(CallbackData, prefix="mg.m"):
    org: int
    m: int


class MgPosition(CallbackData, prefix="mg.pos"):
    org: int
    m: int


class MgMemberClasses(CallbackData, prefix="mg.mcls"):
    org: int
    m: int
    p: int = 0


class MgToggle(CallbackData, prefix="mg.tgl"):
    org: int
    m: int
    cls: int
    p: int = 0


class MgRemove(CallbackData, prefix="mg.rm"):
    org: int
    m: int


class MgRemoveWhy(CallbackData, prefix="mg.rmw"):
    org: int
    m: int
    why: str


class MgAdmins(CallbackData, prefix="mg.adm"):
    org: int
    p: int = 0


class MgAdmin(CallbackData, prefix="mg.a"):
    org: int
    vk: int


class MgDismiss(CallbackData, prefix="mg.dis"):
    org: int
    vk: int


class MgAppoint(CallbackData, prefix="mg.app"):
    org: int
    p: int = 0


class MgAppointAsk(CallbackData, prefix="mg.appa"):
    org: int
    m: int


class MgAppointYes(CallbackData, prefix="mg.appy"):
    org: int
    m: int


class MgExport(CallbackData, prefix="mg.exp"):
    org: int


class MgAudit(CallbackData, prefix="mg.log"):
    org: int
    p: int = 0


class MgExportFile(CallbackData, prefix="mg.expf"):
    org: int
    kind: str


OTHER_REASON = "other"


def pick_org(kb: KeyboardBuilder, t: T, orgs: list[Organization], page: int) -> KeyboardBuilder:
    chunk = orgs[page * PICK_PAGE : (page + 1) * PICK_PAGE]
    items(kb, [(o.short_name or o.name, MgOrg(org=o.id)) for o in chunk])
    pages = page_count(len(orgs), PICK_PAGE)
    nav(kb, page, pages, lambda p: MgPick(p=p), t("mg-prev"), t("mg-next"))
    return home_button(kb, t)


def org_panel(
    kb: KeyboardBuilder, t: T, org_id: int, *, no_classes: bool, several: bool
) -> KeyboardBuilder:
    kb.button(t("mg-classes"), MgClasses(org=org_id), "primary" if no_classes else "secondary")
    kb.button(t("mg-staff"), MgStaff(org=org_id))
    kb.row().button(t("mg-admins"), MgAdmins(org=org_id)).button(
        t("mg-export"), MgExport(org=org_id)
    )
    kb.row().button(t("mg-audit"), MgAudit(org=org_id))
    if several:
        kb.button(t("mg-other-org"), MenuManage())
    return home_button(kb.row(), t)


def admins_shortcut(kb: KeyboardBuilder, t: T, org_id: int) -> KeyboardBuilder:
    """From elsewhere (leaving as the last administrator) straight to appointing another."""
    return kb.button(t("mg-appoint"), MgAppoint(org=org_id), "primary").row()


def back(kb: KeyboardBuilder, t: T, data: CallbackData) -> KeyboardBuilder:
    return kb.button(t("menu-back"), data)


def cancel(kb: KeyboardBuilder, t: T, data: CallbackData) -> KeyboardBuilder:
    return kb.button(t("menu-cancel"), data)


# --- classes -----------------------------------------------------------------------------


def classes_list(
    kb: KeyboardBuilder, t: T, org_id: int, classes: list[SchoolClass], page: int
) -> KeyboardBuilder:
    chunk = classes[page * CLASS_PAGE : (page + 1) * CLASS_PAGE]
    items(kb, [(c.name, MgClass(org=org_id, cls=c.id)) for c in chunk], per_row=2)
    pages = page_count(len(classes), CLASS_PAGE)
    nav(kb, page, pages, lambda p: MgClasses(org=org_id, p=p), t("mg-prev"), t("mg-next"))
    kb.row().button(t("mg-class-add"), MgClassAdd(org=org_id), "positive")
    return back(kb, t, MgOrg(org=org_id))


def class_card(kb: KeyboardBuilder, t: T, org_id: int, class_id: int) -> KeyboardBuilder:
    kb.button(t("mg-class-rename"), MgClassRename(org=org_id, cls=class_id))
    kb.button(t("mg-class-delete"), MgClassDel(org=org_id, cls=class_id), "negative")
    return back(kb.row(), t, MgClasses(org=org_id))


def confirm_class_delete(kb: KeyboardBuilder, t: T, org_id: int, class_id: int) -> KeyboardBuilder:
    kb.button(t("mg-class-delete-yes"), MgClassDelYes(org=org_id, cls=class_id), "negative")
    return cancel(kb, t, MgClass(org=org_id, cls=class_id))


# --- staff -------------------------------------------------------------------------------


def staff_list(
    kb: KeyboardBuilder,
    t: T,
    org_id: int,
    role: str,
    entries: list[tuple[str, int]],
    page: int,
    pages: int,
) -> KeyboardBuilder:
    items(kb, [(name, MgMember(org=org_id, m=m)) for name, m in entries])
    nav(kb, page, pages, lambda p: MgStaff(org=org_id, r=role, p=p), t("mg-prev"), t("mg-next"))
    kb.button(t("mg-filter"), MgRoles(org=org_id))
    return back(kb, t, MgOrg(org=org_id))


def roles_filter(
    kb: KeyboardBuilder, t: T, org_id: int, counts: dict[Role, int]
) -> KeyboardBuilder:
    entries = [
        (t("mg-role-count", role=t(f"rolebtn-{r.value}"), count=n), MgStaff(org=org_id, r=r.value))
        for r, n in counts.items()
    ]
    items(kb, entries, per_row=2)
    kb.button(t("mg-all-roles"), MgStaff(org=org_id))
    return back(kb, t, MgOrg(org=org_id))


def member_card(kb: KeyboardBuilder, t: T, org_id: int, m: int) -> KeyboardBuilder:
    kb.button(t("mg-position"), MgPosition(org=org_id, m=m))
    kb.button(t("mg-member-classes"), MgMemberClasses(org=org_id, m=m))
    kb.row().button(t("mg-remove"), MgRemove(org=org_id, m=m), "negative")
    return back(kb.row(), t, MgStaff(org=org_id))


def member_classes(
    kb: KeyboardBuilder,
    t: T,
    org_id: int,
    m: int,
    classes: list[SchoolClass],
    chosen: tuple[int, ...],
    page: int,
) -> KeyboardBuilder:
    chunk = classes[page * CLASS_PAGE : (page + 1) * CLASS_PAGE]
    entries = [
        (
            t("mg-class-on", name=c.name) if c.id in chosen else c.name,
            MgToggle(org=org_id, m=m, cls=c.id, p=page),
        )
        for c in chunk
    ]
    items(kb, entries, per_row=2)
    pages = page_count(len(classes), CLASS_PAGE)
    nav(
        kb, page, pages, lambda p: MgMemberClasses(org=org_id, m=m, p=p), t("mg-prev"), t("mg-next")
    )
    return kb.button(t("mg-done"), MgMember(org=org_id, m=m), "positive")


def no_classes(kb: KeyboardBuilder, t: T, org_id: int, back_to: CallbackData) -> KeyboardBuilder:
    kb.button(t("mg-class-add"), MgClassAdd(org=org_id), "positive")
    return back(kb, t, back_to)


def remove_reasons(
    kb: KeyboardBuilder, t: T, org_id: int, m: int, codes: tuple[str, ...]
) -> KeyboardBuilder:
    for code in codes:
        kb.row().button(t(f"reason-{code}"), MgRemoveWhy(org=org_id, m=m, why=code), "negative")
    kb.row().button(t("mg-remove-other"), MgRemoveWhy(org=org_id, m=m, why=OTHER_REASON))
    return cancel(kb.row(), t, MgMember(org=org_id, m=m))


# --- administrators ----------------------------------------------------------------------


def admins_list(
    kb: KeyboardBuilder, t: T, org_id: int, entries: list[tuple[str, int]], page: int, pages: int
) -> KeyboardBuilder:
    items(kb, [(name, MgAdmin(org=org_id, vk=vk)) for name, vk in entries])
    nav(kb, page, pages, lambda p: MgAdmins(org=org_id, p=p), t("mg-prev"), t("mg-next"))
    kb.button(t("mg-appoint"), MgAppoint(org=org_id), "positive")
    return back(kb, t, MgOrg(org=org_id))


def confirm_dismiss(kb: KeyboardBuilder, t: T, org_id: int, vk: int) -> KeyboardBuilder:
    kb.button(t("mg-dismiss-yes"), MgDismiss(org=org_id, vk=vk), "negative")
    return cancel(kb, t, MgAdmins(org=org_id))


def candidates(
    kb: KeyboardBuilder, t: T, org_id: int, entries: list[tuple[str, int]], page: int, pages: int
) -> KeyboardBuilder:
    items(kb, [(name, MgAppointAsk(org=org_id, m=m)) for name, m in entries])
    nav(kb, page, pages, lambda p: MgAppoint(org=org_id, p=p), t("mg-prev"), t("mg-next"))
    return back(kb, t, MgAdmins(org=org_id))


def confirm_appoint(kb: KeyboardBuilder, t: T, org_id: int, m: int) -> KeyboardBuilder:
    kb.button(t("mg-appoint-yes"), MgAppointYes(org=org_id, m=m), "positive")
    return cancel(kb, t, MgAppoint(org=org_id))


# --- audit trail -------------------------------------------------------------------------


def audit_page(kb: KeyboardBuilder, t: T, org_id: int, page: int, pages: int) -> KeyboardBuilder:
    nav(kb, page, pages, lambda p: MgAudit(org=org_id, p=p), t("mg-prev"), t("mg-next"))
    return back(kb.row(), t, MgOrg(org=org_id))


# --- export ------------------------------------------------------------------------------


def export_menu(kb: KeyboardBuilder, t: T, org_id: int, kinds: tuple[str, str]) -> KeyboardBuilder:
    staff, apps = kinds
    kb.button(t("mg-export-staff"), MgExportFile(org=org_id, kind=staff))
    kb.button(t("mg-export-apps"), MgExportFile(org=org_id, kind=apps))
    return back(kb.row(), t, MgOrg(org=org_id))
