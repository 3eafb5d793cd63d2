#!/usr/bin/env python3
"""Check a PDF against the rules of PDF/X-3:2002 that can be read from the file.

    python3 tests/tools/pdfx3.py FILE.pdf

Reads the file through qpdf's JSON (qpdf 11: --json=2), twice: once as it
is, for dictionaries and filters, and once with the streams decoded, for
content streams and ICC profiles. Prints one line per rule, "ok RULE" or
"FAIL RULE: why", and exits 1 if any rule fails. Standard library only.

What it checks (ISO 15930-3:2002, as preflight tools read it):
  version      the header is PDF 1.3 or earlier (X-3:2002 is PDF 1.3)
  encryption   no /Encrypt in the trailer
  id           the trailer has an /ID of two strings
  info         Title, CreationDate and ModDate; Trapped /True or /False;
               GTS_PDFXVersion (PDF/X-3:2002)
  intent       exactly one /OutputIntents entry with /S /GTS_PDFX, an
               OutputConditionIdentifier, and a DestOutputProfile that is an
               ICC output (prtr) profile of version 2, whole, its /N matching
               its colour space
  boxes        every page has a TrimBox or an ArtBox (not both), inside its
               BleedBox (if any), inside its MediaBox
  annotations  no page has annotations (PDF/X allows some outside the
               bleed; a book for print has none)
  actions      no JavaScript, no actions (/A, /AA, /OpenAction), no
               AcroForm, no embedded files
  transparency no soft masks, no transparency groups, no constant alpha
               below 1, no blend mode but Normal
  colour       no DeviceRGB (nor Indexed over it): only DeviceGray,
               DeviceCMYK, and ICC-based colour whose profile is version 2
               and matches its /N
  filters      no LZW, JBIG2, JPX or Crypt filter
  fonts        every font has its program embedded
  operators    content streams use only PDF 1.3 operators, no rg/RG, no
               /DeviceRGB colour space, no PostScript
  other        no PostScript XObjects, no transfer functions, no halftone
               names, no OPI, no alternate images
"""
import base64
import json
import re
import subprocess
import sys

OPS_13 = set("""b B b* B* BDC BI BMC BT BX c cm CS cs d d0 d1 Do DP EI EMC ET
EX f F f* G g gs h i ID j J K k l m M MP n q Q re RG rg ri s S SC sc SCN scn sh
T* Tc Td TD Tf Tj TJ TL Tm Tr Ts Tw Tz v w W W* y ' \"""".split())


def qpdf_json(path, decoded):
    args = ["qpdf", "--json=2", "--json-key=qpdf"]
    if decoded:
        args += ["--json-stream-data=inline", "--decode-level=generalized"]
    else:
        args += ["--json-stream-data=none", "--decode-level=none"]
    out = subprocess.run(args + [path], check=True, capture_output=True).stdout
    return json.loads(out)["qpdf"][1]


class Doc:
    def __init__(self, path):
        self.raw = qpdf_json(path, False)
        self.dec = qpdf_json(path, True)
        with open(path, "rb") as f:
            self.head = f.read(16)

    def get(self, ref, decoded=False):
        objs = self.dec if decoded else self.raw
        if isinstance(ref, str) and re.fullmatch(r"\d+ \d+ R", ref):
            o = objs.get("obj:" + ref)
            if o is None:
                return None
            return o.get("value", o.get("stream", {}).get("dict"))
        return ref

    def data(self, ref):
        o = self.dec.get("obj:" + ref, {})
        s = o.get("stream", {})
        return base64.b64decode(s["data"]) if "data" in s else None

    def objects(self):
        """Every object, direct ones inside others too, with where it is."""
        def walk(v, where):
            yield v, where
            if isinstance(v, dict):
                for k, x in v.items():
                    yield from walk(x, where + k)
            elif isinstance(v, list):
                for i, x in enumerate(v):
                    yield from walk(x, "%s[%d]" % (where, i))
        for key, o in self.raw.items():
            v = o.get("value", o.get("stream", {}).get("dict")) if isinstance(o, dict) else None
            yield from walk(v, key)


def string(v):
    return v[2:] if isinstance(v, str) and v[:2] in ("u:", "b:") else None


def icc_ok(data, n, cls=None):
    if data is None or len(data) < 132:
        return "no profile data"
    size = int.from_bytes(data[0:4], "big")
    space = data[16:20]
    want = {1: b"GRAY", 3: b"RGB ", 4: b"CMYK"}.get(n)
    if size != len(data) or data[36:40] != b"acsp":
        return "not a whole ICC profile"
    if data[8] != 2:
        return "ICC version %d (PDF 1.3 reads version 2)" % data[8]
    if want is not None and space != want:
        return "profile of %r for /N %d" % (space, n)
    if cls is not None and data[12:16] != cls:
        return "profile class %r, not %r" % (data[12:16], cls)
    return None


