/*
 * Where each printed page begins, as the PDF renderer set it, for the
 * e-book's page-list.  The PDF fills it; the EPUB reads it; neither
 * renderer knows the other.
 */
#ifndef FOLIO_PAGEMAP_H
#define FOLIO_PAGEMAP_H

#include <stddef.h>

#include <cmark-gfm.h>

struct pagemark {
	char		 label[16];	/* the printed page number */
	long		 segment;	/* -1: the front matter;
					   PAGEMAP_CHANGES: the changes page */
	cmark_node	*node;		/* where the page's text begins */
	size_t		 offset;	/* byte offset in the node's literal;
					   front matter: which front page */
};

/* A page of the changes list: offset 0 its top, i + 1 its entry i. */
#define PAGEMAP_CHANGES	(-2)

struct pagesync;

struct pagemap {
	struct pagemark	*marks;		/* in page order */
	size_t		 n, cap;
	struct pagesync	*sync;		/* NULL, or a reader on another thread */
	const char	*idprefix;	/* the e-book's ids: the book's pageprefix,
					   set by the PDF with the marks */
};

void	pagemap_add(struct pagemap *, const char *label, long segment,
	    cmark_node *, size_t offset);
void	pagemap_share(struct pagemap *);
void	pagemap_done(struct pagemap *);
void	pagemap_reach(struct pagemap *, long segment);
void	pagemap_segment(const struct pagemap *, size_t segment,
	    struct pagemap *view);
void	pagemap_wait(const struct pagemap *);
void	pagemap_free(struct pagemap *);

#endif
