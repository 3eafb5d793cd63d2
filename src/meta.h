/* Book metadata: pandoc's key names, read from YAML with libyaml. */
#ifndef FOLIO_META_H
#define FOLIO_META_H

#include <stddef.h>

/* A value and where it was written, for diagnostics. */
struct mval {
	char		*s;
	const char	*file;		/* one of meta.files */
	int		 line;
	int		 col;
};

struct mlist {
	struct mval	*v;
	size_t		 n;
	size_t		 bytes;		/* the values, as joined ", " */
};

struct meta {
	char		*path;		/* the first file metadata came from */
	char		**files;	/* every one, in the order read */
	size_t		 nfiles;
	const char	*cur;		/* the one being parsed */
	struct mval	 title;
	struct mval	 subtitle;
	struct mlist	 authors;
	struct mval	 lang;
	struct mval	 date;
	struct mval	 rights;
	struct mval	 publisher;
	struct mval	 identifier;
	struct mval	 description;
	struct mlist	 subjects;
	struct mval	 cover;
	struct mval	 edition;
	struct mval	 style;
	struct mlist	 chapters;
	struct mval	 smart;		/* "false": no smart punctuation */
	struct mval	 toplevel;	/* part, chapter or section */
	size_t		 bytes;		/* values copied, aliases and all */
};

#define META_MAX_BYTES	(4UL << 20)	/* a bound on what aliases expand */
#define META_MAX_VALUE	(16UL << 10)	/* a value, or a list's together
					   (but chapters): PDF strings hold
					   64 KB */

int	meta_lang_ok(const char *);
const char *meta_lang(const struct meta *);
int	meta_date(const char *, int *y, int *m, int *d);

int	meta_parse(struct meta *, const char *path, const char *text,
	    size_t len);
const char *meta_file(struct meta *, const char *path);
void	meta_set(struct meta *, struct mval *, const char *value,
	    const char *path, int line, int col);
void	meta_add(struct meta *, struct mlist *, const char *value,
	    const char *path, int line, int col);
void	meta_free(struct meta *);

#endif
