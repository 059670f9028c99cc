"""vkbottle labelers, one per module, each built by a factory for one bot; thin by rule."""

from __future__ import annotations

from vkbottle import Bot

from bot.deps import Deps
from handlers import apply, start


def load_all(bot: Bot, deps: Deps) -> None:
    """Order matters: the first matching handler answers, so the catch-alls load last."""
    for factory in (start.make_labeler, apply.make_labeler, start.make_fallback_labeler):
        bot.labeler.load(factory(deps))
