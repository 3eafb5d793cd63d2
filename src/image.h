/* Checking image files before either edition takes them. */
#ifndef FOLIO_IMAGE_H
#define FOLIO_IMAGE_H

#include <setjmp.h>
#include <stddef.h>

#include <png.h>

/* libpng's errors land here: a longjmp back, with libpng's message. */
struct image_pngerr {
	jmp_buf	 jmp;
	char	 msg[128];
};

png_structp image_png_reader(struct image_pngerr *);

int	image_check_png(const char *path, char *why, size_t);
int	image_check_jpeg(const char *path, char *why, size_t);

#endif
