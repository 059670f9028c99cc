"""A thin asyncio client of the MAX Bot API (dev.max.ru/docs-api) with what production needs:
the request rate limits, retries of what goes away by itself, and typed errors for what does not.

The bot owns the update loop and the durable inbox, so updates come back as MAX's raw JSON;
only what the bot reads from an answer (a sent message's id, a marker) is typed.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from loguru import logger

DEFAULT_URL = "https://platform-api2.max.ru"
REQUESTS_PER_SECOND = 30
MESSAGES_PER_DIALOG = 2
ANSWERS_PER_DIALOG = 2
RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0)
# 429: a limit was hit; 5xx: MAX's side failed. Both may go away within seconds.
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
# A file just uploaded may not be processed yet: MAX asks to send the message again later.
RETRIED_CODES = frozenset({"attachment.not.ready", "too.many.requests"})
REQUEST_TIMEOUT = 30.0
# MAX counts requests when they arrive; network jitter can bring two starts that were a second
# apart closer together, so the window we keep is a little longer than MAX's.
WINDOW = 1.1

Attachment = dict[str, Any]
Update = dict[str, Any]


class MaxApiError(Exception):
    """MAX refused the request: a bug or a setting to fix, retrying would not help."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"MAX {status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


class MaxUnavailable(Exception):
    """MAX (or what stands at the API URL) did not answer usefully after every retry."""


class MaxTlsError(Exception):
    """MAX's certificate is not trusted here: a setting to fix (``ca_file``), not a fault."""


class MaxOutcomeUnknown(MaxUnavailable):
    """The connection broke after a request that is not safe to repeat had been sent.

    MAX has no idempotency key for messages: the message may exist or not. The caller decides
    (``get_messages`` shows what the dialog holds) instead of this client sending it twice.
    """


@dataclass(frozen=True)
class BotInfo:
    user_id: int
    name: str
    username: str | None


@dataclass(frozen=True)
class SentMessage:
    mid: str
    chat_id: int
    seq: int
    timestamp: int  # milliseconds, as MAX counts


@dataclass(frozen=True)
class UpdateBatch:
    updates: list[Update]
    marker: int | None  # pass it to the next get_updates: everything before it counts as read


@dataclass(frozen=True)
class Subscription:
    url: str
    time: int
    update_types: list[str] | None


class RateLimiter:
    """At most ``rate`` starts in any WINDOW seconds; waiters are served in order."""

    def __init__(self, rate: int, window: float = WINDOW) -> None:
        self.rate = rate
        self.window = window
        self._starts: deque[float] = deque()
        self._lock = asyncio.Lock()

    def idle(self) -> bool:
        now = time.monotonic()
        return not self._starts or now - self._starts[-1] >= self.window

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                while self._starts and now - self._starts[0] >= self.window:
                    self._starts.popleft()
                if len(self._starts) < self.rate:
                    self._starts.append(now)
                    return
                # Pacing, not waiting for an event: the window opens at a known time.
                await asyncio.sleep(self.window - (now - self._starts[0]) + 0.001)


class _PerDialog:
    """One limiter per dialog, forgotten once idle so that the table does not grow forever."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._limiters: dict[int, RateLimiter] = {}

    def __call__(self, key: int) -> RateLimiter:
        if len(self._limiters) > 1000:
            self._limiters = {k: v for k, v in self._limiters.items() if not v.idle()}
        return self._limiters.setdefault(key, RateLimiter(self.rate))

    def alias(self, key: int, same: int) -> None:
        """``same`` names the dialog ``key`` named: both keep one pace from now on."""
        if key in self._limiters:
            self._limiters.setdefault(same, self._limiters[key])


def callback_button(text: str, payload: str) -> dict[str, Any]:
    # MAX's current schema has no colours (intent) on buttons, unlike VK's.
    return {"type": "callback", "text": text, "payload": payload}


def link_button(text: str, url: str) -> dict[str, Any]:
    return {"type": "link", "text": text, "url": url}


def inline_keyboard(rows: Sequence[Sequence[dict[str, Any]]]) -> Attachment:
    return {"type": "inline_keyboard", "payload": {"buttons": [list(row) for row in rows]}}


def message_body(
    text: str | None = None, attachments: list[Attachment] | None = None, fmt: str | None = None
) -> dict[str, Any]:
    """A NewMessageBody, for sending or for replacing a message in a callback answer.

    ``attachments=None`` keeps what the message has, ``[]`` removes it all (MAX's rule).
    """
    body: dict[str, Any] = {"attachments": attachments}
    if text is not None:
        body["text"] = text
    if fmt is not None:
        body["format"] = fmt
    return body


class MaxApi:
    def __init__(
        self,
        token: str,
        url: str = DEFAULT_URL,
        *,
        rps: int = REQUESTS_PER_SECOND,
        ca_file: Path | None = None,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
    ) -> None:
        self._token = token
        self.url = url.rstrip("/")
        self.limiter = RateLimiter(rps)
        self.retry_delays = retry_delays
        self._messages = _PerDialog(MESSAGES_PER_DIALOG)
        self._answers = _PerDialog(ANSWERS_PER_DIALOG)
        # A dialog addressed by user_id and later by chat_id keeps one pace: the answer to the
        # first send tells which chat a user_id's dialog is.
        self._chat_of_user: dict[int, int] = {}
        # MAX's servers present a certificate of the Russian Ministry of Digital Development's
        # root CA, which common trust stores lack: the deployer gives its file here.
        self._ssl: ssl.SSLContext | bool = True
        if ca_file is not None:
            context = ssl.create_default_context()
            context.load_verify_locations(cafile=str(ca_file))
            self._ssl = context
        self._session: aiohttp.ClientSession | None = None

    def __repr__(self) -> str:
        return f"<MaxApi {self.url}>"  # never the token

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> MaxApi:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- the API ------------------------------------------------------------------------------

    async def get_me(self) -> BotInfo:
        me = await self._call("GET", "/me")
        return BotInfo(int(me["user_id"]), str(me.get("name") or ""), me.get("username"))

    async def send(
        self,
        *,
        user_id: int | None = None,
        chat_id: int | None = None,
        text: str | None = None,
        attachments: list[Attachment] | None = None,
        fmt: str | None = None,
        notify: bool | None = None,
    ) -> SentMessage:
        if (user_id is None) == (chat_id is None):
            raise ValueError("give exactly one of user_id and chat_id")
        query = {"user_id": str(user_id)} if user_id is not None else {"chat_id": str(chat_id)}
        body = message_body(text, attachments or [], fmt)
        if notify is not None:
            body["notify"] = notify
        # Paced per dialog: MAX takes two messages a second into one.
        if chat_id is None and user_id is not None:
            chat_id = self._chat_of_user.get(user_id)
        pace = self._messages(chat_id if chat_id is not None else -(user_id or 0))
        answer = await self._call(
            "POST", "/messages", query=query, body=body, idempotent=False, pace=pace
        )
        sent = _sent(answer["message"])
        if user_id is not None and user_id not in self._chat_of_user:
            self._chat_of_user[user_id] = sent.chat_id
            self._messages.alias(-user_id, sent.chat_id)
        return sent

    async def edit(
        self,
        mid: str,
        *,
        text: str | None = None,
        attachments: list[Attachment] | None = None,
        fmt: str | None = None,
    ) -> None:
        """Edits in place; ``attachments=None`` keeps them, ``[]`` removes them."""
        body = message_body(text, attachments, fmt)
        await self._call("PUT", "/messages", query={"message_id": mid}, body=body)

    async def delete(self, mid: str) -> None:
        await self._call("DELETE", "/messages", query={"message_id": mid})

    async def get_message(self, mid: str) -> dict[str, Any]:
        return await self._call("GET", f"/messages/{mid}")

    async def get_messages(self, chat_id: int, count: int = 50) -> list[dict[str, Any]]:
        """The dialog's latest messages, newest first."""
        query = {"chat_id": str(chat_id), "count": str(count)}
        answer = await self._call("GET", "/messages", query=query)
        return list(answer["messages"])

    async def answer_callback(
        self,
        callback_id: str,
        *,
        chat_id: int,
        message: dict[str, Any] | None = None,
        notification: str | None = None,
    ) -> None:
        """Answers a button press: ``message`` (see message_body) replaces the message that had
        the button, ``notification`` shows a one-time notice. ``chat_id`` is the dialog's, for
        MAX's two answers a second there."""
        if message is None and notification is None:
            raise ValueError("give a message, a notification or both")
        body: dict[str, Any] = {}
        if message is not None:
            body["message"] = message
        if notification is not None:
            body["notification"] = notification
        await self._call(
            "POST",
            "/answers",
            query={"callback_id": callback_id},
            body=body,
            idempotent=False,
            pace=self._answers(chat_id),
        )

    async def upload(self, kind: str, data: bytes, filename: str) -> Attachment:
        """Uploads an image or a file; returns the attachment to send it with."""
        if kind not in ("image", "file"):
            raise ValueError("kind is image or file")
        problem = ""
        for delay in (*self.retry_delays, None):
            # One file per upload URL: a retry asks for a fresh one.
            endpoint = await self._call("POST", "/uploads", query={"type": kind})
            try:
                token = await self._send_file(str(endpoint["url"]), data, filename)
            except MaxUnavailable as exc:
                problem = str(exc)
            else:
                return {"type": kind, "payload": {"token": token}}
            if delay is None:
                break
            logger.warning("MAX upload failed ({}), retry in {}s", problem, delay)
            await asyncio.sleep(delay)
        raise MaxUnavailable(f"upload: {problem}")

    async def get_updates(
        self,
        marker: int | None = None,
        *,
        limit: int = 100,
        wait: int = 30,
        types: Sequence[str] = (),
    ) -> UpdateBatch:
        """Long polling, for development: MAX holds the request up to ``wait`` seconds."""
        query = {"limit": str(limit), "timeout": str(wait)}
        if marker is not None:
            query["marker"] = str(marker)
        if types:
            query["types"] = ",".join(types)
        answer = await self._call("GET", "/updates", query=query, seconds=wait + 10.0)
        found = answer.get("marker")
        return UpdateBatch(list(answer["updates"]), int(found) if found is not None else None)

    async def subscribe(
        self, url: str, *, update_types: Sequence[str] = (), secret: str | None = None
    ) -> None:
        body: dict[str, Any] = {"url": url}
        if update_types:
            body["update_types"] = list(update_types)
        if secret is not None:
            body["secret"] = secret
        await self._call("POST", "/subscriptions", body=body)

    async def unsubscribe(self, url: str) -> None:
        await self._call("DELETE", "/subscriptions", query={"url": url})

    async def subscriptions(self) -> list[Subscription]:
        answer = await self._call("GET", "/subscriptions")
        return [
            Subscription(str(s["url"]), int(s["time"]), s.get("update_types"))
            for s in answer["subscriptions"]
        ]

    # -- transport ----------------------------------------------------------------------------

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=self._ssl))
        return self._session

    async def _call(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
        idempotent: bool = True,
        pace: RateLimiter | None = None,
        seconds: float = REQUEST_TIMEOUT,
    ) -> dict[str, Any]:
        what = f"{method} {path}"
        problem = ""
        for attempt, delay in enumerate((*self.retry_delays, None)):
            if pace is not None:
                await pace.acquire()
            await self.limiter.acquire()
            try:
                async with self._client().request(
                    method,
                    self.url + path,
                    params=query,
                    json=body,
                    headers={"Authorization": self._token},
                    timeout=aiohttp.ClientTimeout(total=seconds),
                ) as response:
                    status, text = response.status, await response.text()
            except (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError) as exc:
                raise MaxTlsError(
                    f"{what}: {exc}. MAX's servers need the Russian Ministry of Digital "
                    "Development's root certificate: give its file as the CA file setting"
                ) from exc
            except aiohttp.ClientConnectorError as exc:
                problem = f"{type(exc).__name__}: {exc}"  # never connected: nothing was done
            except (TimeoutError, aiohttp.ClientError) as exc:
                problem = f"{type(exc).__name__}: {exc}"
                if not idempotent:
                    raise MaxOutcomeUnknown(f"{what}: {problem}") from exc
            else:
                parsed = _json(text)
                if 200 <= status < 300 and parsed is not None:
                    return parsed
                code = str((parsed or {}).get("code", ""))
                message = str((parsed or {}).get("message", text[:200]))
                if status not in RETRIED_STATUSES and code not in RETRIED_CODES:
                    raise MaxApiError(status, code or "http", message)
                problem = f"HTTP {status} {code}".rstrip()
            if delay is None:
                break
            logger.warning("MAX {} failed ({}), retry {} in {}s", what, problem, attempt + 1, delay)
            await asyncio.sleep(delay)
        raise MaxUnavailable(f"{what}: {problem}")

    async def _send_file(self, url: str, data: bytes, filename: str) -> str:
        form = aiohttp.FormData()
        form.add_field("data", data, filename=filename)
        # The upload URL is MAX's storage, not the API: no token there, and no API rate limit.
        try:
            async with self._client().post(
                url, data=form, timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT * 4)
            ) as response:
                status, text = response.status, await response.text()
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise MaxUnavailable(f"upload: {type(exc).__name__}: {exc}") from exc
        parsed = _json(text)
        if not 200 <= status < 300 or parsed is None:
            if status in RETRIED_STATUSES:
                raise MaxUnavailable(f"upload: HTTP {status}")
            raise MaxApiError(status, str((parsed or {}).get("code", "upload")), text[:200])
        if "token" in parsed:
            return str(parsed["token"])
        photos = parsed.get("photos")
        if isinstance(photos, dict) and photos:
            return str(next(iter(photos.values()))["token"])
        raise MaxApiError(status, "upload", f"no token in the upload answer: {text[:200]}")


