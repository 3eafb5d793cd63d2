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
	size_t	 sheets;	/* booklet sheet faces, or 0 */
};

/* What to set: the book, or one chapter as a handout; pages or sheets. */
struct hyphenator;
struct words;

struct pdf_opts {
	long	 chapter;	/* a handout of this chapter, or -1 */
	int	 booklet;	/* impose for saddle-stitch printing */
	int	 press;		/* for the print shop: pdf_press.c */
	const char *datadir;	/* folio's data (the press's sRGB profile) */
	struct hyphenator *hyph; /* the book's patterns being read, or NULL:
				   pdf_write reads them */
};

struct hyphenator *pdf_patterns(const char *lang);
struct hyphenator *pdf_patterns_for(const char *lang, struct words *);
void	pdf_patterns_free(struct hyphenator *);

int	pdf_write(const struct book *, const struct style *,
	    const struct pdf_opts *, struct buf *, struct pdf_report *,
	    struct pagemap *);

#endif
