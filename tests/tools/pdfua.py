#!/usr/bin/env python3
"""Check a tagged PDF against the machine-checkable rules of PDF/UA-1.

    python3 tests/tools/pdfua.py [-q] FILE.pdf
    python3 tests/tools/pdfua.py --tree FILE.pdf

Reads the file through qpdf's JSON (qpdf 11: --json=2), twice: once for
every object's dictionary, once for the decoded data of the streams the
rules read (page contents, form XObjects, ToUnicode maps, CIDToGIDMaps,
the XMP metadata). Content streams are parsed here, operands and all.
Prints one line per rule, "ok RULE" or "FAIL RULE (N): the first
problems", and exits 1 if any rule fails (2 if the file cannot be read).
-q prints the failures only. --tree prints the structure tree instead:
one element a line, indented, with its /Alt, /ActualText, /Lang, /ID and
scope, and its MCIDs' count. Standard library only.

The rules, with the Matterhorn Protocol 1.1 checkpoints they cover (its
"machine" checks; those about meaning, such as whether an /Alt is a good
description, are for people):
  marked      /MarkInfo /Marked true; /Suspects not true (01-007)
  structure   a StructTreeRoot with /K and a /ParentTree; every element a
              dictionary with /S and a /P naming its parent, reached once,
              no cycles; /Pg names a page
  types       standard structure types of ISO 32000-1, or role-mapped to
              one; no circular mapping, no standard type remapped
              (02-001, 02-003, 02-004)
  pages       every page with marked content has /StructParents, keys of
              the parent tree used once; a page with annotations has
              /Tabs /S (28-008, 28-009)
  mcid        every MCID of a page's content is unique on the page, owned
              by exactly one element (an integer kid or an MCR), and is
              the page's parent tree entry at that index; no element or
              parent tree entry names an MCID the page does not have
  content     every text-showing operator, painted path, shading, image
              and form XObject is inside a tagged marked-content sequence
              (one with an MCID) or an /Artifact (01-005)
  nesting     no tagged content inside an artifact, no artifact inside
              tagged content (01-003, 01-004), no MCID inside another
              (the content would have two owners); artifacts of a known
              /Type (Pagination, Layout, Page, Background)
  balance     marked-content sequences balanced within each content
              stream, not crossing BT/ET, not inside a path
  annots      a Link annotation has /Contents (28-012) and a
              /StructParent whose parent tree entry is a Link element
              holding it by an OBJR (28-011); other annotations (but
              Widget, Popup, PrinterMark) are in Annot elements with
              /Contents or /Alt (28-002, 28-004); no TrapNet (28-007), no
              PrinterMark in the tree (28-017)
  figures     every Figure and Formula has a non-empty /Alt or
              /ActualText (13-004, 17-002)
  headings    H1 to H6 in document order: the first is H1, none more than
              one level below the one before; not both H and Hn, at most
              one H per element (14-002, 14-003, 14-006, 14-007)
  tables      Table holds TR, or THead/TBody/TFoot holding TR, and a
              Caption first or last; TR holds TH and TD; each in its
              parent; every TH has /Scope in its /A (09-004, 15-003)
  lists       L holds LI (and a Caption first); LI holds at most one Lbl
              then at most one LBody, and is in an L; LBody is in an LI
              (09-005)
  toc         TOC holds TOCI, TOC or a Caption; TOCI is in a TOC and holds
              Lbl, Reference, NonStruct, P or TOC (09-006)
  notes       every Note has an /ID, unique (19-003, 19-004)
  lang        /Lang in the catalog, a well-formed BCP 47 tag; any /Lang of
              an element or a marked-content sequence well-formed
              (11-001 to 11-006)
  title       /ViewerPreferences /DisplayDocTitle true (07-001, 07-002)
  metadata    an XMP /Metadata stream in the catalog, well-formed, with a
              non-empty dc:title and pdfuaid:part 1 (06-001 to 06-003)
  fonts       every font program embedded (31-009); a ToUnicode map where
              the encoding does not give Unicode (31-027), none of its
              values 0, U+FEFF or U+FFFE (31-028, 31-029)
  unicode     every character code shown with a font that has a ToUnicode
              map is in the map (10-001); no CID font shows glyph 0,
              .notdef (31-030)
  version     the header's version is at least that of the tagged-PDF
              keys used (/Tabs: 1.5, /Lang and /MarkInfo: 1.4)
  other       no encryption that forbids assistive technology (26-001,
              26-002), no reference XObjects (30-001), no form XObject
              with MCIDs drawn twice (30-002), optional content
              configurations named and without /AS (20-001 to 20-003),
              embedded files with /F and /UF (21-001), no XFA dynamic
              rendering (25-001)

Not checked: the text's reading order and meaning, colour contrast,
whether alternative texts describe, fonts' glyph widths and cmaps
(31-011 to 31-026), MCIDs inside form XObjects (reported as
unsupported), character codes of fonts with an encoding other than
Identity-H/V or one byte.
"""
import base64
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

LIMIT = 4  # problems shown per rule

STANDARD = set("""Document Part Art Sect Div BlockQuote Caption TOC TOCI Index
NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead
TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP
Warichu WT WP Figure Formula Form""".split())

TEXT_OPS = {"Tj", "TJ", "'", '"'}
PAINT_OPS = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}
PATH_OPS = {"m", "re", "l", "c", "v", "y", "h", "W", "W*"}
ARTIFACT_TYPES = {"/Pagination", "/Layout", "/Page", "/Background"}

BCP47 = re.compile(r"""(?ix)^(
    (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})
    (?:-[a-z]{4})?
    (?:-(?:[a-z]{2}|\d{3}))?
    (?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*
    (?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*
    (?:-x(?:-[a-z\d]{1,8})+)?
  | x(?:-[a-z\d]{1,8})+
  | i-default|i-enochian|i-mingo|en-gb-oed|sgn-be-fr|sgn-be-nl|sgn-ch-de
)$""")

NS_DC = "{http://purl.org/dc/elements/1.1/}"
NS_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
NS_UA = "{http://www.aiim.org/pdfua/ns/id/}"


# ------------------------------------------------------------- reading

