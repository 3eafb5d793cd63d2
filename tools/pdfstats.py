#!/usr/bin/python3
"""pdfstats: measure the typography of a typeset PDF from outside.

Usage:
    pdfstats.py PDF [--from N] [--to N] [--headings FILE] [--json]

Reads the words of PDF, with their boxes, from `pdftotext -bbox-layout`
(poppler-utils) and prints, for the body text: word-space statistics,
loose and tight lines, hyphenation, stranded headings, short pages and
blank pages.  Page numbers are physical (the first page of the file is 1).
Standard library only; tests call it as `python3 tools/pdfstats.py --json`.

How each number is made:

Lines.  poppler's lines are regrouped by page: two of them whose boxes
overlap by more than half their height are one line of type.  A line's
height is the height of the word boxes that hold most of its letters.  The
body text is the commonest word-box height (weighted by letters); a body
line is within 4 % of it.  The leading is the commonest distance between
the bottoms of consecutive body lines.

Running heads and folios.  A page's top line is a running-head candidate
when it is no larger than the body type and the next line is more than
1.4 leadings below it; the candidates' positions are clustered (1.5 pt),
and the commonest cluster met on at least 2 pages (and 10 % of them) is
the head band: every line at or above it is furniture.  The foot band is
found the same way from the pages' last lines; a lone last line that is a
page number ("12", "xiv", "page 3 of 9") far below the text is furniture
too.  A blank page has nothing else (and no picture, per pdfimages).

Body pages.  With --headings, the body starts at the first page that
opens with a level-1 heading ("# Title" lines in FILE; when FILE gives no
levels, any heading) and has 2 lines of body text; the pages before it (title, contents) are left out
of every statistic.  Without --headings every page counts.

Headings.  FILE has one heading per line, optionally prefixed with #
marks giving its level.  Texts are compared lowercased, with only letters,
digits and single spaces kept; a heading may run over up to 6 lines.

Paragraphs.  The text block's left and right edges are the commonest
starts and ends of body lines, on odd and even pages apart (mirrored
margins).  A body line is ragged when it ends more than 1.5 pt short of
the right edge.  A line is a paragraph's last line when it is ragged, when
what follows it is not body text or lies more than 1.3 leadings below, or
when the next line is indented more than 3 pt past the line after it (a
first-line indent); over a page break the next page's first line decides.
A justified line is a body line of 2 or more words that reaches the right
edge and is not a paragraph's last line.

Word spaces.  The gaps between the boxes of consecutive words.  The
natural space of a type size is the median gap on its ragged lines (where
nothing stretched the spaces), after dropping gaps outside half to twice a
first median.  Gaps smaller than a quarter of it are not word spaces (a
word that poppler split where the font changed) and are skipped.  Every
gap of a justified line is divided by the natural space; p50, p95, p99
and max are nearest-rank percentiles.

Loose and tight.  TeX's badness is 100 r^3 for a line whose glue is
stretched (or shrunk) by the ratio r of its stretchability; with a word
space's stretch of 1/2 and shrink of 1/3 of its width (TeX's text fonts,
and folio), badness 100 is a mean gap of 1.5 x natural (loose) or 0.667 x
natural (tight).  A line is loose when its mean gap exceeds 1.5 x natural,
tight when it is under 0.67 x natural.

Hyphenation.  A body line ends hyphenated when its last word ends with a
hyphen (- U+2010 U+00AD) after a letter and the next body line starts with
a letter.  It is a word broken by hyphenation, not a compound broken at
its own hyphen, unless: the hyphenated form (frag-rest) is found elsewhere
in the text inside a line and the joined form (fragrest) is not; or the
joined form is found nowhere and the rest starts with a capital
("US-/Mexico").  Otherwise (the joined word is found, or neither form is)
it counts as hyphenation.  Dashes (- after a non-letter, en and em dashes)
never count.  Percentages are of the body lines.  A run is consecutive
hyphenated body lines (a heading or other text between ends it; a page
break does not).

Stranded heading.  A heading whose last line is the page's last line of
text, or that is followed on its page by fewer than 2 lines of text that
are not headings.

Short page.  The text block's bottom is the lowest bottom of a page's last
body line that at least 2 pages share (1 pt).  A body page is short when
its last line of text (or picture, found by rendering the page when it has
one) ends more than one leading above that bottom.  The last page of a
chapter is not short: the next page opens with a level-1 heading (or,
without levels, a line larger than 1.5 x the body type), is blank, or
there is none.
"""

