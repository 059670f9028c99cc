"""A local MAX Bot API: the bot reaches it through its MAX API URL exactly as it reaches
platform-api2.max.ru. Written from dev.max.ru and MAX's OpenAPI schema, not from a client library.

What it does not emulate: group chats and channels (the bot serves dialogs), video and audio
attachments, markup in texts (``format`` is kept, not rendered), the short retention of long-poll
events.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import ssl
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from . import limits
from .client import MaxMessage, MaxUser
from .schema import Operation, SchemaViolation, load_schema

SETTLE_TIMEOUT = 10.0
# MAX documents no webhook retry schedule; the emulator retries a failed delivery a few times,
# sooner than MAX would, so that tests of the bot's webhook see retries without waiting long.
WEBHOOK_RETRY_DELAYS = (0.05, 0.2, 0.5)
WEBHOOK_TIMEOUT = 5.0
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
UPLOAD_TYPES = ("image", "video", "audio", "file")

Query = dict[str, str]
Handler = Callable[[Query, Any], Awaitable[Any]]


class MaxError(Exception):
    """An error answer: HTTP status with MAX's ``{code, message}`` body."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(status, code, message)
        self.status, self.code, self.message = status, code, message


@dataclass
class _Failure:
    status: int | None
    code: str | None
    drop: bool
    after: bool
    times: int


@dataclass
class Subscription:
    url: str
    time: int
    update_types: list[str] | None
    secret: str | None
    queue: asyncio.Queue[tuple[str, dict[str, Any]]] = field(default_factory=asyncio.Queue)
    task: asyncio.Task[None] | None = None

    def as_json(self) -> dict[str, Any]:
        return {"url": self.url, "time": self.time, "update_types": self.update_types}


@dataclass(frozen=True)
class WebhookAttempt:
    url: str
    key: str
    outcome: str  # "200", "500", "lost 200", "ClientConnectorError", ...


@dataclass
class _Media:
    kind: str
    data: bytes
    filename: str
    photo_id: int


