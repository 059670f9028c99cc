"""The web chat: a page that plays VK Messenger for any person of the sandbox, and the small JSON
API behind it. What a page sends is checked as VK checks what a client sends (a known person,
text within VK's length, a well-formed payload from a message that exists); anything else gets
a clear error and never reaches the bot."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib.resources import files
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from aiohttp import WSMsgType, web
from loguru import logger

from bot.i18n import SUPPORTED, Translator
from bot.sandbox.emulator import CLIENTS, SandboxEmulator, client_kind
from bot.sandbox.vk import UserClient
from bot.sandbox.vk.limits import MAX_PAYLOAD

STATIC = files("bot.sandbox") / "web"
MAX_TEXT = 4096  # VK's limit on one message's text
MAX_NAME = 40
START_PAYLOAD = '{"command":"start"}'  # what VK's own start button sends
_PAGE_KEYS = re.compile(r"^sandbox-")


@dataclass(frozen=True, slots=True)
class Role:
    """What a demo person is in the demo, for the picker."""

    part: str
    org: str = ""


class PageError(Exception):
    def __init__(self, key: str, status: int = 400, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.status = status
        self.args_ = args


class ChatPage:
    def __init__(
        self,
        emu: SandboxEmulator,
        t: Translator,
        roles: dict[int, Role],
        page_keys: list[str],
    ) -> None:
        self.emu = emu
        self.t = t
        self.roles = roles
        self.page_keys = page_keys
        self.sockets: set[web.WebSocketResponse] = set()
        # One per open page: a page busy sending when a change lands still sees it afterwards.
        self._wakeups: set[asyncio.Event] = set()
        emu.listeners.append(self._on_change)

    def _on_change(self) -> None:
        for wakeup in self._wakeups:
            wakeup.set()

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/", self._index)
        app.router.add_get("/static/{name}", self._static)
        app.router.add_get("/api/config", self._config)
        app.router.add_get("/api/dialog/{user}", self._dialog)
        app.router.add_post("/api/people", self._add_person)
        app.router.add_post("/api/client", self._set_client)
        app.router.add_post("/api/say", self._say)
        app.router.add_post("/api/press", self._press)
        app.router.add_post("/api/open-link", self._open_link)
        app.router.add_get("/media/{key}", self._media)
        app.router.add_get("/ws", self._socket)

    async def close(self) -> None:
        for ws in list(self.sockets):
            await ws.close()

    # -- page and its texts ---------------------------------------------------------------------

    async def _index(self, request: web.Request) -> web.StreamResponse:
        return web.Response(
            body=(STATIC / "index.html").read_bytes(), content_type="text/html", charset="utf-8"
        )

    async def _static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        kinds = {"js": "text/javascript", "css": "text/css", "svg": "image/svg+xml"}
        kind = kinds.get(name.rpartition(".")[2])
        resource = STATIC / name
        if kind is None or "/" in name or not resource.is_file():
            raise web.HTTPNotFound()
        return web.Response(body=resource.read_bytes(), content_type=kind, charset="utf-8")

    def _locale(self, request: web.Request) -> str:
        lang = request.query.get("lang", "ru")
        return lang if lang in SUPPORTED else "ru"

    async def _config(self, request: web.Request) -> web.StreamResponse:
        locale = self._locale(request)
        labels = {key: self.t(locale, key) for key in self.page_keys}
        return web.json_response(
            {
                "labels": labels,
                "community": {"id": self.emu.group_id, "name": self.emu.group_name},
                "people": self._people(locale),
                "clients": list(CLIENTS),
                "limits": {"text": MAX_TEXT, "name": MAX_NAME},
            }
        )

    def _people(self, locale: str) -> list[dict[str, Any]]:
        people = []
        for client in self.emu.people:
            role = self.roles.get(client.user_id, Role("new"))
            part = self.t(locale, f"sandbox-part-{role.part}")
            people.append(
                {
                    "id": client.user_id,
                    "name": f"{client.first_name} {client.last_name}".strip(),
                    "part": f"{part}, {role.org}" if role.org else part,
                    "client": client_kind(client),
                }
            )
        return people

    # -- reading --------------------------------------------------------------------------------

    def _state(self, user_id: int | None) -> dict[str, Any]:
        client = self._client(user_id)
        return {
            "user": client.user_id,
            "client": client_kind(client),
            "messages": self.emu.dialog(client.user_id),
            "snackbars": self.emu.snackbars(client.user_id),
        }

    def _violations(self) -> list[dict[str, Any]]:
        return [
            {"seq": v.seq, "method": v.method, "param": v.param, "problem": v.problem}
            for v in self.emu.shown_violations
        ]

    async def _dialog(self, request: web.Request) -> web.StreamResponse:
        try:
            return web.json_response(self._state(_int(request.match_info["user"])))
        except PageError as exc:
            return web.json_response({"error": self.error_text(request, exc)}, status=exc.status)

    async def _media(self, request: web.Request) -> web.StreamResponse:
        found = self.emu.media(request.match_info["key"])
        if found is None:
            raise web.HTTPNotFound()
        data, title = found
        if title is None:
            return web.Response(body=data, content_type="image/png")
        kind = "text/csv" if title.lower().endswith(".csv") else "application/octet-stream"
        response = web.Response(body=data, content_type=kind)
        response.headers["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{quote(title, safe='')}"
        )
        return response

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        """Live dialogs: the page names the people it shows; each change of theirs is pushed."""
        ws = web.WebSocketResponse(heartbeat=30)
        await ws.prepare(request)
        self.sockets.add(ws)
        watched: set[int] = set()
        sent: dict[int, str] = {}
        violations_sent = -1
        people_sent = ""
        locale = self._locale(request)
        wakeup = asyncio.Event()
        self._wakeups.add(wakeup)

        async def push() -> None:
            nonlocal violations_sent, people_sent
            people = json.dumps(self._people(locale), ensure_ascii=False)
            if people != people_sent:
                people_sent = people
                await ws.send_str(f'{{"type":"people","people":{people}}}')
            for user_id in sorted(watched):
                if self.emu.person(user_id) is None:
                    continue
                state = json.dumps(self._state(user_id), ensure_ascii=False)
                if sent.get(user_id) != state:
                    sent[user_id] = state
                    await ws.send_str(f'{{"type":"dialog","state":{state}}}')
            if len(self.emu.shown_violations) != violations_sent:
                violations_sent = len(self.emu.shown_violations)
                body = json.dumps(self._violations(), ensure_ascii=False)
                await ws.send_str(f'{{"type":"violations","violations":{body}}}')

        async def pump() -> None:
            # A page closed mid-send is no error: it simply stops being fed.
            with contextlib.suppress(ConnectionError):
                while not ws.closed:
                    wakeup.clear()
                    await push()
                    await wakeup.wait()

        pusher = asyncio.create_task(pump())
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                try:
                    wanted = json.loads(msg.data).get("watch", [])
                    watched = {int(x) for x in wanted}
                except (ValueError, TypeError, AttributeError):
                    continue
                sent.clear()
                wakeup.set()
        finally:
            self._wakeups.discard(wakeup)
            pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pusher
            self.sockets.discard(ws)
        return ws

    # -- acting ---------------------------------------------------------------------------------

    async def _add_person(self, request: web.Request) -> web.StreamResponse:
        async def act(body: dict[str, Any]) -> dict[str, Any]:
            first = _text(body, "first_name").strip()
            last = _text(body, "last_name").strip()
            for name in (first, last):
                if not name or len(name) > MAX_NAME or not any(c.isalpha() for c in name):
                    raise PageError("sandbox-err-name", max=MAX_NAME)
            client = self.emu.add_person(first, last)
            return {"id": client.user_id}

        return await _act(request, self, act)

    async def _set_client(self, request: web.Request) -> web.StreamResponse:
        async def act(body: dict[str, Any]) -> dict[str, Any]:
            client = self._client(body.get("user"))
            kind = body.get("client")
            if kind not in CLIENTS:
                raise PageError("sandbox-err-client")
            self.emu.set_client(client.user_id, str(kind))
            return {"client": kind}

        return await _act(request, self, act)

    async def _say(self, request: web.Request) -> web.StreamResponse:
        async def act(body: dict[str, Any]) -> dict[str, Any]:
            client = self._client(body.get("user"))
            if body.get("start") is True:
                # VK's own start button: its word in the client's language, its fixed payload.
                text = self.t(self._client_locale(client), "sandbox-start-text")
                return {"event_id": client.push_message(text, payload=START_PAYLOAD)}
            text = _text(body, "text")
            if not text.strip():
                raise PageError("sandbox-err-empty")
            if len(text) > MAX_TEXT:
                raise PageError("sandbox-err-too-long", max=MAX_TEXT, length=len(text))
            return {"event_id": client.push_message(text)}

        return await _act(request, self, act)

    async def _press(self, request: web.Request) -> web.StreamResponse:
        async def act(body: dict[str, Any]) -> dict[str, Any]:
            client = self._client(body.get("user"))
            kind, payload = body.get("type"), body.get("payload")
            cmid = body.get("cmid")
            message = self.emu.bot_message(client.user_id, cmid) if isinstance(cmid, int) else None
            if message is None or message.keyboard is None:
                raise PageError("sandbox-err-message")
            if message.inline and not client.inline:
                raise PageError("sandbox-err-no-inline")
            if not isinstance(payload, str) or len(payload) > MAX_PAYLOAD:
                raise PageError("sandbox-err-payload", max=MAX_PAYLOAD)
            try:
                parsed = json.loads(payload)
            except ValueError:
                raise PageError("sandbox-err-payload", max=MAX_PAYLOAD) from None
            if kind == "text":
                label = _text(body, "label")
                if not label.strip() or len(label) > MAX_TEXT:
                    raise PageError("sandbox-err-empty")
                return {"event_id": client.push_message(label, payload=payload)}
            if kind == "callback":
                if not client.callbacks:
                    raise PageError("sandbox-err-no-callbacks")
                return {"event_id": client.push_callback(parsed, message.conversation_message_id)}
            raise PageError("sandbox-err-button")

        return await _act(request, self, act)

    async def _open_link(self, request: web.Request) -> web.StreamResponse:
        async def act(body: dict[str, Any]) -> dict[str, Any]:
            client = self._client(body.get("user"))
            ref = self.community_ref(_text(body, "url"))
            if ref is None:
                raise PageError("sandbox-err-link", group=self.emu.group_id)
            text = self.t(self._client_locale(client), "sandbox-start-text")
            # VK opens the dialog and sends the start message carrying the link's ref.
            return {"event_id": client.push_message(text, payload=START_PAYLOAD, ref=ref)}

        return await _act(request, self, act)

    def community_ref(self, url: str) -> str | None:
        """The ``ref`` of a https://vk.me/club<id>?ref=... link to this community."""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or parts.netloc not in ("vk.me", "m.vk.me"):
            return None
        if parts.path.strip("/") not in (f"club{self.emu.group_id}", f"public{self.emu.group_id}"):
            return None
        refs = parse_qs(parts.query).get("ref", [])
        return refs[0] if refs and 0 < len(refs[0]) <= MAX_PAYLOAD else None

    def _client(self, raw: object) -> UserClient:
        user_id = raw if isinstance(raw, int) and not isinstance(raw, bool) else None
        client = self.emu.person(user_id) if user_id is not None else None
        if client is None:
            raise PageError("sandbox-err-person", 404)
        return client

    def _client_locale(self, client: UserClient) -> str:
        return self.t.locale_for(client.lang_id) or self.t.default

    def error_text(self, request: web.Request, error: PageError) -> str:
        return self.t(self._locale(request), error.key, **error.args_)


async def _act(
    request: web.Request,
    page: ChatPage,
    act: Callable[[dict[str, Any]], Awaitable[dict[str, Any]]],
) -> web.StreamResponse:
    try:
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            raise PageError("sandbox-err-request") from None
        if not isinstance(body, dict):
            raise PageError("sandbox-err-request")
        return web.json_response(await act(body))
    except PageError as exc:
        logger.info("Page request {} refused: {}", request.path, exc.key)
        return web.json_response({"error": page.error_text(request, exc)}, status=exc.status)


def _text(body: dict[str, Any], name: str) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise PageError("sandbox-err-request")
    return value


def _int(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else None


def page_keys() -> list[str]:
    """The page's own labels, served to it from the locales: the sandbox's keys without
    placeholders (those with them are the server's own messages)."""
    from locales import LOCALES_DIR

    keys = []
    for line in (LOCALES_DIR / "ru" / "sandbox.ftl").read_text(encoding="utf-8").splitlines():
        key = line.partition("=")[0].strip()
        plain = "{" not in line
        if _PAGE_KEYS.match(key) and "=" in line and plain and not line.startswith((" ", "#")):
            keys.append(key)
    return keys
