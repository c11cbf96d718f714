"""QR codes as PNG, for the channel (an application reference for the CSC
to scan) and for reports (a camp's deep link, printed on banners).

Every submission sends one, so it is made here without segno's general
encoder where it can be: a link (ASCII text holding a character outside
QR's alphanumeric set, so one byte segment), 16 to 213 bytes long (versions
1 to 10, no Micro QR), is encoded with the version, error correction level
and mask segno would pick for it (the smallest version at level M, raised
to Q or H where the data still fits that version; mask 0), from a template
of its version and level made once: only its codewords, their error
correction and their places are worked out per code. The result is the same
matrix, module for module (tests/telegram/test_qr.py compares them); any
other text goes to segno. The steps are those of ISO/IEC 18004 as Project
Nayuki's QR Code generator (MIT licence) lays them out.
"""
from __future__ import annotations

import struct
import zlib
from functools import lru_cache

import segno

#: error correction levels, lowest first, and their format bits
_LEVELS = ("L", "M", "Q", "H")
_FORMAT_BITS = {"L": 1, "M": 0, "Q": 3, "H": 2}
#: per version (1-10) and level: (error correction codewords per block, ((blocks, data codewords each), ...))
_BLOCKS: dict[tuple[int, str], tuple[int, tuple[tuple[int, int], ...]]] = {
    (1, "L"): (7, ((1, 19),)), (1, "M"): (10, ((1, 16),)), (1, "Q"): (13, ((1, 13),)), (1, "H"): (17, ((1, 9),)),
    (2, "L"): (10, ((1, 34),)), (2, "M"): (16, ((1, 28),)), (2, "Q"): (22, ((1, 22),)), (2, "H"): (28, ((1, 16),)),
    (3, "L"): (15, ((1, 55),)), (3, "M"): (26, ((1, 44),)), (3, "Q"): (18, ((2, 17),)), (3, "H"): (22, ((2, 13),)),
    (4, "L"): (20, ((1, 80),)), (4, "M"): (18, ((2, 32),)), (4, "Q"): (26, ((2, 24),)), (4, "H"): (16, ((4, 9),)),
    (5, "L"): (26, ((1, 108),)), (5, "M"): (24, ((2, 43),)), (5, "Q"): (18, ((2, 15), (2, 16))),
    (5, "H"): (22, ((2, 11), (2, 12))),
    (6, "L"): (18, ((2, 68),)), (6, "M"): (16, ((4, 27),)), (6, "Q"): (24, ((4, 19),)), (6, "H"): (28, ((4, 15),)),
    (7, "L"): (20, ((2, 78),)), (7, "M"): (18, ((4, 31),)), (7, "Q"): (18, ((2, 14), (4, 15))),
    (7, "H"): (26, ((4, 13), (1, 14))),
    (8, "L"): (24, ((2, 97),)), (8, "M"): (22, ((2, 38), (2, 39))), (8, "Q"): (22, ((4, 18), (2, 19))),
    (8, "H"): (26, ((4, 14), (2, 15))),
    (9, "L"): (30, ((2, 116),)), (9, "M"): (22, ((3, 36), (2, 37))), (9, "Q"): (20, ((4, 16), (4, 17))),
    (9, "H"): (24, ((4, 12), (4, 13))),
    (10, "L"): (18, ((2, 68), (2, 69))), (10, "M"): (26, ((4, 43), (1, 44))), (10, "Q"): (24, ((6, 19), (2, 20))),
    (10, "H"): (28, ((6, 15), (2, 16))),
}
_ALIGNMENT = {1: (), 2: (6, 18), 3: (6, 22), 4: (6, 26), 5: (6, 30), 6: (6, 34), 7: (6, 22, 38), 8: (6, 24, 42),
              9: (6, 26, 46), 10: (6, 28, 50)}
_MAX_VERSION = 10
#: the characters of QR's alphanumeric mode (a text of these only is not one byte segment for segno)
_ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
#: shorter texts may fit a Micro QR code, which segno would make
_MIN_BYTES = 16


