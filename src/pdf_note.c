/*
 * Notes.  Footnotes go at the foot of the page that refers to them,
 * under a short rule, set smaller; the page builder leaves room for a
 * note when it places the line that refers to it, so a note never lands
 * on a page before its reference.  A note too long for the rest of
 * the page is split, as TeX splits insertions: what fits stays here (two
 * lines at least, the page's text ending soon after the reference), the
 * rest begins the foot of the next page.  With the style's
 * `placement = end`, notes are set instead at the end of their chapter.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "buf.h"
#include "pdf_int.h"

#define NOTE_SIZE	0.82	/* of the text's size */
#define NOTE_LEADING	0.8	/* of the text's leading */
#define NOTE_MIN	2	/* lines of a split note on its first page */

static double
note_size(const struct pdf *p)
{
	return p->st->size * NOTE_SIZE;
}

static double
note_leading(const struct pdf *p)
{
	return p->st->leading * NOTE_LEADING;
}

/* The space above the notes, with the rule in it. */
static double
separator(const struct pdf *p)
{
	return note_leading(p) * 0.8;
}

static int
number_of(const struct pdf *p, const struct note *no)
{
	return p->st->notes_book ? no->booknumber : no->number;
}

/* One block of a note set into lines, kept as a piece. */
static void
add_piece(struct pdf *p, struct pnote *pn, double leading, enum align align)
{
	struct npiece	*pc;
	struct line	*lines;
	size_t		 nl = line_break(p, &lines);

	pn->pieces = xreallocarray(pn->pieces, pn->npieces + 1,
	    sizeof(*pn->pieces));
	pc = &pn->pieces[pn->npieces++];
	memset(pc, 0, sizeof(*pc));
	pc->lines = lines;
	pc->nlines = nl;
	pc->leading = leading;
	pc->align = align;
	inline_save(&p->in, &pc->st);
	pn->nlines += nl;
}

/* The blocks of a note's definition, its number before the first. */
static void
set_blocks(struct pdf *p, struct pnote *pn, const struct note *no,
    cmark_node *parent, double width, double size, double leading)
{
	cmark_node	*n;
	const char	*lit, *e;
	char		 num[32];
	char		*plain;

	for (n = cmark_node_first_child(parent); n != NULL;
	    n = cmark_node_next(n)) {
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
			inline_begin(&p->in, width, size, FONT_TEXT, 0);
			p->in.ragged = !p->st->justify;
			if (pn->npieces == 0) {
				snprintf(num, sizeof(num), "%d. ",
				    number_of(p, no));
				inline_text(&p->in, num, FONT_TEXT);
			}
			inline_node(&p->in, n);
			inline_end(&p->in);
			add_piece(p, pn, leading, p->st->justify ?
			    ALIGN_JUSTIFY : ALIGN_LEFT);
			break;
		case CMARK_NODE_CODE_BLOCK:
			/* a line of code a line */
			lit = cmark_node_get_literal(n);
			for (; lit != NULL && *lit; lit = *e ? e + 1 : e) {
				e = lit + strcspn(lit, "\n");
				inline_begin(&p->in, width, size * 0.9,
				    FONT_MONO, size);
				inline_raw(&p->in, FONT_MONO, lit,
				    (size_t)(e - lit));
				inline_end(&p->in);
				add_piece(p, pn, leading, ALIGN_LEFT);
			}
			break;
		case CMARK_NODE_LIST:
		case CMARK_NODE_ITEM:
		case CMARK_NODE_BLOCK_QUOTE:
		case CMARK_NODE_CUSTOM_BLOCK:
			set_blocks(p, pn, no, n, width, size, leading);
			break;
		default:
			/* what else a note holds, as its text */
			plain = book_plain(n);
			if (*plain) {
				inline_begin(&p->in, width, size, FONT_TEXT, 0);
				inline_text(&p->in, plain, FONT_TEXT);
				inline_end(&p->in);
				add_piece(p, pn, leading, ALIGN_LEFT);
			}
			free(plain);
			break;
		}
	}
}

