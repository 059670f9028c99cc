"""Superadmins' "Организации": list and search, create and edit (a conversation with a review
card), archive, appoint an administrator. Every press and message re-checks that the person is
a superadmin by the settings: a payload proves only that the bot made the button."""

from __future__ import annotations

import secrets
from typing import Any

from loguru import logger
from pydantic import BaseModel
from vkbottle import BaseStateGroup
from vkbottle.bot import BotLabeler

from bot.deps import Deps
from bot.messengers import DELIVERY_ERRORS
from bot.services import organizations as svc
from bot.services.people import find_person, parse_person_ref
from handlers.common import Ctx, TypedRule, on_button, on_text
from keyboards import superadmin as kbs
from keyboards.builder import Capabilities, KeyboardBuilder
from keyboards.menu import MenuOrganizations, home_button
from storage.models import Organization, OrgType

# The order a new organization's fields are asked in; the short name defaults to the name
# and is fixed on the review card when it should differ.
WALK = ("name", "type", "inn", "region", "city")


class OrgFlow(BaseStateGroup):
    NAME = "name"
    SHORT_NAME = "short_name"
    TYPE = "type"
    INN = "inn"
    REGION = "region"
    CITY = "city"
    REVIEW = "review"
    SEARCH = "search"
    ADMIN = "admin"


FIELD_STATES = [OrgFlow(f) for f in kbs.FIELDS]
DRAFT_STATES = {str(s) for s in [*FIELD_STATES, OrgFlow.REVIEW]}
PREFIX = "OrgFlow:"


class Draft(BaseModel):
    """A new organization (org_id None) or changes to one, as typed so far."""

    token: int
    org_id: int | None = None
    name: str = ""
    short_name: str = ""
    type: str = ""
    inn: str = ""
    region: str = ""
    city: str = ""
    reviewing: bool = False

    def fields(self) -> svc.OrgFields:
        return svc.OrgFields(
            self.name, self.short_name, OrgType(self.type), self.inn, self.region, self.city
        )


class Appointing(BaseModel):
    org_id: int
    vk_id: int | None = None
    person: str = ""


def new_token() -> int:
    return secrets.randbelow(1 << 30) + 1


# --- what the superadmin sees ----------------------------------------------------------------


def fields_text(ctx: Ctx, draft: Draft) -> str:
    dash = ctx.t("orgs-empty-value")
    return ctx.t(
        "orgs-fields",
        name=draft.name or dash,
        short=draft.short_name or dash,
        type=ctx.t(f"orgtype-{draft.type}") if draft.type else dash,
        inn=draft.inn or ctx.t("orgs-no-inn"),
        region=draft.region or dash,
        city=draft.city or dash,
    )


def draft_of(org: Organization, token: int) -> Draft:
    return Draft(
        token=token,
        org_id=org.id,
        name=org.name,
        short_name=org.short_name,
        type=org.type.value,
        inn=org.inn or "",
        region=org.region,
        city=org.city,
        reviewing=True,
    )


def problem_text(ctx: Ctx, error: svc.OrgError, *, with_field: bool = False) -> str:
    text = svc.describe(error, ctx.deps.t, ctx.locale)
    if with_field and error.field in kbs.FIELDS:
        return ctx.t("orgs-problem", field=ctx.t(f"orgs-field-{error.field}"), problem=text)
    return text


def joined(*parts: str | None) -> str:
    return "\n\n".join(p for p in parts if p)


async def show_list(ctx: Ctx, page: int, query: str = "", notice: str | None = None) -> None:
    found = await svc.list_page(ctx.deps, ctx.vk_id, page, query)
    if found.orgs:
        paging = {"page": found.page + 1, "pages": found.pages, "total": found.total}
        title = (
            ctx.t("orgs-list-found", query=query, **paging)
            if query
            else ctx.t("orgs-list-title", archived=found.archived, **paging)
        )
        items = "\n".join(
            ctx.t(
                "orgs-list-item", n=n, name=o.name, city=o.city, inn=o.inn or ctx.t("orgs-no-inn")
            )
            for n, o in enumerate(found.orgs, 1)
        )
        text = joined(notice, title, items, ctx.t("orgs-list-hint"))
    else:
        empty = ctx.t("orgs-list-nothing", query=query) if query else ctx.t("orgs-list-empty")
        text = joined(notice, empty)
    kb = kbs.org_list(ctx.kb(), ctx.t, found.orgs, page=found.page, pages=found.pages, query=query)
    await ctx.show(text, kb)


