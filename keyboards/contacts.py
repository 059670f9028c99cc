"""Buttons of the organization's contact list."""

from __future__ import annotations

from collections.abc import Callable

from bot.callback_data import CallbackData
from keyboards.builder import KeyboardBuilder
from keyboards.menu import MenuApply, MenuContacts, MenuInviteCode, home_button
from keyboards.paging import items, nav, page_count
from storage.models import Organization

T = Callable[..., str]
PICK_PAGE = 5


class CtPage(CallbackData, prefix="ct.page"):
    org: int
    p: int = 0
    q: str = ""


class CtSearch(CallbackData, prefix="ct.find"):
    org: int


class CtPick(CallbackData, prefix="ct.pick"):
    p: int = 0


def pick_org(kb: KeyboardBuilder, t: T, orgs: list[Organization], page: int) -> KeyboardBuilder:
    chunk = orgs[page * PICK_PAGE : (page + 1) * PICK_PAGE]
    items(kb, [(o.short_name or o.name, CtPage(org=o.id)) for o in chunk])
    pages = page_count(len(orgs), PICK_PAGE)
    nav(kb, page, pages, lambda p: CtPick(p=p), t("ct-prev"), t("ct-next"))
    return home_button(kb, t)


def page_keyboard(
    kb: KeyboardBuilder, t: T, org_id: int, page: int, pages: int, query: str, several: bool
) -> KeyboardBuilder:
    nav(kb, page, pages, lambda p: CtPage(org=org_id, p=p, q=query), t("ct-prev"), t("ct-next"))
    kb.row().button(t("ct-search"), CtSearch(org=org_id), "primary")
    if query:
        kb.button(t("ct-all"), CtPage(org=org_id))
    kb.row()
    if several:
        kb.button(t("ct-other-org"), MenuContacts())
    return home_button(kb, t)


def search_keyboard(kb: KeyboardBuilder, t: T, org_id: int) -> KeyboardBuilder:
    return kb.button(t("menu-cancel"), CtPage(org=org_id))


def not_verified_keyboard(kb: KeyboardBuilder, t: T) -> KeyboardBuilder:
    kb.button(t("menu-apply"), MenuApply(), "positive").button(t("menu-code"), MenuInviteCode())
    return home_button(kb.row(), t)
