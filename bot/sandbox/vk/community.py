"""The community's own configuration as VK keeps it, for `python -m bot check` to read and fix.

What a deployer sets by hand in the community's settings (Long Poll on, its API version and
event types, the token's rights, community messages, Callback API servers) is plain state here
that a test sets up broken, then reads back after `check --fix`. The methods answer as VK's
schema describes them (groups/responses.json, 5.199).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp

from .errors import VkError

if TYPE_CHECKING:
    from .server import Emulator

Params = dict[str, str]
Handler = Callable[[Params], Awaitable[Any]]

# VK's bit for each right of a community token (the mask of groups.getTokenPermissions).
PERMISSION_BITS = {
    "stories": 1,
    "photos": 4,
    "app_widget": 64,
    "messages": 4096,
    "docs": 131072,
    "manage": 262144,
}
# The event types a community can tick, as groups.getLongPollSettings lists them.
EVENT_TYPES = (
    "message_new", "message_reply", "message_allow", "message_deny", "message_edit",
    "message_typing_state", "message_event", "photo_new", "audio_new", "video_new",
    "wall_reply_new", "wall_post_new", "group_join", "group_leave", "like_add", "like_remove",
)  # fmt: skip
BOT_EVENTS = ("message_new", "message_event", "message_allow")


@dataclass
class CallbackServer:
    id: int
    url: str
    title: str
    secret_key: str
    status: str = "unconfigured"  # unconfigured | failed | wait | ok
    api_version: str = "5.103"
    events: dict[str, bool] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "creator_id": 1,
            "url": self.url,
            "secret_key": self.secret_key,
            "status": self.status,
        }


@dataclass
class Community:
    """A healthy community by default; tests break what they diagnose."""

    emu: Emulator
    permissions: set[str] = field(default_factory=lambda: {"messages", "photos", "docs", "manage"})
    long_poll_enabled: bool = True
    long_poll_version: str = "5.199"
    long_poll_events: dict[str, bool] = field(
        default_factory=lambda: {e: e in BOT_EVENTS for e in EVENT_TYPES}
    )
    # groups.getOnlineStatus: "none" when community messages are off.
    online_status: str = "online"
    confirmation_code: str = field(default_factory=lambda: secrets.token_hex(4))
    servers: list[CallbackServer] = field(default_factory=list)
    # Other communities VK knows (groups.getById of an id that is not the token's own).
    other_groups: dict[int, str] = field(default_factory=dict)

    def handlers(self) -> dict[str, Handler]:
        return {
            "groups.getById": self._get_by_id,
            "groups.getTokenPermissions": self._get_token_permissions,
            "groups.getLongPollSettings": self._get_long_poll_settings,
            "groups.setLongPollSettings": self._set_long_poll_settings,
            "groups.getCallbackServers": self._get_callback_servers,
            "groups.addCallbackServer": self._add_callback_server,
            "groups.setCallbackSettings": self._set_callback_settings,
            "groups.getCallbackSettings": self._get_callback_settings,
            "groups.getCallbackConfirmationCode": self._get_confirmation_code,
            "groups.getOnlineStatus": self._get_online_status,
        }

    def break_long_poll(
        self, *, enabled: bool = True, version: str = "5.199", off: tuple[str, ...] = ()
    ) -> None:
        self.long_poll_enabled = enabled
        self.long_poll_version = version
        for event in off:
            self.long_poll_events[event] = False

    # -- methods ---------------------------------------------------------------------------

    def _own(self, p: Params) -> None:
        if p.get("group_id") != str(self.emu.group_id):
            # A community token manages its own community only.
            raise VkError(15, f"group_id: the token belongs to group {self.emu.group_id}")

    def _need(self, right: str) -> None:
        if right not in self.permissions:
            raise VkError(15, f"the token has no '{right}' right")

    async def _get_by_id(self, p: Params) -> Any:
        asked = [x for x in f"{p.get('group_ids', '')},{p.get('group_id', '')}".split(",") if x]
        groups = []
        for ref in asked or [str(self.emu.group_id)]:
            number = int(ref.removeprefix("club")) if ref.removeprefix("club").isdigit() else -1
            if number == self.emu.group_id:
                name = self.emu.group_name
            elif number in self.other_groups:
                name = self.other_groups[number]
            else:
                raise VkError(100, f"group_ids: invalid group id {ref}")
            groups.append(
                {
                    "id": number,
                    "name": name,
                    "screen_name": f"club{number}",
                    "is_closed": 0,
                    "type": "group",
                }
            )
        return {"groups": groups, "profiles": []}

    async def _get_token_permissions(self, p: Params) -> Any:
        mask = sum(PERMISSION_BITS[name] for name in self.permissions)
        return {
            "mask": mask,
            "permissions": [
                {"name": name, "setting": PERMISSION_BITS[name]}
                for name in sorted(self.permissions)
            ],
        }

    async def _get_long_poll_settings(self, p: Params) -> Any:
        self._own(p)
        self._need("manage")
        return {
            "is_enabled": self.long_poll_enabled,
            "api_version": self.long_poll_version,
            "events": {e: int(on) for e, on in self.long_poll_events.items()},
        }

    async def _set_long_poll_settings(self, p: Params) -> Any:
        self._own(p)
        self._need("manage")
        if "enabled" in p:
            self.long_poll_enabled = p["enabled"] == "1"
        if "api_version" in p:
            self.long_poll_version = p["api_version"]
        for event in EVENT_TYPES:
            if event in p:
                self.long_poll_events[event] = p[event] == "1"
        return 1

    def _server(self, p: Params) -> CallbackServer:
        wanted = int(p.get("server_id", "0") or 0)
        for server in self.servers:
            if server.id == wanted:
                return server
        raise VkError(100, f"server_id: no callback server {wanted}")

    async def _get_callback_servers(self, p: Params) -> Any:
        self._own(p)
        self._need("manage")
        return {"count": len(self.servers), "items": [s.as_json() for s in self.servers]}

    async def _add_callback_server(self, p: Params) -> Any:
        self._own(p)
        self._need("manage")
        if len(self.servers) >= 10:
            raise VkError(2000, "too many callback servers")
        server = CallbackServer(
            id=max((s.id for s in self.servers), default=0) + 1,
            url=p["url"],
            title=p["title"],
            secret_key=p.get("secret_key", ""),
        )
        self.servers.append(server)
        # VK confirms a new address at once: it posts `confirmation` and expects the code.
        await self.emu.callbacks.confirm(server)
        return {"server_id": server.id}

    async def _set_callback_settings(self, p: Params) -> Any:
        self._own(p)
        self._need("manage")
        server = self._server(p)
        if "api_version" in p:
            server.api_version = p["api_version"]
        for event in EVENT_TYPES:
            if event in p:
                server.events[event] = p[event] == "1"
        return 1

    async def _get_callback_settings(self, p: Params) -> Any:
        self._own(p)
        self._need("manage")
        server = self._server(p)
        events = {e: int(server.events.get(e, False)) for e in EVENT_TYPES}
        return {"api_version": server.api_version, "events": events}

    async def _get_confirmation_code(self, p: Params) -> Any:
        self._own(p)
        self._need("manage")
        return {"code": self.confirmation_code}

    async def _get_online_status(self, p: Params) -> Any:
        self._own(p)
        return {"status": self.online_status}


@dataclass
class Attempt:
    event_id: str
    retry: int
    status: int
    body: str


class CallbackDelivery:
    """VK's side of the Callback API: `confirmation` when a server is added, then every event
    POSTed to each confirmed server that ticked its type, again (with X-Retry-Counter) while
    the answer is not `ok`, up to ``attempts`` times."""

    def __init__(self, emu: Emulator, attempts: int = 5, pause: float = 0.05) -> None:
        self.emu = emu
        self.attempts = attempts
        self.pause = pause
        self.log: list[Attempt] = []
        # Answers to lose: the bot answered, VK never got it (a dropped connection), so VK
        # posts the same event again.
        self.lose_answers = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        return self._session

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()

    async def _post(self, url: str, body: dict[str, Any], retry: int) -> tuple[int, str]:
        headers = {"X-Retry-Counter": str(retry)} if retry else {}
        try:
            async with self._client().post(url, json=body, headers=headers) as response:
                return response.status, await response.text()
        except (TimeoutError, aiohttp.ClientError) as exc:
            return 0, type(exc).__name__

    async def confirm(self, server: CallbackServer) -> None:
        body = {"type": "confirmation", "group_id": self.emu.group_id}
        status, text = await self._post(server.url, body, 0)
        ok = status == 200 and text == self.emu.community.confirmation_code
        server.status = "ok" if ok else "failed"

    def push(self, update: dict[str, Any]) -> None:
        for server in self.emu.community.servers:
            if server.status == "ok" and server.events.get(str(update.get("type")), False):
                task = asyncio.get_running_loop().create_task(self._deliver(server, update))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    async def _deliver(self, server: CallbackServer, update: dict[str, Any]) -> None:
        event_id = str(update.get("event_id", ""))
        body = {**update, "v": server.api_version}
        if server.secret_key:
            body["secret"] = server.secret_key
        for retry in range(self.attempts):
            status, text = await self._post(server.url, body, retry)
            self.log.append(Attempt(event_id, retry, status, text))
            if self.lose_answers > 0:
                self.lose_answers -= 1
                status, text = 0, "lost"
            if status == 200 and text == "ok":
                self.emu.delivered(event_id).set()
                self.emu._changed()
                return
            # VK waits before a retry too; the pace is the emulator's, not the test's.
            await asyncio.sleep(self.pause)
