"""QR codes as PNG, for the channel (an application reference for the CSC
to scan) and for reports (a camp's deep link, printed on banners)."""
from __future__ import annotations

import struct
import zlib

import segno


def qr_png(link: str, scale: int = 6, border: int = 4) -> bytes:
    """The QR code of ``link`` as a black-and-white PNG. The mask pattern is
    fixed (choosing the "best" one doubles the time, and any mask scans), and
    the PNG is written here from the module matrix: segno's own writer goes
    pixel by pixel and takes twice as long as making the code."""
    matrix = segno.make(link, error="m", mask=0).matrix
    size = len(matrix) + 2 * border
    quiet = "1" * border * scale
    rows = []
    for modules in matrix:  # 1 bit per pixel, 1 = white
        bits = quiet + "".join(("0" if dark else "1") * scale for dark in modules) + quiet
        bits += "1" * (-len(bits) % 8)
        rows.extend([b"\0" + int(bits, 2).to_bytes(len(bits) // 8, "big")] * scale)
    width_bytes = (size * scale + 7) // 8
    white = b"\0" + b"\xff" * width_bytes
    image = white * (border * scale) + b"".join(rows) + white * (border * scale)
    header = struct.pack(">IIBBBBB", size * scale, size * scale, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(image)) \
        + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
