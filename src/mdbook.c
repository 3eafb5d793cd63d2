/*
 * mdBook projects as they stand.  SUMMARY.md is read with cmark, by the
 * rules of mdBook's own parser (itself a CommonMark reader): an ignored
 * "# Title", plain links before the first list (prefix chapters), list
 * items nested by indentation (numbered chapters), "# Part" headings
 * between lists, "---" separators, plain links after the last list
 * (suffix chapters), "[Draft]()" for a chapter not yet written.
 *
 * The directives {{#include}}, {{#rustdoc_include}}, {{#playground}} and
 * {{#title}} are expanded as mdBook's "links" preprocessor expands them,
 * with one addition from its later versions: when only blanks and '>'
 * stand before a directive on its line, every further line of what it
 * brings in gets them too, so an include inside a list item or a block
 * quote stays there.  Where mdBook quietly makes do (a line range past
 * the end of the file, an anchor that is not there), folio reports an
 * error at the directive.  Every line of the result keeps the file and
 * line it came from.
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>

#include "book.h"
#include "buf.h"
#include "diag.h"
#include "mdbook.h"
#include "toml.h"
#include "utf8.h"

/* SUMMARY.md */

enum state { S_START, S_PREFIX, S_NUMBERED, S_SUFFIX };

struct summary {
	const char		*path;
	const char		*text;
	size_t			 len;
	size_t			*bol;	/* byte offset of each line's start */
	size_t			 nlines;
	struct summary_entry	*v;
	size_t			 n;
	size_t			 cap;
	int			 failed;
};

/* Where lines start: cmark ends a line at LF, CR or CRLF. */
static void
summary_lines(struct summary *s)
{
	size_t	 i, cap = 64;

	s->bol = xreallocarray(NULL, cap, sizeof(*s->bol));
	s->bol[0] = 0;
	s->nlines = 1;
	for (i = 0; i < s->len; i++) {
		if (s->text[i] != '\n' && s->text[i] != '\r')
			continue;
		if (s->text[i] == '\r' && i + 1 < s->len &&
		    s->text[i + 1] == '\n')
			i++;
		if (s->nlines == cap) {
			cap *= 2;
			s->bol = xreallocarray(s->bol, cap, sizeof(*s->bol));
		}
		s->bol[s->nlines++] = i + 1;
	}
}

/* The end of line's text, before its newline. */
static size_t
line_end(const struct summary *s, int line)
{
	size_t	 e;

	e = (size_t)line < s->nlines ? s->bol[line] : s->len;
	while (e > s->bol[line - 1] && (s->text[e - 1] == '\n' ||
	    s->text[e - 1] == '\r'))
		e--;
	return e;
}

/* The byte at line:col, or (size_t)-1 when there is none. */
static size_t
offset(const struct summary *s, int line, int col)
{
	size_t	 o;

	if (line < 1 || (size_t)line > s->nlines || col < 1)
		return (size_t)-1;
	o = s->bol[line - 1] + (size_t)col - 1;
	return o < line_end(s, line) ? o : (size_t)-1;
}

static int
first_text_col(const struct summary *s, int line)
{
	size_t	 o = s->bol[line - 1], e = line_end(s, line);

	while (o < e && (s->text[o] == ' ' || s->text[o] == '\t'))
		o++;
	return (int)(o - s->bol[line - 1]) + 1;
}

static int
is_block(cmark_node *n)
{
	return (cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) ==
	    CMARK_NODE_TYPE_BLOCK;
}

/*
 * Where a link starts.  cmark's positions of inlines are right on the
 * first line of a paragraph only: on later lines they leave out the
 * blanks that were stripped, and a link text that spans lines can get
 * the wrong line.  So the '[' is looked for where it should be.
 */
static void
link_pos(const struct summary *s, cmark_node *link, int *line, int *col)
{
	cmark_node	*b = link;
	int		 l, c, bl, bc, i, tries[2];
	size_t		 o, lo;

	while (b != NULL && !is_block(b))
		b = cmark_node_parent(b);
	bl = b ? cmark_node_get_start_line(b) : 1;
	bc = b ? cmark_node_get_start_column(b) : 1;
	*line = bl;
	*col = bc;
	l = cmark_node_get_start_line(link);
	c = cmark_node_get_start_column(link);
	if (l < 1 || (size_t)l > s->nlines || l < bl)
		return;
	tries[0] = l > bl ? c + first_text_col(s, l) - bc : c;
	tries[1] = c;
	for (i = 0; i < 2; i++) {
		o = offset(s, l, tries[i]);
		if (o != (size_t)-1 && s->text[o] == '[') {
			*line = l;
			*col = tries[i];
			return;
		}
	}
	/* back from there to the block's start */
	if ((lo = offset(s, bl, bc)) == (size_t)-1)
		return;
	o = offset(s, l, tries[0] > c ? tries[0] : c);
	if (o == (size_t)-1)
		o = line_end(s, l);
	for (; o > lo; o--)
		if (s->text[o] == '[')
			break;
	for (l = bl; (size_t)l < s->nlines && s->bol[l] <= o; l++)
		;
	*line = l;
	*col = (int)(o - s->bol[l - 1]) + 1;
}

