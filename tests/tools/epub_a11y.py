#!/usr/bin/env python3
"""Check an EPUB 3 against the accessibility rules Ace by DAISY applies to
what folio writes, without Ace.

    python3 tests/tools/epub_a11y.py FILE.epub

Reads the package (through META-INF/container.xml), the navigation
document and every XHTML document of the spine with the standard
library's XML parser. Prints one line per rule, "ok RULE" or
"FAIL RULE: why", and exits 1 if any rule fails.

  pagesource  a book with a page list names the print edition: a
              dc:source with an id, refined by source-of "pagination"
              (Ace: epub-pagesource)
  pagelist    every page-list entry points at an element of a spine
              document with epub:type pagebreak and role doc-pagebreak;
              every such element is listed; the entries follow the
              reading order: spine order, then document order (Ace:
              epub-pagelist-broken, epub-pagelist-missing-pagebreak;
              EPUBCheck: NAV-011)
  roles       every epub:type that has a DPUB-ARIA or ARIA role carries
              that role (Ace: epub-type-has-matching-role; the landmarks
              nav is exempt, as in Ace)
  headings    in each document, a heading is at most one level below the
              one before it, and has text or an aria-label (Ace:
              heading-order, empty-heading)
  metadata    schema:accessMode, accessibilityFeature, accessibilityHazard
              and accessibilitySummary are there; a dcterms:conformsTo is
              one of EPUB Accessibility 1.1's strings and is made only
              when every image has alt text; no a11y:certifiedBy (no one
              evaluated the book)
Standard library only.
"""
import posixpath
import sys
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"

# epub:type -> role, as Ace's matching-aria-role check maps them
ROLES = dict(pair.split(":") for pair in """abstract:doc-abstract
acknowledgments:doc-acknowledgments afterword:doc-afterword
appendix:doc-appendix biblioentry:doc-biblioentry
bibliography:doc-bibliography biblioref:doc-biblioref chapter:doc-chapter
colophon:doc-colophon conclusion:doc-conclusion credit:doc-credit
credits:doc-credits dedication:doc-dedication endnote:doc-endnote
endnotes:doc-endnotes epigraph:doc-epigraph epilogue:doc-epilogue
errata:doc-errata figure:figure footnote:doc-footnote foreword:doc-foreword
glossary:doc-glossary glossdef:definition glossref:doc-glossref
glossterm:term help:doc-tip index:doc-index introduction:doc-introduction
list:list list-item:listitem noteref:doc-noteref notice:doc-notice
page-list:doc-pagelist pagebreak:doc-pagebreak part:doc-part
preface:doc-preface prologue:doc-prologue pullquote:doc-pullquote qna:doc-qna
referrer:doc-backlink subtitle:doc-subtitle table:table table-cell:cell
table-row:row tip:doc-tip toc:doc-toc""".split())

CONFORMS = ["EPUB Accessibility 1.1 - WCAG %s Level %s" % (v, l)
            for v in ("2.0", "2.1", "2.2") for l in ("A", "AA", "AAA")]


def text_of(el):
    return "".join(el.itertext()).strip()


class Book:
    def __init__(self, path):
        self.z = zipfile.ZipFile(path)
        root = ET.fromstring(self.z.read("META-INF/container.xml"))
        self.opf_path = root.find(".//%srootfile" % CONTAINER).get("full-path")
        self.base = posixpath.dirname(self.opf_path)
        self.opf = ET.fromstring(self.z.read(self.opf_path))
        self.items = {}
        self.nav = None
        for it in self.opf.iter(OPF + "item"):
            href = self.resolve(self.opf_path, it.get("href"))
            self.items[it.get("id")] = (href, it.get("media-type"))
            if "nav" in (it.get("properties") or "").split():
                self.nav = href
        self.spine = [self.items[r.get("idref")][0]
                      for r in self.opf.iter(OPF + "itemref")
                      if r.get("linear", "yes") != "no"]
        self.docs = {}

    @staticmethod
    def resolve(frm, href):
        href = urllib.parse.unquote(href.split("#")[0])
        return posixpath.normpath(posixpath.join(posixpath.dirname(frm), href))

    def doc(self, name):
        if name not in self.docs:
            self.docs[name] = ET.fromstring(self.z.read(name))
        return self.docs[name]

    def metas(self, prop):
        return [m for m in self.opf.iter(OPF + "meta") if m.get("property") == prop]

    def page_list(self):
        """The page list's hrefs, or None."""
        if self.nav is None:
            return None
        for nav in self.doc(self.nav).iter(XHTML + "nav"):
            if "page-list" in (nav.get(EPUB_TYPE) or "").split():
                return [a.get("href") for a in nav.iter(XHTML + "a")]
        return None


