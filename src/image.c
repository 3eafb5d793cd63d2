/*
 * Image checks.  The PDF copies a PNG's compressed data as it is, and
 * libharu copies a JPEG without reading it (a truncated one makes a
 * broken PDF), so every image is read here first: a PNG's header and
 * chunks with libpng, then its image data inflated and measured (what
 * decoding would find wrong, without computing the pixels), a JPEG
 * walked marker by marker to its end.  A file that fails is not used.
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <zlib.h>

#include "buf.h"
#include "image.h"

#define MAX_SIDE	20000	/* pixels; larger is refused */

static void
png_fail(png_structp png, png_const_charp msg)
{
	struct image_pngerr	*e = png_get_error_ptr(png);

	snprintf(e->msg, sizeof(e->msg), "%s", msg);
	longjmp(e->jmp, 1);
}

static void
png_warn(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* A libpng reader whose errors jump to e and whose warnings are quiet. */
png_structp
image_png_reader(struct image_pngerr *e)
{
	memset(e, 0, sizeof(*e));
	return png_create_read_struct(PNG_LIBPNG_VER_STRING, e, png_fail,
	    png_warn);
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * The image data after the header libpng has read: every critical
 * chunk's CRC, an IEND, and IDAT that inflates (checksum included) to
 * at least the rows the header promises, each with a valid filter type.
 * Returns NULL, or what is wrong.
 */
static const char *
check_idat(FILE *f, png_uint_32 w, png_uint_32 h, int bpp, int interlace)
{
	static const int x0[7] = { 0, 4, 0, 2, 0, 1, 0 };
	static const int dx[7] = { 8, 8, 4, 4, 2, 2, 1 };
	static const int y0[7] = { 0, 0, 4, 0, 2, 0, 1 };
	static const int dy[7] = { 8, 8, 8, 4, 4, 2, 2 };
	struct buf	 b = { NULL, 0, 0 };
	unsigned char	 out[65536];
	const unsigned char *d;
	const char	*bad = NULL;
	z_stream	 zs;
	size_t		 n, i, k, row, left;
	uint32_t	 len;
	unsigned long	 rows[7], stride[7];
	int		 pass, npass = interlace ? 7 : 1, zrc = Z_OK, iend = 0;

	rewind(f);
	if (buf_read(&b, f) == -1) {
		buf_free(&b);
		return "cannot be read";
	}
	d = (const unsigned char *)b.data;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK) {
		buf_free(&b);
		return "cannot be read";
	}
	for (pass = 0; pass < npass; pass++) {
		unsigned long	 pw = interlace ? (w > (png_uint_32)x0[pass] ?
		    (w - x0[pass] + dx[pass] - 1) / dx[pass] : 0) : w;
		unsigned long	 ph = interlace ? (h > (png_uint_32)y0[pass] ?
		    (h - y0[pass] + dy[pass] - 1) / dy[pass] : 0) : h;

		rows[pass] = pw > 0 ? ph : 0;
		stride[pass] = 1 + (pw * (unsigned long)bpp + 7) / 8;
	}
	pass = 0;
	row = 0;
	left = 0;	/* bytes to the next filter byte */
	for (i = 8; !iend && bad == NULL; i += 12 + (size_t)len) {
		if (i + 12 > b.len || (len = be32(d + i)) > b.len - i - 12) {
			bad = "truncated";
			break;
		}
		/* a bad CRC in an ancillary chunk is only a warning */
		if (!(d[i + 4] & 0x20) && crc32(0L, d + i + 4, len + 4) !=
		    be32(d + i + 8 + len)) {
			bad = "CRC error";
			break;
		}
		if (memcmp(d + i + 4, "IEND", 4) == 0)
			iend = 1;
		if (memcmp(d + i + 4, "IDAT", 4) != 0 || zrc == Z_STREAM_END)
			continue;
		zs.next_in = (Bytef *)(d + i + 8);
		zs.avail_in = len;
		while (zs.avail_in > 0 && zrc == Z_OK) {
			zs.next_out = out;
			zs.avail_out = sizeof(out);
			zrc = inflate(&zs, Z_NO_FLUSH);
			if (zrc != Z_OK && zrc != Z_STREAM_END) {
				bad = "bad compressed data";
				break;
			}
			for (k = 0; k < sizeof(out) - zs.avail_out; ) {
				while (pass < npass && row == rows[pass]) {
					pass++;
					row = 0;
				}
				if (pass == npass)
					break;	/* extra data: harmless */
				if (left == 0) {
					if (out[k] > 4) {
						bad = "bad filter type";
						break;
					}
					left = stride[pass];
				}
				n = sizeof(out) - zs.avail_out - k;
				if (n > left)
					n = left;
				k += n;
				if ((left -= n) == 0)
					row++;
			}
		}
	}
	while (pass < npass && row == rows[pass]) {
		pass++;
		row = 0;
	}
	if (bad == NULL && !iend)
		bad = "no IEND chunk";
	if (bad == NULL && pass < npass)
		bad = "not enough image data";
	inflateEnd(&zs);
	buf_free(&b);
	return bad;
}

int
image_check_png(const char *path, char *why, size_t sz)
{
	struct image_pngerr	 e;
	png_structp		 png;
	png_infop		 info = NULL;
	FILE *volatile		 f;
	const char		*bad;
	volatile int		 rc = -1;

	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(why, sz, "cannot be read");
		return -1;
	}
	png = image_png_reader(&e);
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
	if ((bad = check_idat(f, png_get_image_width(png, info),
	    png_get_image_height(png, info), png_get_channels(png, info) *
	    png_get_bit_depth(png, info), png_get_interlace_type(png, info) !=
	    PNG_INTERLACE_NONE)) != NULL) {
		snprintf(why, sz, "is damaged (%s)", bad);
		goto out;
	}
	rc = 0;
out:
	png_destroy_read_struct(&png, info ? &info : NULL, NULL);
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
	const unsigned char *d;
	size_t		 n, i, len;
	int		 frame = 0, rc = -1;

	if (buf_load(&b, path) == -1) {
		buf_free(&b);
		snprintf(why, sz, "cannot be read");
		return -1;
	}
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
