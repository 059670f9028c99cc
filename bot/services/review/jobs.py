"""The review's scheduled jobs: a daily reminder of what waits too long, and expiry of what
waited longer than expire_after_days."""

from __future__ import annotations

from collections import defaultdict

from bot.deps import Deps
from bot.notifier import Recipient
from bot.services.review.notices import Notice, ReviewNotices
from storage.models import Application, AppStatus

HOUR = 3600
DAY = 24 * HOUR


class ReviewJobs:
    def __init__(self, deps: Deps, notices: ReviewNotices) -> None:
        self.deps = deps
        self.notices = notices

    async def remind(self, now: int) -> None:
        """One summary a day to each administrator of what has waited too long."""
        cutoff = now - int(self.deps.settings.remind_after_hours * HOUR)
        expiring = now - int(self.deps.settings.expire_after_days * DAY)
        # What is due to expire is closed by the expiry job, not reminded about.
        overdue = [
            a
            for a in await self.deps.applications.pending_older_than(cutoff)
            if a.created_at > expiring
        ]
        by_org: dict[int, list[Application]] = defaultdict(list)
        for app in overdue:
            by_org[app.org_id].append(app)
        per_admin: dict[int, list[tuple[str, list[Application]]]] = defaultdict(list)
        for org_id, apps in by_org.items():
            org = await self.deps.orgs.get(org_id)
            if org is None or org.archived_at is not None:
                continue
            for admin in await self.deps.orgs.admin_ids(org_id):
                per_admin[admin].append((org.short_name, apps))
        for admin, waiting in per_admin.items():

            async def render(
                r: Recipient, waiting: list[tuple[str, list[Application]]] = waiting
            ) -> Notice:
                return await self.notices.texts.reminder(r, waiting)

            await self.deps.notifier.tell([admin], render, key=("remind", admin, now // DAY))
        if overdue:
            async with self.deps.db.transaction() as tx:
                await self.deps.applications.mark_reminded(tx, [a.id for a in overdue], now)

    async def expire(self, now: int) -> None:
        """Close what waited longer than expire_after_days: status expired, no actor."""
        cutoff = now - int(self.deps.settings.expire_after_days * DAY)
        for app in await self.deps.applications.pending_older_than(cutoff):
            async with self.deps.db.transaction() as tx:
                changed = await self.deps.applications.transition(
                    tx, app, AppStatus.EXPIRED, actor_id=None, now=now
                )
                expired = await self.deps.applications.get_in(tx, app.id) if changed else None
            if expired is not None:
                await self.notices.announce(expired)
