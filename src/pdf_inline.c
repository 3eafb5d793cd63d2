/*
 * From inline content to the line breaker's items.  Words become boxes
 * (split where the font changes or a fallback font must draw a glyph),
 * spaces become stretchable glue, hyphenation points from libhyphen
 * become flagged penalties, and text too wide for any line gets
 * emergency break points so that nothing overruns the text block.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "diag.h"
#include "pdf_int.h"
#include "utf8.h"

#define HYPHEN_PENALTY		50
#define URL_PENALTY		100
#define ADDRESS_PENALTY		200	/* inside an address part */

struct state {
	int	 italic, bold, code;
	int	 link;
	double	 run;		/* width since the last break point */
	int	 line, col;	/* source position, for warnings */
	int	 warned;
	int	 address;	/* break anywhere, without a hyphen */
	cmark_node *node;	/* the text or code node being set */
	const char *lit;	/* and its literal */
	size_t	 litlen;
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

static void
glue(struct inliner *in, struct state *s, int font)
{
	struct item	*it;
	double		 w;

	if (in->nitems == 0 || in->items[in->nitems - 1].type != ITEM_BOX)
		return;
	w = fonts_width(in->fonts, font, " ", 1, in->size);
	it = push(in);
	it->type = ITEM_GLUE;
	it->width = w;
	it->stretch = w / 2;
	it->shrink = w / 3;
	it->link = s->link;
	s->run = 0;
}

static void
penalty(struct inliner *in, struct state *s, int value, int flagged,
    int font)
{
	struct item	*it = push(in);

	it->type = ITEM_PENALTY;
	it->penalty = value;
	it->flagged = flagged;
	it->width = flagged ? fonts_width(in->fonts, font, "-", 1, in->size) :
	    0;
	it->font = font;
	s->run = 0;
}

static void
box(struct inliner *in, struct state *s, int font, const char *t, size_t n,
    double w)
{
	struct item	*it = push(in);

	it->type = ITEM_BOX;
	it->font = font;
	it->size = (float)in->size;
	it->text = in->text.len;
	it->len = n;
	it->width = w;
	it->link = s->link;
	/* where the text came from, for the e-book's page markers */
	if (s->node != NULL && t >= s->lit && t < s->lit + s->litlen) {
		it->src = s->node;
		it->off = (size_t)(t - s->lit);
	}
	buf_put(&in->text, t, n);
	s->run += w;
}

/*
 * Text in one font, w wide, as boxes: one, or one per run between kerned
 * pairs, each run's width carrying the kern that follows it (libharu
 * cannot kern inside a string).
 */
static void
kerned(struct inliner *in, struct state *s, int font, const char *t,
    size_t n, double w)
{
	size_t		 i = 0, start = 0, len;
	uint32_t	 c, next;
	double		 k;

	if (in->fonts->kern[font] == NULL) {
		box(in, s, font, t, n, w);	/* measured already */
		return;
	}
	for (i = utf8_decode(t, n, &c); i < n; i += len) {
		len = utf8_decode(t + i, n - i, &next);
		k = fonts_kern(in->fonts, font, c, next, in->size);
		if (k != 0) {
			box(in, s, font, t + start, i - start,
			    fonts_width(in->fonts, font, t + start, i - start,
			    in->size) + k);
			start = i;
		}
		c = next;
	}
	box(in, s, font, t + start, n - start, fonts_width(in->fonts, font,
	    t + start, n - start, in->size));
}

static void
emergency_stretch(struct inliner *in, struct state *s)
{
	struct item	*it = push(in);

	it->type = ITEM_GLUE;
	it->stretch = in->size * 0.1;
	it->link = s->link;
}

/*
 * Set a piece of text in one font.  Text wider than the line may break
 * after any code point (with a hyphen, and a warning); a piece that only
 * overflows with the text glued before it may break before it.  Either
 * is an emergency the line breaker takes only when nothing else fits.
 */
static void
piece(struct inliner *in, struct state *s, int font, const char *t,
    size_t n)
{
	double		 w = fonts_width(in->fonts, font, t, n, in->size);
	size_t		 i, len;
	uint32_t	 c;

	if (s->run + w <= in->width && !s->address) {
		kerned(in, s, font, t, n, w);
		return;
	}
	if (w <= in->width && !s->address) {
		penalty(in, s, LB_EMERGENCY, 1, font);
		kerned(in, s, font, t, n, w);
		return;
	}
	if (!s->warned && w > in->width) {
		diag_warning(in->path, s->line, s->col, "text too wide for "
		    "the line; broken inside a word");
		s->warned = 1;
	}
	for (i = 0; i < n; i += len) {
		len = utf8_decode(t + i, n - i, &c);
		if (i > 0) {
			/*
			 * A line made of such pieces has no spaces to
			 * stretch; a little letter-space keeps it feasible.
			 */
			if (s->address)
				penalty(in, s, ADDRESS_PENALTY, 0, font);
			else
				penalty(in, s, LB_EMERGENCY, 1, font);
			emergency_stretch(in, s);
		}
		box(in, s, font, t + i, len,
		    fonts_width(in->fonts, font, t + i, len, in->size));
	}
}

/*
 * Set a word, switching to the fallback font (text <-> mono) for glyphs
 * the font lacks; a glyph neither has is drawn as U+FFFD, with a warning.
 */
static void
word(struct inliner *in, struct state *s, int font, const char *t, size_t n)
{
	int		 alt = font == FONT_MONO ? FONT_TEXT : FONT_MONO, f, cur;
	size_t		 i, start, len;
	uint32_t	 c;
	struct buf	 fix = { NULL, 0, 0 };

	cur = -1;
	for (i = start = 0; i < n; i += len) {
		len = utf8_decode(t + i, n - i, &c);
		if (fonts_has(in->fonts, font, c))
			f = font;
		else if (fonts_has(in->fonts, alt, c))
			f = alt;
		else {
			if (i > start)
				piece(in, s, cur, t + start, i - start);
			diag_warning(in->path, s->line, s->col, "no font can "
			    "draw U+%04X; set as U+FFFD", (unsigned)c);
			buf_reset(&fix);
			utf8_encode(&fix, fonts_has(in->fonts, font, 0xFFFD) ?
			    0xFFFD : '?');
			f = fonts_has(in->fonts, font, 0xFFFD) ? font : alt;
			piece(in, s, f, fix.data, fix.len);
			start = i + len;
			cur = -1;
			continue;
		}
		if (cur != -1 && f != cur) {
			piece(in, s, cur, t + start, i - start);
			start = i;
		}
		cur = f;
	}
	if (n > start && cur != -1)
		piece(in, s, cur, t + start, n - start);
	buf_free(&fix);
}

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
	size_t		 i;

