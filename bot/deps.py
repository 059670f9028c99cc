"""What every handler may use: settings, clock, texts, VK, storage and the domain services."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callback_data import Signer
from bot.clock import Clock
from bot.config import Settings
from bot.events import EventBus
from bot.i18n import Translator
from bot.messenger import Messenger
from bot.outbox import Outbox
from bot.state import SQLiteStateDispenser
from storage.applications import ApplicationsRepo
from storage.audit import AuditRepo
from storage.classes import ClassesRepo
from storage.db import Database
from storage.invitations import InvitationsRepo
from storage.memberships import MembershipsRepo
from storage.organizations import OrganizationsRepo
from storage.users import UsersRepo


@dataclass
class Deps:
    settings: Settings
    db: Database
    clock: Clock
    t: Translator
    signer: Signer
    messenger: Messenger
    outbox: Outbox
    states: SQLiteStateDispenser
    users: UsersRepo
    audit: AuditRepo
    orgs: OrganizationsRepo
    classes: ClassesRepo
    members: MembershipsRepo
    applications: ApplicationsRepo
    invitations: InvitationsRepo
    bus: EventBus

    def is_superadmin(self, vk_id: int) -> bool:
        return vk_id in self.settings.superadmin_ids
