/* Diagnostics: what a message quotes is escaped, and a long one cut. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "unit.h"

/* What diag wrote to stderr while f ran, in b. */
static void
capture(struct buf *b, void (*f)(void))
{
	char	 path[] = "/tmp/folio-test-diag-XXXXXX", chunk[4096];
	FILE	*in;
	size_t	 n;
	int	 fd, saved;

	buf_reset(b);
	if ((fd = mkstemp(path)) == -1)
		abort();
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	f();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	if ((in = fopen(path, "rb")) == NULL)
		abort();
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		buf_put(b, chunk, n);
	buf_putc(b, '\0');
	b->len--;
	fclose(in);
	unlink(path);
}

static void
controls(void)
{
	diag_error("a\nb.md", 3, 7, "key '%s' and \xe2\x80\xae and \xff",
	    "x\x1b[2Jy\tz\x7f\xc2\x9b");
}

static void
longone(void)
{
	char	 v[10000];

	memset(v, 'v', sizeof(v) - 1);
	v[sizeof(v) - 1] = '\0';
	diag_warning("p.md", 0, 0, "value '%s'", v);
}

static void
utf8(void)
{
	diag_warning("caf\xc3\xa9.md", 1, 1, "\xe2\x80\x9cquoted\xe2\x80\x9d \xe6\x97\xa5");
}

int
main(void)
{
	struct buf	 b = { NULL, 0, 0 };

	capture(&b, controls);
	CHECK_STR(b.data, "a\\nb.md:3:7: error: key 'x\\x1b[2Jy\\tz\\x7f\\u009b' "
	    "and \\u202e and \\xff\n");
	capture(&b, longone);
	CHECK(b.len > 2048 && b.len < 2200);
	CHECK(strncmp(b.data, "p.md: warning: value 'vvv", 25) == 0);
	CHECK(b.len >= 4 && strcmp(b.data + b.len - 4, "\xe2\x80\xa6\n") == 0);
	/* text that is well-formed UTF-8 goes as it is */
	capture(&b, utf8);
	CHECK_STR(b.data, "caf\xc3\xa9.md:1:1: warning: \xe2\x80\x9cquoted\xe2\x80\x9d "
	    "\xe6\x97\xa5\n");
	CHECK(diag_errors() == 1 && diag_warnings() == 2);
	buf_free(&b);
	return UNIT_DONE();
}
