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

/*
 * A link's rectangle on a line: an annotation now for an address, or
 * once every page is set for a place in the book; either is the last
 * child of the line's Link element, described by the words it covers.
 */
void
line_link(struct pdf *p, int link, HPDF_Rect r, int tag, const char *text)
{
	const struct link	*l;
	struct pending		*pd;
	HPDF_Annotation		 a;

	if (link < 0)
		return;
	l = &p->bk->links[link];
	if (l->kind == LINK_EXTERNAL) {
		a = HPDF_Page_CreateURILinkAnnot(p->page, r, l->href);
		if (a != NULL) {
			HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
			/* it moves if the page's space stretches */
			p->pannots = xreallocarray(p->pannots, p->npannots + 1,
			    sizeof(*p->pannots));
			p->pannots[p->npannots].a = a;
			p->pannots[p->npannots++].seg = p->ngaps;
		}
		tag_annot(p, tag, a, text != NULL && *text ? text : l->href);
		return;
	}
	p->pend = xreallocarray(p->pend, p->npend + 1, sizeof(*p->pend));
	pd = &p->pend[p->npend++];
	pd->page = p->page;
	pd->rect = r;
	pd->link = (size_t)link;
	pd->tag = tag;
	pd->text = p->tags != NULL ? xstrdup(text != NULL ? text : "") : NULL;
	pd->seg = p->ngaps;
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
	int	 prev;

	if (it->deco & DECO_MARK) {
		prev = tag_enter(p, TAG_ARTIFACT);
		content_gray(p->cs, 0.85);
		content_fill_rect(p->cs, x, base - it->size * 0.25, it->width,
		    it->size * 1.1);
		content_gray(p->cs, 0);
		tag_enter(p, prev);
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
		prev = tag_enter(p, TAG_ARTIFACT);
		content_end_text(p->cs);
		content_frame(p->cs, 0.4, x - 1, base - it->size * 0.25,
		    it->width + 2, it->size * 1.05);
		tag_enter(p, prev);
	}
}

/* Strike-through and underline, across a box or a space. */
static void
decorate(struct pdf *p, const struct item *it, double x, double base,
    double w)
{
	double	 y = it->deco & DECO_STRIKE ? base + p->in.size * 0.25 :
	    base - p->in.size * 0.12;
	int	 prev;

	if (w <= 0)
		return;
	prev = tag_enter(p, TAG_ARTIFACT);
	content_end_text(p->cs);
	content_rule(p->cs, p->in.size * 0.05, x, y, x + w, y);
	tag_enter(p, prev);
}

/*
 * A note's reference is a Link to the note; a note set at the foot of a
 * page is a Note element of the paragraph too, after the reference.
 */
static void
note_ref_close(struct pdf *p, int link, int note)
{
	tag_close(p, link);
	if (!p->st->endnotes && p->notes[note].tag == 0)
		p->notes[note].tag = tag_here(p, "Note");
}

/* An inline image: a Figure, described by its text. */
static void
inline_figure(struct pdf *p, const struct item *it, double x, double y,
    double w)
{
	struct pdfimg	*pi = &p->in.images[it->text];
	char		*alt;
	int		 fig = tag_open(p, "Figure");

	if (p->tags != NULL && it->src != NULL) {
		alt = book_plain(it->src);
		tag_alt(p, fig, alt);
		free(alt);
	}
	content_image(p->cs, pi->img, x, y, w, it->size);
	tag_close(p, fig);
}

/* A list item's label, left of its first line. */
static void
marker(struct pdf *p, double x, double base)
{
	int	 prev = tag_enter(p, p->marker_tag > 0 ? p->marker_tag :
	    p->tags != NULL ? tags_current(p->tags) : 0);

	pdf_text_at(p, FONT_TEXT, p->in.size, x, base, p->marker);
	tag_enter(p, prev);
	free(p->marker);
	p->marker = NULL;
	p->marker_tag = 0;
}

/* Draw one line whose top is at p->y. */
/* A line's width as set, its glue neither stretched nor shrunk. */
double
line_natural(const struct pdf *p, const struct line *ln)
{
	double	 w = 0;
	size_t	 i;

	for (i = ln->start; i < ln->end; i++)
		if (p->in.items[i].type != ITEM_PENALTY)
			w += p->in.items[i].width;
	return w;
}

