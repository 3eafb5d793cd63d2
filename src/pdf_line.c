/*
 * Lines: a paragraph's items broken by the Knuth–Plass breaker
 * (linebreak.c), and a broken line drawn into the page's content —
 * glyphs placed with the line's glue stretched or shrunk, links as
 * annotations, underline and strike-through as rules.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "changes.h"
#include "diag.h"
#include "pagemap.h"
#include "pdf_int.h"
#include "utf8.h"

void
line_link(struct pdf *p, int link, HPDF_Rect r)
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
void
line_box(struct pdf *p, const struct item *it, double x, double base,
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
	if (it->color != 0)
		code_color(p, it->color);
	content_glyphs(p->cs, &p->fonts, it->font, it->size, x, y,
	    p->in.glyphs + it->glyph, it->nglyph, text + it->text, it->len,
	    (it->deco & DECO_BOLD ? GLYPH_BOLD : 0) |
	    (it->deco & DECO_SLANT ? GLYPH_SLANT : 0));
	if (it->color != 0)
		code_color(p, 0);
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
line_draw(struct pdf *p, const struct line *ln, enum align align,
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
	if (align == ALIGN_CENTER || align == ALIGN_RIGHT) {
		for (i = ln->start; i < ln->end; i++)
			if (it[i].type != ITEM_PENALTY)
				natural += it[i].width;
		x0 += (width - natural) / (align == ALIGN_CENTER ? 2 : 1);
	}
	x = x0;
	if (!p->marked) {
		for (i = ln->start; i < ln->end; i++)
			if (it[i].type == ITEM_BOX && it[i].src != NULL)
				break;
		if (i < ln->end)
			page_mark(p, it[i].src, it[i].off);
		else
			page_mark(p, NULL, 0);
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
				line_link(p, link, lr);
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
			line_box(p, &it[i], x, base, text);
		if (it[i].deco & (DECO_STRIKE | DECO_UNDER) &&
		    it[i].type != ITEM_PENALTY)
			decorate(p, &it[i], x, base, w);
		if (it[i].type == ITEM_BOX && it[i].note > 0) {
			HPDF_Rect	 nr;

			nr.left = (HPDF_REAL)x;
			nr.right = (HPDF_REAL)(x + w);
			nr.bottom = (HPDF_REAL)(base - p->in.size * 0.1);
			nr.top = (HPDF_REAL)(base + p->in.size * 0.9);
			note_ref_link(p, it[i].note - 1, nr);
		}
		x += w;
		lr.right = (HPDF_REAL)x;
	}
	if (ln->hyphen && ln->end > 0)
		content_show(p->cs, &p->fonts, it[ln->end].font, p->in.size,
		    x, base, "-", 1, 0);
	content_end_text(p->cs);
	if (link >= 0)
		line_link(p, link, lr);
	p->y -= leading;
	p->page_empty = 0;
}

/* Break the inliner's items and return the lines; NULL when empty. */
size_t
line_break(struct pdf *p, struct line **lines)
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
