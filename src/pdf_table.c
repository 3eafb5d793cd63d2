/*
 * Tables.  Column widths come from the cells: each column's natural
 * width (its widest cell on one line), its longest word (breaking only
 * between words) and its widest piece (breaking at hyphenation points
 * too, the hyphen counted).  A table that fits at natural widths is set
 * so; else the widest columns give way first, down to their longest
 * words; a table wider than the text block even then is set smaller,
 * down to a floor (0.8 of the text's size), and past that its words are
 * hyphenated, and past that broken anywhere — with one warning at the
 * table, never over a neighbouring cell or off the text block.  Cells
 * are broken into lines by the paragraph breaker and aligned as the
 * delimiter row says.  Rules above, below the header and below the
 * table; the header row is set again at the top of each page the table
 * goes on to, and a row is split across pages only when it is taller
 * than a page.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "diag.h"
#include "markdown.h"
#include "pdf_int.h"

#define PAD		4.0	/* points, on each side of a cell */
#define SLACK		0.01	/* points: a column as wide as its widest
				   word holds it, rounding aside */
#define MIN_SCALE	0.8	/* the smallest a table's text is set, of the
				   text's: about the size of code */
#define TABLE_SIZE	0.92	/* of the text's size */
#define SIZE_STEP	0.95	/* a table too wide is tried this much smaller */

struct cell {
	cmark_node	*node;
	struct inl_store st;
	struct line	*lines;
	size_t		 nlines;
	double		 natural, word, piece;
	int		 tag;		/* its TH or TD */
};

struct table {
	cmark_node	*node;
	size_t		 nrows, ncols;
	struct cell	*c;		/* nrows × ncols */
	double		*w;		/* column widths, padding included */
	enum align	*align;
	double		 size, leading;
	int		 header;	/* the first row is a header */
	int		 tag;		/* its Table */
	int		*rowtag;	/* each row's TR */
};

/*
 * The widths of the items an inliner holds: natural (each line unbroken),
 * the longest word (between spaces and the breaks that add no hyphen) and
 * the widest piece (between any breaks, a piece ending at a hyphenation
 * point with its hyphen).
 */
static void
measure(const struct inliner *in, double *natural, double *word,
    double *piece)
{
	const struct item	*it = in->items;
	double			 run = 0, part = 0, line = 0;
	size_t			 i;

	*natural = *word = *piece = 0;
	for (i = 0; i < in->nitems; i++) {
		if (it[i].type == ITEM_BOX) {
			run += it[i].width;
			part += it[i].width;
			line += it[i].width;
			continue;
		}
		if (it[i].type == ITEM_GLUE && it[i].stretch < 1e5)
			line += it[i].width;
		if (it[i].type == ITEM_GLUE || (it[i].type == ITEM_PENALTY &&
		    it[i].penalty < LB_INF)) {
			/* a place to break: the piece ends here */
			if (it[i].type == ITEM_PENALTY && it[i].flagged)
				part += it[i].width;
			*piece = fmax(*piece, part);
			part = 0;
			/* and the word, unless a hyphen would show */
			if (it[i].type == ITEM_PENALTY && it[i].flagged)
				continue;
			*word = fmax(*word, run);
			run = 0;
		}
		if (it[i].type == ITEM_PENALTY && it[i].penalty <= -LB_INF) {
			*natural = fmax(*natural, line);
			line = 0;
		}
	}
	*piece = fmax(*piece, part);
	*word = fmax(*word, run);
	*natural = fmax(*natural, line);
}

/* Set a cell's text at a width; its lines when breaking, else measures. */
static void
set_cell(struct pdf *p, struct table *t, struct cell *c, double width,
    int bold, int lines)
{
	inline_begin(&p->in, width, t->size, bold ? FONT_BOLD : FONT_TEXT, 0);
	inline_node(&p->in, c->node);
	inline_end(&p->in);
	if (!lines) {
		measure(&p->in, &c->natural, &c->word, &c->piece);
		return;
	}
	c->nlines = line_break(p, &c->lines);
	inline_save(&p->in, &c->st);
}

static int
is_header(const struct table *t, size_t r)
{
	return r == 0 && t->header;
}

