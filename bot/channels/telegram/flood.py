"""Per-user flood control: one account sending hundreds of messages (a
script, a stuck key, a phone in a child's hands) must not slow the bot down
for everyone else.

Every update of a user waits for that user's lock, each one is database
work and a reply out of the bot's one send budget (``AIORateLimiter``): 300
updates of one account would delay every other worker's reply by seconds.
So each update is admitted or dropped before any of that:

- a token bucket per user: ``BURST`` updates at once, then
  ``REFILL_PER_SECOND``. The burst holds a whole registration tapped and
  typed as fast as a person can (twice a second); one message a second is
  allowed for as long as anyone likes, so a person typing or tapping as fast
  as they can read the questions is never throttled;
- at most ``MAX_IN_PROGRESS`` updates of one user in progress at once (being
  handled or waiting for the user's lock), whatever the bucket holds: a few
  messages typed while the phone was offline and delivered together are
  all applied; more than that at once is a flood;
- a dropped update empties the user's bucket: a flooder gets nothing more
  until they pause (then one a second), not a fresh ``MAX_IN_PROGRESS``
  with every batch of updates.

Why so few in progress: long polling confirms an update to Telegram only
once it and every earlier one are applied, and getUpdates hands out at most
100 updates from the oldest unconfirmed one. A flood of more than 100 keeps
another worker's message out of reach until the flooder's admitted updates,
handled one at a time under their lock, are done: that is at most
``MAX_IN_PROGRESS`` of the flooder's turns (and, after the emptied bucket,
none for the rest of the flood), not a registration's worth.

An update Telegram delivers again (an update id this user was already
admitted with) costs no token: the repeat is Telegram's, not the user's.

A dropped update costs next to nothing: it is not applied, does no
database work and does not wait for the lock. The first one of a flood gets
one polite message asking the user to wait and send their answer again
(``TelegramChannel``); the flood is over once nothing of theirs has been
dropped for ``QUIET`` seconds. A dropped message that holds an Aadhaar
number is still deleted from the chat, up to ``DELETES_PER_FLOOD`` of them
per user and flood (``may_delete``): so a flood of them costs at most that
many Bot API calls more, and the one or two a worker's offline backlog may
hold are not left in the chat.

The counts live in this process's memory: with several bot processes (a
webhook behind a load balancer) each process counts its own, so one user
may get up to that many times the limits in all.
"""
from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

#: updates a user may send at once (a token bucket's size): a whole registration and then some
BURST = 40
#: updates a second a user may send for as long as they like (the bucket's refill)
REFILL_PER_SECOND = 1.0
#: updates of one user in progress at once: handled or waiting for the user's lock (a few
#: messages typed offline and delivered together; a flood before another worker's message in
#: polling waits for at most this many of the flooder's turns)
MAX_IN_PROGRESS = 8
#: dropped messages holding an Aadhaar number that are still deleted from the chat, per user and flood
DELETES_PER_FLOOD = 3
#: seconds without a dropped update after which a flood is over (the next one is told again)
QUIET = 30.0
#: users' states are looked through for idle ones to forget every so many updates
SWEEP_EVERY = 1024


class Verdict(Enum):
    ADMIT = "admit"          # handle it; call ``FloodControl.leave`` when done
    DROP = "drop"            # ignore it
    DROP_AND_WARN = "warn"   # ignore it, and ask the user once to wait


@dataclass
class _User:
    tokens: float
    stamp: float
    in_progress: int = 0
    last_drop: float | None = None
    #: dropped messages deleted in this flood (they held an Aadhaar number)
    deletions: int = 0
    #: the update keys last admitted (a repeat of one costs no token)
    admitted: deque = field(default_factory=lambda: deque(maxlen=2 * BURST))


class FloodControl:
    def __init__(self, *, burst: int = BURST, per_second: float = REFILL_PER_SECOND,
                 max_in_progress: int = MAX_IN_PROGRESS, quiet: float = QUIET,
                 deletes_per_flood: int = DELETES_PER_FLOOD,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.burst = burst
        self.per_second = per_second
        self.max_in_progress = max_in_progress
        self.quiet = quiet
        self.deletes_per_flood = deletes_per_flood
        self.clock = clock
        self._users: dict[str, _User] = {}
        self._until_sweep = SWEEP_EVERY

    def enter(self, user_id: str, update_key: str | None = None) -> Verdict:
        """May this update of ``user_id`` be handled now? After ``ADMIT``,
        the caller calls ``leave`` once the update is handled."""
        now = self.clock()
        self._until_sweep -= 1
        if self._until_sweep <= 0:
            self._sweep(now)
        user = self._users.get(user_id)
        if user is None:
            user = self._users[user_id] = _User(tokens=float(self.burst), stamp=now)
        else:
            self._refill(user, now)
        repeat = update_key is not None and update_key in user.admitted
        if (repeat or user.tokens >= 1) and user.in_progress < self.max_in_progress:
            if not repeat:
                user.tokens -= 1
                if update_key is not None:
                    user.admitted.append(update_key)
            user.in_progress += 1
            return Verdict.ADMIT
        new_flood = user.last_drop is None or now - user.last_drop >= self.quiet
        user.last_drop = now
        user.tokens = 0.0  # a flood: nothing more until they pause, then one a second
        if new_flood:
            user.deletions = 0
        return Verdict.DROP_AND_WARN if new_flood else Verdict.DROP

    def may_delete(self, user_id: str) -> bool:
        """May a dropped message of ``user_id`` that holds an Aadhaar number
        be deleted from the chat? Yes for the first ``deletes_per_flood`` of
        the flood (each one asked about counts)."""
        user = self._users.get(user_id)
        if user is None or user.deletions >= self.deletes_per_flood:
            return False
        user.deletions += 1
        return True

    def leave(self, user_id: str) -> None:
        user = self._users.get(user_id)
        if user is not None and user.in_progress > 0:
            user.in_progress -= 1

    def _refill(self, user: _User, now: float) -> None:
        if now > user.stamp:
            user.tokens = min(float(self.burst), user.tokens + (now - user.stamp) * self.per_second)
            user.stamp = now

    def _sweep(self, now: float) -> None:
        """Forget users with nothing in progress, a full bucket and no flood."""
        self._until_sweep = SWEEP_EVERY
        for user_id, user in list(self._users.items()):
            self._refill(user, now)
            if user.in_progress == 0 and user.tokens >= self.burst \
                    and (user.last_drop is None or now - user.last_drop >= self.quiet):
                del self._users[user_id]

    def __len__(self) -> int:
        """Users currently remembered."""
        return len(self._users)
