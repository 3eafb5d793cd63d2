/* The PDF renderer: typeset pages through libharu. */
#ifndef FOLIO_PDF_H
#define FOLIO_PDF_H

#include <stddef.h>

struct book;
struct buf;
struct pagemap;
struct style;

struct pdf_report {
	size_t	 pages;
	size_t	 lines;
	size_t	 hyphens;
	size_t	 emergency;	/* breaks forced inside unbreakable text */
	size_t	 overfull;	/* lines wider than the measure */
	size_t	 loose;
	size_t	 widows;	/* widows and orphans avoided */
};

int	pdf_write(const struct book *, const struct style *, struct buf *,
	    struct pdf_report *, struct pagemap *);

#endif
