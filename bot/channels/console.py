"""The registration conversation in a terminal: the same engine and store as
Telegram. Messages are printed, choices numbered, answers read line by line
from stdin, so the console can also be driven by a script:

    printf '1\n1\n15/08/1990\n...' | shram-sahayak console --user demo

A line starting with / is a command (/help, /status, /language, /cancel,
/delete, /start).

``run`` starts it from the settings through ``bot.bootstrap`` (the same
dispatcher as the Telegram bot's, no background jobs). Messages for other
users go through the notifier: a console user's are printed here
("[to console:...]"), anyone else's are logged and counted as not sent
(``bot.notify``).
"""
from __future__ import annotations

import sys
from typing import TextIO

from bot import addresses
from bot.bootstrap import running
from bot.channels import Handler
from bot.config import Settings
from bot.messages import Input, Notice, Outcome
from bot.notify import Notifier, Sender
from bot.staff_commands import STAFF_COMMANDS


def parse_line(line: str) -> Input:
    text = line.rstrip("\r\n")
    if text.startswith("/") and len(text) > 1:
        name, _, arg = text[1:].partition(" ")
        return Input(command=name.strip().lower(), arg=arg.strip() or None)
    return Input(text=text)


def render(outcome: Outcome) -> str:
    """The replies to the user at the terminal (the notices go through the notifier)."""
    return "\n\n".join(_reply(reply) for reply in outcome.replies)


def render_notice(notice: Notice) -> str:
    return "\n\n".join(f"[to {notice.user_id}] " + _reply(reply) for reply in notice.replies)


def notice_sender(stdout: TextIO) -> Sender:
    """How a notice reaches a console user: printed in this terminal."""
    async def send(notice: Notice) -> None:
        stdout.write(render_notice(notice) + "\n\n")
        stdout.flush()
    return send


def _reply(reply) -> str:
    lines = [reply.text]
    lines += [f"  {n}. {choice.label}" for n, choice in enumerate(reply.choices, 1)]
    if reply.deep_link:
        lines.append(f"  (link: /start {reply.deep_link}{', and its QR code image' if reply.link_qr else ''})")
    if reply.delete_after is not None:
        lines.append(f"  (this message is deleted after {reply.delete_after:g} seconds)")
    if reply.voice is not None:  # a Telegram voice note: a terminal cannot play it
        lines.append("  (a voice note: it plays on Telegram)")
    for kind, attached in (("image", reply.photo), ("file", reply.document)):
        if attached is not None:
            lines.append(f"  ({kind} {attached[0]}, {len(attached[1]):,} bytes)")
    return "\n".join(lines)


async def run(settings: Settings, user: str, *, lang: str | None = None,
              stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    """``shram-sahayak console``: ``user`` registers (or works at the desk) in this terminal."""
    async with running(settings) as bot:
        await run_console(bot.dispatcher, addresses.user_id(addresses.CONSOLE, user), lang=lang,
                          stdin=stdin, stdout=stdout, notifier=bot.notifier)


async def run_console(registration: Handler, user_id: str, *, lang: str | None = None,
                      stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout,
                      notifier: Notifier | None = None) -> None:
    """Read ``user_id``'s input from ``stdin`` until it ends; ``notifier``:
    the process's (default: a new one), with which the console's sender is
    registered here."""
    interactive = stdin.isatty()
    notifier = notifier if notifier is not None else Notifier()
    notifier.register(addresses.CONSOLE, notice_sender(stdout))

    buttons: list[str] = []  # the last message's inline buttons, as "<command>:<id>"

    async def send(inp: Input) -> None:
        outcome = await registration.handle(user_id, inp, default_lang=lang)
        if outcome is None:
            return
        stdout.write(render(outcome) + "\n\n")
        stdout.flush()
        await notifier.send_all(outcome.notices)
        last = outcome.replies[-1] if outcome.replies else None
        buttons[:] = [f"{last.question}:{c.id}" for c in last.choices] \
            if last is not None and last.question in STAFF_COMMANDS else []

    await send(Input(command="start"))
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        if not interactive:
            stdout.write(f"> {line.rstrip()}\n")
        inp = parse_line(line)
        number = (inp.text or "").strip()
        if buttons and number.isdigit() and 1 <= int(number) <= len(buttons):
            inp = Input(button=buttons[int(number) - 1])  # a desk screen's button, by its number
        await send(inp)
