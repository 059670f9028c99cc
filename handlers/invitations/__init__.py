"""Invitations: staff join by a deep link or a code; administrators create, list and revoke.

Two labelers: `make_link_labeler` loads before the start handler, because the click on a
vk.me link arrives as the start word carrying `ref`; `make_labeler` loads with the features.
"""

from __future__ import annotations

from vkbottle.bot import BotLabeler

from bot.deps import Deps
from handlers.common import Ctx, on_button
from handlers.invitations import create, join, listing
from handlers.invitations.create import CREATE
from handlers.invitations.join import JOIN, make_link_labeler
from handlers.start import send_menu
from keyboards import invitations as kbs

__all__ = ["make_labeler", "make_link_labeler"]


def make_labeler(deps: Deps) -> BotLabeler:
    labeler = BotLabeler()
    create.bind(labeler, deps)
    listing.bind(labeler, deps)

    @on_button(labeler, deps, kbs.IvCancel)
    async def cancel(ctx: Ctx) -> None:
        # One cancel button under both conversations' steps.
        if await JOIN.leave(ctx) or await CREATE.leave(ctx):
            await send_menu(ctx, "invite-cancelled")
        else:
            await JOIN.stale(ctx)

    join.bind(labeler, deps)
    return labeler
