"""The thin layer every handler stands on: one Ctx per update, one way to register a button
for both text-button messages and callback events, the needs a handler declares (vkbottle
rules that resolve its arguments or refuse), and one place that turns an exception into a log
line with a traceback and a short apology."""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from loguru import logger
from pydantic import BaseModel
from vkbottle import BaseStateGroup, GroupEventType
from vkbottle.bot import BotLabeler, Message, MessageEvent
from vkbottle.dispatch.rules import ABCRule

from bot.deps import Deps
from bot.messenger import Sent
from bot.metrics import HANDLER_ERRORS
from keyboards.builder import Capabilities, KeyboardBuilder
from keyboards.callback_data import CallbackData
from storage.models import User

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
    async def reply(
        self, text: str, keyboard: Keyboard = None, attachment: str | None = None
    ) -> Sent:
        await self.ack()
        kb = keyboard.build() if isinstance(keyboard, KeyboardBuilder) else keyboard
        sent = await self.deps.messenger.send(
            self.peer_id, text, keyboard=kb, attachment=attachment
        )
        if sent.error is not None:
            logger.warning("Reply to {} not delivered: VK error {}", self.peer_id, sent.error)
        return sent

    async def show(self, text: str, keyboard: Keyboard = None) -> None:
        """Replace the message whose button was pressed (paging, toggles); else send anew."""
        cmid = self.event.conversation_message_id if self.event is not None else None
        if cmid is None:
            await self.reply(text, keyboard)
            return
        await self.ack()
        kb = keyboard.build() if isinstance(keyboard, KeyboardBuilder) else keyboard
        if not await self.deps.messenger.edit(self.peer_id, cmid, text, keyboard=kb):
            await self.reply(text, keyboard)

    async def snackbar(self, text: str) -> None:
        """A short notice: a snackbar for a callback press, a message otherwise."""
        if self.event is None:
            await self.reply(text)
            return
        if not self.answered:
            self.answered = True
            await self.deps.messenger.answer_event(
                str(self.event.event_id), self.event.user_id, self.event.peer_id, text
            )

    async def ack(self) -> None:
        """Every callback press is answered exactly once; later calls do nothing."""
        if self.event is not None and not self.answered:
            self.answered = True
            await self.deps.messenger.answer_event(
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


@dataclass(frozen=True, slots=True)
class Refused:
    """Why a handler does not run, and the one function that answers in its place (the "no
    rights", "out of date" and "gone" answers live in handlers/needs.py and handlers/flow.py)."""

    answer: Callable[[Ctx], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Broken:
    """A need that failed to resolve: raised again inside the handler's guard, so it is logged
    and apologised for like any other error of the handler."""

    error: Exception


@dataclass(frozen=True, slots=True)
class Update:
    """What a need may read of an update before the handler runs."""

    vk_id: int
    peer_id: int
    context: dict[str, Any]

    @property
    def data(self) -> Any:
        return self.context.get("data")


class Need(ABCRule[Any]):
    """A vkbottle rule that never turns an update away: it resolves what the handler declared
    it needs (its arguments, like aiogram's middleware data) from the rules before it, or a
    Refused that the guard answers instead of running the handler. Needs are read from the
    database on every update: a button proves only that the bot once drew it."""

    async def check(self, event: Any, context: dict[str, Any]) -> dict[str, Any]:
        if any(isinstance(v, Refused | Broken) for v in context.values()):
            return {}
        if isinstance(event, MessageEvent):
            update = Update(event.user_id, event.peer_id, context)
        else:
            update = Update(event.from_id, event.peer_id, context)
        try:
            return await self.resolve(update)
        except Exception as exc:
            return {f"broken_{id(self)}": Broken(exc)}

    async def resolve(self, update: Update) -> dict[str, Any]:
        """The arguments this need provides, or {name: Refused(...)}."""
        raise NotImplementedError


def guarded(
    deps: Deps, fn: HandlerFn, *, leaves: Leaves | None = None
) -> Callable[..., Awaitable[None]]:
    """Build the Ctx, answer a refusal or run the handler with the arguments its needs resolved;
    on any error log it and apologise once. `leaves`: a flow whose typed step any press of this
    button ends (the buttons that start one set it again)."""
    wanted = list(inspect.signature(fn).parameters)[1:]

    async def run(event: Message | MessageEvent, context: dict[str, Any]) -> None:
        ctx = await make_ctx(deps, event)
        try:
            if leaves is not None:
                await leaves.leave(ctx)
            refused = [v for v in context.values() if isinstance(v, Refused | Broken)]
            if refused and isinstance(refused[0], Broken):
                raise refused[0].error
            if refused and isinstance(refused[0], Refused):
                await refused[0].answer(ctx)
            else:
                await fn(ctx, **{name: context[name] for name in wanted})
        except Exception:
            HANDLER_ERRORS.inc()
            logger.exception("Handler {} failed for peer {}", fn.__name__, ctx.peer_id)
            try:
                await ctx.reply(ctx.t("error-generic"))
            except Exception:
                logger.exception("Apology to {} failed too", ctx.peer_id)
        finally:
            if not ctx.answered:
                try:
                    await ctx.ack()
                except Exception:
                    logger.exception("Event answer to {} failed", ctx.peer_id)

    # Not functools.wraps: vkbottle reads the signature to pass the rules' context.
    run.__name__ = run.__qualname__ = fn.__name__
    return run


class Leaves(Protocol):
    async def leave(self, ctx: Ctx) -> bool: ...


def on_button(
    labeler: BotLabeler,
    deps: Deps,
    cls: type[CallbackData],
    *needs: Need,
    leaves: Leaves | None = None,
) -> Callable[[HandlerFn], HandlerFn]:
    """Register a handler for a button whether it arrives as a callback or as a text button.
    The handler takes the Ctx, `data` (the checked payload) and what `needs` resolve."""

    def register(fn: HandlerFn) -> HandlerFn:
        wrapped = guarded(deps, fn, leaves=leaves)
        labeler.message(ButtonRule(deps, cls), *needs)(wrapped)
        labeler.raw_event(
            GroupEventType.MESSAGE_EVENT, MessageEvent, ButtonRule(deps, cls), *needs
        )(wrapped)
        return fn

    return register


class StateIn(ABCRule[Message]):
    """The person is at one of these conversation steps (vkbottle sets `state_peer` for
    messages from the state dispenser)."""

    def __init__(self, states: Iterable[str]) -> None:
        self._states = frozenset(states)

    async def check(self, event: Message) -> bool:
        peer = event.state_peer
        return peer is not None and str(peer.state) in self._states


def on_text(
    labeler: BotLabeler, deps: Deps, *rules: ABCRule[Any], state: Any = None
) -> Callable[[HandlerFn], HandlerFn]:
    """Register a handler for a typed message (optionally only in the given state(s)); rules
    that are needs come after the state check, so they run only for the person it matches."""

    def register(fn: HandlerFn) -> HandlerFn:
        checks = [r for r in rules if not isinstance(r, Need)]
        if state is not None:
            states = state if isinstance(state, list | tuple | frozenset | set) else [state]
            checks.append(StateIn(str(s) for s in states))
        checks += [r for r in rules if isinstance(r, Need)]
        labeler.message(*checks)(guarded(deps, fn))
        return fn

    return register


def payload_json(raw: str | dict[str, Any] | None) -> dict[str, Any] | None:
    if isinstance(raw, dict):
        return raw
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
