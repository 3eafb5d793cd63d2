/*
 * Code blocks and listings in print.  Each line of code is set in the
 * monospace face at the style's code size on a tinted ground; tokens
 * take the highlighting the book computed (src/highlight.cc): in the
 * default black-and-white theme keywords bold and comments slanted and
 * grey, in the colour theme coloured too.  A line too long for the
 * measure breaks only between tokens (after a comma, a bracket, an
 * operator, a space), never inside a name, and goes on under a hanging
 * indent after a continuation mark.  A listing has its file name above
 * and its caption below, kept with it on one page when it fits; lines
 * are numbered in the margin when asked.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "highlight.h"
#include "pdf_int.h"
#include "utf8.h"

#define TAB		4	/* columns */

/* How a token class is drawn, in the black-and-white theme and in colour. */
static const struct look {
	int	 deco;
	double	 gray;
	double	 rgb[3];
} looks[HL__MAX] = {
	[HL_PLAIN] = { 0, 0, { 0, 0, 0 } },
	[HL_KEYWORD] = { DECO_BOLD, 0, { 0.0, 0.25, 0.55 } },
	[HL_TYPE] = { DECO_BOLD, 0, { 0.0, 0.4, 0.42 } },
	[HL_STRING] = { 0, 0.25, { 0.1, 0.42, 0.1 } },
	[HL_CHAR] = { 0, 0.25, { 0.1, 0.42, 0.1 } },
	[HL_NUMBER] = { 0, 0, { 0.5, 0.1, 0.45 } },
	[HL_COMMENT] = { DECO_SLANT, 0.45, { 0.42, 0.42, 0.42 } },
	[HL_PREPROC] = { DECO_BOLD, 0, { 0.5, 0.3, 0.0 } },
	[HL_FUNCTION] = { 0, 0, { 0.4, 0.2, 0.0 } },
	[HL_VARIABLE] = { 0, 0, { 0, 0, 0 } },
	[HL_SYMBOL] = { 0, 0, { 0, 0, 0 } },
	[HL_ATTRIBUTE] = { 0, 0.3, { 0.5, 0.3, 0.0 } },
	[HL_INSERTED] = { DECO_BOLD, 0, { 0.0, 0.45, 0.0 } },
	[HL_DELETED] = { 0, 0.45, { 0.6, 0.0, 0.0 } },
	[HL_PROMPT] = { 0, 0.5, { 0.5, 0.5, 0.5 } },
};

/* A colour of the theme (1 + the class), or 0 for black. */
void
code_color(struct pdf *p, int color)
{
	const struct look	*l;

	if (color <= 0 || color > HL__MAX) {
		content_color(p->cs, 0, 0, 0);
		return;
	}
	l = &looks[color - 1];
	if (p->st->code_color)
		content_color(p->cs, l->rgb[0], l->rgb[1], l->rgb[2]);
	else
		content_color(p->cs, l->gray, l->gray, l->gray);
}

static int
colored(const struct pdf *p, enum hl_class c)
{
	const struct look	*l = &looks[c];

	return p->st->code_color ? l->rgb[0] + l->rgb[1] + l->rgb[2] > 0 :
	    l->gray > 0;
}

/* One display line of code: items, and whether it goes on a line. */
struct cline {
	struct line	 ln;
	int		 cont;		/* goes on from the line before */
	size_t		 srcline;	/* 1, 2, ... of the block */
	size_t		 off;		/* the source line's offset */
	double		 hang;		/* its indent, when it goes on */
};

struct codelines {
	struct cline	*l;
	size_t		 n, cap;
};

static void
add_line(struct codelines *c, size_t start, size_t end, int cont, size_t srcline,
    size_t off, double hang)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->l = xreallocarray(c->l, c->cap, sizeof(*c->l));
	}
	memset(&c->l[c->n], 0, sizeof(c->l[c->n]));
	c->l[c->n].ln.start = start;
	c->l[c->n].ln.end = end;
	c->l[c->n].cont = cont;
	c->l[c->n].srcline = srcline;
	c->l[c->n].off = off;
	c->l[c->n++].hang = hang;
}

/*
 * Break one source line's items [from, to) into display lines: as much
 * as fits, broken at the last space or token boundary (an emergency
 * break inside a name only when a name alone is wider than the line).
 */
