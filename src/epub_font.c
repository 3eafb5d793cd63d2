/*
 * The e-book's font files: each of the style's fonts cut down by
 * HarfBuzz's subsetter to the characters set in it (epub_chars.c),
 * then deflated, on a second thread while the XHTML is written, and
 * handed to libzip as data already compressed (a source that states its
 * method, sizes and CRC), which libzip copies as it is.  Whole, the five
 * fonts were 1.8 MB of a 2,000-word article's 1.83 MB e-book.
 *
 * The subsets keep the layout tables for the features reading systems
 * apply by default (ligatures, kerning, marks, contextual forms) and the
 * name table's licence records (2 KB a font), and drop the TrueType
 * hinting: on Charis SIL it is 40% of a subset's deflated bytes, and
 * reading systems on today's screens mostly ignore it.  A font the
 * subsetter refuses goes in whole, as before.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb-subset.h>
#include <zip.h>
#include <zlib.h>

#include "buf.h"
#include "epub.h"
#include "style.h"

/*
 * Level 1: zlib's default level makes the five subsets 6% smaller (3.6 KB
 * of a short article's 90 KB e-book) for 3 ms more of this thread, which
 * a short book's PDF waits on; level 9 gains nothing more.
 */
#define FONT_LEVEL	1

struct packed {
	struct buf	 z;		/* raw deflate data */
	size_t		 len;		/* uncompressed */
	uLong		 crc;
	int		 ok;
};

struct epub_fonts {
	const struct style	*st;
	struct epub_chars	*chars;
	struct packed		 f[FONT__MAX];
	pthread_t		 thread;
	int			 running;
	int			 done;
};

static void
keep_features(hb_set_t *tags, const struct style *st)
{
	hb_feature_t	 f;
	const char	*t;
	size_t		 k;
	int		 i;

	for (i = 0; i < 2; i++)
		for (t = st->features[i]; t != NULL && *t; t += k) {
			t += strspn(t, ", \t");
			k = strcspn(t, ", \t");
			if (k > 0 && hb_feature_from_string(t, (int)k, &f))
				hb_set_add(tags, f.tag);
		}
}

/* The font cut down to its characters; NULL if the subsetter fails. */
static hb_blob_t *
subset(const unsigned char *data, size_t len, const struct epub_chars *ch,
    int font, const struct style *st)
{
	hb_blob_t		*blob, *res = NULL;
	hb_face_t		*face, *out;
	hb_subset_input_t	*in;
	hb_set_t		*u, *names;
	uint32_t		 c, e;

	blob = hb_blob_create((const char *)data, (unsigned)len,
	    HB_MEMORY_MODE_READONLY, NULL, NULL);
	face = hb_face_create(blob, 0);
	hb_blob_destroy(blob);
	if ((in = hb_subset_input_create_or_fail()) == NULL) {
		hb_face_destroy(face);
		return NULL;
	}
	u = hb_subset_input_unicode_set(in);
	for (c = epub_chars_next(ch, font, 0); c < EPUB_CHARS_END;
	    c = epub_chars_next(ch, font, e)) {
		for (e = c + 1; epub_chars_has(ch, font, e); e++)
			continue;
		hb_set_add_range(u, c, e - 1);
	}
	/* the licence and its URL, beside the default records (0-6) */
	names = hb_subset_input_set(in, HB_SUBSET_SETS_NAME_ID);
	hb_set_add(names, 13);
	hb_set_add(names, 14);
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
	/* the features the style asks for, beside HarfBuzz's defaults */
	if (font != FONT_MONO)
		keep_features(hb_subset_input_set(in,
		    HB_SUBSET_SETS_LAYOUT_FEATURE_TAG), st);
	if ((out = hb_subset_or_fail(face, in)) != NULL) {
		res = hb_face_reference_blob(out);
		hb_face_destroy(out);
		if (hb_blob_get_length(res) == 0) {
			hb_blob_destroy(res);
			res = NULL;
		}
	}
	hb_subset_input_destroy(in);
	hb_face_destroy(face);
	return res;
}

