"""A stand-in for the Telegram Bot API server: a python-telegram-bot request
object that answers every call as Telegram would and records it. No network.

    api = FakeBotAPI()
    app = build_application(settings, registration, request=api)
    await start_application(app)
    await app.process_update(updates.text(user, "नमस्ते"))
    api.sent_texts(chat_id) -> what the bot said

Like Telegram's server, one fake may serve several bots: each call is
recorded with the id of the bot whose token it came with (``Call.bot``);
a bot named in ``bots`` (id -> username) is answered as itself by getMe
and has its own queue of updates (``pending_for``).

``Updates`` builds the updates a Telegram client would send (text, commands,
contacts, photos, stickers, voice notes, button presses, edits), with
increasing ids.
"""
from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, Update
from telegram.request import BaseRequest, RequestData

BOT_ID = 7000000001
MAX_MESSAGE = 4096  # Telegram refuses a longer text: "Bad Request: message is too long"
BOT_USERNAME = "ShramSahayakBot"
DATE = 1795000000  # a fixed moment; the bot does not read message dates


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: list[str] = field(default_factory=list)
    #: part name -> (file name, content) of what was uploaded (a photo, a document)
    uploads: dict[str, tuple[str, bytes]] = field(default_factory=dict, compare=False)
    #: the id of the bot that called (the number before its token's colon)
    bot: str = field(default="", compare=False)


