/*
 * The words of a book that hyphenation may break: each distinct run of
 * five to 63 ASCII letters, lowercased, up to a limit.  The PDF reads
 * only the hyphenation patterns these words can match (pdf_hyph.c).
 */
#ifndef FOLIO_WORDS_H
#define FOLIO_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define WORDS_MIN	5	/* shorter words are never hyphenated */
#define WORDS_LONG	64	/* nor are words this long or longer */
#define WORDS_MAX	4096	/* distinct words kept */

struct words {
	uint32_t	*slot;	/* offset + 1 into pool, 0 for none */
	size_t		 cap;	/* slots, a power of two */
	size_t		 n;
	struct buf	 pool;	/* the words, each NUL-terminated */
	int		 full;	/* more words were found than are kept */
};

/* FNV-1a, which extends a string's hash a byte at a time */
#define WORDS_FNV_BASIS	2166136261u
#define WORDS_FNV_PRIME	16777619u

uint32_t words_hash(const char *, size_t);
void	 words_add(struct words *, const char *text);
int	 words_has(const struct words *, const char *word, size_t len);
void	 words_free(struct words *);

#endif
