/*
 * PNG files as PDF image objects.  A PDF's Flate filter with the PNG
 * predictors reads a PNG's compressed data as it is, so an opaque,
 * non-interlaced PNG of 8-bit grey or colour, or of palette indexes, is
 * copied without being decoded or compressed again.  Anything else (an
 * alpha channel, transparency, interlacing, 16 bits) is decoded once and
 * its colour and alpha (a soft mask) deflated at a fast level, on a
 * thread of its own while the pages are set.  libharu's
 * own loader decodes every PNG and deflates the pixels at its default
 * level, which cost more than the rest of the PDF together.  An SVG
 * is drawn into pixels by svg.c on the pages' thread, and its colour
 * and soft mask deflated as a decoded PNG's are, on another.  Two such
 * jobs run at most: each holds its pixels whole.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <zlib.h>

#include <hpdf_doc.h>

#include "buf.h"
#include "image.h"
#include "pdf_int.h"
#include "svg.h"

/* Level 1: pixels of charts and figures; see the README's numbers. */
#define IMAGE_LEVEL	1

/* SVG figures are drawn at print resolution. */
#define SVG_DPI		300

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* A new image dictionary, its stream still empty. */
static HPDF_Dict
image_dict(HPDF_Doc doc, uint32_t w, uint32_t h, int bpc)
{
	HPDF_Dict	 d = HPDF_DictStream_New(doc->mmgr, doc->xref);
	HPDF_STATUS	 rc = HPDF_OK;

	if (d == NULL)
		return NULL;
	d->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
	rc += HPDF_Dict_AddName(d, "Type", "XObject");
	rc += HPDF_Dict_AddName(d, "Subtype", "Image");
	rc += HPDF_Dict_AddNumber(d, "Width", w);
	rc += HPDF_Dict_AddNumber(d, "Height", h);
	rc += HPDF_Dict_AddNumber(d, "BitsPerComponent", bpc);
	return rc == HPDF_OK ? d : NULL;
}

/* Copy the PNG's own compressed data, with its predictors. */
static HPDF_Image
passthrough(HPDF_Doc doc, uint32_t w, uint32_t h, int depth, int ctype,
    const unsigned char *plte, size_t nplte, const struct buf *idat)
{
	HPDF_Dict	 d = image_dict(doc, w, h, depth), parms;
	HPDF_Array	 cs;
	HPDF_STATUS	 rc = HPDF_OK;
	int		 colors = ctype == 2 ? 3 : 1;

	if (d == NULL || (parms = HPDF_Dict_New(doc->mmgr)) == NULL ||
	    HPDF_Dict_Add(d, "DecodeParms", parms) != HPDF_OK)
		return NULL;
	rc += HPDF_Dict_AddNumber(parms, "Predictor", 15);
	rc += HPDF_Dict_AddNumber(parms, "Colors", colors);
	rc += HPDF_Dict_AddNumber(parms, "BitsPerComponent", depth);
	rc += HPDF_Dict_AddNumber(parms, "Columns", w);
	if (ctype == 3) {
		if ((cs = HPDF_Array_New(doc->mmgr)) == NULL ||
		    HPDF_Dict_Add(d, "ColorSpace", cs) != HPDF_OK)
			return NULL;
		rc += HPDF_Array_AddName(cs, "Indexed");
		rc += HPDF_Array_AddName(cs, "DeviceRGB");
		rc += HPDF_Array_AddNumber(cs, (HPDF_INT32)(nplte / 3 - 1));
		rc += HPDF_Array_Add(cs, HPDF_Binary_New(doc->mmgr,
		    (HPDF_BYTE *)plte, (HPDF_UINT)nplte));
	} else
		rc += HPDF_Dict_AddName(d, "ColorSpace", ctype == 2 ?
		    "DeviceRGB" : "DeviceGray");
	if (rc != HPDF_OK ||
	    content_put_deflated(d, idat->data, idat->len) == -1)
		return NULL;
	return d;
}

struct pngjob;
static void	read_mem(png_structp, png_bytep, size_t);

