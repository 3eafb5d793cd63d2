/*
 * The e-book's font files, deflated on a second thread while the XHTML is
 * written, and handed to libzip as data already compressed (a source that
 * states its method, sizes and CRC), which libzip copies as it is.  The
 * fonts are most of the e-book's bytes: deflating them in zip_close, one
 * after the other, was a third of the e-book's time.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>
#include <zlib.h>

#include "buf.h"
#include "epub.h"
#include "style.h"

/* Level 1: most of the gain for a fraction of the time. */
#define FONT_LEVEL	1

struct packed {
	struct buf	 z;		/* raw deflate data */
	size_t		 len;		/* uncompressed */
	uLong		 crc;
	int		 ok;
};

struct epub_fonts {
	const struct style	*st;
	struct packed		 f[FONT__MAX];
	pthread_t		 thread;
	int			 running;
	int			 done;
};

/* Read and deflate one font file; ok stays 0 on any failure. */
static void
pack(struct packed *pk, const char *path)
{
	struct buf	 raw = { NULL, 0, 0 };
	z_stream	 zs;
	size_t		 bound;

	if (buf_load(&raw, path) == -1) {
		buf_free(&raw);
		return;
	}
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, FONT_LEVEL, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY) == Z_OK) {
		bound = deflateBound(&zs, (uLong)raw.len) + 16;
		buf_grow(&pk->z, bound);
		zs.next_in = (Bytef *)(raw.data ? raw.data : "");
		zs.avail_in = (uInt)raw.len;
		zs.next_out = (Bytef *)pk->z.data;
		zs.avail_out = (uInt)bound;
		if (deflate(&zs, Z_FINISH) == Z_STREAM_END) {
			pk->z.len = bound - zs.avail_out;
			pk->len = raw.len;
			pk->crc = crc32(crc32(0L, Z_NULL, 0),
			    (const Bytef *)(raw.data ? raw.data : ""),
			    (uInt)raw.len);
			pk->ok = 1;
		}
		deflateEnd(&zs);
	}
	buf_free(&raw);
}

static void *
packer(void *arg)
{
	struct epub_fonts	*ef = arg;
	int			 i;

	for (i = 0; i < FONT__MAX; i++)
		pack(&ef->f[i], ef->st->font[i]);
	return NULL;
}

/* Start deflating the style's fonts; on one thread if need be. */
struct epub_fonts *
epub_fonts_start(const struct style *st)
{
	struct epub_fonts	*ef = xcalloc(1, sizeof(*ef));

	ef->st = st;
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
 * A zip source for font i, or NULL when the file cannot be read.  It
 * waits for the thread only when libzip first asks for it, in zip_close.
 */
zip_source_t *
epub_fonts_source(struct epub_fonts *ef, zip_t *za, int i)
{
	struct reader	*r;
	zip_source_t	*s;

	if (access(ef->st->font[i], R_OK) != 0)
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
	free(ef);
}
