/*
 * Page content streams, written here rather than through libharu's page
 * operators: text as TJ arrays of 2-byte codes (the Unicode code points
 * the UTF-8 fonts use), rules, fills and images, into a growable buffer
 * per page.  A finished page is deflated at once and only its compressed
 * bytes are kept; what is drawn later (running heads, folios, the
 * contents) is deflated at the end and appended, and the whole goes into
 * the page's one Contents stream as a single zlib stream.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>
#include <hb.h>

#include <hpdf_pages.h>

#include "par.h"
#include "pdf_int.h"
#include "utf8.h"

/*
 * Level 1.  Measured on the bench book's 808 page streams (7.0 MB of
 * operators): level 1 gives 2.06 MB, level 3 1.84 MB for 1.4 times the
 * deflate time, level 6 1.56 MB for 3 times, level 9 1.54 MB for 7
 * times.  The goal is time; the PDF is a third smaller than libharu's
 * level 6 made it anyway (fewer, shorter operators).
 */
#define CONTENT_LEVEL	1

/*
 * Set pages are deflated by a second thread while the next ones are
 * laid out; a queue of pages hands them over.  Without the thread, each
 * page is deflated at once.  Either way the bytes are the same.
 */
struct content_zip {
	z_stream	 zs;		/* a set page */
	z_stream	 tail[PAR_MAX];	/* what is drawn at the end, per worker */
	int		 ok;
	int		 failed;
	int		 threaded;
	int		 closing;
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct content	**q;
	size_t		 qhead, qlen, qcap;
};

static int	squeeze(z_stream *, struct content *, int);

static void *
worker(void *arg)
{
	struct content_zip	*z = arg;
	struct content		*c;

	pthread_mutex_lock(&z->mu);
	for (;;) {
		while (z->qhead == z->qlen && !z->closing)
			pthread_cond_wait(&z->cv, &z->mu);
		if (z->qhead == z->qlen)
			break;
		c = z->q[z->qhead++];
		pthread_mutex_unlock(&z->mu);
		if (squeeze(&z->zs, c, Z_SYNC_FLUSH) == -1)
			z->failed = 1;
		pthread_mutex_lock(&z->mu);
	}
	pthread_mutex_unlock(&z->mu);
	return NULL;
}

struct content_zip *
content_zip_new(void)
{
	struct content_zip	*z = xcalloc(1, sizeof(*z));
	size_t			 i;

	/* raw deflate: pieces of a page are joined under one zlib header */
	z->ok = deflateInit2(&z->zs, CONTENT_LEVEL, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY) == Z_OK;
	/* a small hash: a reset per page clears it, and the input is short */
	for (i = 0; z->ok && i < PAR_MAX; i++)
		if (deflateInit2(&z->tail[i], CONTENT_LEVEL, Z_DEFLATED, -15, 1,
		    Z_DEFAULT_STRATEGY) != Z_OK)
			z->ok = 0;
	if (z->ok && pthread_mutex_init(&z->mu, NULL) == 0) {
		if (pthread_cond_init(&z->cv, NULL) == 0) {
			if (pthread_create(&z->thread, NULL, worker, z) == 0)
				z->threaded = 1;
			else
				pthread_cond_destroy(&z->cv);
		}
		if (!z->threaded)
			pthread_mutex_destroy(&z->mu);
	}
	return z;
}

/* Wait until every page handed over is deflated; the thread ends. */
int
content_zip_wait(struct content_zip *z)
{
	if (z->threaded) {
		pthread_mutex_lock(&z->mu);
		z->closing = 1;
		pthread_cond_signal(&z->cv);
		pthread_mutex_unlock(&z->mu);
		pthread_join(z->thread, NULL);
		pthread_cond_destroy(&z->cv);
		pthread_mutex_destroy(&z->mu);
		z->threaded = 0;
	}
	return z->failed ? -1 : 0;
}

void
content_zip_free(struct content_zip *z)
{
	size_t	 i;

	if (z == NULL)
		return;
	content_zip_wait(z);
	/* one never set up is refused, harmlessly */
	deflateEnd(&z->zs);
	for (i = 0; i < PAR_MAX; i++)
		deflateEnd(&z->tail[i]);
	free(z->q);
	free(z);
}

