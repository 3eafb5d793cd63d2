/*
 * The e-book's documents: a walk over one segment's tree (a chapter, or
 * the part of one that a file holds) that writes well-formed XHTML.
 * Ids, numbers and link targets come from the book; the HTML authors
 * wrote arrives as the nodes html.c made of it, so what is written is
 * always folio's own, well-formed and safe.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "buf.h"
#include "epub.h"
#include "highlight.h"
#include "markdown.h"
#include "pagemap.h"
#include "style.h"
#include "xml.h"

void
epub_segment_href(struct buf *b, size_t seg)
{
	buf_printf(b, "ch%03zu.xhtml", seg + 1);
}

void
epub_xhtml_head(struct buf *b, const struct book *bk, const char *title)
{
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
	    "xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"");
	xml_puts(b, bk->lang);
	buf_puts(b, "\" xml:lang=\"");
	xml_puts(b, bk->lang);
	buf_puts(b, "\">\n<head>\n<meta charset=\"UTF-8\"/>\n<title>");
	xml_puts(b, title);
	buf_puts(b, "</title>\n<link rel=\"stylesheet\" type=\"text/css\" "
	    "href=\"style.css\"/>\n</head>\n");
}

/*
 * Print page markers.  The PDF noted where each page begins (a node and
 * an offset in its text); the marker goes exactly there.  The page list
 * must follow the reading order, so a marker is never written after a
 * later page's: one whose place has not been reached when a later page's
 * is written goes just before that one (its text was set elsewhere in
 * the print: a note carried to the next page's foot), and one never
 * reached closes the document.  The document's markers are
 * pm->marks[first, last); those before next are written.
 */
struct marks {
	const struct pagemap	*pm;
	size_t			 first, last, next;
};

void
epub_pagebreak(struct buf *b, const struct pagemap *pm,
    const struct pagemark *m)
{
	buf_puts(b, "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" "
	    "id=\"");
	buf_puts(b, pm->idprefix != NULL ? pm->idprefix : "page.");
	xml_puts(b, m->label);
	buf_puts(b, "\" aria-label=\"");
	xml_puts(b, m->label);
	buf_puts(b, "\"></span>");
}

static void
marks_begin(struct marks *mk, const struct pagemap *pm, size_t seg)
{
	memset(mk, 0, sizeof(*mk));
	if (pm == NULL)
		return;
	mk->pm = pm;
	for (mk->first = 0; mk->first < pm->n &&
	    pm->marks[mk->first].segment != (long)seg; mk->first++)
		continue;
	for (mk->last = mk->first; mk->last < pm->n &&
	    pm->marks[mk->last].segment == (long)seg; mk->last++)
		continue;
	mk->next = mk->first;
}

/* Write the markers up to and including i. */
static void
marks_through(struct buf *b, struct marks *mk, size_t i)
{
	for (; mk->next <= i && mk->next < mk->last; mk->next++)
		epub_pagebreak(b, mk->pm, &mk->pm->marks[mk->next]);
}

/* The first marker still to write of node n at an offset in [from, to). */
static size_t
marks_find(const struct marks *mk, const cmark_node *n, size_t from,
    size_t to)
{
	const struct pagemark	*m, *b = NULL;
	size_t			 i, best = mk->last;

	for (i = mk->next; i < mk->last; i++) {
		m = &mk->pm->marks[i];
		if (m->node == n && m->offset >= from && m->offset < to &&
		    (b == NULL || m->offset < b->offset)) {
			b = m;
			best = i;
		}
	}
	return best;
}

/* Markers of node n at offsets in [from, to). */
static void
marks_at(struct buf *b, struct marks *mk, const cmark_node *n, size_t from,
    size_t to)
{
	size_t	 i;

	if (mk->pm == NULL)
		return;
	while ((i = marks_find(mk, n, from, to)) < mk->last)
		marks_through(b, mk, i);
}

/* The pages that begin before the document's text: blank versos. */
static void
marks_lead(struct buf *b, struct marks *mk)
{
	while (mk->pm != NULL && mk->next < mk->last &&
	    mk->pm->marks[mk->next].node == NULL)
		marks_through(b, mk, mk->next);
}

/*
 * Text of node n's literal in [from, to), with the markers inside it; a
 * marker at to itself, when to ends the literal, follows the text.
 */
