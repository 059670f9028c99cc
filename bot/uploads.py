"""VK's upload chain for messages: ask for a server, POST the file there, save it, attach it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aiohttp

if TYPE_CHECKING:
    from bot.messenger import Messenger


async def _post(url: str, field: str, filename: str, data: bytes, content_type: str) -> Any:
    form = aiohttp.FormData()
    form.add_field(field, data, filename=filename, content_type=content_type)
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=form, timeout=aiohttp.ClientTimeout(total=60)) as response,
    ):
        return await response.json(content_type=None)


async def upload_photo(messenger: Messenger, peer_id: int, png: bytes) -> str:
    """Upload a PNG for a message to `peer_id`; returns the attachment string photo<owner>_<id>."""
    server = await messenger.call("photos.getMessagesUploadServer", peer_id=peer_id)
    uploaded = await _post(server["upload_url"], "photo", "qr.png", png, "image/png")
    saved = await messenger.call(
        "photos.saveMessagesPhoto",
        photo=uploaded["photo"],
        server=uploaded["server"],
        hash=uploaded["hash"],
    )
    photo = saved[0]
    access = f"_{photo['access_key']}" if photo.get("access_key") else ""
    return f"photo{photo['owner_id']}_{photo['id']}{access}"


async def upload_document(messenger: Messenger, peer_id: int, filename: str, data: bytes) -> str:
    """Upload a file as a message document; returns the attachment string doc<owner>_<id>."""
    server = await messenger.call("docs.getMessagesUploadServer", peer_id=peer_id, type="doc")
    uploaded = await _post(server["upload_url"], "file", filename, data, "text/csv")
    saved = await messenger.call("docs.save", file=uploaded["file"], title=filename)
    doc = saved["doc"]
    return f"doc{doc['owner_id']}_{doc['id']}"
