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

Telegram (one bot, or several sharing the database and the desk: ``telegram_bots``):
    SHRAM_BOT_TOKEN         the token @BotFather gave (one bot)
    SHRAM_BOT_TOKENS        several bots: their tokens, comma-separated (each bot's webhook path,
                            URL and secret derived from SHRAM_WEBHOOK_PATH, _URL and _SECRET and its id)
    SHRAM_BOTS              several bots as JSON: a list of tokens or of objects
                            {"token": ..., "webhook_path": ..., "webhook_secret": ..., "webhook_url": ...}
                            (what an object leaves out is derived as for SHRAM_BOT_TOKENS)
    SHRAM_BOT_API_URL       the Bot API server (default https://api.telegram.org); a
                            self-hosted server or an emulator: its root, e.g. http://127.0.0.1:8081
    SHRAM_WEBHOOK_URL       webhook mode: the public https URL Telegram posts updates to;
                            set, the bot registers it at start
    SHRAM_WEBHOOK_SECRET    webhook mode: the secret Telegram sends in every request (1-256 of A-Z a-z 0-9 _ -)
    SHRAM_WEBHOOK_PATH      the path the endpoint listens on (default /telegram)
    SHRAM_ADMINS            Telegram user ids (comma-separated) of the CSC desk's administrators
    SHRAM_MAX_MESSAGES_PER_SECOND  each bot's overall send rate (default 30, Telegram's limit for a bot;
                            0: no overall limit, for bots whose limit Telegram has raised)
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot import i18n

log = logging.getLogger(__name__)

#: Telegram allows 1-256 of these; we ask for at least 16 so it cannot be guessed
WEBHOOK_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{16,256}$")


#: a token as @BotFather gives it: the bot's id, a colon and the secret part
TOKEN_RE = re.compile(r"^([0-9]+):[A-Za-z0-9_-]+$")
#: what a bot of SHRAM_BOTS may say about itself
BOT_FIELDS = ("token", "webhook_path", "webhook_secret", "webhook_url")
#: the path of the health check, which no bot's webhook may take
HEALTH_PATH = "/healthz"


class ConfigError(RuntimeError):
    """The settings do not allow a safe start."""


@dataclass(frozen=True)
class TelegramBot:
    """One bot of the deployment: its token (never shown: not in its repr,
    nor in any message here) and, for webhook mode, the path it is served
    on, the secret Telegram sends with its updates and the public URL
    registered for it. Its ``id`` is the number before the token's colon."""
    token: str = field(repr=False)
    webhook_path: str
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_url: str | None = None

    @property
    def id(self) -> str:
        return bot_id(self.token)


