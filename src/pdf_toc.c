/*
 * The printed table of contents.  Its length depends only on its
 * entries, so its pages are reserved before the body is set; once every
 * heading has its page, the entries are drawn on them with dot leaders,
 * right-aligned page numbers and links.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "changes.h"
#include "pagemap.h"
#include "pdf_int.h"

#define TOC_INDENT	18.0	/* per level */
#define TOC_NUMBER	30.0	/* the page number column */
#define LEADER_STEP	4.5	/* dot leader spacing */

static const char *
entry_text(const struct pdf *p, const struct tocline *e)
{
	if (e->heading == TOC_CHANGES)
		return CHANGES_TITLE;
	return e->heading >= 0 ? p->bk->headings[e->heading].text :
	    p->bk->chapters[e->chapter].title;
}

static double
entry_width(const struct pdf *p, const struct tocline *e)
{
	return p->right - p->left - TOC_INDENT * e->depth - TOC_NUMBER;
}

/* Break an entry's title into lines; the caller frees them. */
static size_t
entry_lines(struct pdf *p, const struct tocline *e, struct line **lines)
{
	struct pdf_report	 saved = *p->rep;
	size_t			 n;

	inline_begin(&p->in, entry_width(p, e), p->st->size, FONT_TEXT, 0);
	p->in.hyphenate = 0;
	inline_text(&p->in, entry_text(p, e), e->part ? FONT_BOLD : FONT_TEXT);
	inline_end(&p->in);
	p->in.hyphenate = 1;
	n = line_break(p, lines);
	*p->rep = saved;	/* the report counts the body's lines */
	return n;
}

static double
entry_space(const struct pdf *p, const struct tocline *e)
{
	return e->depth == 0 ? p->st->leading * 0.6 : 0;
}

/* Height of the title block on the first contents page. */
static double
title_height(const struct pdf *p)
{
	return p->st->chapter_drop + p->st->heading_size[0] * 1.25 +
	    p->st->heading_after + p->st->leading;
}

/*
 * The entries (chapters, and their sections to level 2), how many lines
 * each takes, and so how many pages: reserved now, numbered in roman.
 */
void
toc_plan(struct pdf *p)
{
	const struct book	*bk = p->bk;
	const struct chapter	*c;
	struct tocline		*e;
	struct line		*lines;
	size_t			 i, j;
	long			 title;
	double			 avail, full, y;
	int			 k;

	if (!p->st->toc || bk->nchapters == 0)
		return;
	/* the changes page, set after the contents, is listed first */
	if (p->st->changes && bk->changes != NULL) {
		p->toc.e = xcalloc(1, sizeof(*p->toc.e));
		p->toc.e[p->toc.n].heading = TOC_CHANGES;
		p->toc.e[p->toc.n++].depth = 0;
	}
	for (i = 0; i < bk->nchapters; i++) {
		c = &bk->chapters[i];
		title = c->title_heading;
		p->toc.e = xreallocarray(p->toc.e, p->toc.n + 1 +
		    c->nheadings, sizeof(*p->toc.e));
		e = &p->toc.e[p->toc.n++];
		memset(e, 0, sizeof(*e));
		e->chapter = i;
		e->heading = title;
		e->depth = 0;
		e->part = c->kind == DIV_PART;
		for (j = c->first_heading; j < c->first_heading + c->nheadings;
		    j++) {
			if ((long)j == title || bk->headings[j].level > 2 ||
			    bk->headings[j].level < 2)
				continue;
			e = &p->toc.e[p->toc.n++];
			memset(e, 0, sizeof(*e));
			e->chapter = i;
			e->heading = (long)j;
			e->depth = 1;
		}
	}
	for (i = 0; i < p->toc.n; i++) {
		p->toc.e[i].lines = entry_lines(p, &p->toc.e[i], &lines);
		free(lines);
	}
	/* lay the entries out on paper, to count the pages */
	full = p->st->page_height - p->st->margin_top - p->st->margin_bottom;
	avail = full - title_height(p);
	for (i = 0, k = 1; i < p->toc.n; i++) {
		y = entry_space(p, &p->toc.e[i]) + p->st->leading *
		    (double)p->toc.e[i].lines;
		if (y > avail) {
			k++;
			avail = full;
		}
		avail -= y;
	}
	/* its place in the structure tree, filled once pages are known */
	p->toc.tag = tag_here(p, "Sect");
	p->toc.pages = xcalloc((size_t)k, sizeof(HPDF_Page));
	for (p->toc.npages = 0; p->toc.npages < k; p->toc.npages++) {
		page_front(p, 2 + p->toc.npages, PAGE_TOC);
		p->toc.pages[p->toc.npages] = p->page;
	}
}

static void
leaders(struct pdf *p, double from, double to, double base)
{
	double	 x;
	int	 prev = tag_enter(p, TAG_ARTIFACT);

	/* dots on a grid, so that they line up from entry to entry */
	for (x = p->left + LEADER_STEP * (double)(long)((from - p->left) /
	    LEADER_STEP + 1); x + 2 < to; x += LEADER_STEP)
		pdf_text_at(p, FONT_TEXT, p->st->size, x, base, ".");
	tag_enter(p, prev);
}

