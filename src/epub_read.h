/*
 * Reading an EPUB 3 that may have been damaged or made by anyone: the
 * archive (libzip), the package document found through
 * META-INF/container.xml, and the spine's XHTML documents in reading
 * order (libxml2).  What is read is bounded; nothing outside the archive
 * is ever loaded.
 */
#ifndef FOLIO_EPUB_READ_H
#define FOLIO_EPUB_READ_H

#include <stddef.h>

#include <libxml/xmlreader.h>

struct buf;
struct epub_read;

/* NULL after an error naming path. */
struct epub_read	*epub_read_open(const char *path);
void			 epub_read_close(struct epub_read *);

/* The package's schema:bookEdition and dc:date, or NULL. */
const char		*epub_read_edition(const struct epub_read *);
const char		*epub_read_date(const struct epub_read *);

/* The spine's XHTML documents but the navigation, in reading order. */
size_t			 epub_read_ndocs(const struct epub_read *);
const char		*epub_read_docname(const struct epub_read *, size_t);
int			 epub_read_doc(struct epub_read *, size_t,
			    struct buf *);

/*
 * A reader over the XHTML document [s, s + len), which must outlive it;
 * free it with xmlFreeTextReader.  Its first error goes to err; ours is
 * set for the documents folio has just written, whose text the limit
 * meant for strangers' e-books (10 MB a text node) must not refuse.
 */
xmlTextReaderPtr	 epub_read_xhtml(const char *s, size_t len, int ours,
			    struct buf *err);

#endif
