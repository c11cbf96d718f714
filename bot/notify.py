"""Sending a message to any user, whichever channel they use: the desk's
notices (a worker told that their application is approved), the officials'
daily digest and the workers' reminders all go through a ``Notifier``,
which knows no channel itself.

Each channel running in this process registers a sender for its users
(``register(addresses.TELEGRAM, ...)``); ``send`` picks the sender by the
user id's channel (``bot.addresses``). A channel that reaches its users by
several ways registers one sender that picks among them: Telegram's, with
several bots, sends through the bot the store names for the user
(``bot.channels.telegram.bots``).

A message that cannot be sent is never dropped silently. There are two
cases, and what an operator needs from each is a count and a line in the
log, never the message or who it was for (the log holds no personal data:
only the channel's name and the running count):

- no sender for the user's channel: the user is a walk-in worker, who has
  no chat (``addresses.NO_CHAT``: the CSC operator who registered them
  tells them, and the desk shows where their application is), or their
  channel does not run in this process (a Telegram user's notice while only
  the console runs). Logged at INFO and counted in ``unreachable``, by
  channel. Such messages are not kept for later: a walk-in will never have
  a chat to send them to, and what a notice says stays visible where it
  matters (the application's state on the desk, ``/status`` for the
  worker), so a queue that would only grow is not worth its personal data.
- the sender failed (the worker blocked the bot, the network): logged at
  WARNING with the error's kind and counted in ``failed``. The acting user's
  own turn goes on; the others' messages still go.

``send`` answers whether the message was handed to its channel. With an
outbox (``bot.outbox``, set by ``bot.bootstrap``), ``send`` writes the
message there and the outbox hands it to ``deliver`` (what ``send`` does
without one): it survives the process, and takes its turn in the bot's send
budget.
"""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from bot import addresses
from bot.messages import Notice, Reply
from bot.outbox import BULK

log = logging.getLogger(__name__)

#: how a channel sends a notice to one of its users
Sender = Callable[[Notice], Awaitable[None]]


class Notifier:
    def __init__(self) -> None:
        self._senders: dict[str, Sender] = {}
        #: where messages wait until delivered (``bot.outbox.Outbox``), if this process has one
        self.outbox: Any = None
        #: messages not sent because no sender here reaches the user, by channel
        self.unreachable: Counter[str] = Counter()
        #: messages whose sender failed, by channel
        self.failed: Counter[str] = Counter()

    def register(self, channel: str, sender: Sender) -> None:
        """``channel``'s users are reached by ``sender`` from now on."""
        self._senders[channel] = sender

    def reaches(self, user_id: str) -> bool:
        """Whether a sender in this process reaches ``user_id``."""
        return addresses.channel_of(user_id) in self._senders

    async def send(self, notice: Notice, priority: int | None = None) -> bool:
        """Send ``notice`` (through the outbox, if there is one; ``priority``:
        ``bot.outbox``'s, a notice by default); False if it could not be sent."""
        if self.outbox is not None:
            return await self.outbox.send(notice, *(() if priority is None else (priority,)))
        return await self.deliver(notice)

    async def deliver(self, notice: Notice) -> bool:
        """Hand ``notice`` to its user's channel now; False if it could not be
        (logged and counted, see the module's docstring)."""
        channel = addresses.channel_of(notice.user_id) or "unknown"
        sender = self._senders.get(channel)
        if sender is None:
            self.unreachable[channel] += 1
            why = "they have no chat" if channel in addresses.NO_CHAT else "that channel does not run here"
            log.info("a message for a %s user was not sent (%s); %d so far", channel, why,
                     self.unreachable[channel])
            return False
        try:
            await sender(notice)
        except Exception as exc:  # one user's failure must not stop the acting user or the others
            self.failed[channel] += 1
            log.warning("a message for a %s user could not be sent: %s; %d so far", channel,
                        type(exc).__name__, self.failed[channel])
            return False
        return True

    async def send_all(self, notices: Iterable[Notice]) -> int:
        """Send each notice in turn; how many were sent."""
        sent = 0
        for notice in notices:
            sent += await self.send(notice)
        return sent

    async def send_text(self, user_id: str, lang: str, text: str) -> bool:
        """One plain message (a reminder), as ``send``, after the notices."""
        return await self.send(Notice(user_id, lang, [Reply(text)]), BULK)