def qpdf_json(path, objects=None):
    args = ["qpdf", "--json=2", "--json-key=qpdf"]
    if objects is None:
        args += ["--json-stream-data=none", "--decode-level=none"]
    else:
        args += ["--json-stream-data=inline", "--decode-level=generalized"]
        args += ["--json-object=" + o for o in objects]
    r = subprocess.run(args + [path], capture_output=True)
    # qpdf exits 3 on warnings it recovered from; 2 is an error
    if r.returncode not in (0, 3) or not r.stdout:
        raise ValueError("qpdf cannot read it: " +
                         r.stderr.decode("utf-8", "replace").strip()[:200])
    return json.loads(r.stdout)["qpdf"][1]


def is_ref(v):
    return isinstance(v, str) and re.fullmatch(r"\d+ \d+ R", v) is not None


def text(v):
    """A PDF string as qpdf gives it ("u:text" or "b:hex"), or None."""
    if not isinstance(v, str):
        return None
    if v.startswith("u:"):
        return v[2:]
    if v.startswith("b:"):
        try:
            return bytes.fromhex(v[2:]).decode("latin-1")
        except ValueError:
            return None
    return None


class Doc:
    def __init__(self, path):
        self.path = path
        self.objs = qpdf_json(path, None)
        self.data_cache = {}
        with open(path, "rb") as f:
            self.head = f.read(16)

    def get(self, v):
        """The value of a reference (a stream's dictionary), or v itself."""
        if is_ref(v):
            o = self.objs.get("obj:" + v)
            if not isinstance(o, dict):
                return None
            return o.get("value", o.get("stream", {}).get("dict"))
        return v

    def dict(self, v):
        v = self.get(v)
        return v if isinstance(v, dict) else {}

    def list(self, v):
        v = self.get(v)
        if isinstance(v, list):
            return v
        return [] if v is None else [v]

    def contents(self, page):
        """A page's content streams: one, or an array of them."""
        c = page.get("/Contents")
        if self.is_stream(c):
            return [c]
        return [x for x in self.list(c) if is_ref(x)]

    def is_stream(self, ref):
        return is_ref(ref) and "stream" in self.objs.get("obj:" + ref, {})

    def load(self, refs):
        """Fetch the decoded data of these streams, in one run of qpdf."""
        want = sorted({r for r in refs if self.is_stream(r)} - set(self.data_cache))
        for i in range(0, len(want), 500):
            part = want[i:i + 500]
            got = qpdf_json(self.path, [r.split()[0] for r in part])
            for r in part:
                s = got.get("obj:" + r, {}).get("stream", {})
                self.data_cache[r] = (base64.b64decode(s["data"])
                                      if "data" in s else None)

    def data(self, ref):
        return self.data_cache.get(ref)


# ------------------------------------------------------------- content

class Op(str):
    pass


class Str(bytes):
    pass


DELIM = b"()<>[]{}/%"
WS = b"\x00\t\n\x0c\r "
TOKEN = re.compile(rb"""
  (?P<ws>[\x00\t\n\x0c\r ]+)
| (?P<comment>%[^\r\n]*)
| (?P<num>[+-]?(?:\d+\.?\d*|\.\d+)(?![^\x00\t\n\x0c\r ()<>\[\]{}/%]))
| (?P<name>/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)
| (?P<dopen><<) | (?P<dclose>>>)
| (?P<hex><[0-9A-Fa-f\x00\t\n\x0c\r ]*>)
| (?P<aopen>\[) | (?P<aclose>\])
| (?P<lstr>\()
| (?P<kw>[^\x00\t\n\x0c\r ()<>\[\]{}/%]+)
| (?P<other>.)
""", re.S | re.X)
ESC = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f",
       b"(": b"(", b")": b")", b"\\": b"\\"}
MAX_DEPTH = 64


def literal(data, i):
    """The literal string opening at data[i - 1] == '(': (bytes, end)."""
    out, depth, n = bytearray(), 1, len(data)
    while i < n:
        c = data[i:i + 1]
        if c == b"\\":
            e = data[i + 1:i + 2]
            if e in ESC:
                out += ESC[e]
                i += 2
            elif e in (b"\r", b"\n"):
                i += 2
                if e == b"\r" and data[i:i + 1] == b"\n":
                    i += 1
            elif e.isdigit():
                m = re.match(rb"[0-7]{1,3}", data[i + 1:i + 4])
                if m:
                    out.append(int(m.group(), 8) & 0xFF)
                    i += 1 + len(m.group())
                else:
                    out += e
                    i += 2
            else:
                out += e
                i += 2
            continue
        if c == b"(":
            depth += 1
        elif c == b")":
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
        out += c
        i += 1
    return bytes(out), n


def name_of(tok):
    return "/" + re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]),
                        tok[1:]).decode("latin-1")


def operations(data):
    """(operator, operands) for each operator of a content stream."""
    stack = []          # operands, and the lists of open arrays/dicts
    opens = []          # ("a"|"d", index in stack)
    i, n = 0, len(data)
    while i < n:
        m = TOKEN.match(data, i)
        kind, tok = m.lastgroup, m.group()
        i = m.end()
        v = None
        if kind in ("ws", "comment"):
            continue
        if kind == "num":
            v = float(tok) if b"." in tok else int(tok)
        elif kind == "name":
            v = name_of(tok)
        elif kind == "hex":
            h = re.sub(rb"[^0-9A-Fa-f]", b"", tok[1:-1])
            if len(h) % 2:
                h += b"0"
            v = Str(bytes.fromhex(h.decode()))
        elif kind == "lstr":
            s, i = literal(data, i)
            v = Str(s)
        elif kind in ("aopen", "dopen"):
            if len(opens) >= MAX_DEPTH:
                raise ValueError("objects nested too deep")
            opens.append((kind[0], len(stack)))
            continue
        elif kind in ("aclose", "dclose"):
            if not opens:
                continue
            k, at = opens.pop()
            items = stack[at:]
            del stack[at:]
            if k == "d":
                v = {items[j]: items[j + 1] for j in range(0, len(items) - 1, 2)
                     if isinstance(items[j], str) and items[j].startswith("/")}
            else:
                v = items
        elif kind == "kw":
            word = tok.decode("latin-1")
            if word in ("true", "false"):
                v = word == "true"
            elif word == "null":
                v = None
            elif opens:
                v = Op(word)  # an operator inside an array: keep as a word
            elif word == "BI":
                d, i = inline_image(data, i)
                yield "BI", [d]
                stack = []
                continue
            else:
                yield word, stack
                stack = []
                continue
        else:
            continue
        stack.append(v)
        if len(stack) > 100000:
            raise ValueError("too many operands")


