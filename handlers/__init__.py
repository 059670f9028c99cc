"""vkbottle labelers, one per module, each built by a factory for one bot; thin by rule."""

from __future__ import annotations

from vkbottle import Bot

from bot.deps import Deps
from handlers import contacts, manage, profile, review, start


def load_all(bot: Bot, deps: Deps) -> None:
    """Order matters: the first matching handler answers, so the catch-alls load last."""
    for factory in (
        start.make_labeler,
        review.make_labeler,
        profile.make_labeler,
        contacts.make_labeler,
        manage.make_labeler,
        start.make_fallback_labeler,
    ):
        bot.labeler.load(factory(deps))
