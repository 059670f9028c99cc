"""A local VK API: the bot reaches it through VK_API_URL exactly as it reaches api.vk.com."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import re
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from aiohttp import web

from . import execute, limits
from .client import SentMessage, UserClient
from .community import CallbackDelivery, Community
from .errors import VkError
from .schema import SchemaViolation, load_schema

SETTLE_TIMEOUT = 10.0
API_VERSION = "5.199"
_ATTACHMENT = re.compile(r"(photo|doc)(-?\d+)_(\d+)(?:_(\w+))?")

Params = dict[str, str]
Handler = Callable[[Params], Awaitable[Any]]


@dataclass
class _Failure:
    code: int | None
    http_status: int | None
    drop: bool
    times: int
    # VK did the work; the connection dropped before its answer reached the caller.
    drop_after: bool = False


@dataclass
class _Profile:
    user_id: int
    first_name: str
    last_name: str
    screen_name: str | None
    allowed: bool


class Emulator:
    def __init__(
        self,
        token: str = "test-token",
        group_id: int = 1,
        group_name: str = "Сферум Бот",
        enforce_rps: int | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.token = token
        self.group_id = group_id
        self.group_name = group_name
        self.enforce_rps = enforce_rps
        self.host, self.port = host, port
        # Every API call VK performed or refused, those inside an execute too (after it).
        self.calls: list[tuple[str, Params]] = []
        self.requests = 0  # HTTP requests to /method/: what VK's rate limit counts
        self.violations: list[SchemaViolation] = []
        self.max_rps_seen = 0
        self.event_answers: list[dict[str, Any]] = []
        # Replaced by the test harness with one that awaits the bot's own "update done" signal.
        self.settle: Callable[[str], Awaitable[None]] = self._default_settle
        self._schema = load_schema()
        self._runner: web.AppRunner | None = None
        self._profiles: dict[int, _Profile] = {}
        self._clients: dict[int, UserClient] = {}
        self._sent: dict[int, list[SentMessage]] = {}
        self._by_random: dict[tuple[int, int], SentMessage] = {}
        self._message_seq = 0
        self._cmids: dict[int, int] = {}
        self._updates: list[dict[str, Any]] = []
        self._ts0 = 1
        self._lp_key = secrets.token_hex(20)
        self._lp_failures: deque[int] = deque()
        self._parked = 0
        self._closing = False
        self._change = asyncio.Event()
        self._delivered: dict[str, asyncio.Event] = {}
        self._event_info: dict[str, tuple[str, int | None, int]] = {}  # type, user, action mark
        self._callbacks: dict[str, tuple[int, int]] = {}  # callback event_id -> (user, peer)
        self._envelope_callback: dict[str, str] = {}
        self._actions: list[int] = []  # user ids the bot acted towards, in order
        self._failures: dict[str, deque[_Failure]] = {}
        self._window: deque[float] = deque()
        self._uploads: dict[str, tuple[str, bytes, str]] = {}
        self._photos: dict[str, tuple[bytes, str]] = {}  # "photo-1_5" -> (bytes, access key)
        self._docs: dict[str, bytes] = {}
        self._media_seq = 0
        self._handlers: dict[str, Handler] = {
            "execute": functools.partial(execute.run, self),
            "groups.getLongPollServer": self._groups_get_long_poll_server,
            "messages.send": self._messages_send,
            "messages.edit": self._messages_edit,
            "messages.sendMessageEventAnswer": self._messages_send_message_event_answer,
            "users.get": self._users_get,
            "utils.resolveScreenName": self._utils_resolve_screen_name,
            "photos.getMessagesUploadServer": self._photos_get_messages_upload_server,
            "photos.saveMessagesPhoto": self._photos_save_messages_photo,
            "docs.getMessagesUploadServer": self._docs_get_messages_upload_server,
            "docs.save": self._docs_save,
        }
        # The community's configuration (check, Callback API) lives beside, in community.py.
        self.community = Community(self)
        self.callbacks = CallbackDelivery(self)
        self._handlers.update(self.community.handlers())

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/method/{method}", self._on_method)
        app.router.add_route("*", "/lp/{group_id}", self._on_long_poll)
        app.router.add_post("/upload/{kind}", self._on_upload)
        app.router.add_get("/files/{name}", self._on_file)
        app.router.add_post("/_emu/say", self._on_say)
        app.router.add_get("/_emu/messages", self._on_messages)
        # A wrong VK_API_URL must fail fast with a VK error, not an HTML 404 vkbottle retries.
        app.router.add_route("*", "/{tail:.*}", self._on_unknown_path)
        # A short grace period: stop() releases parked long polls, nothing else lingers.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self._closing = True
        self._changed()
        await self.callbacks.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Emulator:
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
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/method/"

    # -- test controls --------------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str,
        last_name: str,
        *,
        screen_name: str | None = None,
        callbacks: bool = True,
        inline: bool = True,
        lang_id: int = 0,
        allowed: bool = True,
    ) -> UserClient:
        self._profiles[user_id] = _Profile(user_id, first_name, last_name, screen_name, allowed)
        client = UserClient(
            self,
            user_id,
            first_name,
            last_name,
            callbacks=callbacks,
            inline=inline,
            lang_id=lang_id,
        )
        self._clients[user_id] = client
        return client

    def fail_next(
        self,
        method: str,
        *,
        code: int | None = None,
        http_status: int | None = None,
        drop: bool = False,
        drop_after: bool = False,
        times: int = 1,
    ) -> None:
        """Makes the next ``times`` calls of ``method`` fail. ``method="lp"`` targets long poll
        (http_status or drop only). ``drop_after``: the call takes effect, then the connection
        drops before the answer."""
        if (code is not None) + (http_status is not None) + drop + drop_after != 1:
            raise ValueError("give exactly one of code, http_status, drop, drop_after")
        if method == "lp" and (code is not None or drop_after):
            raise ValueError("long poll failures are injected with lp_fail_next()")
        self._failures.setdefault(method, deque()).append(
            _Failure(code, http_status, drop, times, drop_after)
        )

    def lp_fail_next(self, failed: int) -> None:
        if failed not in (1, 2, 3):
            raise ValueError("failed must be 1, 2 or 3")
        self._lp_failures.append(failed)

    def reset_calls(self) -> None:
        """Forgets recorded calls and the rps peak; the rate window itself keeps running."""
        self.calls.clear()
        self.requests = 0
        self.max_rps_seen = 0

    def push_update(self, type: str, obj: dict[str, Any]) -> str:
        event_id = secrets.token_hex(20)
        self.push_raw(
            {
                "type": type,
                "object": obj,
                "group_id": self.group_id,
                "event_id": event_id,
                "v": API_VERSION,
            }
        )
        if type == "message_event":
            callback_id = str(obj["event_id"])
            self._callbacks[callback_id] = (int(obj["user_id"]), int(obj["peer_id"]))
            self._envelope_callback[event_id] = callback_id
        return event_id

    def push_raw(self, update: dict[str, Any]) -> str:
        """Appends ``update`` verbatim (a duplicate delivery may reuse an event_id)."""
        event_id = str(update.get("event_id", ""))
        obj, user = update.get("object"), None
        if isinstance(obj, dict):
            message = obj.get("message")
            source = message if isinstance(message, dict) else obj
            user = source.get("from_id", source.get("user_id"))
        self._event_info.setdefault(event_id, (str(update.get("type")), user, len(self._actions)))
        self._updates.append(update)
        self.callbacks.push(update)
        self._changed()
        return event_id

    @property
    def updates(self) -> list[dict[str, Any]]:
        """Everything pushed to the long-poll stream so far, in order."""
        return list(self._updates)

    def delivered(self, event_id: str) -> asyncio.Event:
        return self._delivered.setdefault(event_id, asyncio.Event())

    def failures_left(self, method: str) -> int:
        """How many injected failures of ``method`` ("lp" for long poll) are still to come."""
        return sum(f.times for f in self._failures.get(method, ()))

    @property
    def parked(self) -> bool:
        """Whether some client (the bot) is parked in a long-poll request now."""
        return self._parked > 0

    async def wait_for_poller(self) -> None:
        """Returns once some client (the bot) is parked in a long-poll request."""
        await self._wait_until(lambda: self._parked > 0)

    async def until(self, condition: Callable[[], bool], *, within: float = SETTLE_TIMEOUT) -> None:
        """Awaits a condition on emulator state, re-checked at every change (never by sleeping).

        For a second bot action the default settle does not wait for (an edit after a snackbar).
        """
        try:
            async with asyncio.timeout(within):
                await self._wait_until(condition)
        except TimeoutError:
            raise AssertionError(f"condition not met within {within:g} s") from None

    def sent_to(self, peer_id: int) -> list[SentMessage]:
        return list(self._sent.get(peer_id, []))

    def answers_for(self, event_id: str) -> list[dict[str, Any]]:
        event_id = self._envelope_callback.get(event_id, event_id)
        return [a for a in self.event_answers if a["event_id"] == event_id]

    def photo_bytes(self, attachment: str) -> bytes:
        return self._photos[_media_key(attachment)][0]

    def doc_bytes(self, attachment: str) -> bytes:
        return self._docs[_media_key(attachment)]

    # -- internals shared with UserClient -------------------------------------------------------

    def _changed(self) -> None:
        # Every waiter holds the previous event; swapping then setting wakes them all at once.
        change, self._change = self._change, asyncio.Event()
        change.set()

    async def _wait_until(self, ready: Callable[[], bool]) -> None:
        while not ready():
            await self._change.wait()

    def _allow(self, user_id: int) -> None:
        if user_id in self._profiles:
            self._profiles[user_id].allowed = True

    def _next_ids(self, peer_id: int) -> tuple[int, int]:
        self._message_seq += 1
        self._cmids[peer_id] = self._cmids.get(peer_id, 0) + 1
        return self._message_seq, self._cmids[peer_id]

    def _store_photo(self, owner_id: int, data: bytes) -> dict[str, Any]:
        self._media_seq += 1
        key, access_key = f"photo{owner_id}_{self._media_seq}", secrets.token_hex(9)
        self._photos[key] = (data, access_key)
        size = {"type": "x", "url": f"{self.base_url}/files/{key}.png", "width": 0, "height": 0}
        return {
            "id": self._media_seq,
            "owner_id": owner_id,
            "album_id": -3,
            "date": int(time.time()),
            "access_key": access_key,
            "sizes": [size],
            "text": "",
            "has_tags": False,
        }

    async def _default_settle(self, event_id: str) -> None:
        kind, user, mark = self._event_info.get(event_id, ("?", None, 0))
        delivered = self.delivered(event_id)
        try:
            async with asyncio.timeout(SETTLE_TIMEOUT):
                await delivered.wait()
                if kind in ("message_new", "message_event"):
                    await self._wait_until(lambda: user in self._actions[mark:])
        except TimeoutError:
            what = "answer" if delivered.is_set() else "fetch (via long poll)"
            raise AssertionError(
                f"bot did not {what} {kind} {event_id} from user {user} within {SETTLE_TIMEOUT:g} s"
            ) from None

    # -- HTTP: API methods ----------------------------------------------------------------------

    async def _on_method(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        params = await _params(request)
        token = params.pop("access_token", None)
        params.pop("v", None)
        self.calls.append((method, dict(params)))
        self.requests += 1
        in_window = self._count_call()
        try:
            if token != self.token:
                raise VkError(5, "invalid access_token")
            if self.enforce_rps is not None and in_window > self.enforce_rps:
                raise VkError(6)
            result = await self._call(method, params)
        except VkError as e:
            request_params = [{"key": "method", "value": method}, {"key": "oauth", "value": "1"}]
            request_params += [{"key": k, "value": v} for k, v in params.items()]
            error = {
                "error_code": e.code,
                "error_msg": self._error_message(e),
                "request_params": request_params,
            }
            return web.json_response({"error": error})
        except execute.BrokenRequest as broken:
            return _broken(request, broken.failure)
        if isinstance(result, execute.Answer):
            return web.json_response(result.body)
        return web.json_response({"response": result})

    async def _call(self, method: str, params: Params) -> Any:
        """One API call, direct or inside execute: injected faults, VK's schema, the handler.

        A ``drop_after`` fault lets the call take effect and then breaks the whole HTTP
        request, so the caller never learns that VK did it (inside execute: nor that the
        calls before it were done)."""
        failure = self._take_failure(method)
        if failure is not None and not failure.drop_after:
            if failure.code is not None:
                raise VkError(failure.code, "injected by the test")
            raise execute.BrokenRequest(failure)
        problems = self._schema.validate(method, params)
        handler = self._handlers.get(method)
        if handler is None:
            if not problems:
                problems = [SchemaViolation(method, "", "method is not emulated")]
            self.violations.extend(problems)
            raise VkError(3, f"{method} ({problems[0].problem})")
        if problems:
            self.violations.extend(problems)
            raise VkError(100, "; ".join(f"{p.param}: {p.problem}" for p in problems))
        result = await handler(params)
        if failure is not None:
            raise execute.BrokenRequest(_Failure(None, None, True, 1))
        return result

    def _error_message(self, e: VkError) -> str:
        message = self._schema.error_messages.get(e.code, "Unknown error")
        return f"{message}: {e.detail}" if e.detail else message

    def _count_call(self) -> int:
        now = asyncio.get_running_loop().time()
        self._window.append(now)
        while self._window[0] <= now - 1.0:
            self._window.popleft()
        self.max_rps_seen = max(self.max_rps_seen, len(self._window))
        return len(self._window)

    def _take_failure(self, method: str) -> _Failure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.popleft()
        return failure

    def _violation(self, method: str, param: str, problems: list[str], code: int) -> VkError:
        self.violations += [SchemaViolation(method, param, p) for p in problems]
        return VkError(code, f"{param}: {'; '.join(problems)}")

    async def _groups_get_long_poll_server(self, p: Params) -> Any:
        if p["group_id"] != str(self.group_id):
            raise VkError(100, f"group_id: the emulator only knows group {self.group_id}")
        server = f"{self.base_url}/lp/{self.group_id}"
        return {"key": self._lp_key, "server": server, "ts": str(self._ts)}

    async def _messages_send(self, p: Params) -> Any:
        if "peer_ids" in p:
            peers, batch = [int(x) for x in p["peer_ids"].split(",") if x], True
        elif "peer_id" in p or "user_id" in p:
            peers, batch = [int(p.get("peer_id") or p["user_id"])], False
        else:
            raise VkError(100, "peer_id: a recipient (peer_id, user_id or peer_ids) is required")
        text = p.get("message", "")
        attachments = [a for a in p.get("attachment", "").split(",") if a]
        if not text and not attachments and "sticker_id" not in p:
            raise VkError(100, "message: text or attachment is required")
        keyboard = self._keyboard(p, "messages.send")
        self._check_attachments(attachments)
        random_id = int(p.get("random_id", "0"))
        results: list[dict[str, Any]] = []
        for peer in peers:
            try:
                sent = self._deliver(peer, text, attachments, keyboard, random_id)
            except VkError as e:
                if not batch:
                    raise
                # message_id stays present because the schema (and vkbottle's model) require it.
                error = {"code": e.code, "description": self._schema.error_messages[e.code]}
                results.append(
                    {"peer_id": peer, "message_id": 0, "conversation_message_id": 0, "error": error}
                )
                continue
            results.append(
                {
                    "peer_id": peer,
                    "message_id": sent.message_id,
                    "conversation_message_id": sent.conversation_message_id,
                }
            )
        self._changed()
        return results if batch else results[0]["message_id"]

    def _deliver(
        self,
        peer: int,
        text: str,
        attachments: list[str],
        keyboard: dict[str, Any] | None,
        random_id: int,
    ) -> SentMessage:
        profile = self._profiles.get(peer)
        if profile is None or not profile.allowed:
            raise VkError(
                901,
                f"user {peer} has not allowed messages from the community"
                if profile
                else f"peer {peer} is not a user registered in the emulator",
            )
        if random_id and (peer, random_id) in self._by_random:
            return self._by_random[(peer, random_id)]
        message_id, cmid = self._next_ids(peer)
        sent = SentMessage(peer, message_id, cmid, text, keyboard, attachments, random_id)
        self._sent.setdefault(peer, []).append(sent)
        if random_id:
            self._by_random[(peer, random_id)] = sent
        self._actions.append(peer)
        return sent

    def _keyboard(self, p: Params, method: str) -> dict[str, Any] | None:
        if "keyboard" not in p:
            return None
        if problems := limits.check_keyboard(p["keyboard"]):
            raise self._violation(method, "keyboard", problems, 911)
        keyboard: dict[str, Any] = json.loads(p["keyboard"])
        return keyboard

    def _check_attachments(self, attachments: list[str]) -> None:
        for attachment in attachments:
            match, key = _ATTACHMENT.fullmatch(attachment), _media_key(attachment)
            if not match or (key not in self._photos and key not in self._docs):
                raise VkError(100, f"attachment: {attachment!r} does not exist in the emulator")
            if match.group(4) and key in self._photos and match.group(4) != self._photos[key][1]:
                raise VkError(100, f"attachment: wrong access key in {attachment!r}")

    async def _messages_edit(self, p: Params) -> Any:
        peer = int(p["peer_id"])
        cmid = p.get("conversation_message_id") or p.get("cmid")
        message_id = p.get("message_id")
        for sent in self._sent.get(peer, []):
            if (cmid and sent.conversation_message_id == int(cmid)) or (
                message_id and sent.message_id == int(message_id)
            ):
                break
        else:
            raise VkError(100, f"message_id: no bot message {cmid or message_id} in peer {peer}")
        attachments = [a for a in p.get("attachment", "").split(",") if a]
        if not p.get("message") and not attachments:
            raise VkError(100, "message: text or attachment is required")
        keyboard = self._keyboard(p, "messages.edit")
        self._check_attachments(attachments)
        # An edit replaces the whole message body, keyboard included, as in VK.
        sent.text, sent.attachments, sent.keyboard = p.get("message", ""), attachments, keyboard
        sent.edited = True
        self._actions.append(peer)
        self._changed()
        return 1

    async def _messages_send_message_event_answer(self, p: Params) -> Any:
        method, event_id = "messages.sendMessageEventAnswer", p["event_id"]
        if event_id not in self._callbacks:
            raise VkError(100, f"event_id: unknown event {event_id!r}")
        user, peer = self._callbacks[event_id]
        if (int(p["user_id"]), int(p["peer_id"])) != (user, peer):
            raise VkError(100, f"user_id: event {event_id} belongs to user {user} in peer {peer}")
        event_data: Any = None
        if "event_data" in p:
            if problems := limits.check_event_data(p["event_data"]):
                raise self._violation(method, "event_data", problems, 100)
            event_data = json.loads(p["event_data"])
        self.event_answers.append(
            {"event_id": event_id, "user_id": user, "peer_id": peer, "event_data": event_data}
        )
        self._actions.append(user)
        self._changed()
        return 1

    async def _users_get(self, p: Params) -> Any:
        wanted = [x for x in p.get("user_ids", "").split(",") if x]
        by_name = {pr.screen_name: pr for pr in self._profiles.values() if pr.screen_name}
        found = [self._profiles.get(int(x)) if x.isdigit() else by_name.get(x) for x in wanted]
        profiles = [pr for pr in found if pr is not None]
        if wanted and not profiles:
            raise VkError(113)
        fields = set(p.get("fields", "").split(","))
        result = []
        for pr in profiles:
            # name_case is accepted but names are returned undeclined: we have no morphology.
            user: dict[str, Any] = {
                "id": pr.user_id,
                "first_name": pr.first_name,
                "last_name": pr.last_name,
                "can_access_closed": True,
                "is_closed": False,
            }
            known = {
                "screen_name": pr.screen_name or f"id{pr.user_id}",
                "domain": pr.screen_name or f"id{pr.user_id}",
                "can_write_private_message": int(pr.allowed),
            }
            result.append(user | {k: v for k, v in known.items() if k in fields})
        return result

    async def _utils_resolve_screen_name(self, p: Params) -> Any:
        name = p["screen_name"]
        if name in (f"club{self.group_id}", f"public{self.group_id}"):
            return {"type": "group", "object_id": self.group_id}
        for pr in self._profiles.values():
            if name in (pr.screen_name, f"id{pr.user_id}"):
                return {"type": "user", "object_id": pr.user_id}
        return []

    async def _photos_get_messages_upload_server(self, p: Params) -> Any:
        return {
            "upload_url": f"{self.base_url}/upload/photo",
            "album_id": -3,
            "user_id": 0,
            "group_id": self.group_id,
        }

    async def _photos_save_messages_photo(self, p: Params) -> Any:
        upload = self._uploads.get(p["photo"])
        if upload is None or upload[0] != "photo":
            raise VkError(100, "photo: photos_list is invalid (upload it first, use it once)")
        if p.get("hash") != _hash(p["photo"]):
            raise VkError(121)
        del self._uploads[p["photo"]]
        return [self._store_photo(-self.group_id, upload[1])]

    async def _docs_get_messages_upload_server(self, p: Params) -> Any:
        return {"upload_url": f"{self.base_url}/upload/doc"}

    async def _docs_save(self, p: Params) -> Any:
        upload = self._uploads.pop(p["file"], None)
        if upload is None or upload[0] != "doc":
            raise VkError(100, "file: unknown or already saved upload")
        _, data, filename = upload
        title = p.get("title") or filename
        self._media_seq += 1
        key = f"doc{-self.group_id}_{self._media_seq}"
        self._docs[key] = data
        ext = title.rpartition(".")[2].lower() if "." in title else ""
        doc = {
            "id": self._media_seq,
            "owner_id": -self.group_id,
            "title": title,
            "ext": ext,
            "url": f"{self.base_url}/files/{key}",
            "size": len(data),
            "date": int(time.time()),
            "type": 4 if ext in ("png", "jpg", "jpeg", "gif") else 8,
        }
        return {"type": "doc", "doc": doc}

    # -- HTTP: long poll, uploads, files, helpers -----------------------------------------------

    @property
    def _ts(self) -> int:
        return self._ts0 + len(self._updates)

    async def _on_long_poll(self, request: web.Request) -> web.StreamResponse:
        if failure := self._take_failure("lp"):
            return _broken(request, failure)
        params = await _params(request)
        group = request.match_info["group_id"]
        if params.get("key") != self._lp_key or group != str(self.group_id):
            return web.json_response({"failed": 2})
        if self._lp_failures:
            failed = self._lp_failures.popleft()
            if failed == 1:
                return web.json_response({"failed": 1, "ts": str(self._ts)})
            self._lp_key = secrets.token_hex(20)  # 2 and 3 mean the key expired
            return web.json_response({"failed": failed})
        try:
            ts = int(params.get("ts", ""))
        except ValueError:
            ts = -1
        if not self._ts0 <= ts <= self._ts:
            return web.json_response({"failed": 1, "ts": str(self._ts)})
        try:
            wait = min(max(int(params.get("wait", "25")), 0), 90)
        except ValueError:
            wait = 25
        if ts == self._ts and wait:
            self._parked += 1
            self._changed()
            try:
                async with asyncio.timeout(wait):
                    await self._wait_until(lambda: self._ts > ts or self._closing)
            except TimeoutError:
                pass
            finally:
                self._parked -= 1
        updates = self._updates[ts - self._ts0 :]
        for update in updates:
            self.delivered(str(update.get("event_id", ""))).set()
        return web.json_response({"ts": str(self._ts), "updates": updates})

    async def _on_upload(self, request: web.Request) -> web.StreamResponse:
        kind = request.match_info["kind"]
        form = await request.post()
        part = form.get("photo" if kind == "photo" else "file")
        if not isinstance(part, web.FileField):
            # VK answers a missing file with an empty list that the save call then rejects.
            return web.json_response(
                {"server": 1, "photo": "[]", "hash": _hash("[]")}
                if kind == "photo"
                else {"error": "no file"}
            )
        key = secrets.token_hex(8)
        self._uploads[key] = (kind, part.file.read(), part.filename)
        if kind == "photo":
            return web.json_response({"server": 1, "photo": key, "hash": _hash(key)})
        return web.json_response({"file": key})

    async def _on_file(self, request: web.Request) -> web.StreamResponse:
        key = _media_key(request.match_info["name"].partition(".")[0])
        data = self._photos[key][0] if key in self._photos else self._docs.get(key)
        if data is None:
            raise web.HTTPNotFound()
        return web.Response(body=data, content_type="application/octet-stream")

    async def _on_unknown_path(self, request: web.Request) -> web.StreamResponse:
        msg = f"Unknown method passed: no such path {request.path!r} (API URL is {self.api_url})"
        return web.json_response(
            {"error": {"error_code": 3, "error_msg": msg, "request_params": []}}
        )

    async def _on_say(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        user_id = int(body["user_id"])
        client = self._clients.get(user_id) or self.user(
            user_id, body.get("first_name", "User"), body.get("last_name", str(user_id))
        )
        return web.json_response({"event_id": client.push_message(str(body["text"]))})

    async def _on_messages(self, request: web.Request) -> web.StreamResponse:
        sent = self.sent_to(int(request.query["peer_id"]))
        return web.json_response([m.as_json() for m in sent])


async def _params(request: web.Request) -> Params:
    """Query and urlencoded form together, as VK reads them."""
    form = await request.post()
    return {**request.query, **{k: v for k, v in form.items() if isinstance(v, str)}}


def _broken(request: web.Request, failure: _Failure) -> web.StreamResponse:
    if failure.drop:
        # Close without a byte of answer: the client sees a dropped connection.
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError
    status = failure.http_status or 502
    return web.Response(
        status=status, text=f"<html><body>{status}</body></html>", content_type="text/html"
    )


def _hash(key: str) -> str:
    return hashlib.sha1(f"emulator:{key}".encode()).hexdigest()


def _media_key(attachment: str) -> str:
    """ "photo-1_5_abc" -> "photo-1_5": media are stored without their access key."""
    return "_".join(attachment.split("_")[:2])