static int
hexdig(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * A chapter's path relative to src/: %-decoded, "./" and empty parts
 * dropped; nothing absolute, no URL, no "..".
 */
static char *
chapter_path(struct summary *s, const char *url, int line, int col)
{
	struct buf	 b = { NULL, 0, 0 }, d = { NULL, 0, 0 };
	const char	*p, *q;
	size_t		 i, n;

	for (p = url; *p; p++) {
		if (p[0] == '%' && hexdig(p[1]) >= 0 && hexdig(p[2]) >= 0) {
			buf_putc(&d, (char)(hexdig(p[1]) << 4 | hexdig(p[2])));
			p += 2;
		} else
			buf_putc(&d, *p);
	}
	if (strlen(d.data) != d.len || utf8_invalid(d.data, d.len) < d.len) {
		diag_error(s->path, line, col, "%s: a chapter's path must be "
		    "UTF-8 text", url);
		goto bad;
	}
	if (d.data[0] == '/' || d.data[0] == '\\') {
		diag_error(s->path, line, col, "%s: an absolute path; "
		    "chapters are files in the book's source folder", url);
		goto bad;
	}
	for (i = 0; isalpha((unsigned char)d.data[i]) ||
	    (i > 0 && (isdigit((unsigned char)d.data[i]) ||
	    d.data[i] == '+' || d.data[i] == '-' || d.data[i] == '.')); i++)
		;
	if (i > 0 && d.data[i] == ':') {
		diag_error(s->path, line, col, "%s is not a file in the "
		    "book's source folder", url);
		goto bad;
	}
	for (p = d.data; *p; p = *q ? q + 1 : q) {
		for (q = p; *q && *q != '/' && *q != '\\'; q++)
			;
		n = (size_t)(q - p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			diag_error(s->path, line, col, "%s points outside "
			    "the book's source folder", url);
			goto bad;
		}
		if (n == 0 || (n == 1 && p[0] == '.'))
			continue;
		if (b.len)
			buf_putc(&b, '/');
		buf_put(&b, p, n);
	}
	if (b.len == 0) {
		diag_error(s->path, line, col, "%s names no file", url);
		goto bad;
	}
	buf_free(&d);
	return buf_detach(&b);
bad:
	s->failed = 1;
	buf_free(&b);
	buf_free(&d);
	return NULL;
}

static struct summary_entry *
add(struct summary *s, enum summary_kind kind, enum summary_kind section,
    int depth, int line, int col)
{
	struct summary_entry	*e;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	e = &s->v[s->n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->section = section;
	e->depth = depth;
	e->line = line;
	e->col = col;
	return e;
}

/* A chapter from a link: a draft when it names no file. */
static void
add_link(struct summary *s, cmark_node *link, enum summary_kind section,
    int depth)
{
	struct summary_entry	*e;
	const char		*url = cmark_node_get_url(link);
	int			 line, col;
	char			*path = NULL;

	link_pos(s, link, &line, &col);
	if (url != NULL && *url != '\0' &&
	    (path = chapter_path(s, url, line, col)) == NULL)
		return;
	e = add(s, path ? section : SUMMARY_DRAFT, section, depth, line, col);
	e->title = book_plain(link);
	e->path = path;
}

/*
 * Prefix or suffix chapters: every link in the block, as mdBook takes
 * them.  A link that starts a line indented under the line before
 * would be a nested chapter, which only lists can hold.
 */
static void
affix(struct summary *s, cmark_node *block, enum summary_kind section)
{
	cmark_iter		*it = cmark_iter_new(block);
	cmark_event_type	 ev;
	cmark_node		*n;
	int			 line, col, bl, bc;

	bl = cmark_node_get_start_line(block);
	bc = cmark_node_get_start_column(block);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != CMARK_NODE_LINK)
			continue;
		link_pos(s, n, &line, &col);
		if (line > bl && col > bc && col == first_text_col(s, line) &&
		    cmark_node_get_type(block) == CMARK_NODE_PARAGRAPH) {
			diag_error(s->path, line, col, "%s chapters cannot be "
			    "nested; a nested chapter is a list item under a "
			    "numbered chapter", section == SUMMARY_PREFIX ?
			    "prefix" : "suffix");
			s->failed = 1;
			continue;
		}
		add_link(s, n, section, 0);
	}
	cmark_iter_free(it);
}

static int
has_link(cmark_node *block)
{
	cmark_iter		*it = cmark_iter_new(block);
	cmark_event_type	 ev;
	int			 found = 0;

	while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		found = ev == CMARK_EVENT_ENTER && cmark_node_get_type(
		    cmark_iter_get_node(it)) == CMARK_NODE_LINK;
	cmark_iter_free(it);
	return found;
}

/*
 * Numbered chapters: each item of the list and of the lists nested in
 * it must start with a link; anything after that link in the item but
 * a nested list is ignored, as mdBook ignores it.
 */
static void
numbered(struct summary *s, cmark_node *list)
{
	cmark_iter		*it = cmark_iter_new(list);
	cmark_event_type	 ev;
	cmark_node		*n, *p, *link = NULL;
	int			 depth = -1, line, col;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_LIST:
			depth += ev == CMARK_EVENT_ENTER ? 1 : -1;
			break;
		case CMARK_NODE_ITEM:
			if (ev != CMARK_EVENT_ENTER)
				break;
			p = cmark_node_first_child(n);
			if (p != NULL && cmark_node_get_type(p) ==
			    CMARK_NODE_PARAGRAPH && (p = cmark_node_first_child(
			    p)) != NULL && cmark_node_get_type(p) ==
			    CMARK_NODE_LINK) {
				link = p;
				add_link(s, link, SUMMARY_NUMBERED, depth);
				break;
			}
			diag_error(s->path, cmark_node_get_start_line(n),
			    cmark_node_get_start_column(n), "a numbered "
			    "chapter is a list item that starts with a link, "
			    "as in - [Title](file.md)");
			s->failed = 1;
			break;
		case CMARK_NODE_LINK:
			if (ev != CMARK_EVENT_ENTER || n == link)
				break;
			link_pos(s, n, &line, &col);
			diag_warning(s->path, line, col, "link ignored: a list "
			    "item in SUMMARY.md names one chapter");
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

/* Is this code block indented rather than fenced? */
static int
indented_code(const struct summary *s, cmark_node *code)
{
	int	 line = cmark_node_get_start_line(code);
	size_t	 o;

	if (line < 1 || (size_t)line > s->nlines)
		return 0;
	o = s->bol[line - 1] + (size_t)first_text_col(s, line) - 1;
	return o < s->len && s->text[o] != '`' && s->text[o] != '~';
}

static int
by_path(const void *a, const void *b)
{
	const struct summary_entry *const *x = a, *const *y = b;
	int	 c = strcmp((*x)->path, (*y)->path);

	if (c)
		return c;
	return *x < *y ? -1 : *x > *y;
}

/* mdBook refuses a file listed twice; so does folio. */
static void
duplicates(struct summary *s)
{
	struct summary_entry	**v;
	size_t			  i, n = 0;

	v = xreallocarray(NULL, s->n, sizeof(*v));
	for (i = 0; i < s->n; i++)
		if (s->v[i].path != NULL)
			v[n++] = &s->v[i];
	qsort(v, n, sizeof(*v), by_path);
	for (i = 1; i < n; i++)
		if (strcmp(v[i - 1]->path, v[i]->path) == 0) {
			diag_error(s->path, v[i]->line, v[i]->col, "%s is "
			    "listed twice (first on line %d)", v[i]->path,
			    v[i - 1]->line);
			s->failed = 1;
		}
	free(v);
}

void
summary_free(struct summary_entry *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].title);
		free(v[i].path);
	}
	free(v);
}

