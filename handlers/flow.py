"""The step engine: every multi-step conversation is one declared table of steps.

A step says what it shows (`render`), what it takes (`accepts`, and `typed` for a typed
answer), where it goes next, where "back" leads and whether it can be cancelled. Edges are
chosen by facts: the first edge whose facts all hold is taken, so a table reads like the
diagram drawn from it (`handlers/flows_doc.py` writes docs/flows.md from these tables, and a
test fails when the committed page differs). A move the table does not declare raises, so the
table cannot drift from what the code does.

One way to leave a conversation (`Flow.leave`), one "out of date" answer (`Flow.stale`) and
one handler for whatever is typed during it (`Flow.bind`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from vkbottle import BaseStateGroup
from vkbottle.bot import BotLabeler

from bot.deps import Deps
from handlers.common import Ctx, Need, Refused, TypedRule, Update, on_text
from keyboards.builder import KeyboardBuilder

FINISH = "[*]"

D = TypeVar("D", bound=BaseModel)
Facts = Mapping[str, bool]
View = tuple[str, KeyboardBuilder | None]
Show = Callable[[Ctx], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Edge:
    """A way out of a step: to `to` (a step's name, or FINISH) when every fact in `when`
    holds. `by`: the locale key of the button or word that takes it, for the diagram."""

    to: str
    when: tuple[str, ...] = ()
    by: str = ""


@dataclass(frozen=True, slots=True)
class Reask:
    """A typed answer the step cannot take: the step is asked again under `notice`."""

    notice: str


@dataclass(frozen=True, slots=True)
class Step(Generic[D]):
    state: BaseStateGroup
    render: Callable[[Ctx, D], Awaitable[View]]
    # Locale keys of what the step takes (its buttons' labels, or a typed-answer description).
    accepts: tuple[str, ...] = ()
    # A typed answer: the draft to go on with (along `next`), Reask, or None when it answered.
    typed: Callable[[Ctx, D], Awaitable[D | Reask | None]] | None = None
    next: tuple[Edge, ...] = ()
    back: tuple[Edge, ...] = ()
    cancel: bool = True
    # What arriving at the step does to the draft (a review card ends "editing one answer").
    enter: Callable[[D], None] | None = None
    # Between a notice (why an answer was not taken) and the step's own text.
    sep: str = "\n\n"

    @property
    def name(self) -> str:
        return str(self.state.value)


class Leaving:
    """Leaving the conversations of one state group: the one way a conversation is left,
    whether finished, cancelled or abandoned for another screen; another feature's stays."""

    def __init__(self, group: type[BaseStateGroup]) -> None:
        self.prefix = f"{group.__name__}:"

    def owns(self, name: str | None) -> bool:
        return name is not None and name.startswith(self.prefix)

    async def leave(self, ctx: Ctx) -> bool:
        if self.owns(await ctx.state()):
            await ctx.clear_state()
            return True
        return False


class Flow(Generic[D]):
    """One conversation: its steps in a vkbottle state group, its draft model, its answers."""

    def __init__(
        self,
        title: str,
        group: type[BaseStateGroup],
        model: type[D],
        steps: Sequence[Step[D]],
        *,
        entries: Sequence[Edge],
        lost: Show,
        use_buttons: str | None = None,
        outside: Show | None = None,
        facts: Callable[[Ctx, D], Awaitable[dict[str, bool]]] | None = None,
        tidy: Callable[[D, Facts], None] | None = None,
        resolve: Callable[[Ctx, Step[D], D], Awaitable[Step[D]]] | None = None,
        exit: Callable[[Ctx, D], Awaitable[None]] | None = None,
        intercept: Callable[[Ctx, Step[D], D], Awaitable[bool]] | None = None,
        stale_key: str = "button-stale",
        stale_notice: str | None = None,
        edits: bool = True,
        parked: bool = False,
        stale_shows: bool = True,
    ) -> None:
        self.title = title
        self.group = group
        self.model = model
        self.steps = {s.name: s for s in steps}
        self.entries = tuple(entries)
        self._lost = lost
        self._use_buttons = use_buttons
        self._outside = outside
        self._facts = facts
        self._tidy = tidy
        self._resolve = resolve
        self._exit = exit
        self._intercept = intercept
        self._stale_key = stale_key
        self._stale_notice = stale_notice
        self._edits = edits
        self._parked = parked
        self._stale_shows = stale_shows
        self._leaving = Leaving(group)
        self.prefix = self._leaving.prefix
        for step in steps:
            if step.typed is None and use_buttons is None:
                raise ValueError(f"{title}: {step.name} takes no text and nothing says so")
            for edge in (*step.next, *step.back):
                if edge.to != FINISH and edge.to not in self.steps:
                    raise ValueError(f"{self.title}: {step.name} leads to unknown {edge.to}")

    def __getitem__(self, state: BaseStateGroup) -> Step[D]:
        return self.steps[str(state.value)]

    @property
    def states(self) -> list[str]:
        return [str(s.state) for s in self.steps.values()]

    # --- where the person is ---------------------------------------------------------------
    async def where(self, deps: Deps, peer_id: int) -> tuple[Step[D], D | None] | None:
        """The step the person is at and its draft (None when it no longer reads); None when
        they are not in this conversation. A parked draft of a kept flow comes back first."""
        name = await deps.states.state_name(peer_id)
        step = self._step_of(name)
        if step is None and self._parked and await deps.states.resume_parked(peer_id):
            step = self._step_of(await deps.states.state_name(peer_id))
        if step is None:
            return None
        return step, await deps.states.data(peer_id, self.model)

    def _step_of(self, name: str | None) -> Step[D] | None:
        if name is None or not name.startswith(self.prefix):
            return None
        return self.steps.get(name.removeprefix(self.prefix))

    # --- moving ------------------------------------------------------------------------------
    async def enter(
        self,
        ctx: Ctx,
        state: BaseStateGroup,
        draft: D,
        *,
        notice: str | None = None,
        above: str | None = None,
        edit: bool | None = None,
    ) -> None:
        """Start the conversation at one of its entry steps (`above`: what the question is
        about, shown over it)."""
        self._check(self.entries, state, "the start")
        await self.stay(ctx, self[state], draft, notice=notice, above=above, edit=edit)

    async def jump(
        self, ctx: Ctx, step: Step[D], state: BaseStateGroup, draft: D, *, edit: bool | None = None
    ) -> None:
        """Follow the edge of `step` to `state` the person chose by a button."""
        self._check((*step.next, *step.back), state, step.name)
        await self.stay(ctx, self[state], draft, edit=edit)

    async def advance(
        self,
        ctx: Ctx,
        step: Step[D],
        draft: D,
        *,
        edit: bool | None = None,
        notice: str | None = None,
        **facts: bool,
    ) -> None:
        """Go on from a completed step along the first of its `next` edges whose facts hold."""
        known = await self._known(ctx, draft, extra=facts)
        if self._tidy is not None:
            self._tidy(draft, known)
        await self._follow(ctx, step.next, draft, edit, known, notice)

    async def back(self, ctx: Ctx, step: Step[D], draft: D, *, edit: bool | None = None) -> None:
        """Where "back" leads from `step`; out of the conversation (its `exit`) from the first."""
        await self._follow(ctx, step.back, draft, edit, await self._known(ctx, draft), None)

    async def _known(self, ctx: Ctx, draft: D, extra: Facts | None = None) -> dict[str, bool]:
        return {**(await self._facts(ctx, draft) if self._facts else {}), **(extra or {})}

    async def _follow(
        self,
        ctx: Ctx,
        edges: Sequence[Edge],
        draft: D,
        edit: bool | None,
        facts: Facts,
        notice: str | None,
    ) -> None:
        edge = next((e for e in edges if all(facts.get(w, False) for w in e.when)), None)
        if edge is not None and edge.to == FINISH and self._exit is not None:
            await self._exit(ctx, draft)
            return
        if edge is None or edge.to == FINISH:
            raise ValueError(f"{self.title}: no step to go to from {edges}")
        await self.stay(ctx, self.steps[edge.to], draft, notice=notice, edit=edit)

    async def stay(
        self,
        ctx: Ctx,
        step: Step[D],
        draft: D,
        *,
        notice: str | None = None,
        above: str | None = None,
        edit: bool | None = None,
    ) -> None:
        """Save the draft at `step` and show it (a step whose earlier answers are missing shows
        the first missing one instead, where the flow says so)."""
        if self._resolve is not None:
            step = await self._resolve(ctx, step, draft)
        if step.enter is not None:
            step.enter(draft)
        await ctx.set_state(step.state, draft)
        await self.show(ctx, step, draft, notice=notice, above=above, edit=edit)

    async def show(
        self,
        ctx: Ctx,
        step: Step[D],
        draft: D,
        *,
        notice: str | None = None,
        above: str | None = None,
        edit: bool | None = None,
    ) -> None:
        """The step's message: in place of the pressed one, or as a new message."""
        text, keyboard = await step.render(ctx, draft)
        if notice:
            text = f"{notice}{step.sep}{text}"
        if above:
            text = f"{above}\n\n{text}"
        if self._edits if edit is None else edit:
            await ctx.show(text, keyboard)
        else:
            await ctx.reply(text, keyboard)

    def _check(self, edges: Sequence[Edge], state: BaseStateGroup, source: str) -> None:
        if all(e.to != str(state.value) for e in edges):
            raise ValueError(f"{self.title}: no edge from {source} to {state.value}")

    # --- leaving -----------------------------------------------------------------------------
    async def leave(self, ctx: Ctx) -> bool:
        """End the conversation (and its siblings of the same state group) if the person is
        in it."""
        return await self._leaving.leave(ctx)

    # --- the answers given in one place ------------------------------------------------------
    async def stale(self, ctx: Ctx) -> None:
        """An old button: say so, and show where the person really is."""
        found = await self.where(ctx.deps, ctx.peer_id)
        inline = self._stale_notice is not None and ctx.event is None
        if not inline:
            await ctx.snackbar(ctx.t(self._stale_key))
        if not self._stale_shows:
            return
        if found is None or found[1] is None:
            if found is not None:
                await self._lost(ctx)
            elif self._outside is not None:
                await self._outside(ctx)
            return
        step, draft = found[0], found[1]
        notice = ctx.t(self._stale_notice) if inline and self._stale_notice else None
        await self.stay(ctx, step, draft, notice=notice, edit=False)

    async def reshow(self, ctx: Ctx) -> bool:
        """Ask the current step's question again, if the person is in this conversation."""
        found = await self.where(ctx.deps, ctx.peer_id)
        if found is None or found[1] is None:
            return False
        await self.show(ctx, found[0], found[1])
        return True

    async def lost(self, ctx: Ctx) -> None:
        """The state is this conversation's but its data no longer reads."""
        await self._lost(ctx)

    async def typed(self, ctx: Ctx, step: Step[D], draft: D) -> None:
        """What is typed at any step: the step's answer, or why it cannot be taken."""
        if self._intercept is not None and await self._intercept(ctx, step, draft):
            return
        if step.typed is None:
            notice = ctx.t(self._use_buttons) if self._use_buttons else None
            await self.show(ctx, step, draft, notice=notice, edit=False)
            return
        result = await step.typed(ctx, draft)
        if isinstance(result, Reask):
            await self.show(ctx, step, draft, notice=result.notice, edit=False)
        elif result is not None:
            await self.advance(ctx, step, result, edit=False)

    def bind(
        self, labeler: BotLabeler, deps: Deps, *needs: Need, gates: Sequence[Need] = ()
    ) -> None:
        """The one typed-text handler of the conversation: a pressed text button carries a
        payload, so it is never taken for an answer. `gates` are checked before the draft is
        read, `needs` after (they may read it)."""

        async def typed(ctx: Ctx, step: Step[D], draft: D) -> None:
            await self.typed(ctx, step, draft)

        typed.__name__ = f"typed_{self.group.__name__}"
        at = AtStep(deps, self, lost=True)
        on_text(labeler, deps, TypedRule(), *gates, at, *needs, state=self.states)(typed)


class AtStep(Need):
    """The conversation's draft (`draft`) and step (`step`) when the person is at one of
    `steps` (any step of the flow when none are named) and `same(step, draft, data)` holds;
    else the button is out of date (or, for typed text, the draft is lost)."""

    def __init__(
        self,
        deps: Deps,
        flow: Flow[Any],
        *steps: BaseStateGroup,
        same: Callable[[Step[Any], Any, Any], bool] | None = None,
        lost: bool = False,
    ) -> None:
        self._deps = deps
        self._flow = flow
        self._steps = {str(s.value) for s in steps}
        self._same = same
        self._refusal = Refused(flow.lost if lost else flow.stale)

    async def resolve(self, update: Update) -> dict[str, Any]:
        found = await self._flow.where(self._deps, update.peer_id)
        if found is None or found[1] is None:
            return {"draft": self._refusal}
        step, draft = found
        if self._steps and step.name not in self._steps:
            return {"draft": self._refusal}
        if self._same is not None and not self._same(step, draft, update.data):
            return {"draft": self._refusal}
        return {"step": step, "draft": draft}
