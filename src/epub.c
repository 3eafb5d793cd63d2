/*
 * The EPUB 3 package: mimetype, container, package document, navigation
 * document, stylesheet, title page, the chapters and their images, zipped
 * in memory with libzip.  Every entry carries the book's build date, so
 * the same manuscript gives the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#include "book.h"
#include "buf.h"
#include "changes.h"
#include "diag.h"
#include "epub.h"
#include "pagemap.h"
#include "style.h"
#include "xml.h"

/*
 * Compression, once per file, at a fast level: on the 800-page bench
 * book, level 9 on the XHTML cost 10% more instructions for the whole
 * e-book than level 1 and made it 2.5% smaller (2.74 MB against
 * 2.81 MB); fonts likewise; PNG and JPEG are compressed already.
 */
#define TEXT_LEVEL	1

struct pkg {
	const struct style *st;
	const struct changes *changes;	/* the changes page, or NULL */
	const struct pagemap *pm;	/* print pages, or NULL */
	zip_t		*za;
	zip_source_t	*src;
	const struct book *bk;
	struct tm	 tm;
	int		 failed;
};

/*
 * Add a file.  level 0 stores it (mimetype, images that are compressed
 * already); -1 keeps the method the source states (data deflated
 * already); otherwise it is the deflate level.
 */
