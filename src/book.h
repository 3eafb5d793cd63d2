/*
 * The book: metadata, chapters (one cmark tree each) and the facts both
 * renderers share — heading ids, figure numbers, resolved links and
 * images — computed once, before either renderer runs.
 */
#ifndef FOLIO_BOOK_H
#define FOLIO_BOOK_H

#include <stddef.h>
#include <time.h>

#include <cmark.h>

#include "buf.h"
#include "meta.h"
#include "slug.h"

struct changes;

struct chapter {
	char		*path;		/* as the user can find it */
	char		*name;		/* file name, e.g. 03-policy.md */
	char		*title;		/* plain text */
	char		*text;		/* the Markdown source */
	cmark_node	*doc;
	size_t		 first_heading;	/* index in book.headings */
	size_t		 nheadings;
	long		 title_heading;	/* the heading that titles it, or -1 */
	size_t		 nwords;
};

struct heading {
	int		 level;
	char		*text;		/* plain text, never empty */
	const char	*id;		/* owned by the book's slug set */
	size_t		 chapter;
	cmark_node	*node;
};

struct figure {
	int		 number;	/* 1, 2, ... across the book */
	const char	*id;
	char		*caption;	/* title, else alt text */
	size_t		 image;		/* index in book.images */
};

enum image_type { IMAGE_PNG, IMAGE_JPEG, IMAGE_SVG };

struct image {
	char		*path;		/* the file, inside the manuscript */
	char		*name;		/* its name inside the e-book */
	enum image_type	 type;
	struct buf	 svg;		/* SVG: the sanitised copy */
	double		 width_pt;	/* natural size */
	double		 height_pt;
};

enum link_kind { LINK_EXTERNAL, LINK_INTERNAL };

struct link {
	enum link_kind	 kind;
	char		*href;		/* external: a valid URI */
	size_t		 chapter;	/* internal: target chapter */
	const char	*id;		/* internal: heading id, or NULL */
};

struct book {
	char		*source;	/* SOURCE as given */
	char		*root;		/* the manuscript folder */
	struct meta	 meta;
	char		*title;		/* effective title, never NULL */
	char		*slug;		/* for output file names */
	char		*lang;
	char		*identifier;
	time_t		 modified;	/* reproducible build date */
	struct chapter	*chapters;
	size_t		 nchapters;
	struct heading	*headings;
	size_t		 nheadings;
	struct figure	*figures;
	size_t		 nfigures;
	struct image	*images;
	size_t		 nimages;
	struct link	*links;
	size_t		 nlinks;
	long		 cover;		/* index in images, or -1 */
	size_t		 nwords;
	size_t		 nalt_missing;	/* images without a description */
	struct slugset	 ids;
	const struct changes *changes;	/* since --since's edition, or
					   NULL; owned by main */
};

int	 book_load(struct book *, const char *source);
void	 book_free(struct book *);

const struct heading	*book_heading(const struct book *, cmark_node *);
const struct figure	*book_figure(const struct book *, cmark_node *);
const struct image	*book_image(const struct book *, cmark_node *);
const struct link	*book_link(const struct book *, cmark_node *);
char			*book_plain(cmark_node *);

#endif
