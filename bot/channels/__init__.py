"""The ways users reach the bot: Telegram (``telegram``) and a terminal
(``console``). A channel turns what a user did into an ``Input``, hands it to
the dispatcher (``Handler``: built by ``bot.bootstrap``), shows the user the
``Outcome`` and sends its notices through the notifier (``bot.notify``)."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.messages import Input, Outcome


class Handler(Protocol):
    """What a channel calls with every input (``bot.dispatch.Dispatcher``)."""

    async def handle(self, user_id: str, inp: Input, *, default_lang: str | None = None,
                     update_key: str | None = None,
                     deliver: Callable[[Outcome], Awaitable[None]] | None = None) -> Outcome | None:
        """The outcome of ``inp``; None if its update was applied before."""
        ...
