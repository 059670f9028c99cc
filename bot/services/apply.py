"""Filing an application for verification: the draft and its steps, what a person types at each
step, who may apply where, submission and withdrawal.

The conversation keeps the draft in the conversation state (SQLite), so it survives restarts.
Every rule is checked again inside the filing transaction: what was true when the person picked
the organization may have changed by the time they press "send".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from loguru import logger
from pydantic import BaseModel, Field
from vkbottle import BaseStateGroup

from bot.answers import BadInput, InputProblem, common_checks, parse_full_name
from bot.deps import Deps
from bot.events import ApplicationFiled, ApplicationWithdrawn
from bot.messengers import DELIVERY_ERRORS
from storage import rates
from storage.models import Application, AppStatus, Organization, OrgType, Role, User
from storage.organizations import fts_query

MAX_QUERY = 100
HOUR = 3600
SUBMIT_RATE_KIND = "apply.submit"


class ApplyState(BaseStateGroup):
    ORG = "org"
    ROLE = "role"
    NAME = "name"
    POSITION = "position"
    CLASSES = "classes"
    REVIEW = "review"


STATE_PREFIX = f"{ApplyState.__name__}:"


class Draft(BaseModel):
    """Everything entered so far. None means "not answered yet"; an empty position is skipped."""

    org_id: int | None = None
    role: Role | None = None
    full_name: str | None = None
    position: str | None = None
    class_ids: list[int] = Field(default_factory=list)
    # The last organization search and the page shown, so the list can be shown again.
    query: str = ""
    page: int = 0
    class_page: int = 0
    # Changing one answer from the review card: the step returns to the card when done.
    editing: bool = False

    @property
    def empty(self) -> bool:
        return self.org_id is None and not self.query


def step_named(value: str) -> ApplyState | None:
    try:
        return ApplyState(value)
    except ValueError:
        return None


def step_of(state: str | None) -> ApplyState | None:
    """The step of a stored state name ("ApplyState:role"), None for another flow's state."""
    if state is None or not state.startswith(STATE_PREFIX):
        return None
    return step_named(state.removeprefix(STATE_PREFIX))


async def has_draft(deps: Deps, vk_id: int) -> bool:
    """A draft in progress, current or parked while the person used another flow."""
    if step_of(await deps.states.state_name(vk_id)) is not None:
        return True
    return step_of(await deps.states.parked_name(vk_id)) is not None


# --- roles ----------------------------------------------------------------------------------

# Roles that teach a class or a group: they are asked which ones.
TEACHING = frozenset(
    {
        Role.SCHOOL_TEACHER,
        Role.PRESCHOOL_TEACHER,
        Role.ADDITIONAL_TEACHER,
        Role.COLLEGE_TEACHER,
        Role.UNIVERSITY_TEACHER,
    }
)
# "Other staff" is not listed: it fits everywhere and stays last, after the specific roles.
FITTING: dict[OrgType, tuple[Role, ...]] = {
    OrgType.SCHOOL: (Role.SCHOOL_TEACHER, Role.MANAGER, Role.ADDITIONAL_TEACHER),
    OrgType.PRESCHOOL: (Role.PRESCHOOL_TEACHER, Role.MANAGER, Role.ADDITIONAL_TEACHER),
    OrgType.ADDITIONAL: (Role.ADDITIONAL_TEACHER, Role.MANAGER),
    OrgType.COLLEGE: (Role.COLLEGE_TEACHER, Role.MANAGER),
    OrgType.UNIVERSITY: (Role.UNIVERSITY_TEACHER, Role.MANAGER),
    OrgType.AUTHORITY: (Role.AUTHORITY_EMPLOYEE, Role.MANAGER),
    OrgType.OTHER: (),
}


def roles_for(org_type: OrgType) -> list[tuple[Role, bool]]:
    """Every role, those that fit the organization's type first (flagged True)."""
    fitting = FITTING[org_type]
    return [(r, True) for r in fitting] + [(r, False) for r in Role if r not in fitting]


async def wants_classes(deps: Deps, draft: Draft) -> bool:
    if draft.org_id is None or draft.role not in TEACHING:
        return False
    return bool(await deps.classes.of_org(draft.org_id))


# --- what people type -----------------------------------------------------------------------


def parse_query(text: str) -> str:
    clean = common_checks(text, MAX_QUERY)
    if not (clean.isdigit() and len(clean) in (10, 12)) and fts_query(clean) is None:
        raise BadInput(InputProblem.SHORT)
    return clean


