"""Webhook mode (``shram-sahayak webhook``): a small ASGI app, served by
uvicorn.

    POST <SHRAM_WEBHOOK_PATH>   one update from Telegram. The request must carry
                                X-Telegram-Bot-Api-Secret-Token (401 if missing,
                                403 if wrong; nothing is read). With several bots,
                                each has its own path and secret (an ``Endpoint``):
                                a path accepts its own bot's secret only. Not JSON, or not an
                                update (whatever json.loads or Update.de_json raise on
                                it: nesting too deep, wrong types, out-of-range
                                dates...): 400. Otherwise the update is applied before
                                the answer (200), so an update Telegram does not get
                                a 200 for is sent again, and applied once.
    GET  /healthz               200 while the bot is up (for the load balancer)

Several processes can serve the same address: each update is applied once
(the store remembers applied update ids) whichever process gets it.
"""
from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from telegram import Bot, Message, Update
from telegram.ext import Application

from bot.channels.telegram.incoming import written

log = logging.getLogger(__name__)

MAX_BODY = 1 << 20  # an update is a few KB; refuse anything over 1 MiB
SECRET_HEADER = b"x-telegram-bot-api-secret-token"

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


@dataclass(frozen=True)
class Endpoint:
    """One bot's webhook: its Application, the secret Telegram sends with
    its updates, and the path they are posted to."""
    application: Application
    secret: str
    path: str


class WebhookApp:
    def __init__(self, application: Application, *, secret: str, path: str = "/telegram",
                 startup: Callable[[], Awaitable[None]] | None = None,
                 shutdown: Callable[[], Awaitable[None]] | None = None,
                 more: Iterable[Endpoint] = ()) -> None:
        """``application`` on ``path`` with ``secret``; ``more``: the other
        bots' endpoints, each on a path of its own."""
        self.application = application
        self.endpoints: dict[str, tuple[Application, bytes]] = {}
        for endpoint in (Endpoint(application, secret, path), *more):
            where = "/" + endpoint.path.strip("/")
            if where in self.endpoints:
                raise ValueError("two bots on one webhook path")
            self.endpoints[where] = (endpoint.application, endpoint.secret.encode())
        self.path = "/" + path.strip("/")
        self.startup = startup
        self.shutdown = shutdown

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return await self._lifespan(receive, send)
        if scope["type"] != "http":
            return
        path, method = scope["path"].rstrip("/") or "/", scope["method"]
        if path == "/healthz" and method in ("GET", "HEAD"):
            return await _respond(send, 200, {"ok": True, "bot": self.application.bot.username,
                                              "bots": [app.bot.username for app, _ in self.endpoints.values()]})
        endpoint = self.endpoints.get(path)
        if endpoint is None:
            return await _respond(send, 404, {"ok": False, "error": "not found"})
        application, secret = endpoint
        if method != "POST":
            return await _respond(send, 405, {"ok": False, "error": "use POST"})
        given = dict(scope["headers"]).get(SECRET_HEADER)
        if given is None:
            return await _respond(send, 401, {"ok": False, "error": "secret token missing"})
        if not hmac.compare_digest(given, secret):
            return await _respond(send, 403, {"ok": False, "error": "wrong secret token"})
        body = await _read_body(receive)
        if body is None:
            return await _respond(send, 413, {"ok": False, "error": "too large"})
        update = self._update_from(body, application.bot)
        if update is None:
            return await _respond(send, 400, {"ok": False, "error": "not a Telegram update"})
        try:
            await application.process_update(update)
        except Exception as exc:  # handler errors go to the error handler; this is anything else
            log.error("update %s could not be processed: %s", update.update_id, type(exc).__name__)
            return await _respond(send, 500, {"ok": False})
        return await _respond(send, 200, {"ok": True})

    def _update_from(self, body: bytes, bot: Bot | None = None) -> Update | None:
        """The update in ``body`` (for ``bot``, default the first), or None
        for anything that is not one.

        Reading a body has no side effects, so every exception while reading
        it means a bad body: besides ValueError (not JSON), a hostile but
        well-formed body makes json.loads or de_json raise RecursionError
        (nesting too deep), TypeError/AttributeError/KeyError (an object where
        a list belongs, a missing field) or OverflowError (a date past year
        9999), among others. de_json does not check plain fields (a number
        where text belongs): ``well_typed`` checks those the bot reads. Only
        the exception's type is logged, never the body.
        """
        try:
            data = json.loads(body)
            update_id = data.get("update_id") if isinstance(data, dict) else None
            if not isinstance(update_id, int) or isinstance(update_id, bool):
                return None
            update = Update.de_json(data, bot if bot is not None else self.application.bot)
            if not well_typed(update):
                raise TypeError("a field the bot reads has the wrong type")
            return update
        except Exception as exc:  # noqa: BLE001 - see above: a body that cannot be read is refused
            log.warning("refused a body that is not a Telegram update: %s", type(exc).__name__)
            return None

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    if self.startup is not None:
                        await self.startup()
                except Exception as exc:
                    log.error("start-up failed: %s", exc)
                    await send({"type": "lifespan.startup.failed", "message": type(exc).__name__})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.shutdown is not None:
                    await self.shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return


