/*
 * The hyphenation patterns.  libhyphen reads a language's patterns from
 * their text (5000 lines for English: a seventh of setting a short
 * article), so they are read on another thread, from the moment the
 * book's language is known (pdf_patterns, while the Markdown is parsed),
 * and waited for at the first word hyphenated.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "pdf_int.h"

struct hyphenator {
	struct buf	 path;		/* the patterns' file, or empty */
	HyphenDict	*dict;
	pthread_t	 thread;
	int		 loading;	/* the thread is to be joined */
};

/* The patterns' file of a language (en-US, else en), or NULL. */
static const char *
dict_path(const char *lang, struct buf *b)
{
	size_t	 i;

	buf_reset(b);
	buf_printf(b, "/usr/share/hyphen/hyph_%s.dic", lang);
	for (i = strlen("/usr/share/hyphen/hyph_"); i < b->len; i++)
		if (b->data[i] == '-')
			b->data[i] = '_';
	if (access(b->data, R_OK) == 0)
		return b->data;
	buf_reset(b);
	buf_printf(b, "/usr/share/hyphen/hyph_%.*s.dic",
	    (int)strcspn(lang, "-_"), lang);
	if (access(b->data, R_OK) == 0)
		return b->data;
	buf_reset(b);
	return NULL;
}

static void *
load(void *arg)
{
	struct hyphenator	*h = arg;

	h->dict = hnj_hyphen_load(h->path.data);
	return NULL;
}

/* Start reading the patterns of lang (a valid BCP 47 tag). */
struct hyphenator *
pdf_patterns(const char *lang)
{
	struct hyphenator	*h = xcalloc(1, sizeof(*h));

	if (dict_path(lang, &h->path) == NULL)
		return h;
	if (pthread_create(&h->thread, NULL, load, h) == 0)
		h->loading = 1;
	else
		load(h);
	return h;
}

/* There are no patterns for the language: words are not hyphenated. */
int
patterns_none(const struct hyphenator *h)
{
	return h->path.len == 0;
}

/* The patterns, once read; NULL if there are none. */
HyphenDict *
patterns_get(struct hyphenator *h)
{
	if (h == NULL)
		return NULL;
	if (h->loading) {
		pthread_join(h->thread, NULL);
		h->loading = 0;
	}
	return h->dict;
}

void
pdf_patterns_free(struct hyphenator *h)
{
	if (h == NULL)
		return;
	if (patterns_get(h) != NULL)
		hnj_hyphen_free(h->dict);
	buf_free(&h->path);
	free(h);
}