struct content *
content_new(HPDF_Page page)
{
	struct content	*c = xcalloc(1, sizeof(*c));

	c->page = page;
	c->font = -1;
	c->hs = c->tz = 1;
	c->adler = adler32(0L, Z_NULL, 0);
	return c;
}

void
content_free(struct content *c)
{
	if (c == NULL)
		return;
	free(c->mcid);
	buf_free(&c->ops);
	buf_free(&c->z);
	buf_free(&c->out);
	free(c->fname);
	free(c);
}

/* A number with at most three decimals, as PDF wants it. */
static void
num(struct buf *b, double v)
{
	char		 s[32], *e = s + sizeof(s), *t = e;
	long long	 n = llround(fabs(v) * 1000);
	int		 i, frac = (int)(n % 1000), any = 0;

	if (fabs(v) > 1e12)
		n = 0, frac = 0;
	n /= 1000;
	for (i = 0; i < 3; i++, frac /= 10) {
		if (frac % 10 != 0 || any) {
			*--t = (char)('0' + frac % 10);
			any = 1;
		}
	}
	if (any)
		*--t = '.';
	do
		*--t = (char)('0' + n % 10);
	while ((n /= 10) > 0);
	if (v < 0 && (t[0] != '0' || t + 1 != e))
		*--t = '-';
	buf_put(b, t, (size_t)(e - t));
}

/*
 * A coordinate as libharu wrote it: the single-precision value, to five
 * decimals.  Positions stay exactly where libharu put them, which keeps
 * an image that lands on a pixel edge from moving a row.
 */
static void
numf(struct buf *b, double d)
{
	char		 s[32], *e = s + sizeof(s), *t = e;
	float		 v = (float)d;
	long		 ip, fp;
	int		 i, any = 0, neg = v < 0;

	if (neg)
		v = -v;
	if (v > 32767)
		v = 32767;
	ip = (long)(v + 0.000005);
	fp = (long)((float)(v - ip + 0.000005) * 100000);
	for (i = 0; i < 5; i++, fp /= 10)
		if (fp % 10 != 0 || any) {
			*--t = (char)('0' + fp % 10);
			any = 1;
		}
	if (any)
		*--t = '.';
	do
		*--t = (char)('0' + ip % 10);
	while ((ip /= 10) > 0);
	if (neg && (t[0] != '0' || t + 1 != e))
		*--t = '-';
	buf_put(b, t, (size_t)(e - t));
}