def tokens(data):
    """The operators of a content stream, strings and comments left out."""
    i, n = 0, len(data)
    word = re.compile(rb"[^\s()<>\[\]{}/%]+")
    while i < n:
        c = data[i:i + 1]
        if c in b" \t\r\n\f\0[]{}":
            i += 1
        elif c == b"%":
            while i < n and data[i:i + 1] not in b"\r\n":
                i += 1
        elif c == b"(":
            depth, i = 1, i + 1
            while i < n and depth:
                c = data[i:i + 1]
                if c == b"\\":
                    i += 1
                elif c == b"(":
                    depth += 1
                elif c == b")":
                    depth -= 1
                i += 1
        elif data[i:i + 2] in (b"<<", b">>"):
            i += 2
        elif c == b"<":
            j = data.find(b">", i)
            i = n if j < 0 else j + 1
        elif c == b"/":
            m = word.match(data, i + 1)
            yield "/" + (m.group().decode("latin-1") if m else "")
            i = m.end() if m else i + 1
        else:
            m = word.match(data, i)
            if not m:
                i += 1
                continue
            t = m.group().decode("latin-1")
            i = m.end()
            if t == "ID":  # inline image data up to EI
                j = data.find(b"EI", i)
                i = n if j < 0 else j + 2
            if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)", t) and t not in ("true", "false", "null"):
                yield t


def contained(inner, outer, eps=0.01):
    return (inner[0] >= outer[0] - eps and inner[1] >= outer[1] - eps and
            inner[2] <= outer[2] + eps and inner[3] <= outer[3] + eps)


