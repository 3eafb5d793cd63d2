/*
 * A short book's hyphenation patterns (pdf_hyph.c): only those its words
 * can match are read, and every word hyphenates as with all of them.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pdf.h"
#include "pdf_int.h"
#include "unit.h"
#include "words.h"

/* Where libhyphen would break w: a string of its odd digits. */
static void
points(HyphenDict *d, const char *w, char *out)
{
	char	**rep = NULL;
	int	 *pos = NULL, *cut = NULL, i, n = (int)strlen(w);

	memset(out, 0, WORDS_LONG + 5);
	if (d == NULL ||
	    hnj_hyphen_hyphenate2(d, w, n, out, NULL, &rep, &pos, &cut) != 0)
		out[0] = '!';
	for (i = 0; i < n; i++)
		out[i] = (char)('0' + (out[i] & 1));
	out[n] = '\0';
	if (rep != NULL) {
		for (i = 0; i < n; i++)
			free(rep[i]);
		free(rep);
		free(pos);
		free(cut);
	}
}

/* The states of a dictionary's levels (libhyphen adds one of its own). */
static long
states(const HyphenDict *d)
{
	long	 n = 0;

	for (; d != NULL; d = d->nextlevel)
		n += d->num_states;
	return n;
}

/* The words of the manuscript's chapters. */
static void
manuscript_words(struct words *ws)
{
	struct buf	 b = { NULL, 0, 0 }, path = { NULL, 0, 0 };
	struct dirent	*e;
	DIR		*d = opendir("manuscript");

	CHECK(d != NULL);
	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strstr(e->d_name, ".md") == NULL)
			continue;
		buf_reset(&path);
		buf_printf(&path, "manuscript/%s", e->d_name);
		buf_reset(&b);
		if (buf_load(&b, path.data) == 0 && b.len > 0)
			words_add(ws, b.data);
	}
	if (d != NULL)
		closedir(d);
	buf_free(&b);
	buf_free(&path);
}

static void
test_words(void)
{
	struct words	 ws;

	memset(&ws, 0, sizeof(ws));
	words_add(&ws, "Hyphenation, hyphenation and HYPHENATION: tiny "
	    "words stay out; naïve splits at the ï; x_y12345abcde");
	CHECK(words_has(&ws, "hyphenation", 11));
	CHECK(!words_has(&ws, "tiny", 4));
	CHECK(words_has(&ws, "words", 5));
	CHECK(words_has(&ws, "splits", 6));
	CHECK(!words_has(&ws, "naïve", strlen("naïve")));
	CHECK(words_has(&ws, "abcde", 5));
	CHECK(!words_has(&ws, "hyphe", 5));
	CHECK(ws.n == 4 && !ws.full);
	words_free(&ws);

	/* the limit: more words than are kept say so */
	{
		char	 w[8];
		int	 i;

		memset(&ws, 0, sizeof(ws));
		for (i = 0; i < WORDS_MAX + 10; i++) {
			snprintf(w, sizeof(w), "w%c%c%c%c", 'a' + i % 26,
			    'a' + i / 26 % 26, 'a' + i / 676 % 26,
			    'a' + i / 17576 % 26);
			words_add(&ws, w);
		}
		CHECK(ws.n == WORDS_MAX && ws.full);
		words_free(&ws);
	}
}

static void
test_patterns(void)
{
	struct words		*vocab = calloc(1, sizeof(*vocab));
	struct hyphenator	*some, *all;
	HyphenDict		*ds, *da;
	const char		*w;
	char			 a[WORDS_LONG + 5], s[WORDS_LONG + 5];
	size_t			 i, len, n = 0, differ = 0;

	manuscript_words(vocab);
	CHECK(vocab->n > 500 && !vocab->full);
	some = pdf_patterns_for("en-US", vocab);
	all = pdf_patterns("en-US");
	CHECK(!patterns_none(some) && !patterns_none(all));
	da = patterns_get(all);
	CHECK(da != NULL);
	/* fewer patterns read: a third of the states or fewer */
	ds = patterns_word(some, vocab->pool.data, strlen(vocab->pool.data));
	CHECK(ds != NULL && da != NULL && states(ds) * 3 < states(da));
	/* and every word of the book broken where all of them break it */
	for (w = vocab->pool.data, i = 0; i < vocab->n; i++, w += len + 1) {
		len = strlen(w);
		points(patterns_word(some, w, len), w, s);
		points(da, w, a);
		n++;
		if (strcmp(a, s) != 0) {
			fprintf(stderr, "%s: %s, not %s\n", w, s, a);
			differ++;
		}
	}
	CHECK(n > 500 && differ == 0);
	/* a word the book does not hold takes all the patterns */
	points(patterns_word(some, "supercalifragilistic", 20),
	    "supercalifragilistic", s);
	points(da, "supercalifragilistic", a);
	CHECK(strcmp(a, s) == 0 && strchr(s, '1') != NULL);
	CHECK(patterns_word(some, "supercalifragilistic", 20) != ds);
	pdf_patterns_free(some);
	pdf_patterns_free(all);
}

int
main(void)
{
	test_words();
	test_patterns();
	return UNIT_DONE();
}
