"""A kept page, compressed once, with each visitor's own CSRF token put in: one gzip stream.

A kept page (smederijen/pagecache.py) is the same for every visitor but for the token of its
forms and the holes (numbers filled in anew for each answer). Compressing the whole page again
for each visitor cost the kept pages 10-25 % of their speed (40-60 KB at level 6 on every
answer). Here the parts between those spots are compressed once, when the page is kept, each
ending on a sync flush (byte-aligned); each answer puts what goes in the spots between them, the
parts are joined into one deflate stream and the gzip trailer gets the checksum of the whole
page, reckoned from the parts' own checksums (crc32 is affine in its start value, so each part
keeps the 32 values that carry a checksum across it). Every spot has a fixed length (a token is
64 characters, a hole is padded), so a part may refer back past the spots before it (see
``prepare``). Browsers read one stream only: several gzip members one after the other stop after
the first in Chromium.

The token (and the current text of a hole, smederijen/pagecache.py) goes in as a stored block,
not compressed: after a sync flush the stream is byte-aligned, so it costs five bytes of framing
and no compressor for each answer.

BREACH: the token is not compressed at all, so nothing of the page (nor anything a visitor put in
the address) shares its compression; it is masked anew for every answer, and the gzip header
carries 1-100 random bytes, as Django's own GZipMiddleware does.
"""

import re
import secrets
import struct
import zlib

LEVEL = 6
# A page made for one answer is compressed at level 3, as a web server in front would (nginx's
# default is 1): the 37 KB idea list in 0.13 ms instead of 0.29 ms at 6, sent as 4.7 KB instead
# of 4.3 KB. A kept page is compressed once, so it gets level 6.
ANSWER_LEVEL = 3
WINDOW = 32 * 1024  # how far back deflate may refer
ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # in the Accept-Encoding of a request


def _header() -> bytes:
    """A gzip header with a random name of 1-100 bytes (BREACH: the length of an answer varies
    by up to 100 bytes, as with Django's own GZipMiddleware): magic, deflate, FNAME, no time, no
    extra flags, unknown OS, then the name."""
    name = secrets.token_hex(50)[: secrets.randbelow(100) + 1].encode()
    return b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff" + name + b"\x00"


def compress(content: bytes) -> bytes:
    """A page made for one answer as one gzip stream (``ANSWER_LEVEL``, a random header)."""
    compressor = zlib.compressobj(ANSWER_LEVEL, zlib.DEFLATED, -15)
    stream = compressor.compress(content) + compressor.flush()
    trailer = struct.pack("<II", zlib.crc32(content) & 0xFFFFFFFF, len(content) & 0xFFFFFFFF)
    return _header() + stream + trailer


def _stored(data: bytes) -> bytes:
    """``data`` as stored (not compressed) deflate blocks, each not the last: after a sync flush
    the stream is byte-aligned, so a block is a zero byte (not last, stored), its length and
    the length's complement, then the bytes themselves. Nothing to set up or compress for each
    answer, and nothing of a visitor's token shares compression with anything."""
    blocks = []
    for start in range(0, len(data), 0xFFFF):
        block = data[start : start + 0xFFFF]
        blocks += [b"\x00", struct.pack("<HH", len(block), len(block) ^ 0xFFFF), block]
    return b"".join(blocks)


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


def prepare(parts: list[bytes], gaps: list[int]) -> tuple | None:
    """The page's parts, each compressed, with its checksum, length and carry; ``gaps[i]`` is the
    length of what goes between part i and part i + 1 (the same for every answer).

    Each part is compressed as if the page before it, gaps included, had come before: its
    compressor starts from that as its dictionary, so a card of a list refers back to the cards
    before it as in a page compressed whole (separately the parts of a list took 2.5 times the
    bytes). A gap is zero bytes in that dictionary, and a page holds no zero byte, so nothing
    refers into a gap and any filler of that length may go there. None for a page that holds a
    zero byte."""
    if any(b"\x00" in part for part in parts):
        return None
    last = len(parts) - 1
    prepared, before = [], b""
    for index, part in enumerate(parts):
        if before:
            compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, zdict=before[-WINDOW:])
        else:
            compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        flush = zlib.Z_FINISH if index == last else zlib.Z_SYNC_FLUSH
        stream = compressor.compress(part) + compressor.flush(flush)
        prepared.append((stream, zlib.crc32(part), len(part), _carry(len(part))))
        before += part + bytes(gaps[index] if index < last else 0)
    return tuple(prepared), tuple(gaps)


def join(prepared: tuple, fillers: list[bytes]) -> bytes | None:
    """The whole page as one gzip stream, with ``fillers[i]`` between part i and part i + 1 (the
    visitor's token, or the current text of a hole: smederijen/pagecache.py). None when a filler
    does not have the length its gap was prepared for."""
    parts, gaps = prepared
    if tuple(len(filler) for filler in fillers) != gaps:
        return None
    chunks = [_header()]
    first_stream, crc, size = parts[0][0], parts[0][1], parts[0][2]
    chunks.append(first_stream)
    for (stream, part_crc, length, carry), filler in zip(parts[1:], fillers, strict=True):
        crc = zlib.crc32(filler, crc)
        crc = _across(crc, carry) ^ part_crc
        size += len(filler) + length
        chunks += [_stored(filler), stream]
    chunks.append(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
    return b"".join(chunks)
