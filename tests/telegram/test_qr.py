"""The QR code of a reference link is made without segno's general encoder
(``bot.qr``): it must be segno's code, module for module, for every link
length it takes on (and segno's own for everything else), and its PNG must
be the one written pixel by pixel from segno's matrix."""
from __future__ import annotations

import random
import string
import struct
import zlib

import pytest
import segno

from bot.qr import qr_matrix, qr_png


def segno_matrix(text: str) -> list[bytearray]:
    return [bytearray(row) for row in segno.make(text, error="m", mask=0).matrix]


def png_of(matrix, scale: int, border: int) -> bytes:
    """The PNG as written before, bit string by bit string, from ``matrix``."""
    size = len(matrix) + 2 * border
    quiet = "1" * border * scale
    rows = []
    for modules in matrix:
        bits = quiet + "".join(("0" if dark else "1") * scale for dark in modules) + quiet
        bits += "1" * (-len(bits) % 8)
        rows.extend([b"\0" + int(bits, 2).to_bytes(len(bits) // 8, "big")] * scale)
    width_bytes = (size * scale + 7) // 8
    white = b"\0" + b"\xff" * width_bytes
    image = white * (border * scale) + b"".join(rows) + white * (border * scale)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", size * scale, size * scale, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(image)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("length", range(1, 241))
def test_every_length_gives_segnos_modules(length: int) -> None:
    rng = random.Random(length)
    letters = string.ascii_letters + string.digits + "-_?=/:.&%"
    for _ in range(4):
        text = "".join(rng.choice(letters) for _ in range(length))
        assert qr_matrix(text) == segno_matrix(text)


@pytest.mark.parametrize("text", [
    "https://t.me/ShramSahayakBot?start=SS-7K4M-9PQ2", "https://t.me/ShramSahayakBot?start=camp_1234",
    "https://t.me/a_bot?start=X", "HTTPS://T.ME/SHRAM?START=SS-7K4M", "12345678901234567890",
    "https://t.me/बॉट?start=SS-1", "short", "x" * 1000])
def test_links_and_other_texts_give_segnos_modules(text: str) -> None:
    assert qr_matrix(text) == segno_matrix(text)


@pytest.mark.parametrize("scale", [1, 2, 3, 5, 6, 8, 12])
@pytest.mark.parametrize("border", [0, 1, 4])
def test_png_is_the_one_written_pixel_by_pixel(scale: int, border: int) -> None:
    link = "https://t.me/ShramSahayakBot?start=SS-7K4M-9PQ2"
    assert qr_png(link, scale=scale, border=border) == png_of(segno_matrix(link), scale, border)
