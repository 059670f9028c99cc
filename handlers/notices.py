"""Notices to someone other than the person who acted, drawn in the recipient's language and
with buttons their client can show; sent through the one notifier (bot/notifier.py), which
logs a notice it could not deliver and never fails the change the notice tells of."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.deps import Deps
from bot.notifier import Recipient, Render
from keyboards.builder import Capabilities, KeyboardBuilder
from keyboards.menu import home_button


@dataclass(frozen=True, slots=True)
class Term:
    """An argument that is itself a text, translated into each recipient's language."""

    key: str


def text_notice(deps: Deps, key: str, *, home: bool = False, **args: Any) -> Render:
    """A one-text notice; `home`: with the button back to the menu."""

    async def render(r: Recipient) -> tuple[str, str | None]:
        def t(k: str, **a: Any) -> str:
            return deps.t(r.locale, k, **a)

        values = {k: t(v.key) if isinstance(v, Term) else v for k, v in args.items()}
        keyboard = None
        if home:
            caps = Capabilities(callbacks=r.callbacks, inline=r.inline)
            keyboard = home_button(KeyboardBuilder(deps.signer, caps), t).build()
        return t(key, **values), keyboard

    return render


async def tell(deps: Deps, vk_ids: list[int], key: str, *, home: bool = False, **args: Any) -> None:
    await deps.notifier.tell(vk_ids, text_notice(deps, key, home=home, **args))