def check(path):
    d = Doc(path)
    results = []

    def rule(name, problems):
        results.append((name, problems))

    trailer = d.raw["trailer"]["value"]
    root = d.get(trailer["/Root"])
    info = d.get(trailer.get("/Info")) or {}

    m = re.match(rb"%PDF-1\.(\d)", d.head)
    rule("version", [] if m and int(m.group(1)) <= 3 else ["header %r" % d.head[:8]])
    rule("encryption", ["/Encrypt in the trailer"] if "/Encrypt" in trailer else [])
    ids = trailer.get("/ID")
    rule("id", [] if isinstance(ids, list) and len(ids) == 2 and all(string(x) for x in ids)
         else ["no /ID of two strings"])

    p = []
    for k in ("/Title", "/CreationDate", "/ModDate"):
        if not string(info.get(k)):
            p.append("no " + k)
    if info.get("/Trapped") not in ("/True", "/False"):
        p.append("/Trapped is %r" % info.get("/Trapped"))
    if string(info.get("/GTS_PDFXVersion")) != "PDF/X-3:2002":
        p.append("/GTS_PDFXVersion is %r" % info.get("/GTS_PDFXVersion"))
    rule("info", p)

    p = []
    intents = [d.get(x) for x in d.get(root.get("/OutputIntents")) or []]
    pdfx = [x for x in intents if x and x.get("/S") == "/GTS_PDFX"]
    if len(pdfx) != 1:
        p.append("%d GTS_PDFX output intents" % len(pdfx))
    for oi in pdfx:
        if not string(oi.get("/OutputConditionIdentifier")):
            p.append("no OutputConditionIdentifier")
        ref = oi.get("/DestOutputProfile")
        if not isinstance(ref, str):
            p.append("no DestOutputProfile")
            continue
        why = icc_ok(d.data(ref), d.get(ref).get("/N"), b"prtr")
        if why:
            p.append("DestOutputProfile: " + why)
    rule("intent", p)

    pages_box, pages_annot, npages = [], [], 0
    for key, o in d.raw.items():
        v = o.get("value") if isinstance(o, dict) else None
        if not isinstance(v, dict) or v.get("/Type") != "/Page":
            continue
        npages += 1
        media = v.get("/MediaBox")
        bleed = v.get("/BleedBox", v.get("/CropBox", media))
        trim, art = v.get("/TrimBox"), v.get("/ArtBox")
        if (trim is None) == (art is None):
            pages_box.append("%s: %s" % (key, "TrimBox and ArtBox" if trim else "no TrimBox or ArtBox"))
        elif not (contained(trim or art, bleed) and contained(bleed, media)):
            pages_box.append("%s: boxes not nested" % key)
        if d.get(v.get("/Annots")):
            pages_annot.append(key)
    rule("boxes", pages_box if npages else ["no pages"])
    rule("annotations", ["annotations on " + ", ".join(pages_annot[:5])] if pages_annot else [])

    act, transp, colour, filt, fonts, other = [], [], [], [], [], []
    if "/AcroForm" in root or "/OpenAction" in root or "/AA" in root:
        act.append("catalog has AcroForm, OpenAction or AA")
    for v, where in d.objects():
        if not isinstance(v, dict):
            continue
        for k in ("/JS", "/JavaScript", "/AA", "/A", "/EmbeddedFiles"):
            if k in v:
                act.append("%s at %s" % (k, where))
        if v.get("/S") in ("/JavaScript", "/Launch", "/URI", "/SubmitForm"):
            act.append("%s action at %s" % (v["/S"], where))
        if v.get("/SMask") not in (None, "/None"):
            transp.append("SMask at " + where)
        g = d.get(v.get("/Group"))
        if isinstance(g, dict) and g.get("/S") == "/Transparency":
            transp.append("transparency group at " + where)
        for k in ("/CA", "/ca"):
            if k in v and v[k] != 1:
                transp.append("%s %s at %s" % (k, v[k], where))
        if v.get("/BM") not in (None, "/Normal", "/Compatible"):
            transp.append("blend mode %s at %s" % (v["/BM"], where))
        for k in ("/TR", "/TR2"):
            if k in v and v[k] != "/Default":
                other.append("transfer function at " + where)
        if "/HalftoneName" in v or "/OPI" in v or "/Alternates" in v:
            other.append("halftone name, OPI or alternates at " + where)
        if v.get("/Subtype") == "/PS" or v.get("/Subtype2") == "/PS":
            other.append("PostScript XObject at " + where)
        f = v.get("/Filter")
        for x in (f if isinstance(f, list) else [f]):
            if x in ("/LZWDecode", "/JBIG2Decode", "/JPXDecode", "/Crypt"):
                filt.append("%s at %s" % (x, where))
        cs = v.get("/ColorSpace")
        if cs is not None and v.get("/Subtype") == "/Image":
            colour += colour_space(d, cs, where)
        res = d.get(v.get("/Resources")) if isinstance(v.get("/Resources"), (dict, str)) else None
        if isinstance(res, dict):
            for name, cs in (d.get(res.get("/ColorSpace")) or {}).items():
                colour += colour_space(d, cs, where + "/ColorSpace" + name)
        if v.get("/Type") == "/FontDescriptor" and not any(
                k in v for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            fonts.append("%s not embedded" % v.get("/FontName"))
    rule("actions", act)
    rule("transparency", transp)
    rule("colour", colour)
    rule("filters", filt)
    rule("fonts", fonts)

    ops = []
    for key, o in d.raw.items():
        v = o.get("value") if isinstance(o, dict) else None
        if not isinstance(v, dict) or v.get("/Type") != "/Page":
            continue
        c = v.get("/Contents")
        for ref in (c if isinstance(c, list) else [c]):
            data = d.data(ref) if isinstance(ref, str) else None
            if data is None:
                ops.append("%s: contents not readable" % key)
                continue
            bx = 0
            for t in tokens(data):
                if t == "BX":
                    bx += 1
                elif t == "EX":
                    bx = max(0, bx - 1)
                elif t in ("rg", "RG"):
                    ops.append("%s: %s (DeviceRGB)" % (key, t))
                elif t == "/DeviceRGB":
                    ops.append("%s: /DeviceRGB in content" % key)
                elif t == "PS":
                    ops.append("%s: PostScript operator" % key)
                elif not t.startswith("/") and t not in OPS_13 and not bx:
                    ops.append("%s: operator %r not in PDF 1.3" % (key, t))
    rule("operators", sorted(set(ops)))
    rule("other", other)

    failed = 0
    for name, problems in results:
        if problems:
            failed += 1
            print("FAIL %s: %s" % (name, "; ".join(problems[:4]) +
                                  (" (and %d more)" % (len(problems) - 4) if len(problems) > 4 else "")))
        else:
            print("ok " + name)
    return failed


def colour_space(d, cs, where):
    cs = d.get(cs)
    if cs == "/DeviceRGB":
        return ["DeviceRGB at " + where]
    if isinstance(cs, list) and cs:
        kind = cs[0]
        if kind == "/Indexed" and len(cs) > 1:
            return colour_space(d, cs[1], where + " (Indexed base)")
        if kind == "/ICCBased" and len(cs) > 1:
            ref = cs[1]
            why = icc_ok(d.data(ref), (d.get(ref) or {}).get("/N"))
            return ["ICCBased at %s: %s" % (where, why)] if why else []
        if kind in ("/Separation", "/DeviceN") and len(cs) > 2:
            return colour_space(d, cs[2], where + " (alternate)")
    return []


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: pdfx3.py FILE.pdf")
    sys.exit(1 if check(sys.argv[1]) else 0)
