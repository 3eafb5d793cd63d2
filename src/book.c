/*
 * From parsed files to a book: raw HTML converted (html.c), mdBook's
 * hidden lines hidden, footnotes taken out of the text and numbered, the
 * files' blocks dealt into chapters at their top-level headings, and the
 * facts both editions need — heading ids, figure numbers, link targets,
 * image files — worked out once here, so that neither renderer computes
 * them (or warns about them) twice.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "book.h"
#include "buf.h"
#include "diag.h"
#include "file.h"
#include "highlight.h"
#include "image.h"
#include "markdown.h"
#include "mdbook.h"
#include "par.h"
#include "svg.h"
#include "toml.h"
#include "url.h"
#include "utf8.h"
#include "words.h"

#define LINK_MAX	32768	/* bytes of an address */

#define NODE_INDEX(n)	((size_t)(uintptr_t)cmark_node_get_user_data(n))

static void
set_index(cmark_node *n, size_t i)
{
	cmark_node_set_user_data(n, (void *)(uintptr_t)i);
}

static const char *
basename_of(const char *path)
{
	const char	*slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static size_t
count_words(const char *s)
{
	size_t	 n = 0;
	int	 in = 0;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\t')
			in = 0;
		else if (!in) {
			in = 1;
			n++;
		}
	}
	return n;
}

static int
is_heading(cmark_node *n)
{
	return cmark_node_get_type(n) == CMARK_NODE_HEADING;
}

/* Plain text of a node's inline content, soft breaks as spaces. */
char *
book_plain(cmark_node *root)
{
	struct buf		 b = { NULL, 0, 0 };
	cmark_iter		*it = cmark_iter_new(root);
	cmark_event_type	 ev;
	cmark_node		*n;
	const char		*lit;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			if ((lit = cmark_node_get_literal(n)) != NULL)
				buf_puts(&b, lit);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(&b, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	return buf_detach(&b);
}

/* ------------------------------------------------------------ positions */

static size_t
ptrhash(const void *p)
{
	uintptr_t	 v = (uintptr_t)p;

	v ^= v >> 17;
	v *= (uintptr_t)0x9E3779B97F4A7C15ULL;
	return (size_t)(v ^ (v >> 29));
}

/* Remember where a node made from HTML was written. */
void
book_set_where(struct book *bk, cmark_node *n, int line, int col)
{
	struct nodepos	*old = bk->pos;
	size_t		 oldcap = bk->cappos, i, j;

	if ((bk->npos + 1) * 2 > bk->cappos) {
		bk->cappos = oldcap ? oldcap * 2 : 256;
		bk->pos = xcalloc(bk->cappos, sizeof(*bk->pos));
		for (i = 0; i < oldcap; i++) {
			if (old[i].node == NULL)
				continue;
			for (j = ptrhash(old[i].node) & (bk->cappos - 1);
			    bk->pos[j].node != NULL;
			    j = (j + 1) & (bk->cappos - 1))
				continue;
			bk->pos[j] = old[i];
		}
		free(old);
	}
	for (i = ptrhash(n) & (bk->cappos - 1); bk->pos[i].node != NULL &&
	    bk->pos[i].node != n; i = (i + 1) & (bk->cappos - 1))
		continue;
	if (bk->pos[i].node == NULL)
		bk->npos++;
	bk->pos[i].node = n;
	bk->pos[i].line = line;
	bk->pos[i].col = col;
}

static const struct nodepos *
made_at(const struct book *bk, const cmark_node *n)
{
	size_t	 i;

	if (bk->cappos == 0)
		return NULL;
	for (i = ptrhash(n) & (bk->cappos - 1); bk->pos[i].node != NULL;
	    i = (i + 1) & (bk->cappos - 1))
		if (bk->pos[i].node == n)
			return &bk->pos[i];
	return NULL;
}

/*
 * An autolink's column: cmark-gfm counts one on a paragraph's later
 * line from the paragraph's start (4:19 for 4:13), and a www. link at
 * its text node's.  Its text is found on its line instead, after "<"
 * when written so.
 */
static int
autolink_col(const struct source *s, cmark_node *n, int line, int col)
{
	cmark_node	*t = cmark_node_first_child(n);
	const char	*url = cmark_node_get_url(n), *lit, *p, *end, *at;
	size_t		 ll, ul;
	int		 l;

	if (cmark_node_get_type(n) != CMARK_NODE_LINK || t == NULL ||
	    cmark_node_get_type(t) != CMARK_NODE_TEXT || s->text == NULL ||
	    (lit = cmark_node_get_literal(t)) == NULL || url == NULL ||
	    (ll = strlen(lit)) == 0 || (ul = strlen(url)) < ll ||
	    strcmp(url + ul - ll, lit) != 0)
		return col;
	for (p = s->text, l = 1; l < line && p != NULL; l++)
		if ((p = memchr(p, '\n', s->len - (size_t)(p - s->text))) != NULL)
			p++;
	if (p == NULL)
		return col;
	if ((end = memchr(p, '\n', s->len - (size_t)(p - s->text))) == NULL)
		end = s->text + s->len;
	for (at = p; at + ll <= end; at++)
		if (memcmp(at, lit, ll) == 0)
			return (int)(at - p) + (at > p && at[-1] == '<' ? 0 : 1);
	return col;
}

/*
 * Where a node was written: its file and line, through the line map of
 * an mdBook chapter whose includes were expanded, and for a node made
 * from HTML (or by the GFM autolinker) the nearest that has a position.
 */
void
book_where(const struct book *bk, size_t source, cmark_node *n,
    const char **path, int *line, int *col)
{
	const struct source	*s = &bk->sources[source];
	const struct nodepos	*p;
	cmark_node		*m;

	*path = s->path;
	*line = *col = 0;
	for (m = n; m != NULL; m = cmark_node_parent(m)) {
		if ((p = made_at(bk, m)) != NULL) {
			*line = p->line;
			*col = p->col;
			break;
		}
		if (cmark_node_get_start_line(m) > 0) {
			*line = cmark_node_get_start_line(m);
			*col = autolink_col(s, n, *line,
			    cmark_node_get_start_column(m));
			break;
		}
	}
	if (*line > 0 && s->map.n > 0 && (size_t)*line <= s->map.n) {
		*path = s->map.v[*line - 1].file;
		*line = s->map.v[*line - 1].line;
	}
}

/* ------------------------------------------------------------ ids */

static size_t
strhash(const char *s)
{
	size_t	 h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/*
 * A generated id: "note.3", or "note.3.2" and so on if an anchor the
 * author wrote has it already.  Generated ids hold a '.', which no
 * heading's slug has.
 */
static const char *
gen_id(struct book *bk, const char *kind, int n)
{
	char		 id[64];
	const char	*s;
	int		 k;

	snprintf(id, sizeof(id), "%s.%d", kind, n);
	for (k = 2; (s = slug_add(&bk->ids, id)) == NULL; k++)
		snprintf(id, sizeof(id), "%s.%d.%d", kind, n, k);
	return s;
}

/*
 * The e-book's print page markers are "page.12": unless the author's
 * anchors use that prefix, in which case "page2.12", and so on.  Page
 * labels hold no '.', so these never meet a generated id.
 */
static void
page_prefix(struct book *bk)
{
	size_t	 i, n;
	int	 k = 1;

	for (;;) {
		if (k == 1)
			snprintf(bk->pageprefix, sizeof(bk->pageprefix), "page.");
		else
			snprintf(bk->pageprefix, sizeof(bk->pageprefix),
			    "page%d.", k);
		n = strlen(bk->pageprefix);
		for (i = 0; i < bk->ids.cap; i++)
			if (bk->ids.slots[i] != NULL &&
			    strncmp(bk->ids.slots[i], bk->pageprefix, n) == 0)
				break;
		if (i == bk->ids.cap)
			return;
		k++;
	}
}

/* Every id of the book and the document it is in: headings, anchors. */
static void
id_put(struct book *bk, const char *id, size_t seg)
{
	struct idseg	*old = bk->idmap;
	size_t		 oldcap = bk->capidmap, i, j;

	if ((bk->nidmap + 1) * 2 > bk->capidmap) {
		bk->capidmap = oldcap ? oldcap * 2 : 256;
		bk->idmap = xcalloc(bk->capidmap, sizeof(*bk->idmap));
		for (i = 0; i < oldcap; i++) {
			if (old[i].id == NULL)
				continue;
			for (j = strhash(old[i].id) & (bk->capidmap - 1);
			    bk->idmap[j].id != NULL;
			    j = (j + 1) & (bk->capidmap - 1))
				continue;
			bk->idmap[j] = old[i];
		}
		free(old);
	}
	for (i = strhash(id) & (bk->capidmap - 1); bk->idmap[i].id != NULL;
	    i = (i + 1) & (bk->capidmap - 1))
		continue;
	bk->idmap[i].id = id;
	bk->idmap[i].segment = seg;
	bk->nidmap++;
}

static const struct idseg *
id_get(const struct book *bk, const char *id)
{
	size_t	 i;

	if (bk->capidmap == 0)
		return NULL;
	for (i = strhash(id) & (bk->capidmap - 1); bk->idmap[i].id != NULL;
	    i = (i + 1) & (bk->capidmap - 1))
		if (strcmp(bk->idmap[i].id, id) == 0)
			return &bk->idmap[i];
	return NULL;
}

/* ------------------------------------------------------------ sources */

static void	clear_marks(cmark_node *);
static int	is_element(const struct book *, cmark_node *, const char *);

/* mdBook hides the lines of Rust examples that start with "# ". */
static void
hide_lines(cmark_node *doc)
{
	cmark_iter		*it = cmark_iter_new(doc);
	cmark_event_type	 ev;
	cmark_node		*n;
	const char		*info, *lit;
	char			*vis;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK)
			continue;
		info = cmark_node_get_fence_info(n);
		lit = cmark_node_get_literal(n);
		if (info == NULL || lit == NULL || !mdbook_is_rust(info))
			continue;
		vis = mdbook_visible(lit);
		cmark_node_set_literal(n, vis);
		free(vis);
	}
	cmark_iter_free(it);
}

