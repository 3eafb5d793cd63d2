#!/usr/bin/env python3
"""Check that an e-book's embedded fonts can draw its text.

    epubfonts.py EPUB TEXT ITALIC BOLD BOLDITALIC MONO

TEXT ... MONO are the style's font files, in folio's order. The e-book's
fonts are found through its package (fonts/text.ttf ... fonts/mono.ttf, or
.otf). Every XHTML document of the manifest is read; each character of
its body (and of its alt texts) is given the face a reading system sets
it in: em, i and figcaption and the colophon's title italic; strong, b,
th and h1-h6 bold; both bold italic; code and pre mono. A character is
missing when the style's font has it (its cmap maps it) and the e-book's
font of that face does not; the text face must have every character of
every face. Also: each embedded font is smaller than its file (it is
a subset) and keeps the file's GSUB and GPOS tables.

Prints one line per problem and exits 1 if there is any; otherwise one
summary line. Standard library only: the cmap (formats 0, 4, 6, 12 and
13) is read here.
"""
import posixpath
import struct
import sys
import xml.etree.ElementTree as ET
import zipfile

FACES = ["text", "italic", "bold", "bold-italic", "mono"]
XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"


def tables(data):
    """The table directory of a font (the first face of a collection)."""
    off = 0
    if data[:4] == b"ttcf":
        off = struct.unpack(">I", data[12:16])[0]
    n = struct.unpack(">H", data[off + 4:off + 6])[0]
    t = {}
    for i in range(n):
        rec = data[off + 12 + 16 * i:off + 28 + 16 * i]
        tag = rec[:4].decode("latin-1")
        o, ln = struct.unpack(">II", rec[8:16])
        t[tag] = data[o:o + ln]
    return t


def cmap(data):
    """Every code point a font's Unicode cmap subtables map to a glyph."""
    cm = tables(data).get("cmap")
    if cm is None:
        return set()
    cps = set()
    n = struct.unpack(">H", cm[2:4])[0]
    for i in range(n):
        pid, eid, off = struct.unpack(">HHI", cm[4 + 8 * i:12 + 8 * i])
        if not (pid == 0 or (pid == 3 and eid in (1, 10))):
            continue
        fmt = struct.unpack(">H", cm[off:off + 2])[0]
        if fmt == 0:
            for c in range(256):
                if cm[off + 6 + c]:
                    cps.add(c)
        elif fmt == 4:
            segx2 = struct.unpack(">H", cm[off + 6:off + 8])[0]
            seg = segx2 // 2
            ends = struct.unpack(">%dH" % seg, cm[off + 14:off + 14 + segx2])
            p = off + 16 + segx2
            starts = struct.unpack(">%dH" % seg, cm[p:p + segx2])
            deltas = struct.unpack(">%dh" % seg, cm[p + segx2:p + 2 * segx2])
            ro = p + 2 * segx2
            offs = struct.unpack(">%dH" % seg, cm[ro:ro + segx2])
            for k in range(seg):
                for c in range(starts[k], ends[k] + 1):
                    if c == 0xFFFF:
                        continue
                    if offs[k] == 0:
                        g = (c + deltas[k]) & 0xFFFF
                    else:
                        a = ro + 2 * k + offs[k] + 2 * (c - starts[k])
                        g = struct.unpack(">H", cm[a:a + 2])[0]
                        if g:
                            g = (g + deltas[k]) & 0xFFFF
                    if g:
                        cps.add(c)
        elif fmt == 6:
            first, count = struct.unpack(">HH", cm[off + 6:off + 10])
            gl = struct.unpack(">%dH" % count, cm[off + 10:off + 10 + 2 * count])
            cps.update(first + k for k in range(count) if gl[k])
        elif fmt in (12, 13):
            ng = struct.unpack(">I", cm[off + 12:off + 16])[0]
            for k in range(ng):
                s, e, g = struct.unpack(">III", cm[off + 16 + 12 * k:off + 28 + 12 * k])
                if fmt == 12:
                    cps.update(range(s, e + 1))
                    if g == 0:
                        cps.discard(s)
                elif g:
                    cps.update(range(s, e + 1))
    return cps


