/*
 * A set of words, the book's vocabulary for hyphenation (see words.h).
 * Open addressing over one pool of text: a short book has a few hundred
 * distinct long words, and each is looked up once per paragraph pass.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "words.h"

uint32_t
words_hash(const char *w, size_t n)
{
	uint32_t	 h = WORDS_FNV_BASIS;
	size_t		 i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)w[i]) * WORDS_FNV_PRIME;
	return h;
}

/* The slot that holds w, or the empty one where it would go. */
static size_t
find(const struct words *ws, const char *w, size_t n)
{
	size_t		 i = words_hash(w, n) & (ws->cap - 1);
	const char	*s;

	for (; ws->slot[i] != 0; i = (i + 1) & (ws->cap - 1)) {
		s = ws->pool.data + ws->slot[i] - 1;
		if (strncmp(s, w, n) == 0 && s[n] == '\0')
			break;
	}
	return i;
}

static void
grow(struct words *ws)
{
	uint32_t	*old = ws->slot;
	size_t		 oldcap = ws->cap, i, j;
	const char	*s;

	ws->cap = oldcap ? oldcap * 2 : 256;
	ws->slot = xcalloc(ws->cap, sizeof(*ws->slot));
	for (i = 0; i < oldcap; i++)
		if (old[i] != 0) {
			s = ws->pool.data + old[i] - 1;
			j = find(ws, s, strlen(s));
			ws->slot[j] = old[i];
		}
	free(old);
}

static void
add(struct words *ws, const char *w, size_t n)
{
	size_t	 i;

	if (ws->n * 2 >= ws->cap)
		grow(ws);
	i = find(ws, w, n);
	if (ws->slot[i] != 0)
		return;
	if (ws->n == WORDS_MAX) {
		ws->full = 1;
		return;
	}
	ws->slot[i] = (uint32_t)ws->pool.len + 1;
	buf_put(&ws->pool, w, n);
	buf_putc(&ws->pool, '\0');
	ws->n++;
}

/* The words of a text: runs of ASCII letters, as hyphenation takes them. */
void
words_add(struct words *ws, const char *text)
{
	char		 lower[WORDS_LONG];
	const char	*t = text;
	size_t		 n, i;

	if (text == NULL || ws->full)
		return;
	while (*t != '\0') {
		if (!isalpha((unsigned char)*t)) {
			t++;
			continue;
		}
		for (n = 0; isalpha((unsigned char)t[n]); n++)
			continue;
		if (n >= WORDS_MIN && n < WORDS_LONG) {
			for (i = 0; i < n; i++)
				lower[i] = (char)tolower((unsigned char)t[i]);
			add(ws, lower, n);
		}
		t += n;
	}
}

int
words_has(const struct words *ws, const char *w, size_t n)
{
	return ws->cap > 0 && ws->slot[find(ws, w, n)] != 0;
}

void
words_free(struct words *ws)
{
	free(ws->slot);
	buf_free(&ws->pool);
	memset(ws, 0, sizeof(*ws));
}
