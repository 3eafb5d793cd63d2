/*
 * What changed since a previous edition.  Both editions are read in the
 * same form, the e-book's XHTML, walked with libxml2: the old one's
 * chapters as epub_read.c finds them in OLD.epub, this one's as
 * epub_xhtml.c writes them.  So what is compared is what a reader reads,
 * and text folio generates (page markers, figure labels) is left out on
 * both sides.
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

#include <libxml/xmlreader.h>

#include "book.h"
#include "buf.h"
#include "changes.h"
#include "diag.h"
#include "epub.h"
#include "epub_read.h"
#include "utf8.h"

#define MAX_DIFF_WORK	50000000.0	/* Myers steps before trimming */
#define MAX_WORDS	(4UL << 20)	/* an edition's words, compared */
#define MAX_SECTIONS	(1UL << 20)	/* and its sections */
#define MAX_SHOWN	200		/* bytes of a title shown */
#define MAX_VALUE	40		/* of the old edition's date, number */

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
	size_t		 ns, caps;
	int		 over;		/* past MAX_WORDS or MAX_SECTIONS */
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

static int
xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* ------------------------------------------------------------ sections */

/*
 * Characters a title must not carry into a terminal (the report) or a
 * page: C1 controls, and the bidirectional overrides that can make a
 * line read other than it is.  (XML already refuses C0 controls.)
 */
