/* Checking image files before either edition takes them. */
#ifndef FOLIO_IMAGE_H
#define FOLIO_IMAGE_H

#include <stddef.h>

int	image_check_png(const char *path, char *why, size_t);
int	image_check_jpeg(const char *path, char *why, size_t);

#endif
