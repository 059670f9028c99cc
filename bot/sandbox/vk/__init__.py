"""A local VK API emulator and a person-like VK Messenger client for end-to-end bot tests."""

from .client import Button, SentMessage, UserClient
from .schema import SchemaViolation
from .server import Emulator

__all__ = ["Button", "Emulator", "SchemaViolation", "SentMessage", "UserClient"]
