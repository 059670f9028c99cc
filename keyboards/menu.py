"""The main menu and the payloads of its buttons (each feature's handlers bind its own item)."""

from __future__ import annotations

from collections.abc import Callable

from bot.callback_data import CallbackData
from bot.domain import MenuInfo
from keyboards.builder import KeyboardBuilder


class MenuHome(CallbackData, prefix="m.home"):
    pass


class MenuApply(CallbackData, prefix="m.apply"):
    pass


class MenuContinueApply(CallbackData, prefix="m.apc"):
    """Shown instead of MenuApply while an application draft is in progress."""


class MenuInviteCode(CallbackData, prefix="m.code"):
    pass


class MenuMyApplications(CallbackData, prefix="m.apps"):
    pass


class MenuProfile(CallbackData, prefix="m.prof"):
    pass


class MenuContacts(CallbackData, prefix="m.cont"):
    pass


class MenuHelp(CallbackData, prefix="m.help"):
    pass


class MenuReview(CallbackData, prefix="m.rev"):
    pass


class MenuInvitations(CallbackData, prefix="m.inv"):
    pass


class MenuManage(CallbackData, prefix="m.mng"):
    pass


class MenuOrganizations(CallbackData, prefix="m.orgs"):
    pass


def main_menu(kb: KeyboardBuilder, t: Callable[..., str], info: MenuInfo) -> KeyboardBuilder:
    if info.draft:
        kb.button(t("apply-menu-continue"), MenuContinueApply(), "positive")
    else:
        kb.button(t("menu-apply"), MenuApply(), "positive")
    kb.button(t("menu-code"), MenuInviteCode())
    kb.row().button(t("menu-my-applications"), MenuMyApplications())
    kb.button(t("menu-profile"), MenuProfile())
    kb.row().button(t("menu-contacts"), MenuContacts()).button(t("menu-help"), MenuHelp())
    if info.admin_of:
        kb.row().button(t("menu-review", count=info.pending), MenuReview(), "primary")
        kb.button(t("menu-invitations"), MenuInvitations())
        kb.button(t("menu-manage"), MenuManage())
    if info.superadmin:
        kb.row().button(t("menu-organizations"), MenuOrganizations())
    return kb


def home_button(kb: KeyboardBuilder, t: Callable[..., str]) -> KeyboardBuilder:
    return kb.button(t("menu-home"), MenuHome())
