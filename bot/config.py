"""Settings from the environment (prefix ``SHRAM_``), in one place.

    SHRAM_DATA_DIR          where the SQLite file and a development key live (./data)
    SHRAM_DATABASE_URL      sqlite:///path/to/file.db (default: <data dir>/shram.db)
    SHRAM_VAULT_KEY         base64 (url-safe) of 32 random bytes: the data-encryption key
    SHRAM_PRODUCTION        true: refuse to start without SHRAM_VAULT_KEY
    SHRAM_DEFAULT_LANGUAGE  hi or en: the language offered first
"""
from __future__ import annotations

import base64
import logging
import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)


class ConfigError(RuntimeError):
    """The settings do not allow a safe start."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHRAM_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str | None = None
    vault_key: SecretStr | None = None
    production: bool = False
    default_language: Literal["hi", "en"] = "hi"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'shram.db'}"

    def master_key(self) -> bytes:
        """The 32-byte data-encryption key.

        Taken from SHRAM_VAULT_KEY. Without it: in production refuse to start;
        in development use (or create) ``<data dir>/vault.key`` and warn.
        """
        if self.vault_key is not None:
            return decode_key(self.vault_key.get_secret_value())
        if self.production:
            raise ConfigError("SHRAM_VAULT_KEY must be set when SHRAM_PRODUCTION is true")
        path = self.data_dir / "vault.key"
        if path.exists():
            return decode_key(path.read_text().strip())
        path.parent.mkdir(parents=True, exist_ok=True)
        key = new_key()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key + "\n")
        log.warning("no SHRAM_VAULT_KEY set: generated a development key in %s; "
                    "set SHRAM_VAULT_KEY in production", path)
        return decode_key(key)


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def decode_key(text: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.encode())
    except ValueError as exc:
        raise ConfigError("SHRAM_VAULT_KEY is not valid base64") from exc
    if len(raw) != 32:
        raise ConfigError("SHRAM_VAULT_KEY must decode to 32 bytes")
    return raw
