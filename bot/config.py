"""Settings from the environment and `.env`; a bad value stops start-up with one clear line."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# How to fix each setting, shown when it is missing or invalid.
HINTS: dict[str, str] = {
    "VK_TOKEN": "put the community access token (Управление → Работа с API → Ключи доступа)",
    "VK_GROUP_ID": "put the numeric id of the community (a positive integer, without 'club')",
    "VK_API_URL": "use an http(s) URL ending with '/', e.g. https://api.vk.com/method/",
    "VK_API_VERSION": "use 5.199",
    "VK_RPS": "use a whole number of API requests per second, 1..1000 (VK allows 20)",
    "SUPERADMIN_IDS": "use comma-separated VK user ids, e.g. 1,2,3",
    "DATABASE_PATH": "use a writable file path, e.g. data/bot.sqlite3",
    "DEFAULT_LOCALE": "use ru or en",
    "LOG_LEVEL": "use one of TRACE, DEBUG, INFO, WARNING, ERROR",
    "LOG_FORMAT": "use text or json",
    "UPDATE_MAX_ATTEMPTS": "use a whole number of attempts, 1..100",
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
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

    @field_validator("database_path")
    @classmethod
    def _db_path(cls, value: Path) -> Path:
        value.parent.mkdir(parents=True, exist_ok=True)
        return value


def vk_community_configured(env_file: str = ".env") -> bool:
    """Whether VK_TOKEN or VK_GROUP_ID is set, in the environment or .env. Without either,
    `python -m bot` runs the sandbox; with one, it is a production start whose missing or bad
    settings stop it, so a half-configured deployment never falls into the sandbox."""
    names = ("VK_TOKEN", "VK_GROUP_ID")
    if any(k.upper() in names and v.strip() for k, v in os.environ.items()):
        return True
    if not Path(env_file).is_file():
        return False
    from dotenv import dotenv_values

    values = dotenv_values(env_file)
    return any(k.upper() in names and (v or "").strip() for k, v in values.items())


class SettingsError(Exception):
    """One line for the operator: which setting and how to fix it."""


def load_settings(env_file: str | None = ".env", **overrides: object) -> Settings:
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[arg-type,call-arg]
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]).upper() if err["loc"] else "?"
        problem = "is missing" if err["type"] == "missing" else f"is invalid ({err['msg']})"
        hint = HINTS.get(name, "see .env.example")
        raise SettingsError(f"Setting {name} {problem}: {hint}.") from None
    except OSError as exc:
        raise SettingsError(
            f"Setting DATABASE_PATH is invalid ({exc}): {HINTS['DATABASE_PATH']}."
        ) from None
