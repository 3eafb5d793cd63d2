/*
 * Blocks: a walk over a document's tree that sets each block —
 * paragraphs, headings (kept with what follows), code, figures (never
 * split; one that does not fit floats to the next page while the text
 * goes on), thematic breaks, lists and quotes (containers that indent
 * what they hold).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "markdown.h"
#include "changes.h"
#include "diag.h"
#include "pagemap.h"
#include "pdf_int.h"
#include "utf8.h"

#define MAX_NEST	8	/* deeper containers stop indenting */
#define QUOTE_INDENT	18.0
#define LIST_INDENT	18.0

struct frame *
block_top(struct pdf *p)
{
	return p->depth ? &p->stack[p->depth - 1] : NULL;
}

/*
 * Blocks of HTML the author wrote: their Markdown is set as it comes;
 * details are printed open, their summary in bold, a little apart.
 */
static void
element(struct pdf *p, cmark_node *n, int enter)
{
	const struct element	*e = book_element(p->bk, n);
	struct frame		*f;

	if (e == NULL)
		return;
	if (strcmp(e->name, "summary") == 0)
		p->strong += enter ? 1 : -1;
	else if (strcmp(e->name, "details") == 0 ||
	    strcmp(e->name, "aside") == 0 || strcmp(e->name, "blockquote") == 0)
		page_space(p, p->st->leading * 0.4);
	/* the author's grouping, kept in the tree (but past its depth) */
	if (enter && tag_open(p, strcmp(e->name, "blockquote") == 0 ?
	    "BlockQuote" : "Div") == 0)
		p->untagged++;
	else if (!enter && p->untagged > 0)
		p->untagged--;
	else if (!enter && p->tags != NULL)
		tag_close(p, tags_current(p->tags));
	if ((f = block_top(p)) != NULL)
		f->prev_para = 0;
}

static void
paragraph(struct pdf *p, cmark_node *n)
{
	struct frame	*f = block_top(p);
	struct line	*lines;
	size_t		 nl, i;
	double		 indent = 0;
	int		 tag;

	if (f != NULL && f->prev_para && f->type != CMARK_NODE_ITEM)
		indent = p->st->indent;
	inline_begin(&p->in, page_text_width(p), p->st->size, p->strong > 0 ?
	    FONT_BOLD : FONT_TEXT, indent);
	p->in.ragged = !p->st->justify;
	p->in.path = p->path;
	inline_node(&p->in, n);
	inline_end(&p->in);
	/* only anchors (a renamed heading's old id): no line, no space */
	for (i = 0; i < p->in.nitems && (p->in.items[i].type != ITEM_BOX ||
	    (p->in.items[i].nglyph == 0 && p->in.items[i].font != FONT_IMAGE &&
	    p->in.items[i].note == 0)); i++)
		continue;
	if (i == p->in.nitems)
		return;
	page_space(p, p->st->para_space);
	if (p->st->para_space == 0)
		page_gap(p, 0, p->st->leading * 0.2);	/* a little */
	tag = tag_open(p, "P");
	if ((nl = line_break(p, &lines)) > 0)
		page_place_lines(p, lines, nl, p->st->justify ? ALIGN_JUSTIFY :
		    ALIGN_LEFT, p->st->leading, NULL);
	free(lines);
	tag_close(p, tag);
	if (f != NULL)
		f->prev_para = 1;
}

/*
 * The height the headings that follow this one straight away will take
 * (a "##" right after a "#"), one line each: a heading keeps them with
 * it, and the lines of text after the last.
 */
static double
headings_after(const struct pdf *p, cmark_node *n)
{
	const struct heading	*h;
	double			 sum = 0;
	int			 level;

	for (n = cmark_node_next(n); n != NULL &&
	    cmark_node_get_type(n) == CMARK_NODE_HEADING;
	    n = cmark_node_next(n)) {
		h = book_heading(p->bk, n);
		level = h != NULL ? h->level : cmark_node_get_heading_level(n);
		if (level < 1 || level > 6)
			break;
		sum += p->st->heading_before + p->st->heading_size[level - 1] *
		    1.25 + p->st->heading_after;
	}
	return sum;
}

