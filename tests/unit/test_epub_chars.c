/* The characters each of the e-book's fonts keeps (epub_chars.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "book.h"
#include "diag.h"
#include "epub.h"
#include "style.h"
#include "unit.h"

static void
write_file(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	if (f == NULL)
		return;
	fputs(text, f);
	fclose(f);
}

static void
copy_file(const char *from, const char *to)
{
	FILE	*in = fopen(from, "rb"), *out = fopen(to, "wb");
	char	 b[4096];
	size_t	 n;

	while (in != NULL && out != NULL && (n = fread(b, 1, sizeof(b),
	    in)) > 0)
		fwrite(b, 1, n, out);
	if (in != NULL)
		fclose(in);
	if (out != NULL)
		fclose(out);
}

static void
test_sets(void)
{
	struct epub_chars	*ch = epub_chars_new();
	uint32_t		 c, prev;
	size_t			 n;
	int			 f;

	/* the text face's own set, whatever the book */
	for (c = 0x20; c <= 0x7E; c++)
		CHECK(epub_chars_has(ch, FONT_TEXT, c));
	for (c = 0xA0; c <= 0xFF; c++)
		CHECK(epub_chars_has(ch, FONT_TEXT, c));
	CHECK(epub_chars_has(ch, FONT_TEXT, 0x2010));
	CHECK(epub_chars_has(ch, FONT_TEXT, 0x2027));
	CHECK(!epub_chars_has(ch, FONT_TEXT, 0x2028));
	CHECK(epub_chars_has(ch, FONT_TEXT, 0x2030));
	CHECK(epub_chars_has(ch, FONT_TEXT, 0x203A));
	CHECK(epub_chars_has(ch, FONT_TEXT, 0x20AC));
	CHECK(epub_chars_has(ch, FONT_TEXT, 0xFFFD));
	CHECK(!epub_chars_has(ch, FONT_TEXT, 0x1F));
	CHECK(!epub_chars_has(ch, FONT_TEXT, 0x7F));
	CHECK(!epub_chars_has(ch, FONT_TEXT, 0x9F));
	CHECK(epub_chars_count(ch, FONT_TEXT) == 95 + 96 + 24 + 11 + 1 + 1);
	/* the other faces: ASCII, the no-break space and the hyphens */
	for (f = FONT_ITALIC; f < FONT__MAX; f++) {
		CHECK(epub_chars_has(ch, f, 'a'));
		CHECK(epub_chars_has(ch, f, 0xA0));
		CHECK(epub_chars_has(ch, f, 0xAD));
		CHECK(epub_chars_has(ch, f, 0x2010));
		CHECK(!epub_chars_has(ch, f, 0xE9));
		CHECK(!epub_chars_has(ch, f, 0x2019));
		CHECK(epub_chars_count(ch, f) == 95 + 3);
	}

	/* a character goes in its face and the text's */
	epub_chars_add(ch, FONT_ITALIC, 0x3B1);
	CHECK(epub_chars_has(ch, FONT_ITALIC, 0x3B1));
	CHECK(epub_chars_has(ch, FONT_TEXT, 0x3B1));
	CHECK(!epub_chars_has(ch, FONT_BOLD, 0x3B1));
	CHECK(epub_chars_count(ch, FONT_ITALIC) == 99);
	epub_chars_add(ch, FONT_ITALIC, 0x3B1);
	CHECK(epub_chars_count(ch, FONT_ITALIC) == 99);

	/* out of range: ignored */
	n = epub_chars_count(ch, FONT_TEXT);
	epub_chars_add(ch, FONT_TEXT, EPUB_CHARS_END);
	epub_chars_add(ch, FONT_TEXT, 0xFFFFFFFF);
	epub_chars_add(ch, -1, 0x3B2);
	epub_chars_add(ch, FONT__MAX, 0x3B2);
	CHECK(epub_chars_count(ch, FONT_TEXT) == n);
	CHECK(!epub_chars_has(ch, FONT_TEXT, 0xFFFFFFFF));
	CHECK(!epub_chars_has(ch, FONT__MAX, 'a'));
	CHECK(epub_chars_count(ch, -1) == 0);
	CHECK(epub_chars_next(ch, FONT__MAX, 0) == EPUB_CHARS_END);

	/* UTF-8: two-, three- and four-byte characters, damage, the end */
	epub_chars_text(ch, FONT_MONO, "x\xce\xbb\xe2\x86\x92\xf0\x9f\x98\x80",
	    10);
	CHECK(epub_chars_has(ch, FONT_MONO, 0x3BB));
	CHECK(epub_chars_has(ch, FONT_MONO, 0x2192));
	CHECK(epub_chars_has(ch, FONT_MONO, 0x1F600));
	CHECK(epub_chars_has(ch, FONT_TEXT, 0x1F600));
	CHECK(!epub_chars_has(ch, FONT_MONO, 0xFFFD));
	epub_chars_text(ch, FONT_BOLD, "\xff", 1);
	CHECK(epub_chars_has(ch, FONT_BOLD, 0xFFFD));
	epub_chars_text(ch, FONT_BOLDITALIC, "\xe2\x86", 2);
	CHECK(epub_chars_has(ch, FONT_BOLDITALIC, 0xFFFD));
	epub_chars_text(ch, FONT_BOLDITALIC, NULL, 5);
	epub_chars_add(ch, FONT_MONO, 0x10FFFF);
	CHECK(epub_chars_has(ch, FONT_MONO, 0x10FFFF));

	/* in order, each once, to the end */
	n = 0;
	prev = 0;
	for (c = epub_chars_next(ch, FONT_MONO, 0); c < EPUB_CHARS_END;
	    c = epub_chars_next(ch, FONT_MONO, c + 1)) {
		CHECK(n == 0 || c > prev);
		CHECK(epub_chars_has(ch, FONT_MONO, c));
		prev = c;
		n++;
	}
	CHECK(n == epub_chars_count(ch, FONT_MONO));
	CHECK(prev == 0x10FFFF);
	CHECK(epub_chars_next(ch, FONT_MONO, 0x110000) == EPUB_CHARS_END);
	CHECK(epub_chars_next(ch, FONT_MONO, 0x7F) == 0xA0);
	/* across the empty blocks between */
	CHECK(epub_chars_next(ch, FONT_MONO, 0x2193) == 0x1F600);
	CHECK(epub_chars_next(ch, FONT_MONO, 0x1F601) == 0x10FFFF);
	epub_chars_free(ch);
}

