/*
 * The print edition.  A walk over each chapter's tree turns blocks into
 * lines (pdf_inline.c builds boxes and glue, linebreak.c breaks them) and
 * lines into pages: chapters open on a new (recto) page, headings keep
 * with their text, paragraphs avoid widows and orphans, figures are never
 * split.  libharu draws the result, with links, bookmarks and metadata.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hpdf_doc.h>

#include "book.h"
#include "changes.h"
#include "diag.h"
#include "pagemap.h"
#include "pdf_int.h"
#include "utf8.h"

#define MIN_LINES	2	/* no widows, no orphans */
#define MAX_NEST	8	/* deeper containers stop indenting */
#define QUOTE_INDENT	18.0
#define LIST_INDENT	18.0

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

static double
bottom(const struct pdf *p)
{
	return p->st->margin_bottom;
}

/* How far the open containers (quotes, lists) indent the text. */
static double
indent(const struct pdf *p, int right)
{
	if (p->depth == 0)
		return 0;
	return right ? p->stack[p->depth - 1].right :
	    p->stack[p->depth - 1].left;
}

#define indent_left(p)	indent((p), 0)
#define indent_right(p)	indent((p), 1)

double
pdf_measure(struct pdf *p, int font, const char *s, double size)
{
	return fonts_width(&p->fonts, font, s, strlen(s), size);
}

void
pdf_text_at(struct pdf *p, int font, double size, double x, double y,
    const char *s)
{
	content_show(p->cs, &p->fonts, font, size, x, y, s, strlen(s));
	content_end_text(p->cs);
}

/* A front page: which one, or where in the changes list it begins. */
static void
front_mark(struct pdf *p, const char *label)
{
	if (p->changes_entry >= 0)
		pagemap_add(p->pm, label, PAGEMAP_CHANGES, NULL,
		    (size_t)p->changes_entry);
	else
		pagemap_add(p->pm, label, -1, NULL, (size_t)p->front);
}

/*
 * Note where the page's text begins, once per page: the first text set
 * on it, else the block being set.  A page without text (a blank verso)
 * belongs at the start of the chapter that follows.
 */
static void
mark(struct pdf *p, cmark_node *node, size_t off)
{
	char	 label[16];

	if (p->pm == NULL || p->marked)
		return;
	furniture_label(p, p->pageno, label, sizeof(label));
	if (p->front >= 0)
		front_mark(p, label);
	else if (node != NULL)
		pagemap_add(p->pm, label, (long)p->segment, node, off);
	else
		pagemap_add(p->pm, label, (long)p->segment, p->anchor, 0);
	p->marked = 1;
}

static void
mark_blank(struct pdf *p)
{
	char	 label[16];

	if (p->pm == NULL || p->marked || p->page == NULL)
		return;
	furniture_label(p, p->pageno, label, sizeof(label));
	if (p->front >= 0)
		front_mark(p, label);
	else
		pagemap_add(p->pm, label, (long)p->segment, NULL, 0);
	p->marked = 1;
}

static void	place_deferred(struct pdf *);
static void	set_block(struct pdf *, const char *, int, double, double,
		    enum align);

static void
new_page(struct pdf *p)
{
	const struct style	*st = p->st;
	int			 recto;

	if (p->page != NULL)
		mark_blank(p);
	/* the page is set: only its compressed content is kept */
	if (p->cs != NULL && content_flush(p->zip, p->cs) == -1 &&
	    p->hpdf_error == 0)
		p->hpdf_error = HPDF_FAILD_TO_ALLOC_MEM;
	p->marked = 0;
	if ((p->page = HPDF_AddPage(p->doc)) == NULL) {
		fputs("folio: cannot add a page to the PDF\n", stderr);
		exit(1);
	}
	p->cs = content_new(p->page);
	HPDF_Page_SetWidth(p->page, (HPDF_REAL)st->page_width);
	HPDF_Page_SetHeight(p->page, (HPDF_REAL)st->page_height);
	p->pageno++;
	p->rep->pages++;
	recto = !st->two_sided || (p->pageno % 2) == 1;
	p->left = recto ? st->margin_inner : st->margin_outer;
	p->right = st->page_width - (recto ? st->margin_outer :
	    st->margin_inner);
	p->y = st->page_height - st->margin_top;
	p->page_empty = 1;
	p->pages = xreallocarray(p->pages, p->npages + 1, sizeof(*p->pages));
	p->pages[p->npages].page = p->page;
	p->pages[p->npages].cs = p->cs;
	p->pages[p->npages].kind = p->kind;
	p->pages[p->npages].chapter = p->chapter;
	p->npages++;
	if (p->deferred != NULL)
		place_deferred(p);
}

/* A page of front matter: index 0 title, 1 colophon, 2... contents. */
void
pdf_front_page(struct pdf *p, int index, enum page_kind kind)
{
	p->kind = kind;
	new_page(p);
	p->front = index;
	mark(p, NULL, 0);
	p->page_empty = 0;	/* reserved: not a blank page */
}

/* Start a chapter on a fresh page, a right-hand one in two-sided styles. */
static void
chapter_page(struct pdf *p)
{
	if (p->page != NULL && p->page_empty)
		p->pages[p->npages - 1].kind = PAGE_BLANK;
	if (p->page == NULL || !p->page_empty) {
		p->kind = PAGE_BLANK;
		new_page(p);
	}
	if (p->st->two_sided && p->pageno % 2 == 0)
		new_page(p);
	p->pages[p->npages - 1].kind = PAGE_OPENING;
	p->kind = PAGE_BODY;
	p->y -= p->st->chapter_drop;
}

/*
 * A part's title page: a right-hand page (in two-sided styles) with the
 * part's title, and nothing else; its own text, if any, and its first
 * chapter follow.
 */
static void
part_page(struct pdf *p, const char *title)
{
	const struct style	*st = p->st;

	chapter_page(p);
	p->pages[p->npages - 1].kind = PAGE_PART;
	p->y = st->page_height - st->margin_top - (st->page_height -
	    st->margin_top - st->margin_bottom) * 0.3;
	set_block(p, title, FONT_BOLD, st->heading_size[0] * 1.3,
	    st->heading_size[0] * 1.6, ALIGN_CENTER);
	p->page_empty = 0;
	p->kind = PAGE_BLANK;
	new_page(p);
	p->kind = PAGE_BODY;
	p->page_empty = 1;
}

