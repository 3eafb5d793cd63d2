/*
 * What changed since a previous edition.  Both editions are read in the
 * same form, the e-book's XHTML: the old one from OLD.epub (libzip, the
 * spine found through the package document), this one as epub_xhtml.c
 * writes it.  So what is compared is what a reader reads, and text folio
 * generates (page markers, figure labels) is left out on both sides.
 *
 * A section is a heading and the words under it until the next heading;
 * words before a chapter's first heading form a section named after the
 * chapter.  Sections are matched by heading id and text, then by id, then
 * by text; a matched pair whose words differ is "changed", an unmatched
 * one "added" or "removed".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "book.h"
#include "buf.h"
#include "changes.h"
#include "diag.h"
#include "epub.h"
#include "utf8.h"

/* A damaged or hostile e-book is read only this far. */
#define MAX_ENTRY	((zip_uint64_t)256 << 20)	/* one file */
#define MAX_TOTAL	((size_t)1 << 30)		/* all of them */
#define MAX_DOCS	100000				/* spine items */
#define MAX_DIFF_WORK	50000000.0	/* Myers steps before trimming */

struct word {
	uint64_t	 h;
	size_t		 off;		/* in side.text */
};

struct section {
	char		*id;		/* "" before a chapter's first heading */
	char		*title;
	size_t		 doc;		/* chapter document, in spine order */
	size_t		 first, n;	/* its words in side.w */
	long		 match;		/* the other side's section, or -1 */
	int		 reported;
};

struct side {
	struct section	*s;
	size_t		 ns;
	struct word	*w;
	size_t		 nw, capw;
	struct buf	 text;		/* the words, each NUL-terminated */
	char		**doctitle;	/* per chapter document */
	size_t		 ndocs;
};

/* The state of the scan of one XHTML document. */
struct scan {
	struct side	*sd;
	struct buf	 word;
	struct buf	 heading;
	struct buf	 title;
	long		 cur;		/* section being filled, or -1 */
	int		 in_title, in_body, in_heading;
	int		 label;		/* 2, 1: "Figure", "N." still to skip */
	int		 bodymatter;
};

static void
side_free(struct side *sd)
{
	size_t	 i;

	for (i = 0; i < sd->ns; i++) {
		free(sd->s[i].id);
		free(sd->s[i].title);
	}
	for (i = 0; i < sd->ndocs; i++)
		free(sd->doctitle[i]);
	free(sd->doctitle);
	free(sd->s);
	free(sd->w);
	buf_free(&sd->text);
}