import html
import json
import math
import re
import subprocess
import sys

HYPHENS = "-\u2010\u00ad"
TOL_RAGGED = 1.5        # pt short of the right edge: a ragged line
LOOSE = 1.5             # x natural: badness 100 when stretching
TIGHT = 0.67            # x natural: badness ~100 when shrinking
MAX_HEADING_LINES = 6

TOKEN = re.compile(
    r'<page width="([-\d.]+)" height="([-\d.]+)">|(<line[ >])|'
    r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" '
    r'yMax="([-\d.]+)">([^<]*)</word>')
LIST_MARK = re.compile(
    "^(?:[\u2022\u2023\u25e6\u2043\u2219\u25aa\u25cf\u2013\u2014*+-]|"
    r"\(?(?:\d{1,3}|[a-zA-Z]|[ivxlc]{1,6})[.)])$")
PAGE_NUMBER = re.compile(
    r'^(?:page\s+)?(?:\d+|[ivxlcdm]+)(?:\s+of\s+\d+)?$', re.I)


def die(msg):
    sys.stderr.write("pdfstats: %s\n" % msg)
    sys.exit(2)


def run(cmd, binary=False):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, check=False)
    except FileNotFoundError:
        die("%s not found: install poppler-utils" % cmd[0])
    if p.returncode != 0:
        die("%s failed: %s" % (" ".join(cmd),
                               p.stderr.decode("utf-8", "replace").strip()))
    return p.stdout if binary else p.stdout.decode("utf-8", "replace")


def norm(s):
    s = re.sub(r"[^\w ]+", "", s.lower().replace("_", " "))
    return " ".join(s.split())


def mode(values, step):
    """The commonest value after rounding to step (ties: the smaller)."""
    counts = {}
    for v in values:
        k = round(v / step) * step
        counts[k] = counts.get(k, 0) + 1
    if not counts:
        return None
    return min(counts, key=lambda k: (-counts[k], k))


def median(values):
    s = sorted(values)
    if not s:
        return None
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def rank(sorted_values, q):
    if not sorted_values:
        return None
    i = max(0, math.ceil(q / 100 * len(sorted_values)) - 1)
    return sorted_values[i]


class Line:
    __slots__ = ("words", "x0", "x1", "y0", "y1", "h", "text", "kind",
                 "page", "final", "ragged", "hyph", "heading")

    def __init__(self, words):
        self.words = sorted(words, key=lambda w: w[0])
        self.x0 = min(w[0] for w in words)
        self.x1 = max(w[2] for w in words)
        self.y0 = min(w[1] for w in words)
        self.y1 = max(w[3] for w in words)
        weight = {}
        for w in words:
            k = round(w[3] - w[1], 1)
            weight[k] = weight.get(k, 0) + len(w[4])
        self.h = min(weight, key=lambda k: (-weight[k], k))
        # the bottom of the dominant words: a baseline proxy that a
        # smaller or larger word on the line does not move
        self.y1 = max(w[3] for w in words
                      if abs(round(w[3] - w[1], 1) - self.h) < 0.05)
        self.text = " ".join(w[4] for w in self.words)
        self.kind = "other"
        self.page = 0
        self.final = False
        self.ragged = False
        self.hyph = False
        self.heading = None


class Page:
    def __init__(self, num, width, height):
        self.num = num
        self.width = width
        self.height = height
        self.raw = []           # poppler's lines: lists of words
        self.lines = []         # lines of type, top to bottom, no furniture
        self.furniture = []
        self.images = False


