/*
 * Reading the inputs of a build.  Every file folio reads comes through
 * here: only regular files, opened without blocking, read up to a size
 * limit, and — for what the manuscript names — only beneath the folder
 * it may come from, decided on the resolved path.  Each file read is
 * remembered, for --deps and so that no output overwrites an input.
 */
#ifndef FOLIO_FILE_H
#define FOLIO_FILE_H

#include <sys/types.h>

#include <stddef.h>

struct buf;

/* Limits, documented in the README's "Bad input". */
#define FILE_MAX_TEXT	(64UL << 20)	/* a chapter, metadata, style */
#define FILE_MAX_IMAGE	(64UL << 20)	/* an image */
#define FILE_MAX_FONT	(64UL << 20)	/* a font */
#define FILE_MAX_EPUB	(512UL << 20)	/* a --since e-book */

int	 file_read(const char *path, size_t limit, struct buf *, char *why,
	    size_t whylen);
int	 file_read_in(const char *root, const char *rel, size_t limit,
	    struct buf *, char *why, size_t whylen);
int	 file_within(const char *root, const char *path);
int	 file_is_input(dev_t, ino_t);
const char *file_input(size_t);
void	 file_forget(void);

#endif