async def show_card(ctx: Ctx, org: Organization, notice: str | None = None) -> None:
    admins = await svc.admin_count(ctx.deps, ctx.vk_id, org.id)
    card = ctx.t(
        "orgs-card",
        id=str(org.id),
        fields=fields_text(ctx, draft_of(org, 0)),
        admins=admins,
    )
    archived = ctx.t("orgs-card-archived") if org.archived_at is not None else None
    await ctx.show(joined(notice, card, archived), kbs.org_card(ctx.kb(), ctx.t, org))


async def ask(ctx: Ctx, draft: Draft, field: str, problem: str | None = None) -> None:
    current = getattr(draft, field)
    if field == "type" and current:
        current = ctx.t(f"orgtype-{current}")
    now = ctx.t("orgs-current", value=current) if current else None
    text = "\n".join(p for p in (problem, ctx.t(f"orgs-ask-{field}"), now) if p)
    if field == "type":
        kb = kbs.types(ctx.kb(), ctx.t, draft.token, reviewing=draft.reviewing)
    else:
        kb = kbs.step(ctx.kb(), ctx.t, draft.token, reviewing=draft.reviewing)
    await ctx.reply(text, kb)


async def show_review(ctx: Ctx, draft: Draft, problem: str | None = None) -> None:
    if draft.org_id is None:
        body = ctx.t("orgs-review-new", fields=fields_text(ctx, draft))
    else:
        body = ctx.t("orgs-review-edit", id=str(draft.org_id), fields=fields_text(ctx, draft))
    kb = kbs.review(ctx.kb(), ctx.t, draft.token, new=draft.org_id is None)
    await ctx.reply(joined(problem, body), kb)


async def ask_admin(ctx: Ctx, org: Organization, problem: str | None = None) -> None:
    text = "\n".join(p for p in (problem, ctx.t("orgs-ask-admin", org=org.name)) if p)
    await ctx.reply(text, kbs.cancel(ctx.kb(), ctx.t))


# --- the conversation's state ----------------------------------------------------------------


async def admitted(ctx: Ctx) -> bool:
    """Only superadmins by the settings; anyone else is told so, and a flow they are somehow
    in is dropped."""
    if ctx.deps.is_superadmin(ctx.vk_id):
        return True
    if (await ctx.state() or "").startswith(PREFIX):
        await ctx.clear_state()
    await ctx.snackbar(ctx.t("no-rights"))
    return False


async def load_org(ctx: Ctx, org_id: int) -> Organization | None:
    """The organization a button names; None (and the list, with why) when it is gone."""
    try:
        return await svc.get_org(ctx.deps, ctx.vk_id, org_id)
    except svc.OrgError as exc:
        await show_list(ctx, 0, notice=problem_text(ctx, exc))
        return None


async def go(ctx: Ctx, draft: Draft, field: str, problem: str | None = None) -> None:
    await ctx.set_state(OrgFlow(field), draft)
    await ask(ctx, draft, field, problem)


async def to_review(ctx: Ctx, draft: Draft, problem: str | None = None) -> None:
    draft = draft.model_copy(update={"reviewing": True})
    await ctx.set_state(OrgFlow.REVIEW, draft)
    await show_review(ctx, draft, problem)


async def show_current(ctx: Ctx) -> None:
    """Where the superadmin is: the current question, or the list when in no flow."""
    state = await ctx.state() or ""
    if state in DRAFT_STATES:
        draft = await ctx.data(Draft)
        if draft is not None:
            step = state.removeprefix(PREFIX)
            if step == OrgFlow.REVIEW.value:
                await show_review(ctx, draft)
            else:
                await ask(ctx, draft, step)
            return
    if state == str(OrgFlow.SEARCH):
        await ctx.reply(ctx.t("orgs-ask-search"), kbs.cancel(ctx.kb(), ctx.t))
        return
    if state == str(OrgFlow.ADMIN):
        appointing = await ctx.data(Appointing)
        org = await ctx.deps.orgs.get(appointing.org_id) if appointing is not None else None
        if org is not None:
            await ask_admin(ctx, org)
            return
    if state.startswith(PREFIX):
        await ctx.clear_state()
    await show_list(ctx, 0)


