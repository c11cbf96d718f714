"""Camps: ``/camp new <name> <date> <CSC> [department]`` records a
registration camp and gives its deep link and a printable QR code.
Registrations that start through the link count for the camp, its CSC
and its department (see ``bot.store.tally.placed``).

The link names the bot, which only the channel knows: the reply carries the
deep-link payload (``camp_<code>``) and the channel shows the link and its QR code.
"""
from __future__ import annotations

import secrets
from datetime import date

from bot.domain.departments import find_department
from bot.i18n import N_
from bot.reports.targets import parse_date

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"   # no 0/o, 1/l/i: read off a banner
CODE_LENGTH = 6

CAMP_USAGE = N_("Please write it like this: /camp new Rojgar Mela Roorkee 30-11-2026 CSC1234\n"
                "(name, date, CSC code, and a department if the camp is for one)")
CAMP_BAD_CSC = N_("\"{value}\" is not a CSC code (letters and digits).")
CAMP_MADE = N_("Camp \"{name}\" on {day} at CSC {csc} is ready. Its link is below; print the "
               "QR code on banners: scanning it opens the bot, and every registration through it "
               "counts for this camp and CSC.")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def parse_camp(arg: str) -> tuple[str, date, str, str | None] | None:
    """``Rojgar Mela 30-11-2026 CSC1234 [mgnrega]`` -> (name, day, CSC, department)."""
    words = arg.split()
    for i, word in enumerate(words):
        day = parse_date(word)
        if day is not None and i > 0:
            name, rest = " ".join(words[:i])[:80], words[i + 1:]
            if len(rest) == 1:
                return name, day, rest[0], None
            department = find_department(rest[1]) if len(rest) == 2 else None
            if department is not None:
                return name, day, rest[0], department.code
            return None
    return None
