/*
 * Image checks.  The PDF copies a PNG's compressed data or a JPEG as it
 * is, so a file either edition takes must decode completely: every row
 * of a PNG goes through libpng, every scanline of a JPEG through
 * libjpeg, into one row buffer, never the whole image.  A size over the
 * limits is refused before anything proportional to the image is
 * allocated; a JPEG's decoder gets a memory budget (a progressive one
 * keeps its coefficients) and a bound on its scans.  SVG files are
 * checked by svg.c.
 */
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
#include <zlib.h>

#include "buf.h"
#include "image.h"
#include "svg.h"

#define JPEG_MAX_MEMORY	(48L * 1024 * 1024)	/* libjpeg's budget */
#define JPEG_MAX_SCANS	1000			/* progressive scans */
#define PNG_MAX_CHUNK	(8u * 1024 * 1024)	/* one ancillary chunk */

/* Resolutions outside this range are taken for mistakes: 96 dpi then. */
#define MIN_DPI		10.0
#define MAX_DPI		10000.0

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

/* 67108864 as "67,108,864". */
static void
grouped(char *out, size_t sz, unsigned long long v)
{
	char	 digits[32], *p = out;
	size_t	 n, i;

	n = (size_t)snprintf(digits, sizeof(digits), "%llu", v);
	for (i = 0; i < n && (size_t)(p - out) + 2 < sz; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			*p++ = ',';
		*p++ = digits[i];
	}
	*p = '\0';
}

/* The size limits; -1 with the reason when w × h breaks one. */
static int
limits(unsigned long w, unsigned long h, char *why, size_t sz)
{
	char	 lim[32];

	if ((unsigned long long)w * h > IMAGE_MAX_PIXELS) {
		grouped(lim, sizeof(lim), IMAGE_MAX_PIXELS);
		snprintf(why, sz, "is %lu\xc3\x97%lu pixels; the limit is %s "
		    "pixels", w, h, lim);
		return -1;
	}
	if (w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE) {
		grouped(lim, sizeof(lim), IMAGE_MAX_SIDE);
		snprintf(why, sz, "is %lu\xc3\x97%lu pixels; the limit is %s "
		    "pixels a side", w, h, lim);
		return -1;
	}
	return 0;
}

/* Pixels at dpi, in points; 96 dpi when the file says nothing usable. */
static double
points(unsigned px, double dpi)
{
	if (!(dpi >= MIN_DPI && dpi <= MAX_DPI))
		dpi = 96;
	return px * 72.0 / dpi;
}

/* ---------------------------------------------------------------- PNG */

struct memsrc {
	const unsigned char	*p;
	size_t			 len, off;
};

static void
png_mem_read(png_structp png, png_bytep out, size_t n)
{
	struct memsrc	*m = png_get_io_ptr(png);

	if (n > m->len - m->off)
		png_error(png, "truncated");
	memcpy(out, m->p + m->off, n);
	m->off += n;
}

/*
 * A PNG's image data checked as a decoder would find it, without the
 * decoding: every critical chunk's CRC, the IDAT stream inflated (into a
 * scratch buffer) to exactly the bytes the header declares, each row's
 * filter type one of the five, and IEND.  libpng's row by row decoding
 * cost as much again as the PDF's own, for pictures the PDF copies as
 * they are.  NULL if sound, else what is wrong.
 */
