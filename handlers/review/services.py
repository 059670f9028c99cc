"""The review's services as the app factory builds them, once, for the handlers."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.review.decisions import Decisions
from bot.services.review.notices import ReviewNotices
from handlers.review.texts import ReviewTexts


@dataclass(frozen=True, slots=True)
class Review:
    decisions: Decisions
    notices: ReviewNotices
    texts: ReviewTexts
