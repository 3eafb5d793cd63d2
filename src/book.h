/*
 * The book: metadata, the Markdown files it is made of, and what both
 * renderers share — chapters cut at top-level headings, heading ids,
 * figure and note numbers, resolved links and images — computed once,
 * before either renderer runs.
 *
 * A source is a file as read.  Its top-level blocks are dealt into
 * segments: a segment is a run of one file's blocks that begins at the
 * file's start or at a heading that opens a chapter, and is one document
 * of the e-book.  A chapter (or a part, a level above) is one or more
 * segments: a file that opens with a lower heading continues the
 * chapter before it.
 */
#ifndef FOLIO_BOOK_H
#define FOLIO_BOOK_H

#include <stddef.h>
#include <time.h>

#include <cmark-gfm.h>

#include "buf.h"
#include "mdbook.h"
#include "meta.h"
#include "slug.h"

struct changes;
struct words;
struct hl_span;
struct toml_value;

enum matter {
	MATTER_FRONT,	/* mdBook's prefix chapters */
	MATTER_BODY,
	MATTER_BACK	/* its suffix chapters */
};

struct source {
	char		*path;		/* as the user can find it */
	char		*rel;		/* relative to the book's root */
	char		*name;		/* file name, e.g. 03-policy.md */
	char		*text;		/* the Markdown, directives expanded */
	size_t		 len;
	cmark_node	*doc;		/* its parse, until dealt into segments */
	struct mdbook_map map;		/* where expanded lines came from */
	const char	*listed;	/* the file that lists it, or NULL */
	int		 line, col;	/* and where */
	int		 depth;		/* nesting in SUMMARY.md */
	int		 opens;		/* opens a chapter, whatever it holds */
	int		 shift;		/* added to its heading levels */
	long		 seg;		/* its first segment, or -1 */
	enum matter	 matter;
	char		*label;		/* its title in SUMMARY.md, or NULL */
	char		*part;		/* a SUMMARY.md part that begins here */
	size_t		 nblocks;	/* top-level blocks, for the count */
};

struct segment {
	size_t		 source;
	cmark_node	*doc;		/* a document holding its blocks */
	size_t		 chapter;
	size_t		 first_heading;
	size_t		 nheadings;
};

enum division {
	DIV_CHAPTER,
	DIV_PART
};

struct chapter {
	enum division	 kind;
	enum matter	 matter;
	char		*title;		/* plain text */
	long		 title_heading;	/* the heading that opens it, or -1 */
	long		 part;		/* the part it is in, or -1 */
	size_t		 first_seg;
	size_t		 nsegs;		/* 0: a part that is a title only */
	size_t		 first_heading;
	size_t		 nheadings;
	size_t		 nwords;
	const char	*path;		/* its first file, for messages */
	const char	*name;
};

struct heading {
	int		 level;		/* 1 the chapter's, 0 a part's */
	char		*text;		/* plain text, never empty */
	const char	*id;		/* owned by the book's slug set */
	size_t		 chapter;
	size_t		 segment;
	cmark_node	*node;
};

struct figure {
	int		 number;	/* 1, 2, ... across the book */
	const char	*id;
	char		*caption;	/* title, else alt text */
	int		 labelled;	/* the caption numbers itself */
	size_t		 image;		/* index in book.images, + 1 */
	cmark_node	*caption_node;	/* a <figcaption>, set as the caption */
};

/* A footnote: its definition, moved out of the text, and its numbers. */
struct note {
	cmark_node	*def;		/* a footnote definition node */
	size_t		 segment;	/* of its first reference */
	size_t		 chapter;
	int		 number;	/* in its chapter */
	int		 booknumber;	/* through the book */
	size_t		 source;	/* the file that defines it */
	const char	*id;		/* "note.N" */
	const char	*refid;		/* its first reference's id */
};

/* A code block: its highlighting, its listing if it has one. */
struct code {
	cmark_node	*node;
	char		*lang;		/* the info string's first word, or NULL */
	struct hl_span	*spans;		/* highlighted tokens, or NULL */
	size_t		 nspans;
	long		 listing;	/* index in book.listings, or -1 */
	int		 linenos;	/* numbered lines asked for */
};

/* A listing: a code block with its file name and caption. */
struct listing {
	char		*label;		/* "Listing 4-1", or NULL */
	const char	*id;		/* "listing.4-1" */
	char		*file;		/* "src/main.rs", or NULL */
	cmark_node	*caption;	/* a paragraph of its caption, or NULL */
	size_t		 code;		/* index in book.codes */
};

enum image_type { IMAGE_PNG, IMAGE_JPEG, IMAGE_SVG };

