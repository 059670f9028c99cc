"""MAX's listening half of the messenger seam (bot/messengers.py): MAX's updates, by long
polling or by webhook, translated into the canonical (VK Bots Long Poll) shape and stored in the
same durable inbox as VK's, so the same per-person queues and handlers serve them.

- `message_created` in a dialog -> `message_new` (text, attachments by kind, the person's
  language as VK's lang_id, a client that has inline callback buttons and links);
- `message_callback` -> `message_event` (the payload, the pressed message's seq as its
  conversation_message_id, MAX's callback_id as the event's id to answer);
- `bot_started` -> `message_new` carrying VK's start-button payload and the deep link's
  `payload` as VK's `ref`, so an invitation link works as VK's `?ref=` does.

Each update's inbox key is bot.max_api.update_key (a redelivery repeats it, so the inbox drops
the repeat). In polling mode the marker is stored with the updates in one transaction, under
minus the bot's MAX user id in the cursor table (VK's community ids there are positive).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
from typing import Any

import aiohttp
from aiohttp import web
from loguru import logger

from bot import max_api
from bot.clock import Clock
from bot.config import Settings
from bot.max_api import BotInfo, MaxApi, MaxApiError, MaxTlsError, MaxUnavailable
from bot.max_messenger import NAME, MaxMessenger
from bot.updates import START_DELAYS, UpdateRunner
from storage.accounts import Account, AccountsRepo

UPDATE_TYPES = ("message_created", "message_callback", "bot_started")
SECRET_HEADER = "X-Max-Bot-Api-Secret"
# MAX's languages as VK's lang_id, which the handlers read (bot/i18n.py).
LANG_IDS = {"ru": 0, "en": 3}
# What a MAX client can show, in VK's client_info terms.
BUTTON_ACTIONS = ("text", "callback", "open_link")
# MAX's attachment kinds as VK's: a handler only asks whether a message is more than text.
ATTACHMENT_KINDS = {"image": "photo", "video": "video", "audio": "audio", "sticker": "sticker"}
START_PAYLOAD = json.dumps({"command": "start"})


class Translator:
    """MAX's updates as canonical ones; a MAX person's account made on first sight."""

    def __init__(
        self, accounts: AccountsRepo, outbound: MaxMessenger, clock: Clock, group_id: int
    ) -> None:
        self._accounts = accounts
        self._outbound = outbound
        self._clock = clock
        self._group_id = group_id
        self._seen: dict[str, Account] = {}

    async def account(self, user: dict[str, Any]) -> Account:
        external = str(user["user_id"])
        first = str(user.get("first_name") or user.get("name") or "")
        last = str(user.get("last_name") or "")
        known = self._seen.get(external)
        if known is not None and (known.first_name, known.last_name) == (first, last):
            return known
        account = await self._accounts.resolve(NAME, external, first, last, self._clock.now())
        self._seen[external] = account
        self._outbound.remember(account)
        return account

    async def canonical(self, update: dict[str, Any]) -> dict[str, Any] | None:
        """The update as the handlers read it, or None for what the bot does not serve
        (group chats, edits, the bot being added or removed)."""
        kind = update.get("update_type")
        if kind == "message_created":
            message = update.get("message") or {}
            if (message.get("recipient") or {}).get("chat_type") != "dialog":
                return None
            sender = message.get("sender") or {}
            if "user_id" not in sender or sender.get("is_bot"):
                return None
            account = await self.account(sender)
            body = message.get("body") or {}
            attachments = [
                {"type": ATTACHMENT_KINDS.get(str(a.get("type")), "doc")}
                for a in body.get("attachments") or []
                if a.get("type") != "inline_keyboard"
            ]
            obj = self._message(account, update, text=str(body.get("text") or ""))
            obj["message"] |= {
                "id": int(body.get("seq") or 0),
                "conversation_message_id": int(body.get("seq") or 0),
                "attachments": attachments,
            }
            return self._wrap("message_new", update, obj)
        if kind == "message_callback":
            callback = update.get("callback") or {}
            if "user_id" not in (callback.get("user") or {}):
                return None
            account = await self.account(callback["user"])
            pressed = ((update.get("message") or {}).get("body") or {}).get("seq")
            obj = {
                "user_id": account.id,
                "peer_id": account.id,
                "event_id": str(callback["callback_id"]),
                "payload": _payload(callback.get("payload")),
                "conversation_message_id": int(pressed or 0),
            }
            return self._wrap("message_event", update, obj)
        if kind == "bot_started":
            if "user_id" not in (update.get("user") or {}):
                return None
            account = await self.account(update["user"])
            obj = self._message(account, update, text="")
            obj["message"]["payload"] = START_PAYLOAD
            if update.get("payload"):
                obj["message"]["ref"] = str(update["payload"])
            return self._wrap("message_new", update, obj)
        return None

    def _message(self, account: Account, update: dict[str, Any], *, text: str) -> dict[str, Any]:
        locale = str(update.get("user_locale") or "")
        client: dict[str, Any] = {
            "button_actions": list(BUTTON_ACTIONS),
            "keyboard": False,
            "inline_keyboard": True,
            "carousel": False,
        }
        lang = LANG_IDS.get(locale.split("-")[0].split("_")[0].lower())
        if lang is not None:
            client["lang_id"] = lang
        message = {
            "id": 0,
            "date": int(update.get("timestamp") or 0) // 1000,
            "peer_id": account.id,
            "from_id": account.id,
            "text": text,
            "conversation_message_id": 0,
            "out": 0,
            "version": 0,
            "fwd_messages": [],
            "attachments": [],
            "important": False,
            "is_hidden": False,
        }
        return {"message": message, "client_info": client}

    def _wrap(self, kind: str, update: dict[str, Any], obj: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": kind,
            "event_id": max_api.update_key(update),
            "v": "5.199",
            "group_id": self._group_id,
            "object": obj,
            "messenger": NAME,
        }


def _payload(raw: object) -> dict[str, Any] | str | None:
    """VK delivers a press's payload as the JSON object it is; MAX as the string it was."""
    if not isinstance(raw, str):
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return raw
    return value if isinstance(value, dict) else raw


