"""Types that services, keyboards and handlers share, kept below all three so that imports point
one way (tests/test_import_direction.py): a keyboard draws them, a service decides by them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from vkbottle import BaseStateGroup

# Why an administrator turns an application down; "other" goes with a typed text (the texts:
# reason-<code> in domain.ftl).
ReasonCode = Literal["not_employee", "name_mismatch", "duplicate", "other"]
REASONS: tuple[ReasonCode, ...] = ("not_employee", "name_mismatch", "duplicate", "other")
# Removal of a member offers these as buttons (a duplicate is never a member), the rest is typed.
REMOVE_REASONS: tuple[ReasonCode, ...] = ("not_employee", "name_mismatch")


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What the person's VK client can show: callback buttons, inline keyboards."""

    callbacks: bool
    inline: bool


class ApplyState(BaseStateGroup):
    """The steps of an application, in the order they are asked."""

    ORG = "org"
    ROLE = "role"
    NAME = "name"
    POSITION = "position"
    CLASSES = "classes"
    REVIEW = "review"


@dataclass(frozen=True, slots=True)
class MenuInfo:
    """What the main menu offers a person: staff items for everyone, more for administrators."""

    admin_of: int
    pending: int
    superadmin: bool
    # An application draft is in progress: the menu offers to continue it.
    draft: bool = False
