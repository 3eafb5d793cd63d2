/* Writing an edition: to a temporary file, renamed into place when whole. */
#ifndef FOLIO_OUTPUT_H
#define FOLIO_OUTPUT_H

#include <stddef.h>

int	output_write(const char *path, const char *data, size_t len);
int	output_mkdir(const char *dir);
void	output_cleanup_on_signal(void);

#endif
