"""Verified members as the staff screens show them (profile, contacts, management), paging and
the checks of typed one-line answers those screens share."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.deps import Deps
from bot.text import has_control_chars, msk_date
from storage.models import Membership


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """A verified member with what the screens print next to them."""

    member: Membership
    classes: tuple[str, ...]
    is_admin: bool

    @property
    def since(self) -> str:
        return msk_date(self.member.verified_at)


async def roster(deps: Deps, members: list[Membership]) -> list[RosterEntry]:
    admins_by_org: dict[int, set[int]] = {}
    result = []
    for m in members:
        if m.org_id not in admins_by_org:
            admins_by_org[m.org_id] = set(await deps.orgs.admin_ids(m.org_id))
        names = tuple(await deps.classes.names(m.class_ids))
        result.append(RosterEntry(m, names, m.vk_id in admins_by_org[m.org_id]))
    return result


def pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


def clamp_page(page: int, total: int, size: int) -> int:
    """A page number from an old button may be past the end now: show the last page instead."""
    return min(max(page, 0), pages(total, size) - 1)


class Problem(StrEnum):
    """Why typed text was refused; each has a text under the feature's own prefix."""

    EMPTY = "empty"
    TOO_SHORT = "too-short"
    TOO_LONG = "too-long"
    TOO_MANY = "too-many"
    CONTROL = "control"
    NO_LETTERS = "no-letters"


def clean_line(text: str, *, min_len: int, max_len: int) -> str | Problem:
    """One line of text as people type it: spaces collapsed, at least one letter or digit."""
    if has_control_chars(text.replace("\n", " ")):
        return Problem.CONTROL
    value = " ".join(text.split())
    if not value:
        return Problem.EMPTY
    if len(value) > max_len:
        return Problem.TOO_LONG
    if len(value) < min_len:
        return Problem.TOO_SHORT
    if not any(ch.isalnum() for ch in value):
        return Problem.NO_LETTERS
    return value