/*
 * The entries in SUMMARY.md's order; the "# Title" that may open it is
 * ignored, as mdBook ignores it.  Prefix and suffix entries, parts and
 * separators have depth 0.
 */
int
summary_parse(const char *path, const char *text, size_t len,
    struct summary_entry **out, size_t *nout)
{
	struct summary	 s;
	cmark_node	*doc, *b;
	enum state	 st = S_START;
	enum summary_kind sec;
	int		 after_part = 0, just_part, prefix_end = 0;
	struct summary_entry *e;

	*out = NULL;
	*nout = 0;
	memset(&s, 0, sizeof(s));
	s.path = path;
	s.text = text;
	s.len = len;
	summary_lines(&s);
	doc = cmark_parse_document(text, len, CMARK_OPT_VALIDATE_UTF8);
	for (b = cmark_node_first_child(doc); b; b = cmark_node_next(b)) {
		just_part = after_part;
		after_part = 0;
		sec = st == S_SUFFIX ? SUMMARY_SUFFIX : st == S_NUMBERED ?
		    SUMMARY_NUMBERED : SUMMARY_PREFIX;
		switch (cmark_node_get_type(b)) {
		case CMARK_NODE_HTML_BLOCK:
			break;
		case CMARK_NODE_HEADING:
			if (st == S_START) {
				st = S_PREFIX;
				if (cmark_node_get_heading_level(b) == 1)
					break;	/* the title */
			}
			if (cmark_node_get_heading_level(b) != 1)
				break;
			if (st == S_SUFFIX) {
				diag_error(path, cmark_node_get_start_line(b),
				    cmark_node_get_start_column(b), "a part "
				    "title after suffix chapters (a plain link "
				    "after the lists is a suffix chapter)");
				s.failed = 1;
				break;
			}
			st = S_NUMBERED;
			e = add(&s, SUMMARY_PART, SUMMARY_NUMBERED, 0,
			    cmark_node_get_start_line(b),
			    cmark_node_get_start_column(b));
			e->title = book_plain(b);
			after_part = 1;
			break;
		case CMARK_NODE_PARAGRAPH:
			if (st == S_NUMBERED && just_part) {
				/* mdBook skips the text under a part title */
				if (has_link(b))
					diag_warning(path,
					    cmark_node_get_start_line(b),
					    cmark_node_get_start_column(b),
					    "links ignored: chapters under a "
					    "part title are list items");
				break;
			}
			if (st == S_START)
				st = S_PREFIX;
			else if (st == S_NUMBERED)
				st = S_SUFFIX;
			affix(&s, b, st == S_PREFIX ? SUMMARY_PREFIX :
			    SUMMARY_SUFFIX);
			if (st == S_PREFIX)
				prefix_end = cmark_node_get_end_line(b);
			break;
		case CMARK_NODE_LIST:
			if (st == S_SUFFIX) {
				diag_error(path, cmark_node_get_start_line(b),
				    cmark_node_get_start_column(b), "numbered "
				    "chapters after suffix chapters (a plain "
				    "link after a list is a suffix chapter; "
				    "prefix chapters come before every list)");
				s.failed = 1;
				break;
			}
			if (st == S_PREFIX && prefix_end > 0 &&
			    cmark_node_get_start_line(b) == prefix_end + 1 &&
			    cmark_node_get_start_column(b) > 1) {
				diag_error(path, cmark_node_get_start_line(b),
				    cmark_node_get_start_column(b), "prefix "
				    "chapters cannot be nested; a nested "
				    "chapter is a list item under a numbered "
				    "chapter");
				s.failed = 1;
			}
			st = S_NUMBERED;
			numbered(&s, b);
			break;
		case CMARK_NODE_THEMATIC_BREAK:
			if (st == S_START)
				st = S_PREFIX;
			add(&s, SUMMARY_SEPARATOR, sec, 0,
			    cmark_node_get_start_line(b),
			    cmark_node_get_start_column(b));
			break;
		case CMARK_NODE_CODE_BLOCK:
			if (st == S_START)
				st = S_PREFIX;
			if (st != S_NUMBERED && indented_code(&s, b) &&
			    strstr(cmark_node_get_literal(b), "](") != NULL) {
				diag_error(path, cmark_node_get_start_line(b),
				    first_text_col(&s,
				    cmark_node_get_start_line(b)),
				    "%s chapters cannot be nested (an indented "
				    "line is read as code)", st == S_PREFIX ?
				    "prefix" : "suffix");
				s.failed = 1;
			}
			break;
		default:
			if (st == S_START)
				st = S_PREFIX;
			if (st != S_NUMBERED)
				affix(&s, b, st == S_PREFIX ? SUMMARY_PREFIX :
				    SUMMARY_SUFFIX);
			break;
		}
	}
	cmark_node_free(doc);
	free(s.bol);
	duplicates(&s);
	if (s.failed) {
		summary_free(s.v, s.n);
		return -1;
	}
	*out = s.v;
	*nout = s.n;
	return 0;
}

/* Directives */

/* Where a line of text to expand came from. */
struct origin {
	const char	*file;
	int		 line;
	int		 shift;		/* bytes put before it ("# ") */
};