void
line_draw(struct pdf *p, const struct line *ln, enum align align,
    double leading, double x0, double width)
{
	const struct item	*it = p->in.items;
	const char		*text = p->in.text.data;
	double			 x, base, r = ln->ratio, w;
	int			 spaces = 0;
	HPDF_Rect		 lr = { 0, 0, 0, 0 };
	struct buf		 ltext = { NULL, 0, 0 };
	int			 link = -1, ltag = 0, ntag = 0;
	int			 space_font = -1;
	double			 space_size = 0, hs = 1;
	size_t			 i;

	if (align != ALIGN_JUSTIFY || r > 1e3)
		r = r < 0 ? r : 0;
	/* letters stretch only where a line has no spaces (linebreak.c) */
	for (i = ln->start; i < ln->end; i++)
		if (it[i].type == ITEM_GLUE && it[i].width > 0)
			spaces = 1;
	if (align == ALIGN_JUSTIFY && r > 0 && ln->end + 1 >= p->in.nitems)
		r = 0;	/* the last line is set ragged */
	/* letters widen or narrow a little, the spaces do the rest */
	if (align == ALIGN_JUSTIFY && r != 0 && p->st->expansion > 0)
		linebreak_fit(it, ln, width, p->st->expansion, &r, &hs);
	/* stops and hyphens hang into the margins */
	if (align == ALIGN_JUSTIFY || align == ALIGN_LEFT)
		x0 -= ln->lprot;
	if (align == ALIGN_JUSTIFY)
		width += ln->lprot + ln->rprot;
	base = p->y - (leading + p->in.size * 0.7) / 2;
	if (align == ALIGN_CENTER || align == ALIGN_RIGHT)
		x0 += (width - line_natural(p, ln)) /
		    (align == ALIGN_CENTER ? 2 : 1);
	x = x0;
	if (!p->marked) {
		for (i = ln->start; i < ln->end; i++)
			if (it[i].type == ITEM_BOX && it[i].src != NULL &&
			    it[i].font != FONT_IMAGE)
				break;
		if (i < ln->end)
			page_mark(p, it[i].src, it[i].off);
		else
			page_mark(p, NULL, 0);
	}
	if (p->marker != NULL)
		marker(p, x0 - p->marker_x, base);
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
			w = it[i].width * (it[i].expands ? hs : 1);
		if (it[i].link != link) {
			if (link >= 0) {
				line_link(p, link, lr, ltag, ltext.data);
				tag_close(p, ltag);
			}
			link = it[i].link;
			ltag = link >= 0 ? tag_open(p, "Link") : 0;
			buf_reset(&ltext);
			lr.left = (HPDF_REAL)x;
			lr.bottom = (HPDF_REAL)(base - p->in.size * 0.25);
			lr.top = (HPDF_REAL)(base + p->in.size * 0.85);
		}
		if (it[i].type == ITEM_BOX && it[i].note > 0)
			ntag = tag_open(p, "Link");
		if (it[i].type == ITEM_BOX && it[i].font == FONT_IMAGE)
			/* images are drawn outside text */
			inline_figure(p, &it[i], x, base - it[i].size * 0.15,
			    w);
		else if (it[i].type == ITEM_BOX && it[i].nglyph > 0) {
			content_hscale(p->cs, it[i].expands ? hs : 1);
			line_box(p, &it[i], x, base, text);
		}
		if (it[i].type == ITEM_GLUE && it[i].width > 0 && w > 0 &&
		    space_font >= 0)
			content_space(p->cs, &p->fonts, space_font, space_size,
			    x, base);
		if (it[i].type == ITEM_BOX) {
			space_font = it[i].nglyph > 0 && !(it[i].deco &
			    (DECO_SUP | DECO_SUB)) ? it[i].font : -1;
			space_size = it[i].size;
		}
		if (link >= 0 && it[i].type == ITEM_BOX)
			buf_put(&ltext, text + it[i].text, it[i].len);
		else if (link >= 0 && w > 0 && ltext.len > 0)
			buf_putc(&ltext, ' ');
		if (it[i].deco & (DECO_STRIKE | DECO_UNDER) &&
		    it[i].type != ITEM_PENALTY)
			decorate(p, &it[i], x, base, w);
		if (it[i].type == ITEM_BOX && it[i].note > 0) {
			HPDF_Rect	 nr;

			nr.left = (HPDF_REAL)x;
			nr.right = (HPDF_REAL)(x + w);
			nr.bottom = (HPDF_REAL)(base - p->in.size * 0.1);
			nr.top = (HPDF_REAL)(base + p->in.size * 0.9);
			note_ref_link(p, it[i].note - 1, nr, ntag);
			note_ref_close(p, ntag, it[i].note - 1);
		}
		x += w;
		lr.right = (HPDF_REAL)x;
	}
	/*
	 * A line broken at a space ends with one, for the text read back;
	 * so does one a hard break ends inside a paragraph.
	 */
	if (ln->end < p->in.nitems && space_font >= 0 &&
	    ((it[ln->end].type == ITEM_GLUE && it[ln->end].width > 0) ||
	    (it[ln->end].type == ITEM_PENALTY && it[ln->end].penalty <=
	    -LB_INF && ln->end + 1 < p->in.nitems)))
		content_space(p->cs, &p->fonts, space_font, space_size, x,
		    base);
	if (ln->hyphen && ln->end > 0)
		content_hyphen(p->cs, &p->fonts, it[ln->end].font, p->in.size,
		    x, base);
	content_end_text(p->cs);
	content_hscale(p->cs, 1);
	if (link >= 0) {
		line_link(p, link, lr, ltag, ltext.data);
		tag_close(p, ltag);
	}
	buf_free(&ltext);
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
	n = linebreak(p->in.items, p->in.nitems, p->in.width, p->in.ragged,
	    p->st->expansion, lines, &lb);
	p->rep->lines += lb.lines;
	p->rep->hyphens += lb.hyphens;
	p->rep->loose += lb.loose;
	p->rep->emergency += lb.emergency;
	p->rep->overfull += lb.overfull;
	return n;
}