/* The lowest heading level a document uses, or 7 if it has none. */
static int
top_level(cmark_node *doc)
{
	cmark_node	*n;
	int		 best = 7, l;

	for (n = cmark_node_first_child(doc); n != NULL; n = cmark_node_next(n))
		if (is_heading(n) && (l = cmark_node_get_heading_level(n)) <
		    best)
			best = l;
	return best;
}

/*
 * A file nested in SUMMARY.md is a section of the chapter above it:
 * its headings are moved down so that none opens a chapter.
 */
static void
shift_nested(struct book *bk)
{
	size_t	 i;
	int	 base = 7, m;

	for (i = 0; i < bk->nsources; i++)
		if (bk->sources[i].depth == 0 &&
		    (m = top_level(bk->sources[i].doc)) < base)
			base = m;
	if (base == 7)
		base = 1;
	for (i = 0; i < bk->nsources; i++) {
		struct source	*s = &bk->sources[i];

		if (s->depth == 0 || (m = top_level(s->doc)) == 7)
			continue;
		if (m < base + s->depth)
			s->shift = base + s->depth - m;
	}
}

static int
level_of(const struct book *bk, size_t source, cmark_node *h)
{
	int	 l = cmark_node_get_heading_level(h) +
	    bk->sources[source].shift;

	return l > 6 ? 6 : l;
}

/*
 * Footnote definitions leave the text (cmark-gfm puts the referenced
 * ones at its end, in the order of their first references, which the
 * references' numbers follow); references point at their note.
 */
static void
take_notes(struct book *bk, size_t si)
{
	struct source		*s = &bk->sources[si];
	cmark_node		*n, *next, **defs = NULL;
	cmark_iter		*it;
	cmark_event_type	 ev;
	size_t			 ndefs = 0, first = bk->nnotes, k;
	const char		*lit;

	for (n = cmark_node_first_child(s->doc); n != NULL; n = next) {
		next = cmark_node_next(n);
		if (cmark_node_get_type(n) != CMARK_NODE_FOOTNOTE_DEFINITION)
			continue;
		cmark_node_unlink(n);
		defs = xreallocarray(defs, ndefs + 1, sizeof(*defs));
		defs[ndefs++] = n;
	}
	if (ndefs == 0)
		return;
	bk->notes = xreallocarray(bk->notes, bk->nnotes + ndefs,
	    sizeof(*bk->notes));
	for (k = 0; k < ndefs; k++) {
		clear_marks(defs[k]);
		memset(&bk->notes[bk->nnotes], 0, sizeof(bk->notes[0]));
		bk->notes[bk->nnotes].def = defs[k];
		bk->notes[bk->nnotes++].source = si;
	}
	free(defs);
	it = cmark_iter_new(s->doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) !=
		    CMARK_NODE_FOOTNOTE_REFERENCE)
			continue;
		lit = cmark_node_get_literal(n);
		k = lit ? strtoul(lit, NULL, 10) : 0;
		set_index(n, k >= 1 && k <= ndefs ? first + k : 0);
	}
	cmark_iter_free(it);
	/* a note may refer to a note: those references, too */
	for (k = first; k < bk->nnotes; k++) {
		it = cmark_iter_new(bk->notes[k].def);
		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
			size_t	 v;

			n = cmark_iter_get_node(it);
			if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) !=
			    CMARK_NODE_FOOTNOTE_REFERENCE)
				continue;
			lit = cmark_node_get_literal(n);
			v = lit ? strtoul(lit, NULL, 10) : 0;
			set_index(n, v >= 1 && v <= ndefs ? first + v : 0);
		}
		cmark_iter_free(it);
	}
}

/* ------------------------------------------------------------ code */

/* The value of name="..." in a fenced block's info string, or NULL. */
static char *
info_attr(const char *info, const char *name)
{
	const char	*p = info, *e;
	size_t		 n = strlen(name);

	while ((p = strstr(p, name)) != NULL) {
		if ((p == info || strchr(" {,", p[-1]) != NULL) &&
		    p[n] == '=' && p[n + 1] == '"' &&
		    (e = strchr(p + n + 2, '"')) != NULL)
			return xstrndup(p + n + 2, (size_t)(e - p - n - 2));
		p += n;
	}
	return NULL;
}

static int
info_flag(const char *info, const char *name)
{
	const char	*p = info;
	size_t		 n = strlen(name);

	while ((p = strstr(p, name)) != NULL) {
		if ((p == info || strchr(" {,.", p[-1]) != NULL) &&
		    (p[n] == '\0' || strchr(" },", p[n]) != NULL))
			return 1;
		p += n;
	}
	return 0;
}

/* A caption written in an attribute is Markdown too (`code` in it). */
static cmark_node *
caption_of(const struct book *bk, const char *text)
{
	cmark_node	*doc, *para;

	if (text == NULL || *text == '\0')
		return NULL;
	doc = markdown_parse(text, strlen(text), bk->smart);
	if ((para = cmark_node_first_child(doc)) != NULL)
		cmark_node_unlink(para);
	cmark_node_free(doc);
	return para;
}

static void
add_listing(struct book *bk, size_t code, const char *number,
    const char *file, const char *caption)
{
	struct listing	*l;
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i, auto_n = 1;

	for (i = 0; i < bk->nlistings; i++)
		if (bk->listings[i].label != NULL)
			auto_n++;
	bk->listings = xreallocarray(bk->listings, bk->nlistings + 1,
	    sizeof(*bk->listings));
	l = &bk->listings[bk->nlistings];
	memset(l, 0, sizeof(*l));
	l->code = code;
	l->file = file != NULL && *file ? xstrdup(file) : NULL;
	l->caption = caption_of(bk, caption);
	/* numbered through the book when the author gives no number */
	if (number != NULL && *number) {
		buf_printf(&b, "Listing %s", number);
		l->label = buf_detach(&b);
		buf_printf(&b, "listing.%s", number);
	} else if (l->caption != NULL) {
		buf_printf(&b, "Listing %zu", auto_n);
		l->label = buf_detach(&b);
		buf_printf(&b, "listing.%zu", auto_n);
	} else
		buf_printf(&b, "listing.f%zu", bk->nlistings + 1);
	if ((l->id = slug_add(&bk->ids, b.data)) == NULL)
		l->id = slug_unique(&bk->ids, b.data);
	buf_free(&b);
	bk->codes[code].listing = (long)bk->nlistings++;
}

/* A paragraph that is only <span class="filename">Filename: x</span>. */
static char *
filename_para(const struct book *bk, cmark_node *para)
{
	cmark_node		*c;
	const struct element	*e;
	char			*t, *f;

	if (para == NULL || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH ||
	    (c = cmark_node_first_child(para)) == NULL ||
	    cmark_node_next(c) != NULL || (e = book_element(bk, c)) == NULL ||
	    e->cls == NULL || strcmp(e->cls, "filename") != 0)
		return NULL;
	t = book_plain(c);
	f = xstrdup(strncmp(t, "Filename: ", 10) == 0 ? t + 10 : t);
	free(t);
	return f;
}

/*
 * Code blocks: their language, highlighted once for both editions (the
 * highlighter is not thread-safe), line numbers asked for, and the
 * listings they are — in a <Listing> wrapper, after a "Filename:" line,
 * or with title="" or caption="" in the info string.
 */
