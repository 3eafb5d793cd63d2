/* Writing editions: to temporary files, renamed into place when all are whole. */
#ifndef FOLIO_OUTPUT_H
#define FOLIO_OUTPUT_H

#include <stddef.h>

#define OUTPUT_MAX	1024	/* editions of one build: handouts, book, deps */

int	output_check(const char *path);
int	output_stage(const char *path, const char *data, size_t len);
int	output_commit(void);
void	output_abort(void);
int	output_mkdir(const char *dir);
void	output_cleanup_on_signal(void);

#endif
