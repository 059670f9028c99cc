"""What every handler may use: settings, clock, texts, VK, storage and the domain services."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings
from bot.events import EventBus
from bot.i18n import Translator
from bot.messenger import Messenger
from bot.names import Names
from bot.notifier import Notifier
from bot.state import SQLiteStateDispenser
from keyboards.callback_data import Signer
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
    states: SQLiteStateDispenser
    users: UsersRepo
    audit: AuditRepo
    orgs: OrganizationsRepo
    classes: ClassesRepo
    members: MembershipsRepo
    applications: ApplicationsRepo
    invitations: InvitationsRepo
    bus: EventBus
    # Names of VK users, asked once; notices to anyone but the person who acted.
    names: Names
    notifier: Notifier

    def is_superadmin(self, vk_id: int) -> bool:
        return vk_id in self.settings.superadmin_ids
