"""A kept page, compressed once, with each visitor's own CSRF token put in: one gzip stream.

A kept page (smederijen/pagecache.py) is the same for every visitor but for the token of its
forms. Compressing the whole page again for each visitor cost the kept pages 10-25 % of their
speed (40-60 KB at level 6 on every answer). Here the parts between the tokens are compressed
once, when the page is kept, each ending on a full flush (byte-aligned, no reference to what came
before); for each answer only the token is compressed, the parts are joined into one deflate
stream and the gzip trailer gets the checksum of the whole page, reckoned from the parts' own
checksums (crc32 is affine in its start value, so each part keeps the 32 values that carry a
checksum across it). Browsers read one stream only: several gzip members one after the other
stop after the first in Chromium.

BREACH: the token is compressed in a part of its own, after a full flush, so nothing of the page
(nor anything a visitor put in the address) shares its compression; it is masked anew for every
answer, and the gzip header carries 1-100 random bytes, as Django's own GZipMiddleware does.
"""

import secrets
import struct
import zlib

LEVEL = 6
_NAME_CHARACTERS = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _deflate(data: bytes, *, last: bool) -> bytes:
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH
    )


def _carry(length: int) -> tuple[int, ...]:
    """What a start value of the checksum becomes across ``length`` bytes, one value per bit:
    crc32(data, start) = crc32(data, 0) ^ (the values of start's bits XOR-ed together)."""
    zeros = bytes(length)
    base = zlib.crc32(zeros, 0)
    return tuple(zlib.crc32(zeros, 1 << bit) ^ base for bit in range(32))


def _across(start: int, carry: tuple[int, ...]) -> int:
    value = 0
    for bit in range(32):
        if start >> bit & 1:
            value ^= carry[bit]
    return value


def prepare(parts: list[bytes]) -> tuple:
    """The page's parts between the tokens, each compressed, with its checksum, length and carry."""
    last = len(parts) - 1
    return tuple(
        (_deflate(part, last=index == last), zlib.crc32(part), len(part), _carry(len(part)))
        for index, part in enumerate(parts)
    )


def join(prepared: tuple, token: bytes) -> bytes:
    """The whole page as one gzip stream, with ``token`` between each two parts."""
    name = bytes(secrets.choice(_NAME_CHARACTERS) for _ in range(secrets.randbelow(100) + 1))
    # Magic, deflate, FNAME, no time, no extra flags, unknown OS; then the random name.
    chunks = [b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff", name, b"\x00"]
    first_stream, crc, size = prepared[0][0], prepared[0][1], prepared[0][2]
    chunks.append(first_stream)
    token_stream = _deflate(token, last=False)
    for stream, part_crc, length, carry in prepared[1:]:
        crc = zlib.crc32(token, crc)
        crc = _across(crc, carry) ^ part_crc
        size += len(token) + length
        chunks += [token_stream, stream]
    chunks.append(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
    return b"".join(chunks)
