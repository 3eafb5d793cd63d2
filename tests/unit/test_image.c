/*
 * Image checks: kinds by their bytes, sizes, damaged and oversized
 * files refused with their reason, in bounded memory.  The files are
 * made here: PNGs chunk by chunk, JPEGs with libjpeg.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

#include "buf.h"
#include "image.h"
#include "unit.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED	1
#endif
#endif

/* The filter type mkpng gives every row (0: none; 5 and up: none such). */
static int	mk_filter;

static void
be32(struct buf *b, uint32_t v)
{
	char	 p[4];

	p[0] = (char)(v >> 24);
	p[1] = (char)(v >> 16);
	p[2] = (char)(v >> 8);
	p[3] = (char)v;
	buf_put(b, p, 4);
}

static void
chunk(struct buf *b, const char *type, const void *data, size_t len)
{
	uLong	 crc = crc32(0L, (const Bytef *)type, 4);

	be32(b, (uint32_t)len);
	buf_put(b, type, 4);
	buf_put(b, data, len);
	crc = crc32(crc, data, (uInt)len);
	be32(b, (uint32_t)crc);
}

/*
 * A PNG of w × h, every sample 0x80; only the first `rows` rows of
 * image data are written (all if rows == h), deflated a row at a time.
 */
static void
mkpng(struct buf *b, uint32_t w, uint32_t h, int depth, int ctype,
    uint32_t rows, uint32_t ppm)
{
	static const int channels[7] = { 1, 0, 3, 1, 2, 0, 4 };
	unsigned char	 ihdr[13], out[65536], *row;
	size_t		 rowlen = 1 + ((size_t)w * channels[ctype] * depth + 7) /
			    8;
	struct buf	 z = { NULL, 0, 0 };
	z_stream	 zs;
	uint32_t	 y;
	int		 rc;

	buf_reset(b);
	buf_put(b, "\x89PNG\r\n\x1a\n", 8);
	memset(ihdr, 0, sizeof(ihdr));
	ihdr[0] = (unsigned char)(w >> 24);
	ihdr[1] = (unsigned char)(w >> 16);
	ihdr[2] = (unsigned char)(w >> 8);
	ihdr[3] = (unsigned char)w;
	ihdr[4] = (unsigned char)(h >> 24);
	ihdr[5] = (unsigned char)(h >> 16);
	ihdr[6] = (unsigned char)(h >> 8);
	ihdr[7] = (unsigned char)h;
	ihdr[8] = (unsigned char)depth;
	ihdr[9] = (unsigned char)ctype;
	chunk(b, "IHDR", ihdr, 13);
	if (ppm > 0) {
		struct buf	 p = { NULL, 0, 0 };

		be32(&p, ppm);
		be32(&p, ppm);
		buf_putc(&p, 1);
		chunk(b, "pHYs", p.data, p.len);
		buf_free(&p);
	}
	row = calloc(1, rowlen);
	row[0] = (unsigned char)mk_filter;
	memset(row + 1, 0x80, rowlen - 1);
	memset(&zs, 0, sizeof(zs));
	deflateInit(&zs, 9);
	for (y = 0; y < rows; y++) {
		zs.next_in = row;
		zs.avail_in = (uInt)rowlen;
		do {
			zs.next_out = out;
			zs.avail_out = sizeof(out);
			rc = deflate(&zs, y + 1 == rows ? Z_FINISH : Z_NO_FLUSH);
			buf_put(&z, (char *)out, sizeof(out) - zs.avail_out);
		} while (zs.avail_out == 0 || (y + 1 == rows &&
		    rc != Z_STREAM_END));
	}
	deflateEnd(&zs);
	free(row);
	chunk(b, "IDAT", z.data, z.len);
	chunk(b, "IEND", "", 0);
	buf_free(&z);
}

/* Another size in a PNG's header, its CRC made right. */
static void
ihdr_size(struct buf *b, uint32_t w, uint32_t h)
{
	unsigned char	*d = (unsigned char *)b->data;
	uLong		 crc;
	int		 i;

	for (i = 0; i < 4; i++) {
		d[16 + i] = (unsigned char)(w >> (24 - 8 * i));
		d[20 + i] = (unsigned char)(h >> (24 - 8 * i));
	}
	crc = crc32(0L, d + 12, 17);
	for (i = 0; i < 4; i++)
		d[29 + i] = (unsigned char)(crc >> (24 - 8 * i));
}

