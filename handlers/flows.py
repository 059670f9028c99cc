"""Small helpers for features whose flows wait for typed text."""

from __future__ import annotations

from typing import Any

from vkbottle import BaseStateGroup
from vkbottle.dispatch.rules import ABCRule

from handlers.common import AnyPayloadRule, Ctx


async def drop_flow(ctx: Ctx, group: type[BaseStateGroup]) -> None:
    """Leave a flow of `group` when its screen is left by a button; another feature's flow stays."""
    name = await ctx.state()
    if name is not None and name.startswith(f"{group.__name__}:"):
        await ctx.clear_state()


def typed() -> ABCRule[Any]:
    """Typed text only: a button press (a payload) while a flow waits belongs to its button."""
    return ~AnyPayloadRule()
