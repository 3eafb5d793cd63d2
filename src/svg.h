/*
 * SVG figures: a sanitised copy for the e-book, and pixels for the PDF.
 * svg_render uses librsvg, cairo and fontconfig, none of which folio
 * calls from two threads at once: call it from one thread at a time.
 */
#ifndef FOLIO_SVG_H
#define FOLIO_SVG_H

#include <stddef.h>

#include "buf.h"

#define SVG_MAX_BYTES	(8u * 1024 * 1024)	/* a larger file is refused */

int	 svg_sanitize(const unsigned char *, size_t, struct buf *out,
	    double *wpt, double *hpt, int *removed, char *why, size_t whylen);
int	 svg_render(const unsigned char *, size_t, double dpi,
	    unsigned char **rgba, unsigned *w, unsigned *h, char *why,
	    size_t whylen);

#endif
