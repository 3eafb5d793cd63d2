/*
 * Reading a previous edition's EPUB 3: libzip opens the archive, libxml2
 * parses META-INF/container.xml and the package document, whose spine
 * gives the XHTML documents in reading order; the caller walks those with
 * a libxml2 reader (epub_read_xhtml).
 *
 * The e-book may be damaged or hostile, so every read is bounded (one
 * file, all of them, the spine) and the parser never loads a DTD or an
 * external entity nor touches the network; its complaints are not
 * printed but turned into one diagnostic.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include "buf.h"
#include "diag.h"
#include "epub_read.h"
#include "file.h"

/* A damaged or hostile e-book is read only this far. */
#define MAX_ENTRY	((zip_uint64_t)64 << 20)	/* one file */
#define MAX_TOTAL	((size_t)256 << 20)		/* all of them */
#define MAX_DOCS	100000				/* spine items */
/* The two documents parsed whole into a tree: a package document of
 * 100,000 items is about 10 MB. */
#define MAX_TREE	((zip_uint64_t)16 << 20)

#define NS_DC		"http://purl.org/dc/elements/1.1/"

/* Deeper than the 256 libxml2 allows by default: folio writes a chapter
 * of thousands of nested quotes that deep. */
#define MAX_DEPTH	100000

/* Only what a document holds: no DTD, no external entity, no network. */
#define XML_OPTIONS	(XML_PARSE_NONET | XML_PARSE_NOERROR | \
			    XML_PARSE_NOWARNING)

struct epub_read {
	const char	*path;
	zip_t		*za;
	char		*bytes;		/* the archive, read once */
	size_t		 total;		/* bytes read so far */
	char		*edition;
	char		*date;
	char		**docs;		/* names in the archive */
	size_t		 ndocs;
};

struct item {
	char		*id;
	char		*href;
	char		*type;
	int		 nav;
	size_t		 order;		/* in the manifest */
};

static void
quiet(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

/*
 * libxml2 prints what it does not report through a parser context; and
 * its depth limit is a global (XML_PARSE_HUGE would lift it, but with it
 * the guard against entity expansion too).
 */
static void
setup(void)
{
	xmlSetGenericErrorFunc(NULL, quiet);
	xmlParserMaxDepth = MAX_DEPTH;
}

static int
xml_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static char *
collapse(const char *s)
{
	struct buf	 o = { NULL, 0, 0 };
	int		 sp = 0;

	for (; *s != '\0'; s++) {
		if (xml_space((unsigned char)*s))
			sp = o.len > 0;
		else {
			if (sp)
				buf_putc(&o, ' ');
			sp = 0;
			buf_putc(&o, *s);
		}
	}
	return o.data != NULL ? buf_detach(&o) : xstrdup("");
}

/* The first error's line and message, without its newline. */
static void
error_text(struct buf *b, const xmlError *e)
{
	size_t	 n;

	if (e == NULL || e->message == NULL) {
		buf_puts(b, "cannot be parsed");
		return;
	}
	n = strlen(e->message);
	while (n > 0 && xml_space((unsigned char)e->message[n - 1]))
		n--;
	buf_printf(b, "line %d: ", e->line);
	buf_put(b, e->message, n);
}

/* Read entry name into out (reset first): 0, or -1 after reporting. */
static int
entry(struct epub_read *er, const char *name, zip_uint64_t max,
    struct buf *out)
{
	zip_file_t	*f;
	zip_stat_t	 st;
	char		 chunk[65536];
	zip_int64_t	 n;

	buf_reset(out);
	zip_stat_init(&st);
	if (zip_stat(er->za, name, 0, &st) < 0) {
		diag_error(er->path, 0, 0, "not an e-book folio can read: "
		    "no %s in it", name);
		return -1;
	}
	if ((st.valid & ZIP_STAT_SIZE) && st.size > max) {
		diag_error(er->path, 0, 0, "%s is too large (%llu bytes)",
		    name, (unsigned long long)st.size);
		return -1;
	}
	if ((f = zip_fopen(er->za, name, 0)) == NULL) {
		diag_error(er->path, 0, 0, "cannot read %s: %s", name,
		    zip_strerror(er->za));
		return -1;
	}
	while ((n = zip_fread(f, chunk, sizeof(chunk))) > 0) {
		buf_put(out, chunk, (size_t)n);
		er->total += (size_t)n;
		if (out->len > max || er->total > MAX_TOTAL) {
			n = -2;
			break;
		}
	}
	if (n == -1)
		diag_error(er->path, 0, 0, "cannot read %s: %s", name,
		    zip_file_strerror(f));
	else if (n == -2)
		diag_error(er->path, 0, 0, "%s is too large", name);
	zip_fclose(f);
	/* an empty file reads as an empty string, never NULL */
	buf_putc(out, '\0');
	out->len--;
	return n < 0 ? -1 : 0;
}

/* Entry name parsed into a tree: NULL after reporting. */
static xmlDocPtr
tree(struct epub_read *er, const char *name, struct buf *b)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr	 doc;
	struct buf	 msg = { NULL, 0, 0 };

	if (entry(er, name, MAX_TREE, b) == -1)
		return NULL;
	if ((ctxt = xmlNewParserCtxt()) == NULL) {
		diag_error(er->path, 0, 0, "%s: out of memory", name);
		return NULL;
	}
	doc = xmlCtxtReadMemory(ctxt, b->data, (int)b->len, name, NULL,
	    XML_OPTIONS);
	if (doc == NULL || !ctxt->wellFormed) {
		error_text(&msg, xmlCtxtGetLastError(ctxt));
		diag_error(er->path, 0, 0, "%s is not well-formed XML (%s)",
		    name, msg.data);
		buf_free(&msg);
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* The element after n in document order, not below top; no recursion. */
static xmlNodePtr
next_element(xmlNodePtr n, xmlNodePtr top)
{
	do {
		if (n->children != NULL && n->type == XML_ELEMENT_NODE)
			n = n->children;
		else {
			while (n != top && n->next == NULL)
				n = n->parent;
			if (n == top)
				return NULL;
			n = n->next;
		}
	} while (n->type != XML_ELEMENT_NODE);
	return n;
}

/* The first element named name at or below top, in document order. */
static xmlNodePtr
find(xmlNodePtr top, const char *name)
{
	xmlNodePtr	 n;

	for (n = top; n != NULL; n = next_element(n, top))
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, name) == 0)
			return n;
	return NULL;
}

