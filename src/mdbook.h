/*
 * mdBook projects as they are: SUMMARY.md, the {{#include}} family of
 * directives, rustdoc's hidden lines and book.toml's redirects.  Pure
 * functions over text; whoever calls them opens the files.
 */
#ifndef FOLIO_MDBOOK_H
#define FOLIO_MDBOOK_H

#include <stddef.h>

struct buf;
struct toml_value;

/* SUMMARY.md */
enum summary_kind {
	SUMMARY_PREFIX,
	SUMMARY_NUMBERED,
	SUMMARY_SUFFIX,
	SUMMARY_PART,
	SUMMARY_SEPARATOR,
	SUMMARY_DRAFT
};

struct summary_entry {
	enum summary_kind kind;
	char	*title;		/* link text (plain), part title; NULL for a separator */
	char	*path;		/* relative to src/, %-decoded, NULL for parts, separators, drafts */
	int	 depth;		/* 0 for top-level entries; nested list items 1, 2, ... */
	int	 line, col;	/* position in SUMMARY.md */
	enum summary_kind section;	/* PREFIX, NUMBERED or SUFFIX: where it stands */
};

int	summary_parse(const char *path, const char *text, size_t len,
	    struct summary_entry **out, size_t *n);
void	summary_free(struct summary_entry *, size_t);

/* Directives */
#define MDBOOK_MAX_DEPTH	10		/* includes within includes */
#define MDBOOK_MAX_OUTPUT	(64UL << 20)	/* bytes of expanded text */
#define MDBOOK_MAX_READ		(256UL << 20)	/* bytes read through the callback */
#define MDBOOK_MAX_DIRECTIVES	100000		/* files brought in, in all */

/*
 * Reads an included file: rel as written, relative to the including
 * file's folder (from: the chapter's path, or the *shown of the file
 * that holds the directive); the callback decides containment and
 * reports errors itself at from:line:col.  Returns 0 with the bytes
 * appended to *out and the path to report in *shown (callee-owned,
 * valid until mdbook_expand returns), or -1 (already reported).
 */
typedef int (*mdbook_read_fn)(void *arg, const char *from, const char *rel,
    int line, int col, struct buf *out, const char **shown);

/* Where each line of expanded text came from, for diagnostics. */
struct mdbook_line {
	const char	*file;
	int		 line;
};

struct mdbook_map {
	struct mdbook_line	 *v;	/* v[i] is line i+1 of the output */
	size_t			  n;
	char			**files;
	size_t			  nfiles;
};

int	mdbook_expand(const char *path, const char *text, size_t len,
	    mdbook_read_fn, void *arg, struct buf *out, struct mdbook_map *map);
void	mdbook_map_free(struct mdbook_map *);

/* Rust code blocks */
int	mdbook_is_rust(const char *info);
char	*mdbook_visible(const char *code);

/* Redirects */
const char	*mdbook_redirect(const struct toml_value *book, const char *html);
int		 mdbook_redirect_check(const char *path,
		    const struct toml_value *book);

#endif