/* Measure every cell at the table's size; the columns' needs. */
static void
measure_all(struct pdf *p, struct table *t, double *nat, double *word,
    double *piece)
{
	struct inl_store	 saved;
	size_t			 r, k;
	struct cell		*c;

	inline_save(&p->in, &saved);
	for (k = 0; k < t->ncols; k++)
		nat[k] = word[k] = piece[k] = 2 * PAD;
	for (r = 0; r < t->nrows; r++)
		for (k = 0; k < t->ncols; k++) {
			c = &t->c[r * t->ncols + k];
			if (c->node == NULL)
				continue;
			set_cell(p, t, c, 1e6, is_header(t, r), 0);
			nat[k] = fmax(nat[k], c->natural + 2 * PAD);
			word[k] = fmax(word[k], c->word + 2 * PAD);
			piece[k] = fmax(piece[k], c->piece + 2 * PAD);
		}
	inline_restore(&p->in, &saved);
}

/*
 * Widths that sum to at most width: each column's most where they fit;
 * else every column above a cap is brought down to it (the widest give
 * way first), never below its least.  -1 if the leasts alone are too
 * wide.
 */
static int
fit_columns(struct table *t, const double *most, const double *least,
    double width)
{
	double	 sum = 0, lo = 0, hi = 0, cap, s;
	size_t	 k;
	int	 i;

	for (k = 0; k < t->ncols; k++) {
		sum += most[k];
		hi = fmax(hi, most[k]);
	}
	if (sum <= width) {
		for (k = 0; k < t->ncols; k++)
			t->w[k] = most[k];
		return 0;
	}
	for (sum = 0, k = 0; k < t->ncols; k++)
		sum += least[k];
	if (sum > width)
		return -1;
	for (i = 0; i < 50; i++) {
		cap = (lo + hi) / 2;
		for (s = 0, k = 0; k < t->ncols; k++)
			s += fmax(least[k], fmin(most[k], cap));
		if (s > width)
			hi = cap;
		else
			lo = cap;
	}
	for (k = 0; k < t->ncols; k++)
		t->w[k] = fmax(least[k], fmin(most[k], lo));
	return 0;
}

/*
 * The table's size and its columns' widths in the text block.  Words are
 * kept whole, the text set smaller for it down to a floor; past that the
 * words hyphenate (their columns narrowed to their widest pieces, the
 * longest words first), and past that they break anywhere.  0 when the
 * words are whole, else -1 and a warning at the table.
 */
static int
size_columns(struct pdf *p, struct table *t, double width)
{
	double		*nat, *word, *piece, floor_ = p->st->size * MIN_SCALE;
	const char	*path, *how;
	size_t		 k;
	int		 line, col, rc = -1;

	nat = xcalloc(t->ncols, sizeof(*nat));
	word = xcalloc(t->ncols, sizeof(*word));
	piece = xcalloc(t->ncols, sizeof(*piece));
	for (t->size = p->st->size * TABLE_SIZE;; t->size = fmax(floor_,
	    t->size * SIZE_STEP)) {
		t->leading = p->st->leading * t->size / p->st->size;
		measure_all(p, t, nat, word, piece);
		if (fit_columns(t, nat, word, width) == 0) {
			rc = 0;
			goto out;
		}
		if (t->size <= floor_)
			break;
	}
	how = "hyphenated";
	if (fit_columns(t, word, piece, width) == -1) {
		/* even the pieces are too wide: a letter or two a line */
		how = "broken inside words";
		for (k = 0; k < t->ncols; k++)
			nat[k] = fmin(piece[k], 2 * PAD + t->size);
		if (fit_columns(t, piece, nat, width) == -1)
			for (k = 0; k < t->ncols; k++)
				t->w[k] = width / (double)t->ncols;
	}
	book_where(p->bk, p->in.source, t->node, &path, &line, &col);
	diag_warning(path, line, col, "table too wide for the text block "
	    "even with its text at %.1f pt; words in its cells are %s", t->size,
	    how);
out:
	free(nat);
	free(word);
	free(piece);
	return rc;
}