static void
text_range(struct buf *b, struct marks *mk, const cmark_node *n,
    const char *lit, size_t from, size_t to, int end)
{
	size_t	 i, pos = from, at;

	while (mk->pm != NULL && (i = marks_find(mk, n, pos,
	    end ? (size_t)-1 : to)) < mk->last) {
		if ((at = mk->pm->marks[i].offset) > to)
			at = to;
		xml_escape(b, lit + pos, at - pos);
		marks_through(b, mk, i);
		pos = at;
	}
	xml_escape(b, lit + pos, to - pos);
}

/* A literal, with the markers that fall inside it. */
static void
text_marked(struct buf *b, struct marks *mk, const cmark_node *n,
    const char *lit)
{
	text_range(b, mk, n, lit, 0, strlen(lit), 1);
}

/* Markers never reached (their text was not set) close the document. */
static void
marks_end(struct buf *b, struct marks *mk)
{
	if (mk->pm != NULL && mk->last > mk->first)
		marks_through(b, mk, mk->last - 1);
}

/* ------------------------------------------------------------ walk */

struct doc {
	struct buf		*b;
	const struct book	*bk;
	const struct style	*st;
	size_t			 seg;
	struct marks		 mk;
	int			 hlast;		/* the last heading's level */
	int			 hopen;		/* the open heading's */
};

/* A paragraph that may hold only phrasing: a <summary>'s. */
static int
in_summary(const struct book *bk, cmark_node *para)
{
	const struct element	*e = book_element(bk, cmark_node_parent(para));

	return e != NULL && strcmp(e->name, "summary") == 0;
}

static int
in_tight_list(cmark_node *para)
{
	cmark_node	*item = cmark_node_parent(para), *list;

	if (item == NULL || cmark_node_get_type(item) != CMARK_NODE_ITEM)
		return 0;
	list = cmark_node_parent(item);
	return list != NULL && cmark_node_get_list_tight(list);
}

/* An href to an id in a document of the book, from document seg. */
static void
local_href(struct buf *b, size_t seg, size_t target, const char *id)
{
	if (target != seg || id == NULL)
		epub_segment_href(b, target);
	if (id != NULL) {
		buf_putc(b, '#');
		xml_puts(b, id);
	}
}

static void
link_open(struct doc *d, const struct link *l)
{
	buf_puts(d->b, "<a href=\"");
	if (l->kind == LINK_EXTERNAL)
		xml_puts(d->b, l->href);
	else
		local_href(d->b, d->seg, l->segment, l->id);
	buf_puts(d->b, "\">");
}

static void
image(struct buf *b, const struct image *im, cmark_node *n)
{
	char	*alt = book_plain(n);

	buf_puts(b, "<img src=\"");
	xml_puts(b, im->name);
	buf_puts(b, "\" alt=\"");
	xml_puts(b, alt);
	buf_puts(b, "\"/>");
	free(alt);
}

static void	walk(struct doc *, cmark_node *, int);

static void
figure(struct doc *d, const struct figure *fg, cmark_node *para)
{
	cmark_node		*img = cmark_node_first_child(para);
	const struct image	*im = book_image(d->bk, img);
	char			*alt;

	buf_puts(d->b, "<figure id=\"");
	xml_puts(d->b, fg->id);
	buf_puts(d->b, "\">\n");
	if (im != NULL)
		image(d->b, im, img);
	else {
		alt = book_plain(img);
		buf_puts(d->b, "<p class=\"missing-image\">");
		xml_puts(d->b, alt);
		buf_puts(d->b, "</p>");
		free(alt);
	}
	buf_puts(d->b, "\n<figcaption>");
	if (!fg->labelled)
		buf_printf(d->b, "Figure %d. ", fg->number);
	if (fg->caption_node != NULL)
		walk(d, fg->caption_node, 1);
	else
		xml_puts(d->b, fg->caption);
	buf_puts(d->b, "</figcaption>\n</figure>\n");
}

/*
 * A code block: its tokens in spans the stylesheet styles, a line a
 * span when its lines are numbered (CSS counters: the numbers are not
 * text, so they are not copied), in a figure when it is a listing, with
 * its file name above and its caption below.
 */