def face_of(italic, bold, mono):
    if mono:
        return "mono"
    if italic:
        return "bold-italic" if bold else "italic"
    return "bold" if bold else "text"


def walk(el, italic, bold, mono, out):
    """(character, face) of an element's text, its children's, and tails."""
    tag = el.tag.replace(XHTML, "")
    cls = (el.get("class") or "").split()
    italic = italic or tag in ("em", "i", "figcaption") or "colophon-title" in cls
    bold = bold or tag in ("strong", "b", "th", "h1", "h2", "h3", "h4", "h5", "h6")
    mono = mono or tag in ("code", "pre")
    f = face_of(italic, bold, mono)
    if el.get("alt"):
        out.extend((c, "text") for c in el.get("alt"))
    if el.text:
        out.extend((c, f) for c in el.text)
    for child in el:
        walk(child, italic, bold, mono, out)
        if child.tail:
            out.extend((c, f) for c in child.tail)


def main():
    if len(sys.argv) != 7:
        sys.stderr.write(__doc__)
        return 2
    epub, style_fonts = sys.argv[1], sys.argv[2:]
    problems = []
    z = zipfile.ZipFile(epub)
    root = ET.fromstring(z.read("META-INF/container.xml"))
    opf_path = root.find(".//%srootfile" % CONTAINER).get("full-path")
    base = posixpath.dirname(opf_path)
    opf = ET.fromstring(z.read(opf_path))
    fonts, docs = {}, []
    for item in opf.iter(OPF + "item"):
        href = posixpath.normpath(posixpath.join(base, item.get("href")))
        mt = item.get("media-type")
        if mt.startswith("font/"):
            name = posixpath.basename(href).rsplit(".", 1)[0]
            fonts[name] = (href, mt)
        elif mt == "application/xhtml+xml":
            docs.append(href)
    orig, subs = {}, {}
    for i, face in enumerate(FACES):
        with open(style_fonts[i], "rb") as f:
            data = f.read()
        orig[face] = cmap(data)
        if face not in fonts:
            problems.append("no %s font in the package" % face)
            subs[face] = set()
            continue
        href, mt = fonts[face]
        sub = z.read(href)
        subs[face] = cmap(sub)
        want = "font/otf" if sub[:4] == b"OTTO" else "font/ttf"
        if mt != want or not href.endswith("." + want[5:]):
            problems.append("%s: %s as %s" % (href, want, mt))
        if len(sub) >= len(data):
            problems.append("%s: %d bytes, not a subset of %s (%d bytes)"
                            % (href, len(sub), style_fonts[i], len(data)))
        have, keep = tables(sub), tables(data)
        for t in ("GSUB", "GPOS"):
            if t in keep and t not in have:
                problems.append("%s: no %s table (%s has one)" % (href, t, style_fonts[i]))
    seen = {face: set() for face in FACES}
    lacking = set()
    for d in docs:
        body = ET.fromstring(z.read(d)).find(XHTML + "body")
        if body is None:
            continue
        chars = []
        walk(body, False, False, False, chars)
        for c, face in chars:
            cp = ord(c)
            if c in "\n\r\t":
                continue
            for f in (face, "text") if face != "text" else ("text",):
                if cp not in orig[f]:
                    lacking.add(cp)
                    continue
                if cp not in subs[f] and cp not in seen[f]:
                    problems.append("%s: U+%04X %r set in %s, not in %s's cmap"
                                    % (d, cp, c, f, fonts.get(f, ("?",))[0]))
                seen[f].add(cp)
    for p in problems:
        print(p)
    if problems:
        return 1
    print("%d characters, each in its face's subset (%s); %d the style's fonts lack"
          % (len(seen["text"]), ", ".join("%s %d" % (f, len(seen[f])) for f in FACES),
             len(lacking)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