async def stale(ctx: Ctx) -> None:
    await ctx.snackbar(ctx.t("button-stale"))
    await show_current(ctx)


async def current_draft(ctx: Ctx, token: int, *, at: OrgFlow | None = None) -> Draft | None:
    """The draft a button belongs to, if it is still the one in progress (and at that step)."""
    state = await ctx.state()
    draft = await ctx.data(Draft) if state in DRAFT_STATES else None
    if draft is None or draft.token != token or (at is not None and state != str(at)):
        await stale(ctx)
        return None
    return draft


async def advance(ctx: Ctx, draft: Draft, field: str) -> None:
    """After a field: the next one of a new organization's walk, else the review card."""
    if draft.reviewing or field == WALK[-1]:
        await to_review(ctx, draft)
    else:
        await go(ctx, draft, WALK[WALK.index(field) + 1])


async def notify_appointed(deps: Deps, vk_id: int, org: Organization) -> None:
    user = await deps.users.get(vk_id)
    locale = user.locale if user is not None else deps.settings.default_locale
    keyboard = None
    if user is not None:
        caps = Capabilities(callbacks=user.callbacks, inline=user.inline_keyboard)

        def t(key: str, **args: Any) -> str:
            return deps.t(locale, key, **args)

        keyboard = home_button(KeyboardBuilder(deps.signer, caps), t).build()
    # Best effort: the appointment is made whether or not the notice arrives (a person who
    # never wrote to the community cannot be written to, VK may be down).
    try:
        await deps.messenger.send(
            vk_id, deps.t(locale, "orgs-admin-notice", org=org.name), keyboard=keyboard
        )
    except DELIVERY_ERRORS as exc:
        logger.warning("Appointment notice to {} not delivered: {}", vk_id, exc)