/* Attribute name of n, without a namespace, in a copy; or NULL. */
static char *
attr(xmlNodePtr n, const char *name)
{
	xmlChar		*v = xmlGetNoNsProp(n, (const xmlChar *)name);
	char		*s;

	if (v == NULL)
		return NULL;
	s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

/* The element's text, collapsed; NULL if there is none. */
static char *
text(xmlNodePtr n)
{
	xmlChar		*c = xmlNodeGetContent(n);
	char		*s = collapse(c != NULL ? (const char *)c : "");

	xmlFree(c);
	if (*s == '\0') {
		free(s);
		return NULL;
	}
	return s;
}

/* The first dc:date, the first schema:bookEdition; NULL when empty. */
static void
metadata(struct epub_read *er, xmlNodePtr root)
{
	xmlNodePtr	 n;
	char		*p;
	int		 date = 0, edition = 0;

	for (n = root; n != NULL; n = next_element(n, root)) {
		if (!date && n->ns != NULL &&
		    strcmp((const char *)n->ns->href, NS_DC) == 0 &&
		    strcmp((const char *)n->name, "date") == 0) {
			date = 1;
			er->date = text(n);
		}
		if (edition || strcmp((const char *)n->name, "meta") != 0 ||
		    (p = attr(n, "property")) == NULL)
			continue;
		if (strcmp(p, "schema:bookEdition") == 0) {
			edition = 1;
			er->edition = text(n);
		}
		free(p);
	}
}

static int
hexval(int c)
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
 * The archive's name for href, relative to the package document's
 * folder dir: %-escapes decoded, "." and ".." resolved, no fragment.
 */
static char *
resolve(const char *dir, const char *href)
{
	struct buf	 raw = { NULL, 0, 0 }, out = { NULL, 0, 0 };
	const char	*p, *seg;
	size_t		 n;
	int		 hi, lo;

	buf_puts(&raw, dir);
	for (p = href; *p != '\0' && *p != '#' && *p != '?'; p++)
		if (*p == '%' && (hi = hexval((unsigned char)p[1])) >= 0 &&
		    (lo = hexval((unsigned char)p[2])) >= 0 &&
		    hi * 16 + lo != 0) {
			buf_putc(&raw, (char)(hi * 16 + lo));
			p += 2;
		} else
			buf_putc(&raw, *p);
	buf_putc(&raw, '\0');
	for (seg = raw.data; *seg != '\0'; seg += n + (seg[n] == '/')) {
		n = strcspn(seg, "/");
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (out.len > 0 && out.data[out.len - 1] != '/')
				out.len--;
			if (out.len > 0)
				out.len--;
			continue;
		}
		if (out.len > 0)
			buf_putc(&out, '/');
		buf_put(&out, seg, n);
	}
	buf_free(&raw);
	buf_putc(&out, '\0');
	return buf_detach(&out);
}

