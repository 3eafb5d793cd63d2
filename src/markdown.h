/*
 * The Markdown front end: cmark-gfm with GitHub's extensions (tables,
 * strikethrough, autolinks, task lists) and footnotes, one call for
 * every file the book reads.
 */
#ifndef FOLIO_MARKDOWN_H
#define FOLIO_MARKDOWN_H

#include <stddef.h>

#include <cmark-gfm.h>

/* Node types the extensions register (libcmark-gfm-extensions). */
extern cmark_node_type CMARK_NODE_TABLE, CMARK_NODE_TABLE_ROW,
    CMARK_NODE_TABLE_CELL, CMARK_NODE_STRIKETHROUGH;

cmark_node	*markdown_node_new(cmark_node_type);
cmark_node	*markdown_parse(const char *, size_t, int smart);
cmark_node	*markdown_strikethrough(void);
int		 markdown_is_tasklist(cmark_node *);
int		 markdown_task_checked(cmark_node *);
int		 markdown_table_header(cmark_node *row);
int		 markdown_table_columns(cmark_node *table);
char		 markdown_table_align(cmark_node *table, int column);
void		 markdown_cleanup(void);

#endif