static void
code_block(struct doc *d, cmark_node *n)
{
	const struct code	*c = book_code(d->bk, n);
	const struct listing	*l = NULL;
	const char		*lit = cmark_node_get_literal(n);
	size_t			 len = lit ? strlen(lit) : 0, pos = 0, eol, k = 0;
	size_t			 a;
	int			 numbered = c != NULL && (c->linenos ||
	    d->st->code_linenos);

	if (c != NULL && c->listing >= 0) {
		l = &d->bk->listings[c->listing];
		buf_puts(d->b, "<figure class=\"listing\" id=\"");
		xml_puts(d->b, l->id);
		buf_puts(d->b, "\">\n");
		if (l->file != NULL) {
			buf_puts(d->b, "<p class=\"listing-file\">");
			xml_puts(d->b, l->file);
			buf_puts(d->b, "</p>\n");
		}
	}
	buf_puts(d->b, numbered ? "<pre class=\"numbered\"><code" :
	    "<pre><code");
	if (c != NULL && c->lang != NULL) {
		buf_puts(d->b, " class=\"language-");
		xml_puts(d->b, c->lang);
		buf_putc(d->b, '"');
	}
	buf_putc(d->b, '>');
	while (pos < len) {
		eol = pos + strcspn(lit + pos, "\n");
		if (numbered)
			buf_puts(d->b, "<span class=\"line\">");
		for (a = pos; a < eol;) {
			while (c != NULL && k < c->nspans &&
			    c->spans[k].off + c->spans[k].len <= a)
				k++;
			if (c != NULL && k < c->nspans && c->spans[k].off <= a) {
				size_t	 e = c->spans[k].off + c->spans[k].len;

				if (e > eol)
					e = eol;
				buf_printf(d->b, "<span class=\"%s\">",
				    hl_class_name(c->spans[k].cls));
				text_range(d->b, &d->mk, n, lit, a, e, 0);
				buf_puts(d->b, "</span>");
				a = e;
			} else {
				size_t	 e = c != NULL && k < c->nspans &&
				    c->spans[k].off < eol ? c->spans[k].off :
				    eol;

				text_range(d->b, &d->mk, n, lit, a, e, 0);
				a = e;
			}
		}
		/* a page that begins at an empty line, or at the newline */
		marks_at(d->b, &d->mk, n, eol, eol + 1);
		if (numbered)
			buf_puts(d->b, "</span>");
		if (eol < len)
			buf_putc(d->b, '\n');
		pos = eol + 1;
	}
	marks_at(d->b, &d->mk, n, 0, (size_t)-1);
	buf_puts(d->b, "</code></pre>\n");
	if (l != NULL) {
		if (l->label != NULL || l->caption != NULL) {
			buf_puts(d->b, "<figcaption>");
			if (l->label != NULL) {
				xml_puts(d->b, l->label);
				buf_puts(d->b, l->caption != NULL ? ": " : "");
			}
			if (l->caption != NULL)
				walk(d, l->caption, 1);
			buf_puts(d->b, "</figcaption>\n");
		}
		buf_puts(d->b, "</figure>\n");
	}
}

/* Column alignment, from the delimiter row, as a class. */
static const char *
align_class(cmark_node *cell)
{
	cmark_node	*row = cmark_node_parent(cell), *c;
	cmark_node	*table = row ? cmark_node_parent(row) : NULL;
	int		 col = 0;

	if (table == NULL)
		return NULL;
	for (c = cmark_node_first_child(row); c != NULL && c != cell;
	    c = cmark_node_next(c))
		col++;
	switch (markdown_table_align(table, col)) {
	case 'l':
		return "left";
	case 'c':
		return "center";
	case 'r':
		return "right";
	default:
		return NULL;
	}
}

static void
table_cell(struct doc *d, cmark_node *n, int enter)
{
	int		 head = markdown_table_header(cmark_node_parent(n));
	const char	*cls = align_class(n);

	if (!enter) {
		buf_puts(d->b, head ? "</th>\n" : "</td>\n");
		return;
	}
	buf_puts(d->b, head ? "<th scope=\"col\"" : "<td");
	if (cls != NULL)
		buf_printf(d->b, " class=\"%s\"", cls);
	buf_putc(d->b, '>');
}

static void
table_row(struct doc *d, cmark_node *n, int enter)
{
	int	 head = markdown_table_header(n);

	if (enter) {
		/* the header row opens the head; the first body row the body */
		if (head)
			buf_puts(d->b, "<thead>\n");
		else if (cmark_node_previous(n) == NULL ||
		    markdown_table_header(cmark_node_previous(n)))
			buf_puts(d->b, "<tbody>\n");
		buf_puts(d->b, "<tr>\n");
		return;
	}
	buf_puts(d->b, "</tr>\n");
	if (head)
		buf_puts(d->b, "</thead>\n");
	else if (cmark_node_next(n) == NULL)
		buf_puts(d->b, "</tbody>\n");
}

