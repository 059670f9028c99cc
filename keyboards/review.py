"""Buttons of the administrator's review: the prompt, the reasons, the list of applications.

`p` in a decision's payload is the page of the list the press came from (None: the prompt),
so the answer can redraw the message the administrator is looking at.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from bot.callback_data import CallbackData, Signer
from bot.domain import REASONS, Capabilities, ReasonCode
from keyboards.builder import KeyboardBuilder
from keyboards.menu import MenuApply, MenuContacts, MenuHome, MenuProfile, MenuReview
from storage.models import AppStatus

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


class NoticeKeyboards:
    """The buttons under the notices ReviewService sends (its NoticeKeyboards protocol)."""

    def __init__(self, signer: Signer, t: Callable[..., str]) -> None:
        self._signer = signer
        self._t = t

    def prompt(self, locale: str, caps: Capabilities, app_id: int) -> str | None:
        return prompt_keyboard(self._kb(caps), self._in(locale), app_id).build()

    def decided(self, locale: str, caps: Capabilities, status: AppStatus) -> str | None:
        """The applicant's way on: the member's menu, applying again, or home."""
        kb, t = self._kb(caps), self._in(locale)
        if status is AppStatus.APPROVED:
            verified_keyboard(kb, t)
        elif status is AppStatus.EXPIRED:
            kb.button(t("menu-apply"), MenuApply(), "positive").button(t("menu-home"), MenuHome())
        else:
            kb.button(t("menu-home"), MenuHome())
        return kb.build()

    def reminder(self, locale: str, caps: Capabilities) -> str | None:
        return open_review_keyboard(self._kb(caps), self._in(locale)).build()

    def _kb(self, caps: Capabilities) -> KeyboardBuilder:
        return KeyboardBuilder(self._signer, caps)

    def _in(self, locale: str) -> T:
        return partial(self._t, locale)


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
