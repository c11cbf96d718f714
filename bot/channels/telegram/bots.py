"""Several bots, one deployment: Telegram lets one bot send about 30
messages a second, so a state runs several (``Settings.telegram_bots``),
all on one store, one dispatcher and one notifier. Each bot has its own
Application (``app.build_application``) and its own send budget; a
``BotRoster`` holds this process's bots and knows which one reaches a user.

- **Noting** (``note``, run before the channel's handler for every update
  from a private chat): the store records the bot each user wrote to
  (``bot.store.bots``): a worker keeps the first, a staff user's follows
  the bot they last used. So as not to write on every update, a user whose
  bot this process noted in the last ``NOTE_AGAIN_AFTER`` seconds is not
  noted again (a record erased meanwhile, by another process, comes back
  with the user's first message after that).
- **Sending** (``send``, Telegram's sender in the notifier): a notice goes
  through the bot the store names for its user (the desk's approval,
  send-back and rejection, reminders, digests), and so do its deep links
  and QR codes, which name that bot's username (``outgoing``). A user the
  store names no bot for (they wrote before bots were recorded, or their
  record was just erased) is reached by the bot this process last saw them
  write to, else by the first bot of the settings: list the bot that ran
  alone before first. A record naming a bot this deployment no longer runs
  falls back the same way.

With one bot the store is asked nothing, neither when a user writes nor
when sending: there is no other bot to choose. A deployment that grows from
one bot to several lists the old one first, so the users it has no record
of are reached by it.
"""
from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Chat, Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bot import addresses
from bot.channels.telegram.outgoing import notice_sender
from bot.domain.models import utcnow
from bot.messages import Notice
from bot.notify import Notifier, Sender
from bot.store import bots as recorded
from bot.store.contract import Store

log = logging.getLogger(__name__)

#: seconds before a user this process noted writing to a bot is noted again
NOTE_AGAIN_AFTER = 600.0
#: users whose last noted bot this process remembers (the oldest are forgotten first)
REMEMBERED_USERS = 20_000
#: PTB's handler group of the noting: before the channel's (group 0), so it runs first
NOTING_GROUP = -1


class BotRoster:
    """This process's bots, by id, in the order of the settings."""

    def __init__(self, store: Store | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        #: where users' bots are recorded (set by the runner once the store is open)
        self.store = store
        self.clock = clock
        self.apps: dict[str, Application] = {}
        self._senders: dict[str, Sender] = {}
        #: user id -> (the bot this process last noted them writing to, when)
        self._noted: OrderedDict[str, tuple[str, float]] = OrderedDict()

    def add(self, bot_id: str, app: Application, notifier: Notifier) -> None:
        """Serve ``bot_id`` with ``app``; Telegram users' notices go through
        this roster from now on."""
        if bot_id in self.apps:
            raise ValueError("this bot is in the roster already")
        self.apps[bot_id] = app
        self._senders[bot_id] = notice_sender(app.bot)
        app.add_handler(TypeHandler(Update, self._noting(bot_id)), group=NOTING_GROUP)
        notifier.register(addresses.TELEGRAM, self.send)
        if notifier.outbox is not None:  # the outbox's messages take their user's bot's send budget
            notifier.outbox.bot_of = self.bot_for

    @property
    def first(self) -> str:
        """The id of the first bot: it reaches those no record names a bot for."""
        return next(iter(self.apps))

    def _noting(self, bot_id: str) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]:
        """The PTB callback that notes who wrote to ``bot_id``."""
        async def noting(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            if len(self.apps) == 1:
                return  # one bot: nothing to choose between
            user, chat = update.effective_user, update.effective_chat
            if user is None or user.is_bot or chat is None or chat.type != Chat.PRIVATE:
                return  # a group: the bot answers there, it does not reach the user by it
            await self.note(addresses.user_id(addresses.TELEGRAM, user.id), bot_id)
        return noting

    async def note(self, user_id: str, bot_id: str) -> None:
        """``user_id`` wrote to ``bot_id``: recorded (``bot.store.bots.wrote_to``)
        unless this process did so lately. A failure is logged, never raised:
        the update is still handled (their messages then come from the
        bot this process saw them use, or the first one)."""
        if len(self.apps) == 1:
            return
        now = self.clock()
        seen = self._noted.get(user_id)
        if seen is not None and seen[0] == bot_id and now - seen[1] < NOTE_AGAIN_AFTER:
            return
        if self.store is not None:
            try:
                await self.store.transact(recorded.wrote_to, user_id, bot_id, utcnow())
            except Exception as exc:  # noqa: BLE001 - the user's turn must go on
                log.warning("could not record which bot a user wrote to: %s", type(exc).__name__)
                return
        self._noted[user_id] = (bot_id, now)
        self._noted.move_to_end(user_id)
        while len(self._noted) > REMEMBERED_USERS:
            self._noted.popitem(last=False)

    async def bot_for(self, user_id: str) -> str:
        """The id of the bot that reaches ``user_id`` (see the module's docstring)."""
        if len(self.apps) == 1:
            return self.first
        bot_id = await self.store.query(recorded.bot_of, user_id) if self.store is not None else None
        if bot_id in self.apps:
            return bot_id
        if bot_id is not None:
            log.warning("a user's bot is not among the bots running here; another one writes to them")
        seen = self._noted.get(user_id)
        return seen[0] if seen is not None and seen[0] in self.apps else self.first

    async def send(self, notice: Notice) -> None:
        """Telegram's sender for the notifier: ``notice`` through its user's bot."""
        await self._senders[await self.bot_for(notice.user_id)](notice)