static void
break_line(struct pdf *p, struct codelines *c, size_t from, size_t to,
    double width, double hang, size_t srcline, size_t off)
{
	const struct item	*it = p->in.items;
	size_t			 i, start = from, brk, emerg;
	double			 x = 0, w;
	int			 cont = 0;

	while (start < to) {
		brk = emerg = 0;
		x = 0;
		w = cont ? width - hang : width;
		for (i = start; i < to; i++) {
			if (it[i].type == ITEM_BOX) {
				if (x + it[i].width > w + 0.01 &&
				    (brk > start || emerg > start))
					break;
				x += it[i].width;
			} else if (it[i].type == ITEM_GLUE) {
				if (i > start && it[i - 1].type == ITEM_BOX)
					brk = i;
				x += it[i].width;
			} else if (it[i].penalty < LB_EMERGENCY &&
			    it[i].penalty != CODE_NAME_PENALTY)
				brk = i;
			else if (it[i].penalty < LB_INF)
				emerg = i;
		}
		if (i == to) {
			add_line(c, start, to, cont, srcline, off, hang);
			break;
		}
		brk = brk > start ? brk : emerg;
		add_line(c, start, brk, cont, srcline, off, hang);
		/* the break's space is dropped */
		for (start = brk; start < to && it[start].type != ITEM_BOX;
		    start++)
			continue;
		cont = 1;
	}
	if (from == to)
		add_line(c, from, to, 0, srcline, off, hang);
}

/* The width of a line's leading spaces, to hang what goes on under. */
static double
indent_of(const char *s, size_t n, double cw)
{
	size_t	 i, col = 0;

	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		col = s[i] == '\t' ? (col / TAB + 1) * TAB : col + 1;
	return (double)(col + 2) * cw;
}

/* Set a line of code into items, a run of items per token class. */
static void
set_line(struct pdf *p, const struct code *cd, const struct hl_span *sp,
    size_t nsp, size_t *k, cmark_node *n, const char *lit, size_t a,
    size_t e, struct buf *tmp)
{
	const char	*t;
	size_t		 x, col, i, len;
	uint32_t	 ch;
	int		 cls;

	(void)cd;
	/* tabs to spaces, columns kept: then the text is not the node's */
	if (memchr(lit + a, '\t', e - a) != NULL) {
		buf_reset(tmp);
		for (col = 0, i = a; i < e; i += len) {
			len = utf8_decode(lit + i, e - i, &ch);
			if (ch == '\t') {
				do
					buf_putc(tmp, ' ');
				while (++col % TAB);
			} else {
				buf_put(tmp, lit + i, len);
				col++;
			}
		}
		inline_code(&p->in, tmp->data, tmp->len, 0, 0, NULL, NULL);
		return;
	}
	for (x = a; x < e;) {
		while (*k < nsp && sp[*k].off + sp[*k].len <= x)
			(*k)++;
		if (*k < nsp && sp[*k].off <= x) {
			t = lit + x;
			len = sp[*k].off + sp[*k].len - x;
			if (x + len > e)
				len = e - x;
			cls = (int)sp[*k].cls;
			inline_code(&p->in, t, len, looks[cls].deco,
			    colored(p, (enum hl_class)cls) ? cls + 1 : 0, n,
			    lit);
		} else {
			len = (*k < nsp && sp[*k].off < e ? sp[*k].off : e) - x;
			inline_code(&p->in, lit + x, len, 0, 0, n, lit);
		}
		x += len;
	}
}

/* The listing's file name, above it, in the code face. */
static void
file_name(struct pdf *p, const struct listing *l)
{
	double	 size = p->st->code_size;
	int	 tag = tag_open(p, "Caption");

	p->y -= size * 0.3;
	content_gray(p->cs, 0);
	content_show(p->cs, &p->fonts, FONT_MONO, size, p->left +
	    indent_left(p), p->y - size, l->file, strlen(l->file), GLYPH_BOLD);
	content_end_text(p->cs);
	tag_close(p, tag);
	p->y -= size * 1.4;
	p->page_empty = 0;
}

