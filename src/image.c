/*
 * Image checks.  libharu hands a PNG to libpng without catching its
 * errors (a damaged file aborts the program) and copies a JPEG without
 * reading it (a truncated one makes a broken PDF), so every image is
 * read here first: a PNG decoded row by row with libpng, a JPEG walked
 * marker by marker to its end.  A file that fails is not used.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "buf.h"
#include "image.h"

#define MAX_SIDE	20000	/* pixels; larger is refused */

struct pngerr {
	jmp_buf	 jmp;
	char	 msg[128];
};

static void
png_fail(png_structp png, png_const_charp msg)
{
	struct pngerr	*e = png_get_error_ptr(png);

	snprintf(e->msg, sizeof(e->msg), "%s", msg);
	longjmp(e->jmp, 1);
}

static void
png_warn(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

int
image_check_png(const char *path, char *why, size_t sz)
{
	struct pngerr		 e;
	png_structp		 png;
	png_infop		 info = NULL;
	png_bytep volatile	 row = NULL;
	FILE *volatile		 f;
	png_uint_32		 y, h;
	int			 pass, passes;
	volatile int		 rc = -1;

	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(why, sz, "cannot be read");
		return -1;
	}
	memset(&e, 0, sizeof(e));
	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &e, png_fail,
	    png_warn);
	if (png == NULL || (info = png_create_info_struct(png)) == NULL) {
		snprintf(why, sz, "cannot be read");
		goto out;
	}
	if (setjmp(e.jmp)) {
		snprintf(why, sz, "is damaged (%s)", e.msg);
		goto out;
	}
	png_set_user_limits(png, MAX_SIDE, MAX_SIDE);
	png_init_io(png, f);
	png_read_info(png, info);
	passes = png_set_interlace_handling(png);
	png_read_update_info(png, info);
	h = png_get_image_height(png, info);
	row = xmalloc(png_get_rowbytes(png, info));
	for (pass = 0; pass < passes; pass++)
		for (y = 0; y < h; y++)
			png_read_row(png, row, NULL);
	png_read_end(png, NULL);
	rc = 0;
out:
	png_destroy_read_struct(&png, info ? &info : NULL, NULL);
	free(row);
	fclose(f);
	return rc;
}

/*
 * A JPEG is a sequence of marker segments; the image data after the
 * start of scan runs to the end-of-image marker.  A file that ends early,
 * has no frame header or has a malformed segment is refused.
 */
int
image_check_jpeg(const char *path, char *why, size_t sz)
{
	struct buf	 b = { NULL, 0, 0 };
	char		 chunk[65536];
	const unsigned char *d;
	size_t		 n, i, len;
	int		 frame = 0, rc = -1;
	FILE		*f;

	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(why, sz, "cannot be read");
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	d = (const unsigned char *)b.data;
	n = b.len;
	snprintf(why, sz, "is damaged (truncated or malformed JPEG)");
	if (n < 4 || d[0] != 0xFF || d[1] != 0xD8)
		goto out;
	for (i = 2; i + 4 <= n;) {
		if (d[i] != 0xFF)
			goto out;
		if (d[i + 1] == 0xFF) {		/* fill byte */
			i++;
			continue;
		}
		if ((d[i + 1] >= 0xD0 && d[i + 1] <= 0xD7) || d[i + 1] == 0x01) {
			i += 2;
			continue;
		}
		if (d[i + 1] == 0xD9)
			break;
		len = ((size_t)d[i + 2] << 8) | d[i + 3];
		if (len < 2 || i + 2 + len > n)
			goto out;
		if ((d[i + 1] >= 0xC0 && d[i + 1] <= 0xCF && d[i + 1] != 0xC4 &&
		    d[i + 1] != 0xC8 && d[i + 1] != 0xCC))
			frame = 1;
		if (d[i + 1] == 0xDA) {
			/* entropy-coded data: find the end-of-image marker */
			for (i += 2 + len; i + 1 < n; i++)
				if (d[i] == 0xFF && d[i + 1] == 0xD9)
					break;
			if (i + 1 >= n)
				goto out;
			break;
		}
		i += 2 + len;
	}
	if (!frame || i + 2 > n || d[i] != 0xFF || d[i + 1] != 0xD9)
		goto out;
	rc = 0;
out:
	buf_free(&b);
	return rc;
}
