#!/usr/bin/env python3
"""pdflook.py: what a PDF's pages show, read from outside the engine.

Word boxes come from `pdftotext -bbox` (points, origin at the page's top
left); strokes and text states from the page's content stream as
`qpdf --qdf --object-streams=disable` writes it (uncompressed, one
"%% Contents for page N" comment before each page's stream). Standard
library only.

    pdflook.py overlap PDF [PAGE...]
        words of one line that overlap each other, on those pages (all
        by default; exit 1 if any): cells set over their neighbours
    pdflook.py clear PDF PAGE...
        every stroked horizontal line of those pages (rules, the notes'
        separator) crosses no word's box and comes no nearer to it than
        half a point (exit 1 if one does)
    pdflook.py struck PDF WORD...
        for each occurrence of each word: "PAGE WORD struck" when a
        stroked line runs through the middle of its box from end to end,
        else "PAGE WORD plain"
    pdflook.py align PDF PAGE left|right|center WORD...
        the words (first occurrence of each on PAGE) share their left
        edge, right edge or centre within 0.6 pt (exit 1 if not)
    pdflook.py links PDF PAGE
        the link annotations of PAGE, one a line: the words under the
        link, a tab, then "page N" (its destination's page) or "uri U"
    pdflook.py styles PDF PAGE FONT
        the distinct ways text in the font whose name contains FONT is
        drawn on PAGE, one a line: fill colour, render mode (2: filled
        and stroked, a bolder face), slant (the text matrix's skew)

A word is matched with its surrounding punctuation removed.
"""
import re
import subprocess
import sys
import tempfile
import os

NUM = r'[-+]?(?:\d+\.?\d*|\.\d+)'


def words(pdf, page):
    """[(xmin, ymin, xmax, ymax, text)] of a page, and its height."""
    out = subprocess.run(['pdftotext', '-q', '-bbox', '-f', str(page), '-l',
                          str(page), pdf, '-'], capture_output=True,
                         text=True).stdout
    h = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', out)
    height = float(h.group(2)) if h else 0.0
    ws = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                         r'xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                         out):
        t = (m.group(5).replace('&amp;', '&').replace('&lt;', '<')
             .replace('&gt;', '>').replace('&quot;', '"'))
        ws.append((float(m.group(1)), float(m.group(2)), float(m.group(3)),
                   float(m.group(4)), t))
    return ws, height


def pages(pdf):
    out = subprocess.run(['pdfinfo', pdf], capture_output=True,
                         text=True).stdout
    m = re.search(r'^Pages:\s+(\d+)', out, re.M)
    return int(m.group(1)) if m else 0


_qdf = {}


def qdf(pdf):
    """The QDF text of a PDF (latin-1), made once."""
    if pdf not in _qdf:
        fd, path = tempfile.mkstemp(suffix='.qdf')
        os.close(fd)
        subprocess.run(['qpdf', '--qdf', '--object-streams=disable', pdf,
                        path], capture_output=True)
        with open(path, 'rb') as f:
            _qdf[pdf] = f.read().decode('latin-1')
        os.unlink(path)
    return _qdf[pdf]


def content(pdf, page):
    q = qdf(pdf)
    m = re.search(r'%% Contents for page ' + str(page) +
                  r'\n.*?\nstream\n(.*?)\nendstream', q, re.S)
    return m.group(1) if m else ''


def fonts(pdf, page):
    """A page's font resource names to their base font names."""
    objs = objects(pdf)
    body = objs.get(page_objects(pdf).get(page), '')
    r = re.search(r'/Resources (\d+) 0 R', body)
    if r:
        body = objs.get(r.group(1), '')
    f = re.search(r'/Font (?:(\d+) 0 R|<<(.*?)>>)', body, re.S)
    if not f:
        return {}
    table = objs.get(f.group(1), '') if f.group(1) else f.group(2)
    names = {}
    for m in re.finditer(r'/(\S+) (\d+) 0 R', table):
        b = re.search(r'/BaseFont /(\S+)', objs.get(m.group(2), ''))
        if b:
            names[m.group(1)] = b.group(1)
    return names