def check_pagesource(bk, fail):
    if bk.page_list() is None:
        return
    ids = [s.get("id") for s in bk.opf.iter(DC + "source")
           if s.get("id") and text_of(s)]
    if not ids:
        fail("a page list but no dc:source with an id and a value")
        return
    if not any(m.get("refines") == "#" + i and text_of(m) == "pagination"
               for i in ids for m in bk.metas("source-of")):
        fail("no <meta refines=\"#%s\" property=\"source-of\">pagination</meta>" % ids[0])


def check_pagelist(bk, fail):
    hrefs = bk.page_list()
    if hrefs is None:
        return
    # every page break of the spine, in reading order
    order = {}
    for name in bk.spine:
        for el in bk.doc(name).iter():
            types = (el.get(EPUB_TYPE) or "").split()
            if "pagebreak" in types or el.get("role") == "doc-pagebreak":
                if "pagebreak" not in types or el.get("role") != "doc-pagebreak":
                    fail("%s#%s: epub:type pagebreak without role doc-pagebreak, or the other way"
                         % (name, el.get("id")))
                if el.get("id") is None:
                    fail("%s: a page break without an id" % name)
                    continue
                order[(name, el.get("id"))] = len(order)
    last, listed = -1, set()
    for href in hrefs:
        name = bk.resolve(bk.nav, href)
        frag = urllib.parse.unquote(href.split("#", 1)[1]) if "#" in href else None
        if name not in bk.spine:
            fail("%s: not a document of the spine" % href)
            return
        if (name, frag) not in order:
            fail("%s: no page break with that id" % href)
            return
        if order[(name, frag)] < last:
            fail("%s: before the entry above it in reading order" % href)
            return
        last = order[(name, frag)]
        listed.add((name, frag))
    missing = [k for k in order if k not in listed]
    if missing:
        fail("%d page break(s) not in the page list, first %s#%s"
             % (len(missing), missing[0][0], missing[0][1]))


def check_roles(bk, fail):
    for name in bk.spine:
        root = bk.doc(name)
        exempt = set()
        for nav in root.iter(XHTML + "nav"):
            if "landmarks" in (nav.get(EPUB_TYPE) or "").split():
                exempt.update(id(e) for e in nav.iter() if e is not nav)
        for el in root.iter():
            if id(el) in exempt:
                continue
            for t in (el.get(EPUB_TYPE) or "").split():
                if t in ROLES and el.get("role") != ROLES[t]:
                    fail("%s: <%s epub:type=\"%s\"> without role=\"%s\""
                         % (name, el.tag.replace(XHTML, ""), t, ROLES[t]))
                    return


def check_headings(bk, fail):
    tags = {XHTML + "h%d" % i: i for i in range(1, 7)}
    for name in bk.spine:
        prev = 0
        for el in bk.doc(name).iter():
            if el.tag not in tags:
                continue
            level = tags[el.tag]
            if prev and level > prev + 1:
                fail("%s: <h%d id=\"%s\"> after an h%d" % (name, level, el.get("id"), prev))
                return
            if not text_of(el) and not (el.get("aria-label") or "").strip():
                fail("%s: <h%d id=\"%s\"> has no text and no aria-label"
                     % (name, level, el.get("id")))
                return
            prev = level


def check_metadata(bk, fail):
    for p in ("schema:accessMode", "schema:accessibilityFeature",
              "schema:accessibilityHazard", "schema:accessibilitySummary"):
        if not any(text_of(m) for m in bk.metas(p)):
            fail("no %s" % p)
    if bk.metas("a11y:certifiedBy"):
        fail("a11y:certifiedBy, though no one evaluated the book")
    claims = [text_of(m) for m in bk.metas("dcterms:conformsTo")]
    for c in claims:
        if c not in CONFORMS:
            fail("dcterms:conformsTo '%s' is not an EPUB Accessibility 1.1 value" % c)
    if claims:
        for name in bk.spine:
            for img in bk.doc(name).iter(XHTML + "img"):
                if not (img.get("alt") or "").strip():
                    fail("conformance claimed, but %s has <img src=\"%s\"> without alt text"
                         % (name, img.get("src")))
                    return


def main():
    if len(sys.argv) != 2:
        print("usage: epub_a11y.py FILE.epub", file=sys.stderr)
        return 2
    try:
        bk = Book(sys.argv[1])
    except (OSError, KeyError, zipfile.BadZipFile, ET.ParseError, AttributeError) as e:
        print("FAIL read: %s" % e)
        return 1
    bad = False
    for rule, fn in (("pagesource", check_pagesource), ("pagelist", check_pagelist),
                     ("roles", check_roles), ("headings", check_headings),
                     ("metadata", check_metadata)):
        why = []
        try:
            fn(bk, why.append)
        except (KeyError, ET.ParseError) as e:
            why.append("cannot read the e-book: %s" % e)
        if why:
            bad = True
            print("FAIL %s: %s" % (rule, "; ".join(why[:3])))
        else:
            print("ok %s" % rule)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
