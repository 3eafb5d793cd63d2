/* Growable byte buffers and allocation that stops the program on exhaustion. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"

/* Temporary files are removed by the caller's exit handler. */
static void
oom(void)
{
	diag_oom();
}

void *
xmalloc(size_t n)
{
	void	*p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void	*p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t sz)
{
	if (sz && n > (size_t)-1 / sz)
		oom();
	return xrealloc(p, n * sz);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
buf_grow(struct buf *b, size_t n)
{
	size_t	 need;

	if (n > (size_t)-1 - b->len - 1)
		oom();
	need = b->len + n + 1;
	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap = b->cap > (size_t)-1 / 2 ? need : b->cap * 2;
	b->data = xrealloc(b->data, b->cap);
}

void
buf_put(struct buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
	buf_put(b, &c, 1);
}

/* A number in decimal, without printf's cost (content streams use many). */
void
buf_putu(struct buf *b, unsigned long v)
{
	char	 s[24], *t = s + sizeof(s);

	do
		*--t = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	buf_put(b, t, (size_t)(s + sizeof(s) - t));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* Hand the bytes to the caller, who frees them; the buffer is left empty. */
char *
buf_detach(struct buf *b)
{
	char	*p = b->data ? b->data : xstrdup("");

	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

/* Append the rest of a stream: 0, or -1 on a read error (errno set). */
int
buf_read(struct buf *b, FILE *f)
{
	char	 chunk[65536];
	size_t	 n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(b, chunk, n);
	return ferror(f) ? -1 : 0;
}

/* Append a whole file: 0, or -1 when it cannot be read (errno set). */
int
buf_load(struct buf *b, const char *path)
{
	FILE	*f;
	int	 rc;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	rc = buf_read(b, f);
	fclose(f);
	return rc;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* ------------------------------------------------------------ arenas */

#define ARENA_BLOCK	(256 * 1024)

struct arena_block {
	struct arena_block	*next;
	size_t			 used, size;
	max_align_t		 data[];
};

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block	*b = a->head;
	size_t			 al = sizeof(max_align_t), need;
	void			*p;

	n = n ? (n + al - 1) / al * al : al;
	if (b == NULL || b->size - b->used < n) {
		need = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		if (need > (size_t)-1 - sizeof(*b))
			diag_oom();
		b = xmalloc(sizeof(*b) + need);
		b->next = a->head;
		b->used = 0;
		b->size = need;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

void
arena_free(struct arena *a)
{
	struct arena_block	*b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}
