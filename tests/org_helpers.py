"""Seed data and small helpers for the profile, contacts and management tests."""

from __future__ import annotations

from dataclasses import dataclass

from bot.deps import Deps
from bot.sandbox.vk import UserClient
from storage.models import Role
from tests.factories import make_application, make_member, make_org

ADMIN = 2001
OTHER_ADMIN = 2101
TEACHER = 3001
EDUCATOR = 3002
APPLICANT = 3003
STRANGER = 3004


@dataclass
class World:
    school: int
    kindergarten: int
    teacher_membership: int
    educator_membership: int
    admin_membership: int


async def seed(deps: Deps) -> World:
    """A school with an administrator who is also verified staff, two verified staff, one
    applicant; a kindergarten with its own administrator."""
    school = await make_org(deps, admins=(ADMIN,), classes=("5А", "5Б"))
    kindergarten = await make_org(
        deps, "МБДОУ «Детский сад № 7»", admins=(OTHER_ADMIN,), classes=("Старшая группа",)
    )
    admin_m = await make_member(deps, school, ADMIN, "Смирнова Ольга Ивановна", position="директор")
    teacher_m = await make_member(deps, school, TEACHER, "Иванова Анна Сергеевна")
    educator_m = await make_member(
        deps,
        school,
        EDUCATOR,
        "Ёлкина Мария Петровна",
        role=Role.PRESCHOOL_TEACHER,
        position="воспитатель",
    )
    await make_application(
        deps, school, APPLICANT, "Кузнецов Илья Андреевич", position="учитель", vk_name=""
    )
    return World(school, kindergarten, teacher_m, educator_m, admin_m)


async def audit_count(deps: Deps) -> int:
    return int(await deps.db.fetchval("SELECT COUNT(*) FROM audit_log"))


async def open_menu(user: UserClient, item: str) -> None:
    await user.say("Начать")
    await user.tap(item)


def text_of(user: UserClient) -> str:
    return "\n".join(m.text for m in user.messages)
