/*
 * Parsing Markdown: CommonMark as cmark-gfm reads it, with the GFM
 * extensions authors write for GitHub and mdBook (tables, ~~strike~~,
 * www. autolinks, task lists) and footnotes; smart punctuation (curly
 * quotes, dashes, ellipses) in prose unless the book turns it off.
 * Code spans and blocks are never touched by it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm/registry.h>

#include "diag.h"
#include "markdown.h"

static const char *const extensions[] = {
	"table", "strikethrough", "autolink", "tasklist"
};

static pthread_once_t	 once = PTHREAD_ONCE_INIT;

/*
 * cmark's allocator, but for running out of memory: cmark aborts, folio
 * says so and exits 1, as it does everywhere else.
 */
static void *
mem_calloc(size_t n, size_t size)
{
	void	*p = calloc(n, size);

	if (p == NULL && n > 0 && size > 0)
		diag_oom();
	return p;
}

static void *
mem_realloc(void *old, size_t size)
{
	void	*p = realloc(old, size);

	if (p == NULL && size > 0)
		diag_oom();
	return p;
}

static cmark_mem	 mem = { mem_calloc, mem_realloc, free };

static void
setup(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/*
 * One file at a time: cmark-gfm's inline parser keeps the characters
 * its extensions react to (":" and "w" for autolinks, "~") in a table of
 * the library's own, which each cmark_parser_finish fills and empties,
 * so two files parsed at once on two threads lose one another's links.
 */
cmark_node *
markdown_parse(const char *text, size_t len, int smart)
{
	cmark_parser	*p;
	cmark_node	*doc;
	size_t		 i;

	pthread_once(&once, setup);
	p = cmark_parser_new_with_mem(CMARK_OPT_FOOTNOTES |
	    (smart ? CMARK_OPT_SMART : 0), &mem);
	for (i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++)
		cmark_parser_attach_syntax_extension(p,
		    cmark_find_syntax_extension(extensions[i]));
	cmark_parser_feed(p, text, len);
	doc = cmark_parser_finish(p);
	cmark_parser_free(p);
	return doc;
}

/*
 * A node made by folio, with the parser's allocator: cmark puts a node
 * only under a parent made with the same one.
 */
cmark_node *
markdown_node_new(cmark_node_type type)
{
	return cmark_node_new_with_mem(type, &mem);
}

/*
 * A strikethrough node as the extension makes one (<del> and <s> in the
 * HTML): without the extension it could hold no text.
 */
cmark_node *
markdown_strikethrough(void)
{
	pthread_once(&once, setup);
	return cmark_node_new_with_mem_and_ext(CMARK_NODE_STRIKETHROUGH, &mem,
	    cmark_find_syntax_extension("strikethrough"));
}

int
markdown_is_tasklist(cmark_node *n)
{
	const char	*t = cmark_node_get_type_string(n);

	return cmark_node_get_type(n) == CMARK_NODE_ITEM && t != NULL &&
	    strcmp(t, "tasklist") == 0;
}

int
markdown_task_checked(cmark_node *n)
{
	return markdown_is_tasklist(n) &&
	    cmark_gfm_extensions_get_tasklist_item_checked(n);
}

int
markdown_table_header(cmark_node *row)
{
	return cmark_gfm_extensions_get_table_row_is_header(row);
}

int
markdown_table_columns(cmark_node *table)
{
	return cmark_gfm_extensions_get_table_columns(table);
}

/* 'l', 'c', 'r', or 0 when the delimiter row sets no alignment. */
char
markdown_table_align(cmark_node *table, int column)
{
	uint8_t	*a = cmark_gfm_extensions_get_table_alignments(table);
	int	 n = cmark_gfm_extensions_get_table_columns(table);

	if (a == NULL || column < 0 || column >= n)
		return 0;
	return a[column] == 'l' || a[column] == 'c' || a[column] == 'r' ?
	    (char)a[column] : 0;
}

/* The extensions' registry, freed at exit so leak checkers stay quiet. */
void
markdown_cleanup(void)
{
	cmark_release_plugins();
}
