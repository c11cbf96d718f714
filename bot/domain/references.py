"""Application references: short, readable aloud, and recognisable.

"SS-7K4M-9PQ2": eight characters from an alphabet without 0/O, 1/I/L. The
reference is also the payload of the deep link in the worker's QR code, so a
/start payload of this shape is a reference, never a camp or CSC code.
"""
from __future__ import annotations

import re
import secrets
from typing import Callable

#: readable aloud, none of 0/O, 1/I/L
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_RE = re.compile(rf"^SS-[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{4}}$")


def new_reference(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    chars = "".join(REFERENCE_ALPHABET[randbelow(len(REFERENCE_ALPHABET))] for _ in range(8))
    return f"SS-{chars[:4]}-{chars[4:]}"


def is_reference(text: str) -> bool:
    return bool(REFERENCE_RE.match(text.strip().upper()))