static void
op(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

static void
close_string(struct content *c)
{
	if (c->str) {
		buf_putc(&c->ops, ')');
		c->str = 0;
	}
}

static void
close_array(struct content *c)
{
	close_string(c);
	if (c->array) {
		op(&c->ops, "]TJ\n");
		c->array = 0;
	}
}

void
content_begin_text(struct content *c)
{
	if (c->text)
		return;
	op(&c->ops, "BT\n");
	c->text = 1;
	c->lx = c->ly = c->pen = 0;
}

void
content_end_text(struct content *c)
{
	if (!c->text)
		return;
	close_array(c);
	op(&c->ops, "ET\n");
	c->text = 0;
}

/*
 * What is drawn next belongs to the structure tree's current element:
 * a marked-content sequence is opened for it (with the page's next
 * MCID) or for an artifact, the last one closed.  A sequence holds whole
 * text objects, so the text object is ended first.
 */
/* A marked-content sequence of element want with the page's next MCID. */
static void
open_mcid(struct content *c, int want, const char *more)
{
	if (c->nmcid == c->capmcid) {
		c->capmcid = c->capmcid ? c->capmcid * 2 : 32;
		c->mcid = xreallocarray(c->mcid, c->capmcid, sizeof(*c->mcid));
	}
	c->mcid[c->nmcid] = want;
	buf_putc(&c->ops, '/');
	buf_puts(&c->ops, tags_type(c->tags, want));
	buf_puts(&c->ops, " <</MCID ");
	buf_putu(&c->ops, c->nmcid);
	buf_puts(&c->ops, more);
	buf_puts(&c->ops, ">> BDC\n");
	tags_mcr(c->tags, want, c->page, (int)c->nmcid);
	c->nmcid++;
}

static void
mark(struct content *c)
{
	int	 want;

	if (c->tags == NULL || (want = tags_current(c->tags)) == c->open)
		return;
	content_end_text(c);
	if (c->open != 0)
		op(&c->ops, "EMC\n");
	c->open = want;
	if (want == TAG_ARTIFACT)
		op(&c->ops, "/Artifact BMC\n");
	else if (want == TAG_PAGINATION)
		op(&c->ops, "/Artifact <</Type /Pagination>> BDC\n");
	else if (want > 0)
		open_mcid(c, want, "");
}

/* The end of what is drawn for now: no sequence left open. */
static void
unmark(struct content *c)
{
	content_end_text(c);
	if (c->open != 0)
		op(&c->ops, "EMC\n");
	c->open = 0;
}

/* One byte of a literal string; a CR would be read as an end of line. */
static char *
code_byte(char *w, unsigned char c)
{
	if (c == '(' || c == ')' || c == '\\') {
		*w++ = '\\';
		*w++ = (char)c;
	} else if (c == '\r') {
		*w++ = '\\';
		*w++ = 'r';
	} else
		*w++ = (char)c;
	return w;
}

/* Set the face and size, naming the face in the page's resources. */
static void
set_font(struct content *c, struct fonts *f, int face, double size)
{
	struct buf	*b = &c->ops;
	HPDF_Font	 font;

	if (face == c->font && size == c->size)
		return;
	close_array(c);
	if ((size_t)face >= c->nfname) {
		c->fname = xreallocarray(c->fname, (size_t)face + 1,
		    sizeof(*c->fname));
		memset(c->fname + c->nfname, 0, ((size_t)face + 1 -
		    c->nfname) * sizeof(*c->fname));
		c->nfname = (size_t)face + 1;
	}
	if (c->fname[face] == NULL && (font = fonts_get(f, face)) != NULL)
		c->fname[face] = HPDF_Page_GetLocalFontName(c->page, font);
	buf_putc(b, '/');
	op(b, c->fname[face] ? c->fname[face] : "F0");
	buf_putc(b, ' ');
	numf(b, size);
	op(b, " Tf\n");
	c->font = face;
	c->size = size;
}

/* Move to (x, y): on along the open array, or with Td to a new one. */
static void
move_to(struct content *c, double x, double y, double size)
{
	struct buf	*b = &c->ops;
	double		 adj;

	if (c->array && fabs(y - c->y) < 1e-4) {
		/*
		 * The gap, in thousandths of the size, against the advance:
		 * written when it is half a thousandth or more, so that the
		 * rounding of widths does not cost a number a glyph.  Most
		 * glyphs follow on where the last one ended: no division.
		 */
		adj = (c->pen - x) * 1000;
		if (fabs(adj) < 0.49 * size * c->tz)
			return;
		adj = adj / size / c->tz * 100;
		/* round(), half away from zero, without a library call */
		adj = (double)(long long)(adj + (adj < 0 ? -0.5 : 0.5)) / 100;
		if (fabs(adj) >= 0.5) {
			close_string(c);
			num(b, adj);
			c->pen -= adj * size / 1000 * c->tz;
		}
		return;
	}
	close_array(c);
	numf(b, x - c->lx);
	buf_putc(b, ' ');
	numf(b, y - c->ly);
	op(b, " Td\n[");
	/* where the line now starts, as written */
	c->lx += (float)(x - c->lx);
	c->ly += (float)(y - c->ly);
	c->pen = c->lx;
	c->y = y;
	c->array = 1;
}

/*
 * Where a cluster's glyphs do not read back as its text (a glyph of a
 * Devanagari conjunct whose ToUnicode entry another word set first, a
 * mark with none), the end of the cluster: its glyphs are then marked
 * with their text (ActualText).  0 when they read back right.
 */
static size_t
misread(struct fonts *f, int face, const struct glyph *g, size_t n, size_t i,
    const char *text, size_t len, struct buf *t)
{
	size_t		 j, k, end = len;
	const char	*s;

	for (j = i + 1; j < n && g[j].cluster == g[i].cluster; j++)
		continue;
	for (k = 0; k < n; k++)
		if (g[k].cluster > g[i].cluster && g[k].cluster < end)
			end = g[k].cluster;
	if (g[i].cluster >= end)
		return 0;
	buf_reset(t);
	for (k = i; k < j; k++)
		if ((s = fonts_text(f, face, g[k].gid)) != NULL)
			buf_puts(t, s);
	if (t->len == end - g[i].cluster && memcmp(t->data, text +
	    g[i].cluster, t->len) == 0)
		return 0;
	buf_reset(t);
	buf_put(t, text + g[i].cluster, end - g[i].cluster);
	return j;
}

/* BDC of a span whose text is the UTF-8 of t. */
static void
actual_text(struct buf *b, const struct buf *t)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 i, len;
	uint32_t		 c, u;

	op(b, "/Span <</ActualText <FEFF");
	for (i = 0; i < t->len; i += len) {
		if ((len = utf8_decode(t->data + i, t->len - i, &c)) == 0)
			break;
		if (c >= 0x10000) {
			u = 0xD800 + ((c - 0x10000) >> 10);
			buf_putc(b, hex[u >> 12 & 15]);
			buf_putc(b, hex[u >> 8 & 15]);
			buf_putc(b, hex[u >> 4 & 15]);
			buf_putc(b, hex[u & 15]);
			c = 0xDC00 + ((c - 0x10000) & 0x3FF);
		}
		buf_putc(b, hex[c >> 12 & 15]);
		buf_putc(b, hex[c >> 8 & 15]);
		buf_putc(b, hex[c >> 4 & 15]);
		buf_putc(b, hex[c & 15]);
	}
	op(b, ">>> BDC\n");
}

