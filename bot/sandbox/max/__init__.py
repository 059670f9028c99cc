"""A local MAX Bot API emulator and a person-like MAX client for end-to-end bot tests."""

from .client import MaxButton, MaxMessage, MaxUser
from .schema import SchemaViolation
from .server import MaxEmulator, WebhookAttempt

__all__ = ["MaxButton", "MaxEmulator", "MaxMessage", "MaxUser", "SchemaViolation", "WebhookAttempt"]
