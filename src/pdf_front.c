/*
 * Front matter: the title page and colophon, a handout's title block,
 * the "Changes in this edition" page, and the blocks of text set apart
 * that they are made of.
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

/* A block of text set apart (title page, colophon, handout head). */
void
front_block(struct pdf *p, const char *text, int font, double size,
    double leading, enum align align)
{
	struct line	*lines;
	size_t		 nl;

	if (text == NULL || *text == '\0')
		return;
	inline_begin(&p->in, page_text_width(p), size, font, 0);
	p->in.hyphenate = 0;
	p->in.path = p->bk->source;
	inline_text(&p->in, text, font);
	inline_end(&p->in);
	p->in.hyphenate = 1;
	nl = line_break(p, &lines);
	page_place_lines(p, lines, nl, align, leading, NULL);
	free(lines);
}

/* A block of front matter: a paragraph of its own in the tree. */
static void
para(struct pdf *p, const char *text, int font, double size,
    double leading, enum align align)
{
	int	 tag;

	if (text == NULL || *text == '\0')
		return;
	tag = tag_open(p, "P");
	front_block(p, text, font, size, leading, align);
	tag_close(p, tag);
}

static void
centered(struct pdf *p, const char *text, int font, double size,
    double leading)
{
	para(p, text, font, size, leading, ALIGN_CENTER);
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
void
front_handout(struct pdf *p)
{
	const struct style	*st = p->st;
	const struct chapter	*c = &p->bk->chapters[p->chapter];
	struct buf		 b = { NULL, 0, 0 };
	int			 tag;

	para(p, p->bk->title, FONT_BOLD, st->heading_size[2],
	    st->heading_size[2] * 1.3, ALIGN_LEFT);
	edition_line(p->bk, &b);
	para(p, b.data, FONT_ITALIC, st->size * 0.9, st->leading, ALIGN_LEFT);
	buf_free(&b);
	p->y -= st->leading * 0.4;
	tag = tag_enter(p, TAG_ARTIFACT);
	content_rule(p->cs, 0.5, p->left, p->y, p->right, p->y);
	tag_enter(p, tag);
	p->y -= st->leading;
	if (c->title_heading < 0) {
		tag = tag_heading(p, p->tag_base);
		front_block(p, c->title, FONT_BOLD, st->heading_size[0],
		    st->heading_size[0] * 1.25, ALIGN_LEFT);
		tag_close(p, tag);
	}
	p->page_empty = 1;	/* the heading takes its place below */
}

void
front_matter(struct pdf *p)
{
	const struct meta	*m = &p->bk->meta;
	const struct style	*st = p->st;
	struct buf		 b = { NULL, 0, 0 };
	size_t			 i;
	int			 sect;

	page_front(p, 0, PAGE_FRONT);
	sect = tag_open(p, "Sect");
	content_gray(p->cs, 0);
	p->y -= (st->page_height - st->margin_top - st->margin_bottom) * 0.25;
	/* the title's place, for what its characters may need said */
	if (m->title.s != NULL) {
		p->in.tpath = m->title.file;
		p->in.tline = m->title.line;
		p->in.tcol = m->title.col;
	}
	centered(p, p->bk->title, FONT_BOLD, st->heading_size[0] * 1.3,
	    st->heading_size[0] * 1.6);
	p->in.tpath = NULL;
	p->in.tline = p->in.tcol = 0;
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
	tag_close(p, sect);

	/* the colophon, on the back of the title page */
	page_front(p, 1, PAGE_FRONT);
	sect = tag_open(p, "Sect");
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
	tag_close(p, sect);
}

/* A paragraph of the changes page, its first words in bold. */
static void
changes_para(struct pdf *p, const char *bold, const char *text)
{
	struct line	*lines;
	size_t		 nl;
	int		 tag = tag_open(p, "P");

	inline_begin(&p->in, page_text_width(p), p->st->size, FONT_TEXT, 0);
	p->in.hyphenate = 0;
	p->in.path = p->bk->source;
	if (bold != NULL)
		inline_text(&p->in, bold, FONT_BOLD);
	inline_text(&p->in, text, FONT_TEXT);
	inline_end(&p->in);
	p->in.hyphenate = 1;
	if ((nl = line_break(p, &lines)) > 0)
		page_place_lines(p, lines, nl, ALIGN_LEFT, p->st->leading, NULL);
	free(lines);
	tag_close(p, tag);
}

/*
 * "Changes in this edition": front matter after the contents, numbered
 * in roman like them, one paragraph a changed section.
 */
void
front_changes(struct pdf *p)
{
	const struct changes	*c = p->bk->changes;
	const struct change	*ch;
	const struct style	*st = p->st;
	struct pdf_report	 saved = *p->rep;
	struct buf		 b = { NULL, 0, 0 }, label = { NULL, 0, 0 };
	HPDF_Destination	 d;
	size_t			 i;
	int			 sect, h;

	p->changes_entry = 0;
	page_front(p, 2 + p->toc.npages, PAGE_TOC);
	sect = tag_open(p, "Sect");
	tag_heading_reset(p, 0);
	p->changes_page = p->pageno;
	if ((p->changes_dest = d = HPDF_Page_CreateDestination(p->page)) !=
	    NULL) {
		pdf_outline(p, 1, CHANGES_TITLE, d);
		p->outline[1] = NULL;	/* chapters are not under it */
	}
	p->y -= st->chapter_drop;
	h = tag_heading(p, 1);
	pdf_text_at(p, FONT_BOLD, st->heading_size[0], p->left,
	    p->y - st->heading_size[0], CHANGES_TITLE);
	tag_close(p, h);
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
	tag_close(p, sect);
}