struct image {
	char		*path;		/* the file, inside the manuscript */
	char		*name;		/* its name inside the e-book */
	enum image_type	 type;
	unsigned char	*data;		/* the file's bytes, read once */
	size_t		 len;
	int		 bad;		/* refused when checked: not used */
	const char	*from;		/* where first named, for its warning */
	int		 line, col;
	char		*url;		/* as written there */
	struct buf	 svg;		/* SVG: the sanitised copy */
	double		 width_pt;	/* natural size */
	double		 height_pt;
};

enum link_kind { LINK_EXTERNAL, LINK_INTERNAL };

struct link {
	enum link_kind	 kind;
	char		*href;		/* external: a valid URI */
	size_t		 chapter;	/* internal: target chapter */
	size_t		 segment;	/* and document */
	const char	*id;		/* internal: heading or anchor id, or
					   NULL for the document's start */
};

/* What raw HTML became: an element folio carries, and its attributes. */
struct element {
	char		*name;		/* "sub", "kbd", "figure", "listing" */
	char		*id;		/* an anchor links may target */
	char		*src, *alt;	/* <img> */
	char		*caption;	/* <Listing caption=...> */
	char		*file;		/* <Listing file-name=...> */
	char		*number;	/* <Listing number=...> */
	char		*cls;		/* class="filename" */
	int		 open;		/* <details open> */
};

/* Where a node made from HTML was written (made nodes have no position). */
struct nodepos {
	const void	*node;
	int		 line, col;
};

struct book {
	char		*source;	/* SOURCE as given */
	char		*root;		/* the manuscript folder */
	struct meta	 meta;
	struct toml_value *toml;	/* an mdBook project's book.toml */
	char		*srcdir;	/* and its src folder, from root */
	char		*title;		/* effective title, never NULL */
	char		*slug;		/* for output file names */
	char		*lang;
	char		*identifier;
	time_t		 modified;	/* reproducible build date */
	struct source	*sources;
	size_t		 nsources;
	struct segment	*segments;
	size_t		 nsegments;
	struct chapter	*chapters;	/* and parts, in reading order */
	size_t		 nchapters;
	struct heading	*headings;
	size_t		 nheadings;
	struct figure	*figures;
	size_t		 nfigures;
	struct note	*notes;
	size_t		 nnotes;
	struct code	*codes;
	size_t		 ncodes;
	struct listing	*listings;
	size_t		 nlistings;
	struct image	*images;
	size_t		 nimages;
	struct link	*links;
	size_t		 nlinks;
	struct element	*elements;
	size_t		 nelements;
	long		 cover;		/* index in images, or -1 */
	size_t		 nwords;
	size_t		 nalt_missing;	/* images without a description */
	int		 smart;		/* smart punctuation */
	struct nodepos	*pos;		/* a hash of made nodes' positions */
	size_t		 npos, cappos;
	struct idseg {			/* every id, and its document */
		const char	*id;
		size_t		 segment;
	}		*idmap;
	size_t		 nidmap, capidmap;
	struct slugset	 ids;
	char		 pageprefix[16]; /* of the e-book's page ids: "page." */
	const struct changes *changes;	/* since --since's edition, or
					   NULL; owned by main */
};

/* What to read: SOURCE, more files (pandoc's way), a metadata file. */
struct book_input {
	const char	*source;
	const char	**more;
	size_t		 nmore;
	const char	*metafile;
	/* told the book's language (a valid tag) before its Markdown is
	   parsed, and the Markdown's size: a renderer may start on what
	   depends on them alone */
	void		(*ready)(const char *lang, size_t bytes, void *arg);
	void		*arg;
};

int	 book_load(struct book *, const struct book_input *);
void	 book_free(struct book *);

const struct heading	*book_heading(const struct book *, cmark_node *);
const struct figure	*book_figure(const struct book *, cmark_node *);
const struct image	*book_image(const struct book *, cmark_node *);
const struct link	*book_link(const struct book *, cmark_node *);
const struct note	*book_note(const struct book *, cmark_node *);
const struct element	*book_element(const struct book *, cmark_node *);
const struct code	*book_code(const struct book *, cmark_node *);
const char		*book_anchor(const struct book *, cmark_node *);
char			*book_plain(cmark_node *);
void			 book_words(const struct book *, struct words *);
void			 book_where(const struct book *, size_t source,
			    cmark_node *, const char **path, int *line,
			    int *col);
void			 book_set_where(struct book *, cmark_node *, int line,
			    int col);

/* manuscript.c: the files of a book, in order, read and parsed */
int	 manuscript_load(struct book *, const struct book_input *);
void	 manuscript_free_sources(struct book *);

/* html.c: raw HTML made into the nodes folio sets, or text */
void	 html_convert(struct book *, size_t source);

#endif