static int
lines_fit(const struct pdf *p, double leading)
{
	return (int)floor((p->y - bottom(p) + 0.01) / leading);
}

static void
space(struct pdf *p, double h)
{
	if (!p->page_empty)
		p->y -= h;
}

static void
flush_link(struct pdf *p, int link, HPDF_Rect r)
{
	const struct link	*l;
	HPDF_Annotation		 a;
	HPDF_UINT16		 dash[1] = { 0 };

	if (link < 0)
		return;
	l = &p->bk->links[link];
	if (l->kind == LINK_EXTERNAL) {
		a = HPDF_Page_CreateURILinkAnnot(p->page, r, l->href);
		if (a != NULL)
			HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
		(void)dash;
		return;
	}
	p->pend = xreallocarray(p->pend, p->npend + 1, sizeof(*p->pend));
	p->pend[p->npend].page = p->page;
	p->pend[p->npend].rect = r;
	p->pend[p->npend].link = (size_t)link;
	p->npend++;
}

/* A box's glyphs, raised or lowered for sup and sub. */
static void
draw_box(struct pdf *p, const struct item *it, double x, double base,
    const char *text)
{
	double	 y = base;

	if (it->deco & DECO_SUP)
		y += p->in.size * 0.33;
	else if (it->deco & DECO_SUB)
		y -= p->in.size * 0.15;
	if (it->deco & DECO_MARK) {
		content_gray(p->cs, 0.85);
		content_fill_rect(p->cs, x, base - it->size * 0.25, it->width,
		    it->size * 1.1);
		content_gray(p->cs, 0);
	}
	content_glyphs(p->cs, &p->fonts, it->font, it->size, x, y,
	    p->in.glyphs + it->glyph, it->nglyph, text + it->text, it->len);
	if (it->deco & DECO_KBD) {
		content_end_text(p->cs);
		content_frame(p->cs, 0.4, x - 1, base - it->size * 0.25,
		    it->width + 2, it->size * 1.05);
	}
}

/* Strike-through and underline, across a box or a space. */
static void
decorate(struct pdf *p, const struct item *it, double x, double base,
    double w)
{
	double	 y = it->deco & DECO_STRIKE ? base + p->in.size * 0.25 :
	    base - p->in.size * 0.12;

	if (w <= 0)
		return;
	content_end_text(p->cs);
	content_rule(p->cs, p->in.size * 0.05, x, y, x + w, y);
}

/* Draw one line whose top is at p->y. */
void
pdf_draw_line(struct pdf *p, const struct line *ln, enum align align,
    double leading, double x0, double width)
{
	const struct item	*it = p->in.items;
	const char		*text = p->in.text.data;
	double			 x, base, r = ln->ratio, natural = 0, w;
	int			 spaces = 0;
	HPDF_Rect		 lr = { 0, 0, 0, 0 };
	int			 link = -1;
	size_t			 i;
	struct pdfimg		*pi;

	if (align != ALIGN_JUSTIFY || r > 1e3)
		r = r < 0 ? r : 0;
	/* letters stretch only where a line has no spaces (linebreak.c) */
	for (i = ln->start; i < ln->end; i++)
		if (it[i].type == ITEM_GLUE && it[i].width > 0)
			spaces = 1;
	if (align == ALIGN_JUSTIFY && r > 0 && ln->end + 1 >= p->in.nitems)
		r = 0;	/* the last line is set ragged */
	base = p->y - (leading + p->in.size * 0.7) / 2;
	if (align == ALIGN_CENTER) {
		for (i = ln->start; i < ln->end; i++)
			if (it[i].type != ITEM_PENALTY)
				natural += it[i].width;
		x0 += (width - natural) / 2;
	}
	x = x0;
	if (!p->marked) {
		for (i = ln->start; i < ln->end; i++)
			if (it[i].type == ITEM_BOX && it[i].src != NULL)
				break;
		if (i < ln->end)
			mark(p, it[i].src, it[i].off);
		else
			mark(p, NULL, 0);
	}
	if (p->marker != NULL) {
		pdf_text_at(p, FONT_TEXT, p->in.size, x0 - p->marker_x, base,
		    p->marker);
		free(p->marker);
		p->marker = NULL;
	}
	for (i = ln->start; i < ln->end; i++) {
		if (it[i].type == ITEM_PENALTY)
			continue;
		if (it[i].type == ITEM_GLUE) {
			w = it[i].width + (r >= 0 ? r * it[i].stretch :
			    r * it[i].shrink);
			if (it[i].stretch >= 1e5 ||
			    (it[i].width == 0 && spaces))
				w = 0;
		} else
			w = it[i].width;
		if (it[i].link != link) {
			if (link >= 0)
				flush_link(p, link, lr);
			link = it[i].link;
			lr.left = (HPDF_REAL)x;
			lr.bottom = (HPDF_REAL)(base - p->in.size * 0.25);
			lr.top = (HPDF_REAL)(base + p->in.size * 0.85);
		}
		if (it[i].type == ITEM_BOX && it[i].font == FONT_IMAGE) {
			/* images are drawn outside text */
			pi = &p->in.images[it[i].text];
			content_image(p->cs, pi->img, x,
			    base - it[i].size * 0.15, w, it[i].size);
		} else if (it[i].type == ITEM_BOX && it[i].nglyph > 0)
			draw_box(p, &it[i], x, base, text);
		if (it[i].deco & (DECO_STRIKE | DECO_UNDER) &&
		    it[i].type != ITEM_PENALTY)
			decorate(p, &it[i], x, base, w);
		x += w;
		lr.right = (HPDF_REAL)x;
	}
	if (ln->hyphen && ln->end > 0)
		content_show(p->cs, &p->fonts, it[ln->end].font, p->in.size,
		    x, base, "-", 1);
	content_end_text(p->cs);
	if (link >= 0)
		flush_link(p, link, lr);
	p->y -= leading;
	p->page_empty = 0;
}

/*
 * How many of the left lines of a block go on this page: all that fit,
 * but at least MIN_LINES at the foot of a page and at the head of the
 * next (unless the block is shorter), and no page ends on a hyphen (when
 * lines are given).  0: start a new page first.  An empty page takes what
 * fits, one line at least, so that nothing loops.
 */
