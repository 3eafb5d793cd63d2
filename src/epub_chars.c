/*
 * The characters each of the e-book's fonts must have, collected once
 * from the book before the fonts are cut down to them (epub_font.c).
 *
 * A character goes in the face it is set in, as the stylesheet and a
 * reading system's defaults choose it: emphasis and figure captions in
 * italic, strong emphasis, headings and table headers in bold, both in
 * bold italic, code spans and blocks in mono.  The text face has every
 * character besides, and a set a reader may need to search for or a
 * reading system may show: printable ASCII, Latin-1, common punctuation,
 * the euro sign and U+FFFD.  The other faces have printable ASCII, the
 * no-break space and the hyphens a reading system adds where it breaks a
 * word, so that a slip here costs a foreign glyph at worst, and no more.
 *
 * A set is a bitmap of every code point, 136 KB a face, so adding is
 * constant time and the order of the set is the code points' own.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "buf.h"
#include "changes.h"
#include "epub.h"
#include "markdown.h"
#include "style.h"
#include "utf8.h"

struct epub_chars {
	uint64_t	 bits[FONT__MAX][EPUB_CHARS_END / 64];
	/* a bit a word of bits that has one: a walk skips the empty
	   planes without reading (and faulting in) their pages */
	uint64_t	 words[FONT__MAX][EPUB_CHARS_END / 64 / 64];
	size_t		 n[FONT__MAX];
};

/* [lo, hi] ranges: in the text face whatever the book holds */
static const uint32_t always_text[][2] = {
	{ 0x0020, 0x007E },	/* printable ASCII */
	{ 0x00A0, 0x00FF },	/* Latin-1 */
	{ 0x2010, 0x2027 },	/* dashes, quotes, bullets, ellipsis */
	{ 0x2030, 0x203A },	/* per mille, primes, guillemets */
	{ 0x20AC, 0x20AC },	/* euro */
	{ 0xFFFD, 0xFFFD },	/* the replacement character */
};

/* and in every face */
static const uint32_t always[][2] = {
	{ 0x0020, 0x007E },
	{ 0x00A0, 0x00A0 },	/* no-break space */
	{ 0x00AD, 0x00AD },	/* soft hyphen */
	{ 0x2010, 0x2010 },	/* hyphen */
};

/*
 * What folio itself writes in the e-book's documents, in the face it is
 * set in.  All ASCII today, and so in the fonts already; listed so that
 * a word changed here is not forgotten there.
 */
static const struct {
	const char	*s;
	int		 font;
} own[] = {
	{ "Contents", FONT_BOLD },
	{ "Figure 0123456789. ", FONT_ITALIC },
	{ "Notes", FONT_BOLD },
	{ CHANGES_TITLE, FONT_BOLD },
	{ "Edition 0123456789", FONT_TEXT },
	{ "Pages", FONT_BOLD },
	{ "Landmarks", FONT_BOLD },
	{ "Cover Title page Start of content", FONT_TEXT },
};

static void
set(struct epub_chars *ch, int font, uint32_t c)
{
	uint64_t	*w = &ch->bits[font][c / 64];
	uint64_t	 bit = (uint64_t)1 << (c % 64);

	if ((*w & bit) == 0) {
		*w |= bit;
		ch->words[font][c / 64 / 64] |= (uint64_t)1 << (c / 64 % 64);
		ch->n[font]++;
	}
}

struct epub_chars *
epub_chars_new(void)
{
	struct epub_chars	*ch = xcalloc(1, sizeof(*ch));
	size_t			 i;
	uint32_t		 c;
	int			 f;

	for (i = 0; i < sizeof(always_text) / sizeof(always_text[0]); i++)
		for (c = always_text[i][0]; c <= always_text[i][1]; c++)
			set(ch, FONT_TEXT, c);
	for (f = 0; f < FONT__MAX; f++)
		for (i = 0; i < sizeof(always) / sizeof(always[0]); i++)
			for (c = always[i][0]; c <= always[i][1]; c++)
				set(ch, f, c);
	return ch;
}

void
epub_chars_free(struct epub_chars *ch)
{
	free(ch);
}

/* A character set in face font: it goes in that face and the text's. */
void
epub_chars_add(struct epub_chars *ch, int font, uint32_t c)
{
	if (c >= EPUB_CHARS_END || font < 0 || font >= FONT__MAX)
		return;
	set(ch, font, c);
	set(ch, FONT_TEXT, c);
}

int
epub_chars_has(const struct epub_chars *ch, int font, uint32_t c)
{
	return c < EPUB_CHARS_END && font >= 0 && font < FONT__MAX &&
	    (ch->bits[font][c / 64] >> (c % 64) & 1) != 0;
}

size_t
epub_chars_count(const struct epub_chars *ch, int font)
{
	return font >= 0 && font < FONT__MAX ? ch->n[font] : 0;
}