/* A note reference: a link the reading system can show as a pop-up. */
static void
noteref(struct doc *d, const struct note *no)
{
	int	 num = d->st->notes_book ? no->booknumber : no->number;

	buf_puts(d->b, "<sup><a epub:type=\"noteref\" role=\"doc-noteref\"");
	if (no->segment == d->seg) {
		buf_puts(d->b, " id=\"");
		xml_puts(d->b, no->refid);
		buf_putc(d->b, '"');
	}
	buf_puts(d->b, " href=\"");
	local_href(d->b, d->seg, no->segment, no->id);
	buf_printf(d->b, "\">%d</a></sup>", num);
}

/* The note's own text, with a link back to where it is referred to. */
static void
note_body(struct doc *d, const struct note *no)
{
	int	 num = d->st->notes_book ? no->booknumber : no->number;

	buf_printf(d->b, "<p class=\"note-number\"><a href=\"#");
	xml_puts(d->b, no->refid);
	buf_printf(d->b, "\" role=\"doc-backlink\">%d</a></p>\n", num);
	walk(d, no->def, 0);
}

/*
 * Footnotes go at the end of the document that first refers to them, as
 * asides (pop-ups in reading systems); endnotes at the end of the
 * chapter's last document.
 */
static void
notes(struct doc *d)
{
	const struct book	*bk = d->bk;
	const struct chapter	*c = &bk->chapters[bk->segments[d->seg].chapter];
	size_t			 i, n = 0;

	if (d->st->endnotes) {
		if (d->seg + 1 != c->first_seg + c->nsegs)
			return;
		for (i = 0; i < bk->nnotes; i++) {
			const struct note	*no = &bk->notes[i];

			if (no->number == 0 || no->chapter !=
			    bk->segments[d->seg].chapter)
				continue;
			if (n++ == 0)
				buf_puts(d->b, "<section epub:type=\"endnotes\" "
				    "role=\"doc-endnotes\" class=\"notes\">\n"
				    "<h2>Notes</h2>\n<ol class=\"notes\">\n");
			buf_puts(d->b, "<li epub:type=\"endnote\" "
			    "role=\"doc-endnote\" id=\"");
			xml_puts(d->b, no->id);
			buf_puts(d->b, "\">\n");
			note_body(d, no);
			buf_puts(d->b, "</li>\n");
		}
		if (n > 0)
			buf_puts(d->b, "</ol>\n</section>\n");
		return;
	}
	for (i = 0; i < bk->nnotes; i++) {
		const struct note	*no = &bk->notes[i];

		if (no->number == 0 || no->segment != d->seg)
			continue;
		buf_puts(d->b, "<aside epub:type=\"footnote\" "
		    "role=\"doc-footnote\" class=\"footnote\" id=\"");
		xml_puts(d->b, no->id);
		buf_puts(d->b, "\">\n");
		note_body(d, no);
		buf_puts(d->b, "</aside>\n");
	}
}

/* An element from HTML: inline ones as themselves, blocks as boxes. */
static void
element(struct doc *d, cmark_node *n, int enter)
{
	static const char *const inl[] = { "kbd", "sub", "sup", "u",
	    "small", "mark", "ins" };
	const struct element	*e = book_element(d->bk, n);
	size_t			 i;

	if (e == NULL)
		return;
	if (cmark_node_get_type(n) == CMARK_NODE_CUSTOM_INLINE) {
		for (i = 0; i < sizeof(inl) / sizeof(inl[0]); i++)
			if (strcmp(e->name, inl[i]) == 0) {
				buf_printf(d->b, enter ? "<%s>" : "</%s>",
				    inl[i]);
				return;
			}
		/* anchors and classed spans */
		if (!enter) {
			buf_puts(d->b, "</span>");
			return;
		}
		buf_puts(d->b, "<span");
		if (e->id != NULL) {
			buf_puts(d->b, " id=\"");
			xml_puts(d->b, e->id);
			buf_putc(d->b, '"');
		}
		if (e->cls != NULL) {
			buf_puts(d->b, " class=\"");
			xml_puts(d->b, e->cls);
			buf_putc(d->b, '"');
		}
		buf_putc(d->b, '>');
		return;
	}
	if (strcmp(e->name, "details") == 0 || strcmp(e->name, "summary") == 0) {
		if (!enter) {
			buf_printf(d->b, "</%s>\n", e->name);
			return;
		}
		buf_printf(d->b, "<%s", e->name);
		if (e->open)
			buf_puts(d->b, " open=\"open\"");
	} else if (!enter) {
		buf_puts(d->b, "</div>\n");
		return;
	} else {
		buf_puts(d->b, "<div class=\"");
		xml_puts(d->b, e->name);
		if (e->cls != NULL) {
			buf_putc(d->b, ' ');
			xml_puts(d->b, e->cls);
		}
		buf_putc(d->b, '"');
	}
	if (e->id != NULL) {
		buf_puts(d->b, " id=\"");
		xml_puts(d->b, e->id);
		buf_putc(d->b, '"');
	}
	buf_puts(d->b, ">\n");
}