static size_t
lines_here(struct pdf *p, const struct line *lines, size_t left,
    double leading)
{
	int	 avail = lines_fit(p, leading);
	size_t	 take = avail > 0 ? (size_t)avail : 0;

	if (take >= left)
		return left;
	if (left - take < MIN_LINES && left > MIN_LINES) {
		take = left - MIN_LINES;
		p->rep->widows++;
	}
	/* a word is not split across pages */
	if (lines != NULL && take > MIN_LINES && lines[take - 1].hyphen)
		take--;
	if (take >= MIN_LINES)
		return take;
	if (p->page_empty)
		return take > 0 ? take : 1;
	if (take > 0 || avail > 0)
		p->rep->widows++;
	return 0;
}

/* Set the lines of a block on pages, as lines_here allows. */
static void
place_lines(struct pdf *p, struct line *lines, size_t n, enum align align,
    double leading, HPDF_Destination *dest)
{
	double	 x0, width;
	size_t	 i = 0, take;

	while (i < n) {
		x0 = p->left + indent_left(p);
		width = p->right - indent_right(p) - x0;
		if ((take = lines_here(p, lines + i, n - i, leading)) == 0) {
			new_page(p);
			continue;
		}
		if (dest != NULL && i == 0) {
			*dest = HPDF_Page_CreateDestination(p->page);
			HPDF_Destination_SetFitH(*dest, (HPDF_REAL)p->y);
		}
		for (; take > 0; take--, i++)
			pdf_draw_line(p, &lines[i], align, leading, x0, width);
		if (i < n)
			new_page(p);
	}
}

static double
text_width(const struct pdf *p)
{
	return p->right - indent_right(p) - p->left - indent_left(p);
}

/* Break the inliner's items and return the lines; NULL when empty. */
size_t
pdf_break(struct pdf *p, struct line **lines)
{
	struct lbstats	 lb;
	size_t		 i, n;

	for (i = 0; i < p->in.nitems; i++)
		if (p->in.items[i].type == ITEM_BOX)
			break;
	if (i == p->in.nitems) {
		*lines = NULL;
		return 0;
	}
	memset(&lb, 0, sizeof(lb));
	n = linebreak(p->in.items, p->in.nitems, p->in.width, lines, &lb);
	p->rep->lines += lb.lines;
	p->rep->hyphens += lb.hyphens;
	p->rep->loose += lb.loose;
	p->rep->emergency += lb.emergency;
	p->rep->overfull += lb.overfull;
	return n;
}

static struct frame *
top(struct pdf *p)
{
	return p->depth ? &p->stack[p->depth - 1] : NULL;
}

static void
paragraph(struct pdf *p, cmark_node *n)
{
	struct frame	*f = top(p);
	struct line	*lines;
	size_t		 nl;
	double		 indent = 0;

	if (f != NULL && f->prev_para && f->type != CMARK_NODE_ITEM)
		indent = p->st->indent;
	space(p, p->st->para_space);
	inline_begin(&p->in, text_width(p), p->st->size, FONT_TEXT, indent);
	p->in.path = p->path;
	inline_node(&p->in, n);
	inline_end(&p->in);
	if ((nl = pdf_break(p, &lines)) > 0)
		place_lines(p, lines, nl, p->st->justify ? ALIGN_JUSTIFY :
		    ALIGN_LEFT, p->st->leading, NULL);
	free(lines);
	if (f != NULL)
		f->prev_para = 1;
}

static void
outline(struct pdf *p, int level, const char *title, HPDF_Destination d)
{
	HPDF_Outline	 o, parent;
	HPDF_Encoder	 enc = HPDF_GetEncoder(p->doc, "UTF-8");
	int		 i;

	if (level > 3 || d == NULL)
		return;
	parent = NULL;
	for (i = level - 1; i >= 1 && parent == NULL; i--)
		parent = p->outline[i];
	o = HPDF_CreateOutline(p->doc, parent, title, enc);
	if (o == NULL)
		return;
	HPDF_Outline_SetDestination(o, d);
	HPDF_Outline_SetOpened(o, HPDF_FALSE);
	p->outline[level] = o;
	for (i = level + 1; i < 4; i++)
		p->outline[i] = NULL;
}

/*
 * Destinations past libharu's limit of entries in one dictionary (4095:
 * a book of some 800 pages has 2000 headings) are written after the
 * others by the dictionary's write function, in the same form.
 */
static HPDF_STATUS
write_more_dests(HPDF_Dict dests, HPDF_Stream s)
{
	const struct moredests	*m = dests->attr;
	HPDF_STATUS		 rc = HPDF_OK;
	size_t			 i;

	for (i = 0; m != NULL && i < m->n && rc == HPDF_OK; i++)
		if ((rc = HPDF_Stream_WriteEscapeName(s, m->id[i])) ==
		    HPDF_OK && (rc = HPDF_Stream_WriteChar(s, ' ')) == HPDF_OK &&
		    (rc = HPDF_Obj_Write(m->d[i], s, NULL)) == HPDF_OK)
			rc = HPDF_Stream_WriteStr(s, "\012");
	return rc;
}

/*
 * A named destination for a heading: the e-book's id names the same
 * place in the PDF (file.pdf#id).  libharu has no call for the catalog's
 * Dests dictionary, so it is added to the catalog directly.
 */
static void
name_dest(struct pdf *p, const char *id)
{
	HPDF_Destination	 d;
	struct moredests	*m = &p->moredests;

	if (p->dests == NULL) {
		if ((p->dests = HPDF_Dict_New(p->doc->mmgr)) == NULL ||
		    HPDF_Dict_Add(p->doc->catalog, "Dests", p->dests) !=
		    HPDF_OK) {
			p->dests = NULL;
			return;
		}
	}
	/* the heading goes on the page where its first line will be */
	if ((d = HPDF_Page_CreateDestination(p->page)) == NULL)
		return;
	HPDF_Destination_SetFitH(d, (HPDF_REAL)p->y);
	if (p->dests->list->count < HPDF_LIMIT_MAX_DICT_ELEMENT) {
		HPDF_Dict_Add(p->dests, id, d);
		return;
	}
	m->id = xreallocarray(m->id, m->n + 1, sizeof(*m->id));
	m->d = xreallocarray(m->d, m->n + 1, sizeof(*m->d));
	m->id[m->n] = id;
	m->d[m->n++] = d;
	p->dests->attr = m;
	p->dests->write_fn = write_more_dests;
}

