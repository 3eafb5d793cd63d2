/* Escaping text for XML (XHTML, OPF, NCX). */
#ifndef FOLIO_XML_H
#define FOLIO_XML_H

#include <stddef.h>

struct buf;

void	xml_escape(struct buf *, const char *, size_t);
void	xml_puts(struct buf *, const char *);

#endif