/*
 * Set a note, once, into lines of the text block's width.  The
 * paragraph being placed when it is needed is set aside meanwhile.
 */
static struct pnote *
set_note(struct pdf *p, size_t k, double size, double leading)
{
	const struct note	*no = &p->bk->notes[k];
	struct pnote		*pn = &p->notes[k];
	struct inl_store	 saved;
	struct pdf_report	 rep = *p->rep;
	const char		*path = p->in.path;

	if (pn->set)
		return pn;
	pn->set = 1;
	inline_save(&p->in, &saved);
	p->in.path = p->bk->sources[no->source].path;
	p->in.source = no->source;
	set_blocks(p, pn, no, no->def, p->right - p->left - 0.01, size,
	    leading);
	if (pn->npieces == 0) {
		/* an empty note still shows its number */
		inline_begin(&p->in, p->right - p->left, size, FONT_TEXT, 0);
		inline_text(&p->in, "\xe2\x80\x94", FONT_TEXT);
		inline_end(&p->in);
		add_piece(p, pn, leading, ALIGN_LEFT);
	}
	inline_restore(&p->in, &saved);
	p->in.path = path;
	*p->rep = rep;		/* the report counts the body's lines */
	return pn;
}

/* Notes a line refers to that are not yet on a page. */
static size_t
refs(struct pdf *p, const struct line *ln, size_t *out, size_t max)
{
	const struct item	*it = p->in.items;
	size_t			 i, n = 0, k;

	for (i = ln->start; i < ln->end && n < max; i++) {
		if (it[i].type != ITEM_BOX || it[i].note == 0)
			continue;
		k = (size_t)it[i].note - 1;
		if (p->notes[k].placed > 0)
			continue;
		out[n++] = k;
	}
	return n;
}

/* The fewest lines of a note that may stand at a page's foot. */
static size_t
note_min(const struct pnote *pn)
{
	return pn->nlines < NOTE_MIN ? pn->nlines : NOTE_MIN;
}

/*
 * The height a line's notes need at this page's foot, with room left
 * below the line: a note whole if it fits, else its first lines (*split
 * set).  fresh: nothing is at the foot yet, the rule comes first.
 */
double
note_need(struct pdf *p, const struct line *ln, double room, int fresh,
    int *split)
{
	size_t		 k[16], n, i;
	double		 need = 0, lead = note_leading(p), h;
	struct pnote	*pn;

	if (p->st->endnotes || (n = refs(p, ln, k, 16)) == 0)
		return 0;
	if (fresh)
		need += separator(p);
	for (i = 0; i < n; i++) {
		pn = set_note(p, k[i], note_size(p), lead);
		h = (double)pn->nlines * lead;
		if (need + h > room + 0.01 && pn->nlines > NOTE_MIN) {
			h = NOTE_MIN * lead;
			*split = 1;
		}
		need += h;
	}
	return need;
}

static void
foot_add(struct pdf *p, size_t note, size_t n)
{
	struct pnote	*pn = &p->notes[note];

	if (n == 0)
		return;
	if (p->nfoot == 0)
		p->foot_h += separator(p);
	p->foot = xreallocarray(p->foot, p->nfoot + 1, sizeof(*p->foot));
	p->foot[p->nfoot].note = note;
	p->foot[p->nfoot].from = pn->placed;
	p->foot[p->nfoot++].to = pn->placed + n;
	pn->placed += n;
	p->foot_h += (double)n * note_leading(p);
}

/*
 * The line just set refers to notes: they go at this page's foot, in
 * the room left above it but for keep (what is still to be set on the
 * page, its own notes' room with it).  A note too long for that room
 * takes all of it, its fewest lines at least, and goes on on the next
 * page; a later note of the line keeps its fewest lines' room.
 */