/*
 * A heading, at most one level below the one before it in the document
 * (a "####" under a "#" is an h2: screen readers list headings by level,
 * and a skipped level reads as a missing section), styled as its own
 * level.  One without text is named as the contents name it.
 */
static void
heading(struct doc *d, cmark_node *n, int enter)
{
	const struct heading	*h = book_heading(d->bk, n);
	int			 level = h ? h->level : 1;
	char			*text;

	if (!enter) {
		buf_printf(d->b, "</h%d>\n", d->hopen);
		return;
	}
	if (level < 1)
		level = 1;
	d->hopen = d->hlast > 0 && level > d->hlast + 1 ? d->hlast + 1 : level;
	d->hlast = d->hopen;
	buf_printf(d->b, "<h%d", d->hopen);
	if (h != NULL && h->level == 0)
		buf_puts(d->b, " class=\"part\"");
	else if (d->hopen != level)
		buf_printf(d->b, " class=\"h%d\"", level);
	if (h != NULL) {
		buf_puts(d->b, " id=\"");
		xml_puts(d->b, h->id);
		buf_putc(d->b, '"');
		text = book_plain(n);
		if (text[strspn(text, " \t\n")] == '\0') {
			buf_puts(d->b, " aria-label=\"");
			xml_puts(d->b, h->text);
			buf_putc(d->b, '"');
		}
		free(text);
	}
	buf_putc(d->b, '>');
}

