/*
 * Reading a manuscript into a book: the metadata, the chapters in order,
 * one cmark parse per chapter, and the facts both editions need — ids,
 * figure numbers, link targets, image files — worked out once here so
 * that neither renderer computes them (or warns about them) twice.
 */
#include <sys/stat.h>

#include <dirent.h>
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
#include "image.h"
#include "svg.h"
#include "utf8.h"

#define NODE_INDEX(n)	((size_t)(uintptr_t)cmark_node_get_user_data(n))

static int
readfile(const char *path, struct buf *b)
{
	if (buf_load(b, path) == -1) {
		diag_error(path, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (b->data == NULL)
		buf_put(b, "", 0);
	return 0;
}

/* Report the first malformed UTF-8 sequence or NUL byte by line:col. */
static int
checktext(const char *path, const char *s, size_t n)
{
	size_t	 bad = utf8_invalid(s, n), i;
	int	 line = 1, col = 1;

	if (bad == n)
		return 0;
	for (i = 0; i < bad; i++) {
		if (s[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
	}
	diag_error(path, line, col, s[bad] == '\0' ? "NUL byte in text" :
	    "invalid UTF-8 (byte 0x%02X); save the file as UTF-8",
	    (unsigned char)s[bad]);
	return -1;
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

static char *
dirname_of(const char *path)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static const char *
basename_of(const char *path)
{
	const char	*slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int
hasext(const char *name, const char *ext)
{
	size_t	 n = strlen(name), e = strlen(ext);

	return n > e && strcmp(name + n - e, ext) == 0;
}

static void
add_chapter(struct book *bk, const char *path)
{
	struct chapter	*c;

	bk->chapters = xreallocarray(bk->chapters, bk->nchapters + 1,
	    sizeof(*bk->chapters));
	c = &bk->chapters[bk->nchapters++];
	memset(c, 0, sizeof(*c));
	c->path = xstrdup(path);
	c->name = xstrdup(basename_of(path));
}

static int
namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The chapters of a folder: its chapters list, else its *.md by name. */
static void
list_chapters(struct book *bk)
{
	struct buf	 b = { NULL, 0, 0 };
	struct mlist	*l = &bk->meta.chapters;
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	char		**names = NULL;
	size_t		 n = 0, i;

	for (i = 0; i < l->n; i++) {
		buf_reset(&b);
		buf_printf(&b, "%s/%s", bk->root, l->v[i].s);
		if (l->v[i].s[0] == '/' || strstr(l->v[i].s, "..") != NULL)
			diag_error(bk->meta.path, l->v[i].line, l->v[i].col,
			    "chapter '%s' is outside the manuscript folder",
			    l->v[i].s);
		else if (stat(b.data, &st) == -1 || !S_ISREG(st.st_mode))
			diag_error(bk->meta.path, l->v[i].line, l->v[i].col,
			    "chapter file '%s' not found", l->v[i].s);
		else
			add_chapter(bk, b.data);
	}
	if (l->n > 0) {
		buf_free(&b);
		return;
	}
	if ((d = opendir(bk->root)) == NULL) {
		diag_error(bk->root, 0, 0, "cannot read folder: %s",
		    strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !hasext(de->d_name, ".md"))
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), namecmp);
	for (i = 0; i < n; i++) {
		buf_reset(&b);
		buf_printf(&b, "%s/%s", bk->root, names[i]);
		add_chapter(bk, b.data);
		free(names[i]);
	}
	free(names);
	buf_free(&b);
	if (bk->nchapters == 0)
		diag_error(bk->root, 0, 0, "no chapters: the folder has no "
		    ".md files");
}

/*
 * A single Markdown file may open with YAML front matter between "---"
 * lines.  It is handed to the YAML parser with its own lines, then blanked
 * (newlines kept) so cmark's positions stay those of the file.
 */
static int
front_matter(struct book *bk, struct chapter *c)
{
	char	*t = c->text, *p, *end;
	size_t	 len;

	if (strncmp(t, "---\n", 4) != 0 && strncmp(t, "---\r\n", 5) != 0)
		return 0;
	for (p = strchr(t, '\n') + 1; *p; p = end + 1) {
		end = strchr(p, '\n');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len && p[len - 1] == '\r')
			len--;
		if (len == 3 && (strncmp(p, "---", 3) == 0 ||
		    strncmp(p, "...", 3) == 0)) {
			if (meta_parse(&bk->meta, c->path, t,
			    (size_t)(p - t)) == -1)
				return -1;
			for (end = t; end < p + len; end++)
				if (*end != '\n')
					*end = ' ';
			return 0;
		}
		if (end == NULL)
			break;
	}
	return 0;
}

static int
parse_chapter(struct book *bk, struct chapter *c, int single)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 len;

	if (readfile(c->path, &b) == -1)
		return -1;
	len = b.len;
	c->text = buf_detach(&b);
	if (checktext(c->path, c->text, len) == -1)
		return -1;
	if (single && front_matter(bk, c) == -1)
		return -1;
	c->doc = cmark_parse_document(c->text, len, CMARK_OPT_DEFAULT);
	return 0;
}

static int
has_scheme(const char *url, size_t *len)
{
	size_t	 i = 0;

	if (!((url[0] >= 'a' && url[0] <= 'z') ||
	    (url[0] >= 'A' && url[0] <= 'Z')))
		return 0;
	while (url[i] && strchr("abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-", url[i]))
		i++;
	if (url[i] != ':' || i < 2)
		return 0;
	*len = i;
	return 1;
}

static int
ishex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/*
 * Percent-encode whatever a URI may not hold, keeping valid escapes;
 * brackets stay only in the authority, where they enclose IPv6 hosts.
 */
static char *
uri_escape(const char *s)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*keep = "-._~:/?#@!$&'()*+,;=", *auth, *authend;
	unsigned char	 c;

	auth = strstr(s, "://");
	auth = auth ? auth + 3 : s;
	authend = auth + strcspn(auth, "/?#");
	for (; *s; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c && strchr(keep, c)) ||
		    ((c == '[' || c == ']') && s >= auth && s < authend))
			buf_putc(&b, (char)c);
		else if (c == '%' && ishex(s[1]) && ishex(s[2]))
			buf_putc(&b, '%');
		else
			buf_printf(&b, "%%%02X", c);
	}
	return buf_detach(&b);
}