/*
 * Show shaped glyphs of a face at (x, y) inside a text object: their
 * ids as 2-byte codes in a TJ array, each placed where HarfBuzz put it
 * (kerning and mark offsets become adjustments against the widths the
 * font dictionary gives).  The glyphs are recorded as used, with the
 * text they stand for.
 */
void
content_glyphs(struct content *c, struct fonts *f, int face, double size,
    double x, double y, const struct glyph *g, size_t n, const char *text,
    size_t len, int flags)
{
	struct buf	*b = &c->ops;
	struct face	*fc = fontset_face(f->fs, (size_t)face);
	const int16_t	*wt;
	unsigned	 nw;
	double		 upem = fc->info.units_per_em, at = x, w, gx;
	struct buf	 t = { NULL, 0, 0 };
	size_t		 i, span = 0;
	int		 plain;
	char		*p;

	if (n == 0)
		return;
	mark(c);
	content_begin_text(c);
	set_font(c, f, face, size);
	fonts_use(f, face, g, n, text, len);	/* their widths known */
	wt = fonts_widths(f, face, &nw);
	if (c->hs != c->tz) {
		/* letters widened or narrowed to justify the line */
		close_array(c);
		numf(b, c->hs * 100);
		op(b, " Tz\n");
		c->tz = c->hs;
	}
	upem /= c->tz;
	/*
	 * A face without bold or italic (a code font): emboldened by
	 * stroking the glyphs too, slanted by the text matrix.
	 */
	if ((flags & GLYPH_BOLD) != (c->flags & GLYPH_BOLD)) {
		close_array(c);
		if (flags & GLYPH_BOLD) {
			op(b, "2 Tr ");
			numf(b, size * 0.03);
			op(b, " w\n");
		} else
			op(b, "0 Tr\n");
	}
	c->flags = flags;
	if (flags & GLYPH_SLANT) {
		close_array(c);
		op(b, "1 0 0.2 1 ");
		numf(b, x);
		buf_putc(b, ' ');
		numf(b, y);
		op(b, " Tm\n[");
		c->lx = (float)x;
		c->ly = (float)y;
		c->pen = c->lx;
		c->y = y;
		c->array = 1;
	}
	for (i = 0; i < len; i++)
		if ((unsigned char)text[i] >= 0x80)
			break;
	plain = i == len;	/* ASCII reads back glyph by glyph */
	for (i = 0; i < n; i++) {
		if (!plain && span == 0 && (i == 0 ||
		    g[i].cluster != g[i - 1].cluster) &&
		    (span = misread(f, face, g, n, i, text, len, &t)) > 0) {
			close_array(c);
			actual_text(b, &t);
		}
		/* most glyphs go on where the last one ended (move_to) */
		gx = at + g[i].dx * size / upem;
		if (!(c->array && fabs(y - c->y) < 1e-4 &&
		    fabs((c->pen - gx) * 1000) < 0.49 * size * c->tz))
			move_to(c, gx, y, size);
		if (g[i].dy != 0) {
			close_string(c);
			op(b, "]TJ\n");
			numf(b, g[i].dy * size / upem);
			op(b, " Ts\n[");
		}
		/* consecutive glyphs share one string of 2-byte codes */
		if (b->len + 9 > b->cap)
			buf_grow(b, 8);
		p = b->data + b->len;
		if (!c->str) {
			*p++ = '(';
			c->str = 1;
		}
		p = code_byte(p, (unsigned char)(g[i].gid >> 8));
		p = code_byte(p, (unsigned char)g[i].gid);
		b->len = (size_t)(p - b->data);
		b->data[b->len] = '\0';
		/* the width the font dictionary gives, as PDF readers move */
		w = g[i].gid < nw ? wt[g[i].gid] : 0;
		c->pen += w * size / 1000 * c->tz;
		if (g[i].dy != 0) {
			close_string(c);
			op(b, "]TJ\n0 Ts\n[");
		}
		at += g[i].adv * size / upem;
		if (span > 0 && i + 1 == span) {
			close_array(c);
			op(b, "EMC\n");
			span = 0;
		}
	}
	buf_free(&t);
	if (flags & GLYPH_SLANT) {
		/* upright again where the pen is */
		close_array(c);
		op(b, "1 0 0 1 ");
		numf(b, c->pen);
		buf_putc(b, ' ');
		numf(b, y);
		op(b, " Tm\n");
		c->lx = (float)c->pen;
		c->ly = (float)y;
	}
}