def make_labeler(deps: Deps) -> BotLabeler:
    labeler = BotLabeler()
    names = svc.type_names(deps.t)

    # --- browsing ------------------------------------------------------------------------
    @on_button(labeler, deps, MenuOrganizations)
    async def section(ctx: Ctx, _: MenuOrganizations) -> None:
        if not await admitted(ctx):
            return
        # Coming from the main menu is starting over: what is typed next is no longer the
        # answer to a question asked before the person left.
        if (await ctx.state() or "").startswith(PREFIX):
            await ctx.clear_state()
        await show_list(ctx, 0)

    @on_button(labeler, deps, kbs.OgList)
    async def list_page(ctx: Ctx, data: kbs.OgList) -> None:
        if await admitted(ctx):
            await show_list(ctx, data.page, data.q)

    @on_button(labeler, deps, kbs.OgOpen)
    async def open_org(ctx: Ctx, data: kbs.OgOpen) -> None:
        if not await admitted(ctx):
            return
        org = await load_org(ctx, data.org)
        if org is not None:
            await show_card(ctx, org)

    @on_button(labeler, deps, kbs.OgFind)
    async def find(ctx: Ctx, _: kbs.OgFind) -> None:
        if await admitted(ctx):
            await ctx.set_state(OrgFlow.SEARCH)
            await ctx.reply(ctx.t("orgs-ask-search"), kbs.cancel(ctx.kb(), ctx.t))

    # --- create and edit -----------------------------------------------------------------
    @on_button(labeler, deps, kbs.OgNew)
    async def new(ctx: Ctx, _: kbs.OgNew) -> None:
        if await admitted(ctx):
            await go(ctx, Draft(token=new_token()), WALK[0])

    @on_button(labeler, deps, kbs.OgEdit)
    async def edit(ctx: Ctx, data: kbs.OgEdit) -> None:
        if not await admitted(ctx):
            return
        org = await load_org(ctx, data.org)
        if org is None:
            return
        if org.archived_at is not None:
            await show_card(ctx, org, ctx.t("orgs-err-archived", name=org.name))
            return
        await to_review(ctx, draft_of(org, new_token()))

    @on_button(labeler, deps, kbs.OgPickType)
    async def pick_type(ctx: Ctx, data: kbs.OgPickType) -> None:
        if not await admitted(ctx):
            return
        draft = await current_draft(ctx, data.d, at=OrgFlow.TYPE)
        if draft is None:
            return
        if data.t not in names:
            await stale(ctx)
            return
        draft = draft.model_copy(update={"type": names[data.t].value})
        await advance(ctx, draft, "type")

    @on_button(labeler, deps, kbs.OgField)
    async def fix_field(ctx: Ctx, data: kbs.OgField) -> None:
        if not await admitted(ctx):
            return
        draft = await current_draft(ctx, data.d)
        if draft is None:
            return
        if data.f not in kbs.FIELDS:
            await stale(ctx)
            return
        await go(ctx, draft.model_copy(update={"reviewing": True}), data.f)

    @on_button(labeler, deps, kbs.OgBack)
    async def back(ctx: Ctx, data: kbs.OgBack) -> None:
        if not await admitted(ctx):
            return
        draft = await current_draft(ctx, data.d)
        if draft is not None:
            await to_review(ctx, draft)

    @on_button(labeler, deps, kbs.OgSave)
    async def save(ctx: Ctx, data: kbs.OgSave) -> None:
        if not await admitted(ctx):
            return
        draft = await current_draft(ctx, data.d, at=OrgFlow.REVIEW)
        if draft is None:
            return
        missing = next((f for f in kbs.FIELDS if not getattr(draft, f)), None)
        if missing is not None:
            await go(ctx, draft, missing, problem_text(ctx, svc.OrgError("empty", missing)))
            return
        try:
            if draft.org_id is None:
                org_id = await svc.create(ctx.deps, ctx.vk_id, draft.fields())
                notice = ctx.t("orgs-created", name=draft.name, id=str(org_id))
            else:
                org_id = draft.org_id
                changed = await svc.update(ctx.deps, ctx.vk_id, org_id, draft.fields())
                notice = ctx.t("orgs-saved" if changed else "orgs-unchanged")
        except svc.OrgError as exc:
            if exc.code in ("not-found", "archived"):
                await ctx.clear_state()
                await show_list(ctx, 0, notice=problem_text(ctx, exc))
            else:
                await show_review(ctx, draft, problem_text(ctx, exc, with_field=True))
            return
        await ctx.clear_state()
        org = await load_org(ctx, org_id)
        if org is not None:
            await show_card(ctx, org, notice)

    @on_button(labeler, deps, kbs.OgCancel)
    async def cancel(ctx: Ctx, _: kbs.OgCancel) -> None:
        if not await admitted(ctx):
            return
        if (await ctx.state() or "").startswith(PREFIX):
            await ctx.clear_state()
        await show_list(ctx, 0, notice=ctx.t("orgs-cancelled"))

    # --- archive -------------------------------------------------------------------------
    @on_button(labeler, deps, kbs.OgArchive)
    async def archive(ctx: Ctx, data: kbs.OgArchive) -> None:
        if not await admitted(ctx):
            return
        org = await load_org(ctx, data.org)
        if org is None:
            return
        if org.archived_at is not None:
            await show_card(ctx, org, ctx.t("orgs-already-archived", name=org.name))
            return
        kb = kbs.archive_confirm(ctx.kb(), ctx.t, org.id)
        await ctx.show(ctx.t("orgs-archive-confirm", name=org.name), kb)

    @on_button(labeler, deps, kbs.OgArchiveYes)
    async def archive_yes(ctx: Ctx, data: kbs.OgArchiveYes) -> None:
        if not await admitted(ctx):
            return
        org = await load_org(ctx, data.org)
        if org is None:
            return
        done = await svc.archive(ctx.deps, ctx.vk_id, org.id)
        key = "orgs-archived" if done else "orgs-already-archived"
        await show_list(ctx, 0, notice=ctx.t(key, name=org.name))

    # --- administrators ------------------------------------------------------------------
    @on_button(labeler, deps, kbs.OgAppoint)
    async def appoint(ctx: Ctx, data: kbs.OgAppoint) -> None:
        if not await admitted(ctx):
            return
        org = await load_org(ctx, data.org)
        if org is None:
            return
        if org.archived_at is not None:
            await show_card(ctx, org, ctx.t("orgs-err-archived", name=org.name))
            return
        await ctx.set_state(OrgFlow.ADMIN, Appointing(org_id=org.id))
        await ask_admin(ctx, org)

    @on_button(labeler, deps, kbs.OgAppointYes)
    async def appoint_yes(ctx: Ctx, data: kbs.OgAppointYes) -> None:
        if not await admitted(ctx):
            return
        org = await load_org(ctx, data.org)
        if org is None:
            return
        try:
            done = await svc.appoint(ctx.deps, ctx.vk_id, org.id, data.vk)
        except svc.OrgError as exc:
            await show_list(ctx, 0, notice=problem_text(ctx, exc))
            return
        appointing = await ctx.data(Appointing)
        person = f"id{data.vk}"
        if await ctx.state() == str(OrgFlow.ADMIN):
            await ctx.clear_state()
            if appointing is not None and appointing.vk_id == data.vk and appointing.person:
                person = appointing.person
        key = "orgs-admin-appointed" if done else "orgs-admin-already"
        if done:
            await notify_appointed(ctx.deps, data.vk, org)
        await show_card(ctx, org, ctx.t(key, person=person, org=org.name))

    # --- what is typed -------------------------------------------------------------------
    @on_text(labeler, deps, TypedRule(), state=FIELD_STATES)
    async def typed_field(ctx: Ctx) -> None:
        if not await admitted(ctx):
            return
        state = await ctx.state() or ""
        draft = await ctx.data(Draft)
        if draft is None:
            await ctx.clear_state()
            await show_list(ctx, 0, notice=ctx.t("orgs-restart"))
            return
        field = state.removeprefix(PREFIX)
        if not ctx.text.strip():
            await ask(ctx, draft, field, ctx.t("orgs-need-text"))
            return
        try:
            value = clean_field(field, ctx.text, names)
            if field == "inn":
                await svc.check_inn_free(ctx.deps, ctx.vk_id, value, draft.org_id)
        except svc.OrgError as exc:
            problem = ctx.t("orgs-type-by-button") if field == "type" else problem_text(ctx, exc)
            await ask(ctx, draft, field, problem)
            return
        update: dict[str, Any] = {field: value}
        if field == "name" and draft.short_name in ("", draft.name):
            update["short_name"] = value
        await advance(ctx, draft.model_copy(update=update), field)

    @on_text(labeler, deps, TypedRule(), state=OrgFlow.REVIEW)
    async def typed_at_review(ctx: Ctx) -> None:
        if not await admitted(ctx):
            return
        draft = await ctx.data(Draft)
        if draft is None:
            await ctx.clear_state()
            await show_list(ctx, 0, notice=ctx.t("orgs-restart"))
            return
        await show_review(ctx, draft, ctx.t("orgs-use-buttons"))

    @on_text(labeler, deps, TypedRule(), state=OrgFlow.SEARCH)
    async def typed_query(ctx: Ctx) -> None:
        if not await admitted(ctx):
            return
        try:
            query = svc.clean_query(ctx.text)
        except svc.OrgError as exc:
            await ctx.reply(
                "\n".join((problem_text(ctx, exc), ctx.t("orgs-ask-search"))),
                kbs.cancel(ctx.kb(), ctx.t),
            )
            return
        await ctx.clear_state()
        await show_list(ctx, 0, query)

    @on_text(labeler, deps, TypedRule(), state=OrgFlow.ADMIN)
    async def typed_person(ctx: Ctx) -> None:
        if not await admitted(ctx):
            return
        appointing = await ctx.data(Appointing)
        org = await ctx.deps.orgs.get(appointing.org_id) if appointing is not None else None
        if appointing is None or org is None or org.archived_at is not None:
            await ctx.clear_state()
            await show_list(ctx, 0, notice=ctx.t("orgs-restart"))
            return
        try:
            person = await find_person(ctx.deps.messenger, parse_person_ref(ctx.text))
        except svc.OrgError as exc:
            await ask_admin(ctx, org, problem_text(ctx, exc))
            return
        await ctx.set_state(
            OrgFlow.ADMIN,
            appointing.model_copy(update={"vk_id": person.vk_id, "person": person.name}),
        )
        kb = kbs.appoint_confirm(ctx.kb(), ctx.t, org.id, person.vk_id)
        text = ctx.t("orgs-admin-confirm", person=person.name, vk=str(person.vk_id), org=org.name)
        await ctx.reply(text, kb)

    return labeler


def clean_field(field: str, text: str, names: dict[str, OrgType]) -> str:
    if field == "type":
        return svc.clean_type(text, names).value
    if field == "inn":
        return svc.clean_inn(text)
    return svc.clean_text(field, text)