static void
scan_codes(struct book *bk, cmark_node *root)
{
	cmark_iter		*it = cmark_iter_new(root);
	cmark_event_type	 ev;
	cmark_node		*n, *prev, *box;
	const struct element	*e;
	struct code		*c;
	const char		*info, *lit;
	char			*file, *title, *caption;
	size_t			 k;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK)
			continue;
		bk->codes = xreallocarray(bk->codes, bk->ncodes + 1,
		    sizeof(*bk->codes));
		c = &bk->codes[k = bk->ncodes++];
		memset(c, 0, sizeof(*c));
		c->node = n;
		c->listing = -1;
		set_index(n, bk->ncodes);
		info = cmark_node_get_fence_info(n);
		lit = cmark_node_get_literal(n);
		if (info != NULL && *info) {
			c->lang = xstrndup(info, strcspn(info, " \t,{"));
			c->linenos = info_flag(info, "linenos") ||
			    info_flag(info, "linenums");
		}
		if (c->lang != NULL && lit != NULL && highlight(c->lang, lit,
		    strlen(lit), &c->spans, &c->nspans) == -1) {
			c->spans = NULL;
			c->nspans = 0;
		}
		box = cmark_node_parent(n);
		e = box != NULL ? book_element(bk, box) : NULL;
		prev = cmark_node_previous(n);
		title = info ? info_attr(info, "title") : NULL;
		caption = info ? info_attr(info, "caption") : NULL;
		if (e != NULL && strcmp(e->name, "listing") == 0 &&
		    cmark_node_first_child(box) == n)
			add_listing(bk, k, e->number, e->file, e->caption);
		else if ((file = filename_para(bk, prev)) != NULL) {
			add_listing(bk, k, NULL, file, caption);
			cmark_node_free(prev);
			free(file);
		} else if (title != NULL || caption != NULL)
			add_listing(bk, k, NULL, title, caption);
		free(title);
		free(caption);
	}
	cmark_iter_free(it);
}

/* ------------------------------------------------------------ chapters */

struct dealer {
	struct book	*bk;
	int		 chapter_level;	/* a heading at it opens a chapter */
	int		 part_level;	/* one that opens a part, or 0 */
	int		 by_file;	/* top-level: section: files only */
	long		 part;		/* the part being filled, or -1 */
};

static size_t
new_division(struct dealer *d, enum division kind, enum matter matter,
    const struct source *s)
{
	struct book	*bk = d->bk;
	struct chapter	*c;

	bk->chapters = xreallocarray(bk->chapters, bk->nchapters + 1,
	    sizeof(*bk->chapters));
	c = &bk->chapters[bk->nchapters];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->matter = matter;
	c->title_heading = -1;
	c->part = kind == DIV_PART ? -1 : d->part;
	c->first_seg = bk->nsegments;
	c->path = s->path;
	c->name = s->name;
	if (kind == DIV_PART)
		d->part = (long)bk->nchapters;
	/* front and back matter stand outside parts */
	if (matter != MATTER_BODY && kind == DIV_CHAPTER)
		c->part = -1;
	return bk->nchapters++;
}

static struct segment *
new_segment(struct book *bk, size_t source)
{
	struct segment	*g;

	bk->segments = xreallocarray(bk->segments, bk->nsegments + 1,
	    sizeof(*bk->segments));
	g = &bk->segments[bk->nsegments];
	memset(g, 0, sizeof(*g));
	g->source = source;
	g->doc = markdown_node_new(CMARK_NODE_DOCUMENT);
	g->chapter = bk->nchapters - 1;
	bk->chapters[g->chapter].nsegs++;
	if (bk->sources[source].seg < 0)
		bk->sources[source].seg = (long)bk->nsegments;
	bk->nsegments++;
	return g;
}

/*
 * A paragraph that shows nothing: only anchors (<a id>), line breaks
 * and blanks, as mdBook books keep the ids of headings they renamed.
 */
static int
shows_nothing(const struct book *bk, cmark_node *n)
{
	cmark_node	*c;
	const char	*lit;

	if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH)
		return 0;
	for (c = cmark_node_first_child(n); c != NULL; c = cmark_node_next(c))
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			break;
		case CMARK_NODE_TEXT:
			lit = cmark_node_get_literal(c);
			if (lit != NULL && lit[strspn(lit, " \t\r\n")] != '\0')
				return 0;
			break;
		case CMARK_NODE_CUSTOM_INLINE:
			if (!is_element(bk, c, "anchor") ||
			    cmark_node_first_child(c) != NULL)
				return 0;
			break;
		default:
			return 0;
		}
	return 1;
}

/*
 * Does the heading that opens a chapter (or a part) follow the file's
 * first blocks, with only blocks that show nothing before it?  Then
 * those go with it: the anchors of a renamed heading are part of the
 * chapter it opens, not a chapter of their own or the end of the one
 * before.
 */
static int
heading_follows(const struct dealer *d, size_t si, cmark_node *n)
{
	const struct book	*bk = d->bk;
	int			 level;

	if (d->by_file)
		return 0;
	for (; n != NULL && shows_nothing(bk, n); n = cmark_node_next(n))
		continue;
	if (n == NULL || !is_heading(n))
		return 0;
	level = level_of(bk, si, n);
	return level == d->chapter_level ||
	    (d->part_level > 0 && level == d->part_level);
}

/*
 * A part named in SUMMARY.md has no file: it is given a document of its
 * own holding its title as a heading, so that both editions treat it as
 * a part opened by a heading (a title page in print, a document in the
 * e-book's reading order and contents).  The file it stands before
 * keeps its own first segment, which links to the file go to.
 */
static void
part_segment(struct book *bk, size_t si)
{
	struct source	*s = &bk->sources[si];
	struct segment	*g;
	cmark_node	*h, *t;
	long		 seg = s->seg;

	g = new_segment(bk, si);
	s->seg = seg;
	h = markdown_node_new(CMARK_NODE_HEADING);
	cmark_node_set_heading_level(h, 1);
	t = markdown_node_new(CMARK_NODE_TEXT);
	cmark_node_set_literal(t, s->part);
	cmark_node_append_child(h, t);
	cmark_node_append_child(g->doc, h);
}

/*
 * Deal one file's blocks into segments: a heading at the chapter level
 * (or the part level) opens a chapter (a part) with a new segment; the
 * file's first block opens a new segment of the chapter before, or a
 * new chapter when the file must open one.
 */
static void
deal(struct dealer *d, size_t si)
{
	struct book	*bk = d->bk;
	struct source	*s = &bk->sources[si];
	struct segment	*g = NULL;
	cmark_node	*n, *next, *held = NULL, *h;
	int		 level, first = 1;
	size_t		 c;

	if (s->part != NULL) {
		c = new_division(d, DIV_PART, MATTER_BODY, s);
		bk->chapters[c].title = xstrdup(s->part);
		part_segment(bk, si);
	}
	if (heading_follows(d, si, cmark_node_first_child(s->doc)))
		held = markdown_node_new(CMARK_NODE_DOCUMENT);
	for (n = cmark_node_first_child(s->doc); n != NULL; n = next) {
		next = cmark_node_next(n);
		if (held != NULL && !is_heading(n)) {
			cmark_node_unlink(n);
			cmark_node_append_child(held, n);
			continue;
		}
		level = is_heading(n) ? level_of(bk, si, n) : 0;
		if (!d->by_file && d->part_level > 0 &&
		    level == d->part_level) {
			new_division(d, DIV_PART, s->matter, s);
			g = new_segment(bk, si);
		} else if ((!d->by_file && level == d->chapter_level) ||
		    (first && (s->opens || d->by_file ||
		    bk->nchapters == 0))) {
			new_division(d, DIV_CHAPTER, s->matter, s);
			g = new_segment(bk, si);
		} else if (first)
			g = new_segment(bk, si);
		first = 0;
		if (held != NULL) {
			while ((h = cmark_node_first_child(held)) != NULL) {
				cmark_node_unlink(h);
				cmark_node_append_child(g->doc, h);
				s->nblocks++;
			}
			cmark_node_free(held);
			held = NULL;
		}
		cmark_node_unlink(n);
		cmark_node_append_child(g->doc, n);
		s->nblocks++;
	}
	if (first && s->opens) {
		/* an empty chapter file: its title from SUMMARY.md */
		c = new_division(d, DIV_CHAPTER, s->matter, s);
		new_segment(bk, si);
	}
}