/* A PNG to decode: its image objects exist, their data comes later. */
struct pngjob {
	const unsigned char *data;	/* the book's copy of the file */
	size_t		 len;
	size_t		 pos;		/* read so far */
	png_uint_32	 w, h;
	size_t		 nc;		/* colour channels, 1 or 3 */
	int		 alpha;
	HPDF_Dict	 d, mask;
	pthread_t	 thread;
	int		 started;
	int		 ok;
	struct buf	 zc, za;	/* deflated colour and alpha */
	unsigned char	*rgba;		/* an SVG's pixels, to deflate */
};

/* libpng reads the file from the book's copy of it. */
static void
read_mem(png_structp png, png_bytep out, size_t n)
{
	struct pngjob	*j = png_get_io_ptr(png);

	if (n > j->len - j->pos)
		png_error(png, "truncated");
	memcpy(out, j->data + j->pos, n);
	j->pos += n;
}

struct pdfpng {
	struct pngjob	**job;
	size_t		  n;
	size_t		  oldest;	/* the first job that may be running */
};

/* Pixels being deflated at once, at most: each holds its image whole. */
#define JOBS_RUNNING	2

struct pdfpng *
pdfpng_new(void)
{
	return xcalloc(1, sizeof(struct pdfpng));
}

/* Deflate samples into a buffer. */
static int
deflate_into(struct buf *out, const unsigned char *px, size_t len)
{
	uLongf	 zlen = compressBound((uLong)len);

	buf_grow(out, zlen);
	if (compress2((Bytef *)out->data, &zlen, px, (uLong)len,
	    IMAGE_LEVEL) != Z_OK)
		return -1;
	out->len = zlen;
	return 0;
}

/* A deflate stream fed a piece at a time, into a buffer. */
struct zsink {
	z_stream	 zs;
	struct buf	*out;
	int		 open, done, failed;
};

static void
zsink_open(struct zsink *z, struct buf *out)
{
	memset(z, 0, sizeof(*z));
	z->out = out;
	if (deflateInit(&z->zs, IMAGE_LEVEL) == Z_OK)
		z->open = 1;
	else
		z->failed = 1;
}

static void
zsink_put(struct zsink *z, const unsigned char *p, size_t n, int last)
{
	unsigned char	 chunk[16384];
	int		 rc;

	if (!z->open || z->failed || z->done)
		return;
	z->zs.next_in = (Bytef *)p;
	z->zs.avail_in = (uInt)n;
	do {
		z->zs.next_out = chunk;
		z->zs.avail_out = sizeof(chunk);
		if ((rc = deflate(&z->zs, last ? Z_FINISH : Z_NO_FLUSH)) ==
		    Z_STREAM_ERROR) {
			z->failed = 1;
			return;
		}
		buf_put(z->out, (const char *)chunk,
		    sizeof(chunk) - z->zs.avail_out);
	} while (z->zs.avail_out == 0 || (last && rc != Z_STREAM_END));
	z->done = last;
}

/* 0 if the stream was finished whole. */
static int
zsink_close(struct zsink *z)
{
	if (z->open)
		deflateEnd(&z->zs);
	z->open = 0;
	return z->done && !z->failed ? 0 : -1;
}

/*
 * Decode to 8-bit samples, split colour and alpha, deflate both: a row
 * at a time, so the pixels are never all in memory at once, but for an
 * interlaced file, whose passes fill the whole image.
 */