static void
heading(struct pdf *p, cmark_node *n)
{
	const struct heading	*h = book_heading(p->bk, n);
	int			 level = h != NULL ? h->level :
	    cmark_node_get_heading_level(n);
	double			 size;

	if (level < 1) {
		/* a part's heading: its title page is set already */
		if (h != NULL) {
			p->hpage[h - p->bk->headings] = p->pageno;
			name_dest(p, h->id);
			p->hdest[h - p->bk->headings] = p->cdest[p->chapter];
			outline(p, 1, h->text, p->cdest[p->chapter]);
		}
		return;
	}
	size = p->st->heading_size[level - 1];
	double			 leading = size * 1.25;
	struct line		*lines;
	size_t			 nl;
	HPDF_Destination	*dest;

	inline_begin(&p->in, text_width(p), size, FONT_BOLD, 0);
	p->in.hyphenate = 0;
	p->in.path = p->path;
	inline_node(&p->in, n);
	inline_end(&p->in);
	p->in.hyphenate = 1;
	nl = pdf_break(p, &lines);
	if (!p->page_empty)
		p->y -= p->st->heading_before;
	/* keep the heading with two lines of what follows */
	if (!p->page_empty && p->y - leading * (double)(nl ? nl : 1) -
	    p->st->heading_after - MIN_LINES * p->st->leading < bottom(p)) {
		new_page(p);
		p->rep->widows++;
	}
	dest = h ? &p->hdest[h - p->bk->headings] : NULL;
	if (h != NULL) {
		p->hpage[h - p->bk->headings] = p->pageno;
		name_dest(p, h->id);
	}
	if (nl == 0) {
		mark(p, n, 0);
		if (dest != NULL) {
			*dest = HPDF_Page_CreateDestination(p->page);
			HPDF_Destination_SetFitH(*dest, (HPDF_REAL)p->y);
		}
		p->y -= leading;
		p->page_empty = 0;
	} else
		place_lines(p, lines, nl, ALIGN_LEFT, leading, dest);
	free(lines);
	p->y -= p->st->heading_after;
	if (h != NULL && dest != NULL)
		outline(p, h->level + (p->bk->chapters[p->chapter].part >= 0),
		    h->text, *dest);
	if (top(p) != NULL)
		top(p)->prev_para = 0;
}

/* Expand tabs and split a code line into pieces that fit the width. */
static void
code_block(struct pdf *p, cmark_node *n)
{
	const struct style	*st = p->st;
	const char		*lit = cmark_node_get_literal(n), *s, *e;
	double			 adv = pdf_measure(p, FONT_MONO, "0", st->code_size);
	double			 pad = adv * 1.3;	/* room for the ↪ mark */
	struct buf		 line = { NULL, 0, 0 };
	struct line		*lines = NULL;
	size_t			 maxcol, col, nl = 0, cap = 0, i, cut, j;
	size_t			*srcoff = NULL, lineoff = 0;
	size_t			 lastsp, k;
	uint32_t		 c;
	size_t			 len;
	int			 cont;

	if (lit == NULL || *lit == '\0')
		return;
	maxcol = (size_t)floor((text_width(p) - 2 * pad) / adv);
	if (maxcol < 8)
		maxcol = 8;
	space(p, st->leading * 0.4);
	/* Each output line becomes one box; lines[] indexes them. */
	inline_begin(&p->in, text_width(p), st->code_size, FONT_MONO, 0);
	for (s = lit; *s; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		lineoff = (size_t)(s - lit);
		buf_reset(&line);
		for (col = 0; s < e; s += len) {
			len = utf8_decode(s, (size_t)(e - s), &c);
			if (c == '\t') {
				do
					buf_putc(&line, ' ');
				while (++col % 4);
			} else {
				buf_put(&line, s, len);
				col++;
			}
		}
		/* cut into rows of maxcol code points, at a space if any */
		cont = 0;
		s = line.data ? line.data : "";
		do {
			const char	*q = s;

			lastsp = 0;
			for (j = 0; *q && j < maxcol; j++) {
				q += utf8_decode(q, strlen(q), &c);
				if (c == ' ' && j > maxcol / 2)
					lastsp = (size_t)(q - s);
			}
			cut = *q == '\0' || lastsp == 0 ? (size_t)(q - s) :
			    lastsp;
			if (nl == cap) {
				cap = cap ? cap * 2 : 16;
				lines = xreallocarray(lines, cap,
				    sizeof(*lines));
			}
			lines[nl].start = p->in.nitems;
			lines[nl].hyphen = cont;	/* continuation mark */
			lines[nl].ratio = 0;
			srcoff = xreallocarray(srcoff, cap, sizeof(*srcoff));
			srcoff[nl] = lineoff;
			inline_raw(&p->in, FONT_MONO, s, cut);
			lines[nl].end = p->in.nitems;
			nl++;
			s += cut;
			cont = 1;
		} while (*s);
		if (*e == '\0')
			break;
	}
	buf_free(&line);
	/* draw: background, continuation marks, then the text */
	for (i = 0; i < nl;) {
		/* (a code line's hyphen flag marks a continuation: no rule) */
		size_t	 take = lines_here(p, NULL, nl - i, st->code_leading);

		if (take == 0) {
			new_page(p);
			continue;
		}
		content_gray(p->cs, 0.94);
		content_fill_rect(p->cs, p->left + indent_left(p), p->y -
		    st->code_leading * (double)take - pad / 2, text_width(p),
		    st->code_leading * (double)take + pad / 2);
		content_gray(p->cs, 0);
		for (; take > 0; take--, i++) {
			double	 x = p->left + indent_left(p) + pad;
			double	 base = p->y - (st->code_leading +
			    st->code_size * 0.7) / 2;
			struct item *it = &p->in.items[lines[i].start];

			mark(p, n, srcoff[i]);
			if (lines[i].hyphen) {
				content_gray(p->cs, 0.5);
				pdf_text_at(p, FONT_MONO, st->code_size,
				    x - adv * 1.1, base, "\xe2\x86\xaa");
				content_gray(p->cs, 0);
			}
			for (k = lines[i].start; k < lines[i].end; k++) {
				it = &p->in.items[k];
				if (it->type != ITEM_BOX)
					continue;
				draw_box(p, it, x, base, p->in.text.data);
				x += it->width;
			}
			content_end_text(p->cs);
			if (p->marker != NULL) {
				pdf_text_at(p, FONT_TEXT, st->size, p->left +
				    indent_left(p) - p->marker_x, base,
				    p->marker);
				free(p->marker);
				p->marker = NULL;
			}
			p->y -= st->code_leading;
			p->page_empty = 0;
		}
		if (i < nl)
			new_page(p);
	}
	free(lines);
	free(srcoff);
	space(p, st->leading * 0.4);
	if (top(p) != NULL)
		top(p)->prev_para = 0;
}

