/*
 * The print edition: the document as a whole.  pdf_write sets the front
 * matter (pdf_front.c), then each chapter's blocks (pdf_block.c) into
 * lines (pdf_inline.c, linebreak.c, pdf_line.c) and the lines onto pages
 * (pdf_page.c), and then what needs every page set: the contents
 * (pdf_toc.c), running heads and folios (pdf_furniture.c), links between
 * pages, the outline, the document's information and the fonts
 * (pdf_font.c); libharu holds the objects and writes the file.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf_doc.h>

#include "book.h"
#include "changes.h"
#include "diag.h"
#include "pagemap.h"
#include "par.h"
#include "pdf_int.h"
#include "utf8.h"

/*
 * libharu reports errors here and then refuses further work until the
 * error is reset.  Expected failures (an image it cannot read) are
 * tolerated; anything else fails the build after the walk.
 */
static void
on_error(HPDF_STATUS e, HPDF_STATUS detail, void *arg)
{
	struct pdf	*p = arg;

	if (getenv("FOLIO_DEBUG_PDF"))
		fprintf(stderr, "libharu error 0x%04X detail %u\n",
		    (unsigned)e, (unsigned)detail);
	if (p->hpdf_error == 0 && !p->in.tolerate)
		p->hpdf_error = (unsigned long)e;
	if (p->doc != NULL)
		HPDF_ResetError(p->doc);
}

double
pdf_measure(struct pdf *p, int font, const char *s, double size)
{
	return fonts_width(&p->fonts, font, s, strlen(s), size);
}

void
pdf_text_at(struct pdf *p, int font, double size, double x, double y,
    const char *s)
{
	content_show(p->cs, &p->fonts, font, size, x, y, s, strlen(s), 0);
	content_end_text(p->cs);
}

/*
 * Text for libharu's strings, which refuse more than 64 KB once encoded:
 * cut to a few thousand bytes, at a character's start.
 */
#define PDF_MAX_STRING	4000

static const char *
short_text(struct buf *b, const char *s)
{
	size_t	 n = strlen(s);

	if (n <= PDF_MAX_STRING)
		return s;
	for (n = PDF_MAX_STRING; n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80;
	    n--)
		continue;
	buf_reset(b);
	buf_put(b, s, n);
	buf_puts(b, "\xe2\x80\xa6");
	return b->data;
}

void
pdf_outline(struct pdf *p, int level, const char *title, HPDF_Destination d)
{
	HPDF_Outline	 o, parent;
	HPDF_Encoder	 enc = HPDF_GetEncoder(p->doc, "UTF-8");
	int		 i;

	if (level > 3 || d == NULL)
		return;
	parent = NULL;
	for (i = level - 1; i >= 1 && parent == NULL; i--)
		parent = p->outline[i];
	o = HPDF_CreateOutline(p->doc, parent, short_text(&p->tmp, title), enc);
	if (o == NULL)
		return;
	HPDF_Outline_SetDestination(o, d);
	HPDF_Outline_SetOpened(o, HPDF_FALSE);
	p->outline[level] = o;
	for (i = level + 1; i < 4; i++)
		p->outline[i] = NULL;
}

/*
 * The named destinations, written by the Dests dictionary's write
 * function as libharu writes an entry ("/id 12 0 R"): added with
 * HPDF_Dict_Add, each would be looked for among those before (a book's
 * 2000 headings cost 50 M instructions), and libharu takes 4095 at most.
 * The ids are the headings' and unique.
 */
static HPDF_STATUS
write_dests(HPDF_Dict dict, HPDF_Stream s)
{
	const struct dests	*m = dict->attr;
	HPDF_Obj_Header		*h;
	HPDF_STATUS		 rc = HPDF_OK;
	char			 ref[48];
	size_t			 i;

	for (i = 0; i < m->n && rc == HPDF_OK; i++) {
		h = (HPDF_Obj_Header *)m->d[i];
		snprintf(ref, sizeof(ref), " %u %u R\012",
		    (unsigned)(h->obj_id & 0x00FFFFFF), (unsigned)h->gen_no);
		if ((rc = HPDF_Stream_WriteEscapeName(s, m->id[i])) == HPDF_OK)
			rc = HPDF_Stream_WriteStr(s, ref);
	}
	return rc;
}