/* The first code point of a face's set from c on; EPUB_CHARS_END if none. */
uint32_t
epub_chars_next(const struct epub_chars *ch, int font, uint32_t c)
{
	uint64_t	 w;

	if (font < 0 || font >= FONT__MAX)
		return EPUB_CHARS_END;
	while (c < EPUB_CHARS_END) {
		if ((ch->words[font][c / 64 / 64] >> (c / 64 % 64)) == 0) {
			c = (c / 64 / 64 + 1) * 64 * 64;
			continue;
		}
		w = ch->bits[font][c / 64] >> (c % 64);
		if (w == 0) {
			c = (c / 64 + 1) * 64;
			continue;
		}
		while ((w & 1) == 0) {
			w >>= 1;
			c++;
		}
		return c;
	}
	return EPUB_CHARS_END;
}

/*
 * The characters of UTF-8 text set in face font; a malformed byte is
 * U+FFFD, as the XHTML writer makes it.  ASCII is skipped: what of it can
 * be set is in every face already, and the rest (controls) is never drawn.
 */
void
epub_chars_text(struct epub_chars *ch, int font, const char *s, size_t n)
{
	size_t		 i = 0;
	uint32_t	 c;

	if (s == NULL)
		return;
	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		i += utf8_decode(s + i, n - i, &c);
		epub_chars_add(ch, font, c);
	}
}

static void
str(struct epub_chars *ch, int font, const char *s)
{
	if (s != NULL)
		epub_chars_text(ch, font, s, strlen(s));
}

static int
face(int italic, int bold)
{
	if (italic)
		return bold ? FONT_BOLDITALIC : FONT_ITALIC;
	return bold ? FONT_BOLD : FONT_TEXT;
}

/*
 * Every literal the XHTML writer sets from a tree, in its face; italic
 * says the tree is set in italic (a caption).  Containers have an enter
 * and an exit event each, so the depths come back to 0.
 */
static void
tree(struct epub_chars *ch, cmark_node *root, int italic)
{
	cmark_iter		*it;
	cmark_event_type	 ev;
	cmark_node		*n;
	cmark_node_type		 t;
	int			 d, emph = 0, bold = 0;

	if (root == NULL)
		return;
	it = cmark_iter_new(root);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		d = ev == CMARK_EVENT_ENTER ? 1 : -1;
		t = cmark_node_get_type(n);
		if (t == CMARK_NODE_EMPH)
			emph += d;
		else if (t == CMARK_NODE_STRONG || t == CMARK_NODE_HEADING ||
		    (t == CMARK_NODE_TABLE_CELL &&
		    markdown_table_header(cmark_node_parent(n))))
			bold += d;
		else if (t == CMARK_NODE_TEXT)
			str(ch, face(italic || emph > 0, bold > 0),
			    cmark_node_get_literal(n));
		else if (t == CMARK_NODE_CODE || t == CMARK_NODE_CODE_BLOCK)
			str(ch, FONT_MONO, cmark_node_get_literal(n));
	}
	cmark_iter_free(it);
}

static void
changes(struct epub_chars *ch, const struct changes *c)
{
	struct buf	 t = { NULL, 0, 0 };
	size_t		 i;

	changes_intro(c, &t);
	for (i = 0; i < c->n && i < CHANGES_LISTED; i++) {
		str(ch, FONT_BOLD, changes_label(&c->v[i]));
		str(ch, FONT_TEXT, c->v[i].title);
		changes_detail(&c->v[i], &t);
	}
	if (c->n > CHANGES_LISTED)
		changes_more(c, &t);
	epub_chars_text(ch, FONT_TEXT, t.data, t.len);
	buf_free(&t);
}

/*
 * Add what the e-book of bk sets; chg is its changes page, or NULL.  The
 * print page labels are not known yet; they are ASCII.
 */
void
epub_chars_book(struct epub_chars *ch, const struct book *bk,
    const struct changes *chg)
{
	const struct meta	*m = &bk->meta;
	size_t			 i;

	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		str(ch, own[i].font, own[i].s);
	/* the title page's heading, and the colophon's italic title */
	str(ch, FONT_BOLD, bk->title);
	str(ch, FONT_ITALIC, bk->title);
	str(ch, FONT_TEXT, m->subtitle.s);
	for (i = 0; i < m->authors.n; i++)
		str(ch, FONT_TEXT, m->authors.v[i].s);
	str(ch, FONT_TEXT, m->date.s);
	str(ch, FONT_TEXT, m->edition.s);
	str(ch, FONT_TEXT, m->publisher.s);
	str(ch, FONT_TEXT, m->rights.s);
	str(ch, FONT_TEXT, bk->identifier);
	/* the contents */
	for (i = 0; i < bk->nchapters; i++)
		str(ch, FONT_TEXT, bk->chapters[i].title);
	for (i = 0; i < bk->nheadings; i++)
		str(ch, FONT_TEXT, bk->headings[i].text);
	for (i = 0; i < bk->nsegments; i++)
		tree(ch, bk->segments[i].doc, 0);
	for (i = 0; i < bk->nnotes; i++)
		tree(ch, bk->notes[i].def, 0);
	for (i = 0; i < bk->nfigures; i++) {
		str(ch, FONT_ITALIC, bk->figures[i].caption);
		tree(ch, bk->figures[i].caption_node, 1);
	}
	if (chg != NULL)
		changes(ch, chg);
}