class FakeBotAPI(BaseRequest):
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._ids = itertools.count(5000)
        #: method name -> how many of the next calls answer 429 (flood control)
        self.too_many_requests: dict[str, int] = {}
        #: method name -> the description of a 400 every call of it gets ("message to delete not found")
        self.refused: dict[str, str] = {}
        #: what getUpdates hands out (update dicts), and the offsets it was asked for
        self.pending_updates: list[dict[str, Any]] = []
        self.offsets: list[int | None] = []
        #: file id -> content, for documents users send (getFile and its download)
        self.files: dict[str, bytes] = {}
        #: bot id -> username, for several bots on this one server (others are BOT_USERNAME)
        self.bots: dict[str, str] = {}
        self._pending_by_bot: dict[str, list[dict[str, Any]]] = {}

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    @property
    def read_timeout(self) -> float:
        return 5.0

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout=None, write_timeout=None, connect_timeout=None,
                         pool_timeout=None) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        bot = url.rsplit("/", 2)[-2].removeprefix("bot").split(":", 1)[0]
        if "/file/bot" in url:  # downloading a file getFile pointed to
            self.calls.append(Call("download", {"file_id": name}))
            return 200, self.files[name]
        params = dict(request_data.parameters) if request_data is not None else {}
        parts = request_data.multipart_data if request_data is not None and request_data.contains_files else {}
        files = list(parts)
        uploads = {part: (value[0], value[1]) for part, value in parts.items()}
        if self.too_many_requests.get(name, 0) > 0:
            self.too_many_requests[name] -= 1
            self.calls.append(Call(name + " (429)", params, files))
            return 429, json.dumps({"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                    "parameters": {"retry_after": 1}}).encode()
        if name in self.refused:
            self.calls.append(Call(name + " (400)", params, files))
            return 400, json.dumps({"ok": False, "error_code": 400,
                                    "description": f"Bad Request: {self.refused[name]}"}).encode()
        text = str(params.get("text", "x"))
        if name == "sendMessage" and (len(text) > MAX_MESSAGE or not text.strip()):  # as Telegram refuses it
            self.calls.append(Call(name + " (400)", params, files))
            refused = "message is too long" if text.strip() else "message text is empty"
            return 400, json.dumps({"ok": False, "error_code": 400, "description": f"Bad Request: {refused}"}).encode()
        self.calls.append(Call(name, params, files, uploads, bot=bot))
        if "/file/bot" in url:      # a file download: /file/bot<token>/<file_path>
            return 200, self.stored_files[name]
        if name == "getUpdates":
            updates = await (self._bot_updates(params, bot) if bot in self.bots else self._get_updates(params))
            return 200, json.dumps({"ok": True, "result": updates}).encode()
        return 200, json.dumps({"ok": True, "result": self._result(name, params, bot)}).encode()

    def pending_for(self, bot: str) -> list[dict[str, Any]]:
        """The updates getUpdates hands out to ``bot`` (one of ``bots``)."""
        return self._pending_by_bot.setdefault(bot, [])

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Like Telegram: an offset confirms (drops) every update below it."""
        return await self._hand_out(self.pending_updates, params)

    async def _bot_updates(self, params: dict[str, Any], bot: str) -> list[dict[str, Any]]:
        """``_get_updates`` for one of ``bots``, from its own queue."""
        return await self._hand_out(self.pending_for(bot), params)

    async def _hand_out(self, pending: list[dict[str, Any]], params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = params.get("offset")
        self.offsets.append(offset)
        if offset is not None:
            pending[:] = [u for u in pending if u["update_id"] >= offset]
        if not pending:
            await asyncio.sleep(0.01)  # a long poll with nothing new
        return pending[:100]

    def _result(self, name: str, params: dict[str, Any], bot: str = "") -> Any:
        bot_id = int(bot) if bot in self.bots else BOT_ID
        if name == "getMe":
            return {"id": bot_id, "is_bot": True, "first_name": "Shram Sahayak",
                    "username": self.bots.get(bot, BOT_USERNAME),
                    "can_join_groups": False, "can_read_all_group_messages": False,
                    "supports_inline_queries": False}
        if name == "getFile":
            file_id = params["file_id"]
            return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(self.files[file_id]),
                    "file_path": f"documents/{file_id}"}
        if name in ("sendMessage", "sendPhoto", "sendDocument", "sendVoice", "editMessageReplyMarkup"):
            message = {"message_id": params.get("message_id") or next(self._ids), "date": DATE,
                       "chat": {"id": int(params["chat_id"]), "type": "private"},
                       "from": {"id": bot_id, "is_bot": True, "first_name": "Shram Sahayak"}}
            if name == "sendMessage":
                message["text"] = params["text"]
            if name == "sendPhoto":
                message["photo"] = [{"file_id": "qr", "file_unique_id": "qr", "width": 330, "height": 330}]
                message["caption"] = params.get("caption", "")
            if name == "sendDocument":
                message["document"] = {"file_id": "doc", "file_unique_id": "doc"}
            if name == "sendVoice":  # sent again by the file id Telegram gave it
                message["voice"] = {"file_id": params["voice"], "file_unique_id": params["voice"], "duration": 3}
            return message
        return True

    # -- reading what was sent ---------------------------------------------------

    def of(self, method: str, chat_id: int | None = None, bot: str | None = None) -> list[Call]:
        """The calls of ``method`` (to ``chat_id``; by ``bot``, its id)."""
        return [c for c in self.calls if c.method == method
                and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)
                and (bot is None or c.bot == bot)]

    def sent_texts(self, chat_id: int | None = None, bot: str | None = None) -> list[str]:
        return [c.params["text"] for c in self.of("sendMessage", chat_id, bot)]

    def clear(self) -> None:
        self.calls.clear()


class Updates:
    """Updates as a Telegram client sends them, numbered from ``first_id``."""

    def __init__(self, bot: Bot, first_id: int = 1) -> None:
        self.bot = bot
        self._update_ids = itertools.count(first_id)
        self._message_ids = itertools.count(1)
        self.last_id = first_id - 1

    @staticmethod
    def user(user_id: int, language_code: str | None = "hi") -> dict[str, Any]:
        user = {"id": user_id, "is_bot": False, "first_name": "Ram"}
        if language_code:
            user["language_code"] = language_code
        return user

    def _message(self, user: dict, chat_type: str = "private", **content: Any) -> dict[str, Any]:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]} if chat_type == "private" \
            else {"id": -100123, "type": chat_type, "title": "Mohalla group"}
        return {"message_id": next(self._message_ids), "date": DATE, "chat": chat, "from": user, **content}

    def _update(self, **content: Any) -> Update:
        self.last_id = next(self._update_ids)
        return Update.de_json({"update_id": self.last_id, **content}, self.bot)

    def text(self, user: dict, text: str, chat_type: str = "private") -> Update:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return self._update(message=self._message(user, chat_type, **content))

    def contact(self, user: dict, phone: str, owner_id: int | None) -> Update:
        contact = {"phone_number": phone, "first_name": "Ram"}
        if owner_id is not None:
            contact["user_id"] = owner_id
        return self._update(message=self._message(user, contact=contact))

    def photo(self, user: dict, caption: str | None = None) -> Update:
        content: dict[str, Any] = {"photo": [{"file_id": "p1", "file_unique_id": "p1", "width": 90, "height": 90}]}
        if caption:
            content["caption"] = caption
        return self._update(message=self._message(user, **content))

    def sticker(self, user: dict) -> Update:
        sticker = {"file_id": "s1", "file_unique_id": "s1", "width": 512, "height": 512, "is_animated": False,
                   "is_video": False, "type": "regular"}
        return self._update(message=self._message(user, sticker=sticker))

    def voice(self, user: dict, file_id: str = "v1") -> Update:
        return self._update(message=self._message(user, voice={"file_id": file_id, "file_unique_id": file_id,
                                                                 "duration": 3}))

    def location(self, user: dict) -> Update:
        return self._update(message=self._message(user, location={"latitude": 29.95, "longitude": 78.16}))

    def document(self, user: dict, caption: str | None = None, file_id: str = "d1",
                 file_name: str | None = None, file_size: int | None = None) -> Update:
        document: dict[str, Any] = {"file_id": file_id, "file_unique_id": file_id}
        if file_name:
            document["file_name"] = file_name
        if file_size is not None:
            document["file_size"] = file_size
        content: dict[str, Any] = {"document": document}
        if caption:
            content["caption"] = caption
            if caption.startswith("/"):
                content["caption_entities"] = [{"type": "bot_command", "offset": 0,
                                                "length": len(caption.split()[0])}]
        return self._update(message=self._message(user, **content))

    def edited(self, user: dict, text: str) -> Update:
        message = self._message(user, text=text)
        message["edit_date"] = DATE + 60
        return self._update(edited_message=message)

    def press(self, user: dict, data: str, message_id: int = 4999) -> Update:
        message = {"message_id": message_id, "date": DATE, "text": "…",
                   "chat": {"id": user["id"], "type": "private", "first_name": user["first_name"]},
                   "from": {"id": BOT_ID, "is_bot": True, "first_name": "Shram Sahayak"}}
        return self._update(callback_query={"id": f"cb{self.last_id + 1}", "from": user, "chat_instance": "ci",
                                            "data": data, "message": message})
