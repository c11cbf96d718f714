"""The officials' daily digest on its schedule: once a minute, send today's
digest if its hour has come and no process has sent it yet
(``bot.reports.digest.run_digest``)."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from bot.domain.models import utcnow
from bot.reports.digest import Send, run_digest
from bot.store.contract import Store

log = logging.getLogger(__name__)


async def digest_loop(store: Store, send: Send, hour: int, runner: str, *,
                      clock: Callable[[], datetime] = utcnow, every: float = 60.0) -> None:
    """Check once a minute (runs until cancelled)."""
    while True:
        try:
            await run_digest(store, send, clock(), hour, runner)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("daily digest run failed; trying again in a minute")
        await asyncio.sleep(every)
