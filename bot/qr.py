"""QR codes of invitation links as PNG pictures."""

from __future__ import annotations

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def qr_png(text: str) -> bytes:
    # Medium error correction survives a photo of a printed notice or a slightly blurred screen;
    # the 4-module border is the quiet zone scanners need.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()