/* A JPEG of w × h, grey or colour stripes, in memory. */
static void
mkjpeg(struct buf *b, unsigned w, unsigned h, int comps, int progressive,
    int dpi)
{
	struct jpeg_compress_struct	 c;
	struct jpeg_error_mgr		 err;
	unsigned char			*mem = NULL, *row;
	unsigned long			 len = 0;
	JSAMPROW			 rp[1];
	unsigned			 x, y;

	c.err = jpeg_std_error(&err);
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &mem, &len);
	c.image_width = w;
	c.image_height = h;
	c.input_components = comps;
	c.in_color_space = comps == 1 ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_set_defaults(&c);
	if (dpi > 0) {
		c.density_unit = 1;
		c.X_density = c.Y_density = (UINT16)dpi;
	}
	if (progressive)
		jpeg_simple_progression(&c);
	jpeg_start_compress(&c, TRUE);
	row = malloc((size_t)w * comps);
	rp[0] = row;
	for (y = 0; y < h; y++) {
		for (x = 0; x < w * (unsigned)comps; x++)
			row[x] = (unsigned char)((x + y) & 0xFF);
		jpeg_write_scanlines(&c, rp, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(row);
	buf_reset(b);
	buf_put(b, (char *)mem, len);
	free(mem);
}

/* The offset of the SOF0 segment's height field. */
static size_t
sof_height(const struct buf *b)
{
	const unsigned char	*d = (const unsigned char *)b->data;
	size_t			 i;

	for (i = 2; i + 9 < b->len; i++)
		if (d[i] == 0xFF && (d[i + 1] == 0xC0 || d[i + 1] == 0xC2))
			return i + 5;
	return 0;
}

static void
set16(struct buf *b, size_t off, unsigned v)
{
	b->data[off] = (char)(v >> 8);
	b->data[off + 1] = (char)v;
}

static int
check(const struct buf *b, struct image_info *ii, char *why, size_t sz)
{
	why[0] = '\0';
	return image_check((const unsigned char *)b->data, b->len, ii, why,
	    sz);
}

static void
png_to_buf(png_structp png, png_bytep data, size_t n)
{
	buf_put(png_get_io_ptr(png), (const char *)data, n);
}

static void
png_no_flush(png_structp png)
{
	(void)png;
}

/*
 * A PNG as libpng writes one (its own filters and deflate), pixels of
 * a pattern: the check must take what a real encoder makes, interlaced
 * or not, at every depth and colour type.
 */
static void
libpng_png(struct buf *b, uint32_t w, uint32_t h, int depth, int ctype,
    int interlace)
{
	static const int channels[7] = { 1, 0, 3, 1, 2, 0, 4 };
	png_structp	 png;
	png_infop	 info;
	png_color	 pal[16];
	size_t		 rowlen = ((size_t)w * channels[ctype] * depth + 7) / 8;
	unsigned char	*px = malloc(rowlen * h), **rows = malloc(h *
			    sizeof(*rows));
	uint32_t	 y;
	size_t		 i;

	for (i = 0; i < rowlen * h; i++)
		px[i] = (unsigned char)(i * 7 % 251);
	if (ctype == 3)
		for (i = 0; i < rowlen * h; i++)
			px[i] &= depth == 8 ? 0x0F : 0xFF;
	for (y = 0; y < h; y++)
		rows[y] = px + rowlen * y;
	for (i = 0; i < 16; i++) {
		pal[i].red = (png_byte)(i * 16);
		pal[i].green = (png_byte)(255 - i * 16);
		pal[i].blue = 128;
	}
	buf_reset(b);
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png_create_info_struct(png);
	png_set_write_fn(png, b, png_to_buf, png_no_flush);
	png_set_IHDR(png, info, w, h, depth, ctype, interlace,
	    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (ctype == 3)
		png_set_PLTE(png, info, pal, depth == 1 ? 2 : depth == 2 ? 4 :
		    16);
	png_write_info(png, info);
	png_write_image(png, rows);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(rows);
	free(px);
}

/* The process's peak resident size, in MB. */
static long
peak_mb(void)
{
	struct rusage	 ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

int
main(void)
{
	struct buf		 b = { NULL, 0, 0 };
	struct image_info	 ii;
	char			 why[200];
	size_t			 off;
	long			 before;

	/* kinds */
	CHECK(image_sniff((const unsigned char *)"\x89PNG\r\n\x1a\n", 8) ==
	    IMAGE_KIND_PNG);
	CHECK(image_sniff((const unsigned char *)"\xff\xd8\xff\xe0", 4) ==
	    IMAGE_KIND_JPEG);
	CHECK(image_sniff((const unsigned char *)"\xef\xbb\xbf<?xml "
	    "version=\"1.0\"?>\n<!-- a -->\n<!DOCTYPE svg PUBLIC \"x\" \"y\" "
	    "[ <!ENTITY a \"b\"> ]>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
	    105) == IMAGE_KIND_SVG);
	CHECK(image_sniff((const unsigned char *)"<svg:svg xmlns:svg=\"x\"/>",
	    24) == IMAGE_KIND_SVG);
	CHECK(image_sniff((const unsigned char *)"<svgx/>", 7) ==
	    IMAGE_KIND_OTHER);
	CHECK(image_sniff((const unsigned char *)"<html><svg/></html>", 19) ==
	    IMAGE_KIND_OTHER);
	CHECK(image_sniff((const unsigned char *)"GIF89a", 6) ==
	    IMAGE_KIND_OTHER);
	CHECK(image_sniff((const unsigned char *)"<!-- never ends", 15) ==
	    IMAGE_KIND_OTHER);
	CHECK(image_sniff(NULL, 0) == IMAGE_KIND_OTHER);
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	CHECK_STR(why, "is not a PNG, JPEG or SVG file");

	before = peak_mb();

	/* PNG: good, with and without a resolution */
	mkpng(&b, 4, 3, 8, 6, 3, 0);
	CHECK(check(&b, &ii, why, sizeof(why)) == 0);
	CHECK(ii.kind == IMAGE_KIND_PNG && ii.width == 4 && ii.height == 3);
	CHECK(ii.alpha && ii.bit_depth == 8 && ii.channels == 4);
	CHECK(ii.width_pt == 3 && ii.height_pt == 2.25);
	mkpng(&b, 300, 150, 8, 2, 150, 11811);	/* 300 dpi */
	CHECK(check(&b, &ii, why, sizeof(why)) == 0);
	CHECK(!ii.alpha && ii.channels == 3);
	CHECK(ii.width_pt > 71.99 && ii.width_pt < 72.01);
	CHECK(ii.height_pt > 35.99 && ii.height_pt < 36.01);

	/* PNG: 20000×20000 16-bit RGBA (3.2 GB decoded) in a few bytes */
	mkpng(&b, 20000, 20000, 16, 6, 2, 0);
	CHECK(b.len < 4096);
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	CHECK_STR(why, "is 20000\xc3\x97" "20000 pixels; the limit is "
	    "67,108,864 pixels");
	mkpng(&b, 40000, 2, 8, 0, 2, 0);
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	CHECK_STR(why, "is 40000\xc3\x97" "2 pixels; the limit is 30,000 "
	    "pixels a side");
	mkpng(&b, 8, 8, 8, 0, 8, 0);
	ihdr_size(&b, 0x7FFFFFFF, 0x7FFFFFFF);
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	CHECK(strstr(why, "the limit is 67,108,864 pixels") != NULL);

	/* PNG: damage */
	mkpng(&b, 64, 64, 8, 2, 32, 0);		/* half the rows */
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	CHECK(strncmp(why, "is damaged: ", 12) == 0);
	mkpng(&b, 64, 64, 8, 2, 64, 0);
	b.data[b.len - 20] ^= 1;		/* in IDAT: CRC */
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	CHECK(strncmp(why, "is damaged: ", 12) == 0);
	mkpng(&b, 64, 64, 8, 2, 64, 0);
	b.len -= 12;				/* no IEND */
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	CHECK(strncmp(why, "is damaged: ", 12) == 0);
	mkpng(&b, 0, 64, 8, 2, 1, 0);
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	CHECK(strncmp(why, "is damaged: ", 12) == 0);
	b.len = 30;				/* inside IHDR */
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	mk_filter = 5;				/* no such filter */
	mkpng(&b, 64, 64, 8, 2, 64, 0);
	mk_filter = 0;
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	CHECK_STR(why, "is damaged: a row's filter type is unknown");
	mkpng(&b, 64, 65, 8, 2, 65, 0);		/* a row more than declared */
	ihdr_size(&b, 64, 64);
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	CHECK_STR(why, "is damaged: too much image data");
	mkpng(&b, 64, 64, 8, 2, 64, 0);
	b.data[37] ^= 0x20;			/* IDAT named iDAT: none left */
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);

	/* PNG as libpng writes it: every colour type, depth, interlacing */
	{
		static const int	 kinds[][2] = { { 0, 1 }, { 0, 2 },
			{ 0, 4 }, { 0, 8 }, { 0, 16 }, { 2, 8 }, { 2, 16 },
			{ 3, 1 }, { 3, 2 }, { 3, 4 }, { 3, 8 }, { 4, 8 },
			{ 4, 16 }, { 6, 8 }, { 6, 16 } };
		static const uint32_t	 sizes[][2] = { { 1, 1 }, { 3, 2 },
			{ 7, 9 }, { 33, 17 } };
		size_t			 k, z;
		int			 il, bad = 0;

		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			for (z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++)
				for (il = 0; il < 2; il++) {
					libpng_png(&b, sizes[z][0],
					    sizes[z][1], kinds[k][1],
					    kinds[k][0], il);
					if (check(&b, &ii, why,
					    sizeof(why)) != 0 ||
					    ii.width != sizes[z][0]) {
						fprintf(stderr, "type %d "
						    "depth %d %ux%u%s: %s\n",
						    kinds[k][0], kinds[k][1],
						    sizes[z][0], sizes[z][1],
						    il ? " interlaced" : "",
						    why);
						bad++;
					}
				}
		CHECK(bad == 0);
		libpng_png(&b, 33, 17, 8, 2, 1);	/* interlaced, cut */
		b.len -= 30;
		CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	}

	/* PNG at the pixel limit: decoded a row at a time */
	mkpng(&b, 8192, 8192, 8, 0, 8192, 0);
	CHECK(check(&b, &ii, why, sizeof(why)) == 0);
	CHECK(ii.width == 8192 && ii.height == 8192);

	/* JPEG: good, with and without a resolution */
	mkjpeg(&b, 64, 48, 3, 0, 0);
	CHECK(check(&b, &ii, why, sizeof(why)) == 0);
	CHECK(ii.kind == IMAGE_KIND_JPEG && ii.width == 64 && ii.height == 48);
	CHECK(ii.channels == 3 && ii.bit_depth == 8 && !ii.cmyk && !ii.alpha);
	CHECK(ii.width_pt == 48 && ii.height_pt == 36);
	mkjpeg(&b, 150, 75, 1, 1, 150);
	CHECK(check(&b, &ii, why, sizeof(why)) == 0);
	CHECK(ii.channels == 1 && ii.width_pt == 72 && ii.height_pt == 36);

	/* JPEG: height 0, 65535×65535, 40000×40000, too wide */
	mkjpeg(&b, 64, 48, 3, 0, 0);
	CHECK((off = sof_height(&b)) != 0);
	set16(&b, off, 0);
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	CHECK_STR(why, "is damaged: it declares 64\xc3\x97" "0 pixels");
	set16(&b, off, 65535);
	set16(&b, off + 2, 65535);
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	CHECK_STR(why, "is 65535\xc3\x97" "65535 pixels; the limit is "
	    "67,108,864 pixels");
	set16(&b, off, 40000);
	set16(&b, off + 2, 40000);
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	CHECK_STR(why, "is 40000\xc3\x97" "40000 pixels; the limit is "
	    "67,108,864 pixels");
	set16(&b, off, 8);
	set16(&b, off + 2, 30001);
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	CHECK_STR(why, "is 30001\xc3\x97" "8 pixels; the limit is 30,000 "
	    "pixels a side");

	/* JPEG: truncated in the scan, or before it */
	mkjpeg(&b, 256, 256, 3, 0, 0);
	b.len = b.len * 6 / 10;
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	CHECK_STR(why, "is damaged: Premature end of JPEG file");
	mkjpeg(&b, 256, 256, 3, 1, 0);
	b.len = b.len * 6 / 10;
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	CHECK_STR(why, "is damaged: Premature end of JPEG file");
	b.len = 100;
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	CHECK(strncmp(why, "is damaged: ", 12) == 0);
	b.len = 3;
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);

	/* all of the above within a few MB of what the process had */
#ifndef SANITIZED
	CHECK(peak_mb() - before < 50);
#else
	(void)before;
#endif

	/* a progressive JPEG whose coefficients exceed the budget */
	mkjpeg(&b, 6000, 6000, 1, 1, 0);
	CHECK(check(&b, &ii, why, sizeof(why)) == -1);
	CHECK_STR(why, "needs more than 48 MB to decode (a progressive JPEG "
	    "of 6000\xc3\x97" "6000 pixels)");

	buf_free(&b);
	return UNIT_DONE();
}