static void
divide(struct book *bk)
{
	struct dealer	 d;
	const char	*tl = bk->meta.toplevel.s;
	size_t		 i;
	int		 base = 7, m;

	memset(&d, 0, sizeof(d));
	d.bk = bk;
	d.part = -1;
	for (i = 0; i < bk->nsources; i++) {
		bk->sources[i].seg = -1;
		if ((m = top_level(bk->sources[i].doc)) < 7 &&
		    m + bk->sources[i].shift < base)
			base = m + bk->sources[i].shift;
	}
	if (base == 7)
		base = 1;
	d.chapter_level = base;
	if (tl != NULL && strcmp(tl, "part") == 0) {
		d.part_level = base;
		d.chapter_level = base + 1;
	} else if (tl != NULL && strcmp(tl, "section") == 0)
		d.by_file = 1;
	else if (tl != NULL && strcmp(tl, "chapter") != 0)
		diag_error(bk->meta.toplevel.file, bk->meta.toplevel.line,
		    bk->meta.toplevel.col, "top-level: '%s' is not part, "
		    "chapter or section", tl);
	for (i = 0; i < bk->nsources; i++)
		deal(&d, i);
	/* levels: 1 for a chapter's title, 0 for a part's */
	for (i = 0; i < bk->nsources; i++)
		bk->sources[i].shift += 1 - d.chapter_level;
}

/* ------------------------------------------------------------ images */

/* An image's path in the manuscript folder, from its file's folder. */
static char *
image_rel(const char *fromrel, const char *url)
{
	char	*dec = url_unescape(url, strcspn(url, "?#")), *rel;

	rel = url_join(fromrel, dec);
	free(dec);
	return rel;
}

/* A local image, as resolve_image takes it: not remote, not absolute. */
static int
image_local(const char *url)
{
	size_t	 slen;

	return url != NULL && *url != '\0' && !url_scheme(url, &slen) &&
	    strncmp(url, "//", 2) != 0 && url[0] != '/';
}

/*
 * Resolve an image path against its file's folder.  Only files inside
 * the manuscript folder are read (file.c decides on the resolved path):
 * PNG and JPEG, decoded to be sure they are whole and of a size that can
 * be decoded, and SVG, sanitised for the e-book and drawn for the print.
 * The bytes are read once, here, for both editions.  Returns the image
 * index + 1, or 0.
 */
static size_t
resolve_image(struct book *bk, const char *from, const char *fromrel,
    const char *url, int line, int col)
{
	struct buf	 b = { NULL, 0, 0 }, full = { NULL, 0, 0 };
	struct buf	 svg = { NULL, 0, 0 };
	struct image_info ii;
	char		 real[PATH_MAX], why[256];
	char		*rel;
	struct image	*im;
	enum image_kind	 kind;
	size_t		 i, slen;
	int		 type, removed = 0;

	if (url == NULL || *url == '\0') {
		diag_warning(from, line, col, "image without a source; "
		    "its description is shown instead");
		return 0;
	}
	if (url_scheme(url, &slen) || strncmp(url, "//", 2) == 0) {
		diag_warning(from, line, col, "remote image '%s' is not "
		    "fetched; its description is shown instead", url);
		return 0;
	}
	if (url[0] == '/') {
		diag_warning(from, line, col, "image '%s' is outside the "
		    "manuscript folder; refused", url);
		return 0;
	}
	rel = image_rel(fromrel, url);
	if (file_read_in(bk->root, rel, FILE_MAX_IMAGE, &b, why,
	    sizeof(why)) == -1) {
		if (strncmp(why, "is outside", 10) == 0)
			diag_warning(from, line, col, "image '%s' is outside "
			    "the manuscript folder; refused", url);
		else if (strcmp(why, "not found") == 0)
			diag_warning(from, line, col, "image '%s' not found; "
			    "its description is shown instead", url);
		else
			diag_warning(from, line, col, "image '%s' %s; its "
			    "description is shown instead", url, why);
		goto fail;
	}
	buf_printf(&full, "%s/%s", bk->root, rel);
	if (realpath(full.data, real) == NULL)
		goto fail;
	for (i = 0; i < bk->nimages; i++)
		if (strcmp(bk->images[i].path, real) == 0) {
			buf_free(&b);
			buf_free(&full);
			free(rel);
			return i + 1;
		}
	if ((kind = image_sniff((const unsigned char *)b.data, b.len)) ==
	    IMAGE_KIND_OTHER) {
		diag_warning(from, line, col, "image '%s' is not a PNG, JPEG "
		    "or SVG file; its description is shown instead", url);
		goto fail;
	}
	/* PNG and JPEG are decoded later, all at once (check_images) */
	memset(&ii, 0, sizeof(ii));
	if (kind == IMAGE_KIND_SVG && svg_sanitize((const unsigned char *)
	    b.data, b.len, &svg, &ii.width_pt, &ii.height_pt, &removed, why,
	    sizeof(why)) == -1) {
		diag_warning(from, line, col, "image '%s' %s; its description "
		    "is shown instead", url, why);
		goto fail;
	}
	if (removed > 0)
		diag_warning(from, line, col, "image '%s': %d unsafe part%s "
		    "(scripts, event handlers, references out of the file) "
		    "left out", url, removed, removed == 1 ? "" : "s");
	type = kind == IMAGE_KIND_PNG ? IMAGE_PNG : kind == IMAGE_KIND_JPEG ?
	    IMAGE_JPEG : IMAGE_SVG;
	bk->images = xreallocarray(bk->images, bk->nimages + 1,
	    sizeof(*bk->images));
	im = &bk->images[bk->nimages++];
	memset(im, 0, sizeof(*im));
	im->path = xstrdup(real);
	im->type = (enum image_type)type;
	im->len = b.len;
	im->data = (unsigned char *)buf_detach(&b);
	im->svg = svg;
	im->width_pt = ii.width_pt;
	im->height_pt = ii.height_pt;
	im->from = from;
	im->line = line;
	im->col = col;
	im->url = xstrdup(url);
	buf_reset(&full);
	buf_printf(&full, "images/img%zu.%s", bk->nimages,
	    type == IMAGE_PNG ? "png" : type == IMAGE_JPEG ? "jpg" : "svg");
	im->name = buf_detach(&full);
	free(rel);
	return bk->nimages;
fail:
	buf_free(&b);
	buf_free(&svg);
	buf_free(&full);
	free(rel);
	return 0;
}

/*
 * Decoding every PNG and JPEG to be sure it is whole is most of a book's
 * reading time when it has figures; they are decoded at once, on the
 * machine's cores, and each refused one warned about where it was
 * first named.
 */
struct checker {
	struct book	*bk;
	char		(*why)[256];
	unsigned char	*done;		/* taken from the early checks */
};

static void
check_one(void *arg, size_t i, size_t worker)
{
	struct checker		*ck = arg;
	struct image		*im = &ck->bk->images[i];
	struct image_info	 ii;

	(void)worker;
	if (im->type == IMAGE_SVG || ck->done[i])
		return;
	memset(&ii, 0, sizeof(ii));
	if (image_check(im->data, im->len, &ii, ck->why[i],
	    sizeof(ck->why[i])) == -1)
		im->bad = 1;
	im->width_pt = ii.width_pt;
	im->height_pt = ii.height_pt;
}

/*
 * The early checks: the PNG and JPEG files the Markdown names are read
 * and checked as soon as it is parsed, on the other cores, while the
 * book is read further.  An image takes the check made of the same bytes
 * (a check depends on nothing else); the warnings are resolve_image's
 * and check_images', as without it.
 */
#define EARLY_MAX	(64 * 1024 * 1024)	/* bytes held at once */

struct early {
	char		*rel;
	struct buf	 data;
	struct image_info ii;
	int		 bad;
	char		 why[256];
};

struct prefetch {
	struct early	*e;
	size_t		 n;
	struct par	*par;
};

static void
early_step(void *arg, size_t i, size_t worker)
{
	struct early	*e = &((struct prefetch *)arg)->e[i];

	(void)worker;
	memset(&e->ii, 0, sizeof(e->ii));
	e->bad = image_check((const unsigned char *)e->data.data, e->data.len,
	    &e->ii, e->why, sizeof(e->why)) == -1;
}

static void
prefetch_images(struct book *bk, struct prefetch *pf)
{
	cmark_iter	*it;
	cmark_node	*n;
	struct early	*e;
	struct buf	 b = { NULL, 0, 0 };
	const char	*url;
	char		*rel, why[256];
	size_t		 i, k, held = 0;
	enum image_kind	 kind;

	memset(pf, 0, sizeof(*pf));
	for (i = 0; i < bk->nsources && held < EARLY_MAX; i++) {
		/* (every Markdown image, inline or by reference, has "![") */
		if (strstr(bk->sources[i].text, "![") == NULL)
			continue;
		it = cmark_iter_new(bk->sources[i].doc);
		while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
			n = cmark_iter_get_node(it);
			if (cmark_node_get_type(n) != CMARK_NODE_IMAGE ||
			    cmark_iter_get_event_type(it) != CMARK_EVENT_ENTER ||
			    !image_local(url = cmark_node_get_url(n)))
				continue;
			rel = image_rel(bk->sources[i].rel, url);
			for (k = 0; k < pf->n && strcmp(pf->e[k].rel, rel); k++)
				continue;
			if (k < pf->n || held >= EARLY_MAX ||
			    file_read_in(bk->root, rel, FILE_MAX_IMAGE, &b, why,
			    sizeof(why)) == -1 || ((kind = image_sniff(
			    (const unsigned char *)b.data, b.len)) !=
			    IMAGE_KIND_PNG && kind != IMAGE_KIND_JPEG)) {
				free(rel);
				buf_free(&b);
				continue;
			}
			pf->e = xreallocarray(pf->e, pf->n + 1,
			    sizeof(*pf->e));
			e = &pf->e[pf->n++];
			memset(e, 0, sizeof(*e));
			e->rel = rel;
			e->data = b;
			held += b.len;
			memset(&b, 0, sizeof(b));
		}
		cmark_iter_free(it);
	}
	pf->par = par_start(pf->n, early_step, pf);
}