static const char *
png_data(const unsigned char *d, size_t len, uint32_t w, uint32_t h,
    int depth, int channels, int interlaced)
{
	/* Adam7: each pass's first column and row, and their steps */
	static const uint32_t	 x0[7] = { 0, 4, 0, 2, 0, 1, 0 },
				 dx[7] = { 8, 8, 4, 4, 2, 2, 1 },
				 y0[7] = { 0, 0, 4, 0, 2, 0, 1 },
				 dy[7] = { 8, 8, 8, 4, 4, 2, 2 };
	unsigned char		 out[32768];
	uint64_t		 rowlen[8], rows[8], at = 0, inrow = 0;
	const char		*err = NULL;
	z_stream		 zs;
	size_t			 off = 8, n, i;
	uint32_t		 clen, pw, ph;
	int			 pass = 0, npass = 0, ended = 0, zrc;

	for (i = 0; i < (interlaced ? 7u : 1u); i++) {
		pw = interlaced ? (w > x0[i] ? (w - x0[i] + dx[i] - 1) / dx[i] :
		    0) : w;
		ph = interlaced ? (h > y0[i] ? (h - y0[i] + dy[i] - 1) / dy[i] :
		    0) : h;
		if (pw == 0 || ph == 0)
			continue;
		rowlen[npass] = 1 + ((uint64_t)pw * channels * depth + 7) / 8;
		rows[npass++] = ph;
	}
	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK)
		return "cannot be read";
	for (;;) {
		if (len - off < 12) {
			err = "the file ends before its IEND";
			break;
		}
		clen = (uint32_t)d[off] << 24 | (uint32_t)d[off + 1] << 16 |
		    (uint32_t)d[off + 2] << 8 | d[off + 3];
		if (clen > len - off - 12) {
			err = "a chunk runs past the end of the file";
			break;
		}
		/* critical chunks (upper-case first letter) must be whole */
		if (!(d[off + 4] & 0x20) && crc32(crc32(0L, NULL, 0), d + off + 4,
		    clen + 4) != ((uLong)d[off + 8 + clen] << 24 |
		    (uLong)d[off + 9 + clen] << 16 | (uLong)d[off + 10 + clen] << 8 |
		    d[off + 11 + clen])) {
			err = "a chunk's CRC is wrong";
			break;
		}
		if (memcmp(d + off + 4, "IEND", 4) == 0)
			break;
		if (memcmp(d + off + 4, "IDAT", 4) == 0 && !ended) {
			zs.next_in = (unsigned char *)(uintptr_t)(d + off + 8);
			zs.avail_in = clen;
			while (zs.avail_in > 0 && !ended && err == NULL) {
				zs.next_out = out;
				zs.avail_out = sizeof(out);
				zrc = inflate(&zs, Z_NO_FLUSH);
				if (zrc != Z_OK && zrc != Z_STREAM_END &&
				    zrc != Z_BUF_ERROR) {
					err = zs.msg ? zs.msg : "its data does "
					    "not inflate";
					break;
				}
				ended = zrc == Z_STREAM_END;
				/* filter bytes: at each row's start */
				n = sizeof(out) - zs.avail_out;
				for (i = 0; i < n && err == NULL; ) {
					if (pass == npass) {
						err = "too much image data";
						break;
					}
					if (inrow == 0 && out[i] > 4)
						err = "a row's filter type is "
						    "unknown";
					if (rowlen[pass] - inrow > n - i) {
						inrow += n - i;
						i = n;
						continue;
					}
					i += rowlen[pass] - inrow;
					inrow = 0;
					if (++at == rows[pass]) {
						at = 0;
						pass++;
					}
				}
				if (zrc == Z_BUF_ERROR && zs.avail_out > 0)
					break;
			}
			if (err != NULL)
				break;
		}
		off += 12 + (size_t)clen;
	}
	inflateEnd(&zs);
	if (err == NULL && (pass < npass || !ended))
		err = "not all of its rows are there";
	return err;
}

static int
check_png(const unsigned char *d, size_t len, struct image_info *ii,
    char *why, size_t sz)
{
	struct image_pngerr	 e;
	struct memsrc		 m = { d, len, 0 };
	png_structp		 png;
	png_infop		 info = NULL;
	png_uint_32		 w, h, xres, yres;
	const char		*bad;
	volatile int		 rc = -1;
	int			 unit;

	png = image_png_reader(&e);
	if (png == NULL || (info = png_create_info_struct(png)) == NULL) {
		snprintf(why, sz, "cannot be read");
		goto out;
	}
	if (setjmp(e.jmp)) {
		snprintf(why, sz, "is damaged: %s", e.msg);
		goto out;
	}
	/* our limits, not libpng's, decide; checked before any row */
	png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
	png_set_chunk_malloc_max(png, PNG_MAX_CHUNK);
	png_set_read_fn(png, &m, png_mem_read);
	png_read_info(png, info);
	w = png_get_image_width(png, info);
	h = png_get_image_height(png, info);
	if (limits(w, h, why, sz) == -1)
		goto out;
	ii->width = w;
	ii->height = h;
	ii->bit_depth = png_get_bit_depth(png, info);
	ii->channels = png_get_channels(png, info);
	ii->alpha = (png_get_color_type(png, info) & PNG_COLOR_MASK_ALPHA) ||
	    png_get_valid(png, info, PNG_INFO_tRNS);
	if (!png_get_pHYs(png, info, &xres, &yres, &unit) ||
	    unit != PNG_RESOLUTION_METER)
		xres = yres = 0;
	ii->width_pt = points(w, xres * 0.0254);
	ii->height_pt = points(h, yres * 0.0254);
	if ((bad = png_data(d, len, w, h, ii->bit_depth, ii->channels,
	    png_get_interlace_type(png, info) != PNG_INTERLACE_NONE)) != NULL) {
		snprintf(why, sz, "is damaged: %s", bad);
		goto out;
	}
	rc = 0;
out:
	png_destroy_read_struct(&png, info ? &info : NULL, NULL);
	return rc;
}