/* The walk: each character in the face the e-book sets it in. */
static void
test_book(void)
{
	char			 dir[] = "/tmp/folio-chars-XXXXXX", path[128];
	struct book		 bk;
	struct book_input	 in;
	struct epub_chars	*ch;

	if (mkdtemp(dir) == NULL) {
		CHECK(0);
		return;
	}
	snprintf(path, sizeof(path), "%s/images", dir);
	CHECK(mkdir(path, 0700) == 0);
	snprintf(path, sizeof(path), "%s/images/figure.png", dir);
	copy_file("tests/cases/book/images/figure.png", path);
	snprintf(path, sizeof(path), "%s/book.md", dir);
	write_file(path,
	    "---\ntitle: \"Τίτλος\"\nauthor: \"Ǆemal\"\n"
	    "rights: \"© Ŧ\"\n---\n\n"
	    "# Heading Ω with *Ж*\n\n"
	    "Plain ŋ, *emphasis ø and ł*, **strong ß and Ħ**, "
	    "***both ǅ***, `code ȸ`, &#x263A; and&nbsp;&#x1F600;.[^n]\n\n"
	    "```\nblock →\n```\n\n"
	    "| head Ŋ | *x* |\n| --- | --- |\n| cell ɐ | y |\n\n"
	    "![alt ʃ](images/figure.png \"Caption ʒ\")\n\n"
	    "[^n]: Note ɔ.\n");
	memset(&in, 0, sizeof(in));
	in.source = path;
	CHECK(book_load(&bk, &in) == 0);
	ch = epub_chars_new();
	epub_chars_book(ch, &bk, NULL);

	/* the text face has them all */
	CHECK(epub_chars_has(ch, FONT_TEXT, 0x3A4));	/* Τ, the title */
	CHECK(epub_chars_has(ch, FONT_TEXT, 0x1C4));	/* Ǆ, an author */
	CHECK(epub_chars_has(ch, FONT_TEXT, 0x166));	/* Ŧ, the rights */
	CHECK(epub_chars_has(ch, FONT_TEXT, 0x14B));	/* ŋ */
	CHECK(epub_chars_has(ch, FONT_TEXT, 0x3A9));	/* Ω */
	CHECK(epub_chars_has(ch, FONT_TEXT, 0x263A));	/* an entity */
	CHECK(epub_chars_has(ch, FONT_TEXT, 0x1F600));
	CHECK(epub_chars_has(ch, FONT_TEXT, 0x238));	/* ȸ, code */
	CHECK(epub_chars_has(ch, FONT_TEXT, 0x254));	/* ɔ, the note */
	CHECK(epub_chars_has(ch, FONT_TEXT, 0x283));	/* ʃ, alt text */
	CHECK(epub_chars_has(ch, FONT_TEXT, 0x292));	/* ʒ, the caption */

	/* plain text only there */
	CHECK(!epub_chars_has(ch, FONT_ITALIC, 0x14B));
	CHECK(!epub_chars_has(ch, FONT_BOLD, 0x14B));
	CHECK(!epub_chars_has(ch, FONT_MONO, 0x263A));
	CHECK(!epub_chars_has(ch, FONT_ITALIC, 0x254));

	/* the title: bold on the title page, italic in the colophon */
	CHECK(epub_chars_has(ch, FONT_BOLD, 0x3A4));
	CHECK(epub_chars_has(ch, FONT_ITALIC, 0x3A4));
	CHECK(!epub_chars_has(ch, FONT_BOLD, 0x1C4));

	/* emphasis, strong, both; a heading, a table's header row */
	CHECK(epub_chars_has(ch, FONT_ITALIC, 0x142));	/* ł */
	CHECK(!epub_chars_has(ch, FONT_BOLD, 0x142));
	CHECK(epub_chars_has(ch, FONT_BOLD, 0x126));	/* Ħ */
	CHECK(!epub_chars_has(ch, FONT_ITALIC, 0x126));
	CHECK(epub_chars_has(ch, FONT_BOLDITALIC, 0x1C5));	/* ǅ */
	CHECK(!epub_chars_has(ch, FONT_ITALIC, 0x1C5));
	CHECK(!epub_chars_has(ch, FONT_BOLD, 0x1C5));
	CHECK(epub_chars_has(ch, FONT_BOLD, 0x3A9));	/* Ω, a heading */
	CHECK(epub_chars_has(ch, FONT_BOLDITALIC, 0x416));	/* Ж */
	CHECK(!epub_chars_has(ch, FONT_ITALIC, 0x416));
	CHECK(epub_chars_has(ch, FONT_BOLD, 0x14A));	/* Ŋ, a header */
	CHECK(!epub_chars_has(ch, FONT_BOLD, 0x250));	/* ɐ, a cell */

	/* code spans and blocks in mono */
	CHECK(epub_chars_has(ch, FONT_MONO, 0x238));
	CHECK(epub_chars_has(ch, FONT_MONO, 0x2192));
	CHECK(!epub_chars_has(ch, FONT_ITALIC, 0x238));
	CHECK(!epub_chars_has(ch, FONT_MONO, 0x3BB));	/* λ, the title */

	/* a figure's caption in italic */
	CHECK(epub_chars_has(ch, FONT_ITALIC, 0x292));

	epub_chars_free(ch);
	book_free(&bk);
	unlink(path);
	snprintf(path, sizeof(path), "%s/images/figure.png", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/images", dir);
	rmdir(path);
	rmdir(dir);
}

int
main(void)
{
	diag_quiet(1);
	test_sets();
	test_book();
	return UNIT_DONE();
}