/*
 * How many lines of what follows the headings from n a page must hold
 * with them: a paragraph needs room for three, as it may take them (a
 * three-line paragraph leaves no line behind, and a page does not end
 * on a hyphen); anything else, two.
 */
static double
lines_after(cmark_node *n)
{
	while (n != NULL && cmark_node_get_type(n) == CMARK_NODE_HEADING)
		n = cmark_node_next(n);
	return n != NULL && cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH ?
	    2 * MIN_LINES - 1 : MIN_LINES;
}

static void
heading(struct pdf *p, cmark_node *n)
{
	const struct heading	*h = book_heading(p->bk, n);
	int			 level = h != NULL ? h->level :
	    cmark_node_get_heading_level(n);
	double			 size, leading;
	struct line		*lines;
	size_t			 nl;
	HPDF_Destination	*dest;
	int			 tag;

	if (level < 1) {
		/* a part's heading: its title page is set already */
		if (h != NULL) {
			p->hpage[h - p->bk->headings] = p->cpage[p->chapter];
			pdf_name_dest(p, h->id);
			p->hdest[h - p->bk->headings] = p->cdest[p->chapter];
		}
		return;
	}
	size = p->st->heading_size[level - 1];
	leading = size * 1.25;
	inline_begin(&p->in, page_text_width(p), size, FONT_BOLD, 0);
	p->in.hyphenate = 0;
	p->in.path = p->path;
	fontset_features(p->fonts.fs, FEATURES_HEADINGS);
	inline_node(&p->in, n);
	fontset_features(p->fonts.fs, FEATURES_TEXT);
	inline_end(&p->in);
	p->in.hyphenate = 1;
	nl = line_break(p, &lines);
	if (!p->page_empty) {
		p->y -= p->st->heading_before;
		page_gap(p, p->st->heading_before, p->st->heading_before);
	}
	/* keep the heading with the headings and two lines that follow */
	if (!p->page_empty && p->y - leading * (double)(nl ? nl : 1) -
	    p->st->heading_after - headings_after(p, n) - lines_after(
	    cmark_node_next(n)) * p->st->leading < page_bottom(p)) {
		page_new(p);
		p->rep->widows++;
	}
	dest = h ? &p->hdest[h - p->bk->headings] : NULL;
	if (h != NULL) {
		p->hpage[h - p->bk->headings] = p->pageno;
		pdf_name_dest(p, h->id);
	}
	tag = tag_heading(p, level + p->tag_base - 1);
	if (nl == 0) {
		page_mark(p, n, 0);
		if (dest != NULL) {
			*dest = HPDF_Page_CreateDestination(p->page);
			HPDF_Destination_SetFitH(*dest, (HPDF_REAL)p->y);
		}
		p->y -= leading;
		p->page_empty = 0;
	} else
		page_place_lines(p, lines, nl, ALIGN_LEFT, leading, dest);
	tag_close(p, tag);
	free(lines);
	p->y -= p->st->heading_after;
	page_gap(p, p->st->heading_after, p->st->heading_after * 0.5);
	if (h != NULL && dest != NULL)
		pdf_outline(p, h->level + (p->bk->chapters[p->chapter].part >= 0),
		    h->text, *dest);
	if (block_top(p) != NULL)
		block_top(p)->prev_para = 0;
}

/* Below this, a picture prints visibly coarse (--press asks 300). */
#define PRINT_DPI	150

/* A picture of too few pixels for the size it is set at: a warning. */
static void
coarse(struct pdf *p, cmark_node *node, const struct image *im,
    HPDF_Image img, double width)
{
	const char	*path;
	double		 dpi;
	int		 line, col;

	if (p->opts->press || im == NULL || im->type == IMAGE_SVG ||
	    img == NULL || width <= 0)
		return;
	dpi = HPDF_Image_GetWidth(img) * 72.0 / width;
	if (dpi + 0.5 >= PRINT_DPI)
		return;
	book_where(p->bk, p->in.source, node, &path, &line, &col);
	diag_warning(path, line, col, "image '%s' prints at %.0f dpi at its "
	    "size (%.2f in across); %d at least is wanted", im->url != NULL ?
	    im->url : im->path, dpi, width / 72, PRINT_DPI);
}

