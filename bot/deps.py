"""What every handler may use: settings, clock, texts, VK, storage and the domain services."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings
from bot.events import EventBus
from bot.i18n import Translator
from bot.messengers import Messengers
from bot.state import SQLiteStateDispenser
from keyboards.callback_data import Signer
from storage.accounts import AccountsRepo
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
    messenger: Messengers
    states: SQLiteStateDispenser
    users: UsersRepo
    audit: AuditRepo
    orgs: OrganizationsRepo
    classes: ClassesRepo
    members: MembershipsRepo
    applications: ApplicationsRepo
    invitations: InvitationsRepo
    bus: EventBus
    accounts: AccountsRepo
    # SUPERADMIN_IDS and the accounts of MAX_SUPERADMIN_IDS, as user ids.
    superadmins: frozenset[int]

    def is_superadmin(self, vk_id: int) -> bool:
        return vk_id in self.superadmins