static int
item_cmp(const void *a, const void *b)
{
	const struct item	*x = a, *y = b;
	int			 c = strcmp(x->id, y->id);

	if (c != 0)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int
has_token(const char *list, const char *want)
{
	size_t	 n, wl = strlen(want);

	while (*list != '\0') {
		while (xml_space((unsigned char)*list))
			list++;
		for (n = 0; list[n] != '\0' && !xml_space((unsigned char)
		    list[n]); n++)
			continue;
		if (n == wl && strncmp(list, want, n) == 0)
			return 1;
		list += n;
	}
	return 0;
}

/* The manifest's items, sorted by id, the first of an id first. */
static struct item *
manifest(xmlNodePtr root, size_t *nitems)
{
	struct item	*v = NULL;
	size_t		 n = 0, cap = 0;
	xmlNodePtr	 e;
	char		*id, *p;

	for (e = root; e != NULL; e = next_element(e, root)) {
		if (strcmp((const char *)e->name, "item") != 0 ||
		    (id = attr(e, "id")) == NULL)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n].id = id;
		if ((v[n].href = attr(e, "href")) == NULL)
			v[n].href = xstrdup("");
		if ((v[n].type = attr(e, "media-type")) == NULL)
			v[n].type = xstrdup("");
		p = attr(e, "properties");
		v[n].nav = p != NULL && has_token(p, "nav");
		free(p);
		v[n].order = n;
		n++;
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), item_cmp);
	*nitems = n;
	return v;
}

static void
manifest_free(struct item *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].href);
		free(v[i].type);
	}
	free(v);
}

static const struct item *
lookup(const struct item *v, size_t n, const char *id)
{
	size_t	 lo = 0, hi = n, mid;

	/* the first item whose id is not less than id */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(v[lo].id, id) == 0 ? &v[lo] : NULL;
}

/* The package document opf: metadata and spine.  0, or -1 after
 * reporting. */
static int
package(struct epub_read *er, const char *opf)
{
	struct buf		 b = { NULL, 0, 0 };
	struct item		*items = NULL;
	const struct item	*it;
	xmlDocPtr		 doc;
	xmlNodePtr		 root, spine, n;
	const char		*slash;
	char			*dir, *p = NULL;
	size_t			 nitems = 0;
	int			 rc = -1;

	if ((doc = tree(er, opf, &b)) == NULL) {
		buf_free(&b);
		return -1;
	}
	slash = strrchr(opf, '/');
	dir = xstrndup(opf, slash != NULL ? (size_t)(slash - opf) + 1 : 0);
	root = xmlDocGetRootElement(doc);
	if (root == NULL || strcmp((const char *)root->name, "package") != 0 ||
	    (p = attr(root, "version")) == NULL || p[0] != '3') {
		diag_error(er->path, 0, 0, "not an EPUB 3 package");
		goto out;
	}
	free(p);
	p = NULL;
	metadata(er, root);
	if ((spine = find(root, "spine")) == NULL) {
		diag_error(er->path, 0, 0,
		    "not an EPUB: the package has no spine");
		goto out;
	}
	items = manifest(root, &nitems);
	for (n = spine->children; n != NULL; n = n->next) {
		free(p);
		p = NULL;
		if (n->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)n->name, "itemref") != 0 ||
		    (p = attr(n, "idref")) == NULL ||
		    (it = lookup(items, nitems, p)) == NULL || it->nav ||
		    strcmp(it->type, "application/xhtml+xml") != 0)
			continue;
		if (er->ndocs == MAX_DOCS) {
			diag_error(er->path, 0, 0, "too many documents");
			goto out;
		}
		/* room doubles at each power of two */
		if ((er->ndocs & (er->ndocs - 1)) == 0)
			er->docs = xreallocarray(er->docs, er->ndocs ?
			    er->ndocs * 2 : 1, sizeof(*er->docs));
		er->docs[er->ndocs++] = resolve(dir, it->href);
	}
	rc = 0;
