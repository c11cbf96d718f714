"""The python-telegram-bot Application: one handler for every update, an
error handler, and the command menu.

The handler reads the update (``incoming``), hands the worker's input to the
registration service with the update's key, and sends the replies while the
service still holds the worker's lock, so the replies to two quick messages
never cross. An update already applied (Telegram delivered it twice) is
acknowledged and ignored.

Before any of that, the user's flood control (``flood``) admits the update
or drops it: one account's hundreds of messages must not delay everyone
else's replies. One user's admitted updates are then handled one at a time,
in the order they came. A message that holds what may be an Aadhaar number
is deleted from the chat whatever the answer to it, unless it was applied
before (Telegram delivered it again: it was deleted the first time); if the
flood control dropped it, only the first ``flood.DELETES_PER_FLOOD`` of
the user's flood are deleted (a flood must not spend the send budget).

An outcome's notices (messages for other users) go through the notifier
(``bot.notify``), with which ``build_application`` registers Telegram's
sender: a notice for a user of another channel is the notifier's to deliver
or report. The bot (``ShramBot``) sends a text too long for one Telegram
message as several, whoever sends it (replies, notices, digests, reminders).
With several bots (``bots``), each has its Application, and all of them
one roster, whose sender picks the bot that reaches the user.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from telegram import BotCommand, BotCommandScopeAllPrivateChats, Document, Update
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, ExtBot, TypeHandler
from telegram._utils.defaultvalue import DEFAULT_NONE  # (what Bot.send_message passes for a default)
from telegram.request import BaseRequest, HTTPXRequest

from bot.channels import Handler
from bot.channels.telegram import files, texts
from bot.channels.telegram.bots import BotRoster
from bot.channels.telegram.flood import FloodControl, Verdict
from bot.channels.telegram.incoming import Incoming, read_update
from bot.channels.telegram.outgoing import (Markup, messages_of, quietly, send_replies, send_text, set_chat_menu,
                                            split_text)
from bot.config import Settings, TelegramBot
from bot.messages import Input, Outcome
from bot.i18n import default_language, languages, translate
from bot.notify import Notifier
from bot.store.locks import UserLocks
from bot.staff_commands import STAFF_COMMANDS

log = logging.getLogger(__name__)

#: the largest document a staff command reads (bytes)
#: updates handled at once in one process (different users; one user's are serialised)
CONCURRENT_UPDATES = 64


class ShramBot(ExtBot):
    """PTB's bot, except that a text too long for one message goes as
    several (``outgoing.split_text``), the buttons under the last part, so
    every message reaches the user whatever its length, whoever sends it;
    ``send_message`` returns the last part's Message, ``send_text`` (what
    ``outgoing.send_text`` uses) the message id of every part."""
    __slots__ = ()

    async def send_message(self, chat_id, text, *args, **kwargs):
        parts = [text] if args else split_text(text)
        if len(parts) == 1:
            return await super().send_message(chat_id, text, *args, **kwargs)
        markup = kwargs.pop("reply_markup", None)
        for part in parts[:-1]:
            await super().send_message(chat_id, part, **kwargs)
        return await super().send_message(chat_id, parts[-1], reply_markup=markup, **kwargs)

    async def send_text(self, chat_id: int, text: str, reply_markup: Markup | None = None) -> list[int]:
        """``send_message(chat_id, text, reply_markup=reply_markup)``, split
        the same way, sent the same way (the bot's defaults, its rate
        limiter), but only the message ids are read from Telegram's answers:
        making PTB's Message of each costs more than the rest of the send."""
        parts = split_text(text)
        sent = []
        for i, part in enumerate(parts):
            markup = self._replace_keyboard(reply_markup) if i == len(parts) - 1 else None
            # what Bot.send_message hands on for a text and its buttons: the
            # arguments left to ext.Defaults as DEFAULT_NONE, the rest as None
            data = {"chat_id": chat_id, "text": part, "reply_markup": markup,
                    "disable_notification": DEFAULT_NONE, "protect_content": DEFAULT_NONE,
                    "parse_mode": DEFAULT_NONE, "link_preview_options": DEFAULT_NONE}
            answer = await self._post("sendMessage", data)
            sent.append(answer["message_id"])
        return sent


@dataclass
class _Turn:
    deleted: bool = False  # the user's message is deleted already
    repeat: bool = False   # the update was applied before (Telegram delivered it again)


