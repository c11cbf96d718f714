"""Reading a Telegram update: who sent it, in which chat, and what they did,
as the engine's ``Input``. Pure: no I/O.

A message that holds what may be an Aadhaar number anywhere the chat shows
it (``written``: its text or caption, at another question, in a command,
edited, under a photo; a shared contact's name, phone field or vCard; a
file's name; a venue; a poll; a checklist; the quoted part of a reply) is
flagged (``Incoming.holds_aadhaar``), so the channel deletes it from the
chat whatever the answer to it is. A contact's phone numbers are phone
numbers: Telegram writes them without "+", so one is read as if written
with it (a mobile with India's code is not an Aadhaar).

A document whose caption is a command (``/target`` with a CSV) is that
command; the channel reads the file only for a staff command the sender
may run (see ``app`` and ``bot.dispatch``). Only private chats are served; in a group the bot answers a command with a
request to write privately and reads nothing else, so no one's details end
up in a group.
"""
from __future__ import annotations

from dataclasses import dataclass

from telegram import Chat, Message, Update

from bot import addresses
from bot.domain import personal_numbers
from bot.i18n import language_of_phone
from bot.messages import Input

#: what we ask Telegram to send
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]

#: message content other than text, in the order they are checked
_KINDS = ("contact", "photo", "sticker", "voice", "audio", "video_note", "video", "animation",
          "document", "location", "venue", "poll", "dice", "game", "invoice", "story")


@dataclass(frozen=True)
class Incoming:
    update_key: str               # the update's id (``addresses.update_key``): applied at most once
    user_id: str                  # the Telegram user's id (``addresses.user_id``)
    chat_id: int
    input: Input
    phone_lang: str | None = None          # the language offered for their Telegram app's language
    message_id: int | None = None          # the user's message (deleted if it held a secret)
    callback_id: str | None = None         # a button press to acknowledge
    pressed_message_id: int | None = None  # the bot message whose buttons were pressed
    private: bool = True
    #: a document sent with a command in its caption: (file id, file name, size), to download
    upload: tuple[str, str, int | None] | None = None
    #: what the chat shows of it (edited or not) holds what may be an Aadhaar number: delete it
    holds_aadhaar: bool = False


def parse_command(text: str) -> tuple[str, str | None] | None:
    """"/start@ShramBot camp_12" -> ("start", "camp_12"); None if not a command."""
    if not text.startswith("/") or len(text) < 2:
        return None
    head, _, arg = text[1:].partition(" ")
    name = head.split("@", 1)[0].strip().lower()
    if not name:
        return None
    return name, arg.strip() or None


def message_input(message: Message, edited: bool = False) -> Input:
    if edited:
        return Input(kind="edited")
    if message.text is not None:
        command = parse_command(message.text)
        if command is not None:
            return Input(command=command[0], arg=command[1])
        return Input(text=message.text)
    if message.document is not None and message.caption:
        command = parse_command(message.caption)
        if command is not None:  # "/target" with a CSV: the command, its file read by the channel
            return Input(command=command[0], arg=command[1], kind="document")
    if message.contact is not None:
        own = message.from_user is not None and message.contact.user_id == message.from_user.id
        return Input(text=message.contact.phone_number, kind="contact", own_contact=own)
    if message.voice is not None:  # an answer where the question takes one: its file id, to play it at the CSC
        return Input(kind="voice", voice=voice_file(message.voice.file_id))
    for kind in _KINDS:
        if getattr(message, kind, None):
            return Input(kind=kind)
    return Input(kind="other")


#: the longest voice note file id taken (Telegram's are under 100 characters)
MAX_FILE_ID = 256


def voice_file(file_id: object) -> str | None:
    """A voice note's file id as kept, if it looks like one Telegram gives."""
    return file_id if isinstance(file_id, str) and 0 < len(file_id) <= MAX_FILE_ID else None


