/*
 * Syntax highlighting of code listings: spans of a fenced block's code
 * classed as keywords, strings, comments...  Not thread-safe: the
 * language definitions are loaded once and shared, so every call must
 * come from one thread.
 */
#ifndef FOLIO_HIGHLIGHT_H
#define FOLIO_HIGHLIGHT_H

#include <stddef.h>

/* Longest code highlighted; longer blocks stay plain. */
#define HL_CODE_MAX	(4 * 1024 * 1024)
/*
 * Longest line highlighted; longer lines stay plain.  Source-highlight
 * takes time in the square of a line's length, so a block whose lines
 * would take more than some seconds (1 MB of dense 1,000-byte lines)
 * stays plain too; 1 MB of ordinary code takes under two.
 */
#define HL_LINE_MAX	1024

enum hl_class {
	HL_PLAIN, HL_KEYWORD, HL_TYPE, HL_STRING, HL_CHAR, HL_NUMBER, HL_COMMENT,
	HL_PREPROC, HL_FUNCTION, HL_VARIABLE, HL_SYMBOL, HL_ATTRIBUTE,
	HL_INSERTED, HL_DELETED, HL_PROMPT, HL__MAX
};

struct hl_span {
	size_t		 off, len;	/* bytes of the code */
	enum hl_class	 cls;
};

/*
 * Where folio's own language definitions are: datadir/styles/highlight,
 * datadir being the folder the styles are found in (FOLIO_DATADIR, the
 * binary's folder in a source tree, or ../share/folio once installed).
 * A definition there is read instead of source-highlight's (rust, json)
 * and TOML and YAML have only those.  Optional: without it, or with
 * NULL, source-highlight's definitions alone are used.
 */
void	 highlight_init(const char *datadir);

/*
 * Highlight code in the language named by a fenced block's info string
 * word ("rust", "c", "sh", "console", "toml", ...).  0 with the spans
 * (covering the code in order, gaps are plain; caller frees *spans), or
 * -1 when the language is unknown or the code cannot be highlighted
 * (no message: unknown languages stay plain, silently).
 *
 * The info string's first word counts ("rust,ignore", "console text"),
 * in any case.  Spans are sorted, never overlap, never have HL_PLAIN
 * and never hold a newline; they begin and end on UTF-8 character
 * boundaries.  No span at all gives *spans NULL and *nspans 0.
 */
int	 highlight(const char *lang, const char *code, size_t len,
	    struct hl_span **spans, size_t *nspans);
const char *hl_class_name(enum hl_class);	/* CSS class: "kw", "ty", "st", ... */
void	 highlight_cleanup(void);	/* frees caches at exit (valgrind/LSan clean) */

#endif