/* --------------------------------------------------------------- JPEG */

struct jpegerr {
	struct jpeg_error_mgr	 pub;
	jmp_buf			 jmp;
	int			 code;		/* of the error */
	char			 msg[JMSG_LENGTH_MAX];
	int			 damage;	/* a warning that means it */
	char			 warn[JMSG_LENGTH_MAX];
};

static void
jpeg_fail(j_common_ptr c)
{
	struct jpegerr	*e = (struct jpegerr *)c->err;

	e->code = e->pub.msg_code;
	(*e->pub.format_message)(c, e->msg);
	longjmp(e->jmp, 1);
}

/*
 * libjpeg goes on after data it cannot decode (filling in grey) and
 * only warns; those warnings mean the picture is not all there.
 */
static void
jpeg_message(j_common_ptr c, int level)
{
	struct jpegerr	*e = (struct jpegerr *)c->err;

	if (level != -1 || e->damage)
		return;
	switch (e->pub.msg_code) {
	case JWRN_JPEG_EOF:
	case JWRN_HIT_MARKER:
	case JWRN_MUST_RESYNC:
	case JWRN_HUFF_BAD_CODE:
	case JWRN_ARITH_BAD_CODE:
	case JWRN_NOT_SEQUENTIAL:
	case JWRN_BOGUS_PROGRESSION:
		e->damage = 1;
		(*e->pub.format_message)(c, e->warn);
		break;
	default:
		break;
	}
}

/* A file of many tiny progressive scans takes long to decode. */
static void
jpeg_progress(j_common_ptr c)
{
	j_decompress_ptr	 d = (j_decompress_ptr)c;
	struct jpegerr		*e = (struct jpegerr *)c->err;

	if (d->progressive_mode && d->input_scan_number > JPEG_MAX_SCANS) {
		e->code = -1;
		snprintf(e->msg, sizeof(e->msg), "more than %d progressive "
		    "scans", JPEG_MAX_SCANS);
		longjmp(e->jmp, 1);
	}
}

/* The JFIF density in dots per inch, or 0. */
static double
jfif_dpi(j_decompress_ptr c, unsigned density)
{
	if (!c->saw_JFIF_marker)
		return 0;
	return c->density_unit == 1 ? density :
	    c->density_unit == 2 ? density * 2.54 : 0;
}

static int
check_jpeg(const unsigned char *d, size_t len, struct image_info *ii,
    char *why, size_t sz)
{
	struct jpeg_decompress_struct	*c;
	struct jpeg_progress_mgr	 prog;
	struct jpegerr			 e;
	JSAMPARRAY			 row;
	volatile int			 rc = -1;

	/* on the heap: what libjpeg set survives the longjmp */
	c = xcalloc(1, sizeof(*c));
	memset(&e, 0, sizeof(e));
	c->err = jpeg_std_error(&e.pub);
	e.pub.error_exit = jpeg_fail;
	e.pub.emit_message = jpeg_message;
	if (setjmp(e.jmp)) {
		if (e.code == JERR_IMAGE_TOO_BIG)
			limits(c->image_width, c->image_height, why, sz);
		else if (e.code == JERR_NO_BACKING_STORE ||
		    e.code == JERR_OUT_OF_MEMORY)
			/* a progressive file keeps every coefficient */
			snprintf(why, sz, "needs more than %ld MB to decode "
			    "(a progressive JPEG of %u\xc3\x97%u pixels)",
			    JPEG_MAX_MEMORY / 1024 / 1024, c->image_width,
			    c->image_height);
		else if (e.code == JERR_EMPTY_IMAGE)
			snprintf(why, sz, "is damaged: it declares %u\xc3\x97%u "
			    "pixels", c->image_width, c->image_height);
		else
			snprintf(why, sz, "is damaged: %s", e.msg);
		goto out;
	}
	jpeg_create_decompress(c);
	c->mem->max_memory_to_use = JPEG_MAX_MEMORY;
	memset(&prog, 0, sizeof(prog));
	prog.progress_monitor = jpeg_progress;
	c->progress = &prog;
	jpeg_mem_src(c, d, len > (unsigned long)-1 ? (unsigned long)-1 :
	    (unsigned long)len);
	jpeg_read_header(c, TRUE);
	if (limits(c->image_width, c->image_height, why, sz) == -1)
		goto out;
	ii->width = c->image_width;
	ii->height = c->image_height;
	ii->bit_depth = (unsigned)c->data_precision;
	ii->channels = (unsigned)c->num_components;
	ii->cmyk = c->jpeg_color_space == JCS_CMYK ||
	    c->jpeg_color_space == JCS_YCCK;
	ii->width_pt = points(c->image_width, jfif_dpi(c, c->X_density));
	ii->height_pt = points(c->image_height, jfif_dpi(c, c->Y_density));
	jpeg_start_decompress(c);
	row = (*c->mem->alloc_sarray)((j_common_ptr)c, JPOOL_IMAGE,
	    c->output_width * (JDIMENSION)c->output_components, 1);
	while (c->output_scanline < c->output_height && !e.damage)
		if (jpeg_read_scanlines(c, row, 1) != 1)
			break;
	if (!e.damage && c->output_scanline == c->output_height)
		jpeg_finish_decompress(c);
	if (e.damage) {
		snprintf(why, sz, "is damaged: %s", e.warn);
		goto out;
	}
	if (c->output_scanline < c->output_height) {
		snprintf(why, sz, "is damaged: not all of its rows decode");
		goto out;
	}
	rc = 0;
out:
	jpeg_destroy_decompress(c);
	free(c);
	return rc;
}