/*
 * A figure: the image scaled into the text block, never split, captioned.
 * One that does not fit what is left of the page may float (defer) to
 * the top of the next, while the text goes on.
 */
static void
figure(struct pdf *p, cmark_node *para, const struct figure *fg, int defer)
{
	const struct style	*st = p->st;
	cmark_node		*img = cmark_node_first_child(para);
	const struct image	*im = book_image(p->bk, img);
	struct pdfimg		*pi = NULL;
	struct line		*lines;
	struct buf		 cap = { NULL, 0, 0 };
	size_t			 nl;
	double			 w, h, maxw, maxh, capsize = st->size * 0.9;
	double			 capleading = st->leading * 0.9, x;
	char			*alt;

	if (im != NULL)
		pi = inline_image(&p->in, (size_t)(im - p->bk->images),
		    p->path, cmark_node_get_start_line(img),
		    cmark_node_get_start_column(img));
	if (fg->labelled)
		buf_puts(&cap, fg->caption);
	else
		buf_printf(&cap, "Figure %d. %s", fg->number, fg->caption);
	inline_begin(&p->in, text_width(p), capsize, FONT_TEXT, 0);
	p->in.path = p->path;
	if (pi == NULL) {
		/* the description stands in for a missing image */
		alt = book_plain(img);
		buf_reset(&p->tmp);
		buf_printf(&p->tmp, "[%s]", alt);
		free(alt);
		inline_text(&p->in, p->tmp.data, FONT_ITALIC);
		inline_end(&p->in);
		nl = pdf_break(p, &lines);
		space(p, st->leading * 0.5);
		if (nl > 0)
			place_lines(p, lines, nl, ALIGN_CENTER, capleading,
			    NULL);
		free(lines);
		inline_begin(&p->in, text_width(p), capsize, FONT_TEXT, 0);
	}
	inline_text(&p->in, cap.data, FONT_ITALIC);
	inline_end(&p->in);
	buf_free(&cap);
	nl = pdf_break(p, &lines);

	if (pi != NULL) {
		maxw = text_width(p);
		maxh = st->page_height - st->margin_top - st->margin_bottom -
		    capleading * (double)(nl + 1);
		/* pixels at 96 dpi; an SVG (drawn at 300) at its natural size */
		w = im->type == IMAGE_SVG ? im->width_pt :
		    HPDF_Image_GetWidth(pi->img) * 0.75;
		h = im->type == IMAGE_SVG ? im->height_pt :
		    HPDF_Image_GetHeight(pi->img) * 0.75;
		if (w < 1 || h < 1)
			w = h = 1;
		if (w > maxw) {
			h *= maxw / w;
			w = maxw;
		}
		if (h > maxh) {
			w *= maxh / h;
			h = maxh;
		}
		if (!p->page_empty)
			space(p, st->leading * 0.5);
		if (p->y - h - capleading * (double)(nl + 0.5) < bottom(p)) {
			if (defer && !p->page_empty && p->deferred == NULL &&
			    p->depth == 1) {
				/* float: text fills the rest of this page */
				p->deferred = para;
				p->y += st->leading * 0.5;
				free(lines);
				return;
			}
			new_page(p);
		}
		x = p->left + indent_left(p) + (text_width(p) - w) / 2;
		mark(p, para, 0);
		content_image(p->cs, pi->img, x, p->y - h, w, h);
		press_image(p, img, im, pi->img, w);	/* --press: its dpi */
		p->y -= h + capleading * 0.4;
		p->page_empty = 0;
	}
	if (nl > 0)
		place_lines(p, lines, nl, ALIGN_CENTER, capleading, NULL);
	free(lines);
	space(p, st->leading * 0.5);
	if (top(p) != NULL)
		top(p)->prev_para = 0;
}

/*
 * Set a floated figure at the top of the new page.  It may arrive in the
 * middle of a paragraph or a list, so the state they use is set aside.
 */
static void
place_deferred(struct pdf *p)
{
	cmark_node	*para = p->deferred;
	struct inliner	 saved = p->in;
	char		*marker = p->marker;
	size_t		 depth = p->depth;

	p->deferred = NULL;
	p->in.items = NULL;
	p->in.nitems = p->in.cap = 0;
	p->in.glyphs = NULL;
	p->in.nglyphs = p->in.capglyphs = 0;
	memset(&p->in.text, 0, sizeof(p->in.text));
	p->marker = NULL;
	p->depth = 1;
	figure(p, para, book_figure(p->bk, para), 0);
	inline_free(&p->in);
	p->in = saved;
	p->marker = marker;
	p->depth = depth;
}

static void
thematic_break(struct pdf *p)
{
	double	 cx = p->left + indent_left(p) + text_width(p) / 2;

	if (lines_fit(p, p->st->leading) < 1 + MIN_LINES) {
		new_page(p);
		return;
	}
	mark(p, NULL, 0);
	p->y -= p->st->leading;
	content_rule(p->cs, 0.5, cx - 36, p->y + p->st->leading / 2, cx + 36,
	    p->y + p->st->leading / 2);
	p->y -= p->st->leading * 0.5;
	p->page_empty = 0;
	if (top(p) != NULL)
		top(p)->prev_para = 0;
}