def qr_png(link: str, scale: int = 6, border: int = 4) -> bytes:
    """The QR code of ``link`` as a black-and-white PNG. The mask pattern is
    fixed (choosing the "best" one doubles the time, and any mask scans), and
    the PNG is written here from the module matrix (segno's own writer goes
    pixel by pixel), several modules at a time."""
    matrix = qr_matrix(link)
    size = len(matrix) + 2 * border
    group = 8 // _gcd(8, scale)  # modules that fill whole bytes
    table = _pixels(scale, group)
    width_bytes = (size * scale + 7) // 8
    pad = (-size) % group
    light = b"\0" * border
    rows = []
    for modules in matrix:  # 1 bit per pixel, 1 = white
        line = light + bytes(modules) + light + b"\0" * pad
        row = b"".join([table[line[i:i + group]] for i in range(0, len(line), group)])
        rows.extend([b"\0" + row[:width_bytes]] * scale)
    white = b"\0" + b"\xff" * width_bytes
    image = white * (border * scale) + b"".join(rows) + white * (border * scale)
    header = struct.pack(">IIBBBBB", size * scale, size * scale, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(image)) \
        + _chunk(b"IEND", b"")


def qr_matrix(text: str) -> list[bytearray]:
    """The modules of ``text``'s QR code (1 = dark), row by row, as
    ``segno.make(text, error="m", mask=0).matrix`` has them."""
    data = text.encode("ascii") if text.isascii() else b""
    if _MIN_BYTES <= len(data) and not set(text) <= _ALPHANUMERIC:
        fitting = _fitting(len(data))
        matrix = _encode(data, *fitting) if fitting is not None else None
        if matrix is not None:
            return matrix
    return [bytearray(row) for row in segno.make(text, error="m", mask=0).matrix]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


@lru_cache(maxsize=16)
def _pixels(scale: int, group: int) -> dict[bytes, bytes]:
    """``group`` modules (1 dark) -> their pixels, ``scale`` each (1 white), as whole bytes."""
    table = {}
    for pattern in range(1 << group):
        modules = bytes((pattern >> (group - 1 - i)) & 1 for i in range(group))
        bits = "".join(("0" if dark else "1") * scale for dark in modules)
        table[modules] = int(bits, 2).to_bytes(len(bits) // 8, "big")
    return table


# -- the encoder -------------------------------------------------------------------

def _capacity(version: int, level: str) -> int:
    """Data codewords of ``version`` at ``level``."""
    return sum(count * size for count, size in _BLOCKS[version, level][1])


def _fitting(length: int) -> tuple[int, str] | None:
    """(version, level) for ``length`` bytes as segno picks them, if within version 10."""
    for version in range(1, _MAX_VERSION + 1):
        needed = (4 + (8 if version < 10 else 16) + 8 * length + 7) // 8
        if needed <= _capacity(version, "M"):
            level = "M"
            for higher in ("Q", "H"):
                if needed <= _capacity(version, higher):
                    level = higher
            return version, level
    return None


def _encode(data: bytes, version: int, level: str) -> list[bytearray] | None:
    """The matrix; None where segno's padding would not fit (see below)."""
    capacity = _capacity(version, level)
    count_bits = 8 if version < 10 else 16
    bits = (0b0100 << count_bits | len(data)) << 8 * len(data) | int.from_bytes(data, "big")
    used = 4 + count_bits + 8 * len(data)
    terminator = min(4, capacity * 8 - used)
    # then zeros to the next codeword, as segno writes them: a whole zero
    # codeword when the terminator ends on a codeword boundary already
    padding = terminator + 8 - (used + terminator) % 8
    bits <<= padding
    used += padding
    if used > capacity * 8:
        return None
    codewords = bits.to_bytes(used // 8, "big") + bytes((0xEC, 0x11) * capacity)[:capacity - used // 8]
    ecc_length, groups = _BLOCKS[version, level]
    blocks, at = [], 0
    for count, size in groups:
        for _ in range(count):
            blocks.append(codewords[at:at + size])
            at += size
    eccs = [_ecc(block, ecc_length) for block in blocks]
    message = bytearray()
    for i in range(max(len(block) for block in blocks)):
        message.extend(block[i] for block in blocks if i < len(block))
    for i in range(ecc_length):
        message.extend(ecc[i] for ecc in eccs)
    template, places, size = _template(version, level)
    modules = bytearray(template)
    placed = format(int.from_bytes(message, "big"), f"0{8 * len(message)}b")
    for (at, flip), bit in zip(places, placed, strict=False):
        modules[at] = (bit == "1") ^ flip
    for at, flip in places[len(placed):]:  # the remainder bits after the message: light, then masked
        modules[at] = flip
    return [modules[row * size:(row + 1) * size] for row in range(size)]


@lru_cache(maxsize=64)
def _template(version: int, level: str) -> tuple[bytes, tuple[tuple[int, bool], ...], int]:
    """The function patterns of ``version`` with the format bits of
    ``level`` and mask 0 (one byte a module, row after row), and the places
    of the data modules in the order they are filled, each with whether mask
    0 darkens it; and the size."""
    size = 4 * version + 17
    modules = bytearray(size * size)
    function = bytearray(size * size)

    def put(x: int, y: int, dark: bool) -> None:
        modules[y * size + x] = dark
        function[y * size + x] = 1

    for i in range(size):  # timing patterns
        put(6, i, i % 2 == 0)
        put(i, 6, i % 2 == 0)
    for cx, cy in ((3, 3), (size - 4, 3), (3, size - 4)):  # finders with their separators
        for dy in range(-4, 5):
            for dx in range(-4, 5):
                if 0 <= cx + dx < size and 0 <= cy + dy < size:
                    put(cx + dx, cy + dy, max(abs(dx), abs(dy)) not in (2, 4))
    centres = _ALIGNMENT[version]
    last = len(centres) - 1
    for i, cx in enumerate(centres):
        for j, cy in enumerate(centres):
            if (i, j) in ((0, 0), (0, last), (last, 0)):
                continue
            for dy in range(-2, 3):
                for dx in range(-2, 3):
                    put(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1)
    fmt = _FORMAT_BITS[level] << 3  # mask 0
    remainder = fmt
    for _ in range(10):
        remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537)
    fmt_bits = (fmt << 10 | remainder) ^ 0x5412
    bit = [bool((fmt_bits >> i) & 1) for i in range(15)]
    for i in range(6):
        put(8, i, bit[i])
    put(8, 7, bit[6])
    put(8, 8, bit[7])
    put(7, 8, bit[8])
    for i in range(9, 15):
        put(14 - i, 8, bit[i])
    for i in range(8):
        put(size - 1 - i, 8, bit[i])
    for i in range(8, 15):
        put(8, size - 15 + i, bit[i])
    put(8, size - 8, True)  # the dark module
    if version >= 7:
        remainder = version
        for _ in range(12):
            remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25)
        version_bits = version << 12 | remainder
        for i in range(18):
            dark = bool((version_bits >> i) & 1)
            a, b = size - 11 + i % 3, i // 3
            put(a, b, dark)
            put(b, a, dark)
    places = []
    right = size - 1
    while right >= 1:
        if right == 6:
            right = 5
        upward = (right + 1) & 2 == 0
        for vertical in range(size):
            y = size - 1 - vertical if upward else vertical
            for x in (right, right - 1):
                if not function[y * size + x]:
                    places.append((y * size + x, (x + y) % 2 == 0))
        right -= 2
    return bytes(modules), tuple(places), size


