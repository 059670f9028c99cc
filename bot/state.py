"""Conversation state kept in SQLite, so a restart continues every conversation where it was."""

from __future__ import annotations

from typing import Any, TypeVar

from loguru import logger
from pydantic import BaseModel, ValidationError
from vkbottle import ABCStateDispenser, BaseStateGroup
from vkbottle.dispatch.dispenser.base import StatePeer, StateRepresentation

from bot.clock import Clock
from storage.states import PARKED, StatesRepo

M = TypeVar("M", bound=BaseModel)


class SQLiteStateDispenser(ABCStateDispenser):
    """One current state per person. A state of a `kept` group (a long draft) is not lost when
    another flow takes over: it is parked, and `resume_parked` brings it back."""

    def __init__(self, repo: StatesRepo, clock: Clock, kept: tuple[str, ...] = ()) -> None:
        self._repo = repo
        self._clock = clock
        self._kept = kept

    async def get(self, peer_id: int) -> StatePeer | None:
        row = await self._repo.get(peer_id)
        if row is None:
            return None
        # A plain str would never equal a state group member; the representation does.
        return StatePeer(peer_id=peer_id, state=StateRepresentation(row.state), payload=row.payload)

    async def set(self, peer_id: int, state: BaseStateGroup | str, **payload: Any) -> None:
        name = str(state)
        now = self._clock.now()
        current = await self._repo.get(peer_id)
        if current is not None and any(
            current.state.startswith(group) and not name.startswith(group) for group in self._kept
        ):
            await self._repo.park(peer_id, now)
        await self._repo.set(peer_id, name, payload, now)

    async def delete(self, peer_id: int) -> None:
        await self._repo.delete(peer_id)

    async def data(self, peer_id: int, model: type[M]) -> M | None:
        """The flow's typed data, or None when there is none or it no longer validates."""
        row = await self._repo.get(peer_id)
        if row is None:
            return None
        try:
            return model.model_validate(row.payload)
        except ValidationError as exc:
            logger.warning("Dropping invalid {} state of {}: {}", model.__name__, peer_id, exc)
            return None

    async def state_name(self, peer_id: int) -> str | None:
        row = await self._repo.get(peer_id)
        return None if row is None else row.state

    async def parked_name(self, peer_id: int) -> str | None:
        row = await self._repo.get(peer_id, PARKED)
        return None if row is None else row.state

    async def resume_parked(self, peer_id: int) -> bool:
        return await self._repo.unpark(peer_id, self._clock.now())

    async def discard_parked(self, peer_id: int) -> None:
        await self._repo.delete(peer_id, PARKED)