/* The early checks over (they may be taken no more): their memory freed. */
static void
prefetch_end(struct prefetch *pf)
{
	size_t	 k;

	par_finish(pf->par);
	pf->par = NULL;
	for (k = 0; k < pf->n; k++) {
		free(pf->e[k].rel);
		buf_free(&pf->e[k].data);
	}
	free(pf->e);
	pf->e = NULL;
	pf->n = 0;
}

static void
check_images(struct book *bk, struct prefetch *pf)
{
	struct checker	 ck;
	struct image	*im;
	struct early	*e;
	size_t		 i, k;

	par_finish(pf->par);
	pf->par = NULL;
	ck.bk = bk;
	ck.why = xcalloc(bk->nimages ? bk->nimages : 1, sizeof(*ck.why));
	ck.done = xcalloc(bk->nimages ? bk->nimages : 1, 1);
	for (i = 0; i < bk->nimages; i++) {
		im = &bk->images[i];
		for (k = 0; k < pf->n && im->type != IMAGE_SVG; k++) {
			e = &pf->e[k];
			if (e->data.len != im->len ||
			    memcmp(e->data.data, im->data, im->len) != 0)
				continue;
			im->bad = e->bad;
			im->width_pt = e->ii.width_pt;
			im->height_pt = e->ii.height_pt;
			memcpy(ck.why[i], e->why, sizeof(ck.why[i]));
			ck.done[i] = 1;
			break;
		}
	}
	prefetch_end(pf);
	par_for(bk->nimages, check_one, &ck);
	for (i = 0; i < bk->nimages; i++)
		if (bk->images[i].bad)
			diag_warning(bk->images[i].from, bk->images[i].line,
			    bk->images[i].col, "image '%s' %s; its description "
			    "is shown instead", bk->images[i].url, ck.why[i]);
	if (bk->cover >= 0 && bk->images[bk->cover].bad)
		bk->cover = -1;
	free(ck.why);
	free(ck.done);
}

/* ------------------------------------------------------------ scanning */

/* A paragraph that holds one image and nothing else is a figure. */
static int
is_figure(cmark_node *para)
{
	cmark_node	*c = cmark_node_first_child(para);

	return c != NULL && cmark_node_get_type(c) == CMARK_NODE_IMAGE &&
	    cmark_node_next(c) == NULL;
}

static int
is_element(const struct book *bk, cmark_node *n, const char *name)
{
	const struct element	*e = book_element(bk, n);

	return e != NULL && strcmp(e->name, name) == 0;
}

/* "Figure 4-1: ...": a caption that numbers itself. */
static int
self_labelled(const char *cap)
{
	return strncmp(cap, "Figure ", 7) == 0 && cap[7] >= '0' &&
	    cap[7] <= '9';
}

static void
add_figure(struct book *bk, cmark_node *para, cmark_node *caption)
{
	struct figure	*fg;

	bk->figures = xreallocarray(bk->figures, bk->nfigures + 1,
	    sizeof(*bk->figures));
	fg = &bk->figures[bk->nfigures++];
	memset(fg, 0, sizeof(*fg));
	fg->number = (int)bk->nfigures;
	fg->id = gen_id(bk, "figure", fg->number);
	/* the caption leaves the text: the figure sets it */
	fg->caption_node = caption;
	if (caption != NULL)
		cmark_node_unlink(caption);
	set_index(para, bk->nfigures);
}

struct scan {
	struct book	*bk;
	size_t		 seg;
	size_t		 source;
	size_t		 chapter;
	int		 notes_chapter;	/* notes numbered so far in it */
};

static void	scan_tree(struct scan *, cmark_node *);

static void
where(struct scan *sc, cmark_node *n, const char **path, int *line, int *col)
{
	book_where(sc->bk, sc->source, n, path, line, col);
}

static void
scan_heading(struct scan *sc, cmark_node *n)
{
	struct book	*bk = sc->bk;
	struct heading	*h;
	char		*text;

	text = book_plain(n);
	bk->headings = xreallocarray(bk->headings, bk->nheadings + 1,
	    sizeof(*bk->headings));
	h = &bk->headings[bk->nheadings++];
	h->level = level_of(bk, sc->source, n);
	/* a part's first heading is its title, whatever its level */
	if (h->level < 0 || (bk->chapters[sc->chapter].kind == DIV_PART &&
	    bk->nheadings - 1 == bk->chapters[sc->chapter].first_heading))
		h->level = 0;
	h->id = slug_unique(&bk->ids, text);
	h->chapter = sc->chapter;
	h->segment = sc->seg;
	h->node = n;
	if (count_words(text) == 0) {
		free(text);
		text = xstrdup("Untitled section");
	}
	h->text = text;
	id_put(bk, h->id, sc->seg);
	set_index(n, bk->nheadings);
}

/* An id the author wrote in HTML; taken already, it is left out. */
static void
scan_anchor(struct scan *sc, cmark_node *n)
{
	struct element	*e = &sc->bk->elements[NODE_INDEX(n) - 1];
	const char	*path, *id;
	int		 line, col;

	if (e->id == NULL || *e->id == '\0')
		return;
	if ((id = slug_add(&sc->bk->ids, e->id)) == NULL) {
		where(sc, n, &path, &line, &col);
		diag_warning(path, line, col, "id '%s' is used twice; this "
		    "one is left out", e->id);
		free(e->id);
		e->id = NULL;
		return;
	}
	id_put(sc->bk, id, sc->seg);
}

static void
scan_image(struct scan *sc, cmark_node *n)
{
	struct book	*bk = sc->bk;
	const char	*path;
	char		*text;
	int		 line, col;

	where(sc, n, &path, &line, &col);
	text = book_plain(n);
	if (count_words(text) == 0) {
		diag_warning(path, line, col, "image without a description "
		    "(alt text): readers who cannot see it get nothing");
		bk->nalt_missing++;
	}
	free(text);
	set_index(n, resolve_image(bk, path, bk->sources[sc->source].rel,
	    cmark_node_get_url(n), line, col));
}

/* A note, numbered where it is first referred to. */
static void
scan_noteref(struct scan *sc, cmark_node *n)
{
	struct book	*bk = sc->bk;
	struct note	*no;
	size_t		 k = NODE_INDEX(n);
	int		 booknumber = 0;

	if (k == 0 || (no = &bk->notes[k - 1])->number > 0)
		return;
	for (k = 0; k < bk->nnotes; k++)
		if (bk->notes[k].booknumber > booknumber)
			booknumber = bk->notes[k].booknumber;
	no->number = ++sc->notes_chapter;
	no->booknumber = booknumber + 1;
	no->segment = sc->seg;
	no->chapter = sc->chapter;
	no->id = gen_id(bk, "note", no->booknumber);
	no->refid = gen_id(bk, "noteref", no->booknumber);
	id_put(bk, no->id, sc->seg);
	/* what the note holds is read where the note is set */
	scan_tree(sc, no->def);
}

/*
 * An mdBook figure: the image, then a paragraph that is only a
 * <span class="caption">.
 */
static cmark_node *
caption_after(const struct book *bk, cmark_node *para)
{
	cmark_node		*next = cmark_node_next(para), *c;
	const struct element	*e;

	if (next == NULL || cmark_node_get_type(next) != CMARK_NODE_PARAGRAPH ||
	    (c = cmark_node_first_child(next)) == NULL ||
	    cmark_node_next(c) != NULL || (e = book_element(bk, c)) == NULL ||
	    e->cls == NULL || strcmp(e->cls, "caption") != 0)
		return NULL;
	return next;
}

/* <figure> with an image and a <figcaption>: a figure, so captioned. */
static void
scan_figure_box(struct scan *sc, cmark_node *box)
{
	cmark_node	*c, *para = NULL, *cap = NULL;

	for (c = cmark_node_first_child(box); c != NULL; c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH &&
		    is_figure(c) && para == NULL)
			para = c;
		else if (is_element(sc->bk, c, "figcaption"))
			cap = c;
	if (para != NULL && NODE_INDEX(para) == 0) {
		add_figure(sc->bk, para, cap);
		if (cap != NULL)
			scan_tree(sc, cap);
	}
}