void
note_attach(struct pdf *p, const struct line *ln, double keep)
{
	size_t		 k[16], n, i, j, fit, rest;
	double		 lead = note_leading(p), room;
	struct pnote	*pn;

	if (p->st->endnotes || (n = refs(p, ln, k, 16)) == 0)
		return;
	room = p->y - page_bottom(p) - keep;
	for (i = 0; i < n; i++) {
		pn = set_note(p, k[i], note_size(p), lead);
		for (rest = 0, j = i + 1; j < n; j++)
			rest += note_min(set_note(p, k[j], note_size(p), lead));
		if (p->nfoot == 0)
			room -= separator(p);
		fit = room > (double)rest * lead ? (size_t)floor((room -
		    (double)rest * lead + 0.01) / lead) : 0;
		if (fit > pn->nlines)
			fit = pn->nlines;
		if (fit < note_min(pn))
			fit = note_min(pn);
		foot_add(p, k[i], fit);
		room -= (double)fit * lead;
	}
}

/* A note's line j (counted through its pieces): which piece, which line. */
static struct npiece *
note_line(struct pnote *pn, size_t j, size_t *l)
{
	size_t	 i;

	for (i = 0; i < pn->npieces; i++) {
		if (j < pn->pieces[i].nlines) {
			*l = j;
			return &pn->pieces[i];
		}
		j -= pn->pieces[i].nlines;
	}
	return NULL;
}

/* Draw lines of a set note, from the top at p->y. */
static void
draw_lines(struct pdf *p, size_t note, size_t from, size_t to, double x0,
    double width)
{
	struct pnote	*pn = &p->notes[note];
	struct npiece	*pc;
	struct inl_store saved;
	size_t		 j, l;
	int		 prev;

	inline_save(&p->in, &saved);
	for (j = from; j < to; j++) {
		if ((pc = note_line(pn, j, &l)) == NULL)
			break;
		if (j == 0) {
			pn->dest = HPDF_Page_CreateDestination(p->page);
			HPDF_Destination_SetFitH(pn->dest, (HPDF_REAL)p->y);
		}
		inline_restore(&p->in, &pc->st);
		if (pn->tag == 0)
			pn->tag = tag_add(p, 0, "Note");
		if (pc->tag == 0)
			pc->tag = tag_add(p, pn->tag, "P");
		prev = tag_enter(p, pc->tag);
		line_draw(p, &pc->lines[l], pc->align, pc->leading, x0, width);
		tag_enter(p, prev);
		inline_save(&p->in, &pc->st);
	}
	inline_restore(&p->in, &saved);
}

/*
 * The page is done: its notes are drawn at its foot, under a short
 * rule, their lines ending on the last line of the text block.
 */
void
note_foot(struct pdf *p)
{
	double	 y, w = p->right - p->left;
	char	*marker = p->marker;
	size_t	 i;
	int	 prev;

	if (p->nfoot == 0 || p->page == NULL)
		return;
	p->marker = NULL;
	y = p->st->margin_bottom + p->foot_h;
	prev = tag_enter(p, TAG_ARTIFACT);
	content_rule(p->cs, 0.4, p->left, y - separator(p) * 0.45,
	    p->left + w * 0.3, y - separator(p) * 0.45);
	tag_enter(p, prev);
	p->y = y - separator(p);
	for (i = 0; i < p->nfoot; i++)
		draw_lines(p, p->foot[i].note, p->foot[i].from,
		    p->foot[i].to, p->left, w);
	p->marker = marker;
	p->nfoot = 0;
	p->foot_h = 0;
}

/*
 * A new page: the notes split at the foot of the last go on at the foot
 * of this one, before anything else takes its room (two thirds of the
 * text block at most; what is left goes on again).
 */
void
note_carry(struct pdf *p)
{
	const struct style	*st = p->st;
	double			 lead = note_leading(p);
	double			 room = (st->page_height - st->margin_top -
	    st->margin_bottom) * 2 / 3 - separator(p);
	size_t			 i, left, fit;

	for (i = 0; i < p->bk->nnotes; i++) {
		struct pnote	*pn = &p->notes[i];

		if (!pn->set || pn->placed == 0 || pn->placed >= pn->nlines)
			continue;
		left = pn->nlines - pn->placed;
		fit = (size_t)floor((room + 0.01) / lead);
		if (fit < 1)
			fit = 1;
		foot_add(p, i, left < fit ? left : fit);
		room -= (double)(left < fit ? left : fit) * lead;
	}
}

