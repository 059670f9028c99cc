"""The thin layer every handler stands on: one Ctx per update, one way to register a button
for both text-button messages and callback events, and one place that turns an exception into
a log line with a traceback and a short apology."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from loguru import logger
from pydantic import BaseModel
from vkbottle import BaseStateGroup, GroupEventType
from vkbottle.bot import BotLabeler, Message, MessageEvent
from vkbottle.dispatch.rules import ABCRule

from bot.callback_data import CallbackData
from bot.deps import Deps
from bot.domain import Capabilities
from bot.metrics import HANDLER_ERRORS
from bot.outbox import current_unit
from keyboards.builder import KeyboardBuilder
from storage.models import User
from storage.outbox import Upload

D = TypeVar("D", bound=CallbackData)
M = TypeVar("M", bound=BaseModel)
Keyboard = KeyboardBuilder | str | None


@dataclass
class Ctx:
    deps: Deps
    user: User
    peer_id: int
    message: Message | None = None
    event: MessageEvent | None = None
    answered: bool = field(default=False)

    # --- what came in --------------------------------------------------------------------
    @property
    def text(self) -> str:
        return (self.message.text or "") if self.message is not None else ""

    @property
    def vk_id(self) -> int:
        return self.user.vk_id

    @property
    def locale(self) -> str:
        return self.user.locale

    def t(self, key: str, **args: Any) -> str:
        return self.deps.t(self.user.locale, key, **args)

    def kb(self) -> KeyboardBuilder:
        caps = Capabilities(callbacks=self.user.callbacks, inline=self.user.inline_keyboard)
        return KeyboardBuilder(self.deps.signer, caps)

    # --- what goes out -------------------------------------------------------------------
    # Everything said goes to the outbox in this update's transaction; the sender delivers it
    # once the update is committed (bot/outbox.py).
    async def reply(
        self,
        text: str,
        keyboard: Keyboard = None,
        attachment: str | None = None,
        *,
        upload: tuple[Upload, str, bytes] | None = None,
        upload_failed_text: str | None = None,
    ) -> int:
        """Send a message to this person; `upload` (kind, file name, bytes) is uploaded by the
        sender and attached, or `upload_failed_text` is sent instead if that fails. Returns
        the outbox row, which a later edit can refer to."""
        await self.ack()
        kb = keyboard.build() if isinstance(keyboard, KeyboardBuilder) else keyboard
        rows = await self.deps.outbox.send(
            self.peer_id,
            text,
            keyboard=kb,
            attachment=attachment,
            upload=upload,
            upload_failed_text=upload_failed_text,
        )
        return rows[0]

    async def show(self, text: str, keyboard: Keyboard = None) -> None:
        """Replace the message whose button was pressed (paging, toggles); else send anew."""
        cmid = self.event.conversation_message_id if self.event is not None else None
        if cmid is None:
            await self.reply(text, keyboard)
            return
        await self.ack()
        kb = keyboard.build() if isinstance(keyboard, KeyboardBuilder) else keyboard
        await self.deps.outbox.edit(self.peer_id, text, cmid=cmid, keyboard=kb, or_send=True)

    async def snackbar(self, text: str) -> None:
        """A short notice: a snackbar for a callback press, a message otherwise."""
        if self.event is None:
            await self.reply(text)
            return
        if not self.answered:
            self.answered = True
            await self.deps.outbox.answer(
                str(self.event.event_id), self.event.user_id, self.event.peer_id, text
            )

    async def ack(self) -> None:
        """Every callback press is answered exactly once; later calls do nothing."""
        if self.event is not None and not self.answered:
            self.answered = True
            await self.deps.outbox.answer(
                str(self.event.event_id), self.event.user_id, self.event.peer_id
            )

    # --- conversation state --------------------------------------------------------------
    async def set_state(self, state: BaseStateGroup, data: BaseModel | None = None) -> None:
        payload = data.model_dump(mode="json") if data is not None else {}
        await self.deps.states.set(self.peer_id, state, **payload)

    async def data(self, model: type[M]) -> M | None:
        return await self.deps.states.data(self.peer_id, model)

    async def state(self) -> str | None:
        return await self.deps.states.state_name(self.peer_id)

    async def clear_state(self) -> None:
        await self.deps.states.delete(self.peer_id)

    async def drop_flow(self, group: type[BaseStateGroup]) -> None:
        """Leave a flow of `group` when its screen is left; another feature's flow stays."""
        name = await self.state()
        if name is not None and name.startswith(f"{group.__name__}:"):
            await self.clear_state()