/* A colour for what follows, filled and stroked (text may be both). */
/*
 * A space between words, as a glyph: text read back (by a screen reader,
 * or a copy) has its words apart, whatever the glue made of the gap.
 */
void
content_space(struct content *c, struct fonts *f, int face, double size,
    double x, double y)
{
	struct glyph	 g;
	char		*p;

	if (face < 0 || !fonts_space(f, face, &g))
		return;
	mark(c);	/* which may end the text object */
	if (!c->text || c->font != face || c->size != size || c->hs != c->tz ||
	    (c->flags & GLYPH_SLANT) || !c->array || fabs(y - c->y) >= 1e-4) {
		content_glyphs(c, f, face, size, x, y, &g, 1, " ", 1,
		    c->flags);
		return;
	}
	/* within the line's array: only the code, and the pen moved */
	move_to(c, x, y, size);
	buf_grow(&c->ops, 8);
	p = c->ops.data + c->ops.len;
	if (!c->str) {
		*p++ = '(';
		c->str = 1;
	}
	p = code_byte(p, (unsigned char)(g.gid >> 8));
	p = code_byte(p, (unsigned char)g.gid);
	c->ops.len = (size_t)(p - c->ops.data);
	c->ops.data[c->ops.len] = '\0';
	c->pen += fonts_advance(f, face, g.gid) * size / 1000 * c->tz;
}

/*
 * Segments of a page, between the places its space may stretch: each is
 * drawn under a translation whose amount is only known when the page
 * is full (pdf_page.c), so a fixed-width number is left to be patched.
 * The state a Q restores is forgotten.
 */
#define SHIFT_WIDTH	10

size_t
content_segment(struct content *c)
{
	size_t	 off;

	content_segment_end(c);
	op(&c->ops, "q 1 0 0 1 0 ");
	off = c->ops.len;
	buf_puts(&c->ops, "         0 cm\n");	/* SHIFT_WIDTH wide */
	c->seg = 1;
	return off;
}

void
content_segment_end(struct content *c)
{
	if (!c->seg)
		return;
	unmark(c);
	op(&c->ops, "Q\n");
	c->seg = 0;
	c->font = -1;
	c->flags = 0;
	c->tz = 1;
}

void
content_patch(struct content *c, size_t off, double dy)
{
	char	 s[SHIFT_WIDTH + 1];

	if (off + SHIFT_WIDTH > c->ops.len)
		return;
	snprintf(s, sizeof(s), "%*.3f", SHIFT_WIDTH, dy);
	memcpy(c->ops.data + off, s, SHIFT_WIDTH);
}

/* The horizontal scale of the glyphs set next: 1, or a line's expansion. */
void
content_hscale(struct content *c, double h)
{
	c->hs = h;
}