/* Headings, figures, images, notes, anchors and words of a tree. */
static void
scan_tree(struct scan *sc, cmark_node *root)
{
	struct book		*bk = sc->bk;
	struct chapter		*c = &bk->chapters[sc->chapter];
	cmark_iter		*it = cmark_iter_new(root);
	cmark_event_type	 ev;
	cmark_node		*n;
	cmark_node_type		 t;
	const char		*lit;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		t = cmark_node_get_type(n);
		if (t == CMARK_NODE_HEADING)
			scan_heading(sc, n);
		else if (t == CMARK_NODE_PARAGRAPH) {
			cmark_node	*cap;

			if (NODE_INDEX(n) == 0 && is_figure(n) &&
			    !is_element(bk, cmark_node_parent(n), "figure")) {
				cap = caption_after(bk, n);
				add_figure(bk, n, cap);
				if (cap != NULL)
					scan_tree(sc, cap);
			}
		} else if (t == CMARK_NODE_IMAGE)
			scan_image(sc, n);
		else if (t == CMARK_NODE_FOOTNOTE_REFERENCE)
			scan_noteref(sc, n);
		else if (t == CMARK_NODE_CUSTOM_BLOCK ||
		    t == CMARK_NODE_CUSTOM_INLINE) {
			if (NODE_INDEX(n) > 0) {
				if (is_element(bk, n, "figure")) {
					scan_figure_box(sc, n);
					/* its caption may have been its next */
					cmark_iter_reset(it, n,
					    CMARK_EVENT_ENTER);
				}
				scan_anchor(sc, n);
			}
		} else if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE ||
		    t == CMARK_NODE_CODE_BLOCK) {
			if ((lit = cmark_node_get_literal(n)) != NULL)
				c->nwords += count_words(lit);
		}
	}
	cmark_iter_free(it);
}

/* Paragraphs the HTML converter marked while filling them: unmarked. */
static void
clear_marks(cmark_node *doc)
{
	cmark_iter		*it = cmark_iter_new(doc);
	cmark_event_type	 ev;
	cmark_node		*n;
	cmark_node_type		 t;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER && t != CMARK_NODE_CUSTOM_BLOCK &&
		    t != CMARK_NODE_CUSTOM_INLINE &&
		    t != CMARK_NODE_FOOTNOTE_REFERENCE &&
		    t != CMARK_NODE_CODE_BLOCK)
			cmark_node_set_user_data(n, NULL);
	}
	cmark_iter_free(it);
}

/* The figures' images and captions, once every image is resolved. */
static void
caption_figures(struct book *bk)
{
	size_t		 i;
	struct figure	*fg;
	cmark_node	*para, *img;
	const char	*title;

	for (i = 0; i < bk->nsegments; i++) {
		cmark_iter		*it = cmark_iter_new(bk->segments[i].doc);
		cmark_event_type	 ev;

		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
			para = cmark_iter_get_node(it);
			if (ev != CMARK_EVENT_ENTER ||
			    cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH ||
			    NODE_INDEX(para) == 0)
				continue;
			fg = &bk->figures[NODE_INDEX(para) - 1];
			img = cmark_node_first_child(para);
			fg->image = NODE_INDEX(img);
			title = cmark_node_get_title(img);
			if (fg->caption_node != NULL)
				fg->caption = book_plain(fg->caption_node);
			else
				fg->caption = title && *title ?
				    xstrdup(title) : book_plain(img);
			fg->labelled = self_labelled(fg->caption);
		}
		cmark_iter_free(it);
	}
}

static void
chapter_title(struct book *bk, size_t ci)
{
	struct chapter	*c = &bk->chapters[ci];
	const struct source *s;
	size_t		 i, end = c->first_heading + c->nheadings;
	long		 best = -1;
	char		*stem, *dot;

	if (c->title != NULL) {
		/* a part named in SUMMARY.md: its document's heading */
		if (c->kind == DIV_PART && c->nheadings > 0)
			c->title_heading = (long)c->first_heading;
		return;
	}
	/* the heading that opened it, else its highest one */
	for (i = c->first_heading; i < end; i++)
		if (best == -1 || bk->headings[i].level <
		    bk->headings[best].level)
			best = (long)i;
	if (best >= 0 && c->nsegs > 0 && bk->headings[best].level <= 1) {
		c->title = xstrdup(bk->headings[best].text);
		c->title_heading = best;
		return;
	}
	s = c->nsegs > 0 ? &bk->sources[bk->segments[c->first_seg].source] :
	    NULL;
	if (s != NULL && s->label != NULL) {
		c->title = xstrdup(s->label);
		return;
	}
	if (best >= 0) {
		c->title = xstrdup(bk->headings[best].text);
		c->title_heading = best;
		return;
	}
	stem = xstrdup(c->name);
	if ((dot = strrchr(stem, '.')) != NULL)
		*dot = '\0';
	c->title = stem;
}

/* ------------------------------------------------------------ links */

/* Link schemes carried into the book; others are dropped (javascript:). */
static const struct {
	const char	*name;
	int		 host;	/* needs a valid //host */
} schemes[] = {
	{ "http", 1 }, { "https", 1 }, { "ftp", 1 }, { "mailto", 0 },
	{ "tel", 0 },
};

static long
find_source(const struct book *bk, const char *rel)
{
	char	*have;
	size_t	 i;

	for (i = 0; i < bk->nsources; i++) {
		have = url_normalize(bk->sources[i].rel);
		if (have != NULL && strcmp(have, rel) == 0) {
			free(have);
			return (long)i;
		}
		free(have);
	}
	return -1;
}

/*
 * The file a link names, resolved from the linking file's folder:
 * b/notes.md is not a/notes.md.  An mdBook link to name.html is to
 * name.md (through book.toml's redirects).  A name that matches no path
 * but exactly one file's name is that file (links written for a flat
 * folder).  -1 if none.
 */
static long
link_target(const struct book *bk, size_t from, const char *file)
{
	const char	*rel = bk->sources[from].rel, *redir;
	char		*joined, *want, *md = NULL;
	size_t		 n = strlen(file), i, nfound = 0;
	long		 found = -1, k;

	if (file[0] == '/')
		return -1;
	if (n > 5 && strcmp(file + n - 5, ".html") == 0) {
		joined = url_join(rel, file);
		want = url_normalize(joined);
		free(joined);
		if (want != NULL && bk->toml != NULL && bk->srcdir != NULL &&
		    strncmp(want, bk->srcdir, strlen(bk->srcdir)) == 0 &&
		    want[strlen(bk->srcdir)] == '/' &&
		    (redir = mdbook_redirect(bk->toml, want +
		    strlen(bk->srcdir) + 1)) != NULL) {
			joined = xreallocarray(NULL, strlen(bk->srcdir) +
			    strlen(redir) + 2, 1);
			sprintf(joined, "%s/%s", bk->srcdir, redir);
			free(want);
			want = joined;
		}
		if (want != NULL) {
			n = strlen(want);
			md = xreallocarray(NULL, n, 1);
			memcpy(md, want, n - 5);
			strcpy(md + n - 5, ".md");
		}
		free(want);
		if (md == NULL)
			return -1;
		k = find_source(bk, md);
		free(md);
		return k;
	}
	joined = url_join(rel, file);
	want = url_normalize(joined);
	free(joined);
	if (want != NULL && (k = find_source(bk, want)) >= 0) {
		free(want);
		return k;
	}
	free(want);
	for (i = 0; i < bk->nsources; i++)
		if (strcmp(basename_of(file), bk->sources[i].name) == 0) {
			found = (long)i;
			nfound++;
		}
	return nfound == 1 ? found : -1;
}

