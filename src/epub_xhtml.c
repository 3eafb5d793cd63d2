/*
 * Chapter bodies for the e-book: a walk over one cmark tree that writes
 * well-formed XHTML.  Ids, figure numbers and link targets come from the
 * book; raw HTML was reported when the book was read and is left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "buf.h"
#include "epub.h"
#include "pagemap.h"
#include "xml.h"

void
epub_chapter_href(struct buf *b, size_t ch)
{
	buf_printf(b, "ch%03zu.xhtml", ch + 1);
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
 * an offset in its text); the marker goes exactly there.
 */
struct marks {
	const struct pagemap	*pm;
	size_t			 first, last;	/* this chapter's marks */
	unsigned char		*done;
};

void
epub_pagebreak(struct buf *b, const struct pagemark *m)
{
	buf_puts(b, "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" "
	    "id=\"page.");
	xml_puts(b, m->label);
	buf_puts(b, "\" aria-label=\"");
	xml_puts(b, m->label);
	buf_puts(b, "\"></span>");
}

static void
marks_begin(struct marks *mk, const struct pagemap *pm, size_t ch)
{
	memset(mk, 0, sizeof(*mk));
	if (pm == NULL)
		return;
	mk->pm = pm;
	for (mk->first = 0; mk->first < pm->n &&
	    pm->marks[mk->first].chapter != (long)ch; mk->first++)
		continue;
	for (mk->last = mk->first; mk->last < pm->n &&
	    pm->marks[mk->last].chapter == (long)ch; mk->last++)
		continue;
	mk->done = xcalloc(mk->last - mk->first + 1, 1);
}

/* Markers of node n at offsets in [from, to). */
static void
marks_at(struct buf *b, struct marks *mk, cmark_node *n, size_t from,
    size_t to)
{
	const struct pagemark	*m;
	size_t			 i;

	for (i = mk->first; i < mk->last; i++) {
		m = &mk->pm->marks[i];
		if (!mk->done[i - mk->first] && m->node == n &&
		    m->offset >= from && m->offset < to) {
			epub_pagebreak(b, m);
			mk->done[i - mk->first] = 1;
		}
	}
}

/* A literal, with the markers that fall inside it. */
static void
text_marked(struct buf *b, struct marks *mk, cmark_node *n, const char *lit)
{
	const struct pagemark	*m;
	size_t			 len = strlen(lit), pos = 0, i, next;

	for (;;) {
		next = len;
		for (i = mk->first; i < mk->last; i++) {
			m = &mk->pm->marks[i];
			if (!mk->done[i - mk->first] && m->node == n &&
			    m->offset >= pos && m->offset < next)
				next = m->offset;
		}
		xml_escape(b, lit + pos, next - pos);
		if (next == len)
			break;
		marks_at(b, mk, n, next, next + 1);
		pos = next;
	}
}

