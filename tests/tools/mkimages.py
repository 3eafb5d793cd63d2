#!/usr/bin/env python3
"""Write the small test images used by tests/cases/book (standard library only).

    python3 tests/tools/mkimages.py DIR

Writes DIR/figure.png (96x64 RGB), DIR/icon.png (16x16 RGB) and
DIR/photo.jpg (64x48 baseline JPEG, 3 components, no subsampling).
The output is byte-for-byte the same on every run.
"""
import math
import os
import struct
import sys
import zlib


# ---------------------------------------------------------------- PNG

def png(path, width, height, pixel):
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows.extend(pixel(x, y))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    data = b"\x89PNG\r\n\x1a\n"
    data += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(bytes(rows), 9))
    data += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)


def figure_pixel(x, y):
    # three vertical bars of a small bar chart on a light background
    bars = ((10, 28, 40), (38, 56, 20), (66, 84, 52))
    for x0, x1, top in bars:
        if x0 <= x < x1 and y >= top:
            return (40, 90, 160)
    if y == 63 or x == 4:
        return (0, 0, 0)
    return (245, 245, 240)


def icon_pixel(x, y):
    inside = (x - 7.5) ** 2 + (y - 7.5) ** 2 <= 36
    return (200, 30, 30) if inside else (255, 255, 255)


# ---------------------------------------------------------------- JPEG
# Baseline sequential DCT, Huffman tables and quantisation tables from
# ITU-T T.81 Annex K.

LUM_Q = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99]
CHR_Q = [
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
    24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99]

ZIGZAG = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
    12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
    58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63]

DC_LUM_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
DC_LUM_VALS = list(range(12))
DC_CHR_BITS = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
DC_CHR_VALS = list(range(12))
AC_LUM_BITS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d]
AC_LUM_VALS = bytes.fromhex(
    "01020300041105122131410613516107227114328191a1082342b1c11552d1f0"
    "2433627282090a161718191a25262728292a3435363738393a43444546474849"
    "4a535455565758595a636465666768696a737475767778797a83848586878889"
    "8a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5"
    "c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8"
    "f9fa")
AC_CHR_BITS = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77]
AC_CHR_VALS = bytes.fromhex(
    "000102031104052131061241510761711322328108144291a1b1c109233352"
    "f0156272d10a162434e125f11718191a262728292a35363738393a4344454647"
    "48494a535455565758595a636465666768696a737475767778797a8283848586"
    "8788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2"
    "c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7"
    "f8f9fa")


def huff_codes(bits, vals):
    codes = {}
    code = 0
    k = 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[vals[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


class BitWriter:
    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, code, length):
        for i in range(length - 1, -1, -1):
            self.acc = (self.acc << 1) | ((code >> i) & 1)
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0)
                self.acc = 0
                self.n = 0

    def flush(self):
        while self.n:
            self.put(1, 1)  # pad with ones


def magnitude(v):
    a = abs(v)
    size = 0
    while a:
        size += 1
        a >>= 1
    bits = v if v >= 0 else v + (1 << size) - 1
    return size, bits


COS = [[math.cos((2 * x + 1) * u * math.pi / 16) for x in range(8)] for u in range(8)]


def fdct(block):
    out = [0.0] * 64
    for v in range(8):
        for u in range(8):
            s = 0.0
            for y in range(8):
                cy = COS[v][y]
                row = block[y * 8:(y + 1) * 8]
                for x in range(8):
                    s += row[x] * COS[u][x] * cy
            cu = 1 / math.sqrt(2) if u == 0 else 1.0
            cv = 1 / math.sqrt(2) if v == 0 else 1.0
            out[v * 8 + u] = 0.25 * cu * cv * s
    return out


def jpeg(path, width, height, pixel):
    assert width % 8 == 0 and height % 8 == 0
    planes = ([], [], [])
    for y in range(height):
        for x in range(width):
            r, g, b = pixel(x, y)
            planes[0].append(0.299 * r + 0.587 * g + 0.114 * b)
            planes[1].append(-0.168736 * r - 0.331264 * g + 0.5 * b + 128)
            planes[2].append(0.5 * r - 0.418688 * g - 0.081312 * b + 128)

    tables = ((LUM_Q, huff_codes(DC_LUM_BITS, DC_LUM_VALS), huff_codes(AC_LUM_BITS, AC_LUM_VALS)),
              (CHR_Q, huff_codes(DC_CHR_BITS, DC_CHR_VALS), huff_codes(AC_CHR_BITS, AC_CHR_VALS)))
    w = BitWriter()
    pred = [0, 0, 0]
    for by in range(0, height, 8):
        for bx in range(0, width, 8):
            for c in range(3):
                q, dc, ac = tables[0 if c == 0 else 1]
                block = [planes[c][(by + j) * width + bx + i] - 128 for j in range(8) for i in range(8)]
                coef = fdct(block)
                zz = [int(round(coef[ZIGZAG[k]] / q[ZIGZAG[k]])) for k in range(64)]
                diff = zz[0] - pred[c]
                pred[c] = zz[0]
                size, bits = magnitude(diff)
                w.put(*dc[size])
                if size:
                    w.put(bits, size)
                run = 0
                for k in range(1, 64):
                    if zz[k] == 0:
                        run += 1
                        continue
                    while run > 15:
                        w.put(*ac[0xF0])
                        run -= 16
                    size, bits = magnitude(zz[k])
                    w.put(*ac[(run << 4) | size])
                    w.put(bits, size)
                    run = 0
                if run:
                    w.put(*ac[0x00])
    w.flush()

    def segment(marker, payload):
        return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload

    data = b"\xff\xd8"
    data += segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    data += segment(0xDB, bytes([0]) + bytes(LUM_Q[ZIGZAG[k]] for k in range(64)))
    data += segment(0xDB, bytes([1]) + bytes(CHR_Q[ZIGZAG[k]] for k in range(64)))
    data += segment(0xC0, struct.pack(">BHHB", 8, height, width, 3)
                    + bytes([1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]))
    for cls_id, bits, vals in ((0x00, DC_LUM_BITS, DC_LUM_VALS), (0x10, AC_LUM_BITS, AC_LUM_VALS),
                               (0x01, DC_CHR_BITS, DC_CHR_VALS), (0x11, AC_CHR_BITS, AC_CHR_VALS)):
        data += segment(0xC4, bytes([cls_id]) + bytes(bits) + bytes(vals))
    data += segment(0xDA, bytes([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]))
    data += bytes(w.out) + b"\xff\xd9"
    with open(path, "wb") as f:
        f.write(data)


def photo_pixel(x, y):
    # a sky-to-sand gradient with a dark disc: a "photograph"
    if (x - 44) ** 2 + (y - 16) ** 2 <= 64:
        return (250, 210, 60)
    if y < 30:
        t = y / 30
        return (int(90 + 80 * t), int(140 + 70 * t), 230)
    t = (y - 30) / 18
    return (int(200 - 40 * t), int(170 - 40 * t), int(110 - 30 * t))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    png(os.path.join(out, "figure.png"), 96, 64, figure_pixel)
    png(os.path.join(out, "icon.png"), 16, 16, icon_pixel)
    jpeg(os.path.join(out, "photo.jpg"), 64, 48, photo_pixel)


if __name__ == "__main__":
    main()