def bot_id(token: str) -> str:
    """The bot's id: the number before the colon of its token."""
    return token.split(":", 1)[0]


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
    #: several bots: comma-separated tokens (SHRAM_BOT_TOKENS) or JSON (SHRAM_BOTS); see telegram_bots
    bot_tokens: SecretStr | None = None
    bots: SecretStr | None = None
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
        """The token of the first (or only) bot."""
        return self.telegram_bots()[0].token

    def telegram_bots(self) -> tuple[TelegramBot, ...]:
        """The bots this deployment runs, in the order given (the first one
        reaches the users the store names no bot for: those who wrote before
        there were several). One of three settings names them:

        - SHRAM_BOT_TOKEN: one bot, on SHRAM_WEBHOOK_PATH with SHRAM_WEBHOOK_SECRET
          and SHRAM_WEBHOOK_URL as they are;
        - SHRAM_BOT_TOKENS: several, comma-separated; each is served on
          ``<SHRAM_WEBHOOK_PATH>/<bot id>``, registered as
          ``<SHRAM_WEBHOOK_URL>/<bot id>``, with its own secret derived from
          SHRAM_WEBHOOK_SECRET (``derived_secret``);
        - SHRAM_BOTS: a JSON list of tokens, or of objects that may give a
          bot's ``webhook_path``, ``webhook_secret`` and ``webhook_url``;
          what one leaves out is derived as for SHRAM_BOT_TOKENS.

        Raises ConfigError, naming the setting and the bot's place in it
        (never a token), for no bot, two settings at once, a value that is
        not a token, the same bot twice or two bots on one path."""
        given = self._bots_setting()
        if given == "SHRAM_BOT_TOKEN":
            token = _secret(self.bot_token)
            _check_token(token, "SHRAM_BOT_TOKEN")
            return (TelegramBot(token, _path(self.webhook_path, "SHRAM_WEBHOOK_PATH"),
                                _secret(self.webhook_secret) or None, self.webhook_url or None),)
        if given == "SHRAM_BOT_TOKENS":
            tokens = [part.strip() for part in _secret(self.bot_tokens).split(",") if part.strip()]
            if not tokens:
                raise ConfigError("SHRAM_BOT_TOKENS names no bot: give their tokens, comma-separated")
            bots = tuple(self._listed({"token": token}, f"SHRAM_BOT_TOKENS: token {n}")
                         for n, token in enumerate(tokens, 1))
        else:
            bots = tuple(self._listed(entry, f"SHRAM_BOTS: bot {n}")
                         for n, entry in enumerate(_json_list(_secret(self.bots)), 1))
        return _distinct(bots, given)

    def _bots_setting(self) -> str:
        """Which of SHRAM_BOT_TOKEN, SHRAM_BOT_TOKENS and SHRAM_BOTS names the bots."""
        given = [name for name, value in (("SHRAM_BOT_TOKEN", self.bot_token), ("SHRAM_BOT_TOKENS", self.bot_tokens),
                                          ("SHRAM_BOTS", self.bots)) if _secret(value)]
        if not given:
            raise ConfigError("SHRAM_BOT_TOKEN is not set: create a bot with @BotFather in Telegram "
                              "and put the token it gives in SHRAM_BOT_TOKEN (several bots: SHRAM_BOT_TOKENS "
                              "or SHRAM_BOTS)")
        if len(given) > 1:
            raise ConfigError(f"{' and '.join(given)} are both set: name the bots in one of them")
        return given[0]

    def webhook_bots(self) -> tuple[TelegramBot, ...]:
        """``telegram_bots``, each with a webhook secret Telegram accepts and
        that cannot be guessed (webhook mode); ConfigError otherwise."""
        bots = self.telegram_bots()
        setting = self._bots_setting()
        for n, bot in enumerate(bots, 1):
            if bot.webhook_secret is None or not WEBHOOK_SECRET_RE.match(bot.webhook_secret):
                whose = "SHRAM_WEBHOOK_SECRET" if setting == "SHRAM_BOT_TOKEN" else \
                    f"a secret for bot {n} of {setting} (its webhook_secret, or SHRAM_WEBHOOK_SECRET to derive one)"
                raise ConfigError(f"webhook mode needs {whose}: 16-256 characters of "
                                  "A-Z, a-z, 0-9, _ and - (e.g. from `python -c 'import secrets; "
                                  "print(secrets.token_urlsafe(32))'`)")
        return bots

    def _listed(self, entry: Any, where: str) -> TelegramBot:
        """A bot of SHRAM_BOT_TOKENS or SHRAM_BOTS, what it leaves out derived."""
        if isinstance(entry, str):
            entry = {"token": entry}
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: give a token or an object with {', '.join(BOT_FIELDS)}")
        unknown = sorted(set(entry) - set(BOT_FIELDS))
        if unknown:
            raise ConfigError(f"{where}: unknown field(s) {', '.join(unknown)} (known: {', '.join(BOT_FIELDS)})")
        if any(value is not None and not isinstance(value, str) for value in entry.values()):
            raise ConfigError(f"{where}: every field is text")
        token = (entry.get("token") or "").strip()
        _check_token(token, where)
        number = bot_id(token)
        path = entry.get("webhook_path") or f"{self.webhook_path.rstrip('/')}/{number}"
        secret = entry.get("webhook_secret")
        if not secret and WEBHOOK_SECRET_RE.match(_secret(self.webhook_secret)):
            secret = derived_secret(_secret(self.webhook_secret), number)
        url = entry.get("webhook_url") or (f"{self.webhook_url.rstrip('/')}/{number}" if self.webhook_url else None)
        return TelegramBot(token, _path(path, f"{where}: webhook_path"), secret or None, url)

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


def derived_secret(secret: str, number: str) -> str:
    """A bot's own webhook secret, from SHRAM_WEBHOOK_SECRET and the bot's
    id: 43 characters of A-Z a-z 0-9 _ -, another for every bot, and none
    of them telling another's or the one they come from."""
    digest = hmac.new(secret.encode(), b"shram-sahayak webhook of bot " + number.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value().strip() if value is not None else ""


def _check_token(token: str, where: str) -> None:
    if not TOKEN_RE.match(token):
        raise ConfigError(f"{where} is not a bot token: @BotFather gives one like 123456789:AAE... "
                          "(the bot's id, a colon, then letters, digits, _ and -)")


def _path(path: str, where: str) -> str:
    """A webhook path as the server compares it: one leading slash, none at the end."""
    shown = "/" + path.strip().strip("/")
    if shown == "/" or shown == HEALTH_PATH or any(ch.isspace() or ch in "?#" for ch in shown):
        raise ConfigError(f"{where} must be a path such as /telegram (not / nor {HEALTH_PATH}; "
                          "no spaces, ? or #)")
    return shown


def _json_list(text: str) -> list:
    try:
        entries = json.loads(text)
    except ValueError as exc:  # the message names the place, never the text (it holds tokens)
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise ConfigError(f"SHRAM_BOTS is not JSON{where}: give a list such as "
                          '[{"token": "123:AAE..."}, {"token": "456:AAF..."}]') from None
    if not isinstance(entries, list) or not entries:
        raise ConfigError("SHRAM_BOTS must be a JSON list with at least one bot")
    return entries


def _distinct(bots: tuple[TelegramBot, ...], setting: str) -> tuple[TelegramBot, ...]:
    """``bots``, if no bot is named twice and no two share a webhook path."""
    for said, key in (("are the same bot (one id before the colon)", lambda b: b.id),
                      ("have the same webhook path", lambda b: b.webhook_path)):
        seen: dict[str, int] = {}
        for n, bot in enumerate(bots, 1):
            if key(bot) in seen:
                raise ConfigError(f"{setting}: bots {seen[key(bot)]} and {n} {said}")
            seen[key(bot)] = n
    return bots


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