static void
push_frame(struct pdf *p, cmark_node_type type, double indent, double rindent)
{
	struct frame	*f;

	if (p->depth == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->stack = xreallocarray(p->stack, p->cap, sizeof(*p->stack));
	}
	f = &p->stack[p->depth++];
	memset(f, 0, sizeof(*f));
	f->type = type;
	/* counted as frames open, not by walking them: lists nest deep */
	f->lists = (p->depth > 1 ? f[-1].lists : 0) +
	    (type == CMARK_NODE_LIST);
	/* past a few levels, nesting no longer narrows the text */
	if (p->depth > MAX_NEST)
		indent = rindent = 0;
	f->indent = indent;
	f->rindent = rindent;
	f->left = (p->depth > 1 ? f[-1].left : 0) + indent;
	f->right = (p->depth > 1 ? f[-1].right : 0) + rindent;
}

/* An item's marker hangs left of its text, on its first line. */
static void
list_item(struct pdf *p, cmark_node *item)
{
	cmark_node	*list = cmark_node_parent(item);
	struct frame	*lf = top(p);
	char		 m[32];
	size_t		 nested = lf ? lf->lists : 0;
	double		 w;

	if (cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) {
		snprintf(m, sizeof(m), "%d%c", lf ? lf->number++ : 1,
		    cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM ?
		    ')' : '.');
	} else
		snprintf(m, sizeof(m), "%s", nested % 2 ? "\xe2\x80\xa2" :
		    "\xe2\x80\x93");
	w = pdf_measure(p, FONT_TEXT, m, p->st->size);
	push_frame(p, CMARK_NODE_ITEM, w + 6 > LIST_INDENT ? w + 6 :
	    LIST_INDENT, 0);
	free(p->marker);
	p->marker = xstrdup(m);
	p->marker_x = w + 5;
}

static void
walk(struct pdf *p, cmark_node *doc)
{
	cmark_iter		*it = cmark_iter_new(doc);
	cmark_event_type	 ev;
	cmark_node		*n;
	const struct figure	*fg;
	struct frame		*f;
	int			 enter;

	push_frame(p, CMARK_NODE_DOCUMENT, 0, 0);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		enter = ev == CMARK_EVENT_ENTER;
		if (enter || cmark_node_get_type(n) == CMARK_NODE_ITEM)
			p->anchor = n;
		if (enter)
			diag_context(p->path, cmark_node_get_start_line(n),
			    "setting this in the PDF");
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_BLOCK_QUOTE:
			if (enter) {
				space(p, p->st->leading * 0.4);
				push_frame(p, CMARK_NODE_BLOCK_QUOTE,
				    QUOTE_INDENT, QUOTE_INDENT);
			} else {
				p->depth--;
				space(p, p->st->leading * 0.4);
				if ((f = top(p)) != NULL)
					f->prev_para = 0;
			}
			break;
		case CMARK_NODE_LIST:
			if (enter) {
				if (top(p) == NULL ||
				    top(p)->type != CMARK_NODE_ITEM)
					space(p, p->st->leading * 0.3);
				push_frame(p, CMARK_NODE_LIST, 0, 0);
				top(p)->number = cmark_node_get_list_start(n);
			} else {
				p->depth--;
				if (top(p) == NULL ||
				    top(p)->type != CMARK_NODE_ITEM)
					space(p, p->st->leading * 0.3);
				if ((f = top(p)) != NULL)
					f->prev_para = 0;
			}
			break;
		case CMARK_NODE_ITEM:
			if (enter) {
				list_item(p, n);
				break;
			}
			if (p->marker != NULL) {
				/* an empty item still shows its marker */
				inline_begin(&p->in, text_width(p),
				    p->st->size, FONT_TEXT, 0);
				inline_text(&p->in, "\xc2\xa0", FONT_TEXT);
				inline_end(&p->in);
				{
					struct line	*lines;
					size_t		 nl = pdf_break(p,
					    &lines);

					place_lines(p, lines, nl, ALIGN_LEFT,
					    p->st->leading, NULL);
					free(lines);
				}
			}
			p->depth--;
			break;
		case CMARK_NODE_PARAGRAPH:
			if (!enter)
				break;
			if ((fg = book_figure(p->bk, n)) != NULL)
				figure(p, n, fg, 1);
			else
				paragraph(p, n);
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			break;
		case CMARK_NODE_HEADING:
			if (!enter)
				break;
			heading(p, n);
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			break;
		case CMARK_NODE_CODE_BLOCK:
			code_block(p, n);
			break;
		case CMARK_NODE_THEMATIC_BREAK:
			thematic_break(p);
			break;
		default:	/* document, raw HTML */
			break;
		}
	}
	cmark_iter_free(it);
	free(p->marker);
	p->marker = NULL;
	if (p->deferred != NULL)
		new_page(p);	/* a figure still floating ends its chapter */
	p->depth = 0;
}

/* A block of text set apart (title page, colophon, handout head). */
static void
set_block(struct pdf *p, const char *text, int font, double size,
    double leading, enum align align)
{
	struct line	*lines;
	size_t		 nl;

	if (text == NULL || *text == '\0')
		return;
	inline_begin(&p->in, text_width(p), size, font, 0);
	p->in.hyphenate = 0;
	p->in.path = p->bk->source;
	inline_text(&p->in, text, font);
	inline_end(&p->in);
	p->in.hyphenate = 1;
	nl = pdf_break(p, &lines);
	place_lines(p, lines, nl, align, leading, NULL);
	free(lines);
}

static void
centered(struct pdf *p, const char *text, int font, double size,
    double leading)
{
	set_block(p, text, font, size, leading, ALIGN_CENTER);
}

/* "Edition 2 · 2026-11-25", or what of it the metadata gives. */
static void
edition_line(const struct book *bk, struct buf *b)
{
	const struct meta	*m = &bk->meta;

	if (m->edition.s != NULL)
		buf_printf(b, "Edition %s", m->edition.s);
	if (m->edition.s != NULL && m->date.s != NULL)
		buf_puts(b, " \xc2\xb7 ");
	if (m->date.s != NULL)
		buf_puts(b, m->date.s);
}

/*
 * A handout's title block, above its chapter: the book it comes from,
 * the edition and date, and a rule.  The chapter's own heading follows;
 * a chapter without one is titled here.
 */