static void *
decode(void *arg)
{
	struct pngjob		*j = arg;
	struct image_pngerr	 e;
	struct zsink *volatile	 z = NULL;
	png_structp		 png;
	png_infop		 info = NULL;
	unsigned char *volatile	 px = NULL, *volatile al = NULL;
	unsigned char *volatile	 row = NULL;
	png_uint_32		 y, x;
	size_t			 rowbytes, ch, i, nc = j->nc;
	int			 pass, passes, k;

	j->pos = 0;
	png = image_png_reader(&e);
	if (png == NULL || (info = png_create_info_struct(png)) == NULL)
		goto out;
	if (setjmp(e.jmp))
		goto out;
	png_set_read_fn(png, j, read_mem);
	png_read_info(png, info);
	png_set_expand(png);
	png_set_strip_16(png);
	passes = png_set_interlace_handling(png);
	png_read_update_info(png, info);
	ch = png_get_channels(png, info);
	rowbytes = png_get_rowbytes(png, info);
	if (png_get_image_width(png, info) != j->w ||
	    png_get_image_height(png, info) != j->h ||
	    ch != nc + (j->alpha ? 1 : 0) || rowbytes != j->w * ch ||
	    (unsigned long long)j->w * j->h > IMAGE_MAX_PIXELS)
		goto out;
	if (passes == 1) {
		z = xcalloc(2, sizeof(*z));
		zsink_open(&z[0], &j->zc);
		if (j->alpha)
			zsink_open(&z[1], &j->za);
		row = xmalloc(rowbytes);
		px = xmalloc((size_t)j->w * nc);
		al = xmalloc(j->w);
		for (y = 0; y < j->h; y++) {
			png_read_row(png, row, NULL);
			for (x = 0; j->alpha && x < j->w; x++) {
				for (k = 0; k < (int)nc; k++)
					px[x * nc + (size_t)k] =
					    row[(size_t)x * ch + (size_t)k];
				al[x] = row[(size_t)x * ch + nc];
			}
			zsink_put(&z[0], j->alpha ? px : row, j->w * nc,
			    y + 1 == j->h);
			if (j->alpha)
				zsink_put(&z[1], al, j->w, y + 1 == j->h);
		}
		png_read_end(png, NULL);
		if (zsink_close(&z[0]) == 0 && (!j->alpha ||
		    zsink_close(&z[1]) == 0))
			j->ok = 1;
		goto out;
	}
	px = xmalloc(rowbytes * j->h);
	for (pass = 0; pass < passes; pass++)
		for (y = 0; y < j->h; y++)
			png_read_row(png, px + rowbytes * y, NULL);
	png_read_end(png, NULL);
	if (j->alpha) {
		/* in place: colour samples move down, alpha goes apart */
		al = xmalloc((size_t)j->w * j->h);
		for (i = 0, y = 0; y < j->h; y++)
			for (x = 0; x < j->w; x++, i++) {
				const unsigned char *s = px + rowbytes * y +
				    (size_t)x * ch;

				for (k = 0; k < (int)nc; k++)
					px[i * nc + (size_t)k] = s[k];
				al[i] = s[nc];
			}
	}
	if (deflate_into(&j->zc, px, (size_t)j->w * j->h * nc) == 0 &&
	    (al == NULL || deflate_into(&j->za, al, (size_t)j->w * j->h) == 0))
		j->ok = 1;
out:
	if (z != NULL) {
		zsink_close(&z[0]);
		zsink_close(&z[1]);
		free(z);
	}
	png_destroy_read_struct(&png, info ? &info : NULL, NULL);
	free(row);
	free(px);
	free(al);
	return NULL;
}

static void
join(struct pngjob *j)
{
	if (j->started)
		pthread_join(j->thread, NULL);
	j->started = 0;
}

/* Wait for the oldest jobs while too many run: memory, not time, is short. */
static void
limit(struct pdfpng *pp)
{
	size_t	 i, running = 0;

	for (i = pp->oldest; i < pp->n; i++)
		running += pp->job[i]->started;
	for (; running >= JOBS_RUNNING && pp->oldest < pp->n; pp->oldest++)
		if (pp->job[pp->oldest]->started) {
			join(pp->job[pp->oldest]);
			running--;
		}
}

/*
 * A job's image objects (with a soft mask when it has alpha), then its
 * work, on another thread or here: the image, or NULL.  pdfpng_finish
 * puts the deflated pixels in.
 */
