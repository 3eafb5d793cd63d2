/*
 * Breaking a paragraph into lines: Knuth and Plass's total-fit algorithm
 * over boxes, glue and penalties.
 */
#ifndef FOLIO_LINEBREAK_H
#define FOLIO_LINEBREAK_H

#include <stddef.h>

#define LB_INF		10000	/* a penalty this high forbids a break */
#define LB_EMERGENCY	5000	/* a break inside a word that cannot fit */

enum item_type {
	ITEM_BOX,
	ITEM_GLUE,
	ITEM_PENALTY
};

struct item {
	enum item_type	 type;
	double		 width;
	double		 stretch;
	double		 shrink;
	int		 penalty;
	int		 flagged;	/* a hyphen appears if broken here */
	/* what a box draws; the breaker does not look at these */
	int		 font;
	float		 size;
	size_t		 text;		/* offset into the paragraph's text */
	size_t		 len;
	int		 link;		/* index into the book's links, or -1 */
	void		*src;		/* the source node of the text, if any */
	size_t		 off;		/* and the text's offset in it */
	size_t		 glyph;		/* its shaped glyphs, in the setter's */
	size_t		 nglyph;
	int		 deco;		/* underline, strike, raised, ... */
	int		 note;		/* a note's number: the note + 1 */
	int		 color;		/* a code token's, or 0 */
	float		 lprot, rprot;	/* how far it may hang into the left
					   or right margin at a line's end */
	int		 expands;	/* a box whose letters may widen */
};

struct line {
	size_t		 start;		/* first item of the line */
	size_t		 end;		/* the break: one past the last item */
	double		 ratio;		/* glue adjustment, -1 .. */
	int		 hyphen;	/* ends at a flagged penalty */
	double		 lprot, rprot;	/* what hangs into the margins */
};

struct lbstats {
	size_t		 lines;
	size_t		 hyphens;
	size_t		 loose;		/* set beyond the first tolerance */
	size_t		 emergency;	/* broken at LB_EMERGENCY */
	size_t		 overfull;	/* wider than the measure even shrunk */
};

size_t	linebreak(const struct item *, size_t, double width, int ragged,
	    double expansion, struct line **, struct lbstats *);
void	linebreak_fit(const struct item *, const struct line *, double width,
	    double expansion, double *glue, double *letters);

#endif
