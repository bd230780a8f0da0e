"""The screenshot converter: qemu's screendump PPM becomes a PNG that zlib and the PNG rules read
back pixel for pixel."""
import struct
import zlib

import pytest

from ci.qemu import ppm_to_png


def png_pixels(png):
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        assert struct.unpack(">I", png[pos + 8 + length:pos + 12 + length])[0] == zlib.crc32(kind + body)
        chunks.setdefault(kind, b"")
        chunks[kind] += body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    raw = zlib.decompress(chunks[b"IDAT"])
    rows = [raw[y * (1 + width * 3):(y + 1) * (1 + width * 3)] for y in range(height)]
    assert (depth, colour) == (8, 2) and all(r[0] == 0 for r in rows)
    return width, height, b"".join(r[1:] for r in rows)


def test_ppm_becomes_the_same_pixels_in_png():
    pixels = bytes(range(2 * 3 * 3))
    assert png_pixels(ppm_to_png(b"P6\n3 2\n255\n" + pixels)) == (3, 2, pixels)


def test_not_a_ppm_is_refused():
    with pytest.raises(ValueError, match="not a binary PPM"):
        ppm_to_png(b"P3\n1 1\n255\n0 0 0")
