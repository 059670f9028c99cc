"""Buttons of "My profile": leaving an organization, the person's data and its erasure."""

from __future__ import annotations

from collections.abc import Callable

from bot.callback_data import CallbackData
from keyboards.builder import KeyboardBuilder
from keyboards.menu import MenuApply, MenuProfile, home_button
from keyboards.paging import items, nav, page_count
from storage.models import Organization

T = Callable[..., str]
PICK_PAGE = 5


class PfLeavePick(CallbackData, prefix="pf.lpick"):
    p: int = 0


class PfLeave(CallbackData, prefix="pf.leave"):
    org: int


class PfLeaveYes(CallbackData, prefix="pf.lyes"):
    org: int


class PfData(CallbackData, prefix="pf.data"):
    pass


class PfErase(CallbackData, prefix="pf.erase"):
    pass


class PfEraseYes(CallbackData, prefix="pf.eyes"):
    pass


def profile_keyboard(kb: KeyboardBuilder, t: T, *, member: bool) -> KeyboardBuilder:
    if member:
        kb.button(t("pf-leave"), PfLeavePick())
    else:
        kb.button(t("menu-apply"), MenuApply(), "positive")
    kb.button(t("pf-my-data"), PfData())
    return home_button(kb.row(), t)


def pick_org(kb: KeyboardBuilder, t: T, orgs: list[Organization], page: int) -> KeyboardBuilder:
    chunk = orgs[page * PICK_PAGE : (page + 1) * PICK_PAGE]
    items(kb, [(o.short_name or o.name, PfLeave(org=o.id)) for o in chunk])
    pages = page_count(len(orgs), PICK_PAGE)
    nav(kb, page, pages, lambda p: PfLeavePick(p=p), t("pf-prev"), t("pf-next"))
    return kb.button(t("menu-back"), MenuProfile())


def confirm_leave(kb: KeyboardBuilder, t: T, org_id: int) -> KeyboardBuilder:
    kb.button(t("pf-leave-yes"), PfLeaveYes(org=org_id), "negative")
    return kb.button(t("menu-cancel"), MenuProfile())


def back_to_profile(kb: KeyboardBuilder, t: T) -> KeyboardBuilder:
    kb.button(t("menu-profile"), MenuProfile())
    return home_button(kb, t)


def data_keyboard(kb: KeyboardBuilder, t: T) -> KeyboardBuilder:
    kb.button(t("pf-erase"), PfErase(), "negative")
    kb.row().button(t("menu-back"), MenuProfile())
    return home_button(kb, t)


def confirm_erase(kb: KeyboardBuilder, t: T) -> KeyboardBuilder:
    kb.button(t("pf-erase-yes"), PfEraseYes(), "negative")
    return kb.button(t("menu-cancel"), PfData())
