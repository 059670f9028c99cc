"""Domain events: a feature announces what happened; others react without importing it.

Filing an application (by the conversation or by an invitation that needs approval) publishes
ApplicationFiled; the review feature subscribes and prompts the administrators, and updates
their prompts on ApplicationWithdrawn. MemberVerified follows every new membership.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from loguru import logger


@dataclass(frozen=True, slots=True)
class ApplicationFiled:
    application_id: int


@dataclass(frozen=True, slots=True)
class ApplicationWithdrawn:
    application_id: int


@dataclass(frozen=True, slots=True)
class MemberVerified:
    membership_id: int


Subscriber = Callable[[Any], Awaitable[None]]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: dict[type, list[Subscriber]] = defaultdict(list)

    def subscribe(self, event_type: type, fn: Subscriber) -> None:
        self._subscribers[event_type].append(fn)

    async def publish(self, event: object) -> None:
        """Run every subscriber in turn; one that fails is logged and does not stop the others,
        because the publisher's own change is already committed."""
        for fn in self._subscribers.get(type(event), []):
            try:
                await fn(event)
            except Exception:
                logger.exception("Subscriber {} failed on {}", getattr(fn, "__name__", fn), event)
