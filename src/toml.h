/* TOML 1.0, as much as an mdBook book.toml needs, read into a tree. */
#ifndef FOLIO_TOML_H
#define FOLIO_TOML_H

#include <stddef.h>

enum toml_type {
	TOML_STRING,
	TOML_INTEGER,
	TOML_FLOAT,
	TOML_BOOL,
	TOML_ARRAY,
	TOML_TABLE
};

/* flags: a string that was written as a date, a time or both */
#define TOML_DATETIME	0x01u

struct toml_value {
	enum toml_type	 type;
	char		*s;		/* TOML_STRING (UTF-8, escapes decoded) */
	long long	 i;		/* TOML_INTEGER, TOML_BOOL */
	double		 f;		/* TOML_FLOAT */
	struct toml_value *v;		/* TOML_ARRAY: items; TOML_TABLE: values */
	char		**keys;		/* TOML_TABLE: the keys, in file order */
	size_t		 n;
	int		 line, col;	/* where it was written */
	unsigned	 flags;		/* TOML_DATETIME; other bits are the parser's */
	/* the parser's bookkeeping */
	size_t		 cap;
	size_t		 id;
	int		 depth;
};

/* Limits: nesting of tables and arrays, and key parts in one key. */
#define TOML_MAX_DEPTH	64

struct toml_value	*toml_parse(const char *path, const char *text,
			    size_t len);
const struct toml_value	*toml_get(const struct toml_value *table,
			    const char *dotted);
const struct toml_value	*toml_find(const struct toml_value *table,
			    const char *key);
void			 toml_free(struct toml_value *);

#endif