static size_t
row_lines(const struct table *t, size_t r)
{
	size_t	 k, n = 1;

	for (k = 0; k < t->ncols; k++)
		if (t->c[r * t->ncols + k].nlines > n)
			n = t->c[r * t->ncols + k].nlines;
	return n;
}

static double
row_height(const struct table *t, size_t r)
{
	return (double)row_lines(t, r) * t->leading + PAD;
}

/*
 * A row's structure: a TR of TH or TD cells, the header's cells naming
 * the column they head.  Cells are kept even when empty, so that every
 * row has as many as the table has columns.
 */
static int
row_tag(struct pdf *p, struct table *t, size_t r)
{
	struct cell	*c;
	size_t		 k;

	if (t->rowtag[r] != 0 || p->tags == NULL)
		return t->rowtag[r];
	t->rowtag[r] = tag_add(p, t->tag, "TR");
	for (k = 0; k < t->ncols; k++) {
		c = &t->c[r * t->ncols + k];
		c->tag = tag_add(p, t->rowtag[r], is_header(t, r) ? "TH" :
		    "TD");
		if (is_header(t, r))
			tag_scope(p, c->tag, "Column");
		tag_keep(p, c->tag);
	}
	return t->rowtag[r];
}

/*
 * Draw a row's cells from line `from` of each, as many lines as asked;
 * the header again at the top of a page is an artifact of the page.
 */
static void
draw_row(struct pdf *p, struct table *t, size_t r, size_t from, size_t nl,
    double x0, int again)
{
	struct inl_store	 saved;
	struct cell		*c;
	double			 x = x0, top = p->y;
	size_t			 k, l;
	int			 prev = tag_enter(p, TAG_ARTIFACT);

	if (!again)
		row_tag(p, t, r);
	inline_save(&p->in, &saved);
	for (k = 0; k < t->ncols; k++) {
		c = &t->c[r * t->ncols + k];
		p->y = top - PAD / 2;
		if (!again)
			tag_enter(p, c->tag);
		if (c->node != NULL) {
			inline_restore(&p->in, &c->st);
			for (l = from; l < from + nl && l < c->nlines; l++) {
				line_draw(p, &c->lines[l], t->align[k],
				    t->leading, x + PAD, t->w[k] - 2 * PAD);
				/* the row's foot stays clear of the notes */
				note_attach(p, &c->lines[l], p->y - (top -
				    (double)nl * t->leading - PAD));
			}
			inline_save(&p->in, &c->st);
		}
		x += t->w[k];
	}
	inline_restore(&p->in, &saved);
	tag_enter(p, prev);
	p->y = top - (double)nl * t->leading - PAD;
	p->page_empty = 0;
}

static void
rule(struct pdf *p, double x0, double w, double width)
{
	int	 prev = tag_enter(p, TAG_ARTIFACT);

	content_rule(p->cs, width, x0, p->y, x0 + w, p->y);
	tag_enter(p, prev);
}

/* Lay the rows out on pages, the header again on each new one. */
static void
place(struct pdf *p, struct table *t)
{
	double	 x0 = p->left + indent_left(p), w = 0, h, room, head = 0;
	size_t	 r, k, done, fit, most;

	for (k = 0; k < t->ncols; k++)
		w += t->w[k];
	if (t->header)
		head = row_height(t, 0);
	/* the first body row comes with the header */
	h = head + (t->nrows > (size_t)t->header ? row_height(t,
	    (size_t)t->header) : 0);
	if (!p->page_empty && p->y - h < page_bottom(p))
		page_new(p);
	x0 = p->left + indent_left(p);
	page_mark(p, t->node, 0);
	rule(p, x0, w, 0.6);
	for (r = 0; r < t->nrows; r++) {
		h = row_height(t, r);
		if (r > 0 && p->y - h < page_bottom(p) - 0.01 &&
		    h <= p->st->page_height - p->st->margin_top -
		    p->st->margin_bottom - head) {
			rule(p, x0, w, 0.6);
			page_new(p);
			x0 = p->left + indent_left(p);
			rule(p, x0, w, 0.6);
			if (t->header && r > 0) {
				/* the page begins, for the e-book's page
				 * list, with the row after it */
				p->marked = 1;
				draw_row(p, t, 0, 0, row_lines(t, 0), x0, 1);
				p->marked = 0;
				rule(p, x0, w, 0.4);
			}
		}
		/* a row taller than a page goes on over pages */
		most = row_lines(t, r);
		for (done = 0; done < most; done += fit) {
			room = p->y - page_bottom(p) - PAD;
			fit = room > 0 ? (size_t)floor(room / t->leading) : 0;
			if (fit == 0 && !p->page_empty) {
				page_new(p);
				x0 = p->left + indent_left(p);
				continue;
			}
			if (fit == 0)
				fit = 1;
			if (fit > most - done)
				fit = most - done;
			draw_row(p, t, r, done, fit, x0, 0);
			if (done + fit < most)
				page_new(p);
		}
		if (is_header(t, r))
			rule(p, x0, w, 0.4);
	}
	rule(p, x0, w, 0.6);
}