out:
	free(p);
	manifest_free(items, nitems);
	free(dir);
	xmlFreeDoc(doc);
	buf_free(&b);
	return rc;
}

struct epub_read *
epub_read_open(const char *path)
{
	struct epub_read *er;
	struct buf	 b = { NULL, 0, 0 };
	xmlDocPtr	 doc;
	xmlNodePtr	 root, rf;
	zip_source_t	*src = NULL;
	zip_error_t	 ze;
	char		*name = NULL, why[256];
	int		 rc = -1;
	zip_t		*za;

	setup();
	/* a regular file within bounds, read once: not a FIFO or a device */
	if (file_read(path, FILE_MAX_EPUB, &b, why, sizeof(why)) == -1) {
		diag_error(path, 0, 0, "cannot read the previous edition: it "
		    "%s", why);
		buf_free(&b);
		return NULL;
	}
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(b.data, b.len, 0, &ze)) == NULL ||
	    (za = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL) {
		diag_error(path, 0, 0, "cannot read the previous edition: %s",
		    zip_error_strerror(&ze));
		zip_error_fini(&ze);
		if (src != NULL)
			zip_source_free(src);
		buf_free(&b);
		return NULL;
	}
	zip_error_fini(&ze);
	er = xcalloc(1, sizeof(*er));
	er->path = path;
	er->za = za;
	er->bytes = b.data;
	b.data = NULL;
	b.len = b.cap = 0;
	if (entry(er, "mimetype", MAX_ENTRY, &b) == -1)
		goto out;
	if (b.len != 20 || memcmp(b.data, "application/epub+zip", 20) != 0) {
		diag_error(path, 0, 0, "not an EPUB: its mimetype is not "
		    "application/epub+zip");
		goto out;
	}
	if ((doc = tree(er, "META-INF/container.xml", &b)) == NULL)
		goto out;
	if ((root = xmlDocGetRootElement(doc)) != NULL &&
	    (rf = find(root, "rootfile")) != NULL)
		name = attr(rf, "full-path");
	xmlFreeDoc(doc);
	if (name == NULL || *name == '\0') {
		diag_error(path, 0, 0, "not an EPUB: META-INF/container.xml "
		    "names no package document");
		goto out;
	}
	rc = package(er, name);
out:
	free(name);
	buf_free(&b);
	if (rc == -1) {
		epub_read_close(er);
		return NULL;
	}
	return er;
}

void
epub_read_close(struct epub_read *er)
{
	size_t	 i;

	if (er == NULL)
		return;
	zip_discard(er->za);
	free(er->bytes);
	for (i = 0; i < er->ndocs; i++)
		free(er->docs[i]);
	free(er->docs);
	free(er->edition);
	free(er->date);
	free(er);
}

const char *
epub_read_edition(const struct epub_read *er)
{
	return er->edition;
}

const char *
epub_read_date(const struct epub_read *er)
{
	return er->date;
}

size_t
epub_read_ndocs(const struct epub_read *er)
{
	return er->ndocs;
}

const char *
epub_read_docname(const struct epub_read *er, size_t i)
{
	return er->docs[i];
}

/* Document i's bytes into out: 0, or -1 after reporting. */
int
epub_read_doc(struct epub_read *er, size_t i, struct buf *out)
{
	return entry(er, er->docs[i], MAX_ENTRY, out);
}

/* Keep the first error, and print none. */
static void
first_error(void *arg, xmlErrorPtr e)
{
	struct buf	*b = arg;

	if (b->len == 0 && e != NULL && e->level >= XML_ERR_ERROR)
		error_text(b, e);
}

xmlTextReaderPtr
epub_read_xhtml(const char *s, size_t len, int ours, struct buf *err)
{
	xmlTextReaderPtr r;
	int		 opt = XML_OPTIONS;

	setup();
	buf_reset(err);
	/* folio's own XHTML has no entity, but may hold longer text */
	if (ours)
		opt |= XML_PARSE_HUGE;
	if (len > INT_MAX)
		return NULL;
	if ((r = xmlReaderForMemory(s, (int)len, NULL, NULL, opt)) != NULL)
		xmlTextReaderSetStructuredErrorHandler(r, first_error, err);
	return r;
}