static void
toc_page(struct pdf *p, int k)
{
	const struct style	*st = p->st;
	int			 physical = 0, recto;
	size_t			 i;

	/* the contents pages follow the title page and colophon */
	for (i = 0; i < p->npages; i++)
		if (p->pages[i].page == p->toc.pages[k]) {
			physical = (int)i + 1;
			p->cs = p->pages[i].cs;
			break;
		}
	recto = !st->two_sided || physical % 2 == 1;
	p->page = p->toc.pages[k];
	p->left = recto ? st->margin_inner : st->margin_outer;
	p->right = st->page_width - (recto ? st->margin_outer :
	    st->margin_inner);
	p->y = st->page_height - st->margin_top;
}

/*
 * Tell the page map which entry a contents page begins with, so that the
 * e-book's marker sits at that entry of its own contents.
 */
static void
begins(struct pdf *p, int k, const struct tocline *e)
{
	size_t	 i;

	/* front pages come first in the map: the scan stops there */
	const struct chapter	*c = &p->bk->chapters[e->chapter];
	void			*node;

	/* the node the e-book's contents entry names (epub.c, toc_node) */
	if (e->heading == TOC_CHANGES)
		node = NULL;
	else if (e->heading >= 0)
		node = p->bk->headings[e->heading].node;
	else if (c->nsegs > 0)
		node = p->bk->segments[c->first_seg].doc;
	else
		node = (void *)(uintptr_t)c;
	for (i = 0; p->pm != NULL && i < p->pm->n &&
	    p->pm->marks[i].segment < 0; i++)
		if (p->pm->marks[i].segment == -1 &&
		    p->pm->marks[i].offset == (size_t)(2 + k))
			p->pm->marks[i].node = node;
}

/* Draw the entries on the reserved pages, now that pages are known. */
void
toc_draw(struct pdf *p)
{
	const struct style	*st = p->st;
	const struct tocline	*e;
	struct line		*lines;
	HPDF_Destination	 d;
	HPDF_Annotation		 a;
	HPDF_Rect		 r;
	char			 num[32];
	double			 x0, w, natural, base, top;
	size_t			 i, j, nl;
	int			 k = 0, page, prev, h, toc, item, link;

	if (p->toc.npages == 0)
		return;
	toc_page(p, 0);
	prev = tag_enter(p, p->toc.tag);
	tag_heading_reset(p, 0);
	h = tag_heading(p, 1);
	p->y -= st->chapter_drop;
	pdf_text_at(p, FONT_BOLD, st->heading_size[0], p->left,
	    p->y - st->heading_size[0], "Contents");
	tag_close(p, h);
	toc = tag_open(p, "TOC");
	p->y -= st->heading_size[0] * 1.25 + st->heading_after + st->leading;
	for (i = 0; i < p->toc.n; i++) {
		e = &p->toc.e[i];
		/* an entry: its title and page number are one link */
		item = tag_open(p, "TOCI");
		link = tag_open(p, "Link");
		nl = entry_lines(p, e, &lines);
		if (p->y - entry_space(p, e) - st->leading * (double)nl <
		    st->margin_bottom && k + 1 < p->toc.npages) {
			toc_page(p, ++k);
			begins(p, k, e);
		} else
			p->y -= entry_space(p, e);
		top = p->y;
		x0 = p->left + TOC_INDENT * e->depth;
		for (j = 0; j < nl; j++)
			line_draw(p, &lines[j], ALIGN_LEFT, st->leading, x0,
			    entry_width(p, e));
		/* leaders and number on the last line of the entry */
		base = p->y + st->leading - (st->leading + st->size * 0.7) / 2;
		natural = 0;
		for (j = nl ? lines[nl - 1].start : 0; nl && j <
		    lines[nl - 1].end; j++)
			if (p->in.items[j].type != ITEM_PENALTY &&
			    p->in.items[j].stretch < 1e5)
				natural += p->in.items[j].width;
		free(lines);
		if (e->heading == TOC_CHANGES)
			page = p->changes_page;
		else if (e->part)	/* its title page, not its heading's */
			page = p->cpage[e->chapter];
		else
			page = e->heading >= 0 && p->hpage[e->heading] ?
			    p->hpage[e->heading] : p->cpage[e->chapter];
		furniture_label(p, page, num, sizeof(num));
		w = pdf_measure(p, FONT_TEXT, num, st->size);
		leaders(p, x0 + natural + 3, p->right - w - 3, base);
		pdf_text_at(p, FONT_TEXT, st->size, p->right - w, base, num);
		tag_close(p, link);
		tag_close(p, item);
		/* the whole entry is a link to its heading */
		if (e->heading == TOC_CHANGES)
			d = p->changes_dest;
		else if (e->part)
			d = p->cdest[e->chapter];
		else
			d = e->heading >= 0 && p->hdest[e->heading] != NULL ?
			    p->hdest[e->heading] : p->cdest[e->chapter];
		if (d == NULL)
			continue;
		r.left = (HPDF_REAL)x0;
		r.right = (HPDF_REAL)p->right;
		r.top = (HPDF_REAL)top;
		r.bottom = (HPDF_REAL)p->y;
		if ((a = HPDF_Page_CreateLinkAnnot(p->page, r, d)) != NULL)
			HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
		tag_annot(p, link, a, entry_text(p, e));
	}
	tag_close(p, toc);
	tag_enter(p, prev);
}

void
toc_free(struct toc *t)
{
	free(t->e);
	free(t->pages);
	memset(t, 0, sizeof(*t));
}