static uint64_t
hash(const char *s, size_t n)
{
	uint64_t	 h = 1469598103934665603ULL;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static int
word_eq(const struct side *a, const struct word *x, const struct side *b,
    const struct word *y)
{
	return x->h == y->h &&
	    strcmp(a->text.data + x->off, b->text.data + y->off) == 0;
}

/* ------------------------------------------------------------ XML */

static int
xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* One character or entity at s; its bytes go to out.  Returns its length. */
static size_t
entity(const char *s, const char *e, struct buf *out)
{
	static const struct { const char *name; char c; } named[] = {
		{ "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' },
		{ "quot;", '"' }, { "apos;", '\'' },
	};
	unsigned long	 v = 0;
	size_t		 i, n;
	int		 hex, digits = 0;

	if (*s != '&') {
		buf_putc(out, *s);
		return 1;
	}
	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		n = strlen(named[i].name);
		if ((size_t)(e - s - 1) >= n &&
		    strncmp(s + 1, named[i].name, n) == 0) {
			buf_putc(out, named[i].c);
			return n + 1;
		}
	}
	if (e - s < 4 || s[1] != '#') {
		buf_putc(out, '&');
		return 1;
	}
	hex = s[2] == 'x' || s[2] == 'X';
	for (n = hex ? 3 : 2; s + n < e && n < 12; n++, digits++) {
		if (s[n] >= '0' && s[n] <= '9')
			v = v * (hex ? 16 : 10) + (unsigned long)(s[n] - '0');
		else if (hex && s[n] >= 'a' && s[n] <= 'f')
			v = v * 16 + (unsigned long)(s[n] - 'a' + 10);
		else if (hex && s[n] >= 'A' && s[n] <= 'F')
			v = v * 16 + (unsigned long)(s[n] - 'A' + 10);
		else
			break;
	}
	if (s + n >= e || s[n] != ';' || digits == 0 || v == 0 ||
	    v > 0x10FFFF) {
		buf_putc(out, '&');
		return 1;
	}
	utf8_encode(out, (uint32_t)v);
	return n + 1;
}

/* The tag's name at s ('<' then an optional '/'), and its length. */
static size_t
tag_name(const char *s, const char *e, const char **name)
{
	const char	*p = s + 1;

	if (p < e && *p == '/')
		p++;
	*name = p;
	while (p < e && !xml_space(*p) && *p != '>' && *p != '/')
		p++;
	return (size_t)(p - *name);
}

static int
is_tag(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && strncmp(name, want, n) == 0;
}

/* Attribute want of the tag [s, e), decoded into out: 1, else 0. */
static int
attr(const char *s, const char *e, const char *want, struct buf *out)
{
	const char	*p, *name, *v;
	size_t		 n, wl = strlen(want);
	char		 q;

	tag_name(s, e, &name);
	p = name;
	while (p < e && !xml_space(*p) && *p != '>')
		p++;
	for (;;) {
		while (p < e && (xml_space(*p) || *p == '/'))
			p++;
		if (p >= e || *p == '>')
			return 0;
		name = p;
		while (p < e && !xml_space(*p) && *p != '=' && *p != '>')
			p++;
		n = (size_t)(p - name);
		while (p < e && xml_space(*p))
			p++;
		if (p >= e || *p != '=')
			continue;
		p++;
		while (p < e && xml_space(*p))
			p++;
		if (p >= e || (*p != '"' && *p != '\''))
			return 0;
		q = *p++;
		for (v = p; p < e && *p != q; p++)
			continue;
		if (p >= e)
			return 0;
		if (n == wl && strncmp(name, want, n) == 0) {
			buf_reset(out);
			while (v < p)
				v += entity(v, p, out);
			return 1;
		}
		p++;
	}
}

/* The end of the markup at s ('<'): past its '>', or e. */
static const char *
tag_end(const char *s, const char *e)
{
	const char	*p;

	if (e - s >= 4 && strncmp(s, "<!--", 4) == 0) {
		for (p = s + 4; p + 3 <= e; p++)
			if (strncmp(p, "-->", 3) == 0)
				return p + 3;
		return e;
	}
	if ((p = memchr(s, '>', (size_t)(e - s))) == NULL)
		return e;
	return p + 1;
}

/* ------------------------------------------------------------ sections */

static char *
collapse(const struct buf *b)
{
	struct buf	 o = { NULL, 0, 0 };
	size_t		 i;
	int		 sp = 0;

	for (i = 0; i < b->len; i++) {
		if (xml_space(b->data[i]))
			sp = o.len > 0;
		else {
			if (sp)
				buf_putc(&o, ' ');
			sp = 0;
			buf_putc(&o, b->data[i]);
		}
	}
	return o.data != NULL ? buf_detach(&o) : xstrdup("");
}

static void
new_section(struct scan *sc, const char *id, const char *title)
{
	struct side	*sd = sc->sd;
	struct section	*s;

	sd->s = xreallocarray(sd->s, sd->ns + 1, sizeof(*sd->s));
	s = &sd->s[sd->ns];
	memset(s, 0, sizeof(*s));
	s->id = xstrdup(id);
	s->title = xstrdup(title);
	s->doc = sd->ndocs - 1;
	s->first = sd->nw;
	s->match = -1;
	sc->cur = (long)sd->ns++;
}

static int
figure_number(const char *s, size_t n)
{
	size_t	 i;

	if (n < 2 || s[n - 1] != '.')
		return 0;
	for (i = 0; i + 1 < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void
flush_word(struct scan *sc)
{
	struct side	*sd = sc->sd;
	struct word	*w;
	const char	*s = sc->word.data;
	size_t		 n = sc->word.len;

	if (n == 0)
		return;
	buf_reset(&sc->word);
	/* a figure's "Figure 3." is folio's numbering, not the author's */
	if (sc->label == 2 && n == 6 && strncmp(s, "Figure", 6) == 0) {
		sc->label = 1;
		return;
	}
	if (sc->label == 1 && figure_number(s, n)) {
		sc->label = 0;
		return;
	}
	sc->label = 0;
	if (sc->cur < 0)
		new_section(sc, "", sd->doctitle[sd->ndocs - 1]);
	if (sd->nw == sd->capw) {
		sd->capw = sd->capw ? sd->capw * 2 : 1024;
		sd->w = xreallocarray(sd->w, sd->capw, sizeof(*sd->w));
	}
	w = &sd->w[sd->nw++];
	w->h = hash(s, n);
	w->off = sd->text.len;
	buf_put(&sd->text, s, n);
	buf_putc(&sd->text, '\0');
	sd->s[sc->cur].n++;
}

/* Inline elements do not end a word; every other tag does. */
static int
inline_tag(const char *name, size_t n)
{
	static const char *const tags[] = { "a", "em", "strong", "code",
	    "span", "b", "i", "sub", "sup", "small", "abbr" };
	size_t	 i;

	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (is_tag(name, n, tags[i]))
			return 1;
	return 0;
}

static void
scan_tag(struct scan *sc, const char *s, const char *e)
{
	struct buf	 v = { NULL, 0, 0 };
	const char	*name;
	size_t		 n = tag_name(s, e, &name);
	int		 close = s[1] == '/';

	if (!sc->in_body) {
		if (is_tag(name, n, "title"))
			sc->in_title = !close;
		else if (is_tag(name, n, "body") && !close) {
			sc->in_body = 1;
			sc->in_title = 0;
			sc->sd->doctitle[sc->sd->ndocs - 1] =
			    collapse(&sc->title);
			sc->bodymatter = attr(s, e, "epub:type", &v) &&
			    strstr(v.data ? v.data : "", "bodymatter");
		}
		buf_free(&v);
		return;
	}
	if (!inline_tag(name, n))
		flush_word(sc);
	if (n == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
		if (!close) {
			attr(s, e, "id", &v);
			new_section(sc, v.data ? v.data : "", "");
			buf_reset(&sc->heading);
			sc->in_heading = 1;
		} else if (sc->in_heading && sc->cur >= 0) {
			free(sc->sd->s[sc->cur].title);
			sc->sd->s[sc->cur].title = collapse(&sc->heading);
			sc->in_heading = 0;
		}
	} else if (is_tag(name, n, "figcaption"))
		sc->label = close ? 0 : 2;
	buf_free(&v);
}

/* Add the sections of one XHTML document to sd; 1 if a chapter's body. */
static int
scan_doc(struct side *sd, const char *s, size_t len)
{
	struct scan	 sc;
	const char	*e = s + len, *t;
	size_t		 k, i;

	memset(&sc, 0, sizeof(sc));
	sc.sd = sd;
	sc.cur = -1;
	sd->doctitle = xreallocarray(sd->doctitle, sd->ndocs + 1,
	    sizeof(*sd->doctitle));
	sd->doctitle[sd->ndocs++] = NULL;
	while (s < e) {
		if (*s == '<') {
			t = tag_end(s, e);
			if (s[1] != '!' && s[1] != '?')
				scan_tag(&sc, s, t);
			s = t;
		} else if (sc.in_title) {
			s += entity(s, e, &sc.title);
		} else if (!sc.in_body) {
			s++;
		} else if (xml_space(*s)) {
			flush_word(&sc);
			if (sc.in_heading)
				buf_putc(&sc.heading, ' ');
			s++;
		} else {
			k = sc.word.len;
			s += entity(s, e, &sc.word);
			if (sc.in_heading)
				for (i = k; i < sc.word.len; i++)
					buf_putc(&sc.heading, sc.word.data[i]);
		}
	}
	flush_word(&sc);
	if (sd->doctitle[sd->ndocs - 1] == NULL)
		sd->doctitle[sd->ndocs - 1] = xstrdup("");
	buf_free(&sc.word);
	buf_free(&sc.heading);
	buf_free(&sc.title);
	return sc.bodymatter;
}

/* Forget the sections of the last document scanned. */
static void
unscan_doc(struct side *sd)
{
	struct section	*s;
	size_t		 doc = sd->ndocs - 1;

	while (sd->ns > 0 && sd->s[sd->ns - 1].doc == doc) {
		s = &sd->s[--sd->ns];
		if (s->first < sd->nw)
			sd->text.len = sd->w[s->first].off;
		sd->nw = s->first;
		free(s->id);
		free(s->title);
	}
	free(sd->doctitle[doc]);
	sd->ndocs--;
}

/* ------------------------------------------------------------ old e-book */

struct epub {
	const char	*path;
	zip_t		*za;
	size_t		 total;
};

/* Read entry name into out (reset first): 0, or -1 after reporting. */
static int
entry(struct epub *ep, const char *name, struct buf *out)
{
	zip_file_t	*f;
	zip_stat_t	 st;
	char		 chunk[65536];
	zip_int64_t	 n;

	buf_reset(out);
	zip_stat_init(&st);
	if (zip_stat(ep->za, name, 0, &st) < 0) {
		diag_error(ep->path, 0, 0, "not an e-book folio can read: "
		    "no %s in it", name);
		return -1;
	}
	if ((st.valid & ZIP_STAT_SIZE) && st.size > MAX_ENTRY) {
		diag_error(ep->path, 0, 0, "%s is too large (%llu bytes)",
		    name, (unsigned long long)st.size);
		return -1;
	}
	if ((f = zip_fopen(ep->za, name, 0)) == NULL) {
		diag_error(ep->path, 0, 0, "cannot read %s: %s", name,
		    zip_strerror(ep->za));
		return -1;
	}
	while ((n = zip_fread(f, chunk, sizeof(chunk))) > 0) {
		buf_put(out, chunk, (size_t)n);
		ep->total += (size_t)n;
		if (out->len > MAX_ENTRY || ep->total > MAX_TOTAL) {
			n = -2;
			break;
		}
	}
	if (n == -1)
		diag_error(ep->path, 0, 0, "cannot read %s: %s", name,
		    zip_file_strerror(f));
	else if (n == -2)
		diag_error(ep->path, 0, 0, "%s is too large", name);
	zip_fclose(f);
	/* an empty file reads as an empty string, never NULL */
	buf_putc(out, '\0');
	out->len--;
	return n < 0 ? -1 : 0;
}

/* The first element named want in [s, e): its tag and its text's end. */
static const char *
find_tag(const char *s, const char *e, const char *want, const char **tend)
{
	const char	*name, *t;
	size_t		 n;

	while (s < e && (s = memchr(s, '<', (size_t)(e - s))) != NULL) {
		t = tag_end(s, e);
		n = tag_name(s, t, &name);
		if (s[1] != '/' && is_tag(name, n, want)) {
			*tend = t;
			return s;
		}
		s = t;
	}
	return NULL;
}

/* The text of the element whose start tag ends at t. */
static char *
element_text(const char *t, const char *e)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*end = memchr(t, '<', (size_t)(e - t));
	char		*s;

	if (end == NULL)
		end = e;
	while (t < end)
		t += entity(t, end, &b);
	s = collapse(&b);
	buf_free(&b);
	return s;
}

/* The previous edition's number and date, from its package metadata. */
static void
old_metadata(struct changes *c, const char *s, const char *e)
{
	struct buf	 v = { NULL, 0, 0 };
	const char	*p = s, *t;

	if ((p = find_tag(s, e, "dc:date", &t)) != NULL)
		c->old_date = element_text(t, e);
	for (p = s; (p = find_tag(p, e, "meta", &t)) != NULL; p = t)
		if (attr(p, t, "property", &v) &&
		    strcmp(v.data ? v.data : "", "schema:bookEdition") == 0) {
			c->old_edition = element_text(t, e);
			break;
		}
	buf_free(&v);
	if (c->old_date != NULL && *c->old_date == '\0') {
		free(c->old_date);
		c->old_date = NULL;
	}
	if (c->old_edition != NULL && *c->old_edition == '\0') {
		free(c->old_edition);
		c->old_edition = NULL;
	}
}

/* The manifest item idref: its href (resolved against dir) and type. */
static int
manifest_item(const char *s, const char *e, const char *idref,
    const char *dir, struct buf *href, struct buf *type, int *nav)
{
	struct buf	 v = { NULL, 0, 0 };
	const char	*p, *t;
	int		 found = 0;

	for (p = s; !found && (p = find_tag(p, e, "item", &t)) != NULL;
	    p = t) {
		if (!attr(p, t, "id", &v) || v.data == NULL ||
		    strcmp(v.data, idref) != 0)
			continue;
		found = 1;
		buf_reset(href);
		buf_puts(href, dir);
		if (attr(p, t, "href", &v) && v.data != NULL)
			buf_puts(href, v.data);
		if (!attr(p, t, "media-type", type))
			buf_reset(type);
		*nav = attr(p, t, "properties", &v) && v.data != NULL &&
		    strstr(v.data, "nav") != NULL;
	}
	buf_free(&v);
	return found;
}

/*
 * The old edition's chapters: the spine's XHTML documents whose body is
 * bodymatter (folio's chapters), else every one but the navigation.
 */
static int
read_old(struct changes *c, struct side *sd, const char *path)
{
	struct epub	 ep;
	struct buf	 b = { NULL, 0, 0 }, opf = { NULL, 0, 0 };
	struct buf	 v = { NULL, 0, 0 }, href = { NULL, 0, 0 };
	struct buf	 type = { NULL, 0, 0 }, dir = { NULL, 0, 0 };
	const char	*p, *t, *e, *slash, *spine;
	size_t		 ndocs = 0, nbody = 0;
	int		 err = 0, rc = -1, nav, pass;

	memset(&ep, 0, sizeof(ep));
	ep.path = path;
	if ((ep.za = zip_open(path, ZIP_RDONLY, &err)) == NULL) {
		zip_error_t	 ze;

		zip_error_init_with_code(&ze, err);
		diag_error(path, 0, 0, "cannot read the previous edition: %s",
		    zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return -1;
	}
	if (entry(&ep, "mimetype", &b) == -1)
		goto out;
	if (b.len != 20 || memcmp(b.data, "application/epub+zip", 20) != 0) {
		diag_error(path, 0, 0, "not an EPUB: its mimetype is not "
		    "application/epub+zip");
		goto out;
	}
	if (entry(&ep, "META-INF/container.xml", &b) == -1)
		goto out;
	if ((p = find_tag(b.data, b.data + b.len, "rootfile", &t)) == NULL ||
	    !attr(p, t, "full-path", &v) || v.data == NULL) {
		diag_error(path, 0, 0, "not an EPUB: META-INF/container.xml "
		    "names no package document");
		goto out;
	}
	if ((slash = strrchr(v.data, '/')) != NULL)
		buf_put(&dir, v.data, (size_t)(slash - v.data) + 1);
	buf_putc(&dir, '\0');
	dir.len--;
	if (entry(&ep, v.data, &opf) == -1)
		goto out;
	e = opf.data + opf.len;
	if ((p = find_tag(opf.data, e, "package", &t)) == NULL ||
	    !attr(p, t, "version", &v) || v.data == NULL ||
	    v.data[0] != '3') {
		diag_error(path, 0, 0, "not an EPUB 3 package");
		goto out;
	}
	old_metadata(c, opf.data, e);
	if ((spine = find_tag(opf.data, e, "spine", &t)) == NULL) {
		diag_error(path, 0, 0, "not an EPUB: the package has no spine");
		goto out;
	}
	/* pass 0: bodymatter only; pass 1, if there was none: all */
	for (pass = 0; pass < 2 && nbody == 0; pass++)
		for (p = spine; (p = find_tag(p, e, "itemref", &t)) != NULL;
		    p = t) {
			if (!attr(p, t, "idref", &v) || v.data == NULL ||
			    !manifest_item(opf.data, e, v.data, dir.data,
			    &href, &type, &nav) || nav || type.data == NULL ||
			    strcmp(type.data, "application/xhtml+xml") != 0)
				continue;
			if (++ndocs > MAX_DOCS) {
				diag_error(path, 0, 0, "too many documents");
				goto out;
			}
			if (entry(&ep, href.data, &b) == -1)
				goto out;
			if (scan_doc(sd, b.data, b.len) ||
			    pass == 1)
				nbody++;
			else
				unscan_doc(sd);
		}
	if (nbody == 0) {
		diag_error(path, 0, 0, "the previous edition has no chapter");
		goto out;
	}
	rc = 0;
out:
	zip_discard(ep.za);
	buf_free(&b);
	buf_free(&opf);
	buf_free(&v);
	buf_free(&href);
	buf_free(&type);
	buf_free(&dir);
	return rc;
}

/* This edition, as its e-book's chapters read. */
static void
read_new(struct side *sd, const struct book *bk)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;

	for (i = 0; i < bk->nchapters; i++) {
		buf_reset(&b);
		epub_xhtml_head(&b, bk, bk->chapters[i].title);
		epub_xhtml_chapter(&b, bk, i, NULL);
		scan_doc(sd, b.data, b.len);
	}
	buf_free(&b);
}

/* ------------------------------------------------------------ compare */

/*
 * Words removed and added between two sections: the common ends are
 * trimmed, then the edit distance of the middles (Myers' O(ND) greedy
 * algorithm) splits into deletions and insertions.  When that would take
 * too long, the middles count whole.
 */
static void
diff(const struct side *A, const struct section *sa, const struct side *B,
    const struct section *sb, size_t *removed, size_t *added)
{
	const struct word	*a = A->w + sa->first, *b = B->w + sb->first;
	size_t			 n = sa->n, m = sb->n, d, max;
	long			*v, k, x, y, off;

	while (n > 0 && m > 0 && word_eq(A, a, B, b)) {
		a++, b++;
		n--, m--;
	}
	while (n > 0 && m > 0 && word_eq(A, a + n - 1, B, b + m - 1))
		n--, m--;
	*removed = n;
	*added = m;
	if (n == 0 || m == 0)
		return;
	max = n + m;
	if ((double)max * (double)max > MAX_DIFF_WORK)
		max = (size_t)(MAX_DIFF_WORK / (double)(n + m));
	off = (long)max + 1;
	v = xcalloc(2 * max + 3, sizeof(*v));
	for (d = 0; d <= max; d++) {
		for (k = -(long)d; k <= (long)d; k += 2) {
			if (k == -(long)d || (k != (long)d &&
			    v[off + k - 1] < v[off + k + 1]))
				x = v[off + k + 1];
			else
				x = v[off + k - 1] + 1;
			y = x - k;
			while (x < (long)n && y < (long)m &&
			    word_eq(A, a + x, B, b + y))
				x++, y++;
			v[off + k] = x;
			if (x >= (long)n && y >= (long)m) {
				*removed = (d + n - m) / 2;
				*added = (d + m - n) / 2;
				free(v);
				return;
			}
		}
	}
	free(v);
}

static int
same_words(const struct side *A, const struct section *sa,
    const struct side *B, const struct section *sb)
{
	size_t	 i;

	if (sa->n != sb->n || strcmp(sa->title, sb->title) != 0)
		return 0;
	for (i = 0; i < sa->n; i++)
		if (!word_eq(A, A->w + sa->first + i, B, B->w + sb->first + i))
			return 0;
	return 1;
}

/* Pair sections: by id and text, then id, then text; first come first. */
static void
match(struct side *o, struct side *nw)
{
	size_t		 i, j;
	int		 pass, ok;

	for (pass = 0; pass < 3; pass++)
		for (i = 0; i < nw->ns; i++) {
			if (nw->s[i].match >= 0)
				continue;
			for (j = 0; j < o->ns; j++) {
				if (o->s[j].match >= 0)
					continue;
				if (pass < 2 && (*nw->s[i].id == '\0' ||
				    strcmp(nw->s[i].id, o->s[j].id) != 0))
					continue;
				ok = pass == 1 || strcmp(nw->s[i].title,
				    o->s[j].title) == 0;
				if (!ok)
					continue;
				/* a chapter's lead text pairs only its kind */
				if ((*nw->s[i].id == '\0') !=
				    (*o->s[j].id == '\0'))
					continue;
				nw->s[i].match = (long)j;
				o->s[j].match = (long)i;
				break;
			}
		}
}

static struct change *
add_change(struct changes *c, enum change_kind kind, const char *title,
    const char *chapter_title)
{
	struct change	*ch;

	c->v = xreallocarray(c->v, c->n + 1, sizeof(*c->v));
	ch = &c->v[c->n++];
	memset(ch, 0, sizeof(*ch));
	ch->kind = kind;
	ch->title = xstrdup(title);
	ch->chapter_title = xstrdup(chapter_title);
	ch->chapter = -1;
	return ch;
}

static void
removed(struct changes *c, struct side *o, size_t upto)
{
	struct change	*ch;
	size_t		 j;

	for (j = 0; j < upto && j < o->ns; j++) {
		if (o->s[j].match >= 0 || o->s[j].reported)
			continue;
		o->s[j].reported = 1;
		ch = add_change(c, CHANGE_REMOVED, o->s[j].title,
		    o->doctitle[o->s[j].doc]);
		ch->words = o->s[j].n;
		c->nremoved++;
	}
}

/* The list in reading order: a removed section where it used to be. */
static void
collect(struct changes *c, const struct book *bk, struct side *o,
    struct side *nw)
{
	struct change	*ch;
	struct section	*s;
	size_t		 i, rm, ad;

	for (i = 0; i < nw->ns; i++) {
		s = &nw->s[i];
		if (s->match >= 0) {
			removed(c, o, (size_t)s->match);
			if (same_words(o, &o->s[s->match], nw, s))
				continue;
			diff(o, &o->s[s->match], nw, s, &rm, &ad);
			ch = add_change(c, CHANGE_CHANGED, s->title,
			    nw->doctitle[s->doc]);
			ch->words_removed = rm;
			ch->words_added = ad;
			ch->words = s->n;
			c->nchanged++;
		} else {
			ch = add_change(c, CHANGE_ADDED, s->title,
			    nw->doctitle[s->doc]);
			ch->words = s->n;
			c->nadded++;
		}
		ch->chapter = (long)s->doc;
		ch->file = bk->chapters[s->doc].name;
		if (*s->id != '\0')
			ch->id = xstrdup(s->id);
	}
	removed(c, o, o->ns);
}

struct changes *
changes_new(const struct book *bk, const char *oldepub)
{
	struct changes	*c = xcalloc(1, sizeof(*c));
	struct side	 o, nw;

	memset(&o, 0, sizeof(o));
	memset(&nw, 0, sizeof(nw));
	c->since = xstrdup(oldepub);
	if (read_old(c, &o, oldepub) == -1) {
		side_free(&o);
		changes_free(c);
		return NULL;
	}
	read_new(&nw, bk);
	match(&o, &nw);
	collect(c, bk, &o, &nw);
	side_free(&o);
	side_free(&nw);
	return c;
}

static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* One line a change, then a summary; the form is documented in folio.1. */
void
changes_report(const struct changes *c, FILE *f)
{
	const struct change	*ch;
	size_t			 i;

	for (i = 0; i < c->n; i++) {
		ch = &c->v[i];
		fprintf(f, "folio: since %s: ", c->since);
		switch (ch->kind) {
		case CHANGE_CHANGED:
			fprintf(f, "changed \"%s\" (%s): %zu word%s removed, "
			    "%zu added\n", ch->title, ch->file,
			    ch->words_removed, plural(ch->words_removed),
			    ch->words_added);
			break;
		case CHANGE_ADDED:
			fprintf(f, "added \"%s\" (%s): %zu word%s\n",
			    ch->title, ch->file, ch->words, plural(ch->words));
			break;
		case CHANGE_REMOVED:
			fprintf(f, "removed \"%s\": %zu word%s\n", ch->title,
			    ch->words, plural(ch->words));
			break;
		}
	}
	if (c->n == 0)
		fprintf(f, "folio: since %s: no changes\n", c->since);
	else
		fprintf(f, "folio: since %s: %zu changed, %zu added, "
		    "%zu removed\n", c->since, c->nchanged, c->nadded,
		    c->nremoved);
}

/* OLD.epub as given, for the dependency rule. */
const char *
changes_since(const struct changes *c)
{
	return c->since;
}

/* "Since edition 2 (2025-06-01): 1 section changed, 1 added, 1 removed." */
void
changes_intro(const struct changes *c, struct buf *b)
{
	buf_puts(b, "Since ");
	if (c->old_edition != NULL)
		buf_printf(b, "edition %s", c->old_edition);
	else
		buf_puts(b, "the previous edition");
	if (c->old_date != NULL)
		buf_printf(b, " (%s)", c->old_date);
	if (c->n == 0)
		buf_puts(b, ": no change to the text.");
	else
		buf_printf(b, ": %zu section%s changed, %zu added, %zu removed.",
		    c->nchanged, plural(c->nchanged), c->nadded, c->nremoved);
}

const char *
changes_label(const struct change *ch)
{
	return ch->kind == CHANGE_CHANGED ? "Changed" :
	    ch->kind == CHANGE_ADDED ? "Added" : "Removed";
}

/* What follows the section's title: its chapter, then the counts. */
void
changes_detail(const struct change *ch, struct buf *b)
{
	if (strcmp(ch->title, ch->chapter_title) != 0)
		buf_printf(b, " (in \u201c%s\u201d)", ch->chapter_title);
	if (ch->kind == CHANGE_CHANGED)
		buf_printf(b, ": %zu word%s removed, %zu added.",
		    ch->words_removed, plural(ch->words_removed),
		    ch->words_added);
	else
		buf_printf(b, ": %zu word%s.", ch->words, plural(ch->words));
}

void
changes_free(struct changes *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].title);
		free(c->v[i].chapter_title);
		free(c->v[i].id);
	}
	free(c->v);
	free(c->since);
	free(c->old_edition);
	free(c->old_date);
	free(c);
}
