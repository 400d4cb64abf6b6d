#!/usr/bin/env python3
"""The top-left WIDTH x HEIGHT (or the one LEFT pixels from the left edge) of the XWD screen file Xvfb writes
(-fbdir), as an RGB PNG; the whole screen when no size is given. For the screenshot scripts, which have no image tools
beyond python3.

Usage: xwd2png.py SCREEN_FILE OUT.png [WIDTH HEIGHT [LEFT]]
"""
import struct
import sys
import zlib

data = open(sys.argv[1], 'rb').read()
h = struct.unpack('>25I', data[:100])
header_size, pixmap_format, bits_per_pixel, bytes_per_line, ncolors = h[0], h[2], h[11], h[12], h[19]
assert pixmap_format == 2 and bits_per_pixel == 32 and h[7] == 0, 'expected 32-bit little-endian ZPixmap'
offset = header_size + ncolors * 12
width, height = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (h[4], h[5])
left = int(sys.argv[5]) if len(sys.argv) > 5 else 0
offset += left * 4
rows = []
for y in range(height):
    line = data[offset + y * bytes_per_line: offset + y * bytes_per_line + width * 4]
    rgb = bytearray(width * 3)
    rgb[0::3], rgb[1::3], rgb[2::3] = line[2::4], line[1::4], line[0::4]
    rows.append(b'\0' + bytes(rgb))


def chunk(kind, body):
    return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body))


with open(sys.argv[2], 'wb') as png:
    png.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
              + chunk(b'IDAT', zlib.compress(b''.join(rows), 9)) + chunk(b'IEND', b''))
