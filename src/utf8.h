/* UTF-8 decoding, encoding and validation. */
#ifndef FOLIO_UTF8_H
#define FOLIO_UTF8_H

#include <stddef.h>
#include <stdint.h>

struct buf;

size_t	utf8_decode(const char *, size_t, uint32_t *);
void	utf8_encode(struct buf *, uint32_t);
size_t	utf8_invalid(const char *, size_t);
size_t	utf8_count(const char *, size_t);

#endif
