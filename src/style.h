/* Style sheets: page geometry, fonts and sizes, read from an INI file. */
#ifndef FOLIO_STYLE_H
#define FOLIO_STYLE_H

#include "ttf.h"

enum font_role {
	FONT_TEXT,
	FONT_ITALIC,
	FONT_BOLD,
	FONT_BOLDITALIC,
	FONT_MONO,
	FONT__MAX
};

enum head_style {
	HEAD_ALTERNATE,	/* book title left, chapter title right */
	HEAD_COMBINED,	/* "Book — Chapter" on every page */
	HEAD_NONE
};

enum folio_style {
	FOLIO_NUMBER,	/* 12 */
	FOLIO_OF_TOTAL,	/* page 12 of 40 */
	FOLIO_NONE
};

#define STYLE_MAX_FALLBACK	8	/* fonts a style may name */

struct style {
	char	*path;
	/* [page], in points */
	double	 page_width, page_height;
	double	 margin_top, margin_bottom, margin_inner, margin_outer;
	int	 two_sided;
	enum head_style	 head;
	enum folio_style folio;
	int	 toc;		/* print a table of contents */
	int	 changes;	/* a "Changes in this edition" page */
	double	 bleed;		/* --press: beyond the trim, each side */
	/* [fonts]: resolved file paths */
	char	*font[FONT__MAX];
	int	 fontline[FONT__MAX];	/* where the style names it, or 0 */
	char	*features[2];	/* OpenType features: text, headings */
	char	**fallback;	/* fonts tried first for what the faces lack */
	size_t	 nfallback;
	int	 fallbackline;
	unsigned char *fontdata[FONT__MAX];	/* read once, checked */
	size_t	 fontlen[FONT__MAX];
	struct ttf_info fontinfo[FONT__MAX];	/* what the check found */
	/* [text] */
	double	 size, leading, indent, para_space;
	double	 code_size, code_leading;
	int	 justify;
	int	 protrusion;	/* stops and hyphens hang into the margin */
	double	 expansion;	/* letters widen or narrow by this, at most */
	/* [code] */
	int	 code_linenos;	/* every listing's lines numbered */
	int	 code_color;	/* the colour theme, not black and white */
	/* [notes] */
	int	 notes_book;	/* numbered through the book, not the chapter */
	int	 endnotes;	/* at the chapter's end, not the page's foot */
	/* [headings] */
	double	 heading_size[6];
	double	 heading_before, heading_after;
	double	 chapter_drop;
};

int	 style_load(struct style *, const char *path, const char *datadir,
	    const char *within);
void	 style_free(struct style *);
int	 style_length(const char *, double *);

#endif
