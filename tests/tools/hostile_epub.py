#!/usr/bin/env python3
"""Write small hostile EPUB 3 files, to feed `folio build --since`
(standard library only; the same bytes every time).

    python3 tests/tools/hostile_epub.py KIND OUT.epub

KIND is one of:
    headings    one chapter of 1,000,000 empty <h2> headings (a few KB)
    sections    1,100,000 headings: past the sections folio compares
    removed     5,000 sections, each a heading and a word: all removed
    words       one section of 3,000,000 words (30 paragraphs), unlike
                the new edition's
    longtitle   a heading of 8 MB of words, and a dc:date of 1 MB
    controls    headings, dc:date and edition carrying C1 controls and
                bidirectional overrides; a spine document whose name
                has an escape character (%1B) and is missing
    bomb        a chapter that inflates to 65 MB (past 64 MB an entry)
    spine       one 20 KB chapter listed 100,000 times in the spine
"""
import sys
import zipfile

CONTAINER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<container version="1.0" xmlns="urn:oasis:names:tc:'
             'opendocument:xmlns:container"><rootfiles><rootfile '
             'full-path="EPUB/package.opf" media-type="application/'
             'oebps-package+xml"/></rootfiles></container>\n')


def opf(docs, date='2020-01-01', edition='1', spine=None):
    items = ''.join('<item id="d%d" href="%s" media-type="application/'
                    'xhtml+xml"/>' % (i, d) for i, d in enumerate(docs))
    refs = spine if spine is not None else ''.join(
        '<itemref idref="d%d"/>' % i for i in range(len(docs)))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
            'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/'
            'elements/1.1/"><dc:identifier id="id">x</dc:identifier>'
            '<dc:title>Old</dc:title><dc:language>en</dc:language>'
            '<dc:date>%s</dc:date><meta property="schema:bookEdition">%s'
            '</meta></metadata><manifest>%s</manifest><spine>%s</spine>'
            '</package>\n' % (date, edition, items, refs))


def xhtml(body, title='Old'):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://'
            'www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/'
            'ops"><head><title>%s</title></head><body epub:type="bodymatter">'
            '%s</body></html>\n' % (title, body))


def write(out, files):
    z = zipfile.ZipFile(out, 'w')
    z.writestr(zipfile.ZipInfo('mimetype', (1980, 1, 1, 0, 0, 0)),
               'application/epub+zip')
    for name, data in files:
        info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data, zipfile.ZIP_DEFLATED, 9)
    z.close()


def main():
    kind, out = sys.argv[1], sys.argv[2]
    files = [('META-INF/container.xml', CONTAINER)]
    if kind == 'headings':
        files += [('EPUB/package.opf', opf(['c.xhtml'])),
                  ('EPUB/c.xhtml', xhtml('<h2></h2>' * 1000000))]
    elif kind == 'sections':
        files += [('EPUB/package.opf', opf(['c.xhtml'])),
                  ('EPUB/c.xhtml', xhtml('<h2>s</h2>' * 1100000))]
    elif kind == 'removed':
        body = ''.join('<h2 id="r%d">Gone %d</h2><p>w</p>' % (i, i)
                       for i in range(5000))
        files += [('EPUB/package.opf', opf(['c.xhtml'])),
                  ('EPUB/c.xhtml', xhtml('<h1 id="one">One</h1>' + body))]
    elif kind == 'words':
        para = '<p>%s</p>' % ' '.join('w%d' % (i % 1000)
                                      for i in range(100000))
        files += [('EPUB/package.opf', opf(['c.xhtml'])),
                  ('EPUB/c.xhtml', xhtml('<h1 id="one">One</h1>'
                                         + para * 30))]
    elif kind == 'longtitle':
        files += [('EPUB/package.opf', opf(['c.xhtml'],
                                           date='1' * (1 << 20))),
                  ('EPUB/c.xhtml', xhtml('<h1 id="one">One</h1><h2 id="long">'
                                         + 'long ' * ((8 << 20) // 5)
                                         + '</h2><p>w</p>'))]
    elif kind == 'controls':
        bad = '\u0085\u009b2J\u202eevil\u202c'
        files += [('EPUB/package.opf',
                   opf(['c.xhtml'], date='2020' + bad, edition='1' + bad)),
                  ('EPUB/c.xhtml',
                   xhtml('<h1 id="one">One</h1><h2 id="x">Head%s</h2>'
                         '<p>w</p>' % bad, title='T' + bad))]
    elif kind == 'controls-name':
        files += [('EPUB/package.opf', opf(['c%1B[2Jx.xhtml'])),
                  ('EPUB/c.xhtml', xhtml('<h1>One</h1>'))]
    elif kind == 'bomb':
        files += [('EPUB/package.opf', opf(['c.xhtml'])),
                  ('EPUB/c.xhtml', xhtml('<p>' + ' ' * (65 << 20) + '</p>'))]
    elif kind == 'spine':
        files += [('EPUB/package.opf',
                   opf(['c.xhtml'], spine='<itemref idref="d0"/>' * 100000)),
                  ('EPUB/c.xhtml', xhtml('<h2>x</h2><p>%s</p>'
                                         % ('word ' * 4000)))]
    else:
        sys.exit('unknown kind ' + kind)
    write(out, files)


if __name__ == '__main__':
    main()
