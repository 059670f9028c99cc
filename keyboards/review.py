"""Buttons of the administrator's review: the prompt, the reasons, the list of applications.

`p` in a decision's payload is the page of the list the press came from (None: the prompt),
so the answer can redraw the message the administrator is looking at.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from keyboards.builder import KeyboardBuilder
from keyboards.callback_data import CallbackData
from keyboards.menu import MenuContacts, MenuHome, MenuProfile, MenuReview

ReasonCode = Literal["not_employee", "name_mismatch", "duplicate", "other"]
REASONS: tuple[ReasonCode, ...] = ("not_employee", "name_mismatch", "duplicate", "other")

T = Callable[..., str]


class RvApprove(CallbackData, prefix="rv.ok"):
    a: int
    p: int | None = None


class RvReject(CallbackData, prefix="rv.no"):
    """Opens the reasons; nothing is decided yet."""

    a: int
    p: int | None = None


class RvReason(CallbackData, prefix="rv.rs"):
    a: int
    r: ReasonCode
    p: int | None = None


class RvRejectTyped(CallbackData, prefix="rv.rt"):
    """Confirms the rejection with the reason the administrator typed (kept in their state)."""

    a: int
    p: int | None = None


class RvBack(CallbackData, prefix="rv.bk"):
    a: int
    p: int | None = None


class RvOrgs(CallbackData, prefix="rv.orgs"):
    p: int = 0


class RvList(CallbackData, prefix="rv.ls"):
    o: int
    p: int = 0


class RvAllAsk(CallbackData, prefix="rv.all"):
    o: int


class RvAllYes(CallbackData, prefix="rv.ally"):
    """Approves the organization's pending applications up to id `u`: those the count showed."""

    o: int
    u: int


def prompt_keyboard(kb: KeyboardBuilder, t: T, app_id: int) -> KeyboardBuilder:
    kb.button(t("review-approve"), RvApprove(a=app_id), "positive")
    return kb.button(t("review-reject"), RvReject(a=app_id), "negative")


def reasons_keyboard(kb: KeyboardBuilder, t: T, app_id: int, page: int | None) -> KeyboardBuilder:
    for code in REASONS:
        kb.row().button(t(f"reason-{code}"), RvReason(a=app_id, r=code, p=page))
    return kb.row().button(t("review-back"), RvBack(a=app_id, p=page))


def typed_reason_keyboard(
    kb: KeyboardBuilder, t: T, app_id: int, page: int | None
) -> KeyboardBuilder:
    kb.button(t("review-reject-confirm"), RvRejectTyped(a=app_id, p=page), "negative")
    return kb.button(t("menu-cancel"), RvBack(a=app_id, p=page))


def cancel_keyboard(kb: KeyboardBuilder, t: T, app_id: int, page: int | None) -> KeyboardBuilder:
    return kb.button(t("menu-cancel"), RvBack(a=app_id, p=page))


def orgs_keyboard(
    kb: KeyboardBuilder,
    t: T,
    orgs: list[tuple[int, str, int]],
    page: int,
    has_next: bool,
) -> KeyboardBuilder:
    """`orgs` is one page of (id, short name, pending count)."""
    for org_id, name, count in orgs:
        kb.row().button(t("review-org-button", org=name, count=count), RvList(o=org_id))
    _nav(kb, t, page, has_next, lambda p: RvOrgs(p=p))
    return kb.row().button(t("menu-home"), MenuHome())


def list_keyboard(
    kb: KeyboardBuilder,
    t: T,
    org_id: int,
    app_ids: list[int],
    page: int,
    has_next: bool,
    total: int,
) -> KeyboardBuilder:
    for app_id in app_ids:
        n = str(app_id)
        kb.row().button(t("review-approve-n", id=n), RvApprove(a=app_id, p=page), "positive")
        kb.button(t("review-reject-n", id=n), RvReject(a=app_id, p=page), "negative")
    _nav(kb, t, page, has_next, lambda p: RvList(o=org_id, p=p))
    kb.row()
    if total:
        kb.button(t("review-approve-all", count=total), RvAllAsk(o=org_id), "positive")
    return kb.button(t("menu-home"), MenuHome())


def all_confirm_keyboard(
    kb: KeyboardBuilder, t: T, org_id: int, upto: int, count: int
) -> KeyboardBuilder:
    kb.button(t("review-all-yes", count=count), RvAllYes(o=org_id, u=upto), "positive")
    return kb.button(t("menu-cancel"), RvList(o=org_id))


def verified_keyboard(kb: KeyboardBuilder, t: T) -> KeyboardBuilder:
    """What a verified member may open now."""
    kb.button(t("menu-contacts"), MenuContacts()).button(t("menu-profile"), MenuProfile())
    return kb.row().button(t("menu-home"), MenuHome())


def open_review_keyboard(kb: KeyboardBuilder, t: T) -> KeyboardBuilder:
    return kb.button(t("review-open"), MenuReview(), "primary")


def _nav(
    kb: KeyboardBuilder,
    t: T,
    page: int,
    has_next: bool,
    make: Callable[[int], CallbackData],
) -> None:
    if page <= 0 and not has_next:
        return
    kb.row()
    if page > 0:
        kb.button(t("review-prev"), make(page - 1))
    if has_next:
        kb.button(t("review-next"), make(page + 1))
