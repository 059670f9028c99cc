"""What the superadmins' organizations section shares: its state group and drafts."""

from __future__ import annotations

import secrets

from pydantic import BaseModel
from vkbottle import BaseStateGroup

from bot.services import organizations as svc
from handlers.flow import Leaving
from storage.models import OrgType


class OrgFlow(BaseStateGroup):
    NAME = "name"
    SHORT_NAME = "short_name"
    TYPE = "type"
    INN = "inn"
    REGION = "region"
    CITY = "city"
    REVIEW = "review"
    SEARCH = "search"
    ADMIN = "admin"


class Draft(BaseModel):
    """A new organization (org_id None) or changes to one, as typed so far."""

    token: int
    org_id: int | None = None
    name: str = ""
    short_name: str = ""
    type: str = ""
    inn: str = ""
    region: str = ""
    city: str = ""
    reviewing: bool = False

    def fields(self) -> svc.OrgFields:
        return svc.OrgFields(
            self.name, self.short_name, OrgType(self.type), self.inn, self.region, self.city
        )


class Appointing(BaseModel):
    org_id: int
    vk_id: int | None = None
    person: str = ""


class Nothing(BaseModel):
    """The draft of a step that keeps nothing (the search question)."""


def new_token() -> int:
    return secrets.randbelow(1 << 30) + 1


# The section's conversations share one state group: leaving one leaves them all.
LEAVE = Leaving(OrgFlow)
