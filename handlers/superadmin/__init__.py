"""Superadmins' "Организации": list and search, create and edit (a conversation with a review
card), archive, appoint an administrator. Every press and message re-checks that the person is
a superadmin by the settings: a payload proves only that the bot made the button."""

from __future__ import annotations

from vkbottle.bot import BotLabeler

from bot.deps import Deps
from handlers.superadmin import appoint, browse, edit


def make_labeler(deps: Deps) -> BotLabeler:
    labeler = BotLabeler()
    for section in (browse, edit, appoint):
        section.bind(labeler, deps)
    return labeler