class MaxInbound:
    """Connects (GET /me, for the bot's name in links), then polls or serves the webhook."""

    def __init__(
        self,
        settings: Settings,
        api: MaxApi,
        translator: Translator,
        outbound: MaxMessenger,
        runner: UpdateRunner,
        *,
        wait: int = 30,
    ) -> None:
        self._settings = settings
        self._api = api
        self._translator = translator
        self._outbound = outbound
        self._runner = runner
        self._wait = wait
        self._stopping = asyncio.Event()
        self.connected = asyncio.Event()
        self.start_delays: tuple[float, ...] = START_DELAYS
        self._site: web.AppRunner | None = None
        self.port = 0
        self.me: BotInfo | None = None

    def stop(self) -> None:
        self._stopping.set()

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def serve(self) -> None:
        """Until stop(): a failure to reach MAX is retried with growing pauses."""
        me = await self._connect()
        if me is None:
            return
        self.me = me
        self._outbound.username = me.username or str(me.user_id)
        if self._settings.max_mode == "webhook":
            await self._serve_webhook()
        else:
            await self._poll(-me.user_id)

    async def _connect(self) -> BotInfo | None:
        attempt = 0
        while not self._stopping.is_set():
            try:
                me = await self._api.get_me()
            except (MaxUnavailable, MaxApiError, MaxTlsError) as exc:
                delay = self.start_delays[min(attempt, len(self.start_delays) - 1)]
                attempt += 1
                logger.error("MAX unreachable at start ({}); retry {} in {}s", exc, attempt, delay)
                await self._pause(delay)
                continue
            logger.info("Connected to MAX as @{} ({})", me.username, me.user_id)
            return me
        return None

    async def _translate(self, updates: list[dict[str, Any]]) -> list[dict[str, Any]]:
        found = []
        for update in updates:
            canonical = await self._translator.canonical(update)
            if canonical is None:
                logger.debug("MAX update {} not served", update.get("update_type"))
            else:
                found.append(canonical)
        return found

    # --- long polling (development) ------------------------------------------------------
    async def _poll(self, source: int) -> None:
        stored = await self._runner.cursor(source)
        marker = int(stored) if stored is not None else None
        failures = 0
        stop = asyncio.ensure_future(self._stopping.wait())
        try:
            while not self._stopping.is_set():
                poll = asyncio.ensure_future(
                    self._api.get_updates(marker, wait=self._wait, types=UPDATE_TYPES)
                )
                await asyncio.wait({poll, stop}, return_when=asyncio.FIRST_COMPLETED)
                if self._stopping.is_set():
                    poll.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await poll
                    break
                try:
                    batch = poll.result()
                except (MaxUnavailable, MaxApiError, aiohttp.ClientError) as exc:
                    # 405 while a webhook is set: polling waits until it is removed.
                    self.connected.clear()
                    failures = min(failures + 1, 60)
                    logger.warning("MAX long poll failed ({}), retrying", exc)
                    await self._pause(0.5 * failures)
                    continue
                failures = 0
                self.connected.set()
                updates = await self._translate(batch.updates)
                if batch.marker is not None:
                    marker = batch.marker
                    await self._runner.accept_polled(source, str(marker), updates)
                elif updates:
                    await self._runner.accept(updates)
        finally:
            stop.cancel()

    # --- webhook (production) ------------------------------------------------------------
    async def _serve_webhook(self) -> None:
        s = self._settings
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post(s.max_webhook_path, self._on_update)
        self._site = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._site.setup()
        try:
            await web.TCPSite(self._site, s.max_webhook_host, s.max_webhook_port).start()
            self.port = int(self._site.addresses[0][1])
            logger.info(
                "MAX webhook endpoint on {}:{}{}", s.max_webhook_host, self.port, s.max_webhook_path
            )
            await self._subscribe()
            await self._stopping.wait()
        finally:
            await self._site.cleanup()
            self._site = None

    async def _subscribe(self) -> None:
        """Registered at every start: MAX keeps one subscription per address, the latest."""
        s = self._settings
        secret = s.max_webhook_secret.get_secret_value() or None
        attempt = 0
        while not self._stopping.is_set():
            try:
                await self._api.subscribe(
                    s.max_webhook_url, update_types=UPDATE_TYPES, secret=secret
                )
            except MaxUnavailable as exc:
                delay = self.start_delays[min(attempt, len(self.start_delays) - 1)]
                attempt += 1
                logger.error("MAX subscription failed ({}); retry in {}s", exc, delay)
                await self._pause(delay)
                continue
            except MaxApiError as exc:
                logger.error("MAX refused the webhook {}: {}", s.max_webhook_url, exc)
                return
            logger.info("MAX posts updates to {}", s.max_webhook_url)
            self.connected.set()
            return

    async def _on_update(self, request: web.Request) -> web.StreamResponse:
        secret = self._settings.max_webhook_secret.get_secret_value()
        given = request.headers.get(SECRET_HEADER, "")
        if secret and not hmac.compare_digest(given.encode(), secret.encode()):
            logger.warning("MAX webhook post without the secret refused")
            return web.Response(status=403, text="forbidden")
        try:
            update: Any = json.loads(await request.text())
        except ValueError:
            update = None
        if not isinstance(update, dict):
            return web.Response(status=400, text="bad request")
        updates = await self._translate([update])
        if updates:
            # Stored before MAX hears 200; a repeat of a stored update is dropped by the inbox.
            await self._runner.accept(updates)
        return web.json_response({"success": True})
