#!/usr/bin/env python3
"""Write damaged copies of an EPUB, to feed `folio build --since` (standard
library only).

    python3 tests/tools/mutate_epub.py OLD.epub DIR N

Writes DIR/bytes-K.epub (random bytes of the archive overwritten) and
DIR/xhtml-K.epub (a well-formed archive whose chapter documents have markup
cut, duplicated or broken: stray '<', '&', bad character references,
unclosed headings and comments, NUL bytes), K = 0 .. N-1. The same input
gives the same files.
"""
import io
import random
import sys
import zipfile

JUNK = [b'<', b'>', b'&', b'&#', b'&#x110000;', b'&#0;', b'"', b"'",
        b'<h2 id="', b'</h2>', b'<h3>', b'<figcaption>', b'<!--', b'<?',
        b'<body epub:type="bodymatter">', b'\x00', b'\xff\xfe']


def main():
    old, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    data = open(old, 'rb').read()
    rnd = random.Random(7)
    for k in range(n):
        b = bytearray(data)
        for _ in range(rnd.randint(1, 20)):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
        open('%s/bytes-%d.epub' % (out, k), 'wb').write(bytes(b))
    z = zipfile.ZipFile(old)
    for k in range(n):
        buf = io.BytesIO()
        w = zipfile.ZipFile(buf, 'w')
        for info in z.infolist():
            d = z.read(info.filename)
            if '/ch0' in info.filename:
                s = bytearray(d)
                for _ in range(rnd.randint(1, 30)):
                    op = rnd.randrange(4)
                    p = rnd.randrange(len(s) + 1)
                    if op == 0:
                        s[p:p] = rnd.choice(JUNK)
                    elif op == 1:
                        del s[p:p + rnd.randint(1, 200)]
                    elif op == 2:
                        s = s[:p]
                    else:
                        s[p:p] = s[rnd.randrange(len(s) + 1):][:100]
                d = bytes(s)
            w.writestr(info.filename, d)
        w.close()
        open('%s/xhtml-%d.epub' % (out, k), 'wb').write(buf.getvalue())


if __name__ == '__main__':
    main()
