/*
 * Diagnostics.  Every message names the file and the position of the
 * Markdown node, YAML event or style line that caused it, so that an
 * editor can jump there; the counts decide the exit status.
 */
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "utf8.h"

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

/* The last context any thread set, for those that set none. */
static _Atomic(const char *) last_path;
static _Atomic(const char *) last_doing;

/*
 * A message quotes what it is about: file names, metadata values, an
 * old e-book's names.  Those may hold control characters (a newline
 * that forges a second message, an escape sequence that rewrites the
 * terminal), bidirectional overrides that make a line read otherwise,
 * bytes that are not UTF-8, or a megabyte of text.  So what is printed
 * is escaped as C writes it (\n, \x1b, \u202e) and cut after MSG_MAX
 * bytes.
 */
#define MSG_MAX	2048

static void
put_escaped(struct buf *b, const char *s, size_t max)
{
	size_t		 left = strlen(s), start = b->len, n;
	uint32_t	 c;

	for (; left > 0; s += n, left -= n) {
		if (b->len - start >= max) {
			buf_puts(b, "\xe2\x80\xa6");
			return;
		}
		n = utf8_decode(s, left, &c);
		if ((unsigned char)*s >= 0x80 && n == 1)
			buf_printf(b, "\\x%02x", (unsigned char)*s);
		else if (c == '\n' || c == '\t' || c == '\r')
			buf_printf(b, "\\%c", c == '\n' ? 'n' : c == '\t' ?
			    't' : 'r');
		else if (c < 0x20 || c == 0x7F)
			buf_printf(b, "\\x%02x", (unsigned)c);
		else if ((c >= 0x80 && c <= 0x9F) || (c >= 0x202A &&
		    c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
			buf_printf(b, "\\u%04x", (unsigned)c);
		else
			buf_put(b, s, n);
	}
}

/* One line, written at once. */
static void
emit(const char *kind, const char *path, int line, int col,
    const char *fmt, va_list ap)
{
	struct buf	 b = { NULL, 0, 0 };
	char		 msg[MSG_MAX + 64];

	if (quiet)
		return;
	put_escaped(&b, path != NULL ? path : "folio", PATH_MAX);
	if (line > 0)
		buf_printf(&b, ":%d:%d: %s: ", line, col > 0 ? col : 1, kind);
	else
		buf_printf(&b, ": %s: ", kind);
	/* a longer message is cut here, and marked as cut below */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	put_escaped(&b, msg, MSG_MAX);
	buf_putc(&b, '\n');
	fwrite(b.data, 1, b.len, stderr);
	buf_free(&b);
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
	if (path != NULL) {
		atomic_store(&last_path, path);
		atomic_store(&last_doing, doing);
	}
}

/* Out of memory: say where, and stop (nothing has been written). */
void
diag_oom(void)
{
	const char	*path, *doing;

	/* a helper thread (compressing pages) has no input of its own:
	   the last one any thread named is the one it works for */
	if (ctx.path == NULL && (path = atomic_load(&last_path)) != NULL) {
		doing = atomic_load(&last_doing);
		fprintf(stderr, "%s: error: out of memory while %s\n", path,
		    doing ? doing : "reading it");
		_exit(1);
	}
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