/* A note reference in a drawn line: a link to its note, made at the end. */
void
note_ref_link(struct pdf *p, int note, HPDF_Rect r, int tag)
{
	struct pending	*pd;

	p->noterefs = xreallocarray(p->noterefs, p->nnoterefs + 1,
	    sizeof(*p->noterefs));
	pd = &p->noterefs[p->nnoterefs++];
	memset(pd, 0, sizeof(*pd));
	pd->page = p->page;
	pd->rect = r;
	pd->link = (size_t)note;
	pd->tag = tag;
	pd->seg = p->ngaps;
}

/* Each reference links to its note, now that every note is placed. */
void
note_links(struct pdf *p)
{
	HPDF_Annotation	 a;
	size_t		 i;

	for (i = 0; i < p->nnoterefs; i++) {
		if (p->notes[p->noterefs[i].link].dest == NULL)
			continue;
		a = HPDF_Page_CreateLinkAnnot(p->noterefs[i].page,
		    p->noterefs[i].rect, p->notes[p->noterefs[i].link].dest);
		if (a != NULL)
			HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
		tag_annot(p, p->noterefs[i].tag, a, "Go to the note");
	}
}

/* With placement = end: the chapter's notes, after its text. */
void
note_endnotes(struct pdf *p, size_t chapter)
{
	const struct style	*st = p->st;
	const struct note	*no;
	struct pnote		*pn;
	size_t			 i, j, n = 0, *order;
	double			 size = st->size * 0.9, lead = st->leading * 0.9;
	int			 h;

	if (!st->endnotes)
		return;
	order = xcalloc(p->bk->nnotes + 1, sizeof(*order));
	for (i = 0; i < p->bk->nnotes; i++) {
		no = &p->bk->notes[i];
		if (no->number > 0 && no->chapter == chapter)
			order[n++] = i;
	}
	/* in the order of their numbers */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && p->bk->notes[order[j]].number <
		    p->bk->notes[order[j - 1]].number; j--) {
			size_t	 t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	if (n > 0) {
		p->y -= st->heading_before;
		h = tag_heading(p, p->tag_base + 1);
		front_block(p, "Notes", FONT_BOLD, st->heading_size[1],
		    st->heading_size[1] * 1.25, ALIGN_LEFT);
		tag_close(p, h);
		p->y -= st->heading_after;
	}
	for (i = 0; i < n; i++) {
		pn = set_note(p, order[i], size, lead);
		pn->tag = tag_open(p, "Note");
		for (j = 0; j < pn->npieces; j++) {
			struct inl_store	 saved;
			struct npiece		*pc = &pn->pieces[j];

			pc->tag = tag_open(p, "P");
			inline_save(&p->in, &saved);
			inline_restore(&p->in, &pc->st);
			page_place_lines(p, pc->lines, pc->nlines, pc->align,
			    pc->leading, j == 0 ? &pn->dest : NULL);
			inline_save(&p->in, &pc->st);
			inline_restore(&p->in, &saved);
			tag_close(p, pc->tag);
		}
		tag_close(p, pn->tag);
		pn->placed = pn->nlines;
		p->y -= lead * 0.3;
	}
	free(order);
}

void
note_free(struct pdf *p)
{
	size_t	 i, j;

	for (i = 0; p->notes != NULL && i < p->bk->nnotes; i++) {
		for (j = 0; j < p->notes[i].npieces; j++) {
			inline_store_free(&p->notes[i].pieces[j].st);
			free(p->notes[i].pieces[j].lines);
		}
		free(p->notes[i].pieces);
	}
	free(p->notes);
	free(p->foot);
	free(p->noterefs);
}