def _gf_multiply(x: int, y: int) -> int:
    """Product in GF(2^8) modulo x^8 + x^4 + x^3 + x^2 + 1."""
    z = 0
    for i in reversed(range(8)):
        z = (z << 1) ^ ((z >> 7) * 0x11D)
        z ^= ((y >> i) & 1) * x
    return z


@lru_cache(maxsize=32)
def _ecc_table(degree: int) -> tuple[int, ...]:
    """For each byte value f: the Reed-Solomon divisor of ``degree`` times f,
    as one integer of ``degree`` bytes (its first coefficient the highest)."""
    divisor = [0] * (degree - 1) + [1]
    root = 1
    for _ in range(degree):
        for j in range(degree):
            divisor[j] = _gf_multiply(divisor[j], root)
            if j + 1 < degree:
                divisor[j] ^= divisor[j + 1]
        root = _gf_multiply(root, 0x02)
    table = []
    for factor in range(256):
        value = 0
        for coefficient in divisor:
            value = value << 8 | _gf_multiply(coefficient, factor)
        table.append(value)
    return tuple(table)


def _ecc(block: bytes, degree: int) -> bytes:
    """The Reed-Solomon error correction codewords of ``block``."""
    table = _ecc_table(degree)
    shift, full = 8 * (degree - 1), (1 << 8 * degree) - 1
    remainder = 0
    for byte in block:
        remainder = ((remainder << 8) & full) ^ table[(remainder >> shift) ^ byte]
    return remainder.to_bytes(degree, "big")