struct level {
	const char		*file;	/* the text's file, as the map names it */
	const char		*text;
	size_t			 len;
	const struct origin	*org;	/* one per line; NULL: line k is k+1 */
	size_t			 norg;
	int			 depth;
	size_t			 start;	/* where its output begins */
};

struct expand {
	mdbook_read_fn		 rd;
	void			*arg;
	struct buf		*out;
	size_t			 out0;
	char			**files;
	size_t			 nfiles;
	size_t			*fhash;		/* files by name: index + 1, or 0 */
	size_t			 fcap;		/* a power of two */
	size_t			 ndirectives;
	struct mdbook_line	*lines;
	size_t			 nlines;
	size_t			 lcap;
	struct buf		 prefix;	/* written after every newline */
	size_t			 content;	/* where this line's own text starts */
	size_t			 lastpre;	/* prefix bytes written before it */
	const char		*dfile;		/* the chapter's directive at work */
	int			 dline, dcol;
	int			 pending;	/* a line has begun, no origin yet */
	size_t			 nread;
	int			 failed;
	int			 stop;		/* a limit was hit */
};

static size_t
name_hash(const char *s)
{
	size_t	 h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/* The map's copy of a file's name, one for each name. */
static const char *
add_file(struct expand *x, const char *name)
{
	size_t	 i, j;

	if (x->fcap > 0)
		for (j = name_hash(name) & (x->fcap - 1); x->fhash[j];
		    j = (j + 1) & (x->fcap - 1))
			if (strcmp(x->files[x->fhash[j] - 1], name) == 0)
				return x->files[x->fhash[j] - 1];
	if ((x->nfiles + 1) * 2 > x->fcap) {
		free(x->fhash);
		x->fcap = x->fcap ? x->fcap * 2 : 16;
		x->fhash = xcalloc(x->fcap, sizeof(*x->fhash));
		for (i = 0; i < x->nfiles; i++) {
			for (j = name_hash(x->files[i]) & (x->fcap - 1);
			    x->fhash[j]; j = (j + 1) & (x->fcap - 1))
				;
			x->fhash[j] = i + 1;
		}
	}
	for (j = name_hash(name) & (x->fcap - 1); x->fhash[j];
	    j = (j + 1) & (x->fcap - 1))
		;
	x->files = xreallocarray(x->files, x->nfiles + 1, sizeof(*x->files));
	x->files[x->nfiles] = xstrdup(name);
	x->fhash[j] = ++x->nfiles;
	return x->files[x->nfiles - 1];
}

static const char *
org_file(const struct level *lv, size_t k)
{
	if (lv->org == NULL || lv->norg == 0)
		return lv->file;
	return lv->org[k < lv->norg ? k : lv->norg - 1].file;
}

static int
org_line(const struct level *lv, size_t k)
{
	if (lv->org == NULL || lv->norg == 0)
		return k < INT_MAX ? (int)k + 1 : INT_MAX;
	return lv->org[k < lv->norg ? k : lv->norg - 1].line;
}

static int
org_shift(const struct level *lv, size_t k)
{
	if (lv->org == NULL || lv->norg == 0)
		return 0;
	return lv->org[k < lv->norg ? k : lv->norg - 1].shift;
}

/* Is there room for n more bytes of output? */
static int
room(struct expand *x, size_t n, const char *file, int line)
{
	size_t	 used = x->out->len - x->out0;

	if (x->stop)
		return -1;
	if (n > MDBOOK_MAX_OUTPUT || used > MDBOOK_MAX_OUTPUT - n) {
		if (x->dfile != NULL)
			diag_error(x->dfile, x->dline, x->dcol, "the expanded "
			    "text would pass %lu MB", MDBOOK_MAX_OUTPUT >> 20);
		else
			diag_error(file, line, 0, "the expanded text would "
			    "pass %lu MB", MDBOOK_MAX_OUTPUT >> 20);
		x->failed = x->stop = 1;
		return -1;
	}
	return 0;
}

static int
put(struct expand *x, const char *s, size_t n, const char *file, int line)
{
	if (room(x, n, file, line) == -1)
		return -1;
	if (x->pending && n > 0) {
		if (x->nlines == x->lcap) {
			x->lcap = x->lcap ? x->lcap * 2 : 256;
			x->lines = xreallocarray(x->lines, x->lcap,
			    sizeof(*x->lines));
		}
		x->lines[x->nlines].file = file;
		x->lines[x->nlines++].line = line;
		x->pending = 0;
	}
	buf_put(x->out, s, n);
	return 0;
}

/* Text of a level from byte a to b, line k being the line of byte a. */
static int
emit(struct expand *x, const struct level *lv, size_t a, size_t b, size_t k)
{
	const char	*nl;
	size_t		 e;

	while (a < b) {
		nl = memchr(lv->text + a, '\n', b - a);
		e = nl ? (size_t)(nl - lv->text) + 1 : b;
		if (put(x, lv->text + a, e - a, org_file(lv, k),
		    org_line(lv, k)) == -1)
			return -1;
		if (nl) {
			if (room(x, x->prefix.len, org_file(lv, k),
			    org_line(lv, k)) == -1)
				return -1;
			buf_put(x->out, x->prefix.data, x->prefix.len);
			x->content = x->out->len;
			x->lastpre = x->prefix.len;
			x->pending = 1;
			k++;
		}
		a = e;
	}
	return 0;
}

struct directive {
	const char	*name;
	size_t		 nname;
	const char	*rest;		/* what follows the name */
	size_t		 nrest;
	size_t		 end;		/* offset past the closing braces */
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

/*
 * {{#name rest}} at offset i, as mdBook's expression matches it:
 * \{\{\s*\#([a-zA-Z0-9_]+)\s+([^}]+)\}\}
 */
static int
match(const char *t, size_t len, size_t i, struct directive *d, size_t *brace)
{
	const char	*b;
	size_t		 p = i + 2, ns, r, ws;

	while (p < len && is_space(t[p]))
		p++;
	if (p >= len || t[p] != '#')
		return 0;
	ns = ++p;
	while (p < len && (isalnum((unsigned char)t[p]) || t[p] == '_'))
		p++;
	if (p == ns)
		return 0;
	/* the first '}' from p on, remembered: the scan stays linear */
	if (*brace < p) {
		b = memchr(t + p, '}', len - p);
		*brace = b ? (size_t)(b - t) : len;
	}
	r = *brace;
	if (r - p < 2 || !is_space(t[p]) || r + 1 >= len || t[r + 1] != '}')
		return 0;
	for (ws = p; ws < r && is_space(t[ws]); ws++)
		;
	if (ws == r)
		ws = r - 1;
	d->name = t + ns;
	d->nname = p - ns;
	d->rest = t + ws;
	d->nrest = r - ws;
	d->end = r + 2;
	return 1;
}

static int
is_name(const struct directive *d, const char *name)
{
	return d->nname == strlen(name) && memcmp(d->name, name, d->nname) == 0;
}

/* What a directive asks for. */
struct request {
	char	*file;
	int	 from, to;		/* 1-based lines; to 0: to the end */
	char	*anchor;
	char	*attrs;			/* playground: comma-separated */
};

static void
request_free(struct request *r)
{
	free(r->file);
	free(r->anchor);
	free(r->attrs);
	memset(r, 0, sizeof(*r));
}

static int
all_digits(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return n > 0;
}

static int
number(const char *s, size_t n)
{
	long	 v = 0;
	size_t	 i;

	for (i = 0; i < n; i++) {
		v = v * 10 + (s[i] - '0');
		if (v > INT_MAX)
			return -1;
	}
	return (int)v;
}

/*
 * After "file:": "10", "10:20", "10:", ":20", "" or an anchor.  mdBook
 * reads a range it cannot make sense of as some other range; here that
 * is an error.  Returns 0, or -1 with *why set.
 */
static int
range(struct request *r, const char *s, size_t n, const char **why)
{
	const char	*c1, *c2;
	size_t		 n0, n1;

	c1 = memchr(s, ':', n);
	n0 = c1 ? (size_t)(c1 - s) : n;
	if (n0 > 0 && !all_digits(s, n0)) {
		r->anchor = xstrndup(s, n0);	/* more after ':' is ignored */
		return 0;
	}
	if (n0 > 0 && (r->from = number(s, n0)) < 1) {
		*why = r->from == 0 ? "lines are numbered from 1" :
		    "line number too large";
		return -1;
	}
	if (c1 == NULL) {
		r->to = r->from;	/* one line, or the whole file */
		return 0;
	}
	c1++;
	n1 = (size_t)(s + n - c1);
	if ((c2 = memchr(c1, ':', n1)) != NULL) {
		*why = "a line range is FROM:TO";
		return -1;
	}
	if (n1 == 0)
		return 0;
	if (!all_digits(c1, n1)) {
		*why = "a line range is FROM:TO, in numbers";
		return -1;
	}
	if ((r->to = number(c1, n1)) < 1) {
		*why = r->to == 0 ? "lines are numbered from 1" :
		    "line number too large";
		return -1;
	}
	if (r->from == 0)
		r->from = 1;
	if (r->to < r->from) {
		*why = "the line range ends before it starts";
		return -1;
	}
	return 0;
}

/*
 * The file and what follows it: a path, or a quoted path with
 * backslash escapes; then ":range-or-anchor" (include) or attributes
 * (playground).  0, or -1 when there is no file (left as text).
 */
static int
request(const struct directive *d, int playground, struct request *r,
    const char **why)
{
	const char	*s = d->rest, *e = d->rest + d->nrest, *p;
	struct buf	 b = { NULL, 0, 0 };

	memset(r, 0, sizeof(*r));
	*why = NULL;
	while (s < e && is_space(*s))
		s++;
	while (e > s && is_space(e[-1]))
		e--;
	if (s == e)
		return -1;
	if (*s == '"') {
		for (p = s + 1; p < e && *p != '"'; p++) {
			if (*p == '\\' && p + 1 < e)
				p++;
			buf_putc(&b, *p);
		}
		if (p >= e) {
			buf_free(&b);
			return -1;
		}
		r->file = buf_detach(&b);
		for (p++; p < e && is_space(*p); p++)
			;
		if (playground) {
			r->attrs = xstrndup(p, (size_t)(e - p));
			return 0;
		}
		if (p < e && *p == ':')
			return range(r, p + 1, (size_t)(e - p - 1), why);
		return 0;
	}
	for (p = s; p < e && !is_space(*p); p++)
		;
	if (playground) {
		r->file = xstrndup(s, (size_t)(p - s));
		while (p < e && is_space(*p))
			p++;
		r->attrs = xstrndup(p, (size_t)(e - p));
		return 0;
	}
	e = p;
	if ((p = memchr(s, ':', (size_t)(e - s))) == NULL) {
		r->file = xstrndup(s, (size_t)(e - s));
		return 0;
	}
	r->file = xstrndup(s, (size_t)(p - s));
	return range(r, p + 1, (size_t)(e - p - 1), why);
}

/* One line of an included file, without its newline. */
struct line {
	const char	*s;
	size_t		 n;
};

/* Lines as Rust's str::lines() gives them: no empty last line, no CR. */
static struct line *
split(const char *s, size_t len, size_t *n)
{
	struct line	*v = NULL;
	const char	*p = s, *e = s + len, *nl;
	size_t		 cap = 0;

	*n = 0;
	while (p < e) {
		nl = memchr(p, '\n', (size_t)(e - p));
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[*n].s = p;
		v[*n].n = (size_t)((nl ? nl : e) - p);
		if (nl && v[*n].n > 0 && p[v[*n].n - 1] == '\r')
			v[*n].n--;
		(*n)++;
		p = nl ? nl + 1 : e;
	}
	return v;
}

/*
 * Does the line hold "ANCHOR:" (or "ANCHOR_END:"), blanks, then a name
 * of word characters and '-'?  The name, or NULL.
 */
static const char *
anchor(const struct line *l, const char *tag, size_t *nname)
{
	const char	*p = l->s, *e = l->s + l->n, *q;
	size_t		 nt = strlen(tag);

	while ((size_t)(e - p) >= nt) {
		if ((q = memchr(p, tag[0], (size_t)(e - p))) == NULL ||
		    (size_t)(e - q) < nt)
			return NULL;
		p = q + 1;
		if (memcmp(q, tag, nt) != 0)
			continue;
		for (q += nt; q < e && is_space(*q); q++)
			;
		for (*nname = 0; q + *nname < e &&
		    (isalnum((unsigned char)q[*nname]) || q[*nname] == '_' ||
		    q[*nname] == '-' || (unsigned char)q[*nname] >= 0x80);
		    (*nname)++)
			;
		if (*nname > 0)
			return q;
	}
	return NULL;
}

static int
anchor_is(const struct line *l, const char *tag, const char *name)
{
	const char	*a;
	size_t		 n;

	return (a = anchor(l, tag, &n)) != NULL && n == strlen(name) &&
	    memcmp(a, name, n) == 0;
}

static int
is_anchor_line(const struct line *l)
{
	size_t	 n;

	return anchor(l, "ANCHOR:", &n) != NULL ||
	    anchor(l, "ANCHOR_END:", &n) != NULL;
}

/* The text a directive brings in, line by line, before expanding it. */
struct piece {
	struct buf	 text;
	struct origin	*org;
	size_t		 n;
	size_t		 cap;
};

static void
piece_line(struct piece *pc, const char *file, int line, const char *pre,
    const char *s, size_t n)
{
	if (pc->n == pc->cap) {
		pc->cap = pc->cap ? pc->cap * 2 : 64;
		pc->org = xreallocarray(pc->org, pc->cap, sizeof(*pc->org));
	}
	if (pc->n > 0)
		buf_putc(&pc->text, '\n');
	pc->org[pc->n].file = file;
	pc->org[pc->n].line = line;
	pc->org[pc->n].shift = (int)strlen(pre);
	pc->n++;
	buf_puts(&pc->text, pre);
	buf_put(&pc->text, s, n);
}

/*
 * Choose the lines: include takes the range or the anchor's first
 * section; rustdoc_include takes every line and hides ("# ") those
 * outside the range or the anchor's sections.  Lines naming anchors go
 * in every case.  0, or -1 with *why set.
 */
static int
select_lines(struct piece *pc, const struct request *r, int rustdoc,
    const char *file, const char *content, size_t len, const char **why)
{
	struct line	*v;
	size_t		 n, i;
	int		 in, seen = 0, hide;

	v = split(content, len, &n);
	if (r->anchor == NULL && r->from > 0 && (size_t)r->from > n) {
		free(v);
		*why = "the line range starts past the end of the file";
		return -1;
	}
	in = 0;
	for (i = 0; i < n; i++) {
		if (r->anchor != NULL) {
			if (!in && anchor_is(&v[i], "ANCHOR:", r->anchor)) {
				in = seen = 1;
				continue;
			}
			if (in && anchor_is(&v[i], "ANCHOR_END:", r->anchor)) {
				in = 0;
				if (!rustdoc)
					break;
				continue;
			}
			hide = !in;
		} else
			hide = r->from > 0 && ((int)i + 1 < r->from ||
			    (r->to > 0 && (int)i + 1 > r->to));
		if (is_anchor_line(&v[i]))
			continue;
		if (hide && !rustdoc)
			continue;
		piece_line(pc, file, (int)(i < INT_MAX ? i + 1 : INT_MAX),
		    hide ? "# " : "", v[i].s, v[i].n);
	}
	free(v);
	if (r->anchor != NULL && !seen) {
		*why = "no such anchor";
		return -1;
	}
	return 0;
}

static int	expand_level(struct expand *, struct level *);

/*
 * Blanks and '>' before the directive on its line go before every
 * further line it brings in; other text does not.
 */
static size_t
push_prefix(struct expand *x, const struct level *lv)
{
	size_t	 from = lv->start > x->content ? lv->start : x->content;
	size_t	 i, old = x->prefix.len;

	for (i = from; i < x->out->len; i++)
		if (x->out->data[i] != ' ' && x->out->data[i] != '\t' &&
		    x->out->data[i] != '>')
			return old;
	if (x->out->len > from)
		buf_put(&x->prefix, x->out->data + from, x->out->len - from);
	return old;
}

/* A directive found in lv at offset i, line k, column col. */
static void
directive(struct expand *x, struct level *lv, const struct directive *d,
    size_t k, int col, int *used)
{
	struct request	 r, all;
	struct piece	 pc;
	struct buf	 content = { NULL, 0, 0 };
	struct level	 sub;
	const char	*why, *shown = NULL, *file, *at = org_file(lv, k), *a;
	int		 line = org_line(lv, k), rustdoc, play, rc;
	size_t		 old;

	*used = 0;
	if (is_name(d, "title")) {
		*used = 1;
		return;
	}
	rustdoc = is_name(d, "rustdoc_include");
	play = is_name(d, "playground") || is_name(d, "playpen");
	if (!rustdoc && !play && !is_name(d, "include")) {
		diag_warning(at, line, col, "unknown directive {{#%.*s}} left "
		    "as text", (int)d->nname, d->name);
		return;
	}
	if (is_name(d, "playpen"))
		diag_warning(at, line, col, "{{#playpen}} is now called "
		    "{{#playground}}");
	if (request(d, play, &r, &why) == -1) {
		if (why != NULL) {
			diag_error(at, line, col, "{{#%.*s %.*s}}: %s",
			    (int)d->nname, d->name, (int)d->nrest, d->rest,
			    why);
			x->failed = 1;
		} else
			diag_warning(at, line, col, "{{#%.*s}} without a file "
			    "left as text", (int)d->nname, d->name);
		request_free(&r);
		return;
	}
	if (++x->ndirectives > MDBOOK_MAX_DIRECTIVES) {
		diag_error(at, line, col, "more than %d directives to expand",
		    MDBOOK_MAX_DIRECTIVES);
		x->failed = x->stop = 1;
		request_free(&r);
		return;
	}
	if (lv->depth >= MDBOOK_MAX_DEPTH) {
		diag_error(at, line, col, "includes nested more than %d deep "
		    "(does a file include itself?)", MDBOOK_MAX_DEPTH);
		x->failed = x->stop = 1;
		request_free(&r);
		return;
	}
	if (x->rd(x->arg, lv->file, r.file, line, col, &content,
	    &shown) == -1) {
		x->failed = 1;
		buf_free(&content);
		request_free(&r);
		return;
	}
	if (content.len > MDBOOK_MAX_READ - x->nread) {
		diag_error(at, line, col, "included files pass %lu MB in all",
		    MDBOOK_MAX_READ >> 20);
		x->failed = x->stop = 1;
		buf_free(&content);
		request_free(&r);
		return;
	}
	x->nread += content.len;
	file = add_file(x, shown ? shown : r.file);
	memset(&pc, 0, sizeof(pc));
	if (play) {
		/* a fenced block: "```rust,attr,attr", the file, "```" */
		memset(&all, 0, sizeof(all));
		piece_line(&pc, at, line, "", "```rust", 7);
		for (a = r.attrs; *a; ) {
			while (is_space(*a))
				a++;
			if (*a == '\0')
				break;
			buf_putc(&pc.text, ',');
			while (*a && !is_space(*a))
				buf_putc(&pc.text, *a++);
		}
		if (content.len > 0)
			select_lines(&pc, &all, 0, file, content.data,
			    content.len, &why);
		else
			piece_line(&pc, file, 1, "", "", 0);
		piece_line(&pc, at, line, "", "```", 3);
		rc = 0;
	} else
		rc = select_lines(&pc, &r, rustdoc, file, content.data,
		    content.len, &why);
	if (rc == -1) {
		diag_error(at, line, col, "{{#%.*s %.*s}}: %s", (int)d->nname,
		    d->name, (int)d->nrest, d->rest, r.anchor ?
		    "no such anchor in the file" : why);
		x->failed = 1;
	} else {
		*used = 1;
		memset(&sub, 0, sizeof(sub));
		sub.file = file;
		sub.text = pc.text.data ? pc.text.data : "";
		sub.len = pc.text.len;
		sub.org = pc.org;
		sub.norg = pc.n;
		sub.depth = lv->depth + 1;
		old = push_prefix(x, lv);
		if (lv->depth == 0) {
			x->dfile = at;
			x->dline = line;
			x->dcol = col;
		}
		expand_level(x, &sub);
		x->prefix.len = old;
		/* this level's line began with the outer prefix only */
		if (x->lastpre > old) {
			x->content -= x->lastpre - old;
			x->lastpre = old;
		}
		if (lv->depth == 0)
			x->dfile = NULL;
	}
	buf_free(&pc.text);
	free(pc.org);
	buf_free(&content);
	request_free(&r);
}

static size_t
count_lines(const char *s, size_t a, size_t b, size_t *bol)
{
	size_t	 n = 0;

	for (; a < b; a++)
		if (s[a] == '\n') {
			n++;
			*bol = a + 1;
		}
	return n;
}

/*
 * Copy a level's text out, expanding the directives in it; as mdBook's
 * expression finds them, an escaped one "\{{#...}}" runs to the last
 * "}}" on its line and loses its backslash.
 */
static int
expand_level(struct expand *x, struct level *lv)
{
	const char		*t = lv->text, *eol;
	struct directive	 d;
	size_t			 i = 0, seg = 0, k = 0, kseg = 0, bol = 0, j;
	size_t			 brace = 0, lineend = 0, last = 0;
	int			 used, col, have_line = 0;

	lv->start = x->out->len;
	while (i < lv->len && !x->stop) {
		if (t[i] == '\\' && lv->len - i > 3 && t[i + 1] == '{' &&
		    t[i + 2] == '{' && t[i + 3] == '#') {
			/* the last "}}" of this line, found once a line */
			if (!have_line || i >= lineend) {
				eol = memchr(t + i, '\n', lv->len - i);
				lineend = eol ? (size_t)(eol - t) : lv->len;
				for (last = lineend; last >= i + 2 &&
				    !(t[last - 1] == '}' && t[last - 2] == '}');
				    last--)
					;
				have_line = 1;
			}
			j = last;
			if (j >= i + 6) {
				if (emit(x, lv, seg, i, kseg) == -1 ||
				    emit(x, lv, i + 1, j, k) == -1)
					break;
				seg = i = j;
				kseg = k;
				continue;
			}
		}
		if (t[i] == '{' && lv->len - i > 1 && t[i + 1] == '{' &&
		    match(t, lv->len, i, &d, &brace)) {
			col = (int)(i - bol) + 1 - org_shift(lv, k);
			if (emit(x, lv, seg, i, kseg) == -1)
				break;
			directive(x, lv, &d, k, col < 1 ? 1 : col, &used);
			if (!used) {
				/* left as text: copy it and go on after it */
				if (emit(x, lv, i, d.end, k) == -1)
					break;
			}
			k += count_lines(t, i, d.end, &bol);
			seg = i = d.end;
			kseg = k;
			continue;
		}
		if (t[i] == '\n') {
			k++;
			bol = i + 1;
		}
		i++;
	}
	if (!x->stop)
		emit(x, lv, seg, lv->len, kseg);
	return x->failed ? -1 : 0;
}

/*
 * Expand the directives of a chapter into out (appended to), and say
 * in map where each line of it came from.  -1 after reporting every
 * error found, with what could be expanded in out.
 */
int
mdbook_expand(const char *path, const char *text, size_t len,
    mdbook_read_fn rd, void *arg, struct buf *out, struct mdbook_map *map)
{
	struct expand	 x;
	struct level	 top;
	size_t		 i;

	memset(&x, 0, sizeof(x));
	x.rd = rd;
	x.arg = arg;
	x.out = out;
	x.out0 = x.content = out->len;
	x.pending = 1;
	memset(&top, 0, sizeof(top));
	top.file = add_file(&x, path);
	top.text = text;
	top.len = len;
	expand_level(&x, &top);
	buf_free(&x.prefix);
	free(x.fhash);
	if (map != NULL) {
		map->v = x.lines;
		map->n = x.nlines;
		map->files = x.files;
		map->nfiles = x.nfiles;
	} else {
		free(x.lines);
		for (i = 0; i < x.nfiles; i++)
			free(x.files[i]);
		free(x.files);
	}
	return x.failed ? -1 : 0;
}

void
mdbook_map_free(struct mdbook_map *map)
{
	size_t	 i;

	for (i = 0; i < map->nfiles; i++)
		free(map->files[i]);
	free(map->files);
	free(map->v);
	memset(map, 0, sizeof(*map));
}

/* Rust code blocks */

/*
 * mdBook reads "rust,ignore" and "rust ignore" alike: the language is
 * the info string's first word, up to a comma or a blank.
 */
int
mdbook_is_rust(const char *info)
{
	size_t	 n;

	if (info == NULL)
		return 0;
	while (*info == ' ' || *info == '\t')
		info++;
	n = strcspn(info, ", \t\r\n");
	return n == 4 && memcmp(info, "rust", 4) == 0;
}

/*
 * rustdoc's hidden lines: after any blanks, "#" alone or "# " starts a
 * line that the reader does not see; "##" shows as "#".
 */
char *
mdbook_visible(const char *code)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*p = code, *nl, *h;
	size_t		 n, e;

	while (*p) {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		e = nl ? (size_t)(nl - p) : n;
		if (e > 0 && p[e - 1] == '\r')
			e--;
		for (h = p; h < p + e && (*h == ' ' || *h == '\t'); h++)
			;
		if (h < p + e && *h == '#') {
			if (h + 1 == p + e || h[1] == ' ') {
				p += n;
				continue;
			}
			if (h[1] == '#') {
				buf_put(&b, p, (size_t)(h - p));
				buf_put(&b, h + 1, n - (size_t)(h + 1 - p));
				p += n;
				continue;
			}
		}
		buf_put(&b, p, n);
		p += n;
	}
	return buf_detach(&b);
}

/* Redirects */

#define MAX_REDIRECTS	64	/* steps in a chain of redirects */

static const char *
unslash(const char *s)
{
	return *s == '/' ? s + 1 : s;
}

static const struct toml_value *
redirects(const struct toml_value *book)
{
	const struct toml_value	*r = toml_get(book, "output.html.redirect");

	return r != NULL && r->type == TOML_TABLE ? r : NULL;
}

/* Key i of the redirect table that names page, or -1. */
static long
redirect_of(const struct toml_value *r, const char *page)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		if (strcmp(unslash(r->keys[i]), unslash(page)) == 0)
			return (long)i;
	return -1;
}