static void
add_source(struct pkg *p, const char *name, zip_source_t *s, int level)
{
	zip_int64_t	 idx;
	zip_uint16_t	 dtime, ddate;

	if ((idx = zip_file_add(p->za, name, s, ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(s);
		p->failed = 1;
		return;
	}
	dtime = (zip_uint16_t)((p->tm.tm_hour << 11) | (p->tm.tm_min << 5) |
	    (p->tm.tm_sec / 2));
	ddate = (zip_uint16_t)(((p->tm.tm_year - 80) << 9) |
	    ((p->tm.tm_mon + 1) << 5) | p->tm.tm_mday);
	if (zip_file_set_dostime(p->za, (zip_uint64_t)idx, dtime, ddate,
	    0) < 0 || (level >= 0 && zip_set_file_compression(p->za,
	    (zip_uint64_t)idx, level == 0 ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
	    (zip_uint32_t)level) < 0))
		p->failed = 1;
}

/* Add bytes; the zip copies data lazily, so give it its own copy. */
static void
add(struct pkg *p, const char *name, const char *data, size_t len,
    int level)
{
	zip_source_t	*s;
	char		*copy;

	if (p->failed)
		return;
	copy = xmalloc(len ? len : 1);
	memcpy(copy, data, len);
	if ((s = zip_source_buffer(p->za, copy, len, 1)) == NULL) {
		free(copy);
		p->failed = 1;
		return;
	}
	add_source(p, name, s, level);
}

static void
add_buf(struct pkg *p, const char *name, struct buf *b)
{
	add(p, name, b->data ? b->data : "", b->len, TEXT_LEVEL);
	buf_reset(b);
}

static void
iso_date(struct buf *b, const struct tm *tm)
{
	buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm->tm_year + 1900,
	    tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec);
}

/* dc:date must be W3CDTF; pass a plain YYYY[-MM[-DD]] through. */
static int
w3c_date(const char *s)
{
	size_t	 i, n = strlen(s);

	if (n != 4 && n != 7 && n != 10)
		return 0;
	for (i = 0; i < n; i++)
		if (i == 4 || i == 7 ? s[i] != '-' :
		    (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

static void
dc(struct buf *b, const char *el, const char *id, const char *v)
{
	if (v == NULL || *v == '\0')
		return;
	buf_printf(b, "<dc:%s", el);
	if (id != NULL)
		buf_printf(b, " id=\"%s\"", id);
	buf_putc(b, '>');
	xml_puts(b, v);
	buf_printf(b, "</dc:%s>\n", el);
}

/* Outlines in CFF (an OpenType 'OTTO' font, or a collection's first). */
static int
font_cff(const struct style *st, size_t i)
{
	const unsigned char	*d = st->fontdata[i];
	size_t			 n = st->fontlen[i], off = 0;

	if (d == NULL || n < 16)
		return 0;
	if (memcmp(d, "ttcf", 4) == 0) {
		off = (size_t)d[12] << 24 | (size_t)d[13] << 16 |
		    (size_t)d[14] << 8 | d[15];
		if (off > n - 4)
			return 0;
	}
	return memcmp(d + off, "OTTO", 4) == 0;
}

/*
 * The fonts' names inside the e-book are folio's, not the files': a
 * file called a"b&%.ttf must not break the stylesheet or the package.
 */
static const char *
font_name(const struct style *st, size_t i)
{
	static const char *const names[2][FONT__MAX] = {
		{ "text.ttf", "italic.ttf", "bold.ttf", "bold-italic.ttf",
		    "mono.ttf" },
		{ "text.otf", "italic.otf", "bold.otf", "bold-italic.otf",
		    "mono.otf" }
	};

	return names[font_cff(st, i)][i];
}

/* The style's fonts, embedded so the e-book looks like the print. */
static void
font_faces(struct buf *b, const struct style *st)
{
	static const char *const faces[FONT__MAX] = {
		"\"folio-text\"; font-style: normal; font-weight: normal",
		"\"folio-text\"; font-style: italic; font-weight: normal",
		"\"folio-text\"; font-style: normal; font-weight: bold",
		"\"folio-text\"; font-style: italic; font-weight: bold",
		"\"folio-mono\"; font-style: normal; font-weight: normal",
	};
	size_t	 i;

	for (i = 0; i < FONT__MAX; i++) {
		buf_printf(b, "@font-face { font-family: %s; src: url(\"fonts/",
		    faces[i]);
		xml_puts(b, font_name(st, i));
		buf_puts(b, "\"); }\n");
	}
}

/*
 * Whether a picture may move: an animated PNG (an acTL chunk before the
 * image data) or an SVG that kept an animation element.  Either could
 * flash, so the book's hazards are then unknown.
 */
static int
moving(const struct image *im)
{
	const unsigned char	*d = im->data;
	const char		*s = im->svg.data;
	size_t			 i, len;

	if (im->bad)
		return 0;
	/* svg.c's animations, with or without a prefix: <animate...>, <set> */
	if (im->type == IMAGE_SVG) {
		for (i = 0; s != NULL && i + 1 < im->svg.len; i++)
			if ((s[i] == '<' || s[i] == ':') &&
			    (strncmp(s + i + 1, "animate", 7) == 0 ||
			    (strncmp(s + i + 1, "set", 3) == 0 &&
			    s[i + 4] != '\0' && strchr(" \t\r\n/>", s[i + 4]))))
				return 1;
		return 0;
	}
	if (im->type != IMAGE_PNG || d == NULL)
		return 0;
	/* chunks: length, type, data, CRC, after the 8-byte signature */
	for (i = 8; i + 8 <= im->len; i += 12 + len) {
		len = (size_t)d[i] << 24 | (size_t)d[i + 1] << 16 |
		    (size_t)d[i + 2] << 8 | d[i + 3];
		if (memcmp(d + i + 4, "acTL", 4) == 0)
			return 1;
		if (memcmp(d + i + 4, "IDAT", 4) == 0 || len > im->len - i)
			return 0;
	}
	return 0;
}

/*
 * EPUB Accessibility 1.1: what the book offers, stated only where true
 * of this book.  Conformance (dcterms:conformsTo, WCAG 2.1 AA) is
 * claimed for what folio writes, checked with Ace by DAISY (README
 * "Accessibility"), and only when the author gave what folio cannot
 * supply: a text description of every picture (an empty one is right
 * only for a picture that is decoration, which folio cannot tell), and
 * the book's language (folio's default, English, may be wrong); and not
 * when a picture moves, as nothing in an e-book can pause it.  Nobody
 * has evaluated the book itself, so no a11y:certifiedBy.
 */
static void
accessibility(struct buf *b, const struct book *bk, int pages)
{
	static const char *const m = "<meta property=\"schema:";
	int	 pictures = 0, described = bk->nalt_missing == 0, still = 1;
	int	 lang = bk->meta.lang.s != NULL && *bk->meta.lang.s != '\0';
	const char	*why;
	size_t		 i;

	for (i = 0; i < bk->nimages; i++)
		if (!bk->images[i].bad) {
			pictures = 1;
			still = still && !moving(&bk->images[i]);
		}
	why = !described ? "an image has no description" : !lang ? "the "
	    "book does not state its language" : !still ? "an image is "
	    "animated" : NULL;
	if (why == NULL)
		buf_puts(b, "<meta property=\"dcterms:conformsTo\">EPUB "
		    "Accessibility 1.1 - WCAG 2.1 Level AA</meta>\n");
	buf_printf(b, "%saccessMode\">textual</meta>\n", m);
	if (pictures)
		buf_printf(b, "%saccessMode\">visual</meta>\n", m);
	if (!pictures || described)
		buf_printf(b, "%saccessModeSufficient\">textual</meta>\n", m);
	if (pictures)
		buf_printf(b, "%saccessModeSufficient\">textual,visual</meta>\n",
		    m);
	buf_printf(b, "%saccessibilityFeature\">structuralNavigation</meta>\n"
	    "%saccessibilityFeature\">tableOfContents</meta>\n"
	    "%saccessibilityFeature\">readingOrder</meta>\n", m, m, m);
	if (pictures && described)
		buf_printf(b, "%saccessibilityFeature\">alternativeText"
		    "</meta>\n", m);
	if (pages)
		buf_printf(b, "%saccessibilityFeature\">pageBreakMarkers"
		    "</meta>\n%saccessibilityFeature\">pageNavigation</meta>\n",
		    m, m);
	buf_printf(b, "%saccessibilityHazard\">%s</meta>\n", m, still ?
	    "none" : "unknown");
	buf_printf(b, "%saccessibilitySummary\">Text with headings in order "
	    "and a navigable table of contents%s%s%s.", m, !pictures ? "" :
	    described ? "; every image has a text description" :
	    "; some images lack a text description", pages ? "; the page "
	    "numbers of the print edition are marked and listed" : "",
	    still ? "" : "; some images are animated");
	if (why == NULL)
		buf_puts(b, " Conformance to EPUB Accessibility 1.1, WCAG 2.1 "
		    "level AA, is claimed for the markup the publishing tool "
		    "writes, which is checked with Ace by DAISY; the wording "
		    "of the text, its links and its image descriptions is the "
		    "author's.");
	else
		buf_printf(b, " No conformance is claimed: %s.", why);
	buf_puts(b, "</meta>\n");
}

/*
 * The print edition the page numbers come from: the PDF made with the
 * e-book, which has no identifier of its own, so it is named.
 */
static void
pagination_source(struct buf *b, const struct book *bk)
{
	const struct meta	*m = &bk->meta;

	buf_puts(b, "<dc:source id=\"pagination-source\">");
	xml_puts(b, bk->title);
	buf_puts(b, ", print edition");
	if (m->edition.s != NULL && *m->edition.s) {
		buf_puts(b, ", edition ");
		xml_puts(b, m->edition.s);
	}
	if (m->date.s != NULL && *m->date.s) {
		buf_puts(b, ", ");
		xml_puts(b, m->date.s);
	}
	buf_puts(b, "</dc:source>\n<meta refines=\"#pagination-source\" "
	    "property=\"source-of\">pagination</meta>\n");
}

static void
opf(struct buf *b, const struct pkg *p)
{
	const struct book	*bk = p->bk;
	const struct meta	*m = &bk->meta;
	size_t			 i;
	char			 id[32];

	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "
	    "unique-identifier=\"bookid\" xml:lang=\"");
	xml_puts(b, bk->lang);
	buf_puts(b, "\">\n<metadata xmlns:dc=\"http://purl.org/dc/elements/"
	    "1.1/\">\n");
	dc(b, "identifier", "bookid", bk->identifier);
	dc(b, "title", "title", bk->title);
	buf_puts(b, "<meta refines=\"#title\" property=\"title-type\">main"
	    "</meta>\n");
	if (m->subtitle.s != NULL && *m->subtitle.s) {
		dc(b, "title", "subtitle", m->subtitle.s);
		buf_puts(b, "<meta refines=\"#subtitle\" property=\"title-type\">"
		    "subtitle</meta>\n");
	}
	for (i = 0; i < m->authors.n; i++) {
		snprintf(id, sizeof(id), "creator%zu", i + 1);
		dc(b, "creator", id, m->authors.v[i].s);
	}
	dc(b, "language", NULL, bk->lang);
	if (m->date.s != NULL && w3c_date(m->date.s))
		dc(b, "date", NULL, m->date.s);
	dc(b, "publisher", NULL, m->publisher.s);
	dc(b, "rights", NULL, m->rights.s);
	dc(b, "description", NULL, m->description.s);
	for (i = 0; i < m->subjects.n; i++)
		dc(b, "subject", NULL, m->subjects.v[i].s);
	if (p->pm != NULL)
		pagination_source(b, bk);
	buf_puts(b, "<meta property=\"dcterms:modified\">");
	iso_date(b, &p->tm);
	buf_puts(b, "</meta>\n");
	accessibility(b, bk, p->pm != NULL);
	if (m->edition.s != NULL && *m->edition.s) {
		buf_puts(b, "<meta property=\"schema:bookEdition\">");
		xml_puts(b, m->edition.s);
		buf_puts(b, "</meta>\n");
	}
	buf_puts(b, "</metadata>\n<manifest>\n"
	    "<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/"
	    "xhtml+xml\" properties=\"nav\"/>\n"
	    "<item id=\"ncx\" href=\"toc.ncx\" media-type=\"application/"
	    "x-dtbncx+xml\"/>\n"
	    "<item id=\"css\" href=\"style.css\" media-type=\"text/css\"/>\n");
	for (i = 0; i < FONT__MAX; i++) {
		buf_printf(b, "<item id=\"font%zu\" href=\"fonts/", i + 1);
		xml_puts(b, font_name(p->st, i));
		buf_printf(b, "\" media-type=\"font/%s\"/>\n",
		    font_cff(p->st, i) ? "otf" : "ttf");
	}
	if (bk->cover >= 0)
		buf_puts(b, "<item id=\"cover\" href=\"cover.xhtml\" "
		    "media-type=\"application/xhtml+xml\"/>\n");
	buf_puts(b, "<item id=\"titlepage\" href=\"title.xhtml\" "
	    "media-type=\"application/xhtml+xml\"/>\n");
	if (p->changes != NULL)
		buf_puts(b, "<item id=\"changes\" href=\"changes.xhtml\" "
		    "media-type=\"application/xhtml+xml\"/>\n");
	for (i = 0; i < bk->nsegments; i++) {
		buf_printf(b, "<item id=\"ch%03zu\" href=\"", i + 1);
		epub_segment_href(b, i);
		buf_puts(b, "\" media-type=\"application/xhtml+xml\"/>\n");
	}
	for (i = 0; i < bk->nimages; i++) {
		if (bk->images[i].bad)
			continue;
		buf_printf(b, "<item id=\"img%zu\" href=\"", i + 1);
		xml_puts(b, bk->images[i].name);
		buf_printf(b, "\" media-type=\"%s\"%s/>\n",
		    bk->images[i].type == IMAGE_PNG ? "image/png" :
		    bk->images[i].type == IMAGE_SVG ? "image/svg+xml" :
		    "image/jpeg", (long)i == bk->cover ?
		    " properties=\"cover-image\"" : "");
	}
	buf_puts(b, "</manifest>\n<spine toc=\"ncx\">\n");
	if (bk->cover >= 0)
		buf_puts(b, "<itemref idref=\"cover\" linear=\"no\"/>\n");
	buf_puts(b, "<itemref idref=\"titlepage\"/>\n"
	    "<itemref idref=\"nav\"/>\n");
	if (p->changes != NULL)
		buf_puts(b, "<itemref idref=\"changes\"/>\n");
	for (i = 0; i < bk->nsegments; i++)
		buf_printf(b, "<itemref idref=\"ch%03zu\"/>\n", i + 1);
	buf_puts(b, "</spine>\n</package>\n");
}

/* One entry of the table of contents, at a depth from 1. */
struct tocent {
	size_t			 chapter;	/* or part */
	long			 seg;		/* its document, or -1 */
	const struct heading	*h;	/* NULL: the chapter itself */
	int			 depth;
	int			 changes;	/* the changes page instead */
};

/* Markers of the title page (0) or the colophon (1). */
static void
front_marks(struct buf *b, const struct pagemap *pm, size_t page)
{
	size_t	 i;

	for (i = 0; pm != NULL && i < pm->n; i++)
		if (pm->marks[i].segment == -1 && pm->marks[i].offset == page)
			epub_pagebreak(b, pm, &pm->marks[i]);
}

/*
 * The printed contents' pages are marked in nav.xhtml, which is in the
 * spine (after the title page, before the body), so the page list may
 * point into it: a page's marker sits at the entry the printed page
 * begins with (the PDF names its node: pdf_toc.c), and the first page's
 * before the list.  The markers keep the pages' order: one whose entry
 * the e-book's contents lacks goes just before the next page's, or after
 * the list.  The contents' markers are pm->marks[next, end).
 */
struct navmarks {
	const struct pagemap	*pm;
	size_t			 next, end;
};

/* Find the contents' markers; write the first page's. */
static void
navmarks_begin(struct buf *b, struct navmarks *nm, const struct pagemap *pm)
{
	memset(nm, 0, sizeof(*nm));
	if ((nm->pm = pm) == NULL)
		return;
	/* front pages come first in the map: title, colophon, contents */
	while (nm->next < pm->n && pm->marks[nm->next].segment == -1 &&
	    pm->marks[nm->next].offset < 2)
		nm->next++;
	for (nm->end = nm->next; nm->end < pm->n &&
	    pm->marks[nm->end].segment == -1; nm->end++)
		continue;
	for (; nm->next < nm->end && pm->marks[nm->next].node == NULL;
	    nm->next++)
		epub_pagebreak(b, pm, &pm->marks[nm->next]);
}

/* The contents' markers through the one of the page beginning at node. */
static void
navmarks_at(struct buf *b, struct navmarks *nm, const void *node)
{
	size_t	 i;

	for (i = nm->next; node != NULL && i < nm->end; i++)
		if ((const void *)nm->pm->marks[i].node == node) {
			for (; nm->next <= i; nm->next++)
				epub_pagebreak(b, nm->pm,
				    &nm->pm->marks[nm->next]);
			return;
		}
}

static void
navmarks_end(struct buf *b, struct navmarks *nm)
{
	for (; nm->next < nm->end; nm->next++)
		epub_pagebreak(b, nm->pm, &nm->pm->marks[nm->next]);
}

/*
 * The contents, computed once for nav.xhtml and toc.ncx: parts, their
 * chapters, and the chapters' headings to level 3 (the one that titles
 * a chapter is the chapter's entry).  A depth never jumps by more than
 * one.
 */
static struct tocent *
toc_entries(const struct book *bk, int changes, size_t *np)
{
	const struct chapter	*c;
	const struct heading	*h;
	struct tocent		*e = NULL;
	size_t			 n = 0, i, j;
	int			 depth, d, base;

	if (changes) {
		e = xcalloc(1, sizeof(*e));
		e[n].depth = 1;
		e[n].seg = -1;
		e[n++].changes = 1;
	}
	for (i = 0; i < bk->nchapters; i++) {
		c = &bk->chapters[i];
		e = xreallocarray(e, n + 1 + c->nheadings, sizeof(*e));
		memset(e + n, 0, (1 + c->nheadings) * sizeof(*e));
		base = c->kind == DIV_CHAPTER && c->part >= 0 ? 2 : 1;
		e[n].chapter = i;
		e[n].seg = c->nsegs > 0 ? (long)c->first_seg : -1;
		e[n].h = NULL;
		e[n++].depth = base;
		depth = base;
		for (j = c->first_heading; j < c->first_heading +
		    c->nheadings; j++) {
			h = &bk->headings[j];
			if ((long)j == c->title_heading || h->level > 3 ||
			    h->level < 1 || c->kind == DIV_PART)
				continue;
			d = base + (h->level < 2 ? 1 : h->level - 1);
			if (d > depth + 1)
				d = depth + 1;
			depth = d;
			e[n].chapter = i;
			e[n].seg = (long)h->segment;
			e[n].h = h;
			e[n++].depth = d;
		}
	}
	*np = n;
	return e;
}

/* A part of titles only points where its first chapter begins. */
static long
toc_seg(const struct book *bk, const struct tocent *e)
{
	size_t	 i;

	if (e->seg >= 0 || e->changes)
		return e->seg;
	for (i = e->chapter; i < bk->nchapters; i++)
		if (bk->chapters[i].nsegs > 0)
			return (long)bk->chapters[i].first_seg;
	return 0;
}

static void
toc_href(struct buf *b, const struct book *bk, const struct tocent *e)
{
	if (e->changes) {
		buf_puts(b, "changes.xhtml");
		return;
	}
	epub_segment_href(b, (size_t)toc_seg(bk, e));
	if (e->h != NULL) {
		buf_putc(b, '#');
		xml_puts(b, e->h->id);
	}
}

static const char *
toc_label(const struct book *bk, const struct tocent *e)
{
	if (e->changes)
		return CHANGES_TITLE;
	return e->h != NULL ? e->h->text : bk->chapters[e->chapter].title;
}

/* The node a printed contents page beginning with this entry names. */
static const void *
toc_node(const struct book *bk, const struct tocent *e)
{
	const struct chapter	*c = &bk->chapters[e->chapter];

	if (e->h != NULL)
		return e->h->node;
	if (c->title_heading >= 0)
		return bk->headings[c->title_heading].node;
	return c->nsegs > 0 ? bk->segments[c->first_seg].doc : (const void *)c;
}

/* Nested <ol>s for the toc nav. */
static void
nav_toc(struct buf *b, const struct book *bk, struct navmarks *nm,
    const struct tocent *e, size_t n)
{
	size_t			 i;
	int			 depth = 0;

	buf_puts(b, "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\">\n"
	    "<h1>Contents</h1>\n");
	for (i = 0; i < n; i++) {
		if (e[i].depth > depth)
			buf_puts(b, "\n<ol>\n");
		else {
			buf_puts(b, "</li>\n");
			for (; depth > e[i].depth; depth--)
				buf_puts(b, "</ol>\n</li>\n");
		}
		depth = e[i].depth;
		/* a part of titles only is a heading of the list */
		if (e[i].seg < 0 && !e[i].changes)
			buf_puts(b, "<li><span>");
		else {
			buf_puts(b, "<li><a href=\"");
			toc_href(b, bk, &e[i]);
			buf_puts(b, "\">");
		}
		/* where a printed contents page begins with this entry */
		if (!e[i].changes)
			navmarks_at(b, nm, toc_node(bk, &e[i]));
		xml_puts(b, toc_label(bk, &e[i]));
		buf_puts(b, e[i].seg < 0 && !e[i].changes ? "</span>" :
		    "</a>");
	}
	if (depth > 0) {
		buf_puts(b, "</li>\n");
		for (; depth > 1; depth--)
			buf_puts(b, "</ol>\n</li>\n");
		buf_puts(b, "</ol>\n");
	}
	buf_puts(b, "</nav>\n");
}

/* toc.ncx, for EPUB 2 reading systems: the same entries as the nav. */
static void
ncx(struct buf *b, const struct book *bk, const struct tocent *e, size_t n)
{
	size_t	 i;
	int	 depth = 0, maxdepth = 1;

	for (i = 0; i < n; i++)
		if (e[i].depth > maxdepth)
			maxdepth = e[i].depth;
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" "
	    "version=\"2005-1\" xml:lang=\"");
	xml_puts(b, bk->lang);
	buf_puts(b, "\">\n<head>\n<meta name=\"dtb:uid\" content=\"");
	xml_puts(b, bk->identifier);
	buf_printf(b, "\"/>\n<meta name=\"dtb:depth\" content=\"%d\"/>\n"
	    "<meta name=\"dtb:totalPageCount\" content=\"0\"/>\n"
	    "<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n</head>\n"
	    "<docTitle><text>", maxdepth);
	xml_puts(b, bk->title);
	buf_puts(b, "</text></docTitle>\n<navMap>\n");
	for (i = 0; i < n; i++) {
		for (; depth >= e[i].depth; depth--)
			buf_puts(b, "</navPoint>\n");
		depth = e[i].depth;
		buf_printf(b, "<navPoint id=\"np%zu\" playOrder=\"%zu\">"
		    "<navLabel><text>", i + 1, i + 1);
		xml_puts(b, toc_label(bk, &e[i]));
		buf_puts(b, "</text></navLabel><content src=\"");
		toc_href(b, bk, &e[i]);
		buf_puts(b, "\"/>\n");
	}
	for (; depth > 0; depth--)
		buf_puts(b, "</navPoint>\n");
	buf_puts(b, "</navMap>\n</ncx>\n");
}

/*
 * The print edition's pages, each pointing at its marker, in reading
 * order: the spine's (title page, contents, changes, the chapters),
 * each document's markers in page order (epub_xhtml.c).
 */
static void
nav_pages(struct buf *b, const struct pagemap *pm)
{
	size_t	 i;

	buf_puts(b, "<nav epub:type=\"page-list\" id=\"page-list\" "
	    "role=\"doc-pagelist\" hidden=\"hidden\">\n<h2>Pages</h2>\n"
	    "<ol>\n");
	for (i = 0; i < pm->n; i++) {
		buf_puts(b, "<li><a href=\"");
		/* a file name always: checkers do not resolve "#id" here */
		if (pm->marks[i].segment == PAGEMAP_CHANGES)
			buf_puts(b, "changes.xhtml");
		else if (pm->marks[i].segment < 0)
			buf_puts(b, pm->marks[i].offset >= 2 ? "nav.xhtml" :
			    "title.xhtml");
		else
			epub_segment_href(b, (size_t)pm->marks[i].segment);
		buf_putc(b, '#');
		buf_puts(b, pm->idprefix != NULL ? pm->idprefix : "page.");
		xml_puts(b, pm->marks[i].label);
		buf_puts(b, "\">");
		xml_puts(b, pm->marks[i].label);
		buf_puts(b, "</a></li>\n");
	}
	buf_puts(b, "</ol>\n</nav>\n");
}

/* The first document of the body (after mdBook's prefix chapters). */
static size_t
body_start(const struct book *bk)
{
	size_t	 i;

	for (i = 0; i < bk->nchapters; i++)
		if (bk->chapters[i].matter == MATTER_BODY &&
		    bk->chapters[i].nsegs > 0)
			return bk->chapters[i].first_seg;
	return 0;
}

static void
nav(struct buf *b, const struct book *bk, const struct pagemap *pm,
    const struct tocent *e, size_t n)
{
	struct navmarks	 nm;

	epub_xhtml_head(b, bk, "Contents");
	buf_puts(b, "<body>\n");
	navmarks_begin(b, &nm, pm);
	nav_toc(b, bk, &nm, e, n);
	navmarks_end(b, &nm);
	if (pm != NULL)
		nav_pages(b, pm);
	buf_puts(b, "<nav epub:type=\"landmarks\" id=\"landmarks\" "
	    "hidden=\"hidden\">\n<h2>Landmarks</h2>\n<ol>\n");
	if (bk->cover >= 0)
		buf_puts(b, "<li><a epub:type=\"cover\" href=\"cover.xhtml\">"
		    "Cover</a></li>\n");
	buf_puts(b, "<li><a epub:type=\"titlepage\" href=\"title.xhtml\">"
	    "Title page</a></li>\n<li><a epub:type=\"toc\" href=\"#toc\">"
	    "Contents</a></li>\n<li><a epub:type=\"bodymatter\" href=\"");
	epub_segment_href(b, body_start(bk));
	buf_puts(b, "\">Start of content</a></li>\n</ol>\n</nav>\n"
	    "</body>\n</html>\n");
}

static void
para(struct buf *b, const char *cls, const char *prefix, const char *v)
{
	if (v == NULL || *v == '\0')
		return;
	buf_printf(b, "<p class=\"%s\">%s", cls, prefix);
	xml_puts(b, v);
	buf_puts(b, "</p>\n");
}

static void
titlepage(struct buf *b, const struct book *bk, const struct pagemap *pm)
{
	const struct meta	*m = &bk->meta;
	size_t			 i;

	epub_xhtml_head(b, bk, bk->title);
	buf_puts(b, "<body epub:type=\"frontmatter\">\n");
	front_marks(b, pm, 0);
	/* (DPUB-ARIA has no role for a title page; it has one for this) */
	buf_puts(b, "<section epub:type=\"titlepage\" class=\"titlepage\">\n"
	    "<h1 class=\"title\">");
	xml_puts(b, bk->title);
	buf_puts(b, "</h1>\n");
	para(b, "subtitle", "", m->subtitle.s);
	for (i = 0; i < m->authors.n; i++)
		para(b, "author", "", m->authors.v[i].s);
	para(b, "edition", "Edition ", m->edition.s);
	para(b, "date", "", m->date.s);
	para(b, "publisher", "", m->publisher.s);
	buf_puts(b, "</section>\n");
	front_marks(b, pm, 1);
	buf_puts(b, "<section epub:type=\"colophon\" role=\"doc-colophon\" "
	    "class=\"colophon\">\n");
	para(b, "colophon-title", "", bk->title);
	para(b, "edition", "Edition ", m->edition.s);
	para(b, "date", "", m->date.s);
	para(b, "rights", "", m->rights.s);
	para(b, "identifier", "", bk->identifier);
	buf_puts(b, "</section>\n</body>\n</html>\n");
}

/* Print page markers of the changes page that begin at its entry k. */
static void
changes_marks(struct buf *b, const struct pagemap *pm, size_t k)
{
	size_t	 i;

	for (i = 0; pm != NULL && i < pm->n; i++)
		if (pm->marks[i].segment == PAGEMAP_CHANGES &&
		    pm->marks[i].offset == k)
			epub_pagebreak(b, pm, &pm->marks[i]);
}

/* "Changes in this edition", each changed or added section linked. */
static void
changes_page(struct buf *b, const struct book *bk, const struct changes *c,
    const struct pagemap *pm)
{
	const struct change	*ch;
	struct buf		 t = { NULL, 0, 0 };
	size_t			 i;

	epub_xhtml_head(b, bk, CHANGES_TITLE);
	buf_puts(b, "<body epub:type=\"frontmatter\">\n");
	changes_marks(b, pm, 0);
	buf_puts(b, "<section class=\"changes\">\n<h1>" CHANGES_TITLE
	    "</h1>\n<p class=\"changes-intro\">");
	changes_intro(c, &t);
	xml_puts(b, t.data);
	buf_puts(b, "</p>\n");
	if (c->n > 0)
		buf_puts(b, "<ul class=\"changes\">\n");
	for (i = 0; i < c->n && i < CHANGES_LISTED; i++) {
		ch = &c->v[i];
		buf_puts(b, "<li>");
		changes_marks(b, pm, i + 1);
		buf_printf(b, "<strong>%s:</strong> ", changes_label(ch));
		if (ch->chapter >= 0) {
			buf_puts(b, "<a href=\"");
			epub_segment_href(b, (size_t)ch->chapter);
			if (ch->id != NULL) {
				buf_putc(b, '#');
				xml_puts(b, ch->id);
			}
			buf_puts(b, "\">");
			xml_puts(b, ch->title);
			buf_puts(b, "</a>");
		} else
			xml_puts(b, ch->title);
		buf_reset(&t);
		changes_detail(ch, &t);
		xml_puts(b, t.data);
		buf_puts(b, "</li>\n");
	}
	if (c->n > 0)
		buf_puts(b, "</ul>\n");
	if (c->n > CHANGES_LISTED) {
		buf_puts(b, "<p class=\"changes-more\">");
		changes_marks(b, pm, CHANGES_LISTED + 1);
		buf_reset(&t);
		changes_more(c, &t);
		xml_puts(b, t.data);
		buf_puts(b, "</p>\n");
	}
	buf_puts(b, "</section>\n</body>\n</html>\n");
	buf_free(&t);
}

static void
cover(struct buf *b, const struct book *bk)
{
	epub_xhtml_head(b, bk, "Cover");
	buf_puts(b, "<body epub:type=\"cover\">\n<section class=\"cover\">"
	    "<img src=\"");
	xml_puts(b, bk->images[bk->cover].name);
	buf_puts(b, "\" alt=\"Cover of ");
	xml_puts(b, bk->title);
	buf_puts(b, "\"/></section>\n</body>\n</html>\n");
}

/*
 * A style's OpenType features in CSS: "onum, -liga" is
 * font-feature-settings: "onum" 1, "liga" 0.
 */
static void
feature_css(struct buf *b, const char *sel, const char *list)
{
	const char	*t;
	size_t		 k;
	int		 n = 0, on;

	if (list == NULL || *list == '\0')
		return;
	buf_printf(b, "%s { font-feature-settings: ", sel);
	for (t = list + strspn(list, ", \t"); *t; t += strspn(t, ", \t")) {
		k = strcspn(t, ", \t");
		on = *t != '-';
		if (*t == '-' || *t == '+')
			t++, k--;
		/* a tag is four letters; what follows (=0, [..]) is HarfBuzz's */
		buf_printf(b, "%s\"%.4s\" %d", n++ ? ", " : "", t, on &&
		    strncmp(t + (k > 4 ? 4 : k), "=0", 2) != 0);
		t += k;
	}
	buf_puts(b, "; }\n");
}

/* The stylesheet, from the same style as the print edition. */
static void
css(struct buf *b, const struct style *st)
{
	static const char *const tags[6] = { "h1", "h2", "h3", "h4", "h5",
	    "h6" };
	int	 i;

	font_faces(b, st);
	buf_printf(b, "body { font-family: \"folio-text\", serif; "
	    "line-height: %.3f; margin: 0 5%%; }\n", st->leading / st->size);
	buf_printf(b, "p { margin: 0; text-indent: %.2fem; text-align: %s; "
	    "hyphens: auto; -epub-hyphens: auto; }\n", st->indent / st->size,
	    st->justify ? "justify" : "left");
	buf_puts(b, "h1 + p, h2 + p, h3 + p, h4 + p, h5 + p, h6 + p, "
	    "blockquote > p:first-child, li > p, figure + p, pre + p, "
	    "hr + p, ul + p, ol + p, blockquote + p { text-indent: 0; }\n");
	/* .hN: a heading written a level up keeps its own level's look */
	for (i = 0; i < 6; i++)
		buf_printf(b, "%s, .%s { font-size: %.3fem; line-height: 1.25; "
		    "margin: %.2fem 0 %.2fem; text-align: left; "
		    "page-break-after: avoid; }\n", tags[i], tags[i],
		    st->heading_size[i] / st->size,
		    i == 0 ? 3.0 : st->heading_before / st->heading_size[i],
		    st->heading_after / st->heading_size[i]);
	feature_css(b, "body", st->features[0]);
	feature_css(b, "h1, h2, h3, h4, h5, h6", st->features[1]);
	buf_printf(b, "pre, code { font-family: \"folio-mono\", monospace; "
	    "font-size: %.3fem; }\n", st->code_size / st->size);
	buf_puts(b, "pre { white-space: pre-wrap; margin: 0.7em 0; }\n"
	    "pre code { font-size: 1em; }\n"
	    "blockquote { margin: 0.7em 1.5em; }\n"
	    "ul, ol { margin: 0.5em 0; padding-left: 1.5em; }\n"
	    "hr { border: 0; border-top: 1px solid #888; width: 30%; "
	    "margin: 1em auto; }\n"
	    "figure { margin: 1em 0; text-align: center; "
	    "page-break-inside: avoid; }\n"
	    "figure img { max-width: 100%; max-height: 90vh; }\n"
	    "figcaption { font-size: 0.9em; font-style: italic; "
	    "margin-top: 0.4em; text-indent: 0; }\n"
	    ".titlepage { text-align: center; margin-top: 20%; }\n"
	    ".titlepage .title { font-size: 2em; }\n"
	    ".titlepage p, .colophon p { text-indent: 0; text-align: center; "
	    "}\n.colophon { margin-top: 4em; font-size: 0.85em; }\n"
	    ".colophon-title { font-style: italic; }\n"
	    ".cover { text-align: center; }\n"
	    ".cover img { max-width: 100%; max-height: 100vh; }\n"
	    "nav ol { list-style: none; padding-left: 1.2em; }\n"
	    ".changes p, .changes li { text-indent: 0; text-align: left; }\n"
	    "ul.changes { list-style: none; padding-left: 0; }\n"
	    "ul.changes li { margin: 0.4em 0 0 1.5em; text-indent: -1.5em; "
	    "}\n"
	    /* what Markdown authors write beyond CommonMark */
	    "table { border-collapse: collapse; margin: 1em auto; "
	    "font-size: 0.92em; }\n"
	    "th, td { padding: 0.2em 0.5em; vertical-align: top; "
	    "text-indent: 0; }\n"
	    "thead th { border-bottom: 1px solid; }\n"
	    "table { border-top: 1px solid; border-bottom: 1px solid; }\n"
	    "th p, td p { text-indent: 0; }\n"
	    ".left { text-align: left; }\n.center { text-align: center; }\n"
	    ".right { text-align: right; }\n"
	    "li.task { list-style: none; }\n"
	    "kbd { font-family: \"folio-mono\", monospace; font-size: 0.9em; "
	    "border: 1px solid; border-radius: 0.2em; padding: 0 0.2em; }\n"
	    "sub, sup { font-size: 0.7em; line-height: 0; }\n"
	    "aside.footnote, section.notes { font-size: 0.85em; "
	    "margin-top: 1em; }\n"
	    "aside.footnote p, section.notes p { text-indent: 0; }\n"
	    "p.note-number { margin-top: 0.6em; }\n"
	    "details { margin: 0.7em 0; }\nsummary { font-weight: bold; }\n"
	    /* code: styled by weight and slant, which read in any theme */
	    ".kw, .ty, .pp, .ins { font-weight: bold; }\n"
	    ".co { font-style: italic; opacity: 0.75; }\n"
	    ".del, .pr { opacity: 0.65; }\n"
	    "pre.numbered { counter-reset: line; }\n"
	    "pre.numbered .line::before { counter-increment: line; "
	    "content: counter(line); display: inline-block; width: 2em; "
	    "margin-right: 1em; text-align: right; opacity: 0.6; }\n"
	    "figure.listing { margin: 1em 0; text-align: left; }\n"
	    "figure.listing pre { margin: 0.3em 0; }\n"
	    ".listing-file { font-family: \"folio-mono\", monospace; "
	    "font-size: 0.85em; font-weight: bold; text-indent: 0; "
	    "margin: 0; }\n"
	    "figure.listing figcaption { text-align: left; font-style: "
	    "italic; }\n");
}

static int
finish(struct pkg *p, struct buf *out)
{
	zip_stat_t	 zs;
	char		 chunk[65536];
	zip_int64_t	 n;

	if (p->failed || zip_close(p->za) < 0) {
		if (!p->failed)
			zip_discard(p->za);
		zip_source_free(p->src);
		return -1;
	}
	if (zip_source_stat(p->src, &zs) < 0 || zip_source_open(p->src) < 0) {
		zip_source_free(p->src);
		return -1;
	}
	while ((n = zip_source_read(p->src, chunk, sizeof(chunk))) > 0)
		buf_put(out, chunk, (size_t)n);
	zip_source_close(p->src);
	zip_source_free(p->src);
	return n < 0 ? -1 : 0;
}

/* Write the whole e-book into out.  Returns 0, or -1 after reporting. */
int
epub_write(const struct book *bk, const struct style *st,
    const struct pagemap *pm, struct buf *out)
{
	struct pkg	 p;
	struct buf	 b = { NULL, 0, 0 }, *seg;
	zip_error_t	 err;
	struct tocent	*toc;
	struct epub_fonts *fonts;
	zip_source_t	*fs;
	size_t		 i, ntoc;
	time_t		 t = bk->modified;
	int		 rc;

	/*
	 * The fonts are cut down to the book's characters and deflated on
	 * another thread while the rest is written; the print pages are
	 * waited for, when the PDF is being set on another thread
	 * (pagemap.c).
	 */
	memset(&p, 0, sizeof(p));
	p.changes = st->changes ? bk->changes : NULL;
	fonts = epub_fonts_start(bk, st, p.changes);
	/* each segment as soon as the PDF has set its pages */
	seg = xcalloc(bk->nsegments ? bk->nsegments : 1, sizeof(*seg));
	for (i = 0; i < bk->nsegments; i++) {
		struct pagemap	 view;

		if (pm != NULL)
			pagemap_segment(pm, i, &view);
		diag_context(bk->sources[bk->segments[i].source].path, 0,
		    "writing it in the e-book");
		epub_xhtml_head(&seg[i], bk,
		    bk->chapters[bk->segments[i].chapter].title);
		epub_xhtml_segment(&seg[i], bk, st, i, pm != NULL ? &view :
		    NULL);
		if (pm != NULL)
			pagemap_free(&view);
	}
	pagemap_wait(pm);
	p.bk = bk;
	p.st = st;
	p.pm = pm != NULL && pm->n > 0 ? pm : NULL;
	gmtime_r(&t, &p.tm);
	if (p.tm.tm_year < 80)
		p.tm.tm_year = 80;
	zip_error_init(&err);
	if ((p.src = zip_source_buffer_create(NULL, 0, 0, &err)) == NULL ||
	    (p.za = zip_open_from_source(p.src, ZIP_TRUNCATE, &err)) == NULL) {
		diag_error(bk->source, 0, 0, "cannot create the e-book: %s",
		    zip_error_strerror(&err));
		if (p.src)
			zip_source_free(p.src);
		zip_error_fini(&err);
		epub_fonts_free(fonts);
		for (i = 0; i < bk->nsegments; i++)
			buf_free(&seg[i]);
		free(seg);
		return -1;
	}
	zip_error_fini(&err);
	zip_source_keep(p.src);

	add(&p, "mimetype", "application/epub+zip", 20, 0);
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<container "
	    "version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:"
	    "container\">\n<rootfiles>\n<rootfile full-path=\"EPUB/package."
	    "opf\" media-type=\"application/oebps-package+xml\"/>\n"
	    "</rootfiles>\n</container>\n");
	add_buf(&p, "META-INF/container.xml", &b);
	opf(&b, &p);
	add_buf(&p, "EPUB/package.opf", &b);
	toc = toc_entries(bk, p.changes != NULL, &ntoc);
	nav(&b, bk, p.pm, toc, ntoc);
	add_buf(&p, "EPUB/nav.xhtml", &b);
	ncx(&b, bk, toc, ntoc);
	add_buf(&p, "EPUB/toc.ncx", &b);
	free(toc);
	css(&b, st);
	add_buf(&p, "EPUB/style.css", &b);
	if (bk->cover >= 0) {
		cover(&b, bk);
		add_buf(&p, "EPUB/cover.xhtml", &b);
	}
	titlepage(&b, bk, p.pm);
	add_buf(&p, "EPUB/title.xhtml", &b);
	if (p.changes != NULL) {
		changes_page(&b, bk, p.changes, p.pm);
		add_buf(&p, "EPUB/changes.xhtml", &b);
	}
	for (i = 0; i < bk->nsegments; i++) {
		buf_reset(&b);
		buf_puts(&b, "EPUB/");
		epub_segment_href(&b, i);
		add_buf(&p, b.data, &seg[i]);
		buf_free(&seg[i]);
	}
	free(seg);
	buf_reset(&b);
	for (i = 0; i < FONT__MAX; i++) {
		buf_reset(&b);
		buf_printf(&b, "EPUB/fonts/%s", font_name(st, i));
		if ((fs = epub_fonts_source(fonts, p.za, (int)i)) == NULL)
			diag_error(st->font[i], 0, 0, "cannot read font");
		else if (!p.failed)
			add_source(&p, b.data, fs, -1);
		else
			zip_source_free(fs);
	}
	for (i = 0; i < bk->nimages; i++) {
		if (bk->images[i].bad)
			continue;
		buf_reset(&b);
		buf_printf(&b, "EPUB/%s", bk->images[i].name);
		if (bk->images[i].type == IMAGE_SVG)
			add(&p, b.data, bk->images[i].svg.data,
			    bk->images[i].svg.len, TEXT_LEVEL);
		else
			add(&p, b.data, (const char *)bk->images[i].data,
			    bk->images[i].len, 0);
	}
	buf_free(&b);
	rc = finish(&p, out);
	epub_fonts_free(fonts);
	if (rc == -1) {
		diag_error(bk->source, 0, 0, "cannot write the e-book");
		return -1;
	}
	return 0;
}