static void
resolve_link(struct scan *sc, cmark_node *n)
{
	struct book		*bk = sc->bk;
	const char		*url = cmark_node_get_url(n), *hash, *path;
	const struct idseg	*is;
	struct link		 l;
	char			*file, *frag = NULL;
	size_t			 slen, i;
	long			 target;
	int			 line, col;

	memset(&l, 0, sizeof(l));
	where(sc, n, &path, &line, &col);
	if (url == NULL || *url == '\0') {
		diag_warning(path, line, col, "link without a destination; "
		    "set as plain text");
		return;
	}
	if (url_scheme(url, &slen)) {
		for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
			if (strlen(schemes[i].name) == slen &&
			    strncasecmp(url, schemes[i].name, slen) == 0)
				break;
		if (i == sizeof(schemes) / sizeof(schemes[0])) {
			diag_warning(path, line, col, "link with unsupported "
			    "scheme '%.*s:' dropped", (int)slen, url);
			return;
		}
		if (schemes[i].host && !url_host_ok(url)) {
			diag_warning(path, line, col, "link to '%s' has no "
			    "valid host; set as plain text", url);
			return;
		}
		l.kind = LINK_EXTERNAL;
		l.href = url_escape(url);
		/* a PDF string holds 65,535 bytes: longer is no address */
		if (strlen(l.href) > LINK_MAX) {
			diag_warning(path, line, col, "link of %zu bytes; "
			    "set as plain text (the limit is %d)",
			    strlen(l.href), LINK_MAX);
			free(l.href);
			return;
		}
		goto add;
	}
	hash = strchr(url, '#');
	file = url_unescape(url, hash ? (size_t)(hash - url) : strlen(url));
	if (hash != NULL)
		frag = url_unescape(hash + 1, strlen(hash + 1));
	l.kind = LINK_INTERNAL;
	target = *file == '\0' ? (long)sc->source : link_target(bk, sc->source,
	    file);
	if (target < 0 || bk->sources[target].seg < 0) {
		diag_warning_kind("link", path, line, col, "link to '%s', "
		    "which is not a chapter of this book; set as plain text",
		    url);
		goto out;
	}
	l.segment = (size_t)bk->sources[target].seg;
	if (frag != NULL && *frag != '\0') {
		if ((is = id_get(bk, frag)) == NULL) {
			diag_warning(path, line, col, "link to '#%s': no such "
			    "heading or anchor in %s; set as plain text",
			    frag, bk->sources[target].name);
			goto out;
		}
		l.id = is->id;
		l.segment = is->segment;
	}
	l.chapter = bk->segments[l.segment].chapter;
	free(file);
	free(frag);
add:
	bk->links = xreallocarray(bk->links, bk->nlinks + 1,
	    sizeof(*bk->links));
	bk->links[bk->nlinks++] = l;
	set_index(n, bk->nlinks);
	return;
out:
	free(file);
	free(frag);
}

static void
link_tree(struct scan *sc, cmark_node *root)
{
	cmark_iter		*it = cmark_iter_new(root);
	cmark_event_type	 ev;
	cmark_node		*n;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER &&
		    cmark_node_get_type(n) == CMARK_NODE_LINK)
			resolve_link(sc, n);
	}
	cmark_iter_free(it);
}

/* ------------------------------------------------------------ book */

/* A stable urn:uuid from the title and authors: same book, same id. */
static char *
derive_identifier(const struct book *bk)
{
	uint64_t	 h1 = 14695981039346656037ULL, h2 = 0x9E3779B97F4A7C15ULL;
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;
	const char	*s;

	buf_puts(&b, bk->title);
	for (i = 0; i < bk->meta.authors.n; i++) {
		buf_putc(&b, '\n');
		buf_puts(&b, bk->meta.authors.v[i].s);
	}
	for (s = b.data; *s; s++) {
		h1 = (h1 ^ (unsigned char)*s) * 1099511628211ULL;
		h2 = (h2 ^ (unsigned char)*s) * 0x100000001B3ULL + (h1 >> 29);
	}
	buf_reset(&b);
	buf_printf(&b, "urn:uuid:%08x-%04x-8%03x-%04x-%012llx",
	    (unsigned)(h1 >> 32), (unsigned)(h1 >> 16) & 0xFFFF,
	    (unsigned)h1 & 0xFFF, (unsigned)((h2 >> 48) & 0x3FFF) | 0x8000,
	    (unsigned long long)(h2 & 0xFFFFFFFFFFFFULL));
	return buf_detach(&b);
}

#define DATE_MIN	315532800LL	/* 1980-01-01: the first ZIP date */
#define DATE_MAX	4354819199LL	/* 2107-12-31 23:59:59: the last */

/*
 * The build date, one rule for both editions: SOURCE_DATE_EPOCH when
 * set, which must be a whole number of seconds inside the range a ZIP
 * file can date (else an error); else the metadata date, brought into
 * that range; else the start of 1980.  Never the clock, so builds
 * repeat.  -1 after an error.
 */
static int
build_date(struct book *bk)
{
	const char	*sde = getenv("SOURCE_DATE_EPOCH");
	const struct mval *date = &bk->meta.date;
	struct tm	 tm;
	long long	 v;
	int		 y, m, d, k;

	bk->modified = (time_t)DATE_MIN;
	if (date->s != NULL && *date->s) {
		k = meta_date(date->s, &y, &m, &d);
		if (k == -1) {
			diag_error(date->file, date->line, date->col,
			    "date '%s' is not a date of the calendar",
			    date->s);
			return -1;
		}
		if (k == 0)
			diag_warning(date->file, date->line, date->col,
			    "date '%s' is not written YYYY-MM-DD: it is "
			    "printed as it is, but not used as the e-book's "
			    "date", date->s);
		else {
			memset(&tm, 0, sizeof(tm));
			tm.tm_year = y - 1900;
			tm.tm_mon = m - 1;
			tm.tm_mday = d;
			v = (long long)timegm(&tm);
			bk->modified = (time_t)(v < DATE_MIN ? DATE_MIN :
			    v > DATE_MAX ? DATE_MAX : v);
		}
	}
	if (sde == NULL)
		return 0;
	for (k = 0, v = 0; sde[k] >= '0' && sde[k] <= '9' && v <= DATE_MAX;
	    k++)
		v = v * 10 + (sde[k] - '0');
	if (k == 0 || sde[k] != '\0' || v < DATE_MIN || v > DATE_MAX) {
		diag_error("SOURCE_DATE_EPOCH", 0, 0, "'%.40s' is not a "
		    "number of seconds from %lld (1980-01-01) to %lld "
		    "(2107-12-31), the dates a ZIP file can hold", sde,
		    DATE_MIN, DATE_MAX);
		return -1;
	}
	bk->modified = (time_t)v;
	return 0;
}

/* The language: a BCP 47 tag, or an error that offers the fix. */
static int
check_lang(struct book *bk)
{
	const struct mval	*l = &bk->meta.lang;
	char			*fix;
	size_t			 i;

	if (l->s == NULL || meta_lang_ok(l->s))
		return 0;
	fix = xstrdup(l->s);
	for (i = 0; fix[i]; i++)
		if (fix[i] == '_')
			fix[i] = '-';
	if (meta_lang_ok(fix))
		diag_error(l->file, l->line, l->col, "lang '%s' is not a BCP 47 "
		    "language tag; write '%s'", l->s, fix);
	else
		diag_error(l->file, l->line, l->col, "lang '%s' is not a BCP 47 "
		    "language tag (such as en, en-US, pt-BR, zh-Hant)", l->s);
	free(fix);
	return -1;
}

/* The title and the name of the outputs; a long one is cut for the name. */
static void
name_book(struct book *bk, const struct book_input *in)
{
	char	 real[PATH_MAX];
	char	*stem, *dot;
	size_t	 n;

	if (realpath(in->source, real) != NULL)
		stem = xstrdup(basename_of(real));	/* "." has a name too */
	else
		stem = xstrdup(basename_of(in->source));
	if ((dot = strrchr(stem, '.')) != NULL && dot != stem &&
	    bk->toml == NULL && bk->nsources > 0 &&
	    strcmp(bk->sources[0].path, in->source) == 0)
		*dot = '\0';
	if (bk->meta.title.s != NULL && count_words(bk->meta.title.s) > 0) {
		bk->title = xstrdup(bk->meta.title.s);
		bk->slug = slug_file(bk->title);
	} else {
		if (bk->nchapters > 0 && bk->chapters[0].title_heading >= 0 &&
		    bk->nchapters == 1)
			bk->title = xstrdup(bk->chapters[0].title);
		else
			bk->title = xstrdup(*stem ? stem : "Untitled");
		bk->slug = slug_file(*stem ? stem : "untitled");
	}
	free(stem);
	/* a file name: 80 bytes at most, cut at a character boundary */
	if ((n = strlen(bk->slug)) > 80) {
		for (n = 80; n > 0 && ((unsigned char)bk->slug[n] & 0xC0) ==
		    0x80; n--)
			continue;
		bk->slug[n] = '\0';
		while (n > 0 && bk->slug[n - 1] == '-')
			bk->slug[--n] = '\0';
	}
}