/* Markers never reached (their text was not set) close the chapter. */
static void
marks_end(struct buf *b, struct marks *mk)
{
	size_t	 i;

	for (i = mk->first; mk->pm != NULL && i < mk->last; i++)
		if (!mk->done[i - mk->first])
			epub_pagebreak(b, &mk->pm->marks[i]);
	free(mk->done);
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

static void
link_open(struct buf *b, size_t ch, const struct link *l)
{
	buf_puts(b, "<a href=\"");
	if (l->kind == LINK_EXTERNAL)
		xml_puts(b, l->href);
	else {
		if (l->chapter != ch || l->id == NULL)
			epub_chapter_href(b, l->chapter);
		if (l->id != NULL) {
			buf_putc(b, '#');
			xml_puts(b, l->id);
		}
	}
	buf_puts(b, "\">");
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

static void
figure(struct buf *b, const struct book *bk, const struct figure *fg,
    cmark_node *para)
{
	cmark_node		*img = cmark_node_first_child(para);
	const struct image	*im = book_image(bk, img);
	char			*alt;

	buf_puts(b, "<figure id=\"");
	xml_puts(b, fg->id);
	buf_puts(b, "\">\n");
	if (im != NULL)
		image(b, im, img);
	else {
		alt = book_plain(img);
		buf_puts(b, "<p class=\"missing-image\">");
		xml_puts(b, alt);
		buf_puts(b, "</p>");
		free(alt);
	}
	buf_printf(b, "\n<figcaption>Figure %d. ", fg->number);
	xml_puts(b, fg->caption);
	buf_puts(b, "</figcaption>\n</figure>\n");
}

static void
code_block(struct buf *b, cmark_node *n, struct marks *mk)
{
	const char	*info = cmark_node_get_fence_info(n);
	const char	*lit = cmark_node_get_literal(n);
	size_t		 len;

	buf_puts(b, "<pre><code");
	if (info != NULL && *info != '\0') {
		len = strcspn(info, " \t");
		buf_puts(b, " class=\"language-");
		xml_escape(b, info, len);
		buf_putc(b, '"');
	}
	buf_putc(b, '>');
	if (lit != NULL && mk->pm != NULL)
		text_marked(b, mk, n, lit);
	else if (lit != NULL)
		xml_puts(b, lit);
	buf_puts(b, "</code></pre>\n");
}

/* Write the <body> of chapter ch. */
void
epub_xhtml_chapter(struct buf *b, const struct book *bk, size_t ch,
    const struct pagemap *pm)
{
	struct marks		 mk;
	cmark_iter		*it = cmark_iter_new(bk->chapters[ch].doc);
	cmark_event_type	 ev;
	cmark_node		*n;
	const struct heading	*h;
	const struct figure	*fg;
	const struct link	*l;
	const struct image	*im;
	const char		*lit;
	int			 enter, level, start, t;

	buf_puts(b, "<body epub:type=\"bodymatter\">\n<section "
	    "epub:type=\"chapter\" role=\"doc-chapter\">\n");
	marks_begin(&mk, pm, ch);
	if (mk.pm != NULL)
		marks_at(b, &mk, NULL, 0, (size_t)-1);	/* blank pages */
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		enter = ev == CMARK_EVENT_ENTER;
		t = cmark_node_get_type(n);
		/* a page that begins with a block: its marker goes before */
		if (mk.pm != NULL && enter && t != CMARK_NODE_ITEM &&
		    t != CMARK_NODE_TEXT && t != CMARK_NODE_CODE &&
		    t != CMARK_NODE_CODE_BLOCK)
			marks_at(b, &mk, n, 0, (size_t)-1);
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
			buf_puts(b, enter ? "<li>" : "</li>\n");
			if (enter && mk.pm != NULL)
				marks_at(b, &mk, n, 0, (size_t)-1);
			break;
		case CMARK_NODE_CODE_BLOCK:
			code_block(b, n, &mk);
			break;
		case CMARK_NODE_THEMATIC_BREAK:
			buf_puts(b, "<hr/>\n");
			break;
		case CMARK_NODE_PARAGRAPH:
			if (enter && (fg = book_figure(bk, n)) != NULL) {
				figure(b, bk, fg, n);
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			} else if (!in_tight_list(n))
				buf_puts(b, enter ? "<p>" : "</p>\n");
			else if (!enter && cmark_node_next(n) != NULL)
				buf_putc(b, '\n');
			break;
		case CMARK_NODE_HEADING:
			level = cmark_node_get_heading_level(n);
			if (!enter) {
				buf_printf(b, "</h%d>\n", level);
				break;
			}
			buf_printf(b, "<h%d", level);
			if ((h = book_heading(bk, n)) != NULL) {
				buf_puts(b, " id=\"");
				xml_puts(b, h->id);
				buf_putc(b, '"');
			}
			buf_putc(b, '>');
			break;
		case CMARK_NODE_TEXT:
			if ((lit = cmark_node_get_literal(n)) == NULL)
				break;
			if (mk.pm != NULL)
				text_marked(b, &mk, n, lit);
			else
				xml_puts(b, lit);
			break;
		case CMARK_NODE_SOFTBREAK:
			buf_putc(b, '\n');
			break;
		case CMARK_NODE_LINEBREAK:
			buf_puts(b, "<br/>\n");
			break;
		case CMARK_NODE_CODE:
			buf_puts(b, "<code>");
			if ((lit = cmark_node_get_literal(n)) == NULL)
				;
			else if (mk.pm != NULL)
				text_marked(b, &mk, n, lit);
			else
				xml_puts(b, lit);
			buf_puts(b, "</code>");
			break;
		case CMARK_NODE_EMPH:
			buf_puts(b, enter ? "<em>" : "</em>");
			break;
		case CMARK_NODE_STRONG:
			buf_puts(b, enter ? "<strong>" : "</strong>");
			break;
		case CMARK_NODE_LINK:
			if ((l = book_link(bk, n)) == NULL)
				break;
			if (enter)
				link_open(b, ch, l);
			else
				buf_puts(b, "</a>");
			break;
		case CMARK_NODE_IMAGE:
			if (enter && (im = book_image(bk, n)) != NULL) {
				image(b, im, n);
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			}
			break;
		default:	/* document, raw HTML */
			break;
		}
	}
	cmark_iter_free(it);
	marks_end(b, &mk);
	buf_puts(b, "</section>\n</body>\n</html>\n");
}
