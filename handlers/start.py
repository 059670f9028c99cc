"""The first message, "Начать", help, and the catch-alls for what nothing else understood."""

from __future__ import annotations

from typing import Any

from vkbottle import GroupEventType
from vkbottle.bot import BotLabeler, Message, MessageEvent
from vkbottle.dispatch.rules import ABCRule

from bot.deps import Deps
from bot.services.menu import leave_typed_steps, menu_info
from handlers.common import AnyPayloadRule, Ctx, guarded, on_button, on_text
from keyboards.callback_data import is_start_command
from keyboards.menu import MenuHelp, MenuHome, home_button, main_menu

START_WORDS = frozenset({"начать", "старт", "/start", "start", "меню", "menu", "привет", "hello"})


class StartRule(ABCRule[Message]):
    async def check(self, event: Message) -> bool:
        if is_start_command(event.payload):
            return True
        return (event.text or "").strip().casefold() in START_WORDS


async def send_menu(ctx: Ctx, text_key: str = "menu-title") -> None:
    info = await menu_info(ctx.deps, ctx.vk_id)
    await ctx.reply(ctx.t(text_key), main_menu(ctx.kb(), ctx.t, info))


def make_labeler(deps: Deps) -> BotLabeler:
    labeler = BotLabeler()

    @on_text(labeler, deps, StartRule())
    async def start(ctx: Ctx) -> None:
        await leave_typed_steps(deps, ctx.vk_id)
        await send_menu(ctx, "start-greeting")

    @on_button(labeler, deps, MenuHome)
    async def home(ctx: Ctx) -> None:
        await leave_typed_steps(deps, ctx.vk_id)
        await send_menu(ctx)

    @on_button(labeler, deps, MenuHelp)
    async def help_(ctx: Ctx) -> None:
        await ctx.reply(ctx.t("help-text"), home_button(ctx.kb(), ctx.t))

    async def allowed(event: dict[str, Any]) -> None:
        # message_allow carries no message; answer as if the person had said "Начать".
        user_id = int((event.get("object") or {}).get("user_id") or 0)
        if user_id <= 0:
            return
        user = await deps.users.ensure(
            user_id, locale=deps.settings.default_locale, now=deps.clock.now()
        )
        await deps.users.set_messages_allowed(user_id, True, deps.clock.now())
        await send_menu(Ctx(deps, user, user_id), "start-greeting")

    labeler.raw_event(GroupEventType.MESSAGE_ALLOW, dict)(allowed)
    return labeler


def make_fallback_labeler(deps: Deps) -> BotLabeler:
    """Loaded last: a stale or forged button, and anything typed that no step expects."""
    labeler = BotLabeler()

    async def stale_event(ctx: Ctx) -> None:
        await ctx.snackbar(ctx.t("button-stale"))

    labeler.raw_event(GroupEventType.MESSAGE_EVENT, MessageEvent)(guarded(deps, stale_event))

    @on_text(labeler, deps, AnyPayloadRule())
    async def stale_button(ctx: Ctx) -> None:
        await send_menu(ctx, "button-stale-menu")

    @on_text(labeler, deps)
    async def unknown(ctx: Ctx) -> None:
        await send_menu(ctx, "unknown-input")

    return labeler