def read_pages(pdf, first, last):
    cmd = ["pdftotext", "-bbox-layout", "-enc", "UTF-8", "-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    out = run(cmd + [pdf, "-"])
    pages = []
    cur = None
    for m in TOKEN.finditer(out):
        if m.group(1) is not None:
            cur = Page(first + len(pages), float(m.group(1)),
                       float(m.group(2)))
            pages.append(cur)
        elif m.group(3) is not None:
            if cur is not None:
                cur.raw.append([])
        elif cur is not None and cur.raw:
            text = html.unescape(m.group(8)).strip()
            if text:
                cur.raw[-1].append((float(m.group(4)), float(m.group(5)),
                                    float(m.group(6)), float(m.group(7)),
                                    text))
    for p in pages:
        p.lines = merge_lines(p.raw)
        p.raw = None
        for ln in p.lines:
            ln.page = p.num
    return pages


def merge_lines(raw):
    """poppler may cut one line of type into several: join them again."""
    lines = sorted((Line(ws) for ws in raw if ws), key=lambda l: l.y1)
    out = []
    for ln in lines:
        if out:
            a = out[-1]
            overlap = min(a.y1, ln.y1) - max(a.y0, ln.y0)
            if overlap > 0.5 * min(a.y1 - a.y0, ln.y1 - ln.y0):
                out[-1] = Line(a.words + ln.words)
                continue
        out.append(ln)
    return out


def image_pages(pdf, first, last):
    cmd = ["pdfimages", "-list", "-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    try:
        p = subprocess.run(cmd + [pdf], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, check=False)
    except FileNotFoundError:
        return set()
    pages = set()
    for row in p.stdout.decode("utf-8", "replace").splitlines()[2:]:
        f = row.split()
        if f and f[0].isdigit():
            pages.add(int(f[0]))
    return pages


def ink_bottom(pdf, page, top, bottom):
    """The lowest inked point (pt) between top and bottom, rendered."""
    dpi = 36
    try:
        data = subprocess.run(
            ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l",
             str(page), pdf], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, check=False).stdout
    except FileNotFoundError:
        return None
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    if not m:
        return None
    w, h = int(m.group(1)), int(m.group(2))
    px = data[m.end():]
    if len(px) < w * h:
        return None
    scale = 72 / dpi
    lo = max(0, int(top / scale))
    for row in range(min(h - 1, int(bottom / scale)), lo - 1, -1):
        if min(px[row * w:(row + 1) * w]) < 240:
            return (row + 1) * scale
    return None


def clusters(values, gap):
    """Groups of sorted values no more than gap apart: (lo, hi, count)."""
    out = []
    for v in sorted(values):
        if out and v - out[-1][1] <= gap:
            out[-1][1] = v
            out[-1][2] += 1
        else:
            out.append([v, v, 1])
    return out


def find_furniture(pages, H, L):
    """Remove running heads and folios; return the bands found."""
    with_text = [p for p in pages if p.lines]
    need = max(2, math.ceil(0.1 * len(with_text)))
    head, foot = [], []
    for p in with_text:
        ls = p.lines
        t = ls[0]
        gap = ls[1].y1 - t.y1 if len(ls) > 1 else math.inf
        if t.h <= 1.2 * H and gap > 1.4 * L:
            head.append(t.y1)
        b = ls[-1]
        gap = b.y1 - ls[-2].y1 if len(ls) > 1 else math.inf
        if b.h <= 1.2 * H and gap > 1.4 * L:
            foot.append(b.y1)
    bands = {"head": None, "foot": None}
    c = [x for x in clusters(head, 1.5) if x[2] >= need]
    if c:
        best = max(c, key=lambda x: x[2])
        bands["head"] = best[1] + 1.5
    c = [x for x in clusters(foot, 1.5) if x[2] >= need]
    if c:
        best = max(c, key=lambda x: x[2])
        bands["foot"] = best[0] - 1.5
    for p in with_text:
        keep = []
        for ln in p.lines:
            if bands["head"] is not None and ln.y1 <= bands["head"]:
                p.furniture.append(ln)
            elif bands["foot"] is not None and ln.y1 >= bands["foot"]:
                p.furniture.append(ln)
            else:
                keep.append(ln)
        p.lines = keep
        # a lone page number far below the text (no band: too few pages)
        if len(keep) > 0:
            b = keep[-1]
            gap = b.y1 - keep[-2].y1 if len(keep) > 1 else math.inf
            if (PAGE_NUMBER.match(b.text) and gap > 1.4 * L and
                    b.y1 > 0.88 * p.height and b.h <= 1.2 * H):
                p.furniture.append(keep.pop())
        if len(keep) > 0:
            t = keep[0]
            gap = keep[1].y1 - t.y1 if len(keep) > 1 else math.inf
            if (PAGE_NUMBER.match(t.text) and gap > 1.4 * L and
                    t.y1 < 0.12 * p.height and t.h <= 1.2 * H):
                p.furniture.append(keep.pop(0))
    return bands


def read_headings(path):
    """Normalized heading text -> level (0: not given)."""
    heads = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for row in f:
                row = row.strip()
                m = re.match(r"^(#{1,6})\s+(.*)$", row)
                level = len(m.group(1)) if m else 0
                text = norm(m.group(2) if m else row)
                if not text:
                    continue
                old = heads.get(text)
                if old is None or (level and (old == 0 or level < old)):
                    heads[text] = level
    except OSError as e:
        die("%s: %s" % (path, e.strerror))
    return heads


def is_leaders(ln):
    return bool(re.search(r"(\.\s*){4,}", ln.text)) or \
        sum(1 for w in ln.words if w[4] == ".") >= 3


def letters_of_height(ln, H):
    return sum(len(w[4]) for w in ln.words if abs(w[3] - w[1] - H) <= 0.04 * H)


class Doc:
    """The pages of a PDF and what is known of its text block."""

    def __init__(self, pdf, first, last, headings_path):
        self.pdf = pdf
        # the whole document up to the page after the range: the text
        # block, the front matter and the chapters are the document's
        self.pages = read_pages(pdf, 1, last + 1 if last else None)
        if not self.pages or first > self.pages[-1].num:
            die("%s: no pages in the range" % pdf)
        self.first = first
        self.last = min(last, self.pages[-1].num) if last else \
            self.pages[-1].num
        self.byno = {p.num: p for p in self.pages}
        images = image_pages(pdf, 1, last + 1 if last else None)
        for p in self.pages:
            p.images = p.num in images
        self.heads = read_headings(headings_path) if headings_path else {}
        self.levels = any(v for v in self.heads.values())
        self.H = self.L = None
        self.bands = {"head": None, "foot": None}
        self.edges = None
        self.body_from = 1

    def in_range(self, num):
        return self.first <= num <= self.last

    def body_size(self, ln):
        """Body type: a quarter of the letters or more (inline code or
        bold may be set in boxes of another height)."""
        return 4 * letters_of_height(ln, self.H) >= \
            sum(len(w[4]) for w in ln.words)

    def measure(self):
        weight = {}
        for p in self.pages:
            for ln in p.lines:
                for w in ln.words:
                    k = round(w[3] - w[1], 1)
                    weight[k] = weight.get(k, 0) + len(w[4])
        if not weight:
            return False
        H = self.H = min(weight, key=lambda k: (-weight[k], k))
        for p in self.pages:
            for ln in p.lines:
                if self.body_size(ln):
                    # the bottom of the body words: a baseline proxy
                    ln.y1 = max(w[3] for w in ln.words
                                if abs(w[3] - w[1] - H) <= 0.04 * H)
        d = []
        for p in self.pages:
            bl = [ln for ln in p.lines if self.body_size(ln)]
            for a, b in zip(bl, bl[1:]):
                if 0.4 * H < b.y1 - a.y1 < 3 * H:
                    d.append(b.y1 - a.y1)
        self.L = mode(d, 0.1) or H
        self.bands = find_furniture(self.pages, H, self.L)
        self.find_headings()
        self.find_body()
        return self.find_paragraphs()

    def find_headings(self):
        for p in self.pages:
            ls = p.lines
            i = 0
            while i < len(ls):
                hit = None
                # a heading has space above it, a paragraph's line not
                spaced = i == 0 or ls[i].y1 - ls[i - 1].y1 > 1.2 * self.L
                for k in range(1, MAX_HEADING_LINES + 1 if spaced else 1):
                    if i + k > len(ls):
                        break
                    t = norm(" ".join(x.text for x in ls[i:i + k]))
                    if t in self.heads:
                        hit = (k, t)
                        break
                if not hit:
                    i += 1
                    continue
                for x in ls[i:i + hit[0]]:
                    x.kind = "heading"
                    x.heading = (hit[1], self.heads[hit[1]], x is ls[i])
                i += hit[0]

    def opens_chapter(self, p):
        if not p.lines:
            return False
        t = p.lines[0]
        if t.kind == "heading" and t.heading[2]:
            return t.heading[1] == 1 if self.levels else True
        return not self.heads and t.h >= 1.5 * self.H

    def blank(self, p):
        return not p.lines and not p.images

    def find_body(self):
        if self.heads:
            self.body_from = self.pages[-1].num + 1
            # (a title page may show a chapter's title too, but no text)
            for p in self.pages:
                if self.opens_chapter(p) and sum(
                        1 for ln in p.lines if ln.kind != "heading" and
                        self.body_size(ln)) >= 2:
                    self.body_from = p.num
                    break
        for p in self.pages:
            if p.num < self.body_from:
                continue
            for ln in p.lines:
                if ln.kind != "heading" and self.body_size(ln) and \
                        not is_leaders(ln):
                    ln.kind = "body"

    def find_paragraphs(self):
        body = [p for p in self.pages if p.num >= self.body_from]
        edges = {}
        for parity in (0, 1):
            bl = [ln for p in body if p.num % 2 == parity
                  for ln in p.lines if ln.kind == "body"]
            if bl:
                edges[parity] = (mode([ln.x0 for ln in bl], 0.5),
                                 mode([ln.x1 for ln in bl], 0.5))
        if not edges:
            return False
        for parity in (0, 1):
            if parity not in edges:
                edges[parity] = edges[1 - parity]
        self.edges = edges
        # the text in reading order, from the first body page
        self.seq = [ln for p in body for ln in p.lines]
        for ln in self.seq:
            ln.ragged = ln.x1 < edges[ln.page % 2][1] - TOL_RAGGED
        for i, ln in enumerate(self.seq):
            if ln.kind != "body":
                continue
            nxt = self.seq[i + 1] if i + 1 < len(self.seq) else None
            if ln.ragged or nxt is None or nxt.kind != "body":
                ln.final = True
            elif nxt.page == ln.page and nxt.y1 - ln.y1 > 1.3 * self.L:
                ln.final = True
            else:
                ln.final = self.starts_paragraph(ln, nxt)
        return True

    def indent(self, ln):
        return ln.x0 - self.edges[ln.page % 2][0]

    def starts_paragraph(self, prev, ln):
        """Whether ln, after the full line prev, opens a paragraph."""
        if LIST_MARK.match(ln.words[0][4]):
            return True
        return not LIST_MARK.match(prev.words[0][4]) and \
            self.indent(ln) > self.indent(prev) + 3


def natural_spaces(doc):
    """Natural word space per box height, from the ragged last lines."""
    by_h = {}
    for ln in doc.seq:
        if ln.ragged and (ln.final or ln.kind != "body") and \
                not is_leaders(ln) and len(ln.words) > 1:
            by_h.setdefault(ln.h, []).extend(gaps(ln))
    natural = {}
    for h, g in by_h.items():
        m = median(g)
        if m and m > 0:
            g2 = [x for x in g if 0.5 * m <= x <= 2 * m]
            if len(g2) >= 5:
                natural[h] = (round(median(g2), 3), len(g2))
    return natural


def word_spaces(doc, res):
    natural = natural_spaces(doc)
    justified = [ln for ln in doc.seq if ln.kind == "body" and
                 not ln.final and not ln.ragged and len(ln.words) > 1]
    nat, nat_from = natural.get(doc.H, (None, 0))
    if nat is None:
        # no ragged lines: the median gap of the justified lines
        jg = [x for ln in justified for x in gaps(ln)]
        nat = median(jg) if jg else None
    res["natural_space"] = r3(nat)
    res["natural_space_gaps"] = nat_from
    res["natural_space_by_height"] = {str(k): v[0] for k, v in
                                      sorted(natural.items())}
    justified = [ln for ln in justified if doc.in_range(ln.page)]
    ratios, loose, tight = [], [], []
    for ln in justified:
        g = [x / nat for x in gaps(ln) if nat and x >= 0.25 * nat]
        if not g:
            continue
        ratios.extend(g)
        mean = sum(g) / len(g)
        row = {"page": ln.page, "y": round(ln.y1, 1),
               "mean": round(mean, 3), "text": ln.text}
        if mean > LOOSE:
            loose.append(row)
        elif mean < TIGHT:
            tight.append(row)
    ratios.sort()
    nj = len(justified)
    res["word_space"] = {
        "lines": nj, "gaps": len(ratios),
        "p50": r3(rank(ratios, 50)), "p95": r3(rank(ratios, 95)),
        "p99": r3(rank(ratios, 99)),
        "max": r3(ratios[-1] if ratios else None)}
    res["loose_lines"] = len(loose)
    res["loose_pct"] = pct(len(loose), nj)
    res["tight_lines"] = len(tight)
    res["tight_pct"] = pct(len(tight), nj)
    res["loose"] = sorted(loose, key=lambda x: -x["mean"])
    res["tight"] = sorted(tight, key=lambda x: x["mean"])


def hyphenation(doc, res):
    seq = doc.seq
    vocab, compounds = set(), set()
    for ln in seq:
        toks = [w[4] for w in ln.words]
        if toks and toks[-1][-1] in HYPHENS:
            toks = toks[:-1]
        for t in toks:
            c = core(t).lower().replace("\u2010", "-")
            if c:
                vocab.add(c)
                if re.search(r"\w-\w", c):
                    compounds.add(c)
    for i, ln in enumerate(seq[:-1]):
        if ln.kind == "body" and seq[i + 1].kind == "body":
            ln.hyph = hyphenated(ln.words[-1][4], seq[i + 1].words[0][4],
                                 vocab, compounds)
    body = [ln for ln in seq if ln.kind == "body" and doc.in_range(ln.page)]
    runs, run, last_full, breaks = [], 0, 0, []
    for i, ln in enumerate(seq):
        if ln.kind == "body" and ln.hyph:
            run += 1
            if doc.in_range(ln.page):
                if seq[i + 1].final:
                    last_full += 1
                if seq[i + 1].page != ln.page:
                    breaks.append(ln.page)
            continue
        # a run counts on the page of its last line
        if run and doc.in_range(seq[i - 1].page):
            runs.append(run)
        run = 0
    nh = sum(1 for ln in body if ln.hyph)
    res["body_lines"] = len(body)
    res["hyphenated_lines"] = nh
    res["hyphenated_pct"] = pct(nh, len(body))
    res["hyphen_max_run"] = max(runs, default=0)
    res["hyphen_runs_over_2"] = sum(1 for r in runs if r > 2)
    res["hyphen_last_full_line"] = last_full
    res["hyphen_page_breaks"] = breaks


def stranded(doc, res):
    out = []
    for p in doc.pages:
        if p.num < doc.body_from or not doc.in_range(p.num):
            continue
        ls = p.lines
        for i, ln in enumerate(ls):
            if ln.kind != "heading" or not ln.heading[2]:
                continue
            j = i + 1
            while j < len(ls) and ls[j].kind == "heading" and \
                    not ls[j].heading[2]:
                j += 1
            after = sum(1 for x in ls[j:] if x.kind != "heading")
            if after < 2:
                out.append({"page": p.num, "heading": ln.heading[0],
                            "lines_after": after})
    res["stranded_headings"] = out


def short_pages(doc, res):
    body = [p for p in doc.pages if p.num >= doc.body_from]
    bottoms = [p.lines[-1].y1 for p in body
               if p.lines and p.lines[-1].kind == "body"]
    c = [x for x in clusters(bottoms, 1.0) if x[2] >= 2]
    bottom = max(x[1] for x in c) if c else max(bottoms, default=None)
    res["text_block_bottom"] = r3(bottom)
    short, detail = [], []
    for p in body:
        if not doc.in_range(p.num) or doc.blank(p) or bottom is None:
            continue
        nxt = doc.byno.get(p.num + 1)
        if nxt is None or doc.blank(nxt) or doc.opens_chapter(nxt):
            continue
        low = max((ln.y1 for ln in p.lines), default=0)
        if low >= bottom - doc.L:
            continue
        if p.images:
            foot = doc.bands["foot"] or p.height * 0.95
            ink = ink_bottom(doc.pdf, p.num, low, foot)
            if ink is not None:
                low = max(low, ink)
            if low >= bottom - doc.L:
                continue
        short.append(p.num)
        detail.append({"page": p.num,
                       "lines": round((bottom - low) / doc.L, 1)})
    res["short_pages"] = short
    res["short"] = detail


def analyze(pdf, first=1, last=None, headings_path=None):
    """All the measurements of pages first..last (None: to the end)."""
    doc = Doc(pdf, first, last, headings_path)
    res = empty_result(doc)
    ok = doc.measure()
    res["blank_pages"] = [p.num for p in doc.pages
                          if doc.in_range(p.num) and doc.blank(p)]
    if not ok:
        return res
    res["body_pages"] = [max(doc.body_from, first), doc.last]
    res["geometry"] = {
        "body_box_height": doc.H, "leading": r3(doc.L),
        "head_band": r3(doc.bands["head"]),
        "foot_band": r3(doc.bands["foot"]),
        "text_block": {"odd": list(doc.edges[1]),
                       "even": list(doc.edges[0])}}
    word_spaces(doc, res)
    hyphenation(doc, res)
    stranded(doc, res)
    short_pages(doc, res)
    return res


def r3(x):
    return None if x is None else round(x, 3)


def pct(n, d):
    return round(100.0 * n / d, 2) if d else 0.0


def empty_result(doc):
    pages = [p for p in doc.pages if doc.in_range(p.num)]
    return {"pdf": doc.pdf, "pages": [doc.first, doc.last],
            "page_count": len(pages),
            "body_pages": [doc.first, doc.last], "geometry": None,
            "natural_space": None, "natural_space_gaps": 0,
            "natural_space_by_height": {},
            "word_space": {"lines": 0, "gaps": 0, "p50": None, "p95": None,
                           "p99": None, "max": None},
            "loose_lines": 0, "loose_pct": 0.0, "tight_lines": 0,
            "tight_pct": 0.0, "loose": [], "tight": [], "body_lines": 0,
            "hyphenated_lines": 0, "hyphenated_pct": 0.0,
            "hyphen_max_run": 0, "hyphen_runs_over_2": 0,
            "hyphen_last_full_line": 0, "hyphen_page_breaks": [],
            "stranded_headings": [], "short_pages": [], "short": [],
            "text_block_bottom": None,
            "blank_pages": [p.num for p in pages if doc.blank(p)]}


def gaps(ln):
    """Word spaces: not the space after a list item's label."""
    g = [b[0] - a[2] for a, b in zip(ln.words, ln.words[1:])]
    if g and LIST_MARK.match(ln.words[0][4]):
        g = g[1:]
    return g


def core(tok):
    """A token without the punctuation around it."""
    m = re.search(r"\w(?:.*\w)?", tok)
    return m.group(0) if m else ""


def hyphenated(last, first, vocab, compounds):
    if len(last) < 2 or last[-1] not in HYPHENS:
        return False
    frag = core(last[:-1])
    if not frag or not frag[-1].isalpha() or \
            not last[:-1].endswith(frag[-1]):
        return False
    rest = core(first)
    if not rest or not rest[0].isalpha() or not first.startswith(rest[0]):
        return False
    joined = (frag + rest).lower()
    hyph = (frag + "-" + rest).lower()
    if hyph in compounds and joined not in vocab:
        return False
    if joined in vocab:
        return True
    return not rest[0].isupper()


def report(res):
    out = []
    a, b = res["pages"]
    out.append("%s: pages %d-%d, body from page %d" %
               (res["pdf"], a, b, res["body_pages"][0]))
    g = res.get("geometry") or {}
    if g:
        out.append("body text: word boxes %.1f pt high, leading %s pt, "
                   "natural space %s pt (median of %d gaps on ragged "
                   "lines)" % (g["body_box_height"], g["leading"],
                               res["natural_space"],
                               res["natural_space_gaps"]))
        out.append("running heads: above y=%s; folios: below y=%s" %
                   (g["head_band"], g["foot_band"]))
    ws = res["word_space"]
    out.append("word spaces (x natural), %d gaps on %d justified lines: "
               "p50 %s, p95 %s, p99 %s, max %s" %
               (ws["gaps"], ws["lines"], ws["p50"], ws["p95"], ws["p99"],
                ws["max"]))
    out.append("loose lines (mean gap > %.2f x natural): %d (%.2f %%)" %
               (LOOSE, res["loose_lines"], res["loose_pct"]))
    for x in res["loose"][:5]:
        out.append("  p%d y=%.0f %.2f: %s" % (x["page"], x["y"], x["mean"],
                                              x["text"][:60]))
    out.append("tight lines (mean gap < %.2f x natural): %d (%.2f %%)" %
               (TIGHT, res["tight_lines"], res["tight_pct"]))
    for x in res["tight"][:5]:
        out.append("  p%d y=%.0f %.2f: %s" % (x["page"], x["y"], x["mean"],
                                              x["text"][:60]))
    out.append("hyphenated lines: %d of %d body lines (%.2f %%); longest "
               "run %d; runs > 2: %d; on a paragraph's last full line: %d;"
               " over a page break: %s" %
               (res["hyphenated_lines"], res["body_lines"],
                res["hyphenated_pct"], res["hyphen_max_run"],
                res["hyphen_runs_over_2"], res["hyphen_last_full_line"],
                pages_list(res["hyphen_page_breaks"])))
    out.append("stranded headings: %d" % len(res["stranded_headings"]))
    for x in res["stranded_headings"]:
        out.append("  p%d (%d lines after): %s" %
                   (x["page"], x["lines_after"], x["heading"]))
    out.append("short pages (lines of room left): %s" % (
        ", ".join("%d (%.1f)" % (x["page"], x["lines"]) for x in res["short"])
        or "0"))
    out.append("blank pages: %s" % pages_list(res["blank_pages"]))
    out.append("pages: %d" % res["page_count"])
    return "\n".join(out) + "\n"


def pages_list(ps):
    return "%d%s" % (len(ps), " (" + ", ".join(map(str, ps)) + ")"
                     if ps else "")


def main(argv):
    args = argv[1:]
    pdf = None
    first, last, heads, as_json = 1, None, None, False
    while args:
        a = args.pop(0)
        if a in ("--from", "--to", "--headings"):
            if not args:
                die("%s needs a value" % a)
            v = args.pop(0)
            if a == "--headings":
                heads = v
                continue
            if not v.isdigit() or int(v) < 1:
                die("%s: not a page number: %s" % (a, v))
            if a == "--from":
                first = int(v)
            else:
                last = int(v)
        elif a == "--json":
            as_json = True
        elif a in ("-h", "--help"):
            sys.stdout.write(__doc__)
            return 0
        elif a.startswith("-") or pdf is not None:
            die("usage: pdfstats.py PDF [--from N] [--to N] "
                "[--headings FILE] [--json]")
        else:
            pdf = a
    if pdf is None:
        die("usage: pdfstats.py PDF [--from N] [--to N] "
            "[--headings FILE] [--json]")
    if last is not None and last < first:
        die("--to %d is before --from %d" % (last, first))
    res = analyze(pdf, first, last, heads)
    if as_json:
        json.dump(res, sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(report(res))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