class ButtonRule(ABCRule[Any]):
    """Matches a press of a button carrying `cls`; the checked payload reaches the handler."""

    def __init__(self, deps: Deps, cls: type[CallbackData]) -> None:
        self._deps = deps
        self._cls = cls

    async def check(self, event: Any) -> bool | dict[str, Any]:
        data = self._deps.signer.unpack(raw_payload(event))
        return {"data": data} if isinstance(data, self._cls) else False


class TypedRule(ABCRule[Message]):
    """Typed text only: a text button's press (ours or another feature's) carries a payload and
    is never read as a typed answer."""

    async def check(self, event: Message) -> bool:
        return raw_payload(event) is None


class AnyPayloadRule(ABCRule[Any]):
    """Any press with a payload: used last, for stale, forged and malformed buttons."""

    async def check(self, event: Any) -> bool:
        return raw_payload(event) is not None


def raw_payload(event: Any) -> str | dict[str, Any] | None:
    if isinstance(event, MessageEvent):
        return event.payload
    payload = getattr(event, "payload", None)
    return payload if isinstance(payload, str) and payload else None


async def make_ctx(deps: Deps, event: Message | MessageEvent) -> Ctx:
    now = deps.clock.now()
    if isinstance(event, MessageEvent):
        user = await deps.users.get(event.user_id) or await deps.users.ensure(
            event.user_id, locale=deps.settings.default_locale, now=now
        )
        return Ctx(deps, user, event.peer_id, event=event)
    info = event.client_info
    locale = deps.t.locale_for(info.lang_id) if info is not None else None
    callbacks = ("callback" in (info.button_actions or [])) if info is not None else None
    inline = bool(info.inline_keyboard) if info is not None else None
    known = await deps.users.get(event.from_id)
    # A write (and its fsync) only when the person or their client is new or changed.
    if known is not None and (
        known.messages_allowed
        and locale in (None, known.locale)
        and callbacks in (None, known.callbacks)
        and inline in (None, known.inline_keyboard)
    ):
        return Ctx(deps, known, event.peer_id, message=event)
    user = await deps.users.upsert_client(
        event.from_id, locale=locale, callbacks=callbacks, inline_keyboard=inline, now=now
    )
    return Ctx(deps, user, event.peer_id, message=event)


HandlerFn = Callable[..., Awaitable[None]]


def guarded(deps: Deps, fn: HandlerFn) -> Callable[..., Awaitable[None]]:
    """Build the Ctx, run the handler; an error is logged and handed to the update's runner,
    which rolls back everything the handling wrote, retries and in the end apologises once."""

    async def run(event: Message | MessageEvent, data: CallbackData | None = None) -> None:
        ctx = await make_ctx(deps, event)
        try:
            if data is None:
                await fn(ctx)
            else:
                await fn(ctx, data)
        except Exception as exc:
            HANDLER_ERRORS.inc()
            logger.exception("Handler {} failed for peer {}", fn.__name__, ctx.peer_id)
            unit = current_unit.get()
            if unit is None:
                raise
            # Not raised on: vkbottle would then run the next matching handler too.
            unit.failure = exc
            return
        if not ctx.answered:
            await ctx.ack()

    # Not functools.wraps: vkbottle reads the signature to pass `data`, and must see run's.
    run.__name__ = run.__qualname__ = fn.__name__
    return run


def on_button(
    labeler: BotLabeler, deps: Deps, cls: type[D]
) -> Callable[[Callable[[Ctx, D], Awaitable[None]]], Callable[[Ctx, D], Awaitable[None]]]:
    """Register a handler for a button whether it arrives as a callback or as a text button."""

    def register(fn: Callable[[Ctx, D], Awaitable[None]]) -> Callable[[Ctx, D], Awaitable[None]]:
        wrapped = guarded(deps, fn)
        labeler.message(ButtonRule(deps, cls))(wrapped)
        labeler.raw_event(GroupEventType.MESSAGE_EVENT, MessageEvent, ButtonRule(deps, cls))(
            wrapped
        )
        return fn

    return register


def on_text(
    labeler: BotLabeler, deps: Deps, *rules: ABCRule[Any], state: Any = None
) -> Callable[[Callable[[Ctx], Awaitable[None]]], Callable[[Ctx], Awaitable[None]]]:
    """Register a handler for a typed message (optionally only in the given state(s))."""

    def register(fn: Callable[[Ctx], Awaitable[None]]) -> Callable[[Ctx], Awaitable[None]]:
        if state is not None:
            labeler.message(*rules, state=state)(guarded(deps, fn))
        else:
            labeler.message(*rules)(guarded(deps, fn))
        return fn

    return register
