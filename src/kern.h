/* Pair kerning from a TrueType font's own GPOS table. */
#ifndef FOLIO_KERN_H
#define FOLIO_KERN_H

#include <stdint.h>

struct kern;

struct kern	*kern_load(const char *path);
int		 kern_pair(const struct kern *, uint16_t left, uint16_t right);
void		 kern_free(struct kern *);

#endif
