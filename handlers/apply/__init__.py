"""Applying for verification (the conversation) and "My applications"."""

from __future__ import annotations

from vkbottle.bot import BotLabeler

from bot.deps import Deps
from handlers.apply import conversation, mine


def make_labeler(deps: Deps) -> BotLabeler:
    labeler = BotLabeler()
    conversation.bind(labeler, deps)
    mine.bind(labeler, deps)
    return labeler
