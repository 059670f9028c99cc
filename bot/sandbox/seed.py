"""The demo a first start of the sandbox sets up, through the bot's own services: organizations
with valid INNs, the school's classes and administrator, and one teacher already verified. The
people themselves (names in the emulator) come from the same file, bot/sandbox/seed.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from bot.deps import Deps
from bot.sandbox.emulator import SandboxEmulator
from bot.sandbox.web import Role
from bot.services import manage
from bot.services import organizations as orgs
from storage.models import Role as StaffRole


@dataclass(frozen=True, slots=True)
class Seed:
    data: dict[str, Any]

    @classmethod
    def load(cls) -> Seed:
        raw = (files("bot.sandbox") / "seed.json").read_text(encoding="utf-8")
        return cls(json.loads(raw))

    @property
    def superadmins(self) -> list[int]:
        return [int(p["id"]) for p in self.data["people"] if p["part"] == "superadmin"]

    def roles(self) -> dict[int, Role]:
        """Each demo person's part, for the page's person picker."""
        short = {o["key"]: o["short_name"] for o in self.data["organizations"]}
        return {int(p["id"]): Role(p["part"], short.get(p.get("org", ""), "")) for p in self.people}

    @property
    def people(self) -> list[dict[str, Any]]:
        return list(self.data["people"])


def add_people(emu: SandboxEmulator, seed: Seed) -> None:
    for person in seed.people:
        emu.user(int(person["id"]), person["first_name"], person["last_name"])


async def seed_database(deps: Deps, seed: Seed) -> None:
    admins = {p["org"]: int(p["id"]) for p in seed.people if p["part"] == "admin"}
    org_ids: dict[str, int] = {}
    for org in seed.data["organizations"]:
        fields, errors = orgs.check_fields(
            {k: org[k] for k in ("name", "short_name", "type", "inn", "region", "city")},
            orgs.type_names(deps.t),
        )
        if fields is None:
            raise ValueError(f"seed organization {org['key']}: {errors}")
        admin = admins.get(org["key"])
        org_id = await orgs.create(deps, None, fields, admin_id=admin)
        org_ids[org["key"]] = org_id
        if org["classes"]:
            # The school's administrator sets its classes up, as the audit log will say.
            await manage.create_classes(deps, org_id, list(org["classes"]), admins[org["key"]])
    for person in seed.people:
        if person["part"] != "verified":
            continue
        org_id = org_ids[person["org"]]
        wanted = set(person["classes"])
        class_ids = tuple(c.id for c in await deps.classes.of_org(org_id) if c.name in wanted)
        now = deps.clock.now()
        await deps.users.ensure(int(person["id"]), locale="ru", now=now)
        async with deps.db.transaction() as tx:
            await deps.members.add(
                tx,
                org_id=org_id,
                vk_id=int(person["id"]),
                role=StaffRole(person["role"]),
                full_name=person["full_name"],
                position=person["position"],
                class_ids=class_ids,
                via="appointment",
                now=now,
                actor_id=admins.get(person["org"]),
            )