static HPDF_Image
job_start(struct pdfpng *pp, HPDF_Doc doc, struct pngjob *j,
    void *(*work)(void *))
{
	pp->job = xreallocarray(pp->job, pp->n + 1, sizeof(*pp->job));
	pp->job[pp->n++] = j;
	if ((j->d = image_dict(doc, j->w, j->h, 8)) == NULL ||
	    HPDF_Dict_AddName(j->d, "ColorSpace", j->nc == 3 ? "DeviceRGB" :
	    "DeviceGray") != HPDF_OK)
		return NULL;
	if (j->alpha && ((j->mask = image_dict(doc, j->w, j->h, 8)) == NULL ||
	    HPDF_Dict_AddName(j->mask, "ColorSpace", "DeviceGray") !=
	    HPDF_OK || HPDF_Dict_Add(j->d, "SMask", j->mask) != HPDF_OK))
		return NULL;
	limit(pp);
	if (pthread_create(&j->thread, NULL, work, j) == 0)
		j->started = 1;
	else
		work(j);
	return j->d;
}

/*
 * A PNG that must be decoded: its image objects now, with what the
 * header says; the pixels on another thread, put in by pdfpng_finish.
 */
static HPDF_Image
decoded(struct pdfpng *pp, HPDF_Doc doc, const unsigned char *data,
    size_t len, uint32_t w, uint32_t h, int ctype, int trns)
{
	struct pngjob	*j;

	if (w == 0 || h == 0 || ctype < 0)
		return NULL;
	j = xcalloc(1, sizeof(*j));
	j->data = data;
	j->len = len;
	j->w = w;
	j->h = h;
	j->nc = ctype == 0 || ctype == 4 ? 1 : 3;
	j->alpha = ctype == 4 || ctype == 6 || trns;
	return job_start(pp, doc, j, decode);
}


/* The decoded images' data into their objects; -1 if one failed. */
int
pdfpng_finish(struct pdfpng *pp)
{
	struct pngjob	*j;
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < pp->n; i++) {
		j = pp->job[i];
		join(j);
		if (j->d == NULL)
			continue;	/* never used: reported already */
		if (!j->ok || content_put_deflated(j->d, j->zc.data,
		    j->zc.len) == -1 || (j->mask != NULL &&
		    content_put_deflated(j->mask, j->za.data, j->za.len) == -1))
			rc = -1;
		buf_free(&j->zc);
		buf_free(&j->za);
	}
	return rc;
}

void
pdfpng_free(struct pdfpng *pp)
{
	size_t	 i;

	if (pp == NULL)
		return;
	for (i = 0; i < pp->n; i++) {
		join(pp->job[i]);
		free(pp->job[i]->rgba);
		buf_free(&pp->job[i]->zc);
		buf_free(&pp->job[i]->za);
		free(pp->job[i]);
	}
	free(pp->job);
	free(pp);
}

/*
 * The PNG at path as an image object of doc, or NULL.  The file was
 * checked when the book was read (image.c); a chunk that does not add up
 * here falls back to decoding.
 */
HPDF_Image
pdfpng_load(struct pdfpng *pp, HPDF_Doc doc, const unsigned char *data,
    size_t size)
{
	struct buf		 b = { NULL, 0, 0 }, idat = { NULL, 0, 0 };
	const unsigned char	*d, *plte = NULL;
	size_t			 i, nplte = 0;
	uint32_t		 len, w = 0, h = 0;
	int			 depth = 0, ctype = -1, interlace = 1, trns = 0;
	HPDF_Image		 img = NULL;

	buf_put(&b, (const char *)data, size);
	d = (const unsigned char *)b.data;
	if (b.len < 8 || memcmp(d, "\x89PNG\r\n\x1a\n", 8) != 0)
		goto out;
	for (i = 8; i + 12 <= b.len; i += 12 + (size_t)len) {
		len = be32(d + i);
		if (len > b.len - i - 12)
			goto decode;
		if (memcmp(d + i + 4, "IHDR", 4) == 0 && len >= 13) {
			w = be32(d + i + 8);
			h = be32(d + i + 12);
			depth = d[i + 16];
			ctype = d[i + 17];
			interlace = d[i + 20];
		} else if (memcmp(d + i + 4, "PLTE", 4) == 0) {
			plte = d + i + 8;
			nplte = len;
		} else if (memcmp(d + i + 4, "tRNS", 4) == 0)
			trns = 1;
		else if (memcmp(d + i + 4, "IDAT", 4) == 0)
			buf_put(&idat, (const char *)d + i + 8, len);
		else if (memcmp(d + i + 4, "IEND", 4) == 0)
			break;
	}
	if (w > 0 && h > 0 && interlace == 0 && !trns && idat.len > 0 &&
	    (((ctype == 0 || ctype == 2) && depth == 8) ||
	    (ctype == 3 && depth <= 8 && nplte >= 3 && nplte % 3 == 0 &&
	    nplte <= 768))) {
		img = passthrough(doc, w, h, depth, ctype, plte, nplte, &idat);
		goto out;
	}
decode:
	img = decoded(pp, doc, data, size, w, h, ctype, trns);
out:
	buf_free(&b);
	buf_free(&idat);
	return img;
}