static int
unsafe(uint32_t c)
{
	return c < 0x20 || (c >= 0x7F && c <= 0x9F) ||
	    (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

static char *
collapse(const struct buf *b)
{
	struct buf	 o = { NULL, 0, 0 };
	size_t		 i, n;
	uint32_t	 c;
	int		 sp = 0;

	for (i = 0; i < b->len; i += n) {
		n = utf8_decode(b->data + i, b->len - i, &c);
		if (xml_space(b->data[i]))
			sp = o.len > 0;
		else {
			if (sp)
				buf_putc(&o, ' ');
			sp = 0;
			if (unsafe(c))
				buf_puts(&o, "\xef\xbf\xbd");
			else
				buf_put(&o, b->data + i, n);
		}
	}
	return o.data != NULL ? buf_detach(&o) : xstrdup("");
}

/*
 * A title as the report and the page show it: an old e-book's heading
 * may be megabytes long (the comparison uses all of it), so it is cut
 * after max bytes, at a character's start, and marked.
 */
static char *
shown(const char *s, size_t max)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 n = strlen(s);

	if (n <= max)
		return xstrdup(s);
	for (n = max; n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80;
	    n--)
		continue;
	buf_put(&b, s, n);
	buf_puts(&b, "\xe2\x80\xa6");
	return buf_detach(&b);
}

/*
 * A value of the old package (its date, its edition), made safe and
 * cut shorter than a title: it is set as one word in a sentence.
 */
static char *
old_value(const char *s)
{
	struct buf	 b = { NULL, 0, 0 };
	char		*c, *r;

	buf_puts(&b, s);
	c = collapse(&b);
	r = shown(c, MAX_VALUE);
	free(c);
	buf_free(&b);
	return r;
}

static void
new_section(struct scan *sc, const char *id, const char *title)
{
	struct side	*sd = sc->sd;
	struct section	*s;

	if (sd->ns == MAX_SECTIONS) {
		sd->over = 1;
		return;
	}
	if (sd->ns == sd->caps) {
		sd->caps = sd->caps ? sd->caps * 2 : 64;
		sd->s = xreallocarray(sd->s, sd->caps, sizeof(*sd->s));
	}
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
	if (sc->cur < 0 || sd->nw == MAX_WORDS) {
		sd->over = 1;
		return;
	}
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
inline_tag(const char *name)
{
	static const char *const tags[] = { "a", "em", "strong", "code",
	    "span", "b", "i", "sub", "sup", "small", "abbr" };
	size_t	 i;

	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (strcmp(name, tags[i]) == 0)
			return 1;
	return 0;
}

/* Attribute qname ("epub:type") of the reader's element into out. */
static int
attr(xmlTextReaderPtr r, const char *qname, struct buf *out)
{
	const xmlChar	*v;
	int		 found = 0;

	buf_reset(out);
	while (!found && xmlTextReaderMoveToNextAttribute(r) == 1)
		if (strcmp((const char *)xmlTextReaderConstName(r),
		    qname) == 0 && (v = xmlTextReaderConstValue(r)) != NULL) {
			buf_puts(out, (const char *)v);
			found = 1;
		}
	xmlTextReaderMoveToElement(r);
	return found;
}

/* An element's start (r on it) or end (r NULL). */
static void
scan_tag(struct scan *sc, xmlTextReaderPtr r, const char *name)
{
	struct buf	 v = { NULL, 0, 0 };
	int		 close = r == NULL;

	if (!sc->in_body) {
		if (strcmp(name, "title") == 0)
			sc->in_title = !close;
		else if (strcmp(name, "body") == 0 && !close) {
			sc->in_body = 1;
			sc->in_title = 0;
			sc->sd->doctitle[sc->sd->ndocs - 1] =
			    collapse(&sc->title);
			sc->bodymatter = attr(r, "epub:type", &v) &&
			    strstr(v.data ? v.data : "", "bodymatter");
		}
		buf_free(&v);
		return;
	}
	if (!inline_tag(name))
		flush_word(sc);
	if (strlen(name) == 2 && name[0] == 'h' && name[1] >= '1' &&
	    name[1] <= '6') {
		if (!close) {
			attr(r, "id", &v);
			new_section(sc, v.data ? v.data : "", "");
			buf_reset(&sc->heading);
			sc->in_heading = 1;
		} else if (sc->in_heading && sc->cur >= 0) {
			free(sc->sd->s[sc->cur].title);
			sc->sd->s[sc->cur].title = collapse(&sc->heading);
			sc->in_heading = 0;
		}
	} else if (strcmp(name, "figcaption") == 0)
		sc->label = close ? 0 : 2;
	buf_free(&v);
}

static void
scan_text(struct scan *sc, const char *s)
{
	for (; *s != '\0'; s++) {
		if (sc->in_title)
			buf_putc(&sc->title, *s);
		else if (!sc->in_body)
			continue;
		else if (xml_space(*s)) {
			flush_word(sc);
			if (sc->in_heading)
				buf_putc(&sc->heading, ' ');
		} else {
			buf_putc(&sc->word, *s);
			if (sc->in_heading)
				buf_putc(&sc->heading, *s);
		}
	}
}

/*
 * Add the sections of the XHTML document [s, s + len) to sd, walking it
 * with a libxml2 reader, which holds only the path to the current node.
 * 1 if it is a chapter's body, 0 if not, -1 after reporting (path, and
 * name in the archive, if any).
 */
static int
scan_doc(struct side *sd, const char *s, size_t len, int ours,
    const char *path, const char *name)
{
	struct scan	 sc;
	struct buf	 err = { NULL, 0, 0 };
	xmlTextReaderPtr r;
	const char	*tag;
	const xmlChar	*v;
	int		 rc;

	memset(&sc, 0, sizeof(sc));
	sc.sd = sd;
	sc.cur = -1;
	/* (room only grows: unscan_doc gives a document back) */
	if ((sd->ndocs & (sd->ndocs - 1)) == 0)
		sd->doctitle = xreallocarray(sd->doctitle, sd->ndocs ?
		    sd->ndocs * 2 : 1, sizeof(*sd->doctitle));
	sd->doctitle[sd->ndocs++] = NULL;
	if ((r = epub_read_xhtml(s, len, ours, &err)) == NULL)
		rc = -1;
	else
		while ((rc = xmlTextReaderRead(r)) == 1) {
			switch (xmlTextReaderNodeType(r)) {
			case XML_READER_TYPE_ELEMENT:
				tag = (const char *)xmlTextReaderConstName(r);
				scan_tag(&sc, r, tag);
				if (xmlTextReaderIsEmptyElement(r))
					scan_tag(&sc, NULL, tag);
				break;
			case XML_READER_TYPE_END_ELEMENT:
				scan_tag(&sc, NULL,
				    (const char *)xmlTextReaderConstName(r));
				break;
			case XML_READER_TYPE_TEXT:
			case XML_READER_TYPE_CDATA:
			case XML_READER_TYPE_WHITESPACE:
			case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
				if ((v = xmlTextReaderConstValue(r)) != NULL)
					scan_text(&sc, (const char *)v);
				break;
			default:
				break;
			}
		}
	flush_word(&sc);
	if (sd->doctitle[sd->ndocs - 1] == NULL)
		sd->doctitle[sd->ndocs - 1] = xstrdup("");
	if (rc != -1 && sd->over) {
		diag_error(path, 0, 0, "%s cannot be compared: the edition "
		    "has more than %lu words or %lu sections", name != NULL ?
		    name : "its e-book", MAX_WORDS, MAX_SECTIONS);
		xmlFreeTextReader(r);
		buf_free(&err);
		buf_free(&sc.word);
		buf_free(&sc.heading);
		buf_free(&sc.title);
		return -1;
	}
	if (rc == -1)
		diag_error(path, 0, 0, "%s is not well-formed XHTML (%s)",
		    name != NULL ? name : "its e-book chapter",
		    err.len > 0 ? err.data : "cannot be parsed");
	xmlFreeTextReader(r);
	buf_free(&err);
	buf_free(&sc.word);
	buf_free(&sc.heading);
	buf_free(&sc.title);
	return rc == -1 ? -1 : sc.bodymatter;
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

/* ------------------------------------------------------------ editions */

/*
 * The old edition's chapters: the spine's XHTML documents whose body is
 * bodymatter (folio's chapters), else every one but the navigation.
 */
static int
read_old(struct changes *c, struct side *sd, const char *path)
{
	struct epub_read *er;
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i, nbody = 0;
	int		 rc = -1, pass, body;

	if ((er = epub_read_open(path)) == NULL)
		return -1;
	if (epub_read_edition(er) != NULL)
		c->old_edition = old_value(epub_read_edition(er));
	if (epub_read_date(er) != NULL)
		c->old_date = old_value(epub_read_date(er));
	/* pass 0: bodymatter only; pass 1, if there was none: all */
	for (pass = 0; pass < 2 && nbody == 0; pass++)
		for (i = 0; i < epub_read_ndocs(er); i++) {
			if (epub_read_doc(er, i, &b) == -1 ||
			    (body = scan_doc(sd, b.data, b.len, 0, path,
			    epub_read_docname(er, i))) == -1)
				goto out;
			if (body || pass == 1)
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
	epub_read_close(er);
	buf_free(&b);
	return rc;
}

/* This edition, as its e-book's chapters read: 0, or -1 after reporting. */
static int
read_new(struct side *sd, const struct book *bk, const struct style *st)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;
	int		 rc = 0;

	for (i = 0; rc == 0 && i < bk->nsegments; i++) {
		buf_reset(&b);
		epub_xhtml_head(&b, bk,
		    bk->chapters[bk->segments[i].chapter].title);
		epub_xhtml_segment(&b, bk, st, i, NULL);
		if (scan_doc(sd, b.data, b.len, 1,
		    bk->sources[bk->segments[i].source].path,
		    NULL) == -1)
			rc = -1;
	}
	buf_free(&b);
	return rc;
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

/* Which key a pass matches sections by. */
enum key { KEY_BOTH, KEY_ID, KEY_TEXT };

static uint64_t
key_hash(const struct section *s, enum key k)
{
	uint64_t	 h = 14695981039346656037ULL;
	const char	*p;

	if (k != KEY_TEXT)
		for (p = s->id; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ 0xFF) * 1099511628211ULL;
	if (k != KEY_ID)
		for (p = s->title; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	/* a chapter's lead text pairs only its kind */
	return h ^ (*s->id == '\0');
}

static int
key_eq(const struct section *a, const struct section *b, enum key k)
{
	if ((*a->id == '\0') != (*b->id == '\0'))
		return 0;
	if (k != KEY_TEXT && strcmp(a->id, b->id) != 0)
		return 0;
	return k == KEY_ID || strcmp(a->title, b->title) == 0;
}

/*
 * Pair sections: by id and text, then id, then text; first come first.
 * Each pass hashes the old sections by its key, and each bucket is
 * walked from the first not yet taken, so that a million sections of
 * one title cost a million steps, not their square.
 */
static void
match(struct side *o, struct side *nw)
{
	size_t		 cap, i, j, *head, *next, *cursor;
	uint64_t	*hash;
	enum key	 k;

	for (cap = 16; cap < o->ns * 2; cap *= 2)
		continue;
	head = xreallocarray(NULL, cap, sizeof(*head));
	cursor = xreallocarray(NULL, cap, sizeof(*cursor));
	next = xreallocarray(NULL, o->ns + 1, sizeof(*next));
	hash = xreallocarray(NULL, o->ns + 1, sizeof(*hash));
	for (k = KEY_BOTH; k <= KEY_TEXT; k++) {
		for (i = 0; i < cap; i++)
			head[i] = cursor[i] = (size_t)-1;
		/* buckets in section order: fill from the end */
		for (j = o->ns; j-- > 0;) {
			if (o->s[j].match >= 0 || (k != KEY_TEXT &&
			    *o->s[j].id == '\0'))
				continue;
			hash[j] = key_hash(&o->s[j], k);
			next[j] = head[hash[j] & (cap - 1)];
			head[hash[j] & (cap - 1)] = j;
		}
		for (i = 0; i < cap; i++)
			cursor[i] = head[i];
		for (i = 0; i < nw->ns; i++) {
			uint64_t	 h;
			size_t		*c, *prev;

			if (nw->s[i].match >= 0 || (k != KEY_TEXT &&
			    *nw->s[i].id == '\0'))
				continue;
			h = key_hash(&nw->s[i], k);
			c = &cursor[h & (cap - 1)];
			/* skip the bucket's taken head, then search */
			while (*c != (size_t)-1 && o->s[*c].match >= 0)
				*c = next[*c];
			for (prev = NULL, j = *c; j != (size_t)-1;
			    prev = &next[j], j = next[j])
				if (hash[j] == h && o->s[j].match < 0 &&
				    key_eq(&nw->s[i], &o->s[j], k))
					break;
			if (j == (size_t)-1)
				continue;
			nw->s[i].match = (long)j;
			o->s[j].match = (long)i;
			/* unlink it, so no later search walks over it */
			if (prev == NULL)
				*c = next[j];
			else
				*prev = next[j];
		}
	}
	free(head);
	free(cursor);
	free(next);
	free(hash);
}

static struct change *
add_change(struct changes *c, enum change_kind kind, const char *title,
    const char *chapter_title)
{
	struct change	*ch;

	/* room doubles at each power of two: a million changes are no
	   million copies */
	if ((c->n & (c->n - 1)) == 0)
		c->v = xreallocarray(c->v, c->n ? c->n * 2 : 1, sizeof(*c->v));
	ch = &c->v[c->n++];
	memset(ch, 0, sizeof(*ch));
	ch->kind = kind;
	ch->title = shown(title, MAX_SHOWN);
	ch->chapter_title = shown(chapter_title, MAX_SHOWN);
	ch->chapter = -1;
	return ch;
}

/* Old sections before upto not yet reported; *from moves on. */
static void
removed(struct changes *c, struct side *o, size_t *from, size_t upto)
{
	struct change	*ch;
	size_t		 j;

	for (j = *from; j < upto && j < o->ns; j++) {
		if (o->s[j].match >= 0 || o->s[j].reported)
			continue;
		o->s[j].reported = 1;
		ch = add_change(c, CHANGE_REMOVED, o->s[j].title,
		    o->doctitle[o->s[j].doc]);
		ch->words = o->s[j].n;
		c->nremoved++;
	}
	if (upto > *from)
		*from = upto < o->ns ? upto : o->ns;
}

/* The list in reading order: a removed section where it used to be. */
static void
collect(struct changes *c, const struct book *bk, struct side *o,
    struct side *nw)
{
	struct change	*ch;
	struct section	*s;
	size_t		 i, rm, ad, from = 0;

	for (i = 0; i < nw->ns; i++) {
		s = &nw->s[i];
		if (s->match >= 0) {
			removed(c, o, &from, (size_t)s->match);
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
		ch->file = bk->sources[bk->segments[s->doc].source].name;
		if (*s->id != '\0')
			ch->id = xstrdup(s->id);
	}
	removed(c, o, &from, o->ns);
}

struct changes *
changes_new(const struct book *bk, const struct style *st,
    const char *oldepub)
{
	struct changes	*c = xcalloc(1, sizeof(*c));
	struct side	 o, nw;

	memset(&o, 0, sizeof(o));
	memset(&nw, 0, sizeof(nw));
	c->since = xstrdup(oldepub);
	if (read_old(c, &o, oldepub) == -1 || read_new(&nw, bk, st) == -1) {
		side_free(&o);
		side_free(&nw);
		changes_free(c);
		return NULL;
	}
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

/*
 * The page lists CHANGES_LISTED changes at most (a damaged or hostile old
 * edition must not make a thousand pages); then this line says how many
 * more the build's report names.  Empty when all are listed.
 */
void
changes_more(const struct changes *c, struct buf *b)
{
	if (c->n > CHANGES_LISTED)
		buf_printf(b, "\xe2\x80\xa6 and %zu more, named in the "
		    "report of the build that made this edition.",
		    c->n - CHANGES_LISTED);
}
