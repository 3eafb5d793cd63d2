/*
 * From inline content to the line breaker's items.  Text is cut into
 * words at spaces; each word into runs of one face (a fallback face for
 * characters the style's lack), each run shaped by HarfBuzz, and the
 * shaped glyphs into boxes between the places the word may break:
 * hyphenation points from libhyphen, after a hyphen or a slash, between
 * the characters of Chinese or Japanese text (UAX #14, libunibreak).
 * Spaces become stretchable glue — except inside code, whose spaces keep
 * their width — and a word too wide for any line gets emergency break
 * points, so that nothing overruns the text block.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linebreak.h>

#include "book.h"
#include "diag.h"
#include "markdown.h"
#include "pdf_int.h"
#include "utf8.h"

#define HYPHEN_PENALTY		50
#define EXHYPHEN_PENALTY	50	/* after a hyphen written in a word */
#define URL_PENALTY		100
#define CODE_PENALTY		150	/* between the tokens of code */
#define ADDRESS_PENALTY		200	/* inside an address part */
#define MAX_BREAKS		4096	/* in one word */

static const char REPL[] = "\xef\xbf\xbd";	/* U+FFFD */

struct state {
	int	 italic, bold, code;
	int	 deco;		/* DECO_ bits */
	int	 color;		/* a code token's colour */
	int	 link;
	double	 run;		/* width since the last break point */
	int	 line, col;	/* source position, for warnings */
	const char *path;
	int	 warned;
	cmark_node *node;	/* the text or code node being set */
	const char *lit;	/* and its literal */
	size_t	 litlen;
};

/* A place a word may break: after byte off. */
struct brk {
	size_t	 off;
	int	 penalty;
	int	 flagged;	/* a hyphen is added */
	int	 glue;		/* a little stretch (between CJK characters) */
};

struct brks {
	struct brk	*v;
	size_t		 n, cap;
};

static struct item *
push(struct inliner *in)
{
	struct item	*it;

	if (in->nitems == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 64;
		in->items = xreallocarray(in->items, in->cap,
		    sizeof(*in->items));
	}
	it = &in->items[in->nitems++];
	memset(it, 0, sizeof(*it));
	it->link = -1;
	return it;
}

/* The size a face is set at: code matched to the text's x-height. */
static double
size_of(const struct inliner *in, const struct state *s)
{
	double	 size = in->size;

	if (s->code && in->base != FONT_MONO)
		size *= in->mono_scale;
	if (s->deco & (DECO_SUP | DECO_SUB))
		size *= 0.7;
	return size;
}

/* A space's width in a role at a size: asked for between every word. */
static double
space_width(struct inliner *in, int role, double size)
{
	struct spacew	*c = &in->spacew[role & 7];

	if (c->role != role || c->size != size || !c->known) {
		c->role = role;
		c->size = size;
		c->w = fonts_width(in->fonts, role, " ", 1, size);
		c->known = 1;
	}
	return c->w;
}

static void
glue(struct inliner *in, struct state *s, int font)
{
	struct item	*it;
	double		 w;

	if (in->nitems == 0 || in->items[in->nitems - 1].type != ITEM_BOX)
		return;
	w = space_width(in, font, size_of(in, s));
	it = push(in);
	it->type = ITEM_GLUE;
	it->width = w;
	/* a space in code keeps its width: code is read by columns */
	it->stretch = s->code ? 0 : w / 2;
	it->shrink = s->code ? 0 : w / 3;
	it->link = s->link;
	it->deco = s->deco & (DECO_STRIKE | DECO_UNDER);
	s->run = 0;
}

static double
hyphen_width(struct inliner *in, int face, double size)
{
	struct spacew	*c = &in->hyphenw;

	if (c->role != face || c->size != size || !c->known) {
		c->role = face;
		c->size = size;
		c->w = fonts_width(in->fonts, face, "-", 1, size);
		c->known = 1;
	}
	return c->w;
}

static void
penalty(struct inliner *in, struct state *s, int value, int flagged,
    int font)
{
	struct item	*it = push(in);

	it->type = ITEM_PENALTY;
	it->penalty = value;
	it->flagged = flagged;
	it->width = flagged ? hyphen_width(in, font, size_of(in, s)) : 0;
	it->font = font;
	if (flagged && in->protrude && !s->code && font != FONT_MONO)
		it->rprot = (float)(it->width * 0.7);	/* as a hyphen's */
	s->run = 0;
}

static void
letter_glue(struct inliner *in, struct state *s, double stretch)
{
	struct item	*it = push(in);

	it->type = ITEM_GLUE;
	it->stretch = stretch;
	it->link = s->link;
	s->run = 0;
}

/*
 * How far a character may hang into the margin at a line's start or end,
 * in thousandths of its width: stops, commas, hyphens and quotes (as
 * pdfTeX's microtype sets them), so that a justified edge looks straight.
 */
