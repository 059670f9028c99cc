"""vkbottle labelers, one per module, each built by a factory for one bot; thin by rule."""

from __future__ import annotations

from vkbottle import Bot

from bot.deps import Deps
from handlers import apply, contacts, invitations, manage, profile, review, start, superadmin
from handlers.review.services import Review


def load_all(bot: Bot, deps: Deps, review_services: Review) -> None:
    """Order matters: the first matching handler answers, so the catch-alls load last. The
    services are built once, by the app factory."""
    # A deep link arrives as "Начать" with a ref: it must be seen before the greeting.
    bot.labeler.load(invitations.make_link_labeler(deps))
    bot.labeler.load(start.make_labeler(deps))
    bot.labeler.load(review.make_labeler(deps, review_services))
    for factory in (
        apply.make_labeler,
        superadmin.make_labeler,
        invitations.make_labeler,
        profile.make_labeler,
        contacts.make_labeler,
        manage.make_labeler,
        start.make_fallback_labeler,
    ):
        bot.labeler.load(factory(deps))