/*
 * A figure: the image scaled into the text block, never split, captioned.
 * One that does not fit what is left of the page may float (defer) to
 * the top of the next, while the text goes on.
 */
void
block_figure(struct pdf *p, cmark_node *para, const struct figure *fg, int defer)
{
	const struct style	*st = p->st;
	cmark_node		*img = cmark_node_first_child(para);
	const struct image	*im = book_image(p->bk, img);
	struct pdfimg		*pi = NULL;
	struct line		*lines;
	struct buf		 cap = { NULL, 0, 0 };
	size_t			 nl;
	double			 w, h, maxw, maxh, capsize = st->size * 0.9;
	double			 capleading = st->leading * 0.9, x;
	char			*alt;
	int			 tag;

	if (im != NULL)
		pi = inline_image(&p->in, (size_t)(im - p->bk->images),
		    p->path, cmark_node_get_start_line(img),
		    cmark_node_get_start_column(img));
	if (fg->labelled)
		buf_puts(&cap, fg->caption);
	else
		buf_printf(&cap, "Figure %d. %s", fg->number, fg->caption);
	inline_begin(&p->in, page_text_width(p), capsize, FONT_TEXT, 0);
	p->in.path = p->path;
	if (pi == NULL) {
		/* the description stands in for a missing image */
		alt = book_plain(img);
		buf_reset(&p->tmp);
		buf_printf(&p->tmp, "[%s]", alt);
		free(alt);
		inline_text(&p->in, p->tmp.data, FONT_ITALIC);
		inline_end(&p->in);
		nl = line_break(p, &lines);
		page_space(p, st->leading * 0.5);
		tag = tag_open(p, "P");
		if (nl > 0)
			page_place_lines(p, lines, nl, ALIGN_CENTER, capleading,
			    NULL);
		tag_close(p, tag);
		free(lines);
		inline_begin(&p->in, page_text_width(p), capsize, FONT_TEXT, 0);
	}
	inline_text(&p->in, cap.data, FONT_ITALIC);
	inline_end(&p->in);
	buf_free(&cap);
	nl = line_break(p, &lines);

	if (pi != NULL) {
		maxw = page_text_width(p);
		maxh = st->page_height - st->margin_top - st->margin_bottom -
		    capleading * (double)(nl + 1);
		/* pixels at 96 dpi; an SVG (drawn at 300) at its natural size */
		w = im->type == IMAGE_SVG ? im->width_pt :
		    HPDF_Image_GetWidth(pi->img) * 0.75;
		h = im->type == IMAGE_SVG ? im->height_pt :
		    HPDF_Image_GetHeight(pi->img) * 0.75;
		if (w < 1 || h < 1)
			w = h = 1;
		if (w > maxw) {
			h *= maxw / w;
			w = maxw;
		}
		if (h > maxh) {
			w *= maxh / h;
			h = maxh;
		}
		if (!p->page_empty)
			page_space(p, st->leading * 0.5);
		if (p->y - h - capleading * (double)(nl + 0.5) < page_bottom(p)) {
			if (defer && !p->page_empty && p->deferred == NULL &&
			    p->depth == 1) {
				/* float: text fills the rest of this page */
				p->deferred = para;
				p->deferred_tag = tag_here(p, "Div");
				p->y += st->leading * 0.5;
				free(lines);
				return;
			}
			page_new(p);
		}
		x = p->left + indent_left(p) + (page_text_width(p) - w) / 2;
		page_mark(p, para, 0);
		tag = tag_open(p, "Figure");
		alt = book_plain(img);
		tag_alt(p, tag, alt);
		free(alt);
		content_image(p->cs, pi->img, x, p->y - h, w, h);
		tag_close(p, tag);
		press_image(p, img, im, pi->img, w);	/* --press: its dpi */
		coarse(p, img, im, pi->img, w);
		p->y -= h + capleading * 0.4;
		p->page_empty = 0;
	}
	tag = tag_open(p, "Caption");
	if (nl > 0)
		page_place_lines(p, lines, nl, ALIGN_CENTER, capleading, NULL);
	tag_close(p, tag);
	free(lines);
	page_space(p, st->leading * 0.5);
	if (block_top(p) != NULL)
		block_top(p)->prev_para = 0;
}