/*
 * A named destination for a heading: the e-book's id names the same
 * place in the PDF (file.pdf#id).  libharu has no call for the catalog's
 * Dests dictionary, so it is added to the catalog directly.
 */
void
pdf_name_dest(struct pdf *p, const char *id)
{
	HPDF_Destination	 d;
	struct dests		*m = &p->dests;

	/* a PDF name is 127 bytes at most: a longer id names no place */
	if (strlen(id) > HPDF_LIMIT_MAX_NAME_LEN)
		return;
	if (p->destdict == NULL) {
		if ((p->destdict = HPDF_Dict_New(p->doc->mmgr)) == NULL ||
		    HPDF_Dict_Add(p->doc->catalog, "Dests", p->destdict) !=
		    HPDF_OK) {
			p->destdict = NULL;
			return;
		}
		p->destdict->attr = m;
		p->destdict->write_fn = write_dests;
	}
	/* the heading goes on the page where its first line will be */
	if ((d = HPDF_Page_CreateDestination(p->page)) == NULL)
		return;
	HPDF_Destination_SetFitH(d, (HPDF_REAL)p->y);
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 256;
		m->id = xreallocarray(m->id, m->cap, sizeof(*m->id));
		m->d = xreallocarray(m->d, m->cap, sizeof(*m->d));
	}
	m->id[m->n] = id;
	m->d[m->n++] = d;
}

static void
pdf_date(HPDF_Date *d, time_t t)
{
	struct tm	 tm;

	gmtime_r(&t, &tm);
	memset(d, 0, sizeof(*d));
	d->year = tm.tm_year + 1900;
	d->month = tm.tm_mon + 1;
	d->day = tm.tm_mday;
	d->hour = tm.tm_hour;
	d->minutes = tm.tm_min;
	d->seconds = tm.tm_sec;
	d->ind = 'Z';
}

static void
info(struct pdf *p)
{
	const struct meta	*m = &p->bk->meta;
	struct buf		 b = { NULL, 0, 0 };
	HPDF_Date		 d;
	HPDF_String		 s;
	size_t			 i;

	HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, short_text(&p->tmp,
	    p->bk->title));
	for (i = 0; i < m->authors.n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", m->authors.v[i].s);
	if (b.len)
		HPDF_SetInfoAttr(p->doc, HPDF_INFO_AUTHOR, short_text(&p->tmp,
		    b.data));
	buf_reset(&b);
	if (m->subtitle.s != NULL)
		HPDF_SetInfoAttr(p->doc, HPDF_INFO_SUBJECT, short_text(&p->tmp,
		    m->subtitle.s));
	for (i = 0; i < m->subjects.n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", m->subjects.v[i].s);
	if (b.len)
		HPDF_SetInfoAttr(p->doc, HPDF_INFO_KEYWORDS, short_text(&p->tmp,
		    b.data));
	buf_free(&b);
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "folio");
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_PRODUCER, PDF_PRODUCER);
	/* no standard key for the edition: a custom one, put directly */
	if (m->edition.s != NULL && *m->edition.s && p->doc->info != NULL &&
	    (s = HPDF_String_New(p->doc->mmgr, m->edition.s,
	    p->doc->cur_encoder)) != NULL)
		HPDF_Dict_Add(p->doc->info, "Edition", s);
	pdf_date(&d, p->bk->modified);
	HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE, d);
	HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE, d);
	HPDF_ResetError(p->doc);
}