/*
 * Deflate one part of every RGBA pixel: its colour (3 samples) or its
 * alpha (1), a row at a time.
 */
static int
deflate_part(struct buf *out, const unsigned char *rgba, unsigned w,
    unsigned h, int alpha)
{
	struct zsink	 z;
	unsigned char	*row;
	size_t		 x, n = alpha ? 1 : 3;
	unsigned	 y;

	zsink_open(&z, out);
	row = xmalloc((size_t)w * n);
	for (y = 0; y < h; y++) {
		const unsigned char *s = rgba + (size_t)y * w * 4;

		for (x = 0; x < w; x++)
			if (alpha)
				row[x] = s[x * 4 + 3];
			else if (s[x * 4 + 3] == 0)
				/* white under nothing: a viewer that scales
				   colour and mask apart shows no dark fringe */
				memset(row + x * 3, 255, 3);
			else
				memcpy(row + x * 3, s + x * 4, 3);
		zsink_put(&z, row, (size_t)w * n, y + 1 == h);
	}
	free(row);
	return zsink_close(&z);
}

/* An SVG's pixels deflated: their colour, and their alpha for a mask. */
static void *
squeeze(void *arg)
{
	struct pngjob	*j = arg;

	j->ok = deflate_part(&j->zc, j->rgba, j->w, j->h, 0) == 0 &&
	    (!j->alpha || deflate_part(&j->za, j->rgba, j->w, j->h,
	    1) == 0);
	free(j->rgba);
	j->rgba = NULL;
	return NULL;
}

/*
 * 8-bit RGBA (taken) as an RGB image, with a soft mask unless opaque:
 * the objects now, the pixels deflated on another thread and put in by
 * pdfpng_finish, as a decoded PNG's are.  The Rust book's two dozen
 * diagrams were deflated here, on the pages' thread: 40 % of its time.
 */
static HPDF_Image
rgba_job(struct pdfpng *pp, HPDF_Doc doc, unsigned char *rgba, unsigned w,
    unsigned h)
{
	struct pngjob	*j = xcalloc(1, sizeof(*j));
	HPDF_Image	 img;
	size_t		 i, n = (size_t)w * h;

	j->rgba = rgba;
	j->w = w;
	j->h = h;
	j->nc = 3;
	for (i = 0; i < n && !j->alpha; i++)
		j->alpha = rgba[i * 4 + 3] != 255;
	if ((img = job_start(pp, doc, j, squeeze)) == NULL)
		j->d = NULL;	/* not drawn: pdfpng_finish passes it by */
	return img;
}

/*
 * A sanitised SVG (book.c made it) drawn at SVG_DPI as an image object
 * of doc, or NULL.  librsvg runs here, on the PDF's thread only.
 */
HPDF_Image
pdfpng_svg(struct pdfpng *pp, HPDF_Doc doc, const char *svg, size_t len)
{
	unsigned char	*rgba;
	unsigned	 w, h;
	char		 why[160];

	if (svg_render((const unsigned char *)svg, len, SVG_DPI, &rgba, &w,
	    &h, why, sizeof(why)) == -1)
		return NULL;
	return rgba_job(pp, doc, rgba, w, h);
}
