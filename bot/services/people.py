"""Who a superadmin means by a link, a screen name or an id: resolved through VK (MAX gives a
bot no way to look a person up, so there an administrator is appointed from VK or the command
line)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from vkbottle import VKAPIError

from bot.i18n import Translator
from bot.messengers import Messengers
from bot.services.organizations import OrgError
from bot.vk_api import VKUnavailable
from storage.accounts import AccountsRepo

_VK_LINK = re.compile(
    r"^(?:(?:https?://)?(?:www\.|m\.)?(?:vk\.com|vk\.ru)/|@)?([A-Za-z0-9_.]{1,32})/?(?:[?#].*)?$",
    re.IGNORECASE,
)

# A bare "vk.com/" has the host where the name should be.
_VK_HOST = re.compile(r"(?:www\.|m\.)?vk\.(?:com|ru)", re.IGNORECASE)


def parse_person_ref(text: str) -> int | str:
    """A VK user id (123, id123, vk.com/id123) or a screen name to resolve (durov, @durov,
    https://vk.com/durov)."""
    match = _VK_LINK.match(text.strip())
    if match is None or _VK_HOST.fullmatch(match.group(1)):
        raise OrgError("person-ref", "admin")
    ref = match.group(1)
    id_form = re.fullmatch(r"(?:id)?(\d+)", ref)
    if id_form is None:
        return ref
    if int(id_form.group(1)) <= 0:
        raise OrgError("person-ref", "admin")
    return int(id_form.group(1))


async def person_refs(
    accounts: AccountsRepo, t: Translator, locale: str, ids: Iterable[int], key: str = "person-ref"
) -> dict[int, str]:
    """How each person is named where they are (a VK page, a MAX account), in `locale`."""
    wanted = list(ids)
    found = await accounts.identities(wanted)
    return {
        i: t(locale, key, messenger=found.get(i, ("", str(i)))[0], ref=found.get(i, ("", str(i)))[1])
        for i in wanted
    }


async def person_ref(accounts: AccountsRepo, t: Translator, locale: str, user_id: int) -> str:
    return (await person_refs(accounts, t, locale, [user_id]))[user_id]


@dataclass(frozen=True, slots=True)
class Person:
    vk_id: int
    first_name: str
    last_name: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or f"id{self.vk_id}"


async def find_person(messengers: Messengers, ref: int | str) -> Person:
    """The VK user behind an id or a screen name, with their name for the confirmation."""
    messenger = messengers.vk
    if messenger is None:
        raise OrgError("vk-unavailable", "admin")
    try:
        if isinstance(ref, str):
            found = await messenger.call("utils.resolveScreenName", screen_name=ref)
            if not isinstance(found, dict) or not found.get("object_id"):
                raise OrgError("person-not-found", "admin")
            if found.get("type") != "user":
                raise OrgError("person-not-user", "admin")
            ref = int(found["object_id"])
        names = await messenger.user_names([ref])
    except VKAPIError:
        # Error 113 ("invalid user id") and its kind: no such person.
        raise OrgError("person-not-found", "admin") from None
    except VKUnavailable:
        raise OrgError("vk-unavailable", "admin") from None
    if ref not in names:
        raise OrgError("person-not-found", "admin")
    first, last = names[ref]
    return Person(ref, first, last)