class TelegramChannel:
    def __init__(self, registration: Handler | None, default_lang: str | None = None,
                 flood: FloodControl | None = None, notifier: Notifier | None = None,
                 via: str | None = None) -> None:
        self.registration = registration
        #: the bot's id, in the update keys of a bot after the first of several (each numbers its own)
        self.via = via
        #: the bot this channel serves (its id): its replies take that bot's send budget
        self.bot_id: str | None = None
        self.default_lang = default_lang or default_language()
        self.flood = flood if flood is not None else FloodControl()
        #: how the notices of an outcome reach their users, whatever their channel
        self.notifier = notifier if notifier is not None else Notifier()
        #: one user's updates handled one at a time, in the order they came, from the moment the
        #: channel takes them (the store's user lock orders them too, but only once reached)
        self._in_order = UserLocks()

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        incoming = read_update(update, self.via)
        if incoming is None:
            return
        bot = context.bot
        verdict = self.flood.enter(incoming.user_id, incoming.update_key)
        if verdict is not Verdict.ADMIT:  # dropped: no database work, no waiting for the user's lock
            if incoming.holds_aadhaar and self.flood.may_delete(incoming.user_id):  # a few a flood
                await self._delete(bot, incoming)
            if verdict is Verdict.DROP_AND_WARN and incoming.private:
                await quietly("ask a user to slow down", send_text(
                    bot, incoming.chat_id, translate(self._lang(incoming), texts.SLOW_DOWN)))
            return
        turn = _Turn()
        try:
            async with self._in_order.hold(incoming.user_id):
                if incoming.holds_aadhaar:  # delivered again: its message was dealt with the first time
                    turn.repeat = await self._applied_before(incoming)
                await self._handle(bot, incoming, turn)
        finally:
            self.flood.leave(incoming.user_id)
            if incoming.holds_aadhaar and not turn.deleted and not turn.repeat:  # whatever the answer (or an error)
                await self._delete(bot, incoming)

    async def _handle(self, bot, incoming: Incoming, turn: _Turn) -> None:
        if not incoming.private:
            if incoming.input.command:
                await bot.send_message(incoming.chat_id, translate(self._lang(incoming), texts.PRIVATE_ONLY))
            if incoming.callback_id:
                await quietly("answer a button", bot.answer_callback_query(incoming.callback_id))
            return

        async def deliver(outcome: Outcome) -> None:
            turn.deleted = await self._deliver(bot, incoming, outcome, turn)

        inp = incoming.input
        if incoming.upload is not None:
            inp = self._with_upload(bot, incoming)
        handler = self.registration
        if handler is None:  # (set by the runner before any update is read)
            raise RuntimeError("the Telegram channel has no handler")
        outcome = await handler.handle(
            incoming.user_id, inp, default_lang=incoming.phone_lang,
            update_key=incoming.update_key, deliver=deliver)
        turn.repeat = turn.repeat or outcome is None  # applied before: its message was dealt with then
        if outcome is None and incoming.callback_id:  # a repeat: still stop the button's spinner
            await quietly("answer a button", bot.answer_callback_query(incoming.callback_id))

    async def _applied_before(self, incoming: Incoming) -> bool:
        store = getattr(self.registration, "store", None)
        return store is not None and await store.is_applied(incoming.update_key)

    async def _delete(self, bot, incoming: Incoming) -> None:
        if incoming.message_id is not None:
            await quietly("delete a message with a secret",
                          bot.delete_message(incoming.chat_id, incoming.message_id))

    async def _deliver(self, bot, incoming: Incoming, outcome: Outcome, turn: _Turn) -> bool:
        """Send ``outcome``; True if the user's message was deleted (it held a secret)."""
        if incoming.callback_id:
            await quietly("answer a button", bot.answer_callback_query(incoming.callback_id))
            if incoming.pressed_message_id is not None:  # its buttons are used up
                await quietly("remove old buttons", bot.edit_message_reply_markup(
                    incoming.chat_id, incoming.pressed_message_id, reply_markup=None))
        secret = (outcome.secret_input or (incoming.holds_aadhaar and not turn.repeat)) \
            and incoming.message_id is not None
        if secret:
            await self._delete(bot, incoming)
        lang = outcome.draft.lang if outcome.draft is not None and outcome.draft.lang else self._lang(incoming)
        budget = getattr(self.notifier.outbox, "budget", None)
        if budget is not None:  # the bot's send budget, shared with every process (``bot.outbox``)
            for _ in messages_of(outcome):
                await budget.take(bot=self.bot_id)
        await send_replies(bot, incoming.chat_id, outcome.replies, lang)
        await self.notifier.send_all(outcome.notices)
        if outcome.menu is not None:  # a staff user's own menu: their commands under "/" in this chat
            await set_chat_menu(bot, incoming.chat_id, outcome.menu)
        return secret

    def _with_upload(self, bot, incoming: Incoming) -> Input:
        """A document sent with a command in its caption, or a CSV alone (a
        targets file): the command, with a way to read the file that the
        dispatcher uses only for a staff command the sender may run (a file
        over ``files.MAX_DOCUMENT`` raises FileTooLarge when read)."""
        assert incoming.upload is not None  # (called only for an update with one)
        file_id, name, size = incoming.upload
        inp = incoming.input
        if inp.command not in STAFF_COMMANDS:
            return Input(kind="document")  # as any document: not read

        async def read() -> tuple[str, bytes]:
            return await files.download_document(bot, Document(file_id, file_id, file_name=name,
                                                               file_size=size))

        return replace(inp, kind="text", file=read)

    def _lang(self, incoming: Incoming) -> str:
        return incoming.phone_lang or self.default_lang

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log what failed (its kind and where, never the user's data) and ask
        the user to try again; the answers saved so far stay saved."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("update %s failed: %s", update_id, type(error).__name__,
                  exc_info=(type(error), error, error.__traceback__) if error else None)
        try:
            incoming = read_update(update) if isinstance(update, Update) else None
        except Exception as unreadable:  # the update itself is what failed (a field of the wrong type)
            log.warning("update %s cannot be answered: %s", update_id, type(unreadable).__name__)
            return
        if incoming is not None and incoming.private:
            await quietly("say try again", context.bot.send_message(
                incoming.chat_id, translate(self._lang(incoming), texts.TRY_AGAIN)))

    async def set_commands(self, app: Application) -> None:
        """The command menu in private chats, in every language offered (and the
        default language for everyone else)."""
        scope = BotCommandScopeAllPrivateChats()
        for lang in (None, *languages()):
            shown = lang or self.default_lang
            commands = [BotCommand(name, translate(shown, about)) for name, about in texts.COMMANDS]
            await quietly("set the command menu", app.bot.set_my_commands(commands, scope=scope, language_code=lang))


