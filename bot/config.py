"""Settings from the environment and `.env`; bad values stop start-up with one line each."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENV_FILE = ".env"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=ENV_FILE, env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    # VK, MAX or both: VK needs VK_TOKEN and VK_GROUP_ID, MAX needs MAX_TOKEN (see configured()).
    vk_token: SecretStr = SecretStr("")
    vk_group_id: int = Field(default=0, ge=0)
    vk_api_url: str = "https://api.vk.com/method/"
    vk_api_version: Literal["5.199"] = "5.199"
    vk_rps: int = Field(default=20, ge=1, le=1000)
    superadmin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    database_path: Path = Path("data/bot.sqlite3")
    default_locale: Literal["ru", "en"] = "ru"
    log_level: Literal["TRACE", "DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"

    # How VK delivers updates: the bot polls (longpoll) or VK posts to our endpoint (callback).
    vk_mode: Literal["longpoll", "callback"] = "longpoll"
    callback_url: str = ""
    callback_secret: SecretStr = SecretStr("")
    callback_host: str = "127.0.0.1"
    callback_port: int = Field(default=8080, ge=0, le=65535)
    # MAX (dev.max.ru): the bot's token from MAX's platform for businesses.
    max_token: SecretStr = SecretStr("")
    max_api_url: str = "https://platform-api2.max.ru"
    # How MAX delivers updates: the bot long-polls (development) or MAX posts to a webhook.
    max_mode: Literal["polling", "webhook"] = "polling"
    max_webhook_url: str = ""
    max_webhook_secret: SecretStr = SecretStr("")
    max_webhook_host: str = "127.0.0.1"
    max_webhook_port: int = Field(default=8081, ge=0, le=65535)
    # The Russian Ministry of Digital Development's root CA, which MAX's servers need, when the
    # system's trust store lacks it.
    max_ca_file: Path | None = None
    max_rps: int = Field(default=30, ge=1, le=30)
    max_superadmin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    # 0 keeps /healthz and /metrics off; they listen on 127.0.0.1 only.
    health_port: int = Field(default=0, ge=0, le=65535)
    # Empty keeps daily backups off.
    backup_dir: Path | None = None
    backup_keep: int = Field(default=7, ge=1, le=1000)

    # Product rules (documented in the README; defaults follow the issues).
    apply_cooldown_hours: float = Field(default=24, ge=0)
    max_open_applications: int = Field(default=5, ge=1)
    submissions_per_hour: int = Field(default=10, ge=1)
    remind_after_hours: float = Field(default=24, gt=0)
    expire_after_days: float = Field(default=14, gt=0)
    wrong_codes_limit: int = Field(default=5, ge=1)
    wrong_codes_window_minutes: float = Field(default=10, gt=0)

    @field_validator("vk_api_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or not value.endswith("/"):
            raise ValueError("must be an http(s) URL ending with '/'")
        return value

    @field_validator("max_api_url")
    @classmethod
    def _max_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value.rstrip("/")

    @field_validator("max_webhook_url")
    @classmethod
    def _max_webhook_url(cls, value: str) -> str:
        # MAX posts only to https:// addresses; plain http is for the bot's own tests.
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("must be an https URL")
        return value

    @field_validator("callback_url")
    @classmethod
    def _callback_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value

    @field_validator("backup_dir", "max_ca_file", mode="before")
    @classmethod
    def _backup_dir(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("superadmin_ids", "max_superadmin_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        if isinstance(value, int):
            return frozenset({value})
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            if not all(p.isdigit() and int(p) > 0 for p in parts):
                raise ValueError("must be comma-separated positive integers")
            return frozenset(int(p) for p in parts)
        return value

    @property
    def vk_enabled(self) -> bool:
        return bool(self.vk_token.get_secret_value()) and self.vk_group_id > 0

    @property
    def max_enabled(self) -> bool:
        return bool(self.max_token.get_secret_value())

    @property
    def max_webhook_path(self) -> str:
        from urllib.parse import urlsplit

        return (
            urlsplit(self.max_webhook_url).path or "/" if self.max_webhook_url else "/max/webhook"
        )

    def secrets(self) -> tuple[str, ...]:
        """What the logs must never show."""
        tokens = (self.vk_token, self.max_token, self.max_webhook_secret, self.callback_secret)
        return tuple(t.get_secret_value() for t in tokens if t.get_secret_value())

    @property
    def callback_path(self) -> str:
        """Where the endpoint listens: the path of CALLBACK_URL (the proxy forwards it as is)."""
        from urllib.parse import urlsplit

        return urlsplit(self.callback_url).path or "/" if self.callback_url else "/vk/callback"


def vk_community_configured(env_file: str = ".env") -> bool:
    """Whether VK_TOKEN, VK_GROUP_ID or MAX_TOKEN is set, in the environment or .env. Without
    any, `python -m bot` runs the sandbox; with one, it is a production start whose missing or
    bad settings stop it, so a half-configured deployment never falls into the sandbox."""
    names = ("VK_TOKEN", "VK_GROUP_ID", "MAX_TOKEN")
    # Present but empty counts too: an .env copied from .env.example is a production start
    # whose empty settings are reported, not a sandbox.
    if any(k.upper() in names for k in os.environ):
        return True
    if not Path(env_file).is_file():
        return False
    from dotenv import dotenv_values

    return any(k.upper() in names for k in dotenv_values(env_file))


class _Given(BaseSettings):
    """The settings that say which messengers are configured, as given (unvalidated)."""

    model_config = SettingsConfigDict(
        env_file=ENV_FILE, env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    vk_token: object = ""
    vk_group_id: object = ""
    max_token: object = ""
    max_mode: object = ""
    max_webhook_url: object = ""


def _incomplete(env_file: str | None, overrides: dict[str, object]) -> list[tuple[str, str]]:
    """(name, problem) for what one messenger needs that is not there: VK wants its token and
    its community, at least one messenger must be configured, MAX's webhook mode its address.
    A name given empty is "settings-empty", one not given "settings-missing"."""
    given = _Given(_env_file=env_file, **overrides)  # type: ignore[arg-type,call-arg]
    values = {name: str(getattr(given, name)).strip() for name in _Given.model_fields}

    def problem(name: str) -> tuple[str, str]:
        if values[name]:
            return name.upper(), "settings-invalid"
        kind = "settings-empty" if name in given.model_fields_set else "settings-missing"
        return name.upper(), kind

    vk_token, group = bool(values["vk_token"]), values["vk_group_id"] not in ("", "0")
    found = []
    if vk_token != group or not (vk_token or values["max_token"]):
        found += [
            problem(n) for n, have in (("vk_token", vk_token), ("vk_group_id", group)) if not have
        ]
    if values["max_token"] and values["max_mode"] == "webhook" and not values["max_webhook_url"]:
        found.append(problem("max_webhook_url"))
    return found


class SettingsError(Exception):
    """A message for the operator: every bad setting on its own line, with how to fix it."""


def env_file_line(env_file: str | None) -> str:
    """Which .env was read, or where it was looked for: a wrong working folder is common."""
    from bot.deployer import say

    if env_file is None:
        return say("settings-env-none")
    path = Path(env_file).absolute()
    if path.is_file():
        return say("settings-env-read", path=str(path))
    return say("settings-env-missing", path=str(path))


def load_settings(env_file: str | None = ENV_FILE, **overrides: object) -> Settings:
    from bot.deployer import say

    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    settings = None
    try:
        settings = Settings(_env_file=env_file, **overrides)  # type: ignore[arg-type,call-arg]
    except ValidationError as exc:
        for err in exc.errors():
            name = str(err["loc"][0]).upper() if err["loc"] else "?"
            if name in seen:
                continue
            seen.add(name)
            given = err.get("input")
            if err["type"] == "missing":
                problem = "settings-missing"
            elif isinstance(given, str) and not given.strip():
                problem = "settings-empty"
            else:
                problem = "settings-invalid"
            found.append((name, problem))
    found += [(n, p) for n, p in _incomplete(env_file, overrides) if n not in seen]
    if settings is not None and not found:
        return settings
    order = [name.upper() for name in Settings.model_fields]
    found.sort(key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    lines = [say("settings-bad", source=env_file_line(env_file))]
    for name, problem in found:
        lines.append(say(problem, name=name, hint=say("hint-" + name.lower().replace("_", "-"))))
    raise SettingsError("\n".join(lines)) from None