def written(message: Message) -> tuple[list, list]:
    """What the chat shows of ``message`` that its sender wrote, as Telegram
    sent it (what is absent left out): the texts, and the phone numbers (a
    shared contact's, and the TEL lines of its vCard). The webhook refuses
    an update where any of these is not a string."""
    texts: list = [message.text, message.caption]
    phones: list = []
    contact = message.contact
    if contact is not None:
        names = (contact.first_name, contact.last_name)
        texts += [*names, " ".join(n for n in names if isinstance(n, str))]   # shown as one name
        phones.append(contact.phone_number)
        if isinstance(contact.vcard, str):
            tel, rest = _vcard(contact.vcard)
            phones += tel
            texts.append(rest)
        else:
            texts.append(contact.vcard)
    for media in (message.document, message.audio, message.video, message.animation):
        if media is not None:
            texts.append(media.file_name)
    if message.audio is not None:
        texts += [message.audio.title, message.audio.performer]
    if message.venue is not None:
        texts += [message.venue.title, message.venue.address]
    if message.poll is not None:
        poll = message.poll
        texts += [poll.question, poll.description, poll.explanation, *(o.text for o in poll.options or ())]
    if message.checklist is not None:
        texts += [message.checklist.title, *(t.text for t in message.checklist.tasks or ())]
    if message.quote is not None:
        texts.append(message.quote.text)
    return [t for t in texts if t is not None], [p for p in phones if p is not None]


def _vcard(vcard: str) -> tuple[list[str], str]:
    """A vCard's phone numbers (its TEL lines' values), and the rest of it."""
    tel, rest = [], []
    for line in vcard.splitlines():
        name, colon, value = line.partition(":")
        if colon and name.split(";", 1)[0].rsplit(".", 1)[-1].strip().upper() == "TEL":  # "item1.TEL;TYPE=CELL"
            tel.append(value)
        else:
            rest.append(line)
    return tel, "\n".join(rest)


def holds_aadhaar(message: Message) -> bool:
    texts, phones = written(message)
    return (any(personal_numbers.holds_aadhaar(t) for t in texts if isinstance(t, str))
            or any(personal_numbers.holds_aadhaar("+" + p) for p in phones if isinstance(p, str)))


def read_update(update: Update, via: str | None = None) -> Incoming | None:
    """The update as the service sees it, or None if there is nothing to
    answer. ``via``: the bot it came to, if its update ids are to be told
    apart from another bot's (``addresses.update_key``)."""
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    update_key = addresses.update_key(addresses.TELEGRAM, update.update_id, via)
    user_id = addresses.user_id(addresses.TELEGRAM, user.id)
    phone_lang = language_of_phone(user.language_code)
    if update.callback_query is not None:
        query = update.callback_query
        chat_id = query.message.chat.id if query.message is not None else user.id
        private = query.message is None or query.message.chat.type == Chat.PRIVATE
        return Incoming(update_key=update_key, user_id=user_id, phone_lang=phone_lang, chat_id=chat_id,
                        input=Input(button=(query.data or "")[:64]),
                        callback_id=query.id, private=private,
                        pressed_message_id=query.message.message_id if query.message is not None else None)
    message, edited = update.message, False
    if message is None and update.edited_message is not None:
        message, edited = update.edited_message, True
    if message is None:
        return None
    inp = message_input(message, edited)
    upload = None
    document = message.document if inp.kind == "document" else None
    if document is not None and inp.command is None and (document.file_name or "").lower().endswith(".csv"):
        inp = Input(kind="document", command="target")  # a CSV alone: a targets file
    if document is not None and inp.command is not None:
        upload = (document.file_id, document.file_name or "upload", document.file_size)
    return Incoming(update_key=update_key, user_id=user_id, phone_lang=phone_lang, chat_id=message.chat.id,
                    input=inp, upload=upload,
                    message_id=message.message_id, private=message.chat.type == Chat.PRIVATE,
                    holds_aadhaar=holds_aadhaar(message))
