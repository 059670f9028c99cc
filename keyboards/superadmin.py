"""Keyboards and button payloads of the superadmins' organizations section."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.callback_data import CallbackData
from keyboards.builder import KeyboardBuilder
from keyboards.menu import home_button
from storage.models import Organization, OrgType

T = Callable[..., str]

# Fields a superadmin can fix on the review card, in the order they are shown.
FIELDS = ("name", "short_name", "type", "inn", "region", "city")


class OgList(CallbackData, prefix="og.list"):
    page: int
    q: str = ""


class OgNew(CallbackData, prefix="og.new"):
    pass


class OgFind(CallbackData, prefix="og.find"):
    pass


class OgOpen(CallbackData, prefix="og.open"):
    org: int


class OgPickType(CallbackData, prefix="og.type"):
    d: int  # the draft's token: a button of an older draft is out of date
    t: str


class OgField(CallbackData, prefix="og.field"):
    d: int
    f: str


class OgBack(CallbackData, prefix="og.back"):
    d: int


class OgSave(CallbackData, prefix="og.save"):
    d: int


class OgCancel(CallbackData, prefix="og.cancel"):
    pass


class OgEdit(CallbackData, prefix="og.edit"):
    org: int


class OgArchive(CallbackData, prefix="og.arch"):
    org: int


class OgArchiveYes(CallbackData, prefix="og.archy"):
    org: int


class OgAppoint(CallbackData, prefix="og.adm"):
    org: int


class OgAppointYes(CallbackData, prefix="og.admy"):
    org: int
    vk: int


def org_list(
    kb: KeyboardBuilder,
    t: T,
    orgs: Sequence[Organization],
    *,
    page: int,
    pages: int,
    query: str,
) -> KeyboardBuilder:
    """Numbered items in one row (the text lists them), paging, actions, home: at most 10."""
    for n, org in enumerate(orgs, 1):
        kb.button(str(n), OgOpen(org=org.id), "primary")
    kb.row()
    if page > 0:
        kb.button(t("orgs-btn-prev"), OgList(page=page - 1, q=query))
    if page + 1 < pages:
        kb.button(t("orgs-btn-next"), OgList(page=page + 1, q=query))
    kb.row()
    if query:
        kb.button(t("orgs-btn-find-again"), OgFind()).button(t("orgs-btn-all"), OgList(page=0))
    else:
        kb.button(t("orgs-btn-create"), OgNew(), "positive").button(t("orgs-btn-find"), OgFind())
    return home_button(kb.row(), t)


def org_card(kb: KeyboardBuilder, t: T, org: Organization) -> KeyboardBuilder:
    if org.archived_at is None:
        kb.button(t("orgs-btn-edit"), OgEdit(org=org.id))
        kb.button(t("orgs-btn-appoint"), OgAppoint(org=org.id), "positive")
        kb.row().button(t("orgs-btn-archive"), OgArchive(org=org.id), "negative")
    kb.row().button(t("orgs-btn-to-list"), OgList(page=0))
    return home_button(kb, t)


def review(kb: KeyboardBuilder, t: T, token: int, *, new: bool) -> KeyboardBuilder:
    label = t("orgs-btn-confirm-create") if new else t("orgs-btn-save")
    kb.button(label, OgSave(d=token), "positive").row()
    for i, field in enumerate(FIELDS):
        if i == 3:
            kb.row()
        kb.button(t(f"orgs-field-{field}"), OgField(d=token, f=field))
    return kb.row().button(t("menu-cancel"), OgCancel(), "negative")


def step(kb: KeyboardBuilder, t: T, token: int, *, reviewing: bool) -> KeyboardBuilder:
    """Under a question: back to the review card when fixing one field, and cancel."""
    if reviewing:
        kb.button(t("orgs-btn-back-review"), OgBack(d=token))
    return kb.button(t("menu-cancel"), OgCancel(), "negative")


def types(kb: KeyboardBuilder, t: T, token: int, *, reviewing: bool) -> KeyboardBuilder:
    for i, org_type in enumerate(OrgType):
        if i and i % 2 == 0:
            kb.row()
        kb.button(t(f"orgtype-{org_type.value}"), OgPickType(d=token, t=org_type.value))
    return step(kb.row(), t, token, reviewing=reviewing)


def cancel(kb: KeyboardBuilder, t: T) -> KeyboardBuilder:
    return kb.button(t("menu-cancel"), OgCancel(), "negative")


def archive_confirm(kb: KeyboardBuilder, t: T, org_id: int) -> KeyboardBuilder:
    kb.button(t("orgs-btn-archive-yes"), OgArchiveYes(org=org_id), "negative")
    return kb.button(t("menu-cancel"), OgOpen(org=org_id))


def appoint_confirm(kb: KeyboardBuilder, t: T, org_id: int, vk_id: int) -> KeyboardBuilder:
    kb.button(t("orgs-btn-appoint-yes"), OgAppointYes(org=org_id, vk=vk_id), "positive")
    return kb.button(t("menu-cancel"), OgCancel())
