"""A small Telegram Bot API emulator served over real HTTP, for tests that run
the bot as a separate process (``test_bot_process``). Plain ASGI, served by
uvicorn in a background thread on 127.0.0.1 and a free port.

    with BotAPIServer(token) as api:
        env["SHRAM_BOT_API_URL"] = api.url          # the bot calls {url}/bot{token}/{method}
        api.queue(update_dict)                      # handed out by getUpdates
        api.wait_until(lambda calls: ..., timeout=10)
        api.sent_texts(chat_id) -> what the bot said

It answers as Telegram does (``{"ok": true, "result": ...}``), accepts
parameters as JSON, as a urlencoded form or as multipart/form-data, records
every call, and long-polls getUpdates (capped at ``max_poll`` seconds).
A path with another token gets 401, as from Telegram.
"""
from __future__ import annotations

import asyncio
import email.parser
import email.policy
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import uvicorn

from tests.telegram.fake_bot_api import BOT_ID, BOT_USERNAME, DATE

#: form fields Telegram reads as JSON, and as integers (a form sends every value as a string)
JSON_FIELDS = {"reply_markup", "commands", "scope", "allowed_updates", "entities", "caption_entities",
               "link_preview_options", "reply_parameters"}
INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "timeout", "max_connections"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: list[str] = field(default_factory=list)


def decode_params(content_type: str, body: bytes) -> tuple[dict[str, Any], list[str]]:
    """(fields, names of the file parts) from a request body of any of the three kinds."""
    if not body:
        return {}, []
    if content_type.startswith("application/json"):
        return json.loads(body), []
    files: list[str] = []
    if content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        raw = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if part.get_filename() is not None:
                files.append(name)
            else:
                raw[name] = part.get_payload(decode=True).decode()
    else:
        raw = dict(parse_qsl(body.decode(), keep_blank_values=True))
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if key in JSON_FIELDS:
            value = json.loads(value)
        elif key in INT_FIELDS and value.lstrip("-").isdigit():
            value = int(value)
        params[key] = value
    return params, files


class BotAPIServer:
    def __init__(self, token: str, *, max_poll: float = 1.0) -> None:
        self.token = token
        self.max_poll = max_poll
        self.calls: list[Call] = []
        self.offsets: list[int | None] = []     # every offset getUpdates was asked for
        self._pending: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._message_ids = itertools.count(5000)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # -- running -----------------------------------------------------------------

    def start(self) -> BotAPIServer:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.url = "http://127.0.0.1:%d" % sock.getsockname()[1]
        # loop="asyncio", also where uvloop is installed: with uvloop in this
        # thread, the polling bot under test stopped seeing queued updates
        # (test_bot_process); the emulator does not need uvloop's speed
        config = uvicorn.Config(self, lifespan="off", log_level="warning", access_log=False,
                                timeout_graceful_shutdown=1, loop="asyncio")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the Bot API emulator did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._thread.join(5)

    def __enter__(self) -> BotAPIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the test's side ---------------------------------------------------------

    def queue(self, update: dict[str, Any]) -> None:
        """Hand ``update`` out with the next getUpdates (until an offset confirms it)."""
        with self._lock:
            self._pending.append(update)

    def recorded(self) -> list[Call]:
        with self._lock:
            return list(self.calls)

    def of(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [c for c in self.recorded() if c.method == method
                and (chat_id is None or c.params.get("chat_id") == chat_id)]

    def sent_texts(self, chat_id: int | None = None) -> list[str]:
        return [c.params["text"] for c in self.of("sendMessage", chat_id)]

    def wait_until(self, predicate: Callable[[list[Call]], Any], timeout: float = 10) -> Any:
        """Wait until ``predicate(calls)`` is truthy and return its value; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate(self.recorded())
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s; last calls: "
                                     f"{[c.method for c in self.recorded()[-10:]]}")
            time.sleep(0.02)

    def wait_confirmed(self, update_id: int, *, since: int = 0, timeout: float = 10) -> None:
        """Wait until getUpdates was asked (from the ``since``-th poll on) for an
        offset past ``update_id``: the poller has applied the batch holding it."""
        def confirmed(_calls: list[Call]) -> bool:
            with self._lock:
                return any(o is not None and o > update_id for o in self.offsets[since:])
        self.wait_until(confirmed, timeout)

    # -- the bot's side (ASGI) ---------------------------------------------------

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        prefix, _, method = scope["path"].lstrip("/").partition("/")
        if prefix != "bot" + self.token or not method:
            return await _respond(send, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        headers = dict(scope["headers"])
        try:
            params, files = decode_params(headers.get(b"content-type", b"").decode(), body)
        except ValueError:
            return await _respond(send, 400, {"ok": False, "error_code": 400,
                                              "description": "Bad Request: can't parse parameters"})
        with self._lock:
            self.calls.append(Call(method, params, files))
        if method == "getUpdates":
            result = await self._get_updates(params)
        else:
            result = self._result(method, params)
        await _respond(send, 200, {"ok": True, "result": result})

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Like Telegram: an offset confirms (drops) every update below it; with
        nothing new, wait up to ``timeout`` seconds (at most ``max_poll``)."""
        offset = params.get("offset")
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), self.max_poll)
        with self._lock:
            self.offsets.append(offset)
        while True:
            with self._lock:
                if offset is not None:
                    self._pending = [u for u in self._pending if u["update_id"] >= offset]
                ready = sorted(self._pending, key=lambda u: u["update_id"])[:int(params.get("limit") or 100)]
            if ready or time.monotonic() >= deadline:
                return ready
            await asyncio.sleep(0.02)

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {"id": BOT_ID, "is_bot": True, "first_name": "Shram Sahayak", "username": BOT_USERNAME,
                    "can_join_groups": False, "can_read_all_group_messages": False,
                    "supports_inline_queries": False}
        if method in ("sendMessage", "sendPhoto", "editMessageReplyMarkup"):
            message = {"message_id": params.get("message_id") or next(self._message_ids), "date": DATE,
                       "chat": {"id": params["chat_id"], "type": "private"},
                       "from": {"id": BOT_ID, "is_bot": True, "first_name": "Shram Sahayak",
                                "username": BOT_USERNAME}}
            if method == "sendMessage":
                message["text"] = params.get("text", "")
            if method == "sendPhoto":
                message["photo"] = [{"file_id": "qr", "file_unique_id": "qr", "width": 330, "height": 330}]
                message["caption"] = params.get("caption", "")
            return message
        return True  # deleteMessage, answerCallbackQuery, setMyCommands, (delete|set)Webhook, anything else


async def _respond(send: Callable, status: int, payload: dict) -> None:
    body = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