/* A host a URL parser accepts: DNS labels, or an IPv6 literal. */
static int
valid_authority(const char *url)
{
	const char	*a = strstr(url, "://"), *end, *at, *h, *colon;
	size_t		 label = 0;

	if (a == NULL)
		return 0;
	a += 3;
	end = a + strcspn(a, "/?#");
	for (at = a; at < end; at++)
		if (*at == '@')
			a = at + 1;
	if (a < end && *a == '[')
		return end[-1] == ']' || memchr(a, ']', (size_t)(end - a));
	colon = memchr(a, ':', (size_t)(end - a));
	if (colon != NULL) {
		for (h = colon + 1; h < end; h++)
			if (*h < '0' || *h > '9')
				return 0;
		end = colon;
	}
	if (a == end)
		return 0;
	for (h = a; h < end; h++) {
		if (*h == '.') {
			if (label == 0)
				return 0;
			label = 0;
		} else if ((*h >= 'a' && *h <= 'z') || (*h >= 'A' &&
		    *h <= 'Z') || (*h >= '0' && *h <= '9') || *h == '-')
			label++;
		else
			return 0;
	}
	return 1;
}

/* Decode %XX escapes in a local path. */
static char *
uri_unescape(const char *s, size_t n)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;
	char		 hex[3] = { 0, 0, 0 };

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n + 1 && ishex(s[i + 1]) &&
		    ishex(s[i + 2])) {
			hex[0] = s[i + 1];
			hex[1] = s[i + 2];
			buf_putc(&b, (char)strtol(hex, NULL, 16));
			i += 2;
		} else
			buf_putc(&b, s[i]);
	}
	return buf_detach(&b);
}

static const char *
find_id(const struct book *bk, size_t ch, const char *id)
{
	const struct chapter	*c = &bk->chapters[ch];
	size_t			 i;

	for (i = c->first_heading; i < c->first_heading + c->nheadings; i++)
		if (strcmp(bk->headings[i].id, id) == 0)
			return bk->headings[i].id;
	return NULL;
}

/* Link schemes carried into the book; others are dropped (javascript:). */
static const struct {
	const char	*name;
	int		 host;	/* needs a valid //host */
} schemes[] = {
	{ "http", 1 }, { "https", 1 }, { "ftp", 1 }, { "mailto", 0 },
	{ "tel", 0 },
};