/* Internal links become link annotations once every target is placed. */
static void
resolve_links(struct pdf *p)
{
	const struct link	*l;
	const struct segment	*g;
	HPDF_Destination	 d;
	HPDF_Annotation		 a;
	size_t			 i, h;

	for (i = 0; i < p->npend; i++) {
		l = &p->bk->links[p->pend[i].link];
		d = p->sdest[l->segment];
		/* the heading is one of its document's: no scan of the book */
		g = &p->bk->segments[l->segment];
		if (l->id != NULL)
			for (h = g->first_heading; h < g->first_heading +
			    g->nheadings; h++)
				if (p->bk->headings[h].id == l->id) {
					d = p->hdest[h];
					break;
				}
		if (d == NULL)
			continue;
		a = HPDF_Page_CreateLinkAnnot(p->pend[i].page,
		    p->pend[i].rect, d);
		if (a != NULL)
			HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
		tag_annot(p, p->pend[i].tag, a, p->pend[i].text);
	}
}

/* libharu's bytes, straight into the output buffer. */
static HPDF_STATUS
save_write(HPDF_Stream s, const HPDF_BYTE *ptr, HPDF_UINT n)
{
	buf_put(s->attr, (const char *)ptr, n);
	return HPDF_OK;
}

/*
 * Write the document into out.  libharu saves into a memory stream of
 * its own, copied a byte at a time, and out; a writer of our own skips
 * both copies.
 */
static int
save(struct pdf *p, struct buf *out)
{
	HPDF_Stream	 s;

	if ((s = HPDF_CallbackWriter_New(p->doc->mmgr, save_write, out)) ==
	    NULL)
		return -1;
	if (p->doc->stream != NULL)
		HPDF_Stream_Free(p->doc->stream);
	p->doc->stream = s;
	return HPDF_SaveToStream(p->doc) == HPDF_OK ? 0 : -1;
}

/*
 * Code in running text is set at the size that gives it the text's
 * x-height, so that it neither shouts nor whispers.
 */
static double
mono_scale(struct fonts *f)
{
	const struct ttf_info	*t = &fontset_face(f->fs, FONT_TEXT)->info;
	const struct ttf_info	*m = &fontset_face(f->fs, FONT_MONO)->info;
	double			 r;

	if (t->x_height <= 0 || m->x_height <= 0)
		return 1;
	r = ((double)t->x_height / t->units_per_em) /
	    ((double)m->x_height / m->units_per_em);
	return r < 0.7 ? 0.7 : r > 1.1 ? 1.1 : r;
}

/* Notes split at the foot of the last page, still to be set. */
static int
notes_left(const struct pdf *p)
{
	size_t	 i;

	for (i = 0; i < p->bk->nnotes; i++)
		if (p->notes[i].set && p->notes[i].placed > 0 &&
		    p->notes[i].placed < p->notes[i].nlines)
			return 1;
	return 0;
}

/* A part of titles only is set where its first chapter's document begins. */
static size_t
next_seg(const struct book *bk, size_t i)
{
	for (; i < bk->nchapters; i++)
		if (bk->chapters[i].nsegs > 0)
			return bk->chapters[i].first_seg;
	return 0;
}

/*
 * Every glyph is set and every page drawn: each face is cut down and each
 * page's last block deflated, on the machine's cores; the faces, longer,
 * go first.
 */
static void
seal_step(void *arg, size_t i, size_t worker)
{
	struct pdf	*p = arg;

	if (i < p->fonts.npf)
		fonts_cut(&p->fonts, i);
	else
		content_seal(p->zip, p->pages[i - p->fonts.npf].cs, worker);
}

/* Typeset the book into out.  Returns 0, or -1 after reporting. */
int
pdf_write(const struct book *bk, const struct style *st,
    const struct pdf_opts *opts, struct buf *out, struct pdf_report *rep,
    struct pagemap *pm)
{
	struct pdf	 p;
	struct hycache	 hycache = { NULL, NULL, 0, 0 };
	struct hyphenator *hyph = NULL;	/* its own patterns */
	size_t		 i, j;
	int		 rc = -1, part = 0, sect = 0;