/* Write the XHTML of a tree; inside: only its children (a caption). */
static void
walk(struct doc *d, cmark_node *root, int inside)
{
	struct buf		*b = d->b;
	cmark_iter		*it = cmark_iter_new(root);
	cmark_event_type	 ev;
	cmark_node		*n;
	const struct figure	*fg;
	const struct link	*l;
	const struct image	*im;
	const struct note	*no;
	const char		*lit;
	int			 enter, start;
	cmark_node_type		 t;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (inside && n == root)
			continue;
		enter = ev == CMARK_EVENT_ENTER;
		t = cmark_node_get_type(n);
		/* a page that begins with a block: its marker goes before */
		if (enter && t != CMARK_NODE_ITEM && t != CMARK_NODE_TEXT &&
		    t != CMARK_NODE_CODE && t != CMARK_NODE_CODE_BLOCK)
			marks_at(b, &d->mk, n, 0, (size_t)-1);
		if (t == CMARK_NODE_TABLE) {
			buf_puts(b, enter ? "<table>\n" : "</table>\n");
			continue;
		}
		if (t == CMARK_NODE_TABLE_ROW) {
			table_row(d, n, enter);
			continue;
		}
		if (t == CMARK_NODE_TABLE_CELL) {
			table_cell(d, n, enter);
			continue;
		}
		if (t == CMARK_NODE_STRIKETHROUGH) {
			buf_puts(b, enter ? "<del>" : "</del>");
			continue;
		}
		switch (t) {
		case CMARK_NODE_BLOCK_QUOTE:
			buf_puts(b, enter ? "<blockquote>\n" :
			    "</blockquote>\n");
			break;
		case CMARK_NODE_LIST:
			if (cmark_node_get_list_type(n) == CMARK_BULLET_LIST)
				buf_puts(b, enter ? "<ul>\n" : "</ul>\n");
			else if (!enter)
				buf_puts(b, "</ol>\n");
			else if ((start = cmark_node_get_list_start(n)) != 1)
				buf_printf(b, "<ol start=\"%d\">\n", start);
			else
				buf_puts(b, "<ol>\n");
			break;
		case CMARK_NODE_ITEM:
			if (!enter) {
				buf_puts(b, "</li>\n");
				break;
			}
			if (markdown_is_tasklist(n)) {
				int	 done = markdown_task_checked(n);

				buf_printf(b, "<li class=\"task\"><input "
				    "type=\"checkbox\" disabled=\"disabled\"%s "
				    "aria-label=\"%s\"/> ", done ?
				    " checked=\"checked\"" : "", done ?
				    "done" : "to do");
			} else
				buf_puts(b, "<li>");
			marks_at(b, &d->mk, n, 0, (size_t)-1);
			break;
		case CMARK_NODE_CODE_BLOCK:
			code_block(d, n);
			break;
		case CMARK_NODE_THEMATIC_BREAK:
			buf_puts(b, "<hr/>\n");
			break;
		case CMARK_NODE_PARAGRAPH:
			if (enter && (fg = book_figure(d->bk, n)) != NULL) {
				figure(d, fg, n);
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			} else if (in_summary(d->bk, n))
				;
			else if (!in_tight_list(n))
				buf_puts(b, enter ? "<p>" : "</p>\n");
			else if (!enter && cmark_node_next(n) != NULL)
				buf_putc(b, '\n');
			break;
		case CMARK_NODE_HEADING:
			heading(d, n, enter);
			break;
		case CMARK_NODE_TEXT:
			if ((lit = cmark_node_get_literal(n)) != NULL)
				text_marked(b, &d->mk, n, lit);
			break;
		case CMARK_NODE_SOFTBREAK:
			buf_putc(b, '\n');
			break;
		case CMARK_NODE_LINEBREAK:
			buf_puts(b, "<br/>\n");
			break;
		case CMARK_NODE_CODE:
			buf_puts(b, "<code>");
			if ((lit = cmark_node_get_literal(n)) != NULL)
				text_marked(b, &d->mk, n, lit);
			buf_puts(b, "</code>");
			break;
		case CMARK_NODE_EMPH:
			buf_puts(b, enter ? "<em>" : "</em>");
			break;
		case CMARK_NODE_STRONG:
			buf_puts(b, enter ? "<strong>" : "</strong>");
			break;
		case CMARK_NODE_LINK:
			if ((l = book_link(d->bk, n)) == NULL)
				break;
			if (enter)
				link_open(d, l);
			else
				buf_puts(b, "</a>");
			break;
		case CMARK_NODE_IMAGE:
			if (enter && (im = book_image(d->bk, n)) != NULL) {
				image(b, im, n);
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			}
			break;
		case CMARK_NODE_FOOTNOTE_REFERENCE:
			if (enter && (no = book_note(d->bk, n)) != NULL)
				noteref(d, no);
			break;
		case CMARK_NODE_CUSTOM_BLOCK:
		case CMARK_NODE_CUSTOM_INLINE:
			element(d, n, enter);
			break;
		default:	/* document */
			break;
		}
	}
	cmark_iter_free(it);
}

/* Write the <body> of segment seg. */
void
epub_xhtml_segment(struct buf *b, const struct book *bk,
    const struct style *st, size_t seg, const struct pagemap *pm)
{
	const struct segment	*g = &bk->segments[seg];
	const struct chapter	*c = &bk->chapters[g->chapter];
	struct doc		 d;
	int			 opens = c->first_seg == seg;

	memset(&d, 0, sizeof(d));
	d.b = b;
	d.bk = bk;
	d.st = st;
	d.seg = seg;
	buf_printf(b, "<body epub:type=\"%s\">\n", c->matter == MATTER_FRONT ?
	    "frontmatter" : c->matter == MATTER_BACK ? "backmatter" :
	    "bodymatter");
	if (opens && c->kind == DIV_PART)
		buf_puts(b, "<section epub:type=\"part\" role=\"doc-part\">\n");
	else if (opens)
		buf_puts(b, "<section epub:type=\"chapter\" "
		    "role=\"doc-chapter\">\n");
	else
		buf_puts(b, "<section>\n");
	marks_begin(&d.mk, pm, seg);
	marks_lead(b, &d.mk);
	walk(&d, g->doc, 0);
	notes(&d);
	marks_end(b, &d.mk);
	buf_puts(b, "</section>\n</body>\n</html>\n");
}