static void
handout_head(struct pdf *p)
{
	const struct style	*st = p->st;
	const struct chapter	*c = &p->bk->chapters[p->chapter];
	struct buf		 b = { NULL, 0, 0 };

	set_block(p, p->bk->title, FONT_BOLD, st->heading_size[2],
	    st->heading_size[2] * 1.3, ALIGN_LEFT);
	edition_line(p->bk, &b);
	set_block(p, b.data, FONT_ITALIC, st->size * 0.9, st->leading,
	    ALIGN_LEFT);
	buf_free(&b);
	p->y -= st->leading * 0.4;
	content_rule(p->cs, 0.5, p->left, p->y, p->right, p->y);
	p->y -= st->leading;
	if (c->title_heading < 0)
		set_block(p, c->title, FONT_BOLD, st->heading_size[0],
		    st->heading_size[0] * 1.25, ALIGN_LEFT);
	p->page_empty = 1;	/* the heading takes its place below */
}

static void
front_matter(struct pdf *p)
{
	const struct meta	*m = &p->bk->meta;
	const struct style	*st = p->st;
	struct buf		 b = { NULL, 0, 0 };
	size_t			 i;

	pdf_front_page(p, 0, PAGE_FRONT);
	content_gray(p->cs, 0);
	p->y -= (st->page_height - st->margin_top - st->margin_bottom) * 0.25;
	centered(p, p->bk->title, FONT_BOLD, st->heading_size[0] * 1.3,
	    st->heading_size[0] * 1.6);
	p->y -= st->leading;
	centered(p, m->subtitle.s, FONT_ITALIC, st->heading_size[1],
	    st->heading_size[1] * 1.4);
	p->y -= st->leading * 3;
	for (i = 0; i < m->authors.n; i++)
		centered(p, m->authors.v[i].s, FONT_TEXT, st->heading_size[2],
		    st->heading_size[2] * 1.4);
	/* the edition and its date, above the publisher */
	p->y = st->margin_bottom + st->leading * 5;
	if (m->edition.s != NULL && *m->edition.s) {
		buf_printf(&b, "Edition %s", m->edition.s);
		centered(p, b.data, FONT_TEXT, st->size, st->leading);
		buf_reset(&b);
	}
	centered(p, m->date.s, FONT_TEXT, st->size, st->leading);
	p->y = st->margin_bottom + st->leading * 2;
	centered(p, m->publisher.s, FONT_TEXT, st->size, st->leading);
	p->page_empty = 0;

	/* the colophon, on the back of the title page */
	pdf_front_page(p, 1, PAGE_FRONT);
	p->y = st->margin_bottom + st->leading * 8;
	centered(p, p->bk->title, FONT_ITALIC, st->size * 0.9, st->leading);
	if (m->edition.s != NULL) {
		buf_printf(&b, "Edition %s", m->edition.s);
		centered(p, b.data, FONT_TEXT, st->size * 0.9, st->leading);
	}
	centered(p, m->date.s, FONT_TEXT, st->size * 0.9, st->leading);
	centered(p, m->rights.s, FONT_TEXT, st->size * 0.9, st->leading);
	centered(p, p->bk->identifier, FONT_TEXT, st->size * 0.9, st->leading);
	buf_free(&b);
	p->page_empty = 0;
}

/* A paragraph of the changes page, its first words in bold. */
static void
changes_para(struct pdf *p, const char *bold, const char *text)
{
	struct line	*lines;
	size_t		 nl;

	inline_begin(&p->in, text_width(p), p->st->size, FONT_TEXT, 0);
	p->in.hyphenate = 0;
	p->in.path = p->bk->source;
	if (bold != NULL)
		inline_text(&p->in, bold, FONT_BOLD);
	inline_text(&p->in, text, FONT_TEXT);
	inline_end(&p->in);
	p->in.hyphenate = 1;
	if ((nl = pdf_break(p, &lines)) > 0)
		place_lines(p, lines, nl, ALIGN_LEFT, p->st->leading, NULL);
	free(lines);
}

/*
 * "Changes in this edition": front matter after the contents, numbered
 * in roman like them, one paragraph a changed section.
 */
static void
changes_pages(struct pdf *p)
{
	const struct changes	*c = p->bk->changes;
	const struct change	*ch;
	const struct style	*st = p->st;
	struct pdf_report	 saved = *p->rep;
	struct buf		 b = { NULL, 0, 0 }, label = { NULL, 0, 0 };
	HPDF_Destination	 d;
	size_t			 i;

	p->changes_entry = 0;
	pdf_front_page(p, 2 + p->toc.npages, PAGE_TOC);
	p->changes_page = p->pageno;
	if ((p->changes_dest = d = HPDF_Page_CreateDestination(p->page)) !=
	    NULL) {
		outline(p, 1, CHANGES_TITLE, d);
		p->outline[1] = NULL;	/* chapters are not under it */
	}
	p->y -= st->chapter_drop;
	pdf_text_at(p, FONT_BOLD, st->heading_size[0], p->left,
	    p->y - st->heading_size[0], CHANGES_TITLE);
	p->y -= st->heading_size[0] * 1.25 + st->heading_after;
	changes_intro(c, &b);
	changes_para(p, NULL, b.data);
	for (i = 0; i < c->n && i <= CHANGES_LISTED; i++) {
		p->changes_entry = (long)i + 1;
		if (i == CHANGES_LISTED) {
			buf_reset(&b);
			changes_more(c, &b);
			changes_para(p, NULL, b.data);
			break;
		}
		ch = &c->v[i];
		if (p->y < st->page_height - st->margin_top)
			p->y -= st->leading * 0.4;
		buf_reset(&b);
		buf_reset(&label);
		buf_printf(&label, "%s: ", changes_label(ch));
		buf_puts(&b, ch->title);
		changes_detail(ch, &b);
		changes_para(p, label.data, b.data);
	}
	p->changes_entry = -1;
	*p->rep = saved;	/* the report counts the body's lines */
	buf_free(&b);
	buf_free(&label);
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

	HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, p->bk->title);
	for (i = 0; i < m->authors.n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", m->authors.v[i].s);
	if (b.len)
		HPDF_SetInfoAttr(p->doc, HPDF_INFO_AUTHOR, b.data);
	buf_reset(&b);
	if (m->subtitle.s != NULL)
		HPDF_SetInfoAttr(p->doc, HPDF_INFO_SUBJECT, m->subtitle.s);
	for (i = 0; i < m->subjects.n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", m->subjects.v[i].s);
	if (b.len)
		HPDF_SetInfoAttr(p->doc, HPDF_INFO_KEYWORDS, b.data);
	buf_free(&b);
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "folio");
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
	}
}

