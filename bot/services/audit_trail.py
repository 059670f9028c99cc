"""An organization's audit trail, readable: who did what to whom and why, in Moscow time.

Entries are the ones the rules already write (storage/audit.py) in the same transaction as each
change. People appear by the name the organization knew them under; a person who erased their
data appears as erased, never by a name or a VK id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Protocol

from bot.i18n import Translator
from bot.services.export import csv_bytes
from storage.audit import AuditRepo, Person, TrailRow

# Moscow has kept UTC+3 all year since 2014; a fixed offset needs no tz database.
MOSCOW = timezone(timedelta(hours=3))
PAGE_SIZE = 8
_CODE = re.compile(r"[a-z_]+")


class Sources(Protocol):
    @property
    def t(self) -> Translator: ...

    @property
    def audit(self) -> AuditRepo: ...


@dataclass(frozen=True, slots=True)
class Line:
    when: str
    actor: str
    action: str
    subject: str
    reason: str


@dataclass(frozen=True, slots=True)
class TrailPage:
    lines: list[Line]
    page: int
    pages: int
    total: int


def moscow(ts: int) -> str:
    return datetime.fromtimestamp(ts, MOSCOW).strftime("%d.%m.%Y %H:%M")


def _person(t: Translator, locale: str, vk_id: int | None, people: dict[int, Person]) -> str:
    if vk_id is None:
        return t(locale, "audit-nobody")
    person = people.get(vk_id)
    if person is not None and person.erased:
        return t(locale, "audit-erased")
    name = person.name if person is not None else ""
    where = (person.messenger, person.ref) if person is not None else ("vk", str(vk_id))
    ref = t(locale, "person-ref", messenger=where[0], ref=where[1])
    return f"{name} ({ref})" if name else ref


def _reason(t: Translator, locale: str, reason: str | None) -> str:
    if not reason:
        return ""
    if _CODE.fullmatch(reason) and t.has(f"reason-{reason}"):
        return t(locale, f"reason-{reason}")
    return reason


def _lines(
    t: Translator, locale: str, rows: list[TrailRow], people: dict[int, Person]
) -> list[Line]:
    lines = []
    for row in rows:
        key = "audit-" + row.action.replace(".", "-")
        action = t(locale, key) if t.has(key) else t(locale, "audit-other", code=row.action)
        if row.subject_id is not None:
            subject = _person(t, locale, row.subject_id, people)
        else:
            subject = f"«{row.thing}»" if row.thing else ""
        lines.append(
            Line(
                moscow(row.at),
                _person(t, locale, row.actor_id, people),
                action,
                subject,
                _reason(t, locale, row.reason),
            )
        )
    return lines


async def _resolve(deps: Sources, org_id: int, rows: list[TrailRow]) -> dict[int, Person]:
    ids = {r.actor_id for r in rows if r.actor_id} | {r.subject_id for r in rows if r.subject_id}
    return await deps.audit.people(org_id, ids)


async def page(deps: Sources, org_id: int, number: int, locale: str) -> TrailPage:
    total = await deps.audit.count_of_org(org_id)
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(number, 0), pages - 1)
    rows = await deps.audit.trail(org_id, offset=number * PAGE_SIZE, limit=PAGE_SIZE)
    people = await _resolve(deps, org_id, rows)
    return TrailPage(_lines(deps.t, locale, rows, people), number, pages, total)


def render(t: Translator, locale: str, line: Line) -> str:
    text = t(locale, "audit-line", when=line.when, actor=line.actor, action=line.action)
    if line.subject:
        text += " — " + line.subject
    if line.reason:
        text += " " + t(locale, "audit-reason", reason=line.reason)
    return text


async def trail_csv(deps: Sources, org_id: int, locale: str) -> tuple[bytes, int]:
    """The whole trail as the staff export writes CSV (UTF-8 with BOM, ';'); and its size."""
    rows = await deps.audit.trail(org_id)
    people = await _resolve(deps, org_id, rows)
    t = deps.t
    header = [t(locale, f"audit-col-{c}") for c in ("when", "actor", "action", "subject", "reason")]
    lines = _lines(t, locale, rows, people)
    return csv_bytes(
        header, [[x.when, x.actor, x.action, x.subject, x.reason] for x in lines]
    ), len(lines)