/*
 * Where an old page now lives, following chains of redirects ("/" at
 * the start of either side does not matter); NULL when the page is not
 * redirected or the chain goes round.
 */
const char *
mdbook_redirect(const struct toml_value *book, const char *html)
{
	const struct toml_value	*r = redirects(book);
	const char		*to = NULL, *cur = html;
	long			 i;
	int			 step;

	if (r == NULL)
		return NULL;
	for (step = 0; step <= MAX_REDIRECTS; step++) {
		if ((i = redirect_of(r, cur)) < 0 ||
		    r->v[i].type != TOML_STRING)
			return to;
		to = cur = r->v[i].s;
	}
	return NULL;
}

struct rkey {
	const char	*key;		/* without a leading '/' */
	size_t		 i;
};

static int
by_key(const void *a, const void *b)
{
	const struct rkey	*x = a, *y = b;
	int			 c = strcmp(x->key, y->key);

	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

static long
lookup(const struct rkey *v, size_t n, const char *page)
{
	size_t	 lo = 0, hi = n, mid;
	int	 c;

	page = unslash(page);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(page, v[mid].key)) == 0)
			return (long)v[mid].i;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/*
 * Every redirect of book.toml must be a string, and no chain may go
 * round or run past MAX_REDIRECTS steps.  0, or -1 after reporting.
 */
