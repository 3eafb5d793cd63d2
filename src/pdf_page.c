/*
 * The page builder.  Lines and blocks are placed on the current page
 * from the top; what does not fit goes on a new one.  Chapters open on
 * a new page (a right-hand one in two-sided styles, with a blank verso
 * before it if need be) and parts on a page of their own; no page ends
 * with a widow or begins with an orphan, and no word is split across
 * pages.  Each page notes, for the e-book's page list, where its text
 * begins.
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

double
page_bottom(const struct pdf *p)
{
	/* the notes at the foot of the page take the room they need */
	return p->st->margin_bottom + p->foot_h;
}

/* How far the open containers (quotes, lists) indent the text. */
double
page_indent(const struct pdf *p, int right)
{
	if (p->depth == 0)
		return 0;
	return right ? p->stack[p->depth - 1].right :
	    p->stack[p->depth - 1].left;
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
void
page_mark(struct pdf *p, cmark_node *node, size_t off)
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

void
page_mark_blank(struct pdf *p)
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

/*
 * A place between blocks where the page's space may stretch, by cap at
 * most: what is drawn after it is a new segment of the page's content.
 */
void
page_gap(struct pdf *p, double natural, double cap)
{
	struct vgap	*g;

	if (p->page == NULL || p->cs == NULL || p->page_empty || cap <= 0)
		return;
	if (p->ngaps == p->capgaps) {
		p->capgaps = p->capgaps ? p->capgaps * 2 : 16;
		p->gaps = xreallocarray(p->gaps, p->capgaps, sizeof(*p->gaps));
	}
	g = &p->gaps[p->ngaps++];
	g->off = content_segment(p->cs);
	g->end = p->cs->ops.len;
	g->natural = natural;
	g->cap = cap;
}

static void
move_rect(HPDF_Rect *r, double dy)
{
	r->top -= (HPDF_REAL)dy;
	r->bottom -= (HPDF_REAL)dy;
}

/* A link annotation made already: its rectangle moved down by dy. */
static void
move_annot(HPDF_Annotation a, double dy)
{
	HPDF_Array	 rect = HPDF_Dict_GetItem(a, "Rect", HPDF_OCLASS_ARRAY);
	HPDF_Real	 v;
	HPDF_UINT	 i;

	for (i = 1; rect != NULL && i < 4; i += 2)
		if ((v = HPDF_Array_GetItem(rect, i, HPDF_OCLASS_REAL)) != NULL)
			v->value -= (HPDF_REAL)dy;
}

/* How far past their caps a page's gaps may stretch, at most. */
#define STRETCH_MAX	3

/*
 * The page is full: unless it may end short (before a chapter), the
 * space left at its foot is shared among its gaps, each in proportion
 * to how far it may stretch, so that its last line sits on the last
 * baseline (TeX's flush bottom).  A page whose gaps cannot take it all
 * is left as it is.  Links on the page move with their text.
 */
static void
flush_bottom(struct pdf *p)
{
	double	 slack = p->y - page_bottom(p), total = 0, *at;
	size_t	 i;

	/* a gap with nothing after it was for what went to the next page */
	while (p->ngaps > 0 && p->gaps[p->ngaps - 1].end == p->cs->ops.len) {
		slack += p->gaps[p->ngaps - 1].natural;
		p->ngaps--;
	}
	content_segment_end(p->cs);
	for (i = 0; i < p->ngaps; i++)
		total += p->gaps[i].cap;
	if (!p->short_ok && p->ngaps > 0 && slack > 0.5 &&
	    slack <= total * STRETCH_MAX + 0.01) {
		at = xcalloc(p->ngaps + 1, sizeof(*at));
		for (i = 0; i < p->ngaps; i++) {
			at[i + 1] = at[i] + slack * p->gaps[i].cap / total;
			content_patch(p->cs, p->gaps[i].off, -at[i + 1]);
		}
		for (i = 0; i < p->npend; i++)
			if (p->pend[i].page == p->page)
				move_rect(&p->pend[i].rect, at[p->pend[i].seg]);
		for (i = 0; i < p->nnoterefs; i++)
			if (p->noterefs[i].page == p->page)
				move_rect(&p->noterefs[i].rect,
				    at[p->noterefs[i].seg]);
		for (i = 0; i < p->npannots; i++)
			move_annot(p->pannots[i].a, at[p->pannots[i].seg]);
		p->y -= slack;
		free(at);
	}
	p->ngaps = 0;
	p->npannots = 0;
}

void
page_new(struct pdf *p)
{
	const struct style	*st = p->st;
	int			 recto;

	if (p->page != NULL) {
		flush_bottom(p);
		note_foot(p);
		page_mark_blank(p);
	}
	p->short_ok = 0;
	/* the page is set: only its compressed content is kept */
	if (p->cs != NULL && content_flush(p->zip, p->cs) == -1 &&
	    p->hpdf_error == 0)
		p->hpdf_error = HPDF_FAILD_TO_ALLOC_MEM;
	p->marked = 0;
	if ((p->page = HPDF_AddPage(p->doc)) == NULL) {
		const char	*path = p->path != NULL ? p->path :
		    p->bk->source;
		int		 line = 0, col = 0;

		/* nothing is written yet: outputs are committed at the end */
		if (p->anchor != NULL)
			book_where(p->bk, p->in.source, p->anchor, &path, &line,
			    &col);
		diag_error(path, line, col, "the PDF library cannot add page "
		    "%d: the book is longer than it can write (%d pages at "
		    "most)", p->pageno + 1, HPDF_LIMIT_MAX_ARRAY);
		exit(1);
	}
	p->cs = content_new(p->page);
	p->cs->tags = p->tags;
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
	if (p->npages == p->cappages) {
		p->cappages = p->cappages ? p->cappages * 2 : 64;
		p->pages = xreallocarray(p->pages, p->cappages,
		    sizeof(*p->pages));
	}
	p->pages[p->npages].page = p->page;
	p->pages[p->npages].cs = p->cs;
	p->pages[p->npages].kind = p->kind;
	p->pages[p->npages].chapter = p->chapter;
	p->npages++;
	note_carry(p);
	if (p->deferred != NULL)
		block_float(p);
}

/* A page of front matter: index 0 title, 1 colophon, 2... contents. */
void
page_front(struct pdf *p, int index, enum page_kind kind)
{
	p->kind = kind;
	p->short_ok = 1;
	page_new(p);
	p->front = index;
	page_mark(p, NULL, 0);
	p->page_empty = 0;	/* reserved: not a blank page */
}

/* Start a chapter on a fresh page, a right-hand one in two-sided styles. */
void
page_chapter(struct pdf *p)
{
	if (p->page != NULL && p->page_empty)
		p->pages[p->npages - 1].kind = PAGE_BLANK;
	if (p->page == NULL || !p->page_empty) {
		p->kind = PAGE_BLANK;
		p->short_ok = 1;	/* a chapter's last page */
		page_new(p);
	}
	if (p->st->two_sided && p->pageno % 2 == 0) {
		p->short_ok = 1;
		page_new(p);
	}
	p->pages[p->npages - 1].kind = PAGE_OPENING;
	p->kind = PAGE_BODY;
	p->y -= p->st->chapter_drop;
}

/*
 * A part's title page: a right-hand page (in two-sided styles) with the
 * part's title, and nothing else; its own text, if any, and its first
 * chapter follow.
 */
void
page_part(struct pdf *p, const char *title, cmark_node *heading)
{
	const struct style	*st = p->st;
	int			 tag;

	page_chapter(p);
	/* the e-book's marker: at the part's heading, else (a part that
	 * is a title only) where the next chapter's document begins */
	page_mark(p, heading, 0);
	p->pages[p->npages - 1].kind = PAGE_PART;
	p->y = st->page_height - st->margin_top - (st->page_height -
	    st->margin_top - st->margin_bottom) * 0.3;
	tag = tag_heading(p, 1);
	front_block(p, title, FONT_BOLD, st->heading_size[0] * 1.3,
	    st->heading_size[0] * 1.6, ALIGN_CENTER);
	tag_close(p, tag);
	p->page_empty = 0;
	p->kind = PAGE_BLANK;
	p->short_ok = 1;
	page_new(p);
	p->kind = PAGE_BODY;
	p->page_empty = 1;
}

int
page_lines_fit(const struct pdf *p, double leading)
{
	return (int)floor((p->y - page_bottom(p) + 0.01) / leading);
}

/* Space between blocks, which may stretch as far again (page_gap). */
void
page_space(struct pdf *p, double h)
{
	if (p->page_empty)
		return;
	p->y -= h;
	page_gap(p, h, h);
}

/*
 * How many of the left lines of a block go on this page: all that fit,
 * but at least MIN_LINES at the foot of a page and at the head of the
 * next (unless the block is shorter), and no page ends on a hyphen (when
 * lines are given).  0: start a new page first.  An empty page takes what
 * fits, one line at least, so that nothing loops.
 */
size_t
page_lines_here(struct pdf *p, const struct line *lines, size_t left,
    double leading)
{
	int	 avail = page_lines_fit(p, leading);
	size_t	 take = avail > 0 ? (size_t)avail : 0;

	if (take >= left)
		return left;
	if (left - take < MIN_LINES && left > MIN_LINES) {
		take = left - MIN_LINES;
		p->rep->widows++;
	}
	/* a word is not split across pages: a hyphen ends no page */
	while (lines != NULL && take > 0 && lines[take - 1].hyphen)
		take--;
	if (take >= MIN_LINES)
		return take;
	if (p->page_empty)
		return take > 0 ? take : 1;
	if (take > 0 || avail > 0)
		p->rep->widows++;
	return 0;
}

/*
 * Of the lines lines_here allows, those whose notes also fit at the
 * page's foot (widows and orphans still avoided); need[k] is the room
 * line k's notes take there.  A note too long for the room left is
 * split, as TeX splits an insertion: it takes the rest of the page, so
 * that the page ends after its reference's line, or as soon after as a
 * widow, an orphan or a hyphen allows.
 */
static size_t
with_notes(struct pdf *p, const struct line *lines, size_t left, size_t take,
    double leading, double *need)
{
	double	 extra = 0, after;
	size_t	 k, cut = 0;
	int	 split;

	for (k = 0; k < take; k++) {
		after = p->y - (double)(k + 1) * leading;
		split = 0;
		need[k] = note_need(p, &lines[k], after - page_bottom(p) - extra,
		    p->nfoot == 0 && extra == 0, &split);
		if (after - need[k] - extra < page_bottom(p) - 0.01)
			break;
		extra += need[k];
		if (split && cut == 0)
			cut = k + 1;
	}
	if (k < take) {
		if (left - k < MIN_LINES && left > MIN_LINES)
			k = left > MIN_LINES + k ? k : left - MIN_LINES;
		while (k > 0 && lines[k - 1].hyphen)
			k--;
		if (k < MIN_LINES && k < left && !p->page_empty)
			return 0;
		if (k == 0)
			return 1;	/* an empty page takes a line */
	}
	/* k ends the page well: the cut moves up to the first such end */
	if (cut > 0 && cut < k) {
		if (cut < MIN_LINES)
			cut = MIN_LINES;
		while (cut < k && (lines[cut - 1].hyphen ||
		    left - cut < MIN_LINES))
			cut++;
		k = cut;
	}
	return k;
}

/* Set the lines of a block on pages, as lines_here allows. */
void
page_place_lines(struct pdf *p, struct line *lines, size_t n, enum align align,
    double leading, HPDF_Destination *dest)
{
	double	 x0, width, keep, *need = xcalloc(n + 1, sizeof(*need));
	size_t	 i = 0, j, take;

	while (i < n) {
		x0 = p->left + indent_left(p);
		width = p->right - indent_right(p) - x0;
		if ((take = page_lines_here(p, lines + i, n - i, leading)) > 0)
			take = with_notes(p, lines + i, n - i, take, leading,
			    need);
		if (take == 0) {
			page_new(p);
			continue;
		}
		if (dest != NULL && i == 0) {
			*dest = HPDF_Page_CreateDestination(p->page);
			HPDF_Destination_SetFitH(*dest, (HPDF_REAL)p->y);
		}
		/* a line's notes leave room for the lines after it */
		for (keep = 0, j = 0; j < take; j++)
			keep += leading + need[j];
		for (j = 0; j < take; j++, i++) {
			keep -= leading + need[j];
			line_draw(p, &lines[i], align, leading, x0, width);
			note_attach(p, &lines[i], keep > 0 ? keep : 0);
		}
		if (i < n)
			page_new(p);
	}
	free(need);
}

double
page_text_width(const struct pdf *p)
{
	return p->right - indent_right(p) - p->left - indent_left(p);
}