/*
 * Text shown in a marked-content sequence whose ActualText (a PDF string,
 * hex or literal) is what reading it gives.  A sequence holds whole
 * text objects.
 */
static void
shown_as(struct content *c, struct fonts *f, int role, double size,
    double x, double y, const char *s, const char *actual)
{
	content_end_text(c);
	op(&c->ops, "/Span <</ActualText ");
	op(&c->ops, actual);
	op(&c->ops, ">> BDC\n");
	content_show(c, f, role, size, x, y, s, strlen(s), 0);
	content_end_text(c);
	op(&c->ops, "EMC\n");
}

/*
 * A line's hyphen, not part of the text it ends: it reads as a soft
 * hyphen, so the word reads whole.
 */
void
content_hyphen(struct content *c, struct fonts *f, int role, double size,
    double x, double y)
{
	mark(c);
	if (c->open > 0) {
		/*
		 * In a tagged page, a sequence of its own whose property list
		 * holds the ActualText: readers of the structure (poppler's)
		 * end an element's text at a span nested in its sequence.
		 */
		content_end_text(c);
		op(&c->ops, "EMC\n");
		open_mcid(c, c->open, " /ActualText <FEFF00AD>");
		content_show(c, f, role, size, x, y, "-", 1, 0);
		content_end_text(c);
		op(&c->ops, "EMC\n");
		c->open = 0;
		return;
	}
	/* untagged (a booklet, the press PDF): read back the same way */
	shown_as(c, f, role, size, x, y, "-", "<FEFF00AD>");
}

/*
 * Text drawn but not read (a listing's line numbers, the mark of a line
 * that goes on): an empty ActualText, so that copying the code copies
 * the code alone.
 */
void
content_unread(struct content *c, struct fonts *f, int role, double size,
    double x, double y, const char *s)
{
	mark(c);
	shown_as(c, f, role, size, x, y, s, "()");
}

void
content_color(struct content *c, double r, double g, double b)
{
	close_array(c);
	numf(&c->ops, r);
	buf_putc(&c->ops, ' ');
	numf(&c->ops, g);
	buf_putc(&c->ops, ' ');
	numf(&c->ops, b);
	op(&c->ops, " rg ");
	numf(&c->ops, r);
	buf_putc(&c->ops, ' ');
	numf(&c->ops, g);
	buf_putc(&c->ops, ' ');
	numf(&c->ops, b);
	op(&c->ops, " RG\n");
}

/*
 * Show simple UTF-8 text in a role (a marker, a running head): each run
 * in the face that draws it, shaped.
 */
void
content_show(struct content *c, struct fonts *f, int role, double size,
    double x, double y, const char *s, size_t n, int flags)
{
	struct shaped	 sh;
	size_t		 i, start = 0, len;
	uint32_t	 cp;
	int		 face, cur = -1;

	for (i = 0; i <= n; i += len) {
		if (i < n) {
			len = utf8_decode(s + i, n - i, &cp);
			if ((face = fontset_pick(f->fs, role, cp)) < 0)
				face = role;
		} else {
			len = 1;
			face = -1;
		}
		if (cur >= 0 && (face != cur || i == n)) {
			fontset_shape(f->fs, cur, s + start, i - start, &sh);
			content_glyphs(c, f, cur, size, x, y, sh.g, sh.n,
			    s + start, i - start, flags);
			x += sh.width * size / fontset_face(f->fs,
			    (size_t)cur)->info.units_per_em;
			start = i;
		}
		if (face != cur)
			start = i;
		cur = face;
	}
}

void
content_gray(struct content *c, double g)
{
	content_end_text(c);
	numf(&c->ops, g);
	op(&c->ops, " g\n");
}

void
content_fill_rect(struct content *c, double x, double y, double w, double h)
{
	mark(c);
	content_end_text(c);
	numf(&c->ops, x);
	buf_putc(&c->ops, ' ');
	numf(&c->ops, y);
	buf_putc(&c->ops, ' ');
	numf(&c->ops, w);
	buf_putc(&c->ops, ' ');
	numf(&c->ops, h);
	op(&c->ops, " re\nf\n");
}