	if (found)
		return *pts;
	memset(hy, 0, sizeof(hy));
	if (hnj_hyphen_hyphenate2(in->hyph, lower, (int)len, hy, NULL, &rep,
	    &pos, &cut) == 0)
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

/* Hyphenate the letters of an ASCII word, keeping its punctuation. */
static void
hyphenated(struct inliner *in, struct state *s, int font, const char *t,
    size_t n)
{
	char		 lower[64];
	size_t		 a = 0, z = n, i, last;
	uint64_t	 pts;

	while (a < n && !isalpha((unsigned char)t[a]))
		a++;
	while (z > a && !isalpha((unsigned char)t[z - 1]))
		z--;
	if (!in->hyphenate || in->hyph == NULL || z - a < 5 ||
	    z - a >= sizeof(lower))
		goto plain;
	for (i = a; i < z; i++) {
		if (!isalpha((unsigned char)t[i]))
			goto plain;
		lower[i - a] = (char)tolower((unsigned char)t[i]);
	}
	lower[z - a] = '\0';
	pts = hyphen_points(in, lower, z - a);
	/* two letters at least before a hyphen, three after */
	for (last = 0, i = 2; i + 3 <= z - a; i++) {
		if (!(pts & ((uint64_t)1 << (i - 1))))
			continue;
		word(in, s, font, t + last, a + i - last);
		penalty(in, s, HYPHEN_PENALTY, 1, font);
		last = a + i;
	}
	word(in, s, font, t + last, n - last);
	return;
plain:
	word(in, s, font, t, n);
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
 * Addresses and code are not hyphenated.  They may break without a
 * hyphen after a slash (and the like), as readers of URLs expect, and an
 * address, in an emergency, anywhere.
 */
static void
address(struct inliner *in, struct state *s, int font, const char *t,
    size_t n)
{
	size_t	 i, last = 0;

	s->address = font != FONT_MONO;
	for (i = 1; i + 1 < n; i++) {
		/* after / - ? & = @, or before a dot; never inside // */
		if (t[i] == '.' && i > last) {
			word(in, s, font, t + last, i - last);
			penalty(in, s, URL_PENALTY, 0, font);
			last = i;
		} else if (strchr("/-?&=@", t[i]) != NULL &&
		    t[i + 1] != '/' && t[i - 1] != '/') {
			word(in, s, font, t + last, i + 1 - last);
			penalty(in, s, URL_PENALTY, 0, font);
			last = i + 1;
		}
	}
	word(in, s, font, t + last, n - last);
	s->address = 0;
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
		if (font == FONT_MONO || is_address(t, n))
			address(in, s, font, t, n);
		else
			hyphenated(in, s, font, t, n);
		t += n;
	}
}

void
inline_begin(struct inliner *in, double width, double size, int base,
    double indent)
{
	struct item	*it;

	in->nitems = 0;
	buf_reset(&in->text);
	in->width = width;
	in->size = size;
	in->base = base;
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
	literal(in, &s, t, font);
}

/* One box of text exactly as given: code lines, already cut to fit. */
void
inline_raw(struct inliner *in, int font, const char *t, size_t n)
{
	struct state	 s;

	memset(&s, 0, sizeof(s));
	s.link = -1;
	box(in, &s, font, t, n, fonts_width(in->fonts, font, t, n, in->size));
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
	    pdfpng_svg(in->doc, im->svg.data, im->svg.len) :
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

void
inline_node(struct inliner *in, cmark_node *block)
{
	cmark_iter		*it = cmark_iter_new(block);
	cmark_event_type	 ev;
	cmark_node		*n;
	const struct link	*l;
	const struct image	*im;
	struct pdfimg		*pi;
	struct item		*box_;
	struct state		 s;
	int			 enter;
	double			 h;

	memset(&s, 0, sizeof(s));
	s.link = -1;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		enter = ev == CMARK_EVENT_ENTER;
		s.line = cmark_node_get_start_line(n);
		s.col = cmark_node_get_start_column(n);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			s.code = cmark_node_get_type(n) == CMARK_NODE_CODE;
			s.node = n;
			s.lit = cmark_node_get_literal(n);
			s.litlen = s.lit ? strlen(s.lit) : 0;
			if (s.lit != NULL)
				literal(in, &s, s.lit, current_font(in, &s));
			s.node = NULL;
			s.code = 0;
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
			if (!enter || (im = book_image(in->bk, n)) == NULL ||
			    (pi = inline_image(in, (size_t)(im -
			    in->bk->images), in->path, s.line, s.col)) == NULL)
				break;
			h = in->size;
			box_ = push(in);
			box_->type = ITEM_BOX;
			box_->font = FONT_IMAGE;
			box_->size = (float)h;
			box_->text = (size_t)(im - in->bk->images);
			box_->width = h * HPDF_Image_GetWidth(pi->img) /
			    (HPDF_Image_GetHeight(pi->img) ?
			    HPDF_Image_GetHeight(pi->img) : 1);
			if (box_->width > in->width)
				box_->width = in->width;
			box_->link = s.link;
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
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
	free(in->items);
	buf_free(&in->text);
	in->items = NULL;
	in->nitems = in->cap = 0;
}