def build_application(settings: Settings, registration: Handler | None, *,
                      request: BaseRequest | None = None, flood: FloodControl | None = None,
                      notifier: Notifier | None = None, telegram_bot: TelegramBot | None = None,
                      roster: BotRoster | None = None) -> Application:
    """The Application for ``settings`` (token, Bot API server, send rate).
    ``request``: how to reach the Bot API (default: PTB's HTTPX client);
    ``flood``: the per-user flood control (default: ``flood``'s limits);
    ``notifier``: the process's notifier (default: a new one), with which
    Telegram's sender is registered here (``app.bot_data["notifier"]``);
    ``telegram_bot``: which of the settings' bots (default: the first);
    ``roster``: the process's bots, which this one joins (default: a new
    one, on the registration's store; ``app.bot_data["roster"]``)."""
    telegram_bot = telegram_bot if telegram_bot is not None else settings.telegram_bots()[0]
    base_url, base_file_url = settings.bot_api_urls()
    bot = ShramBot(telegram_bot.token, base_url=base_url, base_file_url=base_file_url,
                   # PTB's own defaults: a large pool for calls, one connection for getUpdates
                   request=request or HTTPXRequest(connection_pool_size=256),
                   get_updates_request=request or HTTPXRequest(connection_pool_size=1),
                   rate_limiter=AIORateLimiter(overall_max_rate=settings.max_messages_per_second,
                                               overall_time_period=1, max_retries=3))
    app = ApplicationBuilder().bot(bot).updater(None).concurrent_updates(CONCURRENT_UPDATES).build()
    notifier = notifier if notifier is not None else Notifier()
    roster = roster if roster is not None else BotRoster(getattr(registration, "store", None))
    roster.add(telegram_bot.id, app, notifier)
    via = None if roster.first == telegram_bot.id else telegram_bot.id  # the first keeps one bot's keys
    channel = TelegramChannel(registration, settings.default_language, flood, notifier, via)
    channel.bot_id = telegram_bot.id
    app.add_handler(TypeHandler(Update, channel.on_update))
    app.add_error_handler(channel.on_error)
    app.bot_data["channel"] = channel
    app.bot_data["notifier"] = notifier
    app.bot_data["roster"] = roster
    return app


async def start_application(app: Application) -> None:
    """Initialise (getMe) and set the command menu; the runners call this."""
    await app.initialize()
    channel: TelegramChannel = app.bot_data["channel"]
    await channel.set_commands(app)


__all__ = ["TelegramChannel", "TelegramError", "build_application", "start_application"]