/*
 * Set a floated figure or listing at the top of the new page.  It may
 * arrive in the middle of a paragraph or a list, so the state they use
 * is set aside.
 */
void
block_float(struct pdf *p)
{
	cmark_node	*para = p->deferred;
	struct inliner	 saved = p->in;
	char		*marker = p->marker;
	size_t		 depth = p->depth;
	int		 mtag = p->marker_tag;
	int		 prev = tag_enter(p, p->deferred_tag);

	p->deferred = NULL;
	p->deferred_tag = 0;
	p->marker_tag = 0;
	p->in.items = NULL;
	p->in.nitems = p->in.cap = 0;
	p->in.glyphs = NULL;
	p->in.nglyphs = p->in.capglyphs = 0;
	memset(&p->in.text, 0, sizeof(p->in.text));
	p->in.scratch = NULL;
	p->marker = NULL;
	p->depth = 1;
	if (cmark_node_get_type(para) == CMARK_NODE_CODE_BLOCK)
		code_set(p, para, 0);
	else
		block_figure(p, para, book_figure(p->bk, para), 0);
	inline_free(&p->in);
	p->in = saved;
	p->marker = marker;
	p->marker_tag = mtag;
	p->depth = depth;
	tag_enter(p, prev);
}

static void
thematic_break(struct pdf *p)
{
	double	 cx = p->left + indent_left(p) + page_text_width(p) / 2;
	int	 prev;

	if (page_lines_fit(p, p->st->leading) < 1 + MIN_LINES) {
		page_new(p);
		return;
	}
	page_mark(p, NULL, 0);
	p->y -= p->st->leading;
	prev = tag_enter(p, TAG_ARTIFACT);
	content_rule(p->cs, 0.5, cx - 36, p->y + p->st->leading / 2, cx + 36,
	    p->y + p->st->leading / 2);
	tag_enter(p, prev);
	p->y -= p->st->leading * 0.5;
	p->page_empty = 0;
	if (block_top(p) != NULL)
		block_top(p)->prev_para = 0;
}

void
block_frame(struct pdf *p, cmark_node_type type, double indent, double rindent)
{
	struct frame	*f;

	if (p->depth == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->stack = xreallocarray(p->stack, p->cap, sizeof(*p->stack));
	}
	f = &p->stack[p->depth++];
	memset(f, 0, sizeof(*f));
	f->type = type;
	/* counted as frames open, not by walking them: lists nest deep */
	f->lists = (p->depth > 1 ? f[-1].lists : 0) +
	    (type == CMARK_NODE_LIST);
	/* past a few levels, nesting no longer narrows the text */
	if (p->depth > MAX_NEST)
		indent = rindent = 0;
	f->indent = indent;
	f->rindent = rindent;
	f->left = (p->depth > 1 ? f[-1].left : 0) + indent;
	f->right = (p->depth > 1 ? f[-1].right : 0) + rindent;
}

/* An item's marker hangs left of its text, on its first line. */
static void
list_item(struct pdf *p, cmark_node *item)
{
	cmark_node	*list = cmark_node_parent(item);
	struct frame	*lf = block_top(p);
	char		 m[32];
	size_t		 nested = lf ? lf->lists : 0;
	double		 w;

	if (markdown_is_tasklist(item))
		/* a task: a ballot box, checked when done */
		snprintf(m, sizeof(m), "%s", markdown_task_checked(item) ?
		    "\xe2\x98\x91" : "\xe2\x98\x90");
	else if (cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) {
		snprintf(m, sizeof(m), "%d%c", lf ? lf->number++ : 1,
		    cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM ?
		    ')' : '.');
	} else
		snprintf(m, sizeof(m), "%s", nested % 2 ? "\xe2\x80\xa2" :
		    "\xe2\x80\x93");
	w = pdf_measure(p, FONT_TEXT, m, p->st->size);
	block_frame(p, CMARK_NODE_ITEM, w + 6 > LIST_INDENT ? w + 6 :
	    LIST_INDENT, 0);
	free(p->marker);
	p->marker = xstrdup(m);
	p->marker_x = w + 5;
	/* LI: its label, then its body, which holds its blocks */
	block_top(p)->tag = tag_open(p, "LI");
	p->marker_tag = tag_here(p, "Lbl");
	tag_open(p, "LBody");
}

