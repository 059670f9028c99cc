"""The administration menu's typed steps: their state group and what a typed answer is for."""

from __future__ import annotations

from pydantic import BaseModel
from vkbottle import BaseStateGroup

from handlers.common import Ctx
from storage.models import Organization


class ManageFlow(BaseStateGroup):
    CLASS_NEW = "class_new"
    CLASS_RENAME = "class_rename"
    POSITION = "position"
    REASON = "reason"


class Typing(BaseModel):
    """What a typed answer applies to: the organization and the class or membership."""

    org: int
    cls: int = 0
    m: int = 0


async def org_of(ctx: Ctx, draft: Typing) -> Organization:
    """The organization of a typed answer, whose rights the step's rule has just checked."""
    org = await ctx.deps.orgs.get(draft.org)
    assert org is not None
    return org
