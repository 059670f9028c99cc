"""vkbottle labelers, one per module, each built by a factory for one bot; thin by rule."""

from __future__ import annotations

from vkbottle import Bot

from bot.deps import Deps
from handlers import apply, contacts, invitations, manage, profile, review, start, superadmin


def load_all(bot: Bot, deps: Deps) -> None:
    """Order matters: the first matching handler answers, so the catch-alls load last."""
    for factory in (
        # A deep link arrives as "Начать" with a ref: it must be seen before the greeting.
        invitations.make_link_labeler,
        start.make_labeler,
        review.make_labeler,
        apply.make_labeler,
        superadmin.make_labeler,
        invitations.make_labeler,
        profile.make_labeler,
        contacts.make_labeler,
        manage.make_labeler,
        start.make_fallback_labeler,
    ):
        bot.labeler.load(factory(deps))