int
book_load(struct book *bk, const struct book_input *in)
{
	struct scan	 sc;
	struct prefetch	 pf;
	size_t		 i, j, c;
	int		 rc, errs = diag_errors();

	memset(bk, 0, sizeof(*bk));
	bk->cover = -1;
	bk->source = xstrdup(in->source);
	if (manuscript_load(bk, in) == -1)
		return -1;
	if (bk->nsources == 1 && count_words(bk->sources[0].text) == 0) {
		diag_error(bk->sources[0].path, 1, 1, "the manuscript is "
		    "empty");
		return -1;
	}
	prefetch_images(bk, &pf);
	for (i = 0; i < bk->nsources; i++) {
		diag_context(bk->sources[i].path, 0, "reading it");
		html_convert(bk, i);
		if (bk->toml != NULL)
			hide_lines(bk->sources[i].doc);
		take_notes(bk, i);
		scan_codes(bk, bk->sources[i].doc);
	}
	for (i = 0; i < bk->nnotes; i++)
		scan_codes(bk, bk->notes[i].def);
	if (bk->toml != NULL)
		shift_nested(bk);
	divide(bk);
	if (diag_errors() > errs) {
		prefetch_end(&pf);
		return -1;
	}
	memset(&sc, 0, sizeof(sc));
	sc.bk = bk;
	for (c = 0; c < bk->nchapters; c++) {
		struct chapter	*ch = &bk->chapters[c];

		ch->first_heading = bk->nheadings;
		sc.chapter = c;
		sc.notes_chapter = 0;
		for (j = ch->first_seg; j < ch->first_seg + ch->nsegs; j++) {
			struct segment	*g = &bk->segments[j];

			g->first_heading = bk->nheadings;
			sc.seg = j;
			sc.source = g->source;
			clear_marks(g->doc);
			scan_tree(&sc, g->doc);
			g->nheadings = bk->nheadings - g->first_heading;
		}
		ch->nheadings = bk->nheadings - ch->first_heading;
		bk->nwords += ch->nwords;
	}
	for (c = 0; c < bk->nchapters; c++)
		chapter_title(bk, c);
	caption_figures(bk);
	for (j = 0; j < bk->nsegments; j++) {
		sc.seg = j;
		sc.source = bk->segments[j].source;
		sc.chapter = bk->segments[j].chapter;
		link_tree(&sc, bk->segments[j].doc);
	}
	for (i = 0; i < bk->nnotes; i++)
		if (bk->notes[i].number > 0) {
			sc.seg = bk->notes[i].segment;
			sc.source = bk->notes[i].source;
			sc.chapter = bk->notes[i].chapter;
			link_tree(&sc, bk->notes[i].def);
		}
	if (bk->meta.cover.s != NULL) {
		/* relative to the file that names it */
		const char	*rel = "metadata.yaml";

		for (i = 0; i < bk->nsources; i++)
			if (strcmp(bk->sources[i].path,
			    bk->meta.cover.file) == 0)
				rel = bk->sources[i].rel;
		bk->cover = (long)resolve_image(bk, bk->meta.cover.file, rel,
		    bk->meta.cover.s, bk->meta.cover.line,
		    bk->meta.cover.col) - 1;
	}
	check_images(bk, &pf);
	name_book(bk, in);
	page_prefix(bk);
	bk->lang = xstrdup(meta_lang(&bk->meta));
	bk->identifier = bk->meta.identifier.s && *bk->meta.identifier.s ?
	    xstrdup(bk->meta.identifier.s) : derive_identifier(bk);
	rc = check_lang(bk);
	if (build_date(bk) == -1)
		rc = -1;
	return diag_errors() > errs ? -1 : rc;
}

/* The words of a tree's text, to the vocabulary. */
static void
tree_words(cmark_node *root, struct words *ws)
{
	cmark_iter		*it;
	cmark_event_type	 ev;
	cmark_node		*n;

	if (root == NULL)
		return;
	it = cmark_iter_new(root);
	while (!ws->full && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER &&
		    cmark_node_get_type(n) == CMARK_NODE_TEXT)
			words_add(ws, cmark_node_get_literal(n));
	}
	cmark_iter_free(it);
}

/*
 * The words hyphenation may meet: the text of every chapter, note and
 * caption, and the metadata set on the title page.  Words the renderer
 * makes itself ("Contents") it may meet too, beyond these.
 */
void
book_words(const struct book *bk, struct words *ws)
{
	const struct meta	*m = &bk->meta;
	const struct mval	*v[] = { &m->title, &m->subtitle, &m->rights,
	    &m->publisher, &m->description, &m->edition, &m->date };
	size_t			 i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		words_add(ws, v[i]->s);
	for (i = 0; i < m->authors.n; i++)
		words_add(ws, m->authors.v[i].s);
	for (i = 0; i < bk->nsegments; i++)
		tree_words(bk->segments[i].doc, ws);
	for (i = 0; i < bk->nnotes; i++)
		tree_words(bk->notes[i].def, ws);
	for (i = 0; i < bk->nfigures; i++) {
		words_add(ws, bk->figures[i].caption);
		tree_words(bk->figures[i].caption_node, ws);
	}
	for (i = 0; i < bk->nlistings; i++)
		tree_words(bk->listings[i].caption, ws);
}

void
book_free(struct book *bk)
{
	size_t	 i;

	manuscript_free_sources(bk);
	for (i = 0; i < bk->nsegments; i++)
		cmark_node_free(bk->segments[i].doc);
	free(bk->segments);
	for (i = 0; i < bk->nchapters; i++)
		free(bk->chapters[i].title);
	free(bk->chapters);
	for (i = 0; i < bk->nheadings; i++)
		free(bk->headings[i].text);
	free(bk->headings);
	for (i = 0; i < bk->nfigures; i++) {
		free(bk->figures[i].caption);
		if (bk->figures[i].caption_node != NULL)
			cmark_node_free(bk->figures[i].caption_node);
	}
	free(bk->figures);
	for (i = 0; i < bk->nnotes; i++)
		cmark_node_free(bk->notes[i].def);
	free(bk->notes);
	for (i = 0; i < bk->nimages; i++) {
		free(bk->images[i].path);
		free(bk->images[i].name);
		free(bk->images[i].data);
		free(bk->images[i].url);
		buf_free(&bk->images[i].svg);
	}
	free(bk->images);
	for (i = 0; i < bk->nlinks; i++)
		free(bk->links[i].href);
	free(bk->links);
	for (i = 0; i < bk->ncodes; i++) {
		free(bk->codes[i].lang);
		free(bk->codes[i].spans);
	}
	free(bk->codes);
	for (i = 0; i < bk->nlistings; i++) {
		free(bk->listings[i].label);
		free(bk->listings[i].file);
		if (bk->listings[i].caption != NULL)
			cmark_node_free(bk->listings[i].caption);
	}
	free(bk->listings);
	for (i = 0; i < bk->nelements; i++) {
		free(bk->elements[i].name);
		free(bk->elements[i].id);
		free(bk->elements[i].src);
		free(bk->elements[i].alt);
		free(bk->elements[i].caption);
		free(bk->elements[i].file);
		free(bk->elements[i].number);
		free(bk->elements[i].cls);
	}
	free(bk->elements);
	free(bk->pos);
	free(bk->idmap);
	if (bk->toml != NULL)
		toml_free(bk->toml);
	free(bk->srcdir);
	meta_free(&bk->meta);
	slug_free(&bk->ids);
	free(bk->source);
	free(bk->root);
	free(bk->title);
	free(bk->slug);
	free(bk->lang);
	free(bk->identifier);
	memset(bk, 0, sizeof(*bk));
}

const struct heading *
book_heading(const struct book *bk, cmark_node *n)
{
	size_t	 i = NODE_INDEX(n);

	return i && cmark_node_get_type(n) == CMARK_NODE_HEADING ?
	    &bk->headings[i - 1] : NULL;
}

const struct figure *
book_figure(const struct book *bk, cmark_node *n)
{
	size_t	 i = NODE_INDEX(n);

	return i && cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH ?
	    &bk->figures[i - 1] : NULL;
}

const struct image *
book_image(const struct book *bk, cmark_node *n)
{
	size_t	 i = NODE_INDEX(n);

	return i && cmark_node_get_type(n) == CMARK_NODE_IMAGE &&
	    !bk->images[i - 1].bad ? &bk->images[i - 1] : NULL;
}

const struct link *
book_link(const struct book *bk, cmark_node *n)
{
	size_t	 i = NODE_INDEX(n);

	return i && cmark_node_get_type(n) == CMARK_NODE_LINK ?
	    &bk->links[i - 1] : NULL;
}

const struct note *
book_note(const struct book *bk, cmark_node *n)
{
	size_t	 i = NODE_INDEX(n);

	return i && cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_REFERENCE &&
	    bk->notes[i - 1].number > 0 ? &bk->notes[i - 1] : NULL;
}

const struct element *
book_element(const struct book *bk, cmark_node *n)
{
	size_t			 i = NODE_INDEX(n);
	cmark_node_type		 t = cmark_node_get_type(n);

	return i && (t == CMARK_NODE_CUSTOM_BLOCK ||
	    t == CMARK_NODE_CUSTOM_INLINE) ? &bk->elements[i - 1] : NULL;
}

const struct code *
book_code(const struct book *bk, cmark_node *n)
{
	size_t	 i = NODE_INDEX(n);

	return i && cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK ?
	    &bk->codes[i - 1] : NULL;
}

/* The id an anchor the author wrote gives its place, or NULL. */
const char *
book_anchor(const struct book *bk, cmark_node *n)
{
	const struct element	*e = book_element(bk, n);

	return e != NULL ? e->id : NULL;
}
