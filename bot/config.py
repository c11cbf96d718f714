"""Settings from the environment (prefix ``SHRAM_``), in one place.

    SHRAM_DATA_DIR          where the SQLite file and a development key live (./data)
    SHRAM_DATABASE_URL      sqlite:///path/to/file.db (default: <data dir>/shram.db), or
                            postgresql://user:password@host:5432/database for several processes
    SHRAM_DATABASE_POOL_SIZE  PostgreSQL: connections per process (default 20; one per worker
                            being served at the moment)
    SHRAM_VAULT_KEY         base64 (url-safe) of 32 random bytes: the data-encryption key
    SHRAM_PRODUCTION        true: refuse to start without SHRAM_VAULT_KEY
    SHRAM_LANGUAGES         the languages offered, comma-separated codes of folders in locales/
                            (default: every one there but those for tests only; see docs/languages.md)
    SHRAM_DEFAULT_LANGUAGE  one of them: the language offered first when Telegram does not say
                            (default: the one whose locales/<code>/language.json says "default")

Telegram:
    SHRAM_BOT_TOKEN         the token @BotFather gave
    SHRAM_BOT_API_URL       the Bot API server (default https://api.telegram.org); a
                            self-hosted server or an emulator: its root, e.g. http://127.0.0.1:8081
    SHRAM_WEBHOOK_URL       webhook mode: the public https URL Telegram posts updates to;
                            set, the bot registers it at start
    SHRAM_WEBHOOK_SECRET    webhook mode: the secret Telegram sends in every request (1-256 of A-Z a-z 0-9 _ -)
    SHRAM_WEBHOOK_PATH      the path the endpoint listens on (default /telegram)
    SHRAM_ADMINS            Telegram user ids (comma-separated) of the CSC desk's administrators
    SHRAM_MAX_MESSAGES_PER_SECOND  overall send rate (default 30, Telegram's limit for a bot;
                            0: no overall limit, for bots whose limit Telegram has raised)
"""
from __future__ import annotations

import base64
import logging
import os
import re
import secrets
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot import i18n

log = logging.getLogger(__name__)

#: Telegram allows 1-256 of these; we ask for at least 16 so it cannot be guessed
WEBHOOK_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{16,256}$")


class ConfigError(RuntimeError):
    """The settings do not allow a safe start."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHRAM_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str | None = None
    database_pool_size: int = Field(default=20, ge=2)
    vault_key: SecretStr | None = None
    production: bool = False
    #: comma-separated language codes (folders of locales/); empty: every language there
    languages: str = ""
    #: one of ``languages``; None: the one the languages' data names (filled in when loaded)
    default_language: str | None = None

    bot_token: SecretStr | None = None
    bot_api_url: str = "https://api.telegram.org"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_path: str = "/telegram"
    max_messages_per_second: float = Field(default=30, ge=0)
    #: the hour (India time, 0-23) of officials' daily digest (bot.reports.digest)
    digest_hour: int = Field(default=8, ge=0, le=23)
    #: Telegram user ids of the desk's administrators, comma-separated
    admins: str = ""

    @model_validator(mode="after")
    def _languages_present(self) -> Settings:
        """Every language named has its catalogue; the default is one of them."""
        codes = self.language_codes()
        unknown = [code for code in (*codes, self.default_language or "") if code and code not in i18n.present()]
        if unknown:
            raise ConfigError(f"SHRAM_LANGUAGES / SHRAM_DEFAULT_LANGUAGE: no catalogue for {', '.join(unknown)} "
                              f"in {i18n.LOCALES_DIR} (present: {', '.join(i18n.present())})")
        offered = i18n.offerable(codes)
        if not offered:
            raise ConfigError(f"no language to offer: {i18n.LOCALES_DIR} has no catalogue")
        if self.default_language is None:
            self.default_language = i18n.default_among(offered)
        elif self.default_language not in offered:
            raise ConfigError(f"SHRAM_DEFAULT_LANGUAGE {self.default_language} is not one of "
                              f"SHRAM_LANGUAGES ({', '.join(offered)})")
        return self

    def language_codes(self) -> tuple[str, ...]:
        """The codes ``languages`` names, in order (empty: not narrowed)."""
        return tuple(dict.fromkeys(code.strip() for code in self.languages.split(",") if code.strip()))

    def configure_languages(self) -> None:
        """Put these languages in force for the process (``bot.i18n.configure``)."""
        i18n.configure(self.language_codes(), default=self.default_language)

    def token(self) -> str:
        if self.bot_token is None or not self.bot_token.get_secret_value().strip():
            raise ConfigError("SHRAM_BOT_TOKEN is not set: create a bot with @BotFather in Telegram "
                              "and put the token it gives in SHRAM_BOT_TOKEN")
        return self.bot_token.get_secret_value().strip()

    def secret_for_webhook(self) -> str:
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        if not WEBHOOK_SECRET_RE.match(secret):
            raise ConfigError("webhook mode needs SHRAM_WEBHOOK_SECRET: 16-256 characters of "
                              "A-Z, a-z, 0-9, _ and - (e.g. from `python -c 'import secrets; "
                              "print(secrets.token_urlsafe(32))'`)")
        return secret

    def bot_api_urls(self) -> tuple[str, str]:
        """(base_url, base_file_url) as python-telegram-bot wants them: a
        server root gets the standard /bot and /file/bot paths; a URL that
        already ends in /bot is taken as it is."""
        root = self.bot_api_url.strip().rstrip("/")
        if root.endswith("/bot"):
            return root, root[: -len("/bot")] + "/file/bot"
        return root + "/bot", root + "/file/bot"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'shram.db'}"

    def master_key(self) -> bytes:
        """The 32-byte data-encryption key.

        Taken from SHRAM_VAULT_KEY. Without it: in production refuse to start;
        in development use (or create) ``<data dir>/vault.key`` and warn. The
        key file is created 0600 in a 0700 folder (``bot.store.files``).
        """
        if self.vault_key is not None:
            return decode_key(self.vault_key.get_secret_value())
        if self.production:
            raise ConfigError("SHRAM_VAULT_KEY must be set when SHRAM_PRODUCTION is true")
        from bot.store.files import private_file, private_folder  # the store's rules for its files

        path = self.data_dir / "vault.key"
        if path.exists():
            private_file(path)  # tightened if it was left open to others
            return decode_key(path.read_text().strip())
        private_folder(path.parent)
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


def load_settings() -> Settings:
    """The settings from the environment, their languages put in force: what
    every runner calls at startup."""
    settings = Settings()
    settings.configure_languages()
    return settings