def tokens(stream):
    # enough of the content syntax for what folio writes: numbers, names,
    # strings, arrays of them, and operators
    i, n = 0, len(stream)
    while i < n:
        c = stream[i]
        if c in ' \t\r\n':
            i += 1
        elif c == '(':
            depth, j = 1, i + 1
            while j < n and depth:
                if stream[j] == '\\':
                    j += 2
                    continue
                depth += {'(': 1, ')': -1}.get(stream[j], 0)
                j += 1
            yield ('str', stream[i:j])
            i = j
        elif c == '<' and stream[i + 1:i + 2] != '<':
            j = stream.index('>', i)
            yield ('str', stream[i:j + 1])
            i = j + 1
        elif c in '[]':
            yield (c, c)
            i += 1
        elif c == '/':
            m = re.match(r'/[^\s/\[\]()<>]*', stream[i:])
            yield ('name', m.group(0))
            i += len(m.group(0))
        elif c == '%':
            j = stream.find('\n', i)
            i = n if j < 0 else j
        else:
            m = re.match(NUM, stream[i:])
            if m and (i + len(m.group(0)) >= n or
                      not stream[i + len(m.group(0))].isalpha()):
                yield ('num', float(m.group(0)))
                i += len(m.group(0))
            else:
                m = re.match(r'[A-Za-z\'"*<>]+', stream[i:])
                if not m:
                    i += 1
                    continue
                yield ('op', m.group(0))
                i += len(m.group(0))


def walk(pdf, page):
    """Strokes [(x0, y0, x1, y1, width)] and text runs [(font, fill,
    render, slant)] of a page's content (no cm: folio writes none)."""
    stroke, runs, args, path = [], [], [], []
    lw, font, fill, render, slant = 1.0, '', 'black', 0, 0.0
    saved = []
    for kind, v in tokens(content(pdf, page)):
        if kind != 'op':
            args.append(v)
            continue
        nums = [a for a in args if isinstance(a, float)]
        if v == 'w' and nums:
            lw = nums[-1]
        elif v == 'm' and len(nums) >= 2:
            path = [(nums[-2], nums[-1])]
        elif v == 'l' and len(nums) >= 2:
            path.append((nums[-2], nums[-1]))
        elif v in ('S', 's'):
            for a, b in zip(path, path[1:]):
                stroke.append((a[0], a[1], b[0], b[1], lw))
            path = []
        elif v in ('f', 'F', 'f*', 'n', 'B', 'b'):
            path = []
        elif v == 'g' and nums:
            fill = 'gray %g' % nums[-1]
        elif v == 'rg' and len(nums) >= 3:
            fill = 'rgb %g %g %g' % tuple(nums[-3:])
        elif v == 'k' and len(nums) >= 4:
            fill = 'cmyk %g %g %g %g' % tuple(nums[-4:])
        elif v == 'Tr' and nums:
            render = int(nums[-1])
        elif v == 'Tf':
            names = [a for a in args if isinstance(a, str) and
                     a.startswith('/')]
            if names:
                font = names[-1][1:]
        elif v == 'Tm' and len(nums) >= 6:
            slant = nums[-4]
        elif v == 'BT':
            slant = 0.0
        elif v in ('Tj', 'TJ', "'", '"'):
            runs.append((font, fill, render, round(slant, 3)))
        elif v == 'q':
            saved.append((lw, fill, render))
        elif v == 'Q' and saved:
            lw, fill, render = saved.pop()
        args = []
    return stroke, runs


def objects(pdf):
    q = qdf(pdf)
    return {m.group(1): m.group(2) for m in re.finditer(
        r'^(\d+) 0 obj\n(.*?)\nendobj', q, re.S | re.M)}


def page_objects(pdf):
    """Object number of each page, by page number."""
    q = qdf(pdf)
    return {int(m.group(1)): m.group(2) for m in re.finditer(
        r'^%% Page (\d+)\n(?:%%[^\n]*\n)*(\d+) 0 obj', q, re.M)}


def cmd_links(pdf, page):
    objs = objects(pdf)
    pages_by_obj = {v: k for k, v in page_objects(pdf).items()}
    pobj = page_objects(pdf).get(page)
    body = objs.get(pobj, '')
    m = re.search(r'/Annots \[(.*?)\]', body, re.S)
    if not m:
        return 0
    ws, h = words(pdf, page)
    for ref in re.findall(r'(\d+) 0 R', m.group(1)):
        a = objs.get(ref, '')
        if '/Link' not in a:
            continue
        r = re.search(r'/Rect \[\s*(%s)\s+(%s)\s+(%s)\s+(%s)\s*\]'
                      % (NUM, NUM, NUM, NUM), a)
        if not r:
            continue
        x0, y0, x1, y1 = (float(v) for v in r.groups())
        top, bot = h - max(y0, y1), h - min(y0, y1)
        under = [w[4] for w in ws
                 if min(x0, x1) <= (w[0] + w[2]) / 2 <= max(x0, x1) and
                 top <= (w[1] + w[3]) / 2 <= bot]
        target = '?'
        d = re.search(r'/Dest (?:(\d+) 0 R|\[\s*(\d+) 0 R)', a)
        u = re.search(r'/URI \((.*?)\)', a, re.S)
        if d:
            pg = d.group(2)
            if d.group(1):
                first = re.search(r'(\d+) 0 R', objs.get(d.group(1), ''))
                pg = first.group(1) if first else None
            target = 'page %s' % pages_by_obj.get(pg, '?')
        elif u:
            target = 'uri ' + u.group(1)
        print('%s\t%s' % (' '.join(under), target))
    return 0


