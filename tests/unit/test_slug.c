/* Slugs: the ids both editions use for headings. */
#include <stdlib.h>

#include "slug.h"
#include "unit.h"

static const struct {
	const char	*text;
	const char	*slug;
} cases[] = {
	{ "Key Objectives and Interests", "key-objectives-and-interests" },
	{ "Trade and NAFTA (and the USMCA)", "trade-and-nafta-and-the-usmca" },
	{ "US–Mexico ties", "usmexico-ties" },
	{ "The Mérida Initiative", "the-mérida-initiative" },
	{ "ÉLAN", "élan" },
	{ "snake_case and kebab-case", "snake_case-and-kebab-case" },
	{ "1944: the Water Treaty!", "1944-the-water-treaty" },
	{ "</h1><script>", "h1script" },
	{ "", "section" },
	{ "!!!", "section" },
};

int
main(void)
{
	struct slugset	 set;
	char		*s;
	size_t		 i;
	char		 name[32];

	memset(&set, 0, sizeof(set));

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = slug_make(cases[i].text);
		CHECK_STR(s, cases[i].slug);
		free(s);
	}
	s = slug_file("US–Mexico Relations");
	CHECK_STR(s, "us-mexico-relations");
	free(s);

	/* duplicates get a numeric suffix; the set stays consistent */
	CHECK_STR(slug_unique(&set, "Overview"), "overview");
	CHECK_STR(slug_unique(&set, "Overview"), "overview-1");
	CHECK_STR(slug_unique(&set, "overview 1"), "overview-1-1");
	CHECK_STR(slug_unique(&set, "Overview"), "overview-2");
	for (i = 0; i < 500; i++) {
		snprintf(name, sizeof(name), "h %zu", i);
		slug_unique(&set, name);
	}
	CHECK(set.count == 504);
	CHECK(slug_has(&set, "h-499"));
	CHECK(!slug_has(&set, "h-500"));
	slug_free(&set);
	return UNIT_DONE();
}