static void
resolve_link(struct book *bk, size_t ch, cmark_node *n)
{
	const char	*url = cmark_node_get_url(n), *hash;
	const char	*path = bk->chapters[ch].path;
	int		 line = cmark_node_get_start_line(n);
	int		 col = cmark_node_get_start_column(n);
	struct link	 l;
	char		*file, *frag = NULL;
	size_t		 slen, i;

	memset(&l, 0, sizeof(l));
	if (url == NULL || *url == '\0') {
		diag_warning(path, line, col, "link without a destination; "
		    "set as plain text");
		return;
	}
	if (has_scheme(url, &slen)) {
		for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
			if (strlen(schemes[i].name) == slen &&
			    strncasecmp(url, schemes[i].name, slen) == 0)
				break;
		if (i == sizeof(schemes) / sizeof(schemes[0])) {
			diag_warning(path, line, col, "link with unsupported "
			    "scheme '%.*s:' dropped", (int)slen, url);
			return;
		}
		if (schemes[i].host && !valid_authority(url)) {
			diag_warning(path, line, col, "link to '%s' has no "
			    "valid host; set as plain text", url);
			return;
		}
		l.kind = LINK_EXTERNAL;
		l.href = uri_escape(url);
		goto add;
	}
	hash = strchr(url, '#');
	file = uri_unescape(url, hash ? (size_t)(hash - url) : strlen(url));
	if (hash != NULL)
		frag = uri_unescape(hash + 1, strlen(hash + 1));
	l.kind = LINK_INTERNAL;
	if (*file == '\0')
		l.chapter = ch;
	else {
		for (i = 0; i < bk->nchapters; i++)
			if (strcmp(basename_of(file),
			    bk->chapters[i].name) == 0 &&
			    strncmp(file, "/", 1) != 0)
				break;
		if (i == bk->nchapters) {
			diag_warning(path, line, col, "link to '%s', which is "
			    "not a chapter of this book; set as plain text",
			    url);
			free(file);
			free(frag);
			return;
		}
		l.chapter = i;
	}
	if (frag != NULL && *frag != '\0' &&
	    (l.id = find_id(bk, l.chapter, frag)) == NULL) {
		diag_warning(path, line, col, "link to '#%s': no such "
		    "heading in %s; set as plain text", frag,
		    bk->chapters[l.chapter].name);
		free(file);
		free(frag);
		return;
	}
	free(file);
	free(frag);
add:
	bk->links = xreallocarray(bk->links, bk->nlinks + 1,
	    sizeof(*bk->links));
	bk->links[bk->nlinks++] = l;
	cmark_node_set_user_data(n, (void *)(uintptr_t)bk->nlinks);
}

/*
 * Resolve an image path against the chapter's folder.  Only files inside
 * the manuscript folder are read, and only PNG and JPEG, which both
 * PDF and EPUB carry as they are, and SVG, of which the e-book carries a
 * sanitised copy and the PDF the pixels.  Returns the image index + 1,
 * or 0.
 */
