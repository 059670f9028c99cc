"""The administrator's review: decisions from a prompt or the list, and what the review says."""

from __future__ import annotations

from vkbottle.bot import BotLabeler

from bot.deps import Deps
from handlers.review import decide
from handlers.review.services import Review


def make_labeler(deps: Deps, review: Review) -> BotLabeler:
    labeler = BotLabeler()
    decide.bind(labeler, deps, review)
    return labeler