/* The table's rows and cells, its columns' alignments. */
static void
collect(struct table *t, cmark_node *table)
{
	cmark_node	*row, *cell;
	size_t		 r = 0, k;
	char		 a;

	t->ncols = (size_t)markdown_table_columns(table);
	for (row = cmark_node_first_child(table); row != NULL;
	    row = cmark_node_next(row))
		t->nrows++;
	if (t->ncols == 0)
		t->ncols = 1;
	t->c = xcalloc(t->nrows * t->ncols + 1, sizeof(*t->c));
	t->w = xcalloc(t->ncols, sizeof(*t->w));
	t->align = xcalloc(t->ncols, sizeof(*t->align));
	for (k = 0; k < t->ncols; k++) {
		a = markdown_table_align(table, (int)k);
		t->align[k] = a == 'c' ? ALIGN_CENTER : a == 'r' ?
		    ALIGN_RIGHT : ALIGN_LEFT;
	}
	for (row = cmark_node_first_child(table); row != NULL;
	    row = cmark_node_next(row), r++) {
		if (r == 0)
			t->header = markdown_table_header(row);
		for (k = 0, cell = cmark_node_first_child(row);
		    cell != NULL && k < t->ncols;
		    cell = cmark_node_next(cell), k++)
			t->c[r * t->ncols + k].node = cell;
	}
}

static void
table_free(struct table *t)
{
	size_t	 i;

	for (i = 0; i < t->nrows * t->ncols; i++) {
		inline_store_free(&t->c[i].st);
		free(t->c[i].lines);
	}
	free(t->c);
	free(t->w);
	free(t->align);
}

void
table_set(struct pdf *p, cmark_node *node)
{
	struct table		 t;
	struct inl_store	 saved;
	struct pdf_report	 rep;
	size_t			 r, k;
	int			 whole;

	memset(&t, 0, sizeof(t));
	t.node = node;
	collect(&t, node);
	whole = size_columns(p, &t, page_text_width(p)) == 0;
	/*
	 * Set each cell at its column's width; a word broken by force was
	 * reported with the table.  The cells' lines are not the text's
	 * (not counted), but a break forced or an overfull line is.
	 */
	rep = *p->rep;
	p->in.quiet = !whole;
	inline_save(&p->in, &saved);
	for (r = 0; r < t.nrows; r++)
		for (k = 0; k < t.ncols; k++)
			if (t.c[r * t.ncols + k].node != NULL)
				set_cell(p, &t, &t.c[r * t.ncols + k],
				    fmax(t.w[k] - 2 * PAD, t.size) + SLACK,
				    is_header(&t, r), 1);
	inline_restore(&p->in, &saved);
	p->in.quiet = 0;
	rep.emergency = p->rep->emergency;
	rep.overfull = p->rep->overfull;
	*p->rep = rep;
	page_space(p, p->st->leading * 0.4);
	t.tag = tag_open(p, "Table");
	t.rowtag = xcalloc(t.nrows ? t.nrows : 1, sizeof(*t.rowtag));
	place(p, &t);
	tag_close(p, t.tag);
	free(t.rowtag);
	page_space(p, p->st->leading * 0.4);
	table_free(&t);
}
