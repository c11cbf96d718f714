"""The message contract of the whole system: what a user did (``Input``)
and what the bot answers (``Outcome``: ``Reply`` messages for the user who
acted, ``Notice`` messages for others).

Channels (Telegram, the console) turn their updates into an ``Input`` and
show an ``Outcome``; the registration engine (``bot.flow.engine``), the
desk and the reports only ever speak these types. Nothing here knows a
channel or a form.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain.models import Draft


@dataclass(frozen=True)
class Input:
    """One thing a user did.

    ``kind`` is "text" for typed text (and reply-keyboard buttons), "contact"
    for a shared phone contact (``text`` holds its number, ``own_contact``
    says whether it is the sender's own), "edited" for an edited message,
    "voice" for a voice note (``voice`` holds the channel's id of it: an
    answer where the question takes one, see ``Step.voice``); anything else
    (photo, sticker, audio file...) is answered politely and the question
    asked again."""

    text: str | None = None
    button: str | None = None   # "<question>:<choice>" from a button press
    command: str | None = None  # without the slash
    arg: str | None = None      # command argument, e.g. a /start deep-link payload
    kind: str = "text"
    own_contact: bool = False
    #: a voice note's file id in its channel (personal data: kept with the draft, never logged)
    voice: str | None = None
    #: a file sent with a command in its caption (a staff upload): awaited, it
    #: reads the file as (file name, content); only a staff command allowed to
    #: the sender reads it
    file: Callable[[], Awaitable[tuple[str, bytes]]] | None = None


class Hint(StrEnum):
    """What a channel can do better for a question."""

    CONTACT = "contact"  # offer "share my number"


@dataclass(frozen=True)
class Choice:
    id: str
    label: str                # as shown, in the user's language
    msgid: str | None = None  # the English source, so a label typed in any language matches


@dataclass
class Reply:
    text: str
    choices: list[Choice] = field(default_factory=list)
    question: str | None = None  # buttons carry "<question>:<choice id>"
    hint: Hint | None = None
    #: show this application reference as a QR code too (a CSC operator scans it)
    qr_reference: str | None = None
    #: an image to send after the text: (file name, PNG bytes), e.g. a progress chart
    photo: tuple[str, bytes] | None = None
    #: a file to send after the text: (file name, bytes), e.g. a CSV export
    document: tuple[str, bytes] | None = None
    #: delete this message from the chat after so many seconds (a revealed Aadhaar)
    delete_after: float | None = None
    #: a deep-link payload: the channel shows the link that opens the bot with it
    deep_link: str | None = None
    #: send that link as a printable QR code image too (a camp's banner)
    link_qr: bool = False
    #: a voice note to send after the text, by its channel's file id (a worker's answer, played to the operator)
    voice: str | None = None


class Effect(StrEnum):
    """What the registration engine asks the service to do with the store."""
    CHECK_AADHAAR = "check_aadhaar"
    SUBMIT = "submit"
    ERASE = "erase"


@dataclass(frozen=True)
class Notice:
    """Messages for another user than the one who acted (a worker told that
    their application is approved), already in that user's language."""
    user_id: str
    lang: str
    replies: list[Reply]
    #: that user's command menu from now on (``[]``: the everyday one again, a role taken away)
    menu: list[tuple[str, str]] | None = None


@dataclass
class Outcome:
    draft: Draft | None
    replies: list[Reply]
    effect: Effect | None = None
    #: the user's message held a secret (Aadhaar, account): a channel should delete it
    secret_input: bool = False
    #: messages for other users, sent after the replies
    notices: list[Notice] = field(default_factory=list)
    #: this user's own command menu from now on: (command, what it does), translated
    menu: list[tuple[str, str]] | None = None