def plain(t):
    return re.sub(r'^\W+|\W+$', '', t)


def cmd_overlap(pdf, pagelist):
    bad = []
    for p in pagelist or range(1, pages(pdf) + 1):
        ws, _ = words(pdf, p)
        for i, a in enumerate(ws):
            for b in ws[i + 1:]:
                yov = min(a[3], b[3]) - max(a[1], b[1])
                if yov < 0.5 * min(a[3] - a[1], b[3] - b[1]):
                    continue
                xov = min(a[2], b[2]) - max(a[0], b[0])
                if xov > 0.5:
                    bad.append('page %d: "%s" and "%s" overlap by %.1f pt'
                               % (p, a[4], b[4], xov))
    for b in bad[:10]:
        print(b)
    if bad:
        print('%d overlapping pair(s)' % len(bad))
    return 1 if bad else 0


def cmd_clear(pdf, pagelist):
    bad = []
    for p in pagelist:
        ws, h = words(pdf, p)
        strokes, _ = walk(pdf, p)
        for x0, y0, x1, y1, _ in strokes:
            if abs(y0 - y1) > 0.01:
                continue
            y = h - y0
            lo, hi = min(x0, x1), max(x0, x1)
            for w in ws:
                # within half a point of the box touches it
                if w[0] < hi and w[2] > lo and w[1] - 0.5 < y < w[3] + 0.5:
                    bad.append('page %d: the rule at y=%.1f (x %.1f-%.1f) '
                               'crosses or touches "%s" (y %.1f-%.1f)'
                               % (p, y, lo, hi, w[4], w[1], w[3]))
    for b in bad[:10]:
        print(b)
    return 1 if bad else 0


def cmd_struck(pdf, want):
    want = set(want)
    for p in range(1, pages(pdf) + 1):
        ws, h = words(pdf, p)
        found = [w for w in ws if plain(w[4]) in want]
        if not found:
            continue
        strokes, _ = walk(pdf, p)
        for w in found:
            top, bot = w[1], w[3]
            mid_lo = top + (bot - top) * 0.3
            mid_hi = top + (bot - top) * 0.75
            covered = []
            for x0, y0, x1, y1, _ in strokes:
                y = h - y0
                if abs(y0 - y1) < 0.01 and mid_lo <= y <= mid_hi:
                    covered.append((min(x0, x1), max(x0, x1)))
            # the segments (one a box or space) together span the word
            x, ok = w[0] + 0.5, False
            for lo, hi in sorted(covered):
                if lo <= x + 0.5 and hi > x:
                    x = hi
                if x >= w[2] - 0.5:
                    ok = True
                    break
            print('%d %s %s' % (p, plain(w[4]), 'struck' if ok else 'plain'))
    return 0


def cmd_align(pdf, page, how, want):
    ws, _ = words(pdf, page)
    edges = []
    for t in want:
        m = [w for w in ws if plain(w[4]) == t]
        if not m:
            print('"%s" is not on page %d' % (t, page))
            return 1
        w = m[0]
        edges.append((t, {'left': w[0], 'right': w[2],
                          'center': (w[0] + w[2]) / 2}[how]))
    vals = [e for _, e in edges]
    if max(vals) - min(vals) > 0.6:
        print('%s edges differ: %s' % (how, ', '.join(
            '%s %.1f' % e for e in edges)))
        return 1
    return 0


def cmd_styles(pdf, page, font):
    names = fonts(pdf, page)
    _, runs = walk(pdf, page)
    seen = []
    for f, fill, render, slant in runs:
        if font not in names.get(f, f):
            continue
        s = 'fill=%s render=%d slant=%g' % (fill, render, slant)
        if s not in seen:
            seen.append(s)
    for s in seen:
        print(s)
    return 0


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, pdf = argv[1], argv[2]
    if cmd == 'overlap':
        return cmd_overlap(pdf, [int(a) for a in argv[3:]])
    if cmd == 'clear':
        return cmd_clear(pdf, [int(a) for a in argv[3:]])
    if cmd == 'struck':
        return cmd_struck(pdf, argv[3:])
    if cmd == 'align' and len(argv) >= 6:
        return cmd_align(pdf, int(argv[3]), argv[4], argv[5:])
    if cmd == 'links' and len(argv) == 4:
        return cmd_links(pdf, int(argv[3]))
    if cmd == 'styles' and len(argv) == 5:
        return cmd_styles(pdf, int(argv[3]), argv[4])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