static int
save(struct pdf *p, struct buf *out)
{
	HPDF_BYTE	 chunk[65536];
	HPDF_UINT32	 n;
	HPDF_STATUS	 rc;

	if (HPDF_SaveToStream(p->doc) != HPDF_OK)
		return -1;
	HPDF_ResetStream(p->doc);
	for (;;) {
		n = sizeof(chunk);
		rc = HPDF_ReadFromStream(p->doc, chunk, &n);
		if (n > 0)
			buf_put(out, (const char *)chunk, n);
		if (rc == HPDF_STREAM_EOF)
			break;
		if (rc != HPDF_OK)
			return -1;
	}
	return 0;
}

static const char *
hyphen_dict(const char *lang, struct buf *b)
{
	size_t	 i;

	buf_reset(b);
	buf_printf(b, "/usr/share/hyphen/hyph_%s.dic", lang);
	for (i = strlen("/usr/share/hyphen/hyph_"); i < b->len; i++)
		if (b->data[i] == '-')
			b->data[i] = '_';
	if (access(b->data, R_OK) == 0)
		return b->data;
	buf_reset(b);
	buf_printf(b, "/usr/share/hyphen/hyph_%.*s.dic",
	    (int)strcspn(lang, "-_"), lang);
	if (access(b->data, R_OK) == 0)
		return b->data;
	return NULL;
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

/* Typeset the book into out.  Returns 0, or -1 after reporting. */
int
pdf_write(const struct book *bk, const struct style *st,
    const struct pdf_opts *opts, struct buf *out, struct pdf_report *rep,
    struct pagemap *pm)
{
	struct pdf	 p;
	struct buf	 path = { NULL, 0, 0 };
	struct hycache	 hycache = { NULL, NULL, 0, 0 };
	const char	*dict;
	size_t		 i, j;
	int		 rc = -1;

	memset(&p, 0, sizeof(p));
	memset(rep, 0, sizeof(*rep));
	p.bk = bk;
	p.st = st;
	p.opts = opts;
	p.rep = rep;
	p.pm = pm;
	p.front = -1;
	p.changes_entry = -1;
	if ((p.doc = HPDF_New(on_error, &p)) == NULL) {
		diag_error(bk->source, 0, 0, "cannot start the PDF");
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
	p.in.hycache = &hycache;
	p.in.only = opts->chapter;
	p.in.images = xcalloc(bk->nimages ? bk->nimages : 1,
	    sizeof(*p.in.images));
	p.in.png = pdfpng_new();
	if ((dict = hyphen_dict(bk->lang, &path)) != NULL)
		p.in.hyph = hnj_hyphen_load(dict);
	else
		diag_warning(bk->meta.lang.s ? bk->meta.path : bk->source,
		    bk->meta.lang.line, bk->meta.lang.col, "no hyphenation "
		    "patterns for language '%s'; words are not hyphenated",
		    bk->lang);
	p.hdest = xcalloc(bk->nheadings ? bk->nheadings : 1,
	    sizeof(*p.hdest));
	p.cdest = xcalloc(bk->nchapters, sizeof(*p.cdest));
	p.sdest = xcalloc(bk->nsegments ? bk->nsegments : 1, sizeof(*p.sdest));
	HPDF_SetPageMode(p.doc, HPDF_PAGE_MODE_USE_OUTLINE);
	p.hpage = xcalloc(bk->nheadings ? bk->nheadings : 1,
	    sizeof(*p.hpage));
	p.cpage = xcalloc(bk->nchapters, sizeof(*p.cpage));
	if (opts->chapter < 0) {
		front_matter(&p);
		toc_plan(&p);
		if (st->changes && bk->changes != NULL)
			changes_pages(&p);
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
		p.segment = c->nsegs > 0 ? c->first_seg : 0;
		if (c->kind == DIV_PART && opts->chapter < 0)
			part_page(&p, c->title);
		else
			chapter_page(&p);
		p.cpage[i] = c->kind == DIV_PART ? p.pageno - 1 : p.pageno;
		p.cdest[i] = HPDF_Page_CreateDestination(c->kind == DIV_PART ?
		    p.pages[p.npages - 2].page : p.page);
		if (c->kind == DIV_PART)
			outline(&p, 1, c->title, p.cdest[i]);
		if (opts->chapter >= 0)
			handout_head(&p);
		for (j = c->first_seg; j < c->first_seg + c->nsegs; j++) {
			p.segment = j;
			p.path = bk->sources[bk->segments[j].source].path;
			p.sdest[j] = HPDF_Page_CreateDestination(p.page);
			HPDF_Destination_SetFitH(p.sdest[j], (HPDF_REAL)p.y);
			walk(&p, bk->segments[j].doc);
		}
	}
	mark_blank(&p);
	/* the set pages are deflated; contents and furniture come next */
	if (content_flush(p.zip, p.cs) == -1 || content_zip_wait(p.zip) == -1)
		if (p.hpdf_error == 0)
			p.hpdf_error = HPDF_FAILD_TO_ALLOC_MEM;
	toc_draw(&p);
	/* every page is placed: an e-book waiting for the map may go on */
	pagemap_done(p.pm);
	furniture_draw(&p);
	resolve_links(&p);
	info(&p);
	if (pdfpng_finish(p.in.png) == -1 && p.hpdf_error == 0)
		p.hpdf_error = HPDF_INVALID_PNG_IMAGE;
	/* the pages' content streams, complete at last */
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
	if (p.in.hyph != NULL)
		hnj_hyphen_free(p.in.hyph);
	hycache_free(&hycache);
	inline_free(&p.in);
	free(p.in.images);
	pdfpng_free(p.in.png);
	fonts_free(&p.fonts);
	free(p.hdest);
	free(p.cdest);
	free(p.sdest);
	free(p.hpage);
	free(p.cpage);
	for (i = 0; i < p.npages; i++)
		content_free(p.pages[i].cs);
	free(p.pages);
	content_zip_free(p.zip);
	toc_free(&p.toc);
	free(p.pend);
	free(p.moredests.id);
	free(p.moredests.d);
	free(p.stack);
	free(p.marker);
	buf_free(&p.tmp);
	buf_free(&path);
	HPDF_Free(p.doc);
	return rc;
}
