/* Metadata: pandoc's keys, types, positions of errors. */
#include <string.h>

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

	/* empty metadata is fine */
	memset(&m, 0, sizeof(m));
	CHECK(meta_parse(&m, "m.yaml", "", 0) == 0);
	meta_free(&m);
	return UNIT_DONE();
}
