/* Metadata: pandoc's keys, types, positions of errors. */
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "meta.h"
#include "unit.h"

int
main(void)
{
	struct meta	 m;
	const char	*ok =
	    "title: \"A & B\"\n"
	    "author:\n  - One\n  - Two\n  - Three\n"
	    "lang: es-MX\n"
	    "subject: Single\n"
	    "edition: 2\n";
	const char	*badtype = "title:\n  - not\n  - a string\n";
	const char	*badyaml = "title: [unclosed\n";

	diag_quiet(1);
	memset(&m, 0, sizeof(m));
	diag_reset();
	CHECK(meta_parse(&m, "m.yaml", ok, strlen(ok)) == 0);
	CHECK_STR(m.title.s, "A & B");
	CHECK(m.title.line == 1 && m.title.col == 8);
	CHECK(m.authors.n == 3);
	CHECK_STR(m.authors.v[2].s, "Three");
	CHECK(m.authors.v[2].line == 5);
	CHECK_STR(m.lang.s, "es-MX");
	CHECK(m.subjects.n == 1);
	CHECK_STR(m.edition.s, "2");
	meta_free(&m);

	memset(&m, 0, sizeof(m));
	diag_reset();
	CHECK(meta_parse(&m, "m.yaml", badtype, strlen(badtype)) == -1);
	CHECK(diag_errors() == 1);
	meta_free(&m);

	memset(&m, 0, sizeof(m));
	diag_reset();
	CHECK(meta_parse(&m, "m.yaml", badyaml, strlen(badyaml)) == -1);
	meta_free(&m);

	/* an unknown key is a warning, not an error */
	memset(&m, 0, sizeof(m));
	diag_reset();
	CHECK(meta_parse(&m, "m.yaml", "colour: red\n", 12) == 0);
	CHECK(diag_warnings() == 1 && diag_errors() == 0);
	meta_free(&m);

	/*
	 * Aliases repeating a 1 MB value: one error, and no copy made past
	 * the bound (the count stays past it, however many aliases follow).
	 */
	{
		struct buf	 y = { NULL, 0, 0 };
		size_t		 i;

		buf_puts(&y, "t: &a \"");
		for (i = 0; i < (1 << 20); i++)
			buf_putc(&y, 'x');
		buf_puts(&y, "\"\nchapters: [");
		for (i = 0; i < 300; i++)
			buf_puts(&y, i ? ", *a" : "*a");
		buf_puts(&y, "]\n");
		memset(&m, 0, sizeof(m));
		diag_reset();
		CHECK(meta_parse(&m, "m.yaml", y.data, y.len) == -1);
		CHECK(diag_errors() == 1);
		CHECK(m.chapters.n == 4);
		CHECK(m.bytes == META_MAX_BYTES + 1);
		meta_free(&m);
		buf_free(&y);
	}

	/* a value past META_MAX_VALUE, a list whose values together are */
	{
		struct buf	 y = { NULL, 0, 0 };
		size_t		 i;

		buf_puts(&y, "title: ");
		for (i = 0; i < META_MAX_VALUE + 1; i++)
			buf_putc(&y, 'x');
		buf_puts(&y, "\nauthor:\n");
		for (i = 0; i < 2000; i++)
			buf_puts(&y, "  - Ann Author\n");
		memset(&m, 0, sizeof(m));
		diag_reset();
		CHECK(meta_parse(&m, "m.yaml", y.data, y.len) == -1);
		CHECK(diag_errors() == 2);
		CHECK(m.title.s == NULL);
		CHECK(m.authors.n > 0 && m.authors.n < 2000);
		meta_free(&m);
		buf_free(&y);
	}

	/* the chapters' list has no such bound */
	{
		struct buf	 y = { NULL, 0, 0 };
		size_t		 i;

		buf_puts(&y, "chapters:\n");
		for (i = 0; i < 2000; i++)
			buf_puts(&y, "  - a-long-chapter-file-name.md\n");
		memset(&m, 0, sizeof(m));
		diag_reset();
		CHECK(meta_parse(&m, "m.yaml", y.data, y.len) == 0);
		CHECK(m.chapters.n == 2000);
		meta_free(&m);
		buf_free(&y);
	}

	/* empty metadata is fine */
	memset(&m, 0, sizeof(m));
	CHECK(meta_parse(&m, "m.yaml", "", 0) == 0);
	meta_free(&m);
	return UNIT_DONE();
}