void
content_rule(struct content *c, double width, double x0, double y0,
    double x1, double y1)
{
	mark(c);
	content_end_text(c);
	numf(&c->ops, width);
	op(&c->ops, " w\n");
	numf(&c->ops, x0);
	buf_putc(&c->ops, ' ');
	numf(&c->ops, y0);
	op(&c->ops, " m\n");
	numf(&c->ops, x1);
	buf_putc(&c->ops, ' ');
	numf(&c->ops, y1);
	op(&c->ops, " l\nS\n");
}

/* A rectangle's outline. */
void
content_frame(struct content *c, double width, double x, double y, double w,
    double h)
{
	mark(c);
	content_end_text(c);
	numf(&c->ops, width);
	op(&c->ops, " w\n");
	numf(&c->ops, x);
	buf_putc(&c->ops, ' ');
	numf(&c->ops, y);
	buf_putc(&c->ops, ' ');
	numf(&c->ops, w);
	buf_putc(&c->ops, ' ');
	numf(&c->ops, h);
	op(&c->ops, " re\nS\n");
}

void
content_image(struct content *c, HPDF_Image img, double x, double y,
    double w, double h)
{
	const char	*name = HPDF_Page_GetXObjectName(c->page, img);

	if (name == NULL)
		return;
	mark(c);
	content_end_text(c);
	op(&c->ops, "q\n");
	numf(&c->ops, w);
	op(&c->ops, " 0 0 ");
	numf(&c->ops, h);
	buf_putc(&c->ops, ' ');
	numf(&c->ops, x);
	buf_putc(&c->ops, ' ');
	numf(&c->ops, y);
	op(&c->ops, " cm\n/");
	op(&c->ops, name);
	op(&c->ops, " Do\nQ\n");
}

/* Deflate what is pending; a final block when the page is finished. */
static int
squeeze(z_stream *zs, struct content *c, int flush)
{
	size_t		 bound;
	int		 rc;

	if (deflateReset(zs) != Z_OK)
		return -1;
	bound = deflateBound(zs, (uLong)c->ops.len) + 16;
	buf_grow(&c->z, bound);
	zs->next_in = (Bytef *)(c->ops.data ? c->ops.data : "");
	zs->avail_in = (uInt)c->ops.len;
	zs->next_out = (Bytef *)c->z.data + c->z.len;
	zs->avail_out = (uInt)bound;
	rc = deflate(zs, flush);
	if (rc != (flush == Z_FINISH ? Z_STREAM_END : Z_OK) ||
	    zs->avail_in != 0)
		return -1;
	c->z.len += bound - zs->avail_out;
	if (c->ops.len > 0)
		c->adler = adler32(c->adler, (const Bytef *)c->ops.data,
		    (uInt)c->ops.len);
	buf_free(&c->ops);
	return 0;
}

/*
 * The page is set: keep only its compressed bytes.  With the thread, the
 * page is the thread's until content_zip_wait.
 */
int
content_flush(struct content_zip *z, struct content *c)
{
	if (c == NULL)
		return 0;	/* no page at all: nothing was set */
	content_segment_end(c);
	unmark(c);
	if (c->ops.len == 0)
		return 0;
	if (!z->threaded)
		return z->ok ? squeeze(&z->zs, c, Z_SYNC_FLUSH) : -1;
	pthread_mutex_lock(&z->mu);
	if (z->qlen == z->qcap && z->qhead > 0) {
		/* the consumed head makes room first */
		memmove(z->q, z->q + z->qhead, (z->qlen - z->qhead) *
		    sizeof(*z->q));
		z->qlen -= z->qhead;
		z->qhead = 0;
	}
	if (z->qlen == z->qcap) {
		z->qcap = z->qcap ? z->qcap * 2 : 64;
		z->q = xreallocarray(z->q, z->qcap, sizeof(*z->q));
	}
	z->q[z->qlen++] = c;
	pthread_cond_signal(&z->cv);
	pthread_mutex_unlock(&z->mu);
	return 0;
}

/* Writes the Filter entry libharu would drop from an unfiltered stream. */
static HPDF_STATUS
flate_filter(HPDF_Dict d, HPDF_Stream s)
{
	(void)d;
	return HPDF_Stream_WriteStr(s, "/Filter /FlateDecode\012");
}

/*
 * Hand a zlib stream to one of libharu's stream objects, which writes
 * it as it is, marked as deflated.
 */