static int
protrusion(uint32_t cp, int right)
{
	static const struct {
		uint32_t	 cp;
		short		 left, right;
	} t[] = {
		{ '!', 0, 200 }, { '"', 500, 500 }, { '\'', 700, 700 },
		{ '(', 50, 0 }, { ')', 0, 50 }, { ',', 0, 500 },
		{ '-', 0, 700 }, { '.', 0, 700 }, { ':', 0, 500 },
		{ ';', 0, 300 }, { '?', 0, 200 },
		{ 0x00AB, 300, 300 }, { 0x00BB, 300, 300 },
		{ 0x2010, 0, 700 }, { 0x2013, 200, 200 }, { 0x2014, 150, 150 },
		{ 0x2018, 700, 700 }, { 0x2019, 700, 700 },
		{ 0x201C, 500, 500 }, { 0x201D, 500, 500 },
		{ 0x2026, 0, 300 },
	};
	size_t	 lo = 0, hi = sizeof(t) / sizeof(t[0]), mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (t[mid].cp == cp)
			return right ? t[mid].right : t[mid].left;
		if (t[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* A byte that may begin or end a character that protrudes. */
static int
may_hang(char c)
{
	return (unsigned char)c >= 0x80 || (c != '\0' &&
	    strchr("!\"'(),-.:;?", c) != NULL);
}

/* The first and last characters' protrusion, from their glyphs' widths. */
static void
box_protrusion(struct inliner *in, struct item *it, int face, const char *t,
    size_t len, const struct glyph *g, size_t n)
{
	double		 scale = it->size / fontset_face(in->fonts->fs,
	    (size_t)face)->info.units_per_em;
	uint32_t	 cp;
	size_t		 i, k;
	int		 f;

	utf8_decode(t, len, &cp);
	if ((f = protrusion(cp, 0)) != 0)
		it->lprot = (float)(g[0].adv * scale * f / 1000);
	for (i = len; i > 0 && ((unsigned char)t[i - 1] & 0xC0) == 0x80; i--)
		continue;
	if (i == 0)
		return;
	utf8_decode(t + i - 1, len - (i - 1), &cp);
	if ((f = protrusion(cp, 1)) == 0)
		return;
	/* the last character's glyph: the one of the last cluster */
	for (k = n - 1, i = 0; i < n; i++)
		if (g[i].cluster > g[k].cluster)
			k = i;
	it->rprot = (float)(g[k].adv * scale * f / 1000);
}

/* A box of glyphs: g[0..n) of text t[0..len), clusters from t. */
static void
box(struct inliner *in, struct state *s, int face, const char *t,
    size_t len, const struct glyph *g, size_t n, double width)
{
	struct item	*it = push(in);
	size_t		 i, base = g[0].cluster;

	for (i = 1; i < n; i++)
		if (g[i].cluster < base)
			base = g[i].cluster;	/* right to left */
	if (in->nglyphs + n > in->capglyphs) {
		while (in->nglyphs + n > in->capglyphs)
			in->capglyphs = in->capglyphs ? in->capglyphs * 2 :
			    256;
		in->glyphs = xreallocarray(in->glyphs, in->capglyphs,
		    sizeof(*in->glyphs));
	}
	it->type = ITEM_BOX;
	it->font = face;
	it->size = (float)size_of(in, s);
	it->glyph = in->nglyphs;
	it->nglyph = n;
	for (i = 0; i < n; i++) {
		in->glyphs[in->nglyphs] = g[i];
		in->glyphs[in->nglyphs++].cluster = g[i].cluster - (uint32_t)base;
	}
	it->text = in->text.len;
	it->len = len;
	it->width = width;
	it->link = s->link;
	it->deco = s->deco;
	it->color = s->color;
	it->expands = in->expand && !s->code && face != FONT_MONO;
	if (in->protrude && !s->code && face != FONT_MONO && len > 0 &&
	    !(s->deco & (DECO_SUP | DECO_SUB)) && (may_hang(t[0]) ||
	    may_hang(t[len - 1])))
		box_protrusion(in, it, face, t, len, g, n);
	/* where the text came from, for the e-book's page markers */
	if (s->node != NULL && t >= s->lit && t < s->lit + s->litlen) {
		it->src = s->node;
		it->off = (size_t)(t - s->lit);
	}
	buf_put(&in->text, t, len);
	s->run += width;
}

/*
 * One run of a word in one face: shaped whole (so ligatures and kerning
 * hold across the places it may break), then cut into boxes at those
 * places that fall between clusters — in an emergency, at every cluster.
 * brk offsets are relative to t, sorted.  Text set right to left is not
 * cut.
 */
static void
run(struct inliner *in, struct state *s, int face, const char *t, size_t n,
    const struct brk *br, size_t nbr, int emergency, const struct shaped *pre)
{
	struct shaped	 sh;
	struct face	*fc = fontset_face(in->fonts->fs, (size_t)face);
	double		 scale = size_of(in, s) / fc->info.units_per_em;
	size_t		 i, k = 0, gstart = 0, tstart = 0, cut;
	int32_t		 w;
	int		 rtl;

	if (pre != NULL)
		sh = *pre;
	else
		fontset_shape(in->fonts->fs, face, t, n, &sh);
	if (sh.n == 0)
		return;
	rtl = sh.n > 1 && sh.g[sh.n - 1].cluster < sh.g[0].cluster;
	w = sh.g[0].adv;
	for (i = 1; i < sh.n && !rtl; i++) {
		if (sh.g[i].cluster == sh.g[i - 1].cluster) {
			w += sh.g[i].adv;
			continue;
		}
		cut = sh.g[i].cluster;
		while (k < nbr && br[k].off < cut)
			k++;
		if (!(k < nbr && br[k].off == cut) && !emergency) {
			w += sh.g[i].adv;
			continue;
		}
		box(in, s, face, t + tstart, cut - tstart, sh.g + gstart,
		    i - gstart, w * scale);
		if (k < nbr && br[k].off == cut) {
			if (br[k].glue)
				letter_glue(in, s, in->size * 0.1);
			penalty(in, s, br[k].penalty, br[k].flagged, face);
		} else {
			/* an emergency: letter-space keeps the line feasible */
			penalty(in, s, LB_EMERGENCY, 1, face);
			letter_glue(in, s, in->size * 0.1);
		}
		gstart = i;
		tstart = cut;
		w = sh.g[i].adv;
	}
	for (; i < sh.n; i++)
		w += sh.g[i].adv;
	box(in, s, face, t + tstart, n - tstart, sh.g + gstart,
	    sh.n - gstart, w * scale);
}

/* The break (or, in an emergency, a forced one) between two runs. */
static void
between(struct inliner *in, struct state *s, int face, const struct brk *b,
    int emergency)
{
	if (b != NULL) {
		if (b->glue)
			letter_glue(in, s, in->size * 0.1);
		penalty(in, s, b->penalty, b->flagged, face);
	} else if (emergency) {
		penalty(in, s, LB_EMERGENCY, 1, face);
		letter_glue(in, s, in->size * 0.1);
	}
}

/* A run of a word in one face, shaped. */
struct wrun {
	int		 face;		/* -1: U+FFFD for a character none has */
	size_t		 start, end;
	double		 width;
	struct shaped	 sh;		/* its glyphs, when face >= 0 */
};

/*
 * What setting a word needs for a moment, kept from word to word rather
 * than allocated for each: its breaks, a run's breaks, its runs.
 */
struct scratch {
	struct brks	 br;		/* the word's */
	struct brks	 rb;		/* a run's */
	struct wrun	*r;
	size_t		 capr;
};

static struct scratch *
scratch(struct inliner *in)
{
	if (in->scratch == NULL)
		in->scratch = xcalloc(1, sizeof(struct scratch));
	return in->scratch;
}

/* The runs of a word: each character in the face that draws it. */
static size_t
word_segments(struct inliner *in, struct state *s, int role, const char *t,
    size_t n, struct wrun **out)
{
	struct fontset	*fs = in->fonts->fs;
	struct scratch	*sc = scratch(in);
	struct wrun	*r = sc->r;
	struct shaped	 sh;
	size_t		 i = 0, nr = 0, len;
	uint32_t	 c;
	int		 face, f;

	while (i < n) {
		if (nr == sc->capr) {
			sc->capr = sc->capr ? sc->capr * 2 : 8;
			r = sc->r = xreallocarray(sc->r, sc->capr, sizeof(*r));
		}
		r[nr].start = i;
		len = utf8_decode(t + i, n - i, &c);
		face = fontset_pick(fs, role, c);
		for (i += len; face >= 0 && i < n; i += len) {
			len = utf8_decode(t + i, n - i, &c);
			if ((f = fontset_pick(fs, role, c)) != face)
				break;
		}
		r[nr].end = i;
		r[nr].face = face;
		if (face < 0) {
			utf8_decode(t + r[nr].start, n - r[nr].start, &c);
			/* said where the text has a place (not a running head) */
			if (s->line > 0 && fontset_warn_once(fs, c))
				diag_warning(s->path, s->line, s->col, "no "
				    "installed font can draw U+%04X; set as "
				    "U+FFFD", (unsigned)c);
			face = fontset_pick(fs, role, 0xFFFD);
			fontset_shape(fs, face >= 0 ? face : role, REPL, 3, &sh);
			r[nr].width = sh.width * size_of(in, s) /
			    fontset_face(fs, (size_t)(face >= 0 ? face :
			    role))->info.units_per_em;
		} else {
			fontset_shape(fs, face, t + r[nr].start,
			    r[nr].end - r[nr].start, &sh);
			r[nr].width = sh.width * size_of(in, s) /
			    fontset_face(fs, (size_t)face)->info.units_per_em;
			r[nr].sh = sh;	/* set as shaped here */
		}
		nr++;
	}
	*out = r;
	return nr;
}

/*
 * The widest piece of a word between the places it may break: wider
 * than the line, the word must break where it can, anywhere.
 */
static double
widest_piece(struct inliner *in, struct state *s, const char *t,
    const struct wrun *r, size_t nr, const struct brk *br, size_t nbr)
{
	struct shaped	 sh;
	size_t		 i, g, k = 0;
	double		 w = 0, widest = 0, scale;
	uint32_t	 off;

	for (i = 0; i < nr; i++) {
		while (k < nbr && br[k].off < r[i].start)
			k++;
		if (k < nbr && br[k].off == r[i].start)
			w = 0;
		if (r[i].face < 0) {
			w += r[i].width;
			widest = w > widest ? w : widest;
			continue;
		}
		fontset_shape(in->fonts->fs, r[i].face, t + r[i].start,
		    r[i].end - r[i].start, &sh);
		scale = size_of(in, s) / fontset_face(in->fonts->fs,
		    (size_t)r[i].face)->info.units_per_em;
		for (g = 0; g < sh.n; g++) {
			off = sh.g[g].cluster + (uint32_t)r[i].start;
			while (k < nbr && br[k].off < off)
				k++;
			if (g > 0 && k < nbr && br[k].off == off &&
			    sh.g[g].cluster != sh.g[g - 1].cluster)
				w = 0;
			w += sh.g[g].adv * scale;
			widest = w > widest ? w : widest;
		}
	}
	return widest;
}

/* The runs of a word into boxes, with its breaks between them. */
static void
word_boxes(struct inliner *in, struct state *s, int role, const char *t,
    const struct wrun *r, size_t nr, const struct brk *br, size_t nbr,
    int emergency)
{
	struct brks	*sb = &scratch(in)->rb;
	struct brk	*rb;
	size_t		 i, j, k = 0;
	int		 f;

	if (sb->cap < nbr) {
		sb->cap = nbr;
		sb->v = xreallocarray(sb->v, sb->cap, sizeof(*sb->v));
	}
	rb = sb->v;
	for (i = 0; i < nr; i++) {
		while (k < nbr && br[k].off < r[i].start)
			k++;
		if (i > 0)
			between(in, s, r[i].face >= 0 ? r[i].face : role,
			    k < nbr && br[k].off == r[i].start ? &br[k] : NULL,
			    emergency);
		if (r[i].face < 0) {
			f = fontset_pick(in->fonts->fs, role, 0xFFFD);
			run(in, s, f >= 0 ? f : role, REPL, 3, NULL, 0, 0, NULL);
			continue;
		}
		while (k < nbr && br[k].off <= r[i].start)
			k++;
		for (j = 0; k < nbr && br[k].off < r[i].end; k++, j++) {
			rb[j] = br[k];
			rb[j].off -= r[i].start;
		}
		run(in, s, r[i].face, t + r[i].start, r[i].end - r[i].start,
		    rb, j, emergency, &r[i].sh);
	}
}

/* A word exactly as given, without breaks: code lines, numbers. */
static void
word_runs(struct inliner *in, struct state *s, int role, const char *t,
    size_t n, const struct brk *br, size_t nbr, int emergency)
{
	struct wrun	*r;
	size_t		 nr = word_segments(in, s, role, t, n, &r);

	word_boxes(in, s, role, t, r, nr, br, nbr, emergency);
}

/* ------------------------------------------------------------ breaks */

static size_t
hyhash(const char *s)
{
	size_t	 h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static uint64_t *
hylookup(struct hycache *c, const char *w, int *found)
{
	size_t		 i, j, oldcap = c->cap;
	char		**ow = c->words;
	uint64_t	*op = c->points;

	if ((c->n + 1) * 2 > c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->words = xcalloc(c->cap, sizeof(*c->words));
		c->points = xcalloc(c->cap, sizeof(*c->points));
		for (i = 0; i < oldcap; i++) {
			if (ow[i] == NULL)
				continue;
			for (j = hyhash(ow[i]) & (c->cap - 1); c->words[j];
			    j = (j + 1) & (c->cap - 1))
				continue;
			c->words[j] = ow[i];
			c->points[j] = op[i];
		}
		free(ow);
		free(op);
	}
	for (i = hyhash(w) & (c->cap - 1); c->words[i] != NULL;
	    i = (i + 1) & (c->cap - 1))
		if (strcmp(c->words[i], w) == 0) {
			*found = 1;
			return &c->points[i];
		}
	*found = 0;
	c->words[i] = xstrdup(w);
	c->n++;
	return &c->points[i];
}

void
hycache_free(struct hycache *c)
{
	size_t	 i;

	for (i = 0; i < c->cap; i++)
		free(c->words[i]);
	free(c->words);
	free(c->points);
	memset(c, 0, sizeof(*c));
}

/* Where libhyphen would break a lowercase word: bit i after letter i. */
static uint64_t
hyphen_points(struct inliner *in, const char *lower, size_t len)
{
	char		 hy[70];
	char		**rep = NULL;
	int		*pos = NULL, *cut = NULL, found;
	uint64_t	*pts = hylookup(in->hycache, lower, &found), m = 0;
	HyphenDict	*d;
	size_t		 i;

	if (found)
		return *pts;
	memset(hy, 0, sizeof(hy));
	if ((d = patterns_word(in->hyph, lower, len)) != NULL &&
	    hnj_hyphen_hyphenate2(d, lower, (int)len, hy, NULL, &rep, &pos,
	    &cut) == 0)
		for (i = 0; i < len; i++)
			if (hy[i] & 1)
				m |= (uint64_t)1 << i;
	if (rep != NULL) {
		for (i = 0; i < len; i++)
			free(rep[i]);
		free(rep);
		free(pos);
		free(cut);
	}
	return *pts = m;
}

static void
add_brk(struct brks *b, size_t off, int pen, int flagged, int glue)
{
	if (b->n == MAX_BREAKS)
		return;
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->v = xreallocarray(b->v, b->cap, sizeof(*b->v));
	}
	b->v[b->n].off = off;
	b->v[b->n].penalty = pen;
	b->v[b->n].flagged = flagged;
	b->v[b->n].glue = glue;
	b->n++;
}

/* Hyphenation points of the letters of an ASCII word, punctuation kept. */
/*
 * Hyphenation points of each run of letters in a word (one joined by a
 * dash or an apostrophe is hyphenated in its parts): two letters at
 * least before a hyphen, three after.
 */
static void
hyphen_breaks(struct inliner *in, const char *t, size_t n, struct brks *b)
{
	char		 lower[64];
	size_t		 a, z, i;
	uint64_t	 pts;

	if (!in->hyphenate || patterns_get(in->hyph) == NULL)
		return;
	for (a = 0; a < n; a = z) {
		while (a < n && !isalpha((unsigned char)t[a]))
			a++;
		for (z = a; z < n && isalpha((unsigned char)t[z]); z++)
			continue;
		/* letters past ASCII: the word is left whole */
		if (z < n && (unsigned char)t[z] >= 0x80 &&
		    ((unsigned char)t[z] & 0xE0) != 0xE0)
			return;
		if (z - a < 5 || z - a >= sizeof(lower))
			continue;
		for (i = a; i < z; i++)
			lower[i - a] = (char)tolower((unsigned char)t[i]);
		lower[z - a] = '\0';
		pts = hyphen_points(in, lower, z - a);
		for (i = 2; i + 3 <= z - a; i++)
			if (pts & ((uint64_t)1 << (i - 1)))
				add_brk(b, a + i, HYPHEN_PENALTY, 1, 0);
	}
}

static int
is_address(const char *t, size_t n)
{
	size_t	 i;

	/* a URL, or an e-mail address */
	for (i = 0; i + 3 <= n; i++)
		if (memcmp(t + i, "://", 3) == 0)
			return 1;
	return memchr(t, '@', n) != NULL && memchr(t, '.', n) != NULL;
}

/*
 * Addresses break without a hyphen after a slash (and the like), as
 * readers of URLs expect; never inside "//".
 */
static void
address_breaks(const char *t, size_t n, struct brks *b)
{
	size_t	 i;

	for (i = 1; i + 1 < n; i++) {
		if (t[i] == '.')
			add_brk(b, i, URL_PENALTY, 0, 0);
		else if (strchr("/-?&=@", t[i]) != NULL &&
		    t[i + 1] != '/' && t[i - 1] != '/')
			add_brk(b, i + 1, URL_PENALTY, 0, 0);
	}
}

/*
 * Code breaks between tokens: after "::", ".", "/", "-", ",", "(" and
 * operators, without a hyphen; after the "_" inside a name at a higher
 * cost (CODE_NAME_PENALTY).
 */
static void
code_breaks(const char *t, size_t n, struct brks *b)
{
	size_t	 i;

	for (i = 1; i + 1 < n; i++) {
		if (t[i] == ':' && t[i + 1] == ':') {
			add_brk(b, i + 2, CODE_PENALTY, 0, 0);
			i++;
		} else if (strchr("./_-,(=&|<>+*", t[i]) != NULL &&
		    strchr(".:/_-=&|<>", t[i + 1]) == NULL)
			add_brk(b, i + 1, t[i] == '_' &&
			    isalnum((unsigned char)t[i - 1]) &&
			    isalnum((unsigned char)t[i + 1]) ?
			    CODE_NAME_PENALTY : CODE_PENALTY, 0, 0);
	}
}

/* After a hyphen or dash written inside a word: "well-|known". */
static void
dash_breaks(const char *t, size_t n, struct brks *b)
{
	size_t	 i;

	for (i = 1; i + 2 < n; i++)
		if (t[i] == '-' && isalpha((unsigned char)t[i - 1]) &&
		    isalpha((unsigned char)t[i + 1]))
			add_brk(b, i + 1, EXHYPHEN_PENALTY, 0, 0);
		else if ((unsigned char)t[i] == 0xE2 && i + 3 < n &&
		    (unsigned char)t[i + 1] == 0x80 &&
		    ((unsigned char)t[i + 2] == 0x93 ||
		    (unsigned char)t[i + 2] == 0x94))
			add_brk(b, i + 3, EXHYPHEN_PENALTY, 0, 0);
}

/*
 * Text without spaces that has characters past Latin: UAX #14's break
 * opportunities (between ideographs, not before closing punctuation),
 * each with a little glue, so that such text justifies.
 */
static void
script_breaks(struct inliner *in, const char *t, size_t n, struct brks *b)
{
	static int	 ready;
	char		*lb;
	size_t		 i;

	for (i = 0; i < n; i++)
		if ((unsigned char)t[i] >= 0xE0)
			break;
	if (i == n)
		return;
	if (!ready) {
		init_linebreak();
		ready = 1;
	}
	lb = xmalloc(n);
	set_linebreaks_utf8((const utf8_t *)t, n, in->lang, lb);
	for (i = 0; i + 1 < n; i++)
		if (lb[i] == LINEBREAK_ALLOWBREAK)
			add_brk(b, i + 1, 0, 0, 1);
	free(lb);
}

static int
brkcmp(const void *a, const void *b)
{
	const struct brk	*x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

static int
current_font(const struct inliner *in, const struct state *s)
{
	int	 bold = s->bold > 0 || in->base == FONT_BOLD;

	if (s->code)
		return FONT_MONO;
	if (bold && s->italic > 0)
		return FONT_BOLDITALIC;
	if (bold)
		return FONT_BOLD;
	return s->italic > 0 ? FONT_ITALIC : FONT_TEXT;
}

/*
 * A word: where it may break, then its runs.  A word wider than the line
 * even between those places breaks where it must (a warning says so).
 */
static void
word(struct inliner *in, struct state *s, int role, const char *t, size_t n)
{
	struct brks	*b = &scratch(in)->br;
	struct wrun	*r;
	size_t		 nr, i;
	double		 w = 0;
	int		 emergency = 0;

	b->n = 0;
	if (s->code || role == FONT_MONO)
		code_breaks(t, n, b);
	else if (is_address(t, n))
		address_breaks(t, n, b);
	else {
		hyphen_breaks(in, t, n, b);
		dash_breaks(t, n, b);
		script_breaks(in, t, n, b);
	}
	if (b->n > 1)
		qsort(b->v, b->n, sizeof(*b->v), brkcmp);
	nr = word_segments(in, s, role, t, n, &r);
	for (i = 0; i < nr; i++)
		w += r[i].width;
	if (w > in->width && widest_piece(in, s, t, r, nr, b->v, b->n) >
	    in->width) {
		emergency = 1;
		if (!s->warned && !in->quiet) {
			diag_warning(s->path, s->line, s->col, "text too wide "
			    "for the line; broken inside a word");
			s->warned = 1;
		}
	} else if (w <= in->width && s->run + w > in->width && s->run > 0 &&
	    in->nitems > 0 && in->items[in->nitems - 1].type == ITEM_BOX)
		/* it only overflows with what is glued before it */
		penalty(in, s, LB_EMERGENCY, 0, role);
	word_boxes(in, s, role, t, r, nr, b->v, b->n, emergency);
}

/* Words and spaces of a literal. */
static void
literal(struct inliner *in, struct state *s, const char *t, int font)
{
	size_t	 n;

	while (*t) {
		if (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r') {
			glue(in, s, font);
			t++;
			continue;
		}
		n = strcspn(t, " \t\n\r");
		word(in, s, font, t, n);
		t += n;
	}
}

void
inline_begin(struct inliner *in, double width, double size, int base,
    double indent)
{
	struct item	*it;

	in->nitems = 0;
	in->nglyphs = 0;
	buf_reset(&in->text);
	in->width = width;
	in->size = size;
	in->base = base;
	in->ragged = 1;		/* justified text says so */
	if (indent > 0) {
		it = push(in);
		it->type = ITEM_BOX;
		it->width = indent;
		it->font = FONT_TEXT;
	}
}

void
inline_text(struct inliner *in, const char *t, int font)
{
	struct state	 s;

	memset(&s, 0, sizeof(s));
	s.link = -1;
	s.path = in->tpath != NULL ? in->tpath : in->path;
	s.line = in->tline;
	s.col = in->tcol;
	literal(in, &s, t, font);
}

/* One line of code exactly as given, its spaces kept: code blocks. */
void
inline_raw(struct inliner *in, int font, const char *t, size_t n)
{
	struct state	 s;

	memset(&s, 0, sizeof(s));
	s.link = -1;
	s.path = in->path;
	word_runs(in, &s, font, t, n, NULL, 0, 0);
}

/* Load an image once; a file libharu cannot read is reported once. */
struct pdfimg *
inline_image(struct inliner *in, size_t idx, const char *path, int line,
    int col)
{
	struct pdfimg		*pi = &in->images[idx];
	const struct image	*im = &in->bk->images[idx];

	if (pi->state != 0)
		return pi->state == 1 ? pi : NULL;
	in->tolerate = 1;
	pi->img = im->type == IMAGE_PNG ?
	    pdfpng_load(in->png, in->doc, im->data, im->len) :
	    im->type == IMAGE_SVG ?
	    pdfpng_svg(in->png, in->doc, im->svg.data, im->svg.len) :
	    HPDF_LoadJpegImageFromMem(in->doc, im->data, (HPDF_UINT)im->len);
	in->tolerate = 0;
	if (pi->img == NULL) {
		diag_warning(path, line, col, "image '%s' is damaged or of a "
		    "kind the PDF cannot hold; its description is shown "
		    "instead", im->path);
		pi->state = -1;
		return NULL;
	}
	pi->state = 1;
	return pi;
}

/* A handout holds one chapter: a link into another cannot be followed. */
static int
elsewhere(const struct inliner *in, const struct link *l)
{
	return in->only >= 0 && l->kind == LINK_INTERNAL &&
	    l->chapter != (size_t)in->only;
}

/* ...so the link becomes text that names the chapter it pointed to. */
static void
name_chapter(struct inliner *in, struct state *s, const struct link *l)
{
	struct buf	 b = { NULL, 0, 0 };

	buf_printf(&b, " (see \xe2\x80\x9c%s\xe2\x80\x9d)",
	    in->bk->chapters[l->chapter].title);
	literal(in, s, b.data, current_font(in, s));
	buf_free(&b);
}

/* Decorations of the HTML elements authors write inline. */
static int
element_deco(const struct element *e, int *code)
{
	if (strcmp(e->name, "sup") == 0)
		return DECO_SUP;
	if (strcmp(e->name, "sub") == 0)
		return DECO_SUB;
	if (strcmp(e->name, "u") == 0 || strcmp(e->name, "ins") == 0)
		return DECO_UNDER;
	if (strcmp(e->name, "mark") == 0)
		return DECO_MARK;
	if (strcmp(e->name, "kbd") == 0) {
		*code = 1;
		return DECO_KBD;
	}
	return 0;
}

static void
inline_image_box(struct inliner *in, struct state *s, cmark_node *n)
{
	const struct image	*im;
	struct pdfimg		*pi;
	struct item		*it;
	double			 h;

	if ((im = book_image(in->bk, n)) == NULL ||
	    (pi = inline_image(in, (size_t)(im - in->bk->images), s->path,
	    s->line, s->col)) == NULL)
		return;
	h = in->size;
	it = push(in);
	it->type = ITEM_BOX;
	it->font = FONT_IMAGE;
	it->size = (float)h;
	it->text = (size_t)(im - in->bk->images);
	it->width = h * HPDF_Image_GetWidth(pi->img) /
	    (HPDF_Image_GetHeight(pi->img) ? HPDF_Image_GetHeight(pi->img) :
	    1);
	if (it->width > in->width)
		it->width = in->width;
	it->link = s->link;
	it->src = n;	/* its description, for the structure tree */
}

/* A note's number, raised, linking to the note. */
static void
note_ref(struct inliner *in, struct state *s, const struct note *no)
{
	char	 num[16];
	int	 deco = s->deco;

	snprintf(num, sizeof(num), "%d", in->notes_book ? no->booknumber :
	    no->number);
	s->deco |= DECO_SUP;
	word_runs(in, s, current_font(in, s), num, strlen(num), NULL, 0, 0);
	in->items[in->nitems - 1].note = (int)(no - in->bk->notes) + 1;
	s->deco = deco;
}

void
inline_node(struct inliner *in, cmark_node *block)
{
	cmark_iter		*it = cmark_iter_new(block);
	cmark_event_type	 ev;
	cmark_node		*n;
	const struct link	*l;
	const struct element	*e;
	const struct note	*no;
	struct item		*box_;
	struct state		 s;
	cmark_node_type		 t;
	int			 enter, code, d;

	memset(&s, 0, sizeof(s));
	s.link = -1;
	s.path = in->path;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		enter = ev == CMARK_EVENT_ENTER;
		t = cmark_node_get_type(n);
		if (enter && in->bk != NULL)
			book_where(in->bk, in->source, n, &s.path, &s.line,
			    &s.col);
		if (t == CMARK_NODE_STRIKETHROUGH) {
			s.deco = enter ? s.deco | DECO_STRIKE :
			    s.deco & ~DECO_STRIKE;
			continue;
		}
		switch (t) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			s.code += t == CMARK_NODE_CODE;
			s.node = n;
			s.lit = cmark_node_get_literal(n);
			s.litlen = s.lit ? strlen(s.lit) : 0;
			if (s.lit != NULL)
				literal(in, &s, s.lit, current_font(in, &s));
			s.node = NULL;
			s.code -= t == CMARK_NODE_CODE;
			break;
		case CMARK_NODE_SOFTBREAK:
			glue(in, &s, current_font(in, &s));
			break;
		case CMARK_NODE_LINEBREAK:
			box_ = push(in);	/* keeps the break's glue */
			box_->type = ITEM_GLUE;
			box_->stretch = 1e5;
			penalty(in, &s, -LB_INF, 0, FONT_TEXT);
			break;
		case CMARK_NODE_EMPH:
			s.italic += enter ? 1 : -1;
			break;
		case CMARK_NODE_STRONG:
			s.bold += enter ? 1 : -1;
			break;
		case CMARK_NODE_LINK:
			l = book_link(in->bk, n);
			s.link = enter && l ? (int)(l - in->bk->links) : -1;
			if (l != NULL && elsewhere(in, l)) {
				s.link = -1;
				if (!enter)
					name_chapter(in, &s, l);
			}
			break;
		case CMARK_NODE_IMAGE:
			if (enter)
				inline_image_box(in, &s, n);
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			break;
		case CMARK_NODE_FOOTNOTE_REFERENCE:
			if (enter && (no = book_note(in->bk, n)) != NULL)
				note_ref(in, &s, no);
			break;
		case CMARK_NODE_CUSTOM_INLINE:
			if ((e = book_element(in->bk, n)) == NULL)
				break;
			code = 0;
			d = element_deco(e, &code);
			if (enter) {
				s.deco |= d;
				s.code += code;
			} else {
				s.deco &= ~d;
				s.code -= code;
			}
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

/* Close the paragraph: fill the last line and force the final break. */
void
inline_end(struct inliner *in)
{
	struct item	*it;

	while (in->nitems > 0 && in->items[in->nitems - 1].type != ITEM_BOX)
		in->nitems--;
	it = push(in);
	it->type = ITEM_PENALTY;
	it->penalty = LB_INF;
	it = push(in);
	it->type = ITEM_GLUE;
	it->stretch = 1e5;
	it = push(in);
	it->type = ITEM_PENALTY;
	it->penalty = -LB_INF;
}

void
inline_free(struct inliner *in)
{
	struct scratch	*sc = in->scratch;

	if (sc != NULL) {
		free(sc->br.v);
		free(sc->rb.v);
		free(sc->r);
		free(sc);
		in->scratch = NULL;
	}
	free(in->items);
	free(in->glyphs);
	buf_free(&in->text);
	in->items = NULL;
	in->glyphs = NULL;
	in->nitems = in->cap = 0;
	in->nglyphs = in->capglyphs = 0;
}

/* Move what the inliner holds into st, leaving it empty. */
void
inline_save(struct inliner *in, struct inl_store *st)
{
	st->items = in->items;
	st->nitems = in->nitems;
	st->cap = in->cap;
	st->glyphs = in->glyphs;
	st->nglyphs = in->nglyphs;
	st->capglyphs = in->capglyphs;
	st->text = in->text;
	st->size = in->size;
	in->items = NULL;
	in->nitems = in->cap = 0;
	in->glyphs = NULL;
	in->nglyphs = in->capglyphs = 0;
	memset(&in->text, 0, sizeof(in->text));
}

/* Put st back into the inliner (what it held is freed); st is emptied. */
void
inline_restore(struct inliner *in, struct inl_store *st)
{
	inline_free(in);
	in->items = st->items;
	in->nitems = st->nitems;
	in->cap = st->cap;
	in->glyphs = st->glyphs;
	in->nglyphs = st->nglyphs;
	in->capglyphs = st->capglyphs;
	in->text = st->text;
	in->size = st->size;
	memset(st, 0, sizeof(*st));
}

void
inline_store_free(struct inl_store *st)
{
	free(st->items);
	free(st->glyphs);
	buf_free(&st->text);
	memset(st, 0, sizeof(*st));
}

/*
 * A run of code of one token class: its words break only between
 * tokens, its spaces keep their width, and its boxes carry the class's
 * decoration and colour.  lit: the node's literal t lies in, if it does,
 * for the e-book's page markers.
 */
void
inline_code(struct inliner *in, const char *t, size_t n, int deco, int color,
    cmark_node *src, const char *lit)
{
	struct state	 s;
	struct item	*it;
	size_t		 i = 0, w;
	double		 sw;

	memset(&s, 0, sizeof(s));
	s.link = -1;
	s.path = in->path;
	s.code = 1;
	s.deco = deco;
	s.color = color;
	s.node = src;
	s.lit = lit;
	s.litlen = lit != NULL ? strlen(lit) : 0;
	sw = space_width(in, FONT_MONO, in->size);
	while (i < n) {
		if (t[i] == ' ') {
			it = push(in);
			it->type = ITEM_GLUE;
			it->width = sw;
			i++;
			continue;
		}
		w = strcspn(t + i, " ");
		if (w > n - i)
			w = n - i;
		word(in, &s, FONT_MONO, t + i, w);
		i += w;
	}
}