/* Cut down and deflate one font; ok stays 0 on any failure. */
static void
pack(struct packed *pk, const unsigned char *data, size_t datalen,
    const struct epub_chars *ch, int font, const struct style *st)
{
	hb_blob_t	*blob;
	const char	*p;
	unsigned	 n;
	size_t		 len, bound;
	z_stream	 zs;

	if (data == NULL)
		return;
	if ((blob = subset(data, datalen, ch, font, st)) != NULL) {
		p = hb_blob_get_data(blob, &n);
		len = n;
	} else {
		p = (const char *)data;
		len = datalen;
	}
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, FONT_LEVEL, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY) == Z_OK) {
		bound = deflateBound(&zs, (uLong)len) + 16;
		buf_grow(&pk->z, bound);
		zs.next_in = (Bytef *)(len > 0 ? p : "");
		zs.avail_in = (uInt)len;
		zs.next_out = (Bytef *)pk->z.data;
		zs.avail_out = (uInt)bound;
		if (deflate(&zs, Z_FINISH) == Z_STREAM_END) {
			pk->z.len = bound - zs.avail_out;
			pk->len = len;
			pk->crc = crc32(crc32(0L, Z_NULL, 0),
			    (const Bytef *)(len > 0 ? p : ""), (uInt)len);
			pk->ok = 1;
		}
		deflateEnd(&zs);
	}
	hb_blob_destroy(blob);
}

static void *
packer(void *arg)
{
	struct epub_fonts	*ef = arg;
	int			 i;

	for (i = 0; i < FONT__MAX; i++)
		pack(&ef->f[i], ef->st->fontdata[i], ef->st->fontlen[i],
		    ef->chars, i, ef->st);
	return NULL;
}

/*
 * Collect the characters of bk's e-book (chg: its changes page, or NULL),
 * then cut down and deflate the style's fonts on another thread, or on
 * this one if need be.  The book is read here only: the thread reads the
 * fonts and the characters.
 */
struct epub_fonts *
epub_fonts_start(const struct book *bk, const struct style *st,
    const struct changes *chg)
{
	struct epub_fonts	*ef = xcalloc(1, sizeof(*ef));

	ef->st = st;
	ef->chars = epub_chars_new();
	epub_chars_book(ef->chars, bk, chg);
	if (pthread_create(&ef->thread, NULL, packer, ef) == 0)
		ef->running = 1;
	return ef;
}

static void
finish(struct epub_fonts *ef)
{
	if (ef->done)
		return;
	if (ef->running)
		pthread_join(ef->thread, NULL);
	else
		packer(ef);
	ef->running = 0;
	ef->done = 1;
}

struct reader {
	struct epub_fonts	*ef;
	int			 i;
	size_t			 off;
	zip_error_t		 err;
};

static zip_int64_t
source_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct reader	*r = ud;
	struct packed	*pk = &r->ef->f[r->i];
	zip_stat_t	*st;
	size_t		 n;

	switch (cmd) {
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN,
		    ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
		    ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	case ZIP_SOURCE_STAT:
		finish(r->ef);
		if (!pk->ok || len < sizeof(*st)) {
			zip_error_set(&r->err, ZIP_ER_READ, 0);
			return -1;
		}
		st = data;
		zip_stat_init(st);
		st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE |
		    ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC |
		    ZIP_STAT_ENCRYPTION_METHOD;
		st->size = pk->len;
		st->comp_size = pk->z.len;
		st->comp_method = ZIP_CM_DEFLATE;
		st->crc = (zip_uint32_t)pk->crc;
		st->encryption_method = ZIP_EM_NONE;
		return sizeof(*st);
	case ZIP_SOURCE_OPEN:
		finish(r->ef);
		r->off = 0;
		return 0;
	case ZIP_SOURCE_READ:
		n = pk->z.len - r->off;
		if (n > len)
			n = (size_t)len;
		if (n > 0)
			memcpy(data, pk->z.data + r->off, n);
		r->off += n;
		return (zip_int64_t)n;
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&r->err, data, len);
	case ZIP_SOURCE_FREE:
		zip_error_fini(&r->err);
		free(r);
		return 0;
	default:
		zip_error_set(&r->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/*
 * A zip source for font i, or NULL when the style has not read it.  It
 * waits for the thread only when libzip first asks for it, in zip_close.
 */
zip_source_t *
epub_fonts_source(struct epub_fonts *ef, zip_t *za, int i)
{
	struct reader	*r;
	zip_source_t	*s;

	if (ef->st->fontdata[i] == NULL)
		return NULL;
	r = xcalloc(1, sizeof(*r));
	r->ef = ef;
	r->i = i;
	zip_error_init(&r->err);
	if ((s = zip_source_function(za, source_cb, r)) == NULL) {
		zip_error_fini(&r->err);
		free(r);
	}
	return s;
}

void
epub_fonts_free(struct epub_fonts *ef)
{
	int	 i;

	if (ef == NULL)
		return;
	finish(ef);
	for (i = 0; i < FONT__MAX; i++)
		buf_free(&ef->f[i].z);
	epub_chars_free(ef->chars);
	free(ef);
}
