/*
 * The hyphenation patterns.  libhyphen reads a language's patterns from
 * their text, 7 ms for English's 9,800: a quarter of setting a short
 * article.  They are read on another thread, and for a short book only
 * those its words can match: a pattern takes part in hyphenating a word
 * only if its letters occur in it, so the patterns of an article's 600
 * long words are a seventh of the file and hyphenate those words as all
 * of them would.  A word the book did not list (one the renderer made)
 * is hyphenated with all the patterns, read then.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "pdf_int.h"
#include "words.h"

struct hyphenator {
	struct buf	 path;		/* the patterns' file, or empty */
	struct words	*vocab;		/* the words the dict covers, or NULL:
					   it covers all */
	HyphenDict	*dict;
	HyphenDict	*all;		/* every pattern, for other words */
	int		 all_read;
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

/*
 * The patterns' letters, by their hashes, each marked once a word holds
 * it.  Two keys of one hash are one: a pattern kept that could have
 * gone costs nothing but its reading.
 */
struct keys {
	uint32_t	*v;		/* hash | 1, or 0 for none */
	unsigned char	*hit;
	size_t		 cap;
};

/* The slot of h, or the empty one where it would go. */
static size_t
slot(const struct keys *ks, uint32_t h)
{
	size_t	 i = (h | 1) & (ks->cap - 1);

	while (ks->v[i] != 0 && ks->v[i] != (h | 1))
		i = (i + 1) & (ks->cap - 1);
	return i;
}

/* A pattern's letters: the line without its digits, trailing space cut. */
static size_t
letters(const char *line, size_t n, char *out, size_t max)
{
	size_t	 i, k = 0;

	while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t' ||
	    line[n - 1] == '\r'))
		n--;
	for (i = 0; i < n; i++)
		if (line[i] < '0' || line[i] > '9') {
			if (k == max)
				return max + 1;
			out[k++] = line[i];
		}
	return k;
}

/*
 * A plain pattern's letters, and its level's way: past NEXTLEVEL
 * libhyphen hyphenates the parts of a word, each between its own dots,
 * so there a pattern's letters are taken less the dots.  0 for a line
 * to keep as it is: the character set, a setting, NEXTLEVEL, a
 * comment, a pattern with a replacement, one too long to look at.
 */
static size_t
key_of(const char *p, size_t n, int first, int level, char *key,
    size_t max)
{
	size_t	 k, i, j;

	if (first || n == 0 || (*p >= 'A' && *p <= 'Z') || *p == '%' ||
	    memchr(p, '/', n) != NULL ||
	    (k = letters(p, n, key, max)) > max)
		return 0;
	if (level > 1) {
		for (i = j = 0; i < k; i++)
			if (key[i] != '.')
				key[j++] = key[i];
		k = j;
	}
	return k;
}

/* A line of the patterns file, and its key's hash if it has one. */
struct patline {
	const char	*p;
	size_t		 n;
	size_t		 slot;		/* its key's in the table, or
					   (size_t)-1: not a pattern, kept */
};

/*
 * The lines of the patterns file that can match a word of vocab, and
 * every line that is not a plain pattern: each string of ".word." that
 * is a pattern's letters marks the patterns of those letters.
 */
static void
filter(const char *text, size_t len, const struct words *vocab,
    struct buf *out)
{
	struct keys	 ks;
	struct patline	*ln = NULL;
	char		 key[64], w[WORDS_LONG + 2];
	const char	*p, *end = text + len, *nl, *s;
	size_t		 nln = 0, cap = 0, i, j, k, wl, at, maxk = 0, nkeys = 0;
	uint32_t	*hash = NULL, h;
	int		 first = 1, level = 1;

