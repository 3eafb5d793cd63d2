/* Growable byte buffers and checked allocation, used by every module. */
#ifndef FOLIO_BUF_H
#define FOLIO_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct buf {
	char	*data;	/* always NUL-terminated when len > 0 */
	size_t	 len;
	size_t	 cap;
};

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

void	 buf_grow(struct buf *, size_t);
void	 buf_put(struct buf *, const char *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, char);
void	 buf_putu(struct buf *, unsigned long);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 buf_read(struct buf *, FILE *);
int	 buf_load(struct buf *, const char *path);
void	 buf_reset(struct buf *);
char	*buf_detach(struct buf *);
void	 buf_free(struct buf *);

/* Many small allocations freed at once; pointers stay valid until then. */
struct arena {
	struct arena_block	*head;
};

void	*arena_alloc(struct arena *, size_t);
void	 arena_free(struct arena *);

#endif