_INT, _STR, _BOOL = (int,), (str,), (bool,)
_OPT_INT, _OPT_STR = (int, type(None)), (str, type(None))
#: the fields of an update the channel reads (``bot.channels.telegram.incoming``) and their types
_USER = {"id": _INT, "is_bot": _BOOL, "first_name": _STR, "language_code": _OPT_STR}
_CHAT = {"id": _INT, "type": _STR}
_MESSAGE = {"message_id": _INT, "text": _OPT_STR, "caption": _OPT_STR}
_DOCUMENT = {"file_id": _STR, "file_name": _OPT_STR, "file_size": _OPT_INT}
_CONTACT = {"phone_number": _STR, "user_id": _OPT_INT}
_CALLBACK = {"id": _STR, "data": _OPT_STR}


def _fields_are(obj: object, fields: Mapping[str, tuple[type, ...]]) -> bool:
    for name, types in fields.items():
        value = getattr(obj, name, None)
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            return False
    return True


def _message_ok(message: object) -> bool:
    if not _fields_are(message, {"message_id": _INT}) or not _fields_are(getattr(message, "chat", None), _CHAT):
        return False
    if not isinstance(message, Message):      # an inaccessible message: only its chat and id
        return True
    document, contact, sender = message.document, message.contact, message.from_user
    texts, phones = written(message)  # what the channel searches for an Aadhaar number
    return (_fields_are(message, _MESSAGE) and (document is None or _fields_are(document, _DOCUMENT))
            and (contact is None or _fields_are(contact, _CONTACT))
            and (sender is None or _fields_are(sender, _USER))
            and all(isinstance(value, str) for value in (*texts, *phones)))


def well_typed(update: Update) -> bool:
    """Whether every field of ``update`` the bot reads has the type Telegram
    gives it: for an update of any kind (a channel post, a change of chat
    member, a reaction... which the bot ignores) its chat, user and message,
    whose ids python-telegram-bot itself hashes before and after the
    handlers run, where an error is no handler's; and the message, edited
    message and button press the channel reads."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is not None and not _fields_are(chat, _CHAT):
        return False
    if user is not None and not _fields_are(user, _USER):
        return False
    if message is not None and not _message_ok(message):
        return False
    query = update.callback_query
    if query is not None and not (_fields_are(query, _CALLBACK)
                                  and (query.message is None or _message_ok(query.message))):
        return False
    return all(m is None or _message_ok(m) for m in (update.message, update.edited_message))


async def _read_body(receive: Receive) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _respond(send: Send, status: int, payload: dict) -> None:
    body = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