def inline_image(data, i):
    """Skip BI ... ID data EI: (the image dictionary, the end)."""
    d, key = {}, None
    n = len(data)
    while i < n:
        m = TOKEN.match(data, i)
        kind, tok = m.lastgroup, m.group()
        i = m.end()
        if kind in ("ws", "comment"):
            continue
        if kind == "kw" and tok == b"ID":
            break
        if kind == "name":
            v = name_of(tok)
        elif kind == "num":
            v = float(tok) if b"." in tok else int(tok)
        else:
            v = tok.decode("latin-1")
        if key is None:
            key = v
        else:
            d[key] = v
            key = None
    i += 1  # the one white-space character after ID
    length = d.get("/L", d.get("/Length"))
    if isinstance(length, int) and 0 <= length <= n - i:
        i += length
    m = re.compile(rb"[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r ]|$)").search(data, i - 1 if i else 0)
    return d, (m.end() if m else n)


# ------------------------------------------------------------- fonts

def cmap_codes(data):
    """A ToUnicode CMap: ({code bytes: text}, code lengths)."""
    out, lengths = {}, set()
    if data is None:
        return out, lengths
    toks = []
    for m in re.finditer(rb"<([0-9A-Fa-f\s]*)>|\[|\]|(beginbfchar|endbfchar|beginbfrange|endbfrange|begincodespacerange|endcodespacerange)", data):
        if m.group(1) is not None:
            h = re.sub(rb"\s", b"", m.group(1))
            toks.append(bytes.fromhex(h.decode() + ("0" if len(h) % 2 else "")))
        else:
            toks.append(m.group().decode())
    i, mode = 0, None
    budget = 1 << 20
    while i < len(toks):
        t = toks[i]
        if isinstance(t, str) and t.startswith("begin"):
            mode = t[5:]
            i += 1
            continue
        if isinstance(t, str) and t.startswith("end"):
            mode = None
            i += 1
            continue
        if mode == "codespacerange" and i + 1 < len(toks) and isinstance(t, bytes):
            lengths.add(len(t))
            i += 2
        elif mode == "bfchar" and i + 1 < len(toks) and isinstance(t, bytes) and isinstance(toks[i + 1], bytes):
            out[t] = utf16(toks[i + 1])
            i += 2
        elif mode == "bfrange" and i + 2 < len(toks) and isinstance(t, bytes) and isinstance(toks[i + 1], bytes):
            lo, hi = int.from_bytes(t, "big"), int.from_bytes(toks[i + 1], "big")
            w = len(t)
            dst = toks[i + 2]
            if hi - lo > budget or hi < lo:
                i += 3
                continue
            budget -= hi - lo + 1
            if dst == "[":
                j = i + 3
                for c in range(lo, hi + 1):
                    if j < len(toks) and isinstance(toks[j], bytes):
                        out[c.to_bytes(w, "big")] = utf16(toks[j])
                        j += 1
                while j < len(toks) and toks[j] != "]":
                    j += 1
                i = j + 1
            elif isinstance(dst, bytes):
                base = int.from_bytes(dst, "big")
                for c in range(lo, hi + 1):
                    out[c.to_bytes(w, "big")] = utf16((base + c - lo).to_bytes(max(2, len(dst)), "big"))
                i += 3
            else:
                i += 3
        else:
            i += 1
    return out, lengths


def utf16(b):
    try:
        return b.decode("utf-16-be")
    except UnicodeDecodeError:
        return "\ufffd"


class Font:
    """What the unicode rule needs of a font."""

    def __init__(self, doc, ref):
        f = doc.dict(ref)
        self.ref = ref
        self.width = 1
        self.cid = False
        self.map = None         # ToUnicode: code -> text
        self.gid = None         # CIDToGIDMap stream: bytes, or "identity"
        sub = f.get("/Subtype")
        if sub == "/Type0":
            enc = f.get("/Encoding")
            if enc in ("/Identity-H", "/Identity-V"):
                self.width = 2
                self.cid = True
            else:
                self.width = 0  # a CMap of its own: codes not split here
            desc = doc.dict((doc.list(f.get("/DescendantFonts")) or [None])[0])
            g = desc.get("/CIDToGIDMap", "/Identity")
            if desc.get("/Subtype") == "/CIDFontType2" and is_ref(g):
                self.gid = doc.data(g)
            else:
                self.gid = "identity"
        if is_ref(f.get("/ToUnicode")):
            self.map, lengths = cmap_codes(doc.data(f["/ToUnicode"]))

    def codes(self, s):
        if self.width == 0:
            return []
        w = self.width
        return [s[i:i + w] for i in range(0, len(s) - len(s) % w, w)]

    def notdef(self, code):
        if not self.cid:
            return False
        cid = int.from_bytes(code, "big")
        if self.gid == "identity":
            return cid == 0
        if isinstance(self.gid, bytes) and 2 * cid + 1 < len(self.gid):
            return self.gid[2 * cid] == 0 and self.gid[2 * cid + 1] == 0
        return cid == 0


# ------------------------------------------------------------- the checks

