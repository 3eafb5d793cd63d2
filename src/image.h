/*
 * Checking images before either edition takes them: what kind a file
 * is, whether it decodes completely, and how large it is.  Everything
 * works on bytes in memory; the caller reads the file.
 */
#ifndef FOLIO_IMAGE_H
#define FOLIO_IMAGE_H

#include <setjmp.h>
#include <stddef.h>

#include <png.h>

#define IMAGE_MAX_PIXELS	(64u * 1024 * 1024)	/* width × height */
#define IMAGE_MAX_SIDE		30000u			/* pixels a side */

enum image_kind { IMAGE_KIND_PNG, IMAGE_KIND_JPEG, IMAGE_KIND_SVG,
	IMAGE_KIND_OTHER };

struct image_info {
	enum image_kind	 kind;
	unsigned	 width, height;		/* pixels (SVG: at 96 dpi) */
	double		 width_pt, height_pt;	/* natural size */
	int		 alpha;			/* has transparency */
	unsigned	 bit_depth, channels;	/* PNG, JPEG */
	int		 cmyk;			/* JPEG in CMYK or YCCK */
};

/* libpng's errors land here: a longjmp back, with libpng's message. */
struct image_pngerr {
	jmp_buf	 jmp;
	char	 msg[128];
};

png_structp	 image_png_reader(struct image_pngerr *);

enum image_kind	 image_sniff(const unsigned char *, size_t);
int		 image_check(const unsigned char *, size_t,
		    struct image_info *, char *why, size_t whylen);

#endif