class MaxEmulator:
    def __init__(
        self,
        token: str = "max-test-token",
        *,
        bot_user_id: int = 7000001,
        bot_username: str = "staff_verify_bot",
        bot_name: str = "Сферум Бот",
        allow_loopback_webhooks: bool = False,
        webhook_retry_delays: tuple[float, ...] = WEBHOOK_RETRY_DELAYS,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.token = token
        self.bot_user_id = bot_user_id
        self.bot_username = bot_username
        self.bot_name = bot_name
        # MAX accepts only https:// webhooks; a test's bot listens on plain http on loopback.
        self.allow_loopback_webhooks = allow_loopback_webhooks
        self.webhook_retry_delays = webhook_retry_delays
        self.host, self.port = host, port
        # Serving TLS lets a test check what a deployer sees when MAX's root CA is not trusted.
        self.ssl_context = ssl_context
        self.calls: list[tuple[str, Query, Any]] = []
        self.violations: list[SchemaViolation] = []
        self.notifications: list[dict[str, Any]] = []
        self.answers: list[dict[str, Any]] = []
        self.webhook_attempts: list[WebhookAttempt] = []
        self.undelivered: list[dict[str, Any]] = []
        self.max_rps_seen = 0
        # The rate windows' clock; a test freezes it to put any number of calls in one second.
        self.clock: Callable[[], float] = time.monotonic
        # Replaced by a test harness with one that awaits the bot's own "update done" signal.
        self.settle: Callable[[str], Awaitable[None]] = self._default_settle
        self._schema = load_schema()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._people: dict[int, MaxUser] = {}
        self._by_chat: dict[int, MaxUser] = {}
        self._messages: dict[str, MaxMessage] = {}
        self._dialogs: dict[int, list[str]] = {}
        self._callbacks: dict[str, tuple[MaxUser, str]] = {}  # callback_id -> (person, mid)
        self._updates: list[tuple[str, dict[str, Any]]] = []  # (key, Update)
        self._update_info: dict[str, tuple[int, int]] = {}  # key -> (user, action mark)
        self._delivered: dict[str, asyncio.Event] = {}
        self._actions: list[int] = []  # user ids the bot acted towards, in order
        self._subscriptions: dict[str, Subscription] = {}
        self._failures: dict[str, deque[_Failure]] = {}
        self._window: deque[float] = deque()
        self._dialog_windows: dict[tuple[str, int], deque[float]] = {}
        self._uploads: dict[str, tuple[str, bool]] = {}  # upload key -> (type, used)
        self._media: dict[str, _Media] = {}  # token -> media
        self._seq = 0
        self._last_ms = 0
        self._lost_webhook_answers = 0
        self._parked = 0
        self._closing = False
        self._change = asyncio.Event()

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        api: list[tuple[str, str, Handler]] = [
            ("GET", "/me", self._get_me),
            ("POST", "/messages", self._send_message),
            ("PUT", "/messages", self._edit_message),
            ("DELETE", "/messages", self._delete_message),
            ("GET", "/messages", self._get_messages),
            ("GET", "/messages/{messageId}", self._get_message),
            ("POST", "/answers", self._answer),
            ("POST", "/uploads", self._get_upload_url),
            ("GET", "/updates", self._get_updates),
            ("GET", "/subscriptions", self._get_subscriptions),
            ("POST", "/subscriptions", self._subscribe),
            ("DELETE", "/subscriptions", self._unsubscribe),
        ]
        for method, route, handler in api:
            app.router.add_route(method, route, self._endpoint(method, route, handler))
        app.router.add_post("/_upload/{key}", self._on_upload)
        app.router.add_get("/_files/{token}", self._on_file)
        app.router.add_route("*", "/{tail:.*}", self._on_unknown_path)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port, ssl_context=self.ssl_context).start()
        self.port = self._runner.addresses[0][1]
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=WEBHOOK_TIMEOUT))

    async def stop(self) -> None:
        self._closing = True
        self._changed()
        for sub in list(self._subscriptions.values()):
            await self._stop_delivery(sub)
        self._subscriptions.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> MaxEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def api_url(self) -> str:
        scheme = "https" if self.ssl_context is not None else "http"
        return f"{scheme}://{self.host}:{self.port}"

    def link(self, payload: str | None = None) -> str:
        """The deep link MAX gives the bot (``https://max.ru/<bot>?start=<payload>``)."""
        base = f"https://max.ru/{self.bot_username}"
        return base if payload is None else f"{base}?start={payload}"

    # -- test controls --------------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        *,
        username: str | None = None,
        locale: str = "ru",
    ) -> MaxUser:
        person = MaxUser(self, user_id, first_name, last_name, username=username, locale=locale)
        self._people[user_id] = person
        return person

    def fail_next(
        self,
        operation: str,
        *,
        status: int | None = None,
        code: str | None = None,
        drop: bool = False,
        after: bool = False,
        times: int = 1,
    ) -> None:
        """Makes the next ``times`` calls of ``operation`` fail.

        ``operation`` is "POST /messages", "GET /updates", ... or "upload" (the file POST to an
        upload URL). The failure is HTTP ``status`` (with MAX error ``code``), a connection
        dropped before the work (``drop``), or after it with the answer lost (``after``).
        """
        if (status is not None) + drop + after != 1:
            raise ValueError("give exactly one of status, drop, after")
        self._failures.setdefault(operation, deque()).append(
            _Failure(status, code, drop, after, times)
        )

    def record_violation(self, operation: str, where: str, problem: str) -> None:
        self.violations.append(SchemaViolation(operation, where, problem))

    def delivered(self, key: str) -> asyncio.Event:
        """Set once the update ``key`` reached the bot (long poll answer or webhook 2xx)."""
        return self._delivered.setdefault(key, asyncio.Event())

    def update_for(self, key: str) -> dict[str, Any]:
        """The update a push returned ``key`` for (a harness maps it to the bot's own id)."""
        return next(update for k, update in self._updates if k == key)

    def lose_webhook_answers(self, times: int = 1) -> None:
        """The bot's next ``times`` webhook answers get lost: MAX delivers those updates again."""
        self._lost_webhook_answers += times

    @property
    def updates(self) -> list[dict[str, Any]]:
        return [update for _, update in self._updates]

    async def wait_for_poller(self) -> None:
        """Returns once some client (the bot) is parked in a long-poll request."""
        await self._wait_until(lambda: self._parked > 0)

    async def until(self, condition: Callable[[], bool], *, within: float = SETTLE_TIMEOUT) -> None:
        """Awaits a condition on emulator state, re-checked at every change (never by sleeping)."""
        try:
            async with asyncio.timeout(within):
                await self._wait_until(condition)
        except TimeoutError:
            raise AssertionError(f"condition not met within {within:g} s") from None

    def dialog(self, user_id: int) -> list[MaxMessage]:
        """The bot's messages in the person's dialog, as the person now sees them."""
        person = self._people.get(user_id)
        if person is None or person.chat_id is None:
            return []
        mids = self._dialogs.get(person.chat_id, [])
        return [m for mid in mids if (m := self._messages[mid]).from_bot and not m.deleted]

    def media_bytes(self, attachment: dict[str, Any]) -> bytes:
        """The bytes behind an image or file attachment of a message the bot sent."""
        return self._media[attachment["payload"]["token"]].data

    def now_ms(self) -> int:
        # MAX's timestamps are milliseconds; strictly increasing so that order is unambiguous.
        self._last_ms = max(int(time.time() * 1000), self._last_ms + 1)
        return self._last_ms

    # -- pushes from people ---------------------------------------------------------------------

    def push_bot_started(self, person: MaxUser, payload: str | None) -> str:
        if person.chat_id is None:
            self._seq += 1
            # A dialog's chat_id is its own number, never the person's user_id.
            person.chat_id = 90_000_000_000 + self._seq
            self._by_chat[person.chat_id] = person
            self._dialogs[person.chat_id] = []
        update: dict[str, Any] = {
            "update_type": "bot_started",
            "timestamp": self.now_ms(),
            "chat_id": person.chat_id,
            "user": person.as_user(),
            "user_locale": person.locale,
        }
        if payload is not None:
            update["payload"] = payload
        return self._push(f"bot_started:{person.chat_id}:{update['timestamp']}", person, update)

    def push_message(self, person: MaxUser, text: str, attachments: list[dict[str, Any]]) -> str:
        assert person.chat_id is not None
        message = self._new_message(person, from_bot=False, text=text, attachments=attachments)
        update = {
            "update_type": "message_created",
            "timestamp": message.timestamp,
            "message": self._message_json(message),
            "user_locale": person.locale,
        }
        return self._push(message.mid, person, update)

    def store_image(self, data: bytes, filename: str = "photo.png") -> dict[str, Any]:
        """An image as a person's message carries it (MAX serves it at the payload's url)."""
        self._seq += 1
        token = f"image.{secrets.token_hex(16)}"
        self._media[token] = _Media("image", data, filename, self._seq)
        url = f"{self.api_url}/_files/{token}"
        return {"type": "image", "payload": {"photo_id": self._seq, "token": token, "url": url}}

    def push_callback(self, person: MaxUser, message: MaxMessage, payload: str | None) -> str:
        callback_id = f"cb.{secrets.token_hex(12)}"
        self._callbacks[callback_id] = (person, message.mid)
        now = self.now_ms()
        callback: dict[str, Any] = {
            "timestamp": now,
            "callback_id": callback_id,
            "user": person.as_user(),
        }
        if payload is not None:
            callback["payload"] = payload
        current = self._messages.get(message.mid)
        update = {
            "update_type": "message_callback",
            "timestamp": now,
            "callback": callback,
            "message": None if current is None or current.deleted else self._message_json(current),
            "user_locale": person.locale,
        }
        return self._push(callback_id, person, update)

    def _push(self, key: str, person: MaxUser, update: dict[str, Any]) -> str:
        self._updates.append((key, update))
        self._update_info[key] = (person.user_id, len(self._actions))
        for sub in self._subscriptions.values():
            if sub.update_types is None or update["update_type"] in sub.update_types:
                sub.queue.put_nowait((key, update))
        self._changed()
        return key

    # -- internals ------------------------------------------------------------------------------

    def _changed(self) -> None:
        # Every waiter holds the previous event; swapping then setting wakes them all at once.
        change, self._change = self._change, asyncio.Event()
        change.set()

    async def _wait_until(self, ready: Callable[[], bool]) -> None:
        while not ready():
            await self._change.wait()

    async def _default_settle(self, key: str) -> None:
        user, mark = self._update_info[key]
        delivered = self.delivered(key)
        try:
            async with asyncio.timeout(SETTLE_TIMEOUT):
                await delivered.wait()
                await self._wait_until(lambda: user in self._actions[mark:])
        except TimeoutError:
            what = "answer" if delivered.is_set() else "fetch"
            raise AssertionError(
                f"bot did not {what} update {key} from MAX user {user} within {SETTLE_TIMEOUT:g} s"
            ) from None

    def _new_message(
        self,
        person: MaxUser,
        *,
        from_bot: bool,
        text: str,
        attachments: list[dict[str, Any]],
        format: str | None = None,
    ) -> MaxMessage:
        assert person.chat_id is not None
        self._seq += 1
        message = MaxMessage(
            mid=f"mid.{self._seq:016x}{secrets.token_hex(8)}",
            seq=self._seq,
            chat_id=person.chat_id,
            user_id=person.user_id,
            from_bot=from_bot,
            text=text,
            attachments=attachments,
            format=format,
            timestamp=self.now_ms(),
        )
        self._messages[message.mid] = message
        self._dialogs[person.chat_id].append(message.mid)
        return message

    def _bot_user(self) -> dict[str, Any]:
        return {
            "user_id": self.bot_user_id,
            "first_name": self.bot_name,
            "last_name": None,
            "name": self.bot_name,
            "username": self.bot_username,
            "is_bot": True,
            "last_activity_time": self.now_ms(),
        }

    def _message_json(self, message: MaxMessage) -> dict[str, Any]:
        person = self._people[message.user_id]
        sender = self._bot_user() if message.from_bot else person.as_user()
        recipient_user = message.user_id if message.from_bot else self.bot_user_id
        return {
            "sender": sender,
            "recipient": {
                "chat_id": message.chat_id,
                "chat_type": "dialog",
                "user_id": recipient_user,
            },
            "timestamp": message.timestamp,
            "body": {
                "mid": message.mid,
                "seq": message.seq,
                "text": message.text,
                "attachments": message.attachments,
            },
        }

    def _rate(self, key: tuple[str, int], most: int) -> bool:
        """Counts one event in a one-second window; False when it is one too many."""
        now = self.clock()
        window = self._dialog_windows.setdefault(key, deque())
        window.append(now)
        while window[0] <= now - 1.0:
            window.popleft()
        return len(window) <= most

    def _take_failure(self, operation: str) -> _Failure | None:
        queue = self._failures.get(operation)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.popleft()
        return failure

    # -- HTTP: the API --------------------------------------------------------------------------

    def _endpoint(
        self, method: str, route: str, handler: Handler
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        op = self._schema.operation(method, route)
        assert op is not None, f"{method} {route} is not in MAX's schema"

        async def serve(request: web.Request) -> web.StreamResponse:
            return await self._serve(request, op, f"{method} {route}", handler)

        return serve

    async def _serve(
        self, request: web.Request, op: Operation, name: str, handler: Handler
    ) -> web.StreamResponse:
        query: Query = dict(request.query)
        raw = await request.read()
        try:
            if "access_token" in query:
                raise MaxError(
                    401, "verify.token", "Token in query parameters is no longer supported"
                )
            if request.headers.get("Authorization") != self.token:
                raise MaxError(401, "verify.token", "Invalid access_token")
            body: Any = None
            if raw:
                try:
                    body = json.loads(raw)
                except ValueError:
                    self.record_violation(op.operation_id, "body", "not valid JSON")
                    raise MaxError(400, "proto.payload", "Request body is not JSON") from None
            self.calls.append((name, dict(query), body))
            in_window = self._count_call()
            if in_window > limits.REQUESTS_PER_SECOND:
                self.record_violation(op.operation_id, "rate", f"{in_window} requests in a second")
                raise MaxError(429, "too.many.requests", "Too many requests")
            failure = self._take_failure(name)
            if failure is not None and not failure.after:
                if failure.drop:
                    _drop(request)
                assert failure.status is not None
                raise MaxError(
                    failure.status, failure.code or "internal.error", "Injected by the test"
                )
            problems = self._schema.validate(op, query, body, has_body=bool(raw))
            if problems:
                self.violations.extend(problems)
                detail = "; ".join(f"{p.where}: {p.problem}" for p in problems)
                raise MaxError(400, "proto.payload", detail)
            params = {**query, **request.match_info}
            result = await handler(params, body)
        except MaxError as e:
            return web.json_response({"code": e.code, "message": e.message}, status=e.status)
        if failure is not None and failure.after:
            _drop(request)  # MAX did the work; the answer never reaches the bot
        return web.json_response(result)

    def _count_call(self) -> int:
        now = self.clock()
        self._window.append(now)
        while self._window[0] <= now - 1.0:
            self._window.popleft()
        self.max_rps_seen = max(self.max_rps_seen, len(self._window))
        return len(self._window)

    async def _get_me(self, q: Query, body: Any) -> Any:
        return {**self._bot_user(), "description": None, "commands": None}

    def _recipient(self, q: Query) -> MaxUser:
        if ("user_id" in q) == ("chat_id" in q):
            raise MaxError(400, "proto.payload", "Give exactly one of user_id and chat_id")
        if "user_id" in q:
            person = self._people.get(int(q["user_id"]))
            if person is None or person.chat_id is None:
                # MAX opens a dialog only when the person starts the bot.
                msg = f"User {q['user_id']} has no dialog with the bot"
                raise MaxError(403, "chat.denied", msg)
            return person
        found = self._by_chat.get(int(q["chat_id"]))
        if found is None:
            raise MaxError(404, "chat.not.found", f"Chat {q['chat_id']} not found")
        return found

    def _attachments(self, operation: str, raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Request attachments -> what a reader gets (tokens resolved); 400 on anything MAX
        refuses."""
        kinds = [a["type"] for a in raw]
        if kinds.count("inline_keyboard") > 1:
            self.record_violation(operation, "attachments", "more than one inline keyboard")
            raise MaxError(400, "proto.payload", "Only one keyboard per message")
        shown: list[dict[str, Any]] = []
        for i, attachment in enumerate(raw):
            kind, payload = attachment["type"], attachment.get("payload") or {}
            if kind == "inline_keyboard":
                if problems := limits.check_keyboard(payload):
                    for problem in problems:
                        self.record_violation(operation, f"attachments[{i}]", problem)
                    raise MaxError(400, "proto.payload", "; ".join(problems))
                shown.append({"type": kind, "payload": {"buttons": payload["buttons"]}})
            elif kind in ("image", "file"):
                shown.append(self._media_attachment(operation, i, kind, payload))
            else:
                self.record_violation(operation, f"attachments[{i}]", f"{kind} is not emulated")
                raise MaxError(400, "proto.payload", f"Attachment type {kind} is not emulated")
        return shown

    def _media_attachment(
        self, operation: str, i: int, kind: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        token = payload.get("token")
        if kind == "image" and token is None and isinstance(payload.get("photos"), dict):
            tokens = [p.get("token") for p in payload["photos"].values()]
            token = tokens[0] if len(tokens) == 1 else None
        media = self._media.get(token) if isinstance(token, str) else None
        if media is None or media.kind != kind or token is None:
            raise MaxError(400, "proto.payload", f"attachments[{i}]: unknown {kind} token")
        url = f"{self.api_url}/_files/{token}"
        if kind == "image":
            shown = {"photo_id": media.photo_id, "token": token, "url": url}
            return {"type": "image", "payload": shown}
        return {
            "type": "file",
            "payload": {"url": url, "token": token},
            "filename": media.filename,
            "size": len(media.data),
        }

    async def _send_message(self, q: Query, body: Any) -> Any:
        person = self._recipient(q)
        assert person.chat_id is not None
        text = body.get("text") or ""
        attachments = self._attachments("sendMessage", body.get("attachments") or [])
        if not text and not attachments:
            raise MaxError(400, "proto.payload", "Text or attachments are required")
        if not self._rate(("message", person.chat_id), limits.MESSAGES_PER_DIALOG_PER_SECOND):
            problem = "more than 2 messages a second in a dialog"
            self.record_violation("sendMessage", "rate", problem)
            raise MaxError(429, "too.many.requests", "Too many messages to this chat")
        message = self._new_message(
            person, from_bot=True, text=text, attachments=attachments, format=body.get("format")
        )
        self._actions.append(person.user_id)
        self._changed()
        return {"message": self._message_json(message)}

    def _bot_message(self, mid: str) -> MaxMessage:
        message = self._messages.get(mid)
        if message is None or message.deleted or not message.from_bot:
            raise MaxError(404, "not.found", f"Message {mid} not found")
        return message

    def _apply_edit(self, operation: str, message: MaxMessage, body: dict[str, Any]) -> None:
        # null (or absent) keeps a part as it is; [] removes every attachment.
        text = message.text if body.get("text") is None else body["text"]
        attachments = message.attachments
        if body.get("attachments") is not None:
            attachments = self._attachments(operation, body["attachments"])
        if not text and not attachments:
            raise MaxError(400, "proto.payload", "Text or attachments are required")
        message.text, message.attachments, message.edited = text, attachments, True
        if body.get("format") is not None:
            message.format = body["format"]
        self._actions.append(message.user_id)
        self._changed()

    async def _edit_message(self, q: Query, body: Any) -> Any:
        self._apply_edit("editMessage", self._bot_message(q["message_id"]), body)
        return {"success": True}

    async def _delete_message(self, q: Query, body: Any) -> Any:
        message = self._bot_message(q["message_id"])
        message.deleted = True
        self._actions.append(message.user_id)
        self._changed()
        return {"success": True}

    async def _get_message(self, q: Query, body: Any) -> Any:
        message = self._messages.get(q["messageId"])
        if message is None or message.deleted:
            raise MaxError(404, "not.found", f"Message {q['messageId']} not found")
        return self._message_json(message)

    async def _get_messages(self, q: Query, body: Any) -> Any:
        if "message_ids" in q:
            wanted = [m for m in q["message_ids"].split(",") if m]
            found = [self._messages[m] for m in wanted if m in self._messages]
        elif "chat_id" in q:
            found = [self._messages[m] for m in self._dialogs.get(int(q["chat_id"]), [])]
        else:
            raise MaxError(400, "proto.payload", "chat_id or message_ids is required")
        count = int(q.get("count", "50"))
        newest = sorted((m for m in found if not m.deleted), key=lambda m: -m.seq)[:count]
        return {"messages": [self._message_json(m) for m in newest]}

    async def _answer(self, q: Query, body: Any) -> Any:
        callback_id = q["callback_id"]
        if callback_id not in self._callbacks:
            raise MaxError(404, "not.found", f"Callback {callback_id} not found")
        person, mid = self._callbacks[callback_id]
        message, notification = body.get("message"), body.get("notification")
        if message is None and notification is None:
            raise MaxError(400, "proto.payload", "Give a message, a notification or both")
        assert person.chat_id is not None
        if not self._rate(("answer", person.chat_id), limits.ANSWERS_PER_DIALOG_PER_SECOND):
            self.record_violation(
                "answerOnCallback", "rate", "more than 2 callback answers a second in a dialog"
            )
            raise MaxError(429, "too.many.requests", "Too many callback answers")
        if message is not None:
            self._apply_edit("answerOnCallback", self._bot_message(mid), message)
        if notification is not None:
            self.notifications.append(
                {"callback_id": callback_id, "user_id": person.user_id, "text": notification}
            )
        self.answers.append({"callback_id": callback_id, "user_id": person.user_id, **body})
        self._actions.append(person.user_id)
        self._changed()
        return {"success": True}

    async def _get_upload_url(self, q: Query, body: Any) -> Any:
        key = secrets.token_hex(12)
        self._uploads[key] = (q["type"], False)
        result: dict[str, Any] = {"url": f"{self.api_url}/_upload/{key}"}
        if q["type"] in ("video", "audio"):
            result["token"] = f"{q['type']}.{key}"
        return result

    async def _get_updates(self, q: Query, body: Any) -> Any:
        if self._subscriptions:
            raise MaxError(405, "method.not.allowed", "Long polling is off while a webhook is set")
        limit = int(q.get("limit", "100"))
        timeout = int(q.get("timeout", "30"))
        types = {t for t in q.get("types", "").split(",") if t} or None
        end = len(self._updates)
        # A marker marks everything before it read; without one only the latest update comes.
        start = min(max(int(q["marker"]), 0), end) if q.get("marker") else max(end - 1, 0)

        def wanted(i: int) -> bool:
            return types is None or self._updates[i][1]["update_type"] in types

        def ready() -> bool:
            return self._closing or any(wanted(i) for i in range(start, len(self._updates)))

        if not ready() and timeout:
            self._parked += 1
            self._changed()
            try:
                async with asyncio.timeout(timeout):
                    await self._wait_until(ready)
            except TimeoutError:
                pass
            finally:
                self._parked -= 1
        picked: list[dict[str, Any]] = []
        marker = start
        for i in range(start, len(self._updates)):
            if len(picked) == limit:
                break
            marker = i + 1
            if wanted(i):
                key, update = self._updates[i]
                picked.append(update)
                self.delivered(key).set()
        return {"updates": picked, "marker": marker}

    async def _get_subscriptions(self, q: Query, body: Any) -> Any:
        return {"subscriptions": [s.as_json() for s in self._subscriptions.values()]}

    async def _subscribe(self, q: Query, body: Any) -> Any:
        url = body["url"]
        parts = urlsplit(url)
        loopback = parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
        if parts.scheme != "https" and not (self.allow_loopback_webhooks and loopback):
            self.record_violation("subscribe", "url", f"{url!r} is not an https:// URL")
            raise MaxError(400, "proto.payload", "Webhook URL must start with https://")
        if url in self._subscriptions:
            await self._stop_delivery(self._subscriptions.pop(url))
        sub = Subscription(url, self.now_ms(), body.get("update_types"), body.get("secret"))
        sub.task = asyncio.create_task(self._deliver(sub))
        self._subscriptions[url] = sub
        self._changed()
        return {"success": True}

    async def _unsubscribe(self, q: Query, body: Any) -> Any:
        sub = self._subscriptions.pop(q["url"], None)
        if sub is not None:
            await self._stop_delivery(sub)
        self._changed()
        return {"success": True}

    async def _stop_delivery(self, sub: Subscription) -> None:
        if sub.task is not None:
            sub.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sub.task

    async def _deliver(self, sub: Subscription) -> None:
        """Posts each update to the webhook in order; retries a failure, then gives it up."""
        headers = {"X-Max-Bot-Api-Secret": sub.secret} if sub.secret else {}
        while True:
            key, update = await sub.queue.get()
            for delay in (*self.webhook_retry_delays, None):
                outcome = await self._post_update(sub.url, update, headers)
                if outcome.startswith("2") and self._lost_webhook_answers:
                    self._lost_webhook_answers -= 1
                    outcome = f"lost {outcome}"  # the bot did the work; MAX never heard
                self.webhook_attempts.append(WebhookAttempt(sub.url, key, outcome))
                self._changed()
                if outcome.startswith("2"):
                    self.delivered(key).set()
                    break
                if delay is None:
                    self.undelivered.append(update)
                    break
                # MAX's own pacing between attempts, not a wait for an event.
                await asyncio.sleep(delay)

    async def _post_update(self, url: str, update: dict[str, Any], headers: dict[str, str]) -> str:
        assert self._session is not None
        try:
            async with self._session.post(url, json=update, headers=headers) as response:
                await response.read()
                return str(response.status)
        except (TimeoutError, aiohttp.ClientError) as exc:
            return type(exc).__name__

    # -- HTTP: uploads, files, unknown paths ----------------------------------------------------

    async def _on_upload(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        if key not in self._uploads:
            return web.json_response({"code": "not.found", "message": "No such upload"}, status=404)
        failure = self._take_failure("upload")
        if failure is not None and failure.drop:
            _drop(request)
        if failure is not None and failure.status is not None:
            error = {"code": failure.code or "internal.error", "message": "Injected by the test"}
            return web.json_response(error, status=failure.status)
        kind, used = self._uploads[key]
        if used:
            msg = "This upload URL has been used: get one per file"
            return web.json_response({"code": "upload.used", "message": msg}, status=400)
        form = await request.post()
        part = form.get("data")
        if not isinstance(part, web.FileField):
            msg = "Send the file as multipart form field 'data'"
            return web.json_response({"code": "proto.payload", "message": msg}, status=400)
        self._uploads[key] = (kind, True)
        self._seq += 1
        token = f"{kind}.{secrets.token_hex(16)}"
        self._media[token] = _Media(kind, part.file.read(), part.filename, self._seq)
        if failure is not None and failure.after:
            _drop(request)  # stored, and the URL used up, but the token never reaches the bot
        if kind == "image":
            return web.json_response({"photos": {str(self._seq): {"token": token}}})
        return web.json_response({"token": token})

    async def _on_file(self, request: web.Request) -> web.StreamResponse:
        media = self._media.get(request.match_info["token"])
        if media is None:
            raise web.HTTPNotFound()
        return web.Response(body=media.data, content_type="application/octet-stream")

    async def _on_unknown_path(self, request: web.Request) -> web.StreamResponse:
        # A wrong MAX API URL must fail fast with a MAX error, not hang or look transient.
        msg = f"Path {request.path} not found (the emulator's API URL is {self.api_url})"
        return web.json_response({"code": "not.found", "message": msg}, status=404)


def _drop(request: web.Request) -> None:
    """Closes the connection without a byte of answer: the client sees it dropped."""
    if request.transport is not None:
        request.transport.abort()
    raise asyncio.CancelledError