/* The caption below: "Listing 4-1: ...", its Markdown set. */
static void
caption(struct pdf *p, const struct listing *l)
{
	const struct style	*st = p->st;
	struct line		*lines;
	size_t			 nl;
	double			 size = st->size * 0.9;
	int			 tag = tag_open(p, "Caption");

	inline_begin(&p->in, page_text_width(p), size, FONT_TEXT, 0);
	p->in.hyphenate = 0;
	if (l->label != NULL) {
		inline_text(&p->in, l->label, FONT_BOLD);
		if (l->caption != NULL)
			inline_text(&p->in, ": ", FONT_BOLD);
	}
	if (l->caption != NULL)
		inline_node(&p->in, l->caption);
	inline_end(&p->in);
	p->in.hyphenate = 1;
	if ((nl = line_break(p, &lines)) > 0)
		page_place_lines(p, lines, nl, ALIGN_LEFT, st->leading * 0.9,
		    NULL);
	free(lines);
	tag_close(p, tag);
}

static double
caption_height(struct pdf *p, const struct listing *l)
{
	struct pdf_report	 rep = *p->rep;
	struct line		*lines;
	size_t			 nl;

	if (l == NULL || (l->label == NULL && l->caption == NULL))
		return 0;
	inline_begin(&p->in, page_text_width(p), p->st->size * 0.9,
	    FONT_TEXT, 0);
	if (l->label != NULL)
		inline_text(&p->in, l->label, FONT_BOLD);
	if (l->caption != NULL)
		inline_node(&p->in, l->caption);
	inline_end(&p->in);
	nl = line_break(p, &lines);
	free(lines);
	*p->rep = rep;
	/* with the space above it */
	return (double)nl * p->st->leading * 0.9 + p->st->leading * 0.2 + 0.5;
}

/* Draw the display lines [i, i + n) of a block on this page. */
static void
draw(struct pdf *p, const struct codelines *c, size_t i, size_t n, cmark_node *node,
    double pad, int numbered)
{
	const struct style	*st = p->st;
	double			 x0 = p->left + indent_left(p), w = page_text_width(p);
	double			 base, lead = st->code_leading;
	char			 num[24];
	size_t			 k;
	int			 prev = tag_enter(p, TAG_ARTIFACT);

	/* the background, marks and numbers are not the code's text */
	content_gray(p->cs, 0.94);
	content_fill_rect(p->cs, x0, p->y - lead * (double)n - pad, w,
	    lead * (double)n + pad);
	content_gray(p->cs, 0);
	tag_enter(p, prev);
	for (k = i; k < i + n; k++) {
		const struct cline	*cl = &c->l[k];

		base = p->y - (lead + st->code_size * 0.7) / 2;
		page_mark(p, node, cl->off);
		prev = tag_enter(p, TAG_ARTIFACT);
		if (cl->cont) {
			content_gray(p->cs, 0.5);
			content_unread(p->cs, &p->fonts, FONT_MONO,
			    st->code_size * 0.8, x0 + pad + cl->hang -
			    st->code_size * 0.9, base, "\xe2\x86\xaa");
			content_gray(p->cs, 0);
		} else if (numbered) {
			snprintf(num, sizeof(num), "%zu", cl->srcline);
			content_gray(p->cs, 0.5);
			content_unread(p->cs, &p->fonts, FONT_MONO,
			    st->code_size * 0.8, x0 - 4 - pdf_measure(p,
			    FONT_MONO, num, st->code_size * 0.8), base, num);
			content_gray(p->cs, 0);
		}
		tag_enter(p, prev);
		line_draw(p, &cl->ln, ALIGN_LEFT, lead, x0 + pad + (cl->cont ?
		    cl->hang : 0), w - 2 * pad);
		/* a source line ends with a space, so that lines read apart */
		if (k + 1 < c->n && !c->l[k + 1].cont)
			content_space(p->cs, &p->fonts, FONT_MONO,
			    st->code_size, x0 + pad + (cl->cont ? cl->hang :
			    0) + line_natural(p, &cl->ln), base);
	}
}

/*
 * A code block: its lines set and broken, then placed — as many lines
 * as fit, two at least at each end; a listing whole on one page when
 * it fits on one.
 */
