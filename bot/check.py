"""`python -m bot check [--fix]`: the community's configuration read back through VK's API.

The usual reasons a VK bot "does not answer" are settings in the community, not in the bot:
Long Poll off, its API version left at an old default, `message_event` not ticked (callback
buttons never arrive), a token without the manage right, community messages off. Each is one
point here, ✔ or ✖ with the fix; `--fix` turns on what the API can turn on and says what must
be done by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.config import Settings
from bot.deployer import say
from bot.startup import ApiError, RawVK, StartupError, Transient, identify

RIGHTS = ("messages", "photos", "docs", "manage")
# What the bot handles: messages, callback buttons, and "allowed messages" to resume a dialog.
EVENTS = ("message_new", "message_event", "message_allow")
# VK allows at most 14 characters.
CALLBACK_TITLE = "staff-verify"
NO_RIGHT = 15


@dataclass(frozen=True, slots=True)
class Point:
    ok: bool
    text: str

    def line(self) -> str:
        return f"{'✔' if self.ok else '✖'} {self.text}"


async def diagnose(settings: Settings, *, fix: bool = False) -> list[Point]:
    async with aiohttp.ClientSession() as session:
        vk = RawVK(settings, session)
        try:
            identity = await identify(vk, settings)
        except StartupError as exc:
            return [Point(False, str(exc))]
        except Transient as exc:
            return [Point(False, say("check-unreachable", reason=str(exc)))]
        points = [Point(True, say("check-token-ok", group=identity.group_id, name=identity.name))]
        try:
            points.append(await _rights(vk))
            if settings.vk_mode == "callback":
                points += await _callback(vk, settings, fix)
            else:
                points.append(await _long_poll(vk, settings, fix))
            points.append(await _messages(vk, settings))
        except Transient as exc:
            points.append(Point(False, say("check-unreachable", reason=str(exc))))
        return points


async def _rights(vk: RawVK) -> Point:
    answer = await vk("groups.getTokenPermissions")
    have = {str(p["name"]) for p in answer.get("permissions", [])}
    missing = [r for r in RIGHTS if r not in have]
    if missing:
        return Point(False, say("check-rights-missing", missing=", ".join(missing)))
    return Point(True, say("check-rights-ok", rights=", ".join(RIGHTS)))


def _event_problems(
    state: dict[str, Any], version: str, prefix: str, *, enabled: bool = True
) -> list[str]:
    problems = []
    if not enabled:
        problems.append(say(f"{prefix}-off"))
    if state.get("api_version") != version:
        problems.append(
            say(f"{prefix}-version", actual=state.get("api_version") or "?", expected=version)
        )
    events = state.get("events") or {}
    missing = [e for e in EVENTS if not events.get(e)]
    if missing:
        problems.append(say(f"{prefix}-events", events=", ".join(missing)))
    return problems


def _with_fixes(text: str, fixed: list[str]) -> str:
    if not fixed:
        return text
    what = "; ".join(w.rstrip(".") for w in fixed)
    return f"{text.rstrip('.')} — {say('check-fixed', what=what)}."


async def _long_poll(vk: RawVK, settings: Settings, fix: bool) -> Point:
    group, version = settings.vk_group_id, settings.vk_api_version
    try:
        state = await vk("groups.getLongPollSettings", group_id=group)
    except ApiError as exc:
        if exc.code == NO_RIGHT:
            return Point(False, say("check-no-manage", what="Long Poll API"))
        raise
    problems = _event_problems(state, version, "check-lp", enabled=bool(state.get("is_enabled")))
    fixed: list[str] = []
    if problems and fix:
        await vk(
            "groups.setLongPollSettings",
            group_id=group,
            enabled=1,
            api_version=version,
            **dict.fromkeys(EVENTS, 1),
        )
        fixed, state = problems, await vk("groups.getLongPollSettings", group_id=group)
        problems = _event_problems(
            state, version, "check-lp", enabled=bool(state.get("is_enabled"))
        )
    if problems:
        advice = say("check-lp-fix", expected=version, events=", ".join(EVENTS))
        return Point(False, " ".join([*problems, advice]))
    ticked = ", ".join(e for e in EVENTS if state["events"].get(e))
    text = say("check-lp-ok", version=state["api_version"], events=ticked)
    return Point(True, _with_fixes(text, fixed))


async def _callback(vk: RawVK, settings: Settings, fix: bool) -> list[Point]:
    group, version, url = settings.vk_group_id, settings.vk_api_version, settings.callback_url
    if not url:
        return [Point(False, say("check-cb-no-url"))]
    secret = settings.callback_secret.get_secret_value()
    try:
        server = await _server(vk, group, url)
        added = False
        if server is None and fix:
            # VK posts `confirmation` to the address at once: the bot must be running.
            await vk(
                "groups.addCallbackServer",
                group_id=group,
                url=url,
                title=CALLBACK_TITLE,
                **({"secret_key": secret} if secret else {}),
            )
            server, added = await _server(vk, group, url), True
        if server is None:
            advice = say("check-cb-fix", expected=version, events=", ".join(EVENTS))
            return [Point(False, f"{say('check-cb-missing', url=url)} {advice}")]
        state = await vk("groups.getCallbackSettings", group_id=group, server_id=server["id"])
        problems = _event_problems(state, version, "check-cb")
        fixed: list[str] = [say("check-cb-added")] if added else []
        if problems and fix:
            await vk(
                "groups.setCallbackSettings",
                group_id=group,
                server_id=server["id"],
                api_version=version,
                **dict.fromkeys(EVENTS, 1),
            )
            fixed += problems
            state = await vk("groups.getCallbackSettings", group_id=group, server_id=server["id"])
            problems = _event_problems(state, version, "check-cb")
    except ApiError as exc:
        if exc.code == NO_RIGHT:
            return [Point(False, say("check-no-manage", what="Callback API"))]
        raise
    points = []
    if not secret:
        # Without a secret anyone who learns the address can post events as VK.
        points.append(Point(False, say("check-cb-no-secret")))
    if server["status"] != "ok":
        status = say("check-cb-status", url=url, status=server["status"])
        points.append(Point(False, f"{status} {say('check-cb-status-fix', url=url)}"))
    elif server.get("secret_key", "") != secret:
        points.append(Point(False, say("check-cb-secret", url=url)))
    if problems:
        advice = say("check-cb-fix", expected=version, events=", ".join(EVENTS))
        points.append(Point(False, " ".join([*problems, advice])))
    elif not points:
        ticked = ", ".join(EVENTS)
        text = say("check-cb-ok", url=url, version=state["api_version"], events=ticked)
        points.append(Point(True, _with_fixes(text, fixed)))
    return points


async def _server(vk: RawVK, group: int, url: str) -> dict[str, Any] | None:
    answer = await vk("groups.getCallbackServers", group_id=group)
    return next((s for s in answer.get("items", []) if s.get("url") == url), None)


async def _messages(vk: RawVK, settings: Settings) -> Point:
    answer = await vk("groups.getOnlineStatus", group_id=settings.vk_group_id)
    if answer.get("status") == "none":
        return Point(False, say("check-messages-off"))
    return Point(True, say("check-messages-ok"))


def report(settings: Settings, points: list[Point]) -> str:
    bad = sum(not p.ok for p in points)
    lines = [say("check-title", group=settings.vk_group_id, url=settings.vk_api_url)]
    lines += [p.line() for p in points]
    lines.append(say("check-manual"))
    lines.append(say("check-summary-bad", count=bad) if bad else say("check-summary-ok"))
    return "\n".join(lines)
