/*
 * Font validation: every font file is checked here, in memory, before
 * HarfBuzz, the PDF writer or the EPUB packager parse it.
 */
#ifndef FOLIO_TTF_H
#define FOLIO_TTF_H

#include <stddef.h>

#define TTF_MAXSIZE	(64UL * 1024 * 1024)	/* larger files are refused */

struct ttf_info {
	int		 cff;		/* outlines in a CFF table (OTTO), not glyf */
	unsigned	 faces;		/* faces in the file (1 unless a collection) */
	unsigned	 units_per_em;
	unsigned	 nglyphs;
	int		 ascender, descender, line_gap;	/* hhea, font units */
	int		 cap_height, x_height;	/* OS/2 v2+, else 0 */
	int		 italic_angle_x10;	/* post, tenths of a degree */
	unsigned	 weight;		/* OS/2 usWeightClass, or 400 */
	int		 bbox[4];		/* head xMin yMin xMax yMax */
	int		 embeddable;	/* OS/2 fsType allows embedding */
	char		 family[64];	/* name ID 1 (or 16), ASCII, for messages; "" if none */
	char		 psname[64];	/* name ID 6, sanitised to [A-Za-z0-9-] */
};

/*
 * Check face `index` of font data (a single font or a TrueType/OpenType
 * collection, 'ttcf').  0 and *info filled when the font is safe to give
 * to HarfBuzz and to embed; -1 with a one-line reason in why (e.g.
 * "table 'hmtx' runs past the end of the file") otherwise.
 *
 * A sound font whose licence forbids embedding (OS/2 fsType restricted,
 * or bitmap embedding only) is refused too, but with *info filled and
 * embeddable 0; on any other refusal *info is all zero.  Files larger
 * than TTF_MAXSIZE are refused.  The work is linear in len.
 */
int	ttf_check(const unsigned char *data, size_t len, unsigned index,
	    struct ttf_info *info, char *why, size_t whylen);

#endif
