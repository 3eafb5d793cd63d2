/* Heading ids: stable slugs, unique across a book. */
#ifndef FOLIO_SLUG_H
#define FOLIO_SLUG_H

#include <stddef.h>

struct slugset {
	char	**slots;
	size_t	  cap;
	size_t	  count;
	struct slugnext {		/* per base: the next suffix to try */
		char		*base;
		unsigned	 next;
	}	 *next;
	size_t	  ncap, ncount;
};

char	*slug_make(const char *text);
char	*slug_file(const char *text);
char	*slug_unique(struct slugset *, const char *text);
const char *slug_add(struct slugset *, const char *);
int	 slug_has(const struct slugset *, const char *);
void	 slug_free(struct slugset *);

#endif