int
content_put_deflated(HPDF_Dict d, const void *data, size_t len)
{
	if (d == NULL || d->stream == NULL ||
	    HPDF_Stream_Write(d->stream, data, (HPDF_UINT)len) != HPDF_OK)
		return -1;
	d->filter = HPDF_STREAM_FILTER_NONE;
	d->write_fn = flate_filter;
	return 0;
}

/* The zlib header's second byte names the level class. */
static unsigned char
zlib_flg(void)
{
	return CONTENT_LEVEL < 2 ? 0x01 : CONTENT_LEVEL < 6 ? 0x5E :
	    CONTENT_LEVEL == 6 ? 0x9C : 0xDA;
}

/*
 * Everything is drawn: what the page has last is deflated, as the final
 * block.  Pages touch nothing of one another's, so they are sealed at
 * once, each worker with its own stream (par.c).
 */
void
content_seal(struct content_zip *z, struct content *c, size_t worker)
{
	unmark(c);
	c->sealed = z->ok && worker < PAR_MAX &&
	    squeeze(&z->tail[worker], c, Z_FINISH) == 0 ? 1 : -1;
}

/*
 * A page's Contents as libharu reads it when it saves: from the page's
 * own bytes (c->out), where a stream of libharu's would copy them in and
 * out again a byte at a time (5 MB of an 800-page book, twice).
 */
static HPDF_STATUS
out_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *size)
{
	struct content	*c = s->attr;
	size_t		 n = c->out.len - c->outpos;

	if (*size < n)
		n = *size;
	if (n > 0)
		memcpy(ptr, c->out.data + c->outpos, n);
	c->outpos += n;
	*size = (HPDF_UINT)n;
	return c->outpos == c->out.len ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS
out_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
	struct content	*c = s->attr;
	long		 at = mode == HPDF_SEEK_CUR ? (long)c->outpos + pos :
	    mode == HPDF_SEEK_END ? (long)c->out.len - pos : pos;

	if (at < 0 || (size_t)at > c->out.len)
		return HPDF_SetError(s->error, HPDF_STREAM_EOF, 0);
	c->outpos = (size_t)at;
	return HPDF_OK;
}

static HPDF_INT32
out_tell(HPDF_Stream s)
{
	return (HPDF_INT32)((struct content *)s->attr)->outpos;
}

static HPDF_UINT32
out_size(HPDF_Stream s)
{
	return (HPDF_UINT32)((struct content *)s->attr)->out.len;
}

/* The bytes of a page's Contents, or NULL if libharu holds them. */
const unsigned char *
content_bytes(HPDF_Stream s, size_t *len)
{
	if (s == NULL || s->read_fn != out_read)
		return NULL;
	*len = ((struct content *)s->attr)->out.len;
	return (const unsigned char *)((struct content *)s->attr)->out.data;
}

/* The page's Contents: the zlib header, the sealed blocks, the checksum. */
int
content_finish(struct content_zip *z, struct content *c)
{
	HPDF_PageAttr	 attr = (HPDF_PageAttr)c->page->attr;
	HPDF_Dict	 d = attr->contents;
	HPDF_Stream	 s;
	unsigned char	 head[2], tail[4];

	if (c->sealed == 0)
		content_seal(z, c, 0);
	if (c->sealed == -1 || d->stream == NULL || d->stream->size != 0)
		return -1;
	head[0] = 0x78;
	head[1] = zlib_flg();
	tail[0] = (unsigned char)(c->adler >> 24);
	tail[1] = (unsigned char)(c->adler >> 16);
	tail[2] = (unsigned char)(c->adler >> 8);
	tail[3] = (unsigned char)c->adler;
	buf_grow(&c->out, 2 + c->z.len + 4);
	buf_put(&c->out, (const char *)head, 2);
	buf_put(&c->out, c->z.data ? c->z.data : "", c->z.len);
	buf_put(&c->out, (const char *)tail, 4);
	buf_free(&c->z);
	if ((s = HPDF_CallbackReader_New(d->mmgr, out_read, out_seek,
	    out_tell, out_size, c)) == NULL)
		return -1;
	HPDF_Stream_Free(d->stream);
	d->stream = s;
	d->filter = HPDF_STREAM_FILTER_NONE;
	d->write_fn = flate_filter;
	return 0;
}
