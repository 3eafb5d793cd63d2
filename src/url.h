/* Addresses: link URLs checked and escaped, and relative paths resolved. */
#ifndef FOLIO_URL_H
#define FOLIO_URL_H

#include <stddef.h>

int	 url_scheme(const char *, size_t *len);
int	 url_host_ok(const char *);
char	*url_escape(const char *);
char	*url_unescape(const char *, size_t);
char	*url_join(const char *rel, const char *path);
char	*url_normalize(const char *);

#endif
