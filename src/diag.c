/*
 * Diagnostics.  Every message names the file and the position of the
 * Markdown node, YAML event or style line that caused it, so that an
 * editor can jump there; the counts decide the exit status.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"

/* the two editions may report from two threads */
static pthread_mutex_t	lock = PTHREAD_MUTEX_INITIALIZER;
static int	nerrors;
static int	nwarnings;
static int	quiet;

/*
 * Warnings of one kind after the first few are counted, not shown, so
 * that the ones that matter do not drown (a book with 2,000 dropped
 * tags); diag_summary says how many more there were.
 */
#define SHOWN	5

static struct kind {
	const char	*kind;
	int		 seen;
	char		*path;		/* of the first not shown */
} kinds[16];

/*
 * What this thread is working on, so that running out of memory names
 * the input that caused it rather than only saying so.
 */
static _Thread_local struct {
	const char	*path;
	int		 line;
	const char	*doing;
} ctx;

static void
emit(const char *kind, const char *path, int line, int col,
    const char *fmt, va_list ap)
{
	if (quiet)
		return;
	if (line > 0)
		fprintf(stderr, "%s:%d:%d: %s: ", path, line,
		    col > 0 ? col : 1, kind);
	else
		fprintf(stderr, "%s: %s: ", path, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
diag_error(const char *path, int line, int col, const char *fmt, ...)
{
	va_list	 ap;

	pthread_mutex_lock(&lock);
	nerrors++;
	va_start(ap, fmt);
	emit("error", path, line, col, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&lock);
}

void
diag_warning(const char *path, int line, int col, const char *fmt, ...)
{
	va_list	 ap;

	pthread_mutex_lock(&lock);
	nwarnings++;
	va_start(ap, fmt);
	emit("warning", path, line, col, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&lock);
}

void
diag_warning_kind(const char *kind, const char *path, int line, int col,
    const char *fmt, ...)
{
	va_list	 ap;
	size_t	 i;

	pthread_mutex_lock(&lock);
	nwarnings++;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].kind == NULL || strcmp(kinds[i].kind, kind) == 0)
			break;
	if (i < sizeof(kinds) / sizeof(kinds[0])) {
		kinds[i].kind = kind;
		if (++kinds[i].seen > SHOWN) {
			if (kinds[i].path == NULL)
				kinds[i].path = strdup(path);
			pthread_mutex_unlock(&lock);
			return;
		}
	}
	va_start(ap, fmt);
	emit("warning", path, line, col, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&lock);
}

/* "and 37 more like this", for every kind that had more than shown. */
void
diag_summary(void)
{
	size_t	 i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]) &&
	    kinds[i].kind != NULL; i++) {
		if (kinds[i].seen > SHOWN && !quiet)
			fprintf(stderr, "%s: warning: and %d more like %s\n",
			    kinds[i].path ? kinds[i].path : "folio",
			    kinds[i].seen - SHOWN, kinds[i].seen - SHOWN > 1 ?
			    "these" : "this");
		free(kinds[i].path);
		memset(&kinds[i], 0, sizeof(kinds[i]));
	}
	pthread_mutex_unlock(&lock);
}

/* Something the author may want to know, which is not a problem. */
void
diag_note(const char *path, int line, int col, const char *fmt, ...)
{
	va_list	 ap;

	pthread_mutex_lock(&lock);
	va_start(ap, fmt);
	emit("note", path, line, col, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&lock);
}

int
diag_errors(void)
{
	return nerrors;
}

int
diag_warnings(void)
{
	return nwarnings;
}

void
diag_reset(void)
{
	nerrors = nwarnings = 0;
}

void
diag_quiet(int q)
{
	quiet = q;
}

void
diag_context(const char *path, int line, const char *doing)
{
	ctx.path = path;
	ctx.line = line;
	ctx.doing = doing;
}

/* Out of memory: say where, and stop (nothing has been written). */
void
diag_oom(void)
{
	if (ctx.path != NULL && ctx.line > 0)
		fprintf(stderr, "%s:%d:1: error: out of memory while %s\n",
		    ctx.path, ctx.line, ctx.doing ? ctx.doing : "reading it");
	else if (ctx.path != NULL)
		fprintf(stderr, "%s: error: out of memory while %s\n",
		    ctx.path, ctx.doing ? ctx.doing : "reading it");
	else
		fputs("folio: error: out of memory\n", stderr);
	_exit(1);
}