	for (p = text; p < end; p = nl + 1, first = 0) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nln == cap) {
			cap = cap ? cap * 2 : 4096;
			ln = xreallocarray(ln, cap, sizeof(*ln));
			hash = xreallocarray(hash, cap, sizeof(*hash));
		}
		ln[nln].p = p;
		ln[nln].n = (size_t)(nl - p);
		if (!first && ln[nln].n >= 9 && memcmp(p, "NEXTLEVEL", 9) == 0)
			level++;
		k = key_of(p, ln[nln].n, first, level, key, sizeof(key));
		/* (a pattern's slot is found once the table is made) */
		ln[nln].slot = k > 0 ? 0 : (size_t)-1;
		hash[nln] = words_hash(key, k);
		if (k > 0)
			nkeys++;
		if (k > maxk)
			maxk = k;
		nln++;
	}
	for (ks.cap = 64; ks.cap < nkeys * 2; ks.cap *= 2)
		continue;
	ks.v = xcalloc(ks.cap, sizeof(*ks.v));
	ks.hit = xcalloc(ks.cap, 1);
	for (i = 0; i < nln; i++)
		if (ln[i].slot == 0) {
			ln[i].slot = slot(&ks, hash[i]);
			ks.v[ln[i].slot] = hash[i] | 1;
		}
	for (s = vocab->pool.data, i = 0; i < vocab->n; i++, s += wl + 1) {
		wl = strlen(s);
		w[0] = '.';
		memcpy(w + 1, s, wl);
		w[wl + 1] = '.';
		for (j = 0; j < wl + 2; j++)
			for (h = WORDS_FNV_BASIS, k = 0; k < maxk &&
			    j + k < wl + 2; k++) {
				h = (h ^ (unsigned char)w[j + k]) *
				    WORDS_FNV_PRIME;
				if (ks.v[at = slot(&ks, h)] != 0)
					ks.hit[at] = 1;
			}
	}
	for (i = 0; i < nln; i++)
		if (ln[i].slot == (size_t)-1 || ks.hit[ln[i].slot]) {
			buf_put(out, ln[i].p, ln[i].n);
			buf_putc(out, '\n');
		}
	free(ks.v);
	free(ks.hit);
	free(ln);
	free(hash);
}

/* libhyphen's dictionary of patterns text. */
static HyphenDict *
dict_of(const char *text, size_t len)
{
	HyphenDict	*d;
	FILE		*f;

	if (len == 0 || (f = fmemopen((void *)text, len, "r")) == NULL)
		return NULL;
	d = hnj_hyphen_load_file(f);
	fclose(f);
	return d;
}

static void *
load(void *arg)
{
	struct hyphenator	*h = arg;
	struct buf		 text = { NULL, 0, 0 }, some = { NULL, 0, 0 };

	if (h->vocab == NULL)
		h->dict = hnj_hyphen_load(h->path.data);
	else if (buf_load(&text, h->path.data) == 0) {
		filter(text.data, text.len, h->vocab, &some);
		h->dict = dict_of(some.data, some.len);
	}
	buf_free(&text);
	buf_free(&some);
	return NULL;
}

static struct hyphenator *
start(const char *lang, struct words *vocab)
{
	struct hyphenator	*h = xcalloc(1, sizeof(*h));

	h->vocab = vocab;
	if (dict_path(lang, &h->path) == NULL)
		return h;
	if (pthread_create(&h->thread, NULL, load, h) == 0)
		h->loading = 1;
	else
		load(h);
	return h;
}

/* Start reading the patterns of lang (a valid BCP 47 tag). */
struct hyphenator *
pdf_patterns(const char *lang)
{
	return start(lang, NULL);
}

/*
 * Start reading the patterns of lang that words of vocab can match;
 * the hyphenator takes vocab, and frees it.
 */
struct hyphenator *
pdf_patterns_for(const char *lang, struct words *vocab)
{
	/* and the words the renderer sets of its own (changes: pdf_front.c) */
	words_add(vocab, "Figure Listing Edition Changes in this edition; "
	    "Since edition: sections changed, added, removed; words named");
	return start(lang, vocab);
}

/* There are no patterns for the language: words are not hyphenated. */
int
patterns_none(const struct hyphenator *h)
{
	return h->path.len == 0;
}

static HyphenDict *
ready(struct hyphenator *h)
{
	if (h->loading) {
		pthread_join(h->thread, NULL);
		h->loading = 0;
	}
	return h->dict;
}

/* The patterns, once read; NULL if there are none. */
HyphenDict *
patterns_get(struct hyphenator *h)
{
	return h == NULL ? NULL : ready(h);
}

/* The patterns that hyphenate a lowercase word as all of them would. */
HyphenDict *
patterns_word(struct hyphenator *h, const char *w, size_t len)
{
	if (ready(h) == NULL || h->vocab == NULL ||
	    words_has(h->vocab, w, len))
		return h->dict;
	if (!h->all_read) {
		h->all = hnj_hyphen_load(h->path.data);
		h->all_read = 1;
	}
	return h->all;
}

void
pdf_patterns_free(struct hyphenator *h)
{
	if (h == NULL)
		return;
	if (ready(h) != NULL)
		hnj_hyphen_free(h->dict);
	if (h->all != NULL)
		hnj_hyphen_free(h->all);
	if (h->vocab != NULL) {
		words_free(h->vocab);
		free(h->vocab);
	}
	buf_free(&h->path);
	free(h);
}
