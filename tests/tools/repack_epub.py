#!/usr/bin/env python3
"""Repack a folio EPUB the way other tools lay one out (standard library
only), to feed `folio build --since`.

    python3 tests/tools/repack_epub.py OLD.epub moved OUT.epub
        the package in OEBPS/pkg/, the XHTML documents in "OEBPS/te xt/"
        with a space and a '#' in their names: hrefs with ../ and %-escapes
    python3 tests/tools/repack_epub.py OLD.epub entities OUT.epub
        the first chapter declares external entities (a local file, a URL)
        and uses them in its heading: never to be loaded
"""
import re
import sys
import zipfile


def main():
    old, how, out = sys.argv[1], sys.argv[2], sys.argv[3]
    src = zipfile.ZipFile(old)
    files = {n: src.read(n) for n in src.namelist()}
    z = zipfile.ZipFile(out, 'w')
    z.writestr(zipfile.ZipInfo('mimetype'), 'application/epub+zip')
    opf = files['EPUB/package.opf'].decode()
    for name, data in files.items():
        if name in ('mimetype', 'EPUB/package.opf'):
            continue
        if how == 'moved':
            if name == 'META-INF/container.xml':
                data = data.replace(b'EPUB/package.opf',
                                    b'OEBPS/pkg/package.opf')
            elif name.endswith('.xhtml'):
                name = 'OEBPS/te xt/' + name[5:].replace('0', '0 #')
            elif name.startswith('EPUB/'):
                name = 'OEBPS/pkg/' + name[5:]
        elif how == 'entities' and name == 'EPUB/ch001.xhtml':
            data = data.decode().replace(
                '<!DOCTYPE html>',
                '<!DOCTYPE html [<!ENTITY local SYSTEM "file:///etc/passwd">'
                '<!ENTITY remote SYSTEM "http://192.0.2.1/x">]>').replace(
                '</h1>', '&local;&remote;</h1>', 1).encode()
        z.writestr(name, data, zipfile.ZIP_DEFLATED)
    if how == 'moved':
        opf = re.sub(r'href="([^"]*\.xhtml)"',
                     lambda m: 'href="./../te%20xt/' +
                     m.group(1).replace('0', '0%20%23') + '"', opf)
        z.writestr('OEBPS/pkg/package.opf', opf, zipfile.ZIP_DEFLATED)
    else:
        z.writestr('EPUB/package.opf', opf, zipfile.ZIP_DEFLATED)
    z.close()


if __name__ == '__main__':
    main()