def update_key(update: Update) -> str:
    """A stable id for an update, which MAX does not give: the durable inbox drops a repeat by
    it (a webhook delivery MAX retries because our answer was lost carries the same one).

    Prefixed so that it never equals a VK event_id in a table both messengers share.
    """
    kind = str(update.get("update_type"))
    if kind == "message_created":
        return f"max:m:{update['message']['body']['mid']}"
    if kind == "message_callback":
        return f"max:c:{update['callback']['callback_id']}"
    where = update.get("chat_id") or (update.get("user") or {}).get("user_id")
    return f"max:{kind}:{where}:{update.get('timestamp')}"


def update_user(update: Update) -> int | None:
    """The person an update comes from, for per-person ordering; None for what no person sent."""
    kind = update.get("update_type")
    if kind == "message_created":
        sender = update["message"].get("sender") or {}
        return int(sender["user_id"]) if "user_id" in sender else None
    source = update.get("callback", {}) if kind == "message_callback" else update
    user = source.get("user") or {}
    return int(user["user_id"]) if "user_id" in user else None


def _sent(message: dict[str, Any]) -> SentMessage:
    body, recipient = message["body"], message["recipient"]
    return SentMessage(
        str(body["mid"]), int(recipient["chat_id"]), int(body["seq"]), int(message["timestamp"])
    )


def _json(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