static size_t
resolve_image(struct book *bk, const char *from, const char *url,
    int line, int col)
{
	struct buf	 b = { NULL, 0, 0 }, svg = { NULL, 0, 0 };
	struct image_info ii;
	char		 real[PATH_MAX], rootreal[PATH_MAX], *dir, *dec;
	char		 why[160];
	const unsigned char *d;
	struct image	*im;
	enum image_kind	 kind;
	size_t		 i, slen, rl;
	int		 type, removed = 0;

	if (url == NULL || *url == '\0') {
		diag_warning(from, line, col, "image without a source; "
		    "its description is shown instead");
		return 0;
	}
	if (has_scheme(url, &slen) || strncmp(url, "//", 2) == 0) {
		diag_warning(from, line, col, "remote image '%s' is not "
		    "fetched; its description is shown instead", url);
		return 0;
	}
	if (url[0] == '/') {
		diag_warning(from, line, col, "image '%s' is outside the "
		    "manuscript folder; refused", url);
		return 0;
	}
	dir = dirname_of(from);
	dec = uri_unescape(url, strcspn(url, "?#"));
	buf_printf(&b, "%s/%s", dir, dec);
	free(dir);
	free(dec);
	if (realpath(b.data, real) == NULL) {
		diag_warning(from, line, col, "image '%s' not found; its "
		    "description is shown instead", url);
		buf_free(&b);
		return 0;
	}
	buf_free(&b);
	if (realpath(bk->root, rootreal) == NULL)
		return 0;
	rl = strlen(rootreal);
	if (strncmp(real, rootreal, rl) != 0 ||
	    (real[rl] != '/' && rootreal[rl - 1] != '/')) {
		diag_warning(from, line, col, "image '%s' is outside the "
		    "manuscript folder; refused", url);
		return 0;
	}
	for (i = 0; i < bk->nimages; i++)
		if (strcmp(bk->images[i].path, real) == 0)
			return i + 1;
	if (buf_load(&b, real) == -1) {
		buf_free(&b);
		diag_warning(from, line, col, "image '%s' cannot be read; its "
		    "description is shown instead", url);
		return 0;
	}
	d = (const unsigned char *)b.data;
	if ((kind = image_sniff(d, b.len)) == IMAGE_KIND_OTHER) {
		buf_free(&b);
		diag_warning(from, line, col, "image '%s' is not a PNG, JPEG "
		    "or SVG file; its description is shown instead", url);
		return 0;
	}
	memset(&ii, 0, sizeof(ii));
	if ((kind == IMAGE_KIND_SVG ? svg_sanitize(d, b.len, &svg,
	    &ii.width_pt, &ii.height_pt, &removed, why, sizeof(why)) :
	    image_check(d, b.len, &ii, why, sizeof(why))) == -1) {
		buf_free(&b);
		buf_free(&svg);
		diag_warning(from, line, col, "image '%s' %s; its description "
		    "is shown instead", url, why);
		return 0;
	}
	buf_free(&b);
	if (removed > 0)
		diag_warning(from, line, col, "image '%s': %d unsafe part%s "
		    "(scripts, event handlers, references out of the file) "
		    "left out", url, removed, removed == 1 ? "" : "s");
	type = kind == IMAGE_KIND_PNG ? IMAGE_PNG : kind == IMAGE_KIND_JPEG ?
	    IMAGE_JPEG : IMAGE_SVG;
	bk->images = xreallocarray(bk->images, bk->nimages + 1,
	    sizeof(*bk->images));
	im = &bk->images[bk->nimages++];
	im->path = xstrdup(real);
	im->type = (enum image_type)type;
	im->svg = svg;
	im->width_pt = ii.width_pt;
	im->height_pt = ii.height_pt;
	buf_printf(&b, "images/img%zu.%s", bk->nimages,
	    type == IMAGE_PNG ? "png" : type == IMAGE_JPEG ? "jpg" : "svg");
	im->name = buf_detach(&b);
	return bk->nimages;
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

/* A paragraph that holds one image and nothing else is a figure. */
static int
is_figure(cmark_node *para)
{
	cmark_node	*c = cmark_node_first_child(para);

	return c != NULL && cmark_node_get_type(c) == CMARK_NODE_IMAGE &&
	    cmark_node_next(c) == NULL;
}

/* First pass over a chapter: headings, figures, images, raw HTML. */
static void
scan_chapter(struct book *bk, size_t ch)
{
	struct chapter		*c = &bk->chapters[ch];
	cmark_iter		*it = cmark_iter_new(c->doc);
	cmark_event_type	 ev;
	cmark_node		*n;
	struct heading		*h;
	struct figure		*fg;
	char			*text, figid[32];
	size_t			 idx;
	int			 t;

	c->first_heading = bk->nheadings;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		t = cmark_node_get_type(n);
		switch (t) {
		case CMARK_NODE_HEADING:
			text = book_plain(n);
			bk->headings = xreallocarray(bk->headings,
			    bk->nheadings + 1, sizeof(*bk->headings));
			h = &bk->headings[bk->nheadings++];
			h->level = cmark_node_get_heading_level(n);
			h->id = slug_unique(&bk->ids, text);
			h->chapter = ch;
			h->node = n;
			if (count_words(text) == 0) {
				free(text);
				text = xstrdup("Untitled section");
			}
			h->text = text;
			cmark_node_set_user_data(n,
			    (void *)(uintptr_t)bk->nheadings);
			break;
		case CMARK_NODE_PARAGRAPH:
			if (!is_figure(n))
				break;
			bk->figures = xreallocarray(bk->figures,
			    bk->nfigures + 1, sizeof(*bk->figures));
			fg = &bk->figures[bk->nfigures++];
			memset(fg, 0, sizeof(*fg));
			fg->number = (int)bk->nfigures;
			snprintf(figid, sizeof(figid), "figure-%d",
			    fg->number);
			fg->id = slug_unique(&bk->ids, figid);
			cmark_node_set_user_data(n,
			    (void *)(uintptr_t)bk->nfigures);
			break;
		case CMARK_NODE_IMAGE:
			text = book_plain(n);
			if (count_words(text) == 0) {
				diag_warning(c->path,
				    cmark_node_get_start_line(n),
				    cmark_node_get_start_column(n), "image "
				    "without a description (alt text): "
				    "readers who cannot see it get nothing");
				bk->nalt_missing++;
			}
			free(text);
			idx = resolve_image(bk, c->path,
			    cmark_node_get_url(n),
			    cmark_node_get_start_line(n),
			    cmark_node_get_start_column(n));
			cmark_node_set_user_data(n, (void *)(uintptr_t)idx);
			break;
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			diag_warning(c->path, cmark_node_get_start_line(n),
			    cmark_node_get_start_column(n),
			    "raw HTML is not carried into the book; dropped");
			break;
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK:
			c->nwords += count_words(cmark_node_get_literal(n));
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	c->nheadings = bk->nheadings - c->first_heading;
	bk->nwords += c->nwords;
}

/* Second pass: links, now that every heading has its id. */
static void
link_chapter(struct book *bk, size_t ch)
{
	cmark_iter		*it = cmark_iter_new(bk->chapters[ch].doc);
	cmark_event_type	 ev;
	cmark_node		*n, *img;
	struct figure		*fg;
	size_t			 idx;
	const char		*title;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_LINK:
			resolve_link(bk, ch, n);
			break;
		case CMARK_NODE_PARAGRAPH:
			if ((idx = NODE_INDEX(n)) == 0)
				break;
			fg = &bk->figures[idx - 1];
			img = cmark_node_first_child(n);
			fg->image = NODE_INDEX(img);
			title = cmark_node_get_title(img);
			fg->caption = title && *title ? xstrdup(title) :
			    book_plain(img);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

static void
chapter_title(struct book *bk, struct chapter *c)
{
	size_t	 i, best = c->first_heading + c->nheadings;
	char	*stem, *dot;

	for (i = c->first_heading; i < c->first_heading + c->nheadings; i++)
		if (best == c->first_heading + c->nheadings ||
		    bk->headings[i].level < bk->headings[best].level)
			best = i;
	c->title_heading = -1;
	if (best < c->first_heading + c->nheadings) {
		c->title = xstrdup(bk->headings[best].text);
		c->title_heading = (long)best;
		return;
	}
	stem = xstrdup(c->name);
	if ((dot = strrchr(stem, '.')) != NULL)
		*dot = '\0';
	c->title = stem;
}

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

/*
 * The build date: SOURCE_DATE_EPOCH, else the metadata date, else the
 * start of 1980 (the zip epoch); never the clock, so builds repeat.
 */
static time_t
build_date(const struct book *bk)
{
	const char	*sde = getenv("SOURCE_DATE_EPOCH");
	struct tm	 tm;
	char		*end;
	long long	 v;
	int		 y, m, d;

	if (sde != NULL && *sde) {
		errno = 0;
		v = strtoll(sde, &end, 10);
		if (*end == '\0' && errno == 0 && v >= 0 &&
		    v < 253402300800LL)
			return (time_t)v;
	}
	memset(&tm, 0, sizeof(tm));
	if (bk->meta.date.s != NULL &&
	    sscanf(bk->meta.date.s, "%4d-%2d-%2d", &y, &m, &d) == 3 &&
	    y >= 1970 && y < 10000 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
		tm.tm_year = y - 1900;
		tm.tm_mon = m - 1;
		tm.tm_mday = d;
		return timegm(&tm);
	}
	return 315532800;
}

int
book_load(struct book *bk, const char *source)
{
	struct buf	 b = { NULL, 0, 0 }, text = { NULL, 0, 0 };
	char		 real[PATH_MAX];
	struct stat	 st;
	size_t		 i;
	int		 single, errs = diag_errors();
	char		*stem, *dot;

	memset(bk, 0, sizeof(*bk));
	bk->cover = -1;
	bk->source = xstrdup(source);
	if (stat(source, &st) == -1) {
		diag_error(source, 0, 0, "cannot open manuscript: %s",
		    strerror(errno));
		return -1;
	}
	single = !S_ISDIR(st.st_mode);
	if (single) {
		bk->root = dirname_of(source);
		add_chapter(bk, source);
	} else {
		bk->root = xstrdup(source);
		buf_printf(&b, "%s/metadata.yaml", source);
		if (access(b.data, F_OK) == 0 &&
		    readfile(b.data, &text) == 0 &&
		    checktext(b.data, text.data, text.len) == 0)
			meta_parse(&bk->meta, b.data, text.data, text.len);
		buf_free(&b);
		buf_free(&text);
		list_chapters(bk);
	}
	for (i = 0; i < bk->nchapters; i++)
		parse_chapter(bk, &bk->chapters[i], single);
	if (single && bk->nchapters == 1 && bk->chapters[0].text != NULL &&
	    count_words(bk->chapters[0].text) == 0)
		diag_error(source, 1, 1, "the manuscript is empty");
	if (diag_errors() > errs)
		return -1;

	for (i = 0; i < bk->nchapters; i++)
		scan_chapter(bk, i);
	for (i = 0; i < bk->nchapters; i++) {
		chapter_title(bk, &bk->chapters[i]);
		link_chapter(bk, i);
	}
	if (bk->meta.cover.s != NULL) {
		struct buf	 mp = { NULL, 0, 0 };

		buf_printf(&mp, "%s/metadata.yaml", bk->root);
		bk->cover = (long)resolve_image(bk, single ? source : mp.data,
		    bk->meta.cover.s, bk->meta.cover.line,
		    bk->meta.cover.col) - 1;
		buf_free(&mp);
	}

	/* outputs are named after the title, else after the file or folder */
	if (realpath(source, real) != NULL)
		stem = xstrdup(basename_of(real));	/* "." has a name too */
	else
		stem = xstrdup(basename_of(source));
	if ((dot = strrchr(stem, '.')) != NULL && dot != stem && single)
		*dot = '\0';
	if (bk->meta.title.s != NULL && count_words(bk->meta.title.s) > 0) {
		bk->title = xstrdup(bk->meta.title.s);
		bk->slug = slug_file(bk->title);
	} else {
		if (single && bk->chapters[0].nheadings > 0)
			bk->title = xstrdup(bk->chapters[0].title);
		else
			bk->title = xstrdup(*stem ? stem : "Untitled");
		bk->slug = slug_file(*stem ? stem : "untitled");
	}
	free(stem);
	bk->lang = xstrdup(bk->meta.lang.s && *bk->meta.lang.s ?
	    bk->meta.lang.s : "en");
	bk->identifier = bk->meta.identifier.s && *bk->meta.identifier.s ?
	    xstrdup(bk->meta.identifier.s) : derive_identifier(bk);
	bk->modified = build_date(bk);
	return 0;
}

void
book_free(struct book *bk)
{
	size_t	 i;

	for (i = 0; i < bk->nchapters; i++) {
		free(bk->chapters[i].path);
		free(bk->chapters[i].name);
		free(bk->chapters[i].title);
		free(bk->chapters[i].text);
		if (bk->chapters[i].doc)
			cmark_node_free(bk->chapters[i].doc);
	}
	free(bk->chapters);
	for (i = 0; i < bk->nheadings; i++)
		free(bk->headings[i].text);
	free(bk->headings);
	for (i = 0; i < bk->nfigures; i++)
		free(bk->figures[i].caption);
	free(bk->figures);
	for (i = 0; i < bk->nimages; i++) {
		free(bk->images[i].path);
		free(bk->images[i].name);
		buf_free(&bk->images[i].svg);
	}
	free(bk->images);
	for (i = 0; i < bk->nlinks; i++)
		free(bk->links[i].href);
	free(bk->links);
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

	return i ? &bk->headings[i - 1] : NULL;
}

const struct figure *
book_figure(const struct book *bk, cmark_node *n)
{
	size_t	 i = NODE_INDEX(n);

	return i ? &bk->figures[i - 1] : NULL;
}

const struct image *
book_image(const struct book *bk, cmark_node *n)
{
	size_t	 i = NODE_INDEX(n);

	return i ? &bk->images[i - 1] : NULL;
}

const struct link *
book_link(const struct book *bk, cmark_node *n)
{
	size_t	 i = NODE_INDEX(n);

	return i ? &bk->links[i - 1] : NULL;
}
