"""Who a user is, whichever channel they came by: the one place that knows
how a user id is written.

A user id is "<channel>:<id within the channel>": ``tg:123456789`` (a
Telegram user, whose private chat has the same number), ``console:ram``
(someone registering in a terminal), ``walkin:...`` (a worker a CSC operator
registers at the desk; they have no chat of their own). The store keeps
these ids as they are, so their form never changes.

Staff see and type a Telegram user's id as the bare number (what Telegram
shows them): ``shown`` writes an id for staff and ``typed`` reads one back
(``typed(shown(user_id)) == user_id``). An update's key ("tg:<update id>")
is written here too, as it names the channel the same way (and, for the
Telegram bots after the first of several, the bot: each numbers its own).

Nothing else spells a channel's prefix; the channels, the desk, the reports
and the settings' admin list all ask this module.
"""
from __future__ import annotations

#: the channels a user id may name
TELEGRAM = "tg"
CONSOLE = "console"
WALKIN = "walkin"
#: channels whose users have no chat to send a message to (a walk-in worker
#: hears from the CSC operator who registered them)
NO_CHAT = frozenset({WALKIN})
#: the channel of a bare number staff type or the settings list: a Telegram user
BARE_NUMBER = TELEGRAM

_SEP = ":"


def user_id(channel: str, local: str | int) -> str:
    """The user id of ``local`` in ``channel``: ``user_id(TELEGRAM, 42) == "tg:42"``."""
    local = str(local)
    if not channel or _SEP in channel or not local:
        raise ValueError("a user id needs a channel (without ':') and an id within it")
    return f"{channel}{_SEP}{local}"


def prefix(channel: str) -> str:
    """How the user ids of ``channel`` begin ("tg:")."""
    return f"{channel}{_SEP}"


def update_key(channel: str, update_id: str | int, via: str | None = None) -> str:
    """The key an update of ``channel`` is applied under (at most once).
    ``via``: where it came in, when the channel numbers its updates there
    (one of several Telegram bots, each counting its own update ids:
    ``tg:<update id>@<bot id>``)."""
    return user_id(channel, update_id if via is None else f"{update_id}@{via}")


def parse(uid: str) -> tuple[str, str] | None:
    """(channel, id within it), or None if ``uid`` names no channel."""
    channel, sep, local = uid.partition(_SEP)
    if not sep or not channel or not local:
        return None
    return channel, local


def channel_of(uid: str) -> str | None:
    """The channel of a user id; None if it names none."""
    parsed = parse(uid)
    return parsed[0] if parsed else None


def local_id(uid: str, channel: str) -> str | None:
    """The id within ``channel`` if ``uid`` is a user of it, else None."""
    parsed = parse(uid)
    return parsed[1] if parsed is not None and parsed[0] == channel else None


def telegram_chat(uid: str) -> int | None:
    """The private chat of a Telegram user (its number is the user's); None
    for a user of another channel or an id that is not a number."""
    local = local_id(uid, TELEGRAM)
    if local is None or not local.lstrip("-").isdecimal() or not local.isascii():
        return None
    return int(local)


def is_walkin(uid: str) -> bool:
    """A worker registered at a CSC by an operator (``bot.desk.assist``)."""
    return channel_of(uid) == WALKIN


def new_walkin(token: str) -> str:
    """A walk-in worker's user id, made of a random ``token``."""
    return user_id(WALKIN, token)


def shown(uid: str) -> str:
    """A user id as staff read it: a Telegram user's bare number, any other
    user's whole id (``walkin:...``, ``console:ram``)."""
    local = local_id(uid, BARE_NUMBER)
    return local if local is not None and _bare_number(local) else uid


def typed(text: str) -> str | None:
    """The user id staff (or the settings) name: a bare number is a
    Telegram user; an id with its channel (``walkin:...``) is taken as it
    is; anything else (blank, spaces inside, no channel) is None."""
    text = text.strip()
    if _bare_number(text):
        return user_id(BARE_NUMBER, text)
    return text if parse(text) is not None and not any(ch.isspace() for ch in text) else None


def _bare_number(text: str) -> bool:
    return text.isdecimal() and text.isascii()