void
block_walk(struct pdf *p, cmark_node *doc)
{
	cmark_iter		*it = cmark_iter_new(doc);
	cmark_event_type	 ev;
	cmark_node		*n;
	const struct figure	*fg;
	struct frame		*f;
	int			 enter;

	block_frame(p, CMARK_NODE_DOCUMENT, 0, 0);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		enter = ev == CMARK_EVENT_ENTER;
		if (enter || cmark_node_get_type(n) == CMARK_NODE_ITEM)
			p->anchor = n;
		if (enter)
			diag_context(p->path, cmark_node_get_start_line(n),
			    "setting this in the PDF");
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_BLOCK_QUOTE:
			if (enter) {
				page_space(p, p->st->leading * 0.4);
				block_frame(p, CMARK_NODE_BLOCK_QUOTE,
				    QUOTE_INDENT, QUOTE_INDENT);
				block_top(p)->tag = tag_open(p, "BlockQuote");
			} else {
				tag_close(p, block_top(p)->tag);
				p->depth--;
				page_space(p, p->st->leading * 0.4);
				if ((f = block_top(p)) != NULL)
					f->prev_para = 0;
			}
			break;
		case CMARK_NODE_LIST:
			if (enter) {
				if (block_top(p) == NULL ||
				    block_top(p)->type != CMARK_NODE_ITEM)
					page_space(p, p->st->leading * 0.3);
				block_frame(p, CMARK_NODE_LIST, 0, 0);
				block_top(p)->number = cmark_node_get_list_start(n);
				block_top(p)->tag = tag_open(p, "L");
			} else {
				tag_close(p, block_top(p)->tag);
				p->depth--;
				if (block_top(p) == NULL ||
				    block_top(p)->type != CMARK_NODE_ITEM)
					page_space(p, p->st->leading * 0.3);
				if ((f = block_top(p)) != NULL)
					f->prev_para = 0;
			}
			break;
		case CMARK_NODE_ITEM:
			if (enter) {
				list_item(p, n);
				break;
			}
			if (p->marker != NULL) {
				/* an empty item still shows its marker */
				inline_begin(&p->in, page_text_width(p),
				    p->st->size, FONT_TEXT, 0);
				inline_text(&p->in, "\xc2\xa0", FONT_TEXT);
				inline_end(&p->in);
				{
					struct line	*lines;
					size_t		 nl = line_break(p,
					    &lines);

					page_place_lines(p, lines, nl, ALIGN_LEFT,
					    p->st->leading, NULL);
					free(lines);
				}
			}
			tag_close(p, block_top(p)->tag);
			p->depth--;
			break;
		case CMARK_NODE_PARAGRAPH:
			if (!enter)
				break;
			if ((fg = book_figure(p->bk, n)) != NULL)
				block_figure(p, n, fg, 1);
			else
				paragraph(p, n);
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			break;
		case CMARK_NODE_HEADING:
			if (!enter)
				break;
			heading(p, n);
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			break;
		case CMARK_NODE_CODE_BLOCK:
			code_set(p, n, 1);
			break;
		case CMARK_NODE_THEMATIC_BREAK:
			thematic_break(p);
			break;
		case CMARK_NODE_CUSTOM_BLOCK:
			element(p, n, enter);
			break;
		default:
			if (enter && cmark_node_get_type(n) ==
			    CMARK_NODE_TABLE) {
				table_set(p, n);
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
				if ((f = block_top(p)) != NULL)
					f->prev_para = 0;
			}
			break;	/* document, raw HTML */
		}
	}
	cmark_iter_free(it);
	free(p->marker);
	p->marker = NULL;
	if (p->deferred != NULL) {
		/* a figure still floating ends its chapter */
		p->short_ok = 1;
		page_new(p);
	}
	p->depth = 0;
}