def class_key(name: str) -> str:
    """How a typed class name is compared: "5 а" and "5А" are the same class."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("\u0451", "\u0435")
    return "".join(text.split())


# --- who may apply where --------------------------------------------------------------------


class BlockKind(StrEnum):
    MEMBER = "member"
    OPEN = "open"
    COOLDOWN = "cooldown"
    LIMIT = "limit"
    RATE = "rate"
    GONE = "gone"


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind
    org: Organization | None = None
    application: Application | None = None
    wait: int = 0  # seconds until the person may try again
    count: int = 0


async def org_block(deps: Deps, vk_id: int, org_id: int) -> Block | None:
    """Why this person may not apply to this organization now, or None."""
    org = await deps.orgs.get(org_id)
    if org is None or org.archived_at is not None:
        return Block(BlockKind.GONE)
    if await deps.members.active(org_id, vk_id) is not None:
        return Block(BlockKind.MEMBER, org)
    pending = await deps.applications.pending_for(org_id, vk_id)
    if pending is not None:
        return Block(BlockKind.OPEN, org, pending)
    rejected = await deps.applications.last_rejected(org_id, vk_id)
    if rejected is not None and rejected.decided_at is not None:
        free_at = rejected.decided_at + int(deps.settings.apply_cooldown_hours * HOUR)
        now = deps.clock.now()
        if free_at > now:
            return Block(BlockKind.COOLDOWN, org, rejected, wait=free_at - now)
    return None


async def limit_block(deps: Deps, vk_id: int) -> Block | None:
    """Whether the person is over a per-person limit (open applications, submissions/hour)."""
    settings = deps.settings
    count = await deps.applications.open_count(vk_id)
    if count >= settings.max_open_applications:
        return Block(BlockKind.LIMIT, count=count)
    now = deps.clock.now()
    recent = await rates.recent(deps.db, SUBMIT_RATE_KIND, vk_id, now - HOUR)
    if len(recent) >= settings.submissions_per_hour:
        # The oldest counted submission leaves the window first.
        oldest = recent[len(recent) - settings.submissions_per_hour]
        return Block(BlockKind.RATE, wait=max(60, oldest + HOUR - now))
    return None


# --- the person's VK name -------------------------------------------------------------------


async def vk_names(deps: Deps, user: User) -> tuple[str, str]:
    """First and last name from VK, asked once and kept in the users table."""
    if user.first_name or user.last_name:
        return user.first_name, user.last_name
    try:
        names = await deps.messenger.user_names([user.vk_id])
    except DELIVERY_ERRORS as exc:
        # The name is only a suggestion: without it the person types theirs.
        logger.warning("users.get for {} failed: {}", user.vk_id, exc)
        return "", ""
    first, last = names.get(user.vk_id, ("", ""))
    if first or last:
        await deps.users.set_names(user.vk_id, first, last, deps.clock.now())
    return first, last


def name_suggestion(first: str, last: str) -> str | None:
    """The VK name in document order (surname first), when it can be an answer as it is."""
    try:
        return parse_full_name(f"{last} {first}")
    except BadInput:
        return None


# --- submission and withdrawal --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Filed:
    application_id: int
    org: Organization


async def submit(deps: Deps, user: User, draft: Draft) -> Filed | Block:
    """File the draft as a pending application, re-checking every rule as it is written."""
    if draft.org_id is None or draft.role is None or draft.full_name is None:
        raise ValueError("an incomplete draft cannot be submitted")
    first, last = await vk_names(deps, user)
    vk_name = f"{first} {last}".strip()
    org_id, now = draft.org_id, deps.clock.now()
    known = {c.id for c in await deps.classes.of_org(org_id)}
    class_ids = tuple(sorted(c for c in draft.class_ids if c in known))
    if not await wants_classes(deps, draft):
        class_ids = ()
    async with deps.db.transaction() as tx:
        # Inside the write lock nobody else can change what these checks read.
        block = await org_block(deps, user.vk_id, org_id) or await limit_block(deps, user.vk_id)
        if block is not None:
            return block
        app_id = await deps.applications.create(
            tx,
            org_id=org_id,
            vk_id=user.vk_id,
            role=draft.role,
            full_name=draft.full_name,
            position=draft.position or "",
            vk_name=vk_name,
            class_ids=class_ids,
            invitation_id=None,
            now=now,
        )
        if app_id is None:  # the partial unique index: one is already open
            pending = await deps.applications.pending_for(org_id, user.vk_id)
            return Block(BlockKind.OPEN, await deps.orgs.get(org_id), pending)
        await rates.record(tx, SUBMIT_RATE_KIND, user.vk_id, now)
    org = await deps.orgs.get(org_id)
    assert org is not None
    logger.info("Application {} filed by {} to organization {}", app_id, user.vk_id, org_id)
    await deps.bus.publish(ApplicationFiled(app_id))
    return Filed(app_id, org)


class WithdrawOutcome(StrEnum):
    WITHDRAWN = "withdrawn"
    NOT_PENDING = "not-pending"
    NOT_FOUND = "not-found"


async def own_application(deps: Deps, vk_id: int, app_id: int) -> Application | None:
    """The application if it is this person's: a payload naming someone else's gets nothing."""
    app = await deps.applications.get(app_id)
    return app if app is not None and app.vk_id == vk_id else None


async def withdraw(
    deps: Deps, vk_id: int, app_id: int
) -> tuple[WithdrawOutcome, Application | None]:
    app = await own_application(deps, vk_id, app_id)
    if app is None:
        return WithdrawOutcome.NOT_FOUND, None
    async with deps.db.transaction() as tx:
        changed = await deps.applications.transition(
            tx, app, AppStatus.WITHDRAWN, actor_id=vk_id, now=deps.clock.now()
        )
    if not changed:
        return WithdrawOutcome.NOT_PENDING, await deps.applications.get(app_id)
    logger.info("Application {} withdrawn by {}", app_id, vk_id)
    await deps.bus.publish(ApplicationWithdrawn(app_id))
    return WithdrawOutcome.WITHDRAWN, app


# --- shown values ---------------------------------------------------------------------------


def org_label(org: Organization) -> str:
    """A button: the short name and the city."""
    return ", ".join(part for part in (org.short_name, org.city) if part)


def org_title(org: Organization) -> str:
    return f"{org.name}, {org.city}" if org.city else org.name


def hours_minutes(seconds: int) -> tuple[int, int]:
    minutes = max(1, -(-seconds // 60))
    return minutes // 60, minutes % 60
