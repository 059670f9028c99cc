"""Typed rows the repositories return."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class OrgType(StrEnum):
    SCHOOL = "school"
    PRESCHOOL = "preschool"
    ADDITIONAL = "additional"
    COLLEGE = "college"
    UNIVERSITY = "university"
    AUTHORITY = "authority"
    OTHER = "other"


class Role(StrEnum):
    """Staff categories from Sferum's instruction."""

    SCHOOL_TEACHER = "school_teacher"
    PRESCHOOL_TEACHER = "preschool_teacher"
    ADDITIONAL_TEACHER = "additional_teacher"
    UNIVERSITY_TEACHER = "university_teacher"
    COLLEGE_TEACHER = "college_teacher"
    AUTHORITY_EMPLOYEE = "authority_employee"
    MANAGER = "manager"
    OTHER = "other"


class AppStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class User:
    vk_id: int
    first_name: str
    last_name: str
    locale: str
    callbacks: bool
    inline_keyboard: bool
    messages_allowed: bool

    @property
    def vk_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True, slots=True)
class Organization:
    id: int
    name: str
    short_name: str
    type: OrgType
    inn: str | None
    region: str
    city: str
    archived_at: int | None


@dataclass(frozen=True, slots=True)
class SchoolClass:
    id: int
    org_id: int
    name: str


@dataclass(frozen=True, slots=True)
class Application:
    id: int
    org_id: int
    vk_id: int
    role: Role
    full_name: str
    position: str
    vk_name: str
    invitation_id: int | None
    status: AppStatus
    reason_code: str | None
    reason_text: str | None
    decided_by: int | None
    decided_at: int | None
    created_at: int
    class_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Membership:
    id: int
    org_id: int
    vk_id: int
    role: Role
    full_name: str
    position: str
    via: str
    verified_at: int
    class_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Invitation:
    id: int
    org_id: int
    name: str
    role: Role | None
    class_id: int | None
    needs_approval: bool
    max_uses: int | None
    uses: int
    expires_at: int | None
    created_by: int
    created_at: int
    revoked_at: int | None


# What the outbox's sender uploads before it sends: a photo or a document.
Upload = Literal["photo", "doc"]