void
code_set(struct pdf *p, cmark_node *n, int defer)
{
	const struct style	*st = p->st;
	const struct code	*cd = book_code(p->bk, n);
	const struct listing	*l = cd != NULL && cd->listing >= 0 ?
	    &p->bk->listings[cd->listing] : NULL;
	const char		*lit = cmark_node_get_literal(n);
	struct codelines	 c;
	struct buf		 tmp = { NULL, 0, 0 };
	double			 pad = st->code_size * 0.25, width, cw, hang;
	double			 lead = st->code_leading, need, caph, head, body;
	size_t			 a, e, len, k = 0, from, i, take, srcline = 0;
	int			 numbered = cd != NULL && (cd->linenos ||
	    st->code_linenos), tag;

	if (lit == NULL)
		lit = "";
	len = strlen(lit);
	memset(&c, 0, sizeof(c));
	width = page_text_width(p) - 2 * pad;
	cw = pdf_measure(p, FONT_MONO, "0", st->code_size);
	caph = caption_height(p, l);	/* before the setter holds the code */
	page_space(p, st->leading * 0.4);
	inline_begin(&p->in, width, st->code_size, FONT_MONO, 0);
	for (a = 0; a < len || (a == 0 && len == 0); a = e + 1) {
		e = a + strcspn(lit + a, "\n");
		from = p->in.nitems;
		set_line(p, cd, cd != NULL ? cd->spans : NULL, cd != NULL ?
		    cd->nspans : 0, &k, n, lit, a, e, &tmp);
		hang = indent_of(lit + a, e - a, cw);
		if (hang > width / 2)
			hang = width / 2;
		break_line(p, &c, from, p->in.nitems, width, hang, ++srcline,
		    a);
		if (e >= len)
			break;
	}
	buf_free(&tmp);
	/*
	 * A block that does not fit goes on over the page, two lines at
	 * least on each, as a book's text does; a short one moves whole.
	 * A listing (a file name or a caption) that fits on a page is read,
	 * named and captioned in one place: it floats to the top of the next
	 * page, as a figure does, while the text after it fills this one.
	 * Where it cannot float (inside a list or a quote, or after another
	 * float), it moves whole unless that would leave more than a fifth
	 * of this page empty; then it goes on over the page, its name with
	 * its first lines and its caption with its last.
	 */
	head = pad + (l != NULL && l->file != NULL ? st->code_size * 1.7 : 0);
	need = (double)c.n * lead + head + caph;
	body = st->page_height - st->margin_top - st->margin_bottom;
	if (defer && l != NULL && !p->page_empty && p->y - need <
	    page_bottom(p) && need <= body && p->deferred == NULL &&
	    p->depth <= 1) {
		p->deferred = n;
		p->deferred_tag = tag_here(p, "Div");
		if (!p->page_empty)
			p->y += st->leading * 0.4;	/* its space before */
		free(c.l);
		return;
	}
	if (!p->page_empty && p->y - need < page_bottom(p) && need <= body &&
	    ((l != NULL && p->y - page_bottom(p) <= body / 5) ||
	    c.n < 2 * MIN_LINES || p->y - head - MIN_LINES * lead <
	    page_bottom(p)))
		page_new(p);
	/*
	 * A name at a page's foot, its code over the page, reads as lost;
	 * so does one under a float that took the new page's top.
	 */
	while (!p->page_empty && l != NULL && l->file != NULL &&
	    p->y - head - MIN_LINES * lead < page_bottom(p))
		page_new(p);
	if (l != NULL && l->file != NULL)
		file_name(p, l);
	tag = tag_open(p, "Code");
	for (i = 0; i < c.n; i += take) {
		take = page_lines_here(p, NULL, c.n - i, lead);
		/* the caption stays with the last two lines at least */
		if (take > 0 && take == c.n - i && caph > 0 &&
		    p->y - (double)take * lead - pad - caph < page_bottom(p)) {
			take = c.n - i > MIN_LINES ? c.n - i - MIN_LINES : 0;
			if (take == 0 && p->page_empty)
				take = c.n - i;
		}
		if (take == 0) {
			page_new(p);
			continue;
		}
		draw(p, &c, i, take, n, pad, numbered);
		if (i + take < c.n)
			page_new(p);
	}
	tag_close(p, tag);
	p->y -= pad;
	if (l != NULL && (l->label != NULL || l->caption != NULL)) {
		p->y -= st->leading * 0.2;
		caption(p, l);
	}
	free(c.l);
	page_space(p, st->leading * 0.4);
	if (block_top(p) != NULL)
		block_top(p)->prev_para = 0;
}