	memset(&p, 0, sizeof(p));
	memset(rep, 0, sizeof(*rep));
	p.bk = bk;
	p.st = st;
	p.opts = opts;
	p.rep = rep;
	p.pm = pm;
	if (pm != NULL)
		pm->idprefix = bk->pageprefix;	/* read after pagemap_reach */
	p.front = -1;
	p.changes_entry = -1;
	/* read while the book was, or while the PDF is started */
	if ((p.in.hyph = opts->hyph) == NULL)
		p.in.hyph = hyph = pdf_patterns(bk->lang);
	if ((p.doc = pdfmem_new(on_error, &p)) == NULL) {
		diag_error(bk->source, 0, 0, "cannot start the PDF");
		pdf_patterns_free(hyph);
		return -1;
	}
	HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL);
	p.zip = content_zip_new();
	HPDF_UseUTFEncodings(p.doc);
	HPDF_SetCurrentEncoder(p.doc, "UTF-8");
	if (fonts_load(&p.fonts, p.doc, st, bk->lang) == -1)
		goto out;
	p.in.lang = bk->lang;
	p.in.notes_book = st->notes_book;
	p.in.mono_scale = mono_scale(&p.fonts);
	p.in.bk = bk;
	p.in.fonts = &p.fonts;
	p.in.doc = p.doc;
	p.in.hyphenate = 1;
	p.in.protrude = st->protrusion;
	p.in.expand = st->expansion > 0;
	p.in.hycache = &hycache;
	p.in.only = opts->chapter;
	p.in.images = xcalloc(bk->nimages ? bk->nimages : 1,
	    sizeof(*p.in.images));
	p.in.png = pdfpng_new();
	if (patterns_none(p.in.hyph))
		diag_warning(bk->meta.lang.s ? bk->meta.path : bk->source,
		    bk->meta.lang.line, bk->meta.lang.col, "no hyphenation "
		    "patterns for language '%s'; words are not hyphenated",
		    bk->lang);
	p.hdest = xcalloc(bk->nheadings ? bk->nheadings : 1,
	    sizeof(*p.hdest));
	p.cdest = xcalloc(bk->nchapters, sizeof(*p.cdest));
	p.sdest = xcalloc(bk->nsegments ? bk->nsegments : 1, sizeof(*p.sdest));
	p.notes = xcalloc(bk->nnotes ? bk->nnotes : 1, sizeof(*p.notes));
	HPDF_SetPageMode(p.doc, HPDF_PAGE_MODE_USE_OUTLINE);
	p.hpage = xcalloc(bk->nheadings ? bk->nheadings : 1,
	    sizeof(*p.hpage));
	p.cpage = xcalloc(bk->nchapters, sizeof(*p.cpage));
	/*
	 * Tagged, but for the sheets of a booklet (whose pages become
	 * forms) and the print shop's PDF (PDF/X-3 is PDF 1.3's).
	 */
	if (!opts->booklet && !opts->press)
		p.tags = tags_new();
	tag_open(&p, "Document");
	if (opts->chapter < 0) {
		front_matter(&p);
		toc_plan(&p);
		if (st->changes && bk->changes != NULL)
			front_changes(&p);
		p.front = -1;
	}
	/* the body starts on a right-hand page numbered 1 */
	p.body_first = p.pageno + 1 + (st->two_sided && p.pageno % 2 == 1);
	for (i = 0; i < bk->nchapters; i++) {
		const struct chapter	*c = &bk->chapters[i];

		if (opts->chapter >= 0 && i != (size_t)opts->chapter)
			continue;
		p.chapter = i;
		p.path = c->path;
		p.segment = c->nsegs > 0 ? c->first_seg : next_seg(bk, i);
		/* a part holds its chapters; a chapter is a section */
		if (part > 0 && (c->kind == DIV_PART || c->part < 0)) {
			tag_close(&p, part);
			part = 0;
		}
		if (c->kind == DIV_PART && opts->chapter < 0)
			part = tag_open(&p, "Part");
		else
			sect = tag_open(&p, "Sect");
		p.tag_base = part > 0 ? 2 : 1;
		tag_heading_reset(&p, p.tag_base - 1);
		if (c->kind == DIV_PART && opts->chapter < 0)
			page_part(&p, c->title, c->title_heading >= 0 ?
			    bk->headings[c->title_heading].node : NULL);
		else
			page_chapter(&p);
		p.cpage[i] = c->kind == DIV_PART ? p.pageno - 1 : p.pageno;
		p.cdest[i] = HPDF_Page_CreateDestination(c->kind == DIV_PART ?
		    p.pages[p.npages - 2].page : p.page);
		if (c->kind == DIV_PART)
			pdf_outline(&p, 1, c->title, p.cdest[i]);
		if (opts->chapter >= 0)
			front_handout(&p);
		for (j = c->first_seg; j < c->first_seg + c->nsegs; j++) {
			p.segment = j;
			/* the e-book may write the segments before */
			pagemap_reach(p.pm, (long)j);
			p.path = bk->sources[bk->segments[j].source].path;
			p.in.source = bk->segments[j].source;
			p.sdest[j] = HPDF_Page_CreateDestination(p.page);
			HPDF_Destination_SetFitH(p.sdest[j], (HPDF_REAL)p.y);
			block_walk(&p, bk->segments[j].doc);
		}
		note_endnotes(&p, i);
		tag_close(&p, sect);
		sect = 0;
	}
	/* the last page's notes, and what of notes is still to go on */
	note_foot(&p);
	while (notes_left(&p)) {
		p.short_ok = 1;
		page_new(&p);
		note_foot(&p);
	}
	page_mark_blank(&p);
	/* the set pages are deflated; contents and furniture come next */
	if (content_flush(p.zip, p.cs) == -1 || content_zip_wait(p.zip) == -1)
		if (p.hpdf_error == 0)
			p.hpdf_error = HPDF_FAILD_TO_ALLOC_MEM;
	toc_draw(&p);
	/* every page is placed: an e-book waiting for the map may go on */
	pagemap_done(p.pm);
	furniture_draw(&p);
	resolve_links(&p);
	note_links(&p);
	info(&p);
	tag_finish(&p);
	if (pdfpng_finish(p.in.png) == -1 && p.hpdf_error == 0)
		p.hpdf_error = HPDF_INVALID_PNG_IMAGE;
	/* the pages' content streams, complete at last */
	par_for(p.fonts.npf + p.npages, seal_step, &p);
	for (i = 0; i < p.npages; i++)
		if (content_finish(p.zip, p.pages[i].cs) == -1 &&
		    p.hpdf_error == 0)
			p.hpdf_error = HPDF_FAILD_TO_ALLOC_MEM;
	/* every glyph is set: the fonts can be cut down and embedded */
	if (fonts_finish(&p.fonts) == -1 && p.hpdf_error == 0)
		p.hpdf_error = HPDF_FAILD_TO_ALLOC_MEM;
	if (opts->booklet)
		booklet_impose(&p);
	if (opts->press)	/* the print shop's PDF: pdf_press.c */
		press_finish(&p);
	if (p.hpdf_error != 0) {
		diag_error(bk->source, 0, 0, "PDF library error 0x%04lX",
		    p.hpdf_error);
		goto out;
	}
	if (save(&p, out) == -1) {
		diag_error(bk->source, 0, 0, "cannot write the PDF");
		goto out;
	}
	rc = 0;
out:
	pdf_patterns_free(hyph);
	hycache_free(&hycache);
	inline_free(&p.in);
	free(p.in.images);
	pdfpng_free(p.in.png);
	fonts_free(&p.fonts);
	free(p.hdest);
	free(p.cdest);
	free(p.sdest);
	note_free(&p);
	free(p.hpage);
	free(p.cpage);
	for (i = 0; i < p.npages; i++)
		content_free(p.pages[i].cs);
	free(p.pages);
	content_zip_free(p.zip);
	toc_free(&p.toc);
	for (i = 0; i < p.npend; i++)
		free(p.pend[i].text);
	free(p.pend);
	free(p.gaps);
	free(p.pannots);
	tags_free(p.tags);
	free(p.dests.id);
	free(p.dests.d);
	free(p.stack);
	free(p.marker);
	buf_free(&p.tmp);
	pdfmem_free(p.doc);
	return rc;
}