class Checker:
    def __init__(self, doc):
        self.d = doc
        self.problems = {}
        self.order = []
        for r in ("marked", "structure", "types", "pages", "mcid", "content",
                  "nesting", "balance", "annots", "figures", "headings",
                  "tables", "lists", "toc", "notes", "lang", "title",
                  "metadata", "fonts", "unicode", "version", "other"):
            self.problems[r] = []
            self.order.append(r)
        self.fonts = {}
        self.forms_with_mcid = {}

    def bad(self, rule, what):
        self.problems[rule].append(what)

    # --- the document's objects

    def run(self):
        d = self.d
        trailer = d.objs.get("trailer", {}).get("value", {})
        self.cat = d.dict(trailer.get("/Root"))
        if not self.cat:
            raise ValueError("no catalog")
        self.pages = self.page_list()
        self.pageno = {ref: i + 1 for i, (ref, _, _) in enumerate(self.pages)}
        wanted = []
        for ref, page, res in self.pages:
            wanted += d.contents(page)
        for key, o in d.objs.items():
            if not key.startswith("obj:") or not isinstance(o, dict):
                continue
            v = o.get("value", o.get("stream", {}).get("dict"))
            if not isinstance(v, dict):
                continue
            ref = key[4:]
            if v.get("/Subtype") == "/Form" and "stream" in o:
                wanted.append(ref)
            if v.get("/Type") == "/Font" or "/ToUnicode" in v:
                if is_ref(v.get("/ToUnicode")):
                    wanted.append(v["/ToUnicode"])
            if is_ref(v.get("/CIDToGIDMap")):
                wanted.append(v["/CIDToGIDMap"])
        if is_ref(self.cat.get("/Metadata")):
            wanted.append(self.cat["/Metadata"])
        d.load(wanted)

        self.check_catalog(trailer)
        self.walk_tree()
        self.check_content()
        self.check_pages_and_annots()
        self.check_elements()
        self.check_fonts()
        self.check_other(trailer)

    def page_list(self):
        d, out, seen = self.d, [], set()

        def walk(ref, res, depth):
            node = d.dict(ref)
            if depth > 64 or ref in seen:
                return
            seen.add(ref)
            res = node.get("/Resources", res)
            if node.get("/Type") == "/Pages" or "/Kids" in node:
                for k in d.list(node.get("/Kids")):
                    walk(k, res, depth + 1)
            else:
                out.append((ref, node, d.dict(res)))
        walk(self.cat.get("/Pages"), None, 0)
        return out

    # --- catalog-level rules

    def check_catalog(self, trailer):
        d, cat = self.d, self.cat
        mi = d.dict(cat.get("/MarkInfo"))
        if mi.get("/Marked") is not True:
            self.bad("marked", "/MarkInfo /Marked is %r, not true" % mi.get("/Marked"))
        if mi.get("/Suspects") is True:
            self.bad("marked", "/Suspects true")

        lang = text(cat.get("/Lang"))
        if lang is None:
            self.bad("lang", "no /Lang in the catalog")
        elif not BCP47.match(lang):
            self.bad("lang", "catalog /Lang %r is not a BCP 47 tag" % lang)

        vp = d.dict(cat.get("/ViewerPreferences"))
        if "/DisplayDocTitle" not in vp:
            self.bad("title", "no /ViewerPreferences /DisplayDocTitle")
        elif vp["/DisplayDocTitle"] is not True:
            self.bad("title", "/DisplayDocTitle is %r" % vp["/DisplayDocTitle"])

        md = cat.get("/Metadata")
        data = d.data(md) if is_ref(md) else None
        if data is None:
            self.bad("metadata", "no /Metadata stream in the catalog")
        else:
            self.check_xmp(data)

        m = re.match(rb"%PDF-(\d)\.(\d)", d.head)
        ver = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
        need = (1, 4) if ("/Lang" in cat or "/MarkInfo" in cat) else (1, 0)
        if any("/Tabs" in p for _, p, _ in self.pages):
            need = (1, 5)
        if ver < need:
            self.bad("version", "header says PDF %d.%d; /Tabs, /Lang or /MarkInfo "
                     "need %d.%d" % (ver + need))

    def check_xmp(self, data):
        try:
            root = ET.fromstring(data)
        except ET.ParseError as e:
            self.bad("metadata", "XMP is not well-formed: %s" % e)
            return
        titles = []
        for t in root.iter(NS_DC + "title"):
            titles += [li.text for li in t.iter(NS_RDF + "li") if li.text and li.text.strip()]
        if not titles:
            self.bad("metadata", "no non-empty dc:title in the XMP")
        parts = [e.text for e in root.iter(NS_UA + "part")]
        for desc in root.iter(NS_RDF + "Description"):
            if NS_UA + "part" in desc.attrib:
                parts.append(desc.attrib[NS_UA + "part"])
        if not parts:
            self.bad("metadata", "no pdfuaid:part in the XMP")
        elif [p.strip() for p in parts if p] != ["1"]:
            self.bad("metadata", "pdfuaid:part is %r, not 1" % parts)

    # --- the structure tree

    def walk_tree(self):
        d = self.d
        self.elems = []         # (key, dict, type, parent key, depth) in order
        self.kids = {}          # key -> [child element keys]
        self.owner = {}         # (page ref, mcid) -> [element keys]
        self.objr = {}          # annotation ref -> [element keys]
        self.elem_mcids = {}    # element key -> count
        root_ref = self.cat.get("/StructTreeRoot")
        root = d.dict(root_ref)
        if not root:
            self.bad("structure", "no /StructTreeRoot in the catalog")
            self.rolemap = {}
            self.parents = {}
            return
        if root.get("/Type", "/StructTreeRoot") != "/StructTreeRoot":
            self.bad("structure", "StructTreeRoot /Type is %s" % root.get("/Type"))
        self.rolemap = {k: v for k, v in d.dict(root.get("/RoleMap")).items()}
        if "/ParentTree" not in root:
            self.bad("structure", "no /ParentTree")
        self.parents = self.number_tree(root.get("/ParentTree"))
        nk = root.get("/ParentTreeNextKey")
        if isinstance(nk, int) and self.parents and max(self.parents) >= nk:
            self.bad("structure", "/ParentTreeNextKey %d is not past the last key %d"
                     % (nk, max(self.parents)))
        if "/K" not in root:
            self.bad("structure", "the StructTreeRoot has no /K")
        seen = set()
        # an explicit stack: books have thousands of elements, deep lists
        work = [(k, root_ref, 0, "root") for k in reversed(d.list(root.get("/K")))]
        counter = 0
        while work:
            kid, parent, depth, pkey = work.pop()
            counter += 1
            if counter > 2000000:
                self.bad("structure", "more than 2,000,000 structure nodes")
                break
            e = d.get(kid)
            if not isinstance(e, dict):
                self.bad("structure", "a kid of %s is not a structure element: %r"
                         % (pkey, kid))
                continue
            key = kid if is_ref(kid) else "%s/%d" % (pkey, counter)
            if key in seen:
                self.bad("structure", "element %s reached twice" % key)
                continue
            seen.add(key)
            if e.get("/Type", "/StructElem") != "/StructElem":
                self.bad("structure", "element %s has /Type %s" % (key, e.get("/Type")))
            s = e.get("/S")
            if not isinstance(s, str) or not s.startswith("/"):
                self.bad("structure", "element %s has no /S" % key)
                s = "/?"
            if "/P" not in e:
                self.bad("structure", "element %s (%s) has no /P" % (key, s[1:]))
            elif parent is not None and e["/P"] != parent:
                self.bad("structure", "element %s (%s): /P is %s, not its parent %s"
                         % (key, s[1:], e["/P"], parent))
            pg = e.get("/Pg")
            if pg is not None and pg not in self.pageno:
                self.bad("structure", "element %s: /Pg %s is not a page" % (key, pg))
            self.elems.append((key, e, s[1:], pkey, depth))
            self.kids.setdefault(pkey, []).append(key)
            self.kids.setdefault(key, [])
            self.elem_mcids[key] = 0
            children = []
            for k in d.list(e.get("/K")):
                if isinstance(k, int):
                    self.mcr(key, pg, k)
                    continue
                kd = d.get(k)
                if isinstance(kd, dict) and kd.get("/Type") == "/MCR":
                    if "/Stm" in kd:
                        self.bad("mcid", "element %s: an MCR into a form XObject "
                                 "(not checked here)" % key)
                        continue
                    self.mcr(key, kd.get("/Pg", pg), kd.get("/MCID"))
                elif isinstance(kd, dict) and kd.get("/Type") == "/OBJR":
                    obj = kd.get("/Obj")
                    self.objr.setdefault(obj, []).append(key)
                    opg = kd.get("/Pg", pg)
                    if opg is not None and opg not in self.pageno:
                        self.bad("structure", "element %s: OBJR /Pg %s is not a page"
                                 % (key, opg))
                else:
                    if depth > 100000:
                        self.bad("structure", "the tree is more than 100,000 deep")
                        continue
                    children.append(k)
            for k in reversed(children):
                work.append((k, kid if is_ref(kid) else None, depth + 1, key))

    def mcr(self, key, pg, mcid):
        if not isinstance(mcid, int) or mcid < 0:
            self.bad("mcid", "element %s: MCID %r" % (key, mcid))
            return
        if pg is None or pg not in self.pageno:
            self.bad("mcid", "element %s: MCID %d without a page (/Pg)" % (key, mcid))
            return
        self.owner.setdefault((pg, mcid), []).append(key)
        self.elem_mcids[key] += 1

    def number_tree(self, ref):
        d, out, seen = self.d, {}, set()

        def walk(node, depth):
            if depth > 32 or (is_ref(node) and node in seen):
                self.bad("structure", "the parent tree loops or is too deep")
                return
            if is_ref(node):
                seen.add(node)
            n = d.dict(node)
            nums = d.list(n.get("/Nums"))
            for i in range(0, len(nums) - 1, 2):
                if isinstance(nums[i], int):
                    out[nums[i]] = nums[i + 1]
            for k in d.list(n.get("/Kids")):
                walk(k, depth + 1)
        if ref is not None:
            walk(ref, 0)
        return out

    def role(self, s):
        """A type through the role map: (standard type or None, problem)."""
        seen = [s]
        while s not in STANDARD:
            m = self.rolemap.get("/" + s)
            if not isinstance(m, str):
                return None, "%s is not a standard type and is not role-mapped" % s
            s = m[1:]
            if s in seen:
                return None, "circular role mapping %s" % " -> ".join(seen + [s])
            seen.append(s)
            if len(seen) > 32:
                return None, "role mapping of %s too long" % seen[0]
        return s, None

    # --- the pages' content

    def check_content(self):
        self.content_mcids = {}     # page ref -> {mcid: tag}
        self.form_draws = {}
        for ref, page, res in self.pages:
            no = self.pageno[ref]
            mcids = {}
            self.content_mcids[ref] = mcids
            for c in self.d.contents(page):
                data = self.d.data(c)
                if data is None:
                    self.bad("content", "page %d: contents not readable" % no)
                    continue
                self.scan(data, res, "page %d" % no, [], mcids, 0)
        for form, n in self.form_draws.items():
            if n > 1 and form in self.forms_with_mcid:
                self.bad("other", "form XObject %s has MCIDs and is drawn %d times"
                         % (form, n))

    def font(self, res, name):
        ref = self.d.dict(res.get("/Font")).get(name)
        if ref is None:
            return None
        key = ref if is_ref(ref) else json.dumps(ref, sort_keys=True)
        if key not in self.fonts:
            self.fonts[key] = Font(self.d, ref)
        return self.fonts[key]

    def scan(self, data, res, where, inherited, mcids, depth):
        """One content stream; inherited: the marks around a form's Do."""
        d = self.d
        stack = list(inherited)     # (tag, mcid, artifact)
        base = len(stack)
        bt = None                   # the stack's depth at BT
        path = False
        font = None
        try:
            ops = list(operations(data))
        except ValueError as e:
            self.bad("content", "%s: content not parsed: %s" % (where, e))
            return

        def marked():
            return any(m[1] is not None or m[2] for m in stack)

        for op, args in ops:
            if op in ("BMC", "BDC"):
                if path:
                    self.bad("balance", "%s: %s inside a path" % (where, op))
                tag = args[0] if args and isinstance(args[0], str) else "/?"
                props = args[1] if op == "BDC" and len(args) > 1 else {}
                if isinstance(props, str) and props.startswith("/"):
                    props = d.dict(d.dict(res.get("/Properties")).get(props))
                if not isinstance(props, dict):
                    props = {}
                art = tag == "/Artifact"
                mcid = props.get("/MCID")
                if mcid is not None and not isinstance(mcid, int):
                    self.bad("mcid", "%s: MCID %r" % (where, mcid))
                    mcid = None
                if art and mcid is not None:
                    self.bad("nesting", "%s: an artifact with MCID %d" % (where, mcid))
                    mcid = None
                if art and "/Type" in props and props["/Type"] not in ARTIFACT_TYPES:
                    self.bad("nesting", "%s: artifact of /Type %s" % (where, props["/Type"]))
                if art and any(m[1] is not None for m in stack):
                    self.bad("nesting", "%s: an artifact inside tagged content" % where)
                if mcid is not None:
                    if any(m[2] for m in stack):
                        self.bad("nesting", "%s: MCID %d inside an artifact" % (where, mcid))
                    elif any(m[1] is not None for m in stack):
                        self.bad("nesting", "%s: MCID %d inside MCID %d"
                                 % (where, mcid, [m[1] for m in stack if m[1] is not None][-1]))
                    if depth > 0:
                        self.forms_with_mcid[where] = True
                        self.bad("mcid", "%s: MCID %d in a form XObject (not checked here)"
                                 % (where, mcid))
                    elif mcid in mcids:
                        self.bad("mcid", "%s: MCID %d used twice" % (where, mcid))
                    else:
                        mcids[mcid] = tag[1:]
                lang = text(props.get("/Lang"))
                if lang is not None and not BCP47.match(lang):
                    self.bad("lang", "%s: marked content /Lang %r" % (where, lang))
                stack.append((tag, mcid, art))
            elif op == "EMC":
                if path:
                    self.bad("balance", "%s: EMC inside a path" % where)
                if len(stack) <= base:
                    self.bad("balance", "%s: EMC without BMC/BDC" % where)
                    continue
                if bt is not None and len(stack) <= bt:
                    self.bad("balance", "%s: EMC closes a sequence opened before BT" % where)
                stack.pop()
            elif op == "BT":
                bt = len(stack)
            elif op == "ET":
                if bt is not None and len(stack) != bt:
                    self.bad("balance", "%s: ET inside a sequence opened after BT" % where)
                bt = None
            elif op == "Tf":
                if args and isinstance(args[0], str):
                    font = self.font(res, args[0])
            elif op in TEXT_OPS:
                if not marked():
                    self.bad("content", "%s: text (%s) neither tagged nor an artifact"
                             % (where, op))
                self.codes(font, args, where)
            elif op in PAINT_OPS or op in ("sh", "BI"):
                if not marked():
                    self.bad("content", "%s: %s neither tagged nor an artifact"
                             % (where, "inline image" if op == "BI" else
                                "shading" if op == "sh" else "path painted (%s)" % op))
                path = False
            elif op == "n":
                path = False
            elif op in PATH_OPS:
                path = True
            elif op == "Do":
                name = args[0] if args else None
                ref = d.dict(res.get("/XObject")).get(name)
                x = d.dict(ref)
                if "/Ref" in x:
                    self.bad("other", "%s: reference XObject %s" % (where, name))
                if x.get("/Subtype") == "/Form" and is_ref(ref):
                    self.form_draws[ref] = self.form_draws.get(ref, 0) + 1
                    if depth < 12 and self.form_draws[ref] <= 1:
                        self.scan(d.data(ref) or b"", d.dict(x.get("/Resources", res)),
                                  "%s form %s" % (where, ref), stack, mcids, depth + 1)
                    elif not marked():
                        self.bad("content", "%s: form %s neither tagged nor an artifact"
                                 % (where, name))
                elif not marked():
                    self.bad("content", "%s: image %s neither tagged nor an artifact"
                             % (where, name))
        if len(stack) != base:
            self.bad("balance", "%s: %d marked-content sequence(s) left open"
                     % (where, len(stack) - base))

    def codes(self, font, args, where):
        if font is None:
            return
        strings = []
        for a in args:
            if isinstance(a, Str):
                strings.append(a)
            elif isinstance(a, list):
                strings += [x for x in a if isinstance(x, Str)]
        for s in strings:
            for code in font.codes(s):
                if font.map is not None and code not in font.map:
                    self.bad("unicode", "%s: code <%s> of font %s not in its ToUnicode map"
                             % (where, code.hex(), font.ref))
                if font.notdef(code):
                    self.bad("unicode", "%s: font %s shows .notdef (code <%s>)"
                             % (where, font.ref, code.hex()))

    # --- pages, parent tree, annotations

    def check_pages_and_annots(self):
        d = self.d
        used = {}
        for ref, page, res in self.pages:
            no = self.pageno[ref]
            mcids = self.content_mcids.get(ref, {})
            sp = page.get("/StructParents")
            annots = [a for a in d.list(page.get("/Annots"))]
            if annots and page.get("/Tabs") != "/S":
                self.bad("pages", "page %d has annotations and /Tabs %s"
                         % (no, page.get("/Tabs", "missing")))
            if sp is None:
                if mcids:
                    self.bad("pages", "page %d has marked content and no /StructParents" % no)
                entry = []
            else:
                if not isinstance(sp, int):
                    self.bad("pages", "page %d: /StructParents %r" % (no, sp))
                    entry = []
                else:
                    if sp in used:
                        self.bad("pages", "page %d: /StructParents %d also %s" % (no, sp, used[sp]))
                    used[sp] = "page %d's" % no
                    entry = d.get(self.parents.get(sp))
                    if entry is None and mcids:
                        self.bad("mcid", "page %d: no parent tree entry %d" % (no, sp))
                        entry = []
                    elif not isinstance(entry, list):
                        self.bad("mcid", "page %d: parent tree entry %d is not an array"
                                 % (no, sp))
                        entry = []
            for mcid in sorted(mcids):
                owners = self.owner.get((ref, mcid), [])
                if not owners:
                    self.bad("mcid", "page %d: MCID %d (%s) is in no structure element"
                             % (no, mcid, mcids[mcid]))
                elif len(owners) > 1:
                    self.bad("mcid", "page %d: MCID %d is in %d elements (%s)"
                             % (no, mcid, len(owners), ", ".join(owners[:3])))
                got = entry[mcid] if mcid < len(entry) else None
                if owners and got != owners[0]:
                    self.bad("mcid", "page %d: parent tree says MCID %d is %s's, "
                             "the tree says %s's" % (no, mcid, got, owners[0]))
            for i, e in enumerate(entry):
                if e is not None and i not in mcids:
                    self.bad("mcid", "page %d: parent tree names MCID %d, not in the content"
                             % (no, i))
            for a in annots:
                self.check_annot(a, ref, no, used)
        for (pg, mcid), owners in self.owner.items():
            if mcid not in self.content_mcids.get(pg, {}):
                self.bad("mcid", "element %s names MCID %d of page %d, not in its content"
                         % (owners[0], mcid, self.pageno.get(pg, 0)))

    def check_annot(self, ref, page, no, used):
        d = self.d
        a = d.dict(ref)
        sub = a.get("/Subtype")
        owners = self.objr.get(ref, [])
        types = {k: t for k, _, t, _, _ in self.elems}
        if sub == "/TrapNet":
            self.bad("annots", "page %d: a TrapNet annotation" % no)
        if sub == "/PrinterMark":
            if owners:
                self.bad("annots", "page %d: a PrinterMark annotation in the tree" % no)
            return
        if sub in ("/Popup", "/Widget"):
            return
        hidden = isinstance(a.get("/F"), int) and a["/F"] & 2
        if hidden:
            return
        if sub == "/Link":
            if not (text(a.get("/Contents")) or "").strip():
                self.bad("annots", "page %d: Link %s without /Contents" % (no, ref))
            want = "Link"
        else:
            if not (text(a.get("/Contents")) or "").strip() and not any(
                    text(self.elem_dict(k).get("/Alt")) for k in owners):
                self.bad("annots", "page %d: %s annotation %s without /Contents or /Alt"
                         % (no, (sub or "/?")[1:], ref))
            want = "Annot"
        if len(owners) != 1:
            self.bad("annots", "page %d: %s annotation %s is in %d elements (OBJR)"
                     % (no, (sub or "/?")[1:], ref, len(owners)))
            return
        t, _ = self.role(types.get(owners[0], "?"))
        if t != want:
            self.bad("annots", "page %d: %s annotation %s is in a %s element, not %s"
                     % (no, (sub or "/?")[1:], ref, types.get(owners[0]), want))
        sp = a.get("/StructParent")
        if not isinstance(sp, int):
            self.bad("annots", "page %d: %s annotation %s has no /StructParent"
                     % (no, (sub or "/?")[1:], ref))
            return
        if sp in used:
            self.bad("pages", "annotation %s: /StructParent %d also %s" % (ref, sp, used[sp]))
        used[sp] = "annotation %s's" % ref
        if self.parents.get(sp) != owners[0]:
            self.bad("annots", "page %d: parent tree entry %d is %r, not %s's element %s"
                     % (no, sp, self.parents.get(sp), ref, owners[0]))

    def elem_dict(self, key):
        return self.d.dict(key) if is_ref(key) else {}

    # --- what the elements are

    def check_elements(self):
        d = self.d
        types = {}
        for key, e, s, pkey, depth in self.elems:
            t, why = self.role(s)
            if why:
                self.bad("types", why)
            types[key] = t or s
        for k, v in self.rolemap.items():
            if k[1:] in STANDARD:
                self.bad("types", "standard type %s remapped to %s" % (k[1:], v))
        types["root"] = "(root)"

        def kid_types(key):
            return [types[k] for k in self.kids.get(key, [])]

        levels, hn, h = [], False, False
        ids = {}
        for key, e, s, pkey, depth in self.elems:
            t = types[key]
            par = types.get(pkey, "?")
            kids = kid_types(key)
            label = "%s %s" % (t, key)
            lang = text(e.get("/Lang"))
            if lang is not None and lang != "" and not BCP47.match(lang):
                self.bad("lang", "%s: /Lang %r" % (label, lang))
            if t in ("Figure", "Formula"):
                alt = text(e.get("/Alt")) or text(e.get("/ActualText")) or ""
                if not alt.strip():
                    self.bad("figures", "%s has no /Alt or /ActualText" % label)
            if re.fullmatch(r"H[1-6]", t):
                hn = True
                n = int(t[1])
                if not levels and n != 1:
                    self.bad("headings", "the first heading is %s" % t)
                elif levels and n > levels[-1] + 1:
                    self.bad("headings", "%s (%s) after H%d" % (t, key, levels[-1]))
                levels.append(n)
            elif t == "H":
                h = True
            if kids.count("H") > 1:
                self.bad("headings", "%s holds %d H elements" % (label, kids.count("H")))
            # tables
            if t == "Table":
                self.order_ok("tables", label, kids, ["TR", "THead", "TBody", "TFoot"])
                if "TR" in kids and any(k in kids for k in ("THead", "TBody", "TFoot")):
                    self.bad("tables", "%s mixes TR with THead/TBody/TFoot" % label)
                if kids.count("THead") > 1 or kids.count("TFoot") > 1:
                    self.bad("tables", "%s has more than one THead or TFoot" % label)
                body = [k for k in kids if k != "Caption"]
                if "TFoot" in body and body.index("TFoot") != len(body) - 1:
                    self.bad("tables", "%s: TFoot is not the last" % label)
                if "THead" in body and body.index("THead") != 0:
                    self.bad("tables", "%s: THead is not the first" % label)
                if not body:
                    self.bad("tables", "%s holds no row" % label)
            if t in ("THead", "TBody", "TFoot"):
                if par != "Table":
                    self.bad("tables", "%s is in %s, not Table" % (label, par))
                self.only("tables", label, kids, {"TR"})
            if t == "TR":
                if par not in ("Table", "THead", "TBody", "TFoot"):
                    self.bad("tables", "%s is in %s" % (label, par))
                self.only("tables", label, kids, {"TH", "TD"})
            if t in ("TH", "TD") and par != "TR":
                self.bad("tables", "%s is in %s, not TR" % (label, par))
            if t == "TH" and not self.scope(e):
                self.bad("tables", "%s has no /Scope in /A" % label)
            # lists
            if t == "L":
                self.order_ok("lists", label, kids, ["LI"])
            if t == "LI":
                if par != "L":
                    self.bad("lists", "%s is in %s, not L" % (label, par))
                self.only("lists", label, kids, {"Lbl", "LBody"})
                if kids.count("Lbl") > 1 or kids.count("LBody") > 1:
                    self.bad("lists", "%s holds %s" % (label, " ".join(kids)))
                elif kids == ["LBody", "Lbl"]:
                    self.bad("lists", "%s: LBody before Lbl" % label)
            if t == "LBody" and par != "LI":
                self.bad("lists", "%s is in %s, not LI" % (label, par))
            # contents
            if t == "TOC":
                self.only("toc", label, kids, {"TOCI", "TOC", "Caption"})
            if t == "TOCI":
                if par != "TOC":
                    self.bad("toc", "%s is in %s, not TOC" % (label, par))
                self.only("toc", label, kids, {"Lbl", "Reference", "NonStruct", "P", "TOC"})
            # notes
            if t == "Note":
                i = text(e.get("/ID"))
                if not i:
                    self.bad("notes", "%s has no /ID" % label)
                elif i in ids:
                    self.bad("notes", "%s: /ID %r also %s's" % (label, i, ids[i]))
                else:
                    ids[i] = key
            elif text(e.get("/ID")):
                ids.setdefault(text(e.get("/ID")), key)
        if h and hn:
            self.bad("headings", "both H and H1-H6 are used")

    def only(self, rule, label, kids, allowed):
        odd = sorted(set(k for k in kids if k not in allowed))
        if odd:
            self.bad(rule, "%s holds %s" % (label, ", ".join(odd)))

    def order_ok(self, rule, label, kids, body):
        """kids: body types, with one Caption at most, first or last."""
        self.only(rule, label, kids, set(body) | {"Caption"})
        c = [i for i, k in enumerate(kids) if k == "Caption"]
        if len(c) > 1 or (c and c[0] not in (0, len(kids) - 1)):
            self.bad(rule, "%s: a Caption that is not its first or last child" % label)

    def scope(self, e):
        d = self.d
        for a in d.list(e.get("/A")):
            a = d.dict(a)
            if a.get("/Scope") in ("/Row", "/Column", "/Both"):
                return True
        return False

    # --- fonts and the rest

    def check_fonts(self):
        d = self.d
        for key, o in d.objs.items():
            v = o.get("value") if isinstance(o, dict) else None
            if not isinstance(v, dict) or v.get("/Type") != "/Font":
                continue
            ref = key[4:]
            sub = v.get("/Subtype")
            if sub in ("/CIDFontType0", "/CIDFontType2"):
                continue    # checked through their Type 0 font
            name = (v.get("/BaseFont") or ref)
            if sub == "/Type0":
                desc = d.dict((d.list(v.get("/DescendantFonts")) or [None])[0])
                fd = d.dict(desc.get("/FontDescriptor"))
                info = d.dict(desc.get("/CIDSystemInfo"))
                std_cmap = text(info.get("/Registry")) == "Adobe" and \
                    text(info.get("/Ordering")) in ("GB1", "CNS1", "Japan1", "Korea1")
                needs_map = not std_cmap
            elif sub == "/Type3":
                fd = None
                needs_map = not self.std_encoding(v.get("/Encoding"))
            else:
                fd = d.dict(v.get("/FontDescriptor"))
                flags = fd.get("/Flags", 0) if isinstance(fd.get("/Flags"), int) else 0
                nonsymbolic_tt = sub == "/TrueType" and not flags & 4
                needs_map = not (self.std_encoding(v.get("/Encoding")) or nonsymbolic_tt)
            if fd is not None and not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                self.bad("fonts", "%s is not embedded" % name)
            tu = v.get("/ToUnicode")
            if tu is None:
                if needs_map:
                    self.bad("fonts", "%s has no ToUnicode map" % name)
                continue
            cmap, lengths = cmap_codes(d.data(tu) if is_ref(tu) else None)
            if not cmap:
                self.bad("fonts", "%s: its ToUnicode map maps nothing" % name)
            zero = [c.hex() for c, u in cmap.items() if u == "\0"]
            bom = [c.hex() for c, u in cmap.items() if u in ("\ufeff", "\ufffe")]
            if zero:
                self.bad("fonts", "%s: ToUnicode maps <%s> to U+0000" % (name, zero[0]))
            if bom:
                self.bad("fonts", "%s: ToUnicode maps <%s> to U+FEFF/U+FFFE" % (name, bom[0]))

    def std_encoding(self, enc):
        enc = self.d.get(enc)
        if isinstance(enc, dict):
            enc = enc.get("/BaseEncoding")
        return enc in ("/MacRomanEncoding", "/MacExpertEncoding", "/WinAnsiEncoding")

    def check_other(self, trailer):
        d, cat = self.d, self.cat
        enc = d.dict(trailer.get("/Encrypt"))
        if enc:
            p = enc.get("/P")
            if not isinstance(p, int):
                self.bad("other", "encrypted without /P")
            elif not p & (1 << 9):
                self.bad("other", "encryption forbids extraction for accessibility (P bit 10)")
        oc = d.dict(cat.get("/OCProperties"))
        if oc:
            for i, c in enumerate([oc.get("/D")] + d.list(oc.get("/Configs"))):
                c = d.dict(c)
                if c is None or (i == 0 and "/D" not in oc):
                    continue
                if not text(c.get("/Name")):
                    self.bad("other", "an optional content configuration without /Name")
                if "/AS" in c:
                    self.bad("other", "an optional content configuration with /AS")
        for key, o in d.objs.items():
            v = o.get("value", o.get("stream", {}).get("dict")) if isinstance(o, dict) else None
            if not isinstance(v, dict):
                continue
            if v.get("/Type") == "/Filespec" and "/EF" in v and not ("/F" in v and "/UF" in v):
                self.bad("other", "embedded file %s without /F and /UF" % key[4:])
        af = d.dict(cat.get("/AcroForm"))
        xfa = af.get("/XFA")
        if xfa is not None:
            items = d.list(xfa)
            for r in items:
                s = d.data(r) if is_ref(r) else None
                if s and re.search(rb"<dynamicRender>\s*required", s):
                    self.bad("other", "XFA with dynamicRender required")

    def report(self, quiet):
        failed = 0
        for r in self.order:
            p = self.problems[r]
            if p:
                failed += 1
                more = " (and %d more)" % (len(p) - LIMIT) if len(p) > LIMIT else ""
                print("FAIL %s (%d): %s%s" % (r, len(p), "; ".join(p[:LIMIT]), more))
            elif not quiet:
                print("ok " + r)
        return failed

    def tree(self):
        for key, e, s, pkey, depth in self.elems:
            bits = [s]
            for k in ("/Alt", "/ActualText", "/Lang", "/ID"):
                v = text(e.get(k))
                if v is not None:
                    bits.append('%s=%s' % (k[1:].lower(), json.dumps(v, ensure_ascii=False)))
            for a in self.d.list(e.get("/A")):
                sc = self.d.dict(a).get("/Scope")
                if sc:
                    bits.append("scope=" + sc[1:])
            if self.elem_mcids.get(key):
                bits.append("[%d]" % self.elem_mcids[key])
            print("  " * depth + " ".join(bits))


def main(argv):
    quiet = tree = False
    args = []
    for a in argv[1:]:
        if a == "-q":
            quiet = True
        elif a == "--tree":
            tree = True
        else:
            args.append(a)
    if len(args) != 1:
        sys.stderr.write("usage: pdfua.py [-q | --tree] FILE.pdf\n")
        return 2
    try:
        c = Checker(Doc(args[0]))
        c.run()
    except (OSError, ValueError, KeyError) as e:
        print("FAIL read: %s" % e)
        return 2
    if tree:
        c.tree()
        return 0
    return 1 if c.report(quiet) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
