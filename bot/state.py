"""Conversation state kept in SQLite, so a restart continues every conversation where it was."""

from __future__ import annotations

from typing import Any, TypeVar

from loguru import logger
from pydantic import BaseModel, ValidationError
from vkbottle import ABCStateDispenser, BaseStateGroup
from vkbottle.dispatch.dispenser.base import StatePeer, StateRepresentation

from bot.clock import Clock
from storage.states import StatesRepo

M = TypeVar("M", bound=BaseModel)


class SQLiteStateDispenser(ABCStateDispenser):
    def __init__(self, repo: StatesRepo, clock: Clock) -> None:
        self._repo = repo
        self._clock = clock

    async def get(self, peer_id: int) -> StatePeer | None:
        row = await self._repo.get(peer_id)
        if row is None:
            return None
        # A plain str would never equal a state group member; the representation does.
        return StatePeer(peer_id=peer_id, state=StateRepresentation(row.state), payload=row.payload)

    async def set(self, peer_id: int, state: BaseStateGroup | str, **payload: Any) -> None:
        name = str(state)
        await self._repo.set(peer_id, name, payload, self._clock.now())

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
