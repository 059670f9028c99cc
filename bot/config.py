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

    vk_token: SecretStr = Field(min_length=1)
    vk_group_id: int = Field(gt=0)
    vk_api_url: str = "https://api.vk.com/method/"
    vk_api_version: Literal["5.199"] = "5.199"
    vk_rps: int = Field(default=20, ge=1, le=1000)
    superadmin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    database_path: Path = Path("data/bot.sqlite3")
    default_locale: Literal["ru", "en"] = "ru"
    log_level: Literal["TRACE", "DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    # Runs of one update (a kill -9 mid-way counts) before it is marked failed with an apology.
    update_max_attempts: int = Field(default=3, ge=1, le=100)

    # How VK delivers updates: the bot polls (longpoll) or VK posts to our endpoint (callback).
    vk_mode: Literal["longpoll", "callback"] = "longpoll"
    callback_url: str = ""
    callback_secret: SecretStr = SecretStr("")
    callback_host: str = "127.0.0.1"
    callback_port: int = Field(default=8080, ge=0, le=65535)
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

    @field_validator("callback_url")
    @classmethod
    def _callback_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value

    @field_validator("backup_dir", mode="before")
    @classmethod
    def _backup_dir(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("superadmin_ids", mode="before")
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
    def callback_path(self) -> str:
        """Where the endpoint listens: the path of CALLBACK_URL (the proxy forwards it as is)."""
        from urllib.parse import urlsplit

        return urlsplit(self.callback_url).path or "/" if self.callback_url else "/vk/callback"


def vk_community_configured(env_file: str = ".env") -> bool:
    """Whether VK_TOKEN or VK_GROUP_ID is set, in the environment or .env. Without either,
    `python -m bot` runs the sandbox; with one, it is a production start whose missing or bad
    settings stop it, so a half-configured deployment never falls into the sandbox."""
    names = ("VK_TOKEN", "VK_GROUP_ID")
    # Present but empty counts too: an .env copied from .env.example is a production start
    # whose empty settings are reported, not a sandbox.
    if any(k.upper() in names for k in os.environ):
        return True
    if not Path(env_file).is_file():
        return False
    from dotenv import dotenv_values

    return any(k.upper() in names for k in dotenv_values(env_file))


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
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        from bot.deployer import say

        lines, seen = [say("settings-bad", source=env_file_line(env_file))], set()
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
            hint = say("hint-" + name.lower().replace("_", "-"))
            lines.append(say(problem, name=name, hint=hint))
        raise SettingsError("\n".join(lines)) from None