int
mdbook_redirect_check(const char *path, const struct toml_value *book)
{
	const struct toml_value	*r = redirects(book), *t;
	struct rkey		*v;
	size_t			 i;
	long			 j;
	int			 step, rc = 0;

	if (r == NULL) {
		t = toml_get(book, "output.html.redirect");
		if (t != NULL) {
			diag_error(path, t->line, t->col, "output.html.redirect "
			    "must be a table of old page = new page");
			return -1;
		}
		return 0;
	}
	v = xreallocarray(NULL, r->n, sizeof(*v));
	for (i = 0; i < r->n; i++) {
		v[i].key = unslash(r->keys[i]);
		v[i].i = i;
	}
	qsort(v, r->n, sizeof(*v), by_key);
	for (i = 1; i < r->n; i++)
		if (strcmp(v[i].key, v[i - 1].key) == 0) {
			t = &r->v[v[i].i];
			diag_error(path, t->line, t->col, "%s is redirected "
			    "twice", r->keys[v[i].i]);
			rc = -1;
		}
	for (i = 0; i < r->n; i++) {
		if (r->v[i].type != TOML_STRING) {
			diag_error(path, r->v[i].line, r->v[i].col, "the "
			    "redirect of %s must be a string", r->keys[i]);
			rc = -1;
			continue;
		}
		j = (long)i;
		for (step = 0; step <= MAX_REDIRECTS && j >= 0 &&
		    r->v[j].type == TOML_STRING; step++)
			j = lookup(v, r->n, r->v[j].s);
		if (step > MAX_REDIRECTS) {
			diag_error(path, r->v[i].line, r->v[i].col, "the "
			    "redirects from %s go round or run past %d steps",
			    r->keys[i], MAX_REDIRECTS);
			rc = -1;
		}
	}
	free(v);
	return rc;
}