/* ---------------------------------------------------------------- SVG */

static int
check_svg(const unsigned char *d, size_t len, struct image_info *ii,
    char *why, size_t sz)
{
	struct buf	 out = { NULL, 0, 0 };
	double		 w, h;
	int		 removed, rc;

	rc = svg_sanitize(d, len, &out, &w, &h, &removed, why, sz);
	buf_free(&out);
	if (rc == -1)
		return -1;
	ii->width_pt = w;
	ii->height_pt = h;
	ii->width = (unsigned)lround(w / 0.75);
	ii->height = (unsigned)lround(h / 0.75);
	ii->alpha = 1;
	return 0;
}

/* -------------------------------------------------------------- sniff */

static int
has(const unsigned char *d, size_t len, size_t i, const char *s)
{
	size_t	 n = strlen(s);

	return n <= len - i && memcmp(d + i, s, n) == 0;
}

/* The offset just past the first "end" from i, or len. */
static size_t
past(const unsigned char *d, size_t len, size_t i, const char *end)
{
	for (; i < len; i++)
		if (has(d, len, i, end))
			return i + strlen(end);
	return len;
}

/*
 * An XML file whose root element is svg: past the declaration,
 * comments, processing instructions and a DOCTYPE (with its internal
 * subset), the first element's name is svg or ends in ":svg".
 */
static int
sniff_svg(const unsigned char *d, size_t len)
{
	size_t	 i = 0, n;

	if (has(d, len, 0, "\xef\xbb\xbf"))
		i = 3;
	while (i < len) {
		if (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n')
			i++;
		else if (has(d, len, i, "<?"))
			i = past(d, len, i + 2, "?>");
		else if (has(d, len, i, "<!--"))
			i = past(d, len, i + 4, "-->");
		else if (has(d, len, i, "<!DOCTYPE")) {
			for (i += 9; i < len && d[i] != '>' && d[i] != '['; i++)
				continue;
			if (i < len && d[i] == '[')
				i = past(d, len, i, "]");
			i = past(d, len, i, ">");
		} else if (d[i] == '<') {
			for (n = ++i; n < len && d[n] != ' ' && d[n] != '>' &&
			    d[n] != '/' && d[n] != '\t' && d[n] != '\r' &&
			    d[n] != '\n'; n++)
				continue;
			if (n - i == 3 && memcmp(d + i, "svg", 3) == 0)
				return 1;
			return n - i > 4 && memcmp(d + n - 4, ":svg", 4) == 0;
		} else
			return 0;
	}
	return 0;
}

enum image_kind
image_sniff(const unsigned char *d, size_t len)
{
	if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return IMAGE_KIND_PNG;
	if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
		return IMAGE_KIND_JPEG;
	if (sniff_svg(d, len))
		return IMAGE_KIND_SVG;
	return IMAGE_KIND_OTHER;
}

/*
 * Decode the image completely and check its size; 0, or -1 with why
 * ("is damaged: ...", "is W×H pixels; the limit is ...").
 */
int
image_check(const unsigned char *d, size_t len, struct image_info *ii,
    char *why, size_t sz)
{
	memset(ii, 0, sizeof(*ii));
	ii->kind = image_sniff(d, len);
	switch (ii->kind) {
	case IMAGE_KIND_PNG:
		return check_png(d, len, ii, why, sz);
	case IMAGE_KIND_JPEG:
		return check_jpeg(d, len, ii, why, sz);
	case IMAGE_KIND_SVG:
		return check_svg(d, len, ii, why, sz);
	default:
		snprintf(why, sz, "is not a PNG, JPEG or SVG file");
		return -1;
	}
}
