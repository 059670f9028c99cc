"""The organization's contact list: verified staff, shown only to verified staff of the same
organization (checked from the database on every page)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.deps import Deps
from bot.services.roster import Problem, RosterEntry, clamp_page, clean_line, pages, roster
from storage.models import Organization

PAGE_SIZE = 5
QUERY_MAX = 40


@dataclass(frozen=True, slots=True)
class ContactsPage:
    org: Organization
    people: list[RosterEntry]
    page: int
    pages: int
    total: int
    query: str


async def verified_orgs(deps: Deps, vk_id: int) -> list[Organization]:
    """Organizations whose contacts the person may see: verified there, organization open."""
    found = []
    for m in await deps.members.of_user(vk_id):
        org = await deps.orgs.get(m.org_id)
        if org is not None and org.archived_at is None:
            found.append(org)
    return found


async def entitled_org(deps: Deps, vk_id: int, org_id: int) -> Organization | None:
    org = await deps.orgs.get(org_id)
    if org is None or org.archived_at is not None:
        return None
    if await deps.members.active(org_id, vk_id) is None:
        return None
    return org


async def contacts_page(
    deps: Deps, vk_id: int, org_id: int, page: int, query: str = ""
) -> ContactsPage | None:
    """A page of the list, or None when the person is not a verified member of the organization."""
    org = await entitled_org(deps, vk_id, org_id)
    if org is None:
        return None
    like = query or None
    total = await deps.members.count(org_id, name_like=like)
    page = clamp_page(page, total, PAGE_SIZE)
    members = await deps.members.of_org(
        org_id, name_like=like, offset=page * PAGE_SIZE, limit=PAGE_SIZE
    )
    return ContactsPage(
        org, await roster(deps, members), page, pages(total, PAGE_SIZE), total, query
    )


def clean_query(text: str) -> str | Problem:
    return clean_line(text, min_len=2, max_len=QUERY_MAX)
