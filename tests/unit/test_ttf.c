/*
 * Font validation: the real fonts pass with sensible information; each
 * kind of damage, made on a copy in memory, is refused with its reason;
 * and random truncation and byte flips never crash the check, nor, when
 * it accepts, HarfBuzz loading and shaping with the font.  Every font
 * handed to ttf_check sits in a buffer of its exact size, so that the
 * sanitiser catches any read past its end.  TTF_SEED=n varies the
 * random damage.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>

#include "buf.h"
#include "ttf.h"
#include "unit.h"

#define MONO	"fonts/DejaVuSansMono.ttf"
#define CHARIS	"fonts/CharisSIL-Regular.ttf"
#define SERIF	"/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
#define CJK	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

#define TRUNCATIONS	2000
#define FLIPS		20000

struct font {
	unsigned char	*p;
	size_t		 len;
	size_t		 face;		/* where the face's directory starts */
	unsigned	 index;
};

static uint64_t	 seed = 0x9E3779B97F4A7C15ULL;

static uint32_t
rnd(void)
{
	seed ^= seed >> 12;
	seed ^= seed << 25;
	seed ^= seed >> 27;
	return (uint32_t)((seed * 0x2545F4914F6CDD1DULL) >> 32);
}

static unsigned
get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void
put32(unsigned char *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xFFFF);
}

static int
load(const char *path, unsigned index, struct font *f)
{
	struct buf	 b = { NULL, 0, 0 };

	memset(f, 0, sizeof(*f));
	if (buf_load(&b, path) == -1 || b.len < 16) {
		buf_free(&b);
		return -1;
	}
	f->p = xmalloc(b.len);
	memcpy(f->p, b.data, b.len);
	f->len = b.len;
	f->index = index;
	if (memcmp(f->p, "ttcf", 4) == 0)
		f->face = get32(f->p + 12 + 4 * index);
	buf_free(&b);
	return 0;
}

/* A copy of its exact size, the first `len` bytes of f. */
static struct font
cut(const struct font *f, size_t len)
{
	struct font	 c = *f;

	c.p = xmalloc(len > 0 ? len : 1);
	memcpy(c.p, f->p, len);
	c.len = len;
	return c;
}

static struct font
copy(const struct font *f)
{
	return cut(f, f->len);
}

static unsigned
ntables(const struct font *f)
{
	return get16(f->p + f->face + 4);
}

/* Where a table's directory record lies in the file, 0 if absent. */
static size_t
record(const struct font *f, const char *tag)
{
	size_t	 r;
	unsigned i;

	for (i = 0; i < ntables(f); i++) {
		r = f->face + 12 + 16 * (size_t)i;
		if (memcmp(f->p + r, tag, 4) == 0)
			return r;
	}
	return 0;
}

static size_t
table(const struct font *f, const char *tag)
{
	return get32(f->p + record(f, tag) + 8);
}

static size_t
tablelen(const struct font *f, const char *tag)
{
	return get32(f->p + record(f, tag) + 12);
}

/* Where the first cmap subtable of a format lies in the file, or 0. */
static size_t
cmapsub(const struct font *f, unsigned format)
{
	size_t		 cmap = table(f, "cmap"), off;
	unsigned	 i;

	for (i = 0; i < get16(f->p + cmap + 2); i++) {
		off = cmap + get32(f->p + cmap + 4 + 8 * i + 4);
		if (get16(f->p + off) == format)
			return off;
	}
	return 0;
}

/* Where glyph g lies in the file (long loca), and its size. */
static size_t
glyph(const struct font *f, unsigned g, size_t *size)
{
	size_t	 loca = table(f, "loca");

	*size = get32(f->p + loca + 4 * (g + 1)) - get32(f->p + loca + 4 * g);
	return table(f, "glyf") + get32(f->p + loca + 4 * g);
}

/* The first composite glyph, or simple one of two contours or more. */
static unsigned
findglyph(const struct font *f, int composite)
{
	size_t		 at, size;
	unsigned	 g, n = get16(f->p + table(f, "maxp") + 4);

	for (g = 1; g < n; g++) {
		at = glyph(f, g, &size);
		if (size >= 12 && (composite ? get16(f->p + at) >= 0x8000 :
		    get16(f->p + at) >= 2 && get16(f->p + at) < 0x8000))
			return g;
	}
	return 0;
}

/* HarfBuzz loads the font, shapes with it and agrees with the check. */
static int
shapes(const unsigned char *p, size_t len, unsigned index,
    const struct ttf_info *info)
{
	hb_blob_t		*blob;
	hb_face_t		*face;
	hb_font_t		*font;
	hb_buffer_t		*buf;
	hb_glyph_info_t		*gi;
	hb_glyph_extents_t	 ext;
	unsigned		 n, i;
	int			 ok;

	blob = hb_blob_create((const char *)p, (unsigned)len,
	    HB_MEMORY_MODE_READONLY, NULL, NULL);
	face = hb_face_create(blob, index);
	font = hb_font_create(face);
	buf = hb_buffer_create();
	hb_buffer_add_utf8(buf, "Hello fi ffi 123", -1, 0, -1);
	hb_buffer_guess_segment_properties(buf);
	hb_shape(font, buf, NULL, 0);
	gi = hb_buffer_get_glyph_infos(buf, &n);
	for (i = 0; i < n; i++) {
		hb_font_get_glyph_extents(font, gi[i].codepoint, &ext);
		(void)hb_font_get_glyph_h_advance(font, gi[i].codepoint);
	}
	ok = n > 0 && hb_face_get_glyph_count(face) == info->nglyphs &&
	    hb_face_get_upem(face) == info->units_per_em;
	if (!ok)
		fprintf(stderr, "HarfBuzz: %u glyphs shaped, %u in the font, "
		    "unitsPerEm %u; the check: %u glyphs, unitsPerEm %u\n", n,
		    hb_face_get_glyph_count(face), hb_face_get_upem(face),
		    info->nglyphs, info->units_per_em);
	hb_buffer_destroy(buf);
	hb_font_destroy(font);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	return ok;
}

/* f, freed after, is accepted (and shapes). */
static void
accepted(struct font *f, struct ttf_info *info, int line)
{
	char	 why[256];

	if (ttf_check(f->p, f->len, f->index, info, why, sizeof(why)) != 0) {
		fprintf(stderr, "%s:%d: refused: %s\n", __FILE__, line, why);
		unit_failures++;
	} else if (!shapes(f->p, f->len, f->index, info)) {
		fprintf(stderr, "%s:%d: accepted, but HarfBuzz disagrees\n",
		    __FILE__, line);
		unit_failures++;
	}
	free(f->p);
	f->p = NULL;
}

/* f, freed after, is refused, and why says `want`. */
static void
refused(struct font *f, const char *want, int line)
{
	struct ttf_info	 info;
	char		 why[256];
	int		 rc;

	rc = ttf_check(f->p, f->len, f->index, &info, why, sizeof(why));
	if (rc != -1 || strstr(why, want) == NULL) {
		fprintf(stderr, "%s:%d: want a refusal saying \"%s\", got %s "
		    "\"%s\"\n", __FILE__, line, want, rc == 0 ? "acceptance" :
		    "refusal", why);
		unit_failures++;
	}
	free(f->p);
	f->p = NULL;
}

#define ACCEPTED(f, info)	accepted((f), (info), __LINE__)
#define REFUSED(f, want)	refused((f), (want), __LINE__)

/* A collection of nfaces faces, every one the face of f. */
static struct font
collection(const struct font *f, unsigned nfaces)
{
	struct font	 c;
	size_t		 hdr = 12 + 4 * (size_t)nfaces, r;
	unsigned	 i;

	c.len = hdr + f->len;
	c.p = xmalloc(c.len);
	memcpy(c.p, "ttcf", 4);
	put32(c.p + 4, 0x00010000);
	put32(c.p + 8, nfaces);
	for (i = 0; i < nfaces; i++)
		put32(c.p + 12 + 4 * i, (uint32_t)hdr);
	memcpy(c.p + hdr, f->p, f->len);
	c.face = hdr;
	c.index = 0;
	for (i = 0; i < ntables(&c); i++) {
		r = hdr + 12 + 16 * (size_t)i;
		put32(c.p + r + 8, get32(c.p + r + 8) + (uint32_t)hdr);
	}
	return c;
}

static void
real_fonts(void)
{
	static const char	*charis[4] = { "fonts/CharisSIL-Regular.ttf",
	    "fonts/CharisSIL-Bold.ttf", "fonts/CharisSIL-Italic.ttf",
	    "fonts/CharisSIL-BoldItalic.ttf" };
	struct font		 f;
	struct ttf_info		 in;
	unsigned		 i, faces;

	for (i = 0; i < 4; i++) {
		CHECK(load(charis[i], 0, &f) == 0);
		ACCEPTED(&f, &in);
		CHECK(!in.cff && in.faces == 1 && in.units_per_em == 2048);
		CHECK(in.nglyphs > 3000 && in.nglyphs < 5000);
		CHECK(in.ascender > 0 && in.descender < 0);
		CHECK(in.cap_height > in.x_height && in.x_height > 0);
		CHECK(in.weight == (i % 2 ? 700u : 400u));
		CHECK(i < 2 ? in.italic_angle_x10 == 0 :
		    in.italic_angle_x10 < -50 && in.italic_angle_x10 > -200);
		CHECK(in.bbox[0] < in.bbox[2] && in.bbox[1] < in.bbox[3]);
		CHECK(in.embeddable);
		CHECK_STR(in.family, "Charis SIL");
		CHECK(strncmp(in.psname, "CharisSIL", 9) == 0);
	}
	CHECK(load(MONO, 0, &f) == 0);
	ACCEPTED(&f, &in);
	CHECK(in.nglyphs > 3000 && in.units_per_em == 2048);
	CHECK(in.weight == 400 && in.embeddable && !in.cff);
	CHECK(in.cap_height == 0);		/* OS/2 version 1 */
	CHECK_STR(in.family, "DejaVu Sans Mono");
	CHECK_STR(in.psname, "DejaVuSansMono");

	if (load(SERIF, 0, &f) == 0) {
		ACCEPTED(&f, &in);
		CHECK_STR(in.family, "DejaVu Serif");
		CHECK_STR(in.psname, "DejaVuSerif");
	} else
		fprintf(stderr, "skip: %s\n", SERIF);

	/* an OpenType/CFF collection: every face */
	if (load(CJK, 0, &f) == 0) {
		faces = get32(f.p + 8);
		free(f.p);
		CHECK(faces > 1);
		for (i = 0; i < faces; i++) {
			CHECK(load(CJK, i, &f) == 0);
			ACCEPTED(&f, &in);
			CHECK(in.cff && in.faces == faces);
			CHECK(in.units_per_em == 1000 && in.nglyphs > 60000);
			CHECK(strncmp(in.family, "Noto Sans", 9) == 0);
			CHECK(strncmp(in.psname, "NotoSans", 8) == 0);
		}
		CHECK(load(CJK, 0, &f) == 0);
		f.index = faces;
		REFUSED(&f, "requested, the collection has");
	} else
		fprintf(stderr, "skip: %s\n", CJK);
}

/* The file and its table directory. */
static void
damaged_file(const struct font *mono)
{
	struct font	 m;
	struct ttf_info	 in;
	size_t		 r, end, maxend = 0, dirend, cuts[3], k, len;
	unsigned	 i, j, first;
	char		 want[64];

	m.p = xcalloc(1, TTF_MAXSIZE + 1);
	memcpy(m.p, mono->p, mono->len);
	m.len = TTF_MAXSIZE + 1;
	m.index = 0;
	REFUSED(&m, "font file too large");
	m = cut(mono, 0);
	REFUSED(&m, "too short");
	m = cut(mono, 11);
	REFUSED(&m, "too short");
	m = copy(mono);
	memcpy(m.p, "wOFF", 4);
	REFUSED(&m, "not a TrueType or OpenType font");
	m = copy(mono);
	m.index = 1;
	REFUSED(&m, "face 1 requested, the file has one");
	m = copy(mono);
	put16(m.p + 4, 0);
	REFUSED(&m, "0 tables");
	m = copy(mono);
	put16(m.p + 4, 513);
	REFUSED(&m, "513 tables");

	/* cut short anywhere in the directory, or at any table's edges:
	 * the first table that no longer fits is named */
	dirend = 12 + 16 * (size_t)ntables(mono);
	for (len = 0; len < dirend; len++) {
		m = cut(mono, len);
		REFUSED(&m, len < 12 ? "too short" : "table directory");
	}
	for (i = 0; i < ntables(mono); i++) {
		r = 12 + 16 * (size_t)i;
		end = (size_t)get32(mono->p + r + 8) + get32(mono->p + r + 12);
		if (end > maxend)
			maxend = end;
	}
	for (i = 0; i < ntables(mono); i++) {
		r = 12 + 16 * (size_t)i;
		cuts[0] = get32(mono->p + r + 8);
		cuts[1] = cuts[0] + get32(mono->p + r + 12);
		cuts[2] = cuts[1] > 0 ? cuts[1] - 1 : 0;
		for (k = 0; k < 3; k++) {
			if (cuts[k] < dirend)
				continue;
			m = cut(mono, cuts[k]);
			if (cuts[k] >= maxend) {
				ACCEPTED(&m, &in);
				continue;
			}
			for (first = 0; first < ntables(mono); first++) {
				r = 12 + 16 * (size_t)first;
				if ((size_t)get32(mono->p + r + 8) +
				    get32(mono->p + r + 12) > cuts[k])
					break;
			}
			snprintf(want, sizeof(want), "table '%.4s' runs past "
			    "the end of the file", mono->p + r);
			REFUSED(&m, want);
		}
	}

	/* every table: a length of 0xFFFFFFFF, an offset past the end */
	for (i = 0; i < ntables(mono); i++) {
		r = 12 + 16 * (size_t)i;
		snprintf(want, sizeof(want), "table '%.4s' runs past the end "
		    "of the file", mono->p + r);
		m = copy(mono);
		put32(m.p + r + 12, 0xFFFFFFFF);
		REFUSED(&m, want);
		m = copy(mono);
		put32(m.p + r + 8, 0xFFFFFFF0);
		REFUSED(&m, want);
		m = copy(mono);
		put32(m.p + r + 8, (uint32_t)m.len);
		if (get32(m.p + r + 12) > 0)
			REFUSED(&m, want);
		else
			free(m.p);
	}
	m = copy(mono);
	memcpy(m.p + record(&m, "post"), "cmap", 4);
	REFUSED(&m, "table 'cmap' appears twice");
	m = copy(mono);
	memcpy(m.p + 12, mono->p + 28, 16);
	memcpy(m.p + 28, mono->p + 12, 16);
	REFUSED(&m, "table directory not sorted");

	/* each required table missing, or empty */
	{
		static const char *req[] = { "head", "maxp", "hhea", "hmtx",
		    "glyf", "loca", "cmap" };

		for (j = 0; j < sizeof(req) / sizeof(req[0]); j++) {
			m = copy(mono);
			m.p[record(&m, req[j]) + 3] = '_';
			snprintf(want, sizeof(want), "no '%s' table", req[j]);
			REFUSED(&m, want);
			m = copy(mono);
			put32(m.p + record(&m, req[j]) + 12, 0);
			snprintf(want, sizeof(want), "table '%s' is empty",
			    req[j]);
			REFUSED(&m, want);
		}
	}
}

/* A collection around a real face, then damaged. */
static void
damaged_collection(const struct font *mono)
{
	struct font	 c, m;
	struct ttf_info	 in;

	c = collection(mono, 1);
	m = copy(&c);
	ACCEPTED(&m, &in);
	CHECK(in.faces == 1 && !in.cff);
	m = copy(&c);
	put32(m.p + 8, 0x7FFFFFFF);
	REFUSED(&m, "collection of 2147483647 faces");
	m = copy(&c);
	put32(m.p + 8, 0);
	REFUSED(&m, "collection of 0 faces");
	m = copy(&c);
	put32(m.p + 8, 257);
	REFUSED(&m, "collection of 257 faces");
	m = copy(&c);
	put32(m.p + 12, (uint32_t)m.len - 4);
	REFUSED(&m, "collection face 0 lies outside the file");
	m = copy(&c);
	put32(m.p + 12, 0);
	REFUSED(&m, "collection face 0 lies outside the file");
	m = copy(&c);
	put16(m.p + 4, 3);
	REFUSED(&m, "collection version 3");
	m = cut(&c, 14);
	REFUSED(&m, "collection header runs past the end");
	m = copy(&c);
	m.index = 1;
	REFUSED(&m, "face 1 requested, the collection has 1");
	free(c.p);

	/* two faces sharing one directory */
	c = collection(mono, 2);
	c.index = 1;
	m = copy(&c);
	ACCEPTED(&m, &in);
	CHECK(in.faces == 2);
	m = copy(&c);
	m.index = 2;
	REFUSED(&m, "face 2 requested, the collection has 2");
	m = copy(&c);
	put32(m.p + 16, 0xFFFFFFF0);
	REFUSED(&m, "collection face 1 lies outside the file");
	free(c.p);
}

/* head, maxp, hhea/hmtx, loca/glyf. */
static void
damaged_tables(const struct font *mono)
{
	struct font	 m;
	struct ttf_info	 in;
	size_t		 head = table(mono, "head"), maxp = table(mono, "maxp");
	size_t		 hhea = table(mono, "hhea"), loca = table(mono, "loca");
	size_t		 at, size;
	unsigned	 ng = get16(mono->p + maxp + 4), g;

	m = copy(mono);
	put32(m.p + record(&m, "head") + 12, 53);
	REFUSED(&m, "table 'head' too short (53 bytes, 54 needed)");
	m = copy(mono);
	put32(m.p + head + 12, 0x5F0F3CF6);
	REFUSED(&m, "head magic number is wrong");
	m = copy(mono);
	put16(m.p + head, 2);
	REFUSED(&m, "head version 2 unknown");
	m = copy(mono);
	put16(m.p + head + 18, 0);
	REFUSED(&m, "unitsPerEm 0 out of range");
	m = copy(mono);
	put16(m.p + head + 18, 15);
	REFUSED(&m, "unitsPerEm 15 out of range");
	m = copy(mono);
	put16(m.p + head + 18, 16385);
	REFUSED(&m, "unitsPerEm 16385 out of range");
	m = copy(mono);
	put16(m.p + head + 18, 16);
	ACCEPTED(&m, &in);
	CHECK(in.units_per_em == 16);
	m = copy(mono);
	put16(m.p + head + 50, 2);
	REFUSED(&m, "indexToLocFormat 2 is neither 0 nor 1");

	m = copy(mono);
	put16(m.p + maxp + 4, 0);
	REFUSED(&m, "maxp numGlyphs is 0");
	m = copy(mono);
	put32(m.p + record(&m, "maxp") + 12, 5);
	REFUSED(&m, "table 'maxp' too short");
	m = copy(mono);
	put32(m.p + maxp, 0x00020000);
	REFUSED(&m, "maxp version 0x00020000 unknown");
	m = copy(mono);
	put16(m.p + maxp + 4, 0xFFFF);
	REFUSED(&m, "too short");

	m = copy(mono);
	put32(m.p + record(&m, "hhea") + 12, 35);
	REFUSED(&m, "table 'hhea' too short");
	m = copy(mono);
	put16(m.p + hhea + 34, 0);
	REFUSED(&m, "numberOfHMetrics 0 out of range");
	m = copy(mono);
	put16(m.p + hhea + 34, ng + 1);
	REFUSED(&m, "out of range (1 to numGlyphs");
	m = copy(mono);
	put16(m.p + hhea + 34, ng);	/* more long metrics than hmtx has */
	REFUSED(&m, "table 'hmtx' too short");
	m = copy(mono);
	put32(m.p + record(&m, "hmtx") + 12,
	    4 * get16(mono->p + hhea + 34) +
	    2 * (ng - get16(mono->p + hhea + 34)) - 1);
	REFUSED(&m, "table 'hmtx' too short");

	m = copy(mono);
	put32(m.p + record(&m, "loca") + 12, 4 * ng + 3);
	REFUSED(&m, "table 'loca' too short");
	g = findglyph(mono, 0);
	CHECK(g > 0);
	m = copy(mono);
	put32(m.p + loca + 4 * (g + 1), get32(m.p + loca + 4 * g) - 1);
	REFUSED(&m, "goes backwards");
	m = copy(mono);
	put32(m.p + loca + 4 * ng, (uint32_t)tablelen(mono, "glyf") + 4);
	REFUSED(&m, "past the end of 'glyf'");
	m = copy(mono);
	put32(m.p + record(&m, "glyf") + 12, (uint32_t)tablelen(mono,
	    "glyf") / 2);
	REFUSED(&m, "past the end of 'glyf'");

	/* the glyphs themselves */
	m = copy(mono);
	at = glyph(&m, g, &size);
	put16(m.p + at, 0x7FFF);
	REFUSED(&m, "is damaged (its contours run past its data)");
	m = copy(mono);
	at = glyph(&m, g, &size);
	put16(m.p + at + 10 + 2 * get16(m.p + at), 0xFFFF);
	REFUSED(&m, "is damaged");
	m = copy(mono);
	at = glyph(&m, g, &size);
	put16(m.p + at + 12, get16(m.p + at + 10));
	REFUSED(&m, "its contours end out of order");
	m = copy(mono);
	put32(m.p + loca + 4 * (g + 1), get32(m.p + loca + 4 * g) + 5);
	REFUSED(&m, "shorter than its header");
	g = findglyph(mono, 1);
	CHECK(g > 0);
	m = copy(mono);
	at = glyph(&m, g, &size);
	put16(m.p + at + 12, 0xFFFF);
	REFUSED(&m, "component glyph 65535 does not exist");
	m = copy(mono);
	at = glyph(&m, g, &size);
	put16(m.p + at + 12, g);
	REFUSED(&m, "its own component");
	m = copy(mono);
	put32(m.p + loca + 4 * (g + 1), get32(m.p + loca + 4 * g) + 12);
	REFUSED(&m, "its components run past its data");
}

static void
damaged_cmap(const struct font *mono)
{
	struct font	 m;
	size_t		 cmap = table(mono, "cmap"), f4 = cmapsub(mono, 4);
	size_t		 f12 = cmapsub(mono, 12), at;
	unsigned	 n = get16(mono->p + cmap + 2), i, x2;

	CHECK(f4 > 0 && f12 > 0);
	m = copy(mono);
	put16(m.p + cmap, 1);
	REFUSED(&m, "cmap version 1 unknown");
	m = copy(mono);
	put16(m.p + cmap + 2, 0);
	REFUSED(&m, "cmap has 0 subtables");
	m = copy(mono);
	put16(m.p + cmap + 2, 0xFFFF);
	REFUSED(&m, "cmap has 65535 subtables");
	m = copy(mono);
	put32(m.p + record(&m, "cmap") + 12, 4 + 8 * n - 1);
	REFUSED(&m, "cmap encoding records run past the end of 'cmap'");
	m = copy(mono);
	put32(m.p + cmap + 8, (uint32_t)tablelen(mono, "cmap") + 100);
	REFUSED(&m, "lies outside 'cmap'");
	m = copy(mono);
	put16(m.p + f4 + 2, 0xFFFF);
	REFUSED(&m, "(format 4) runs past the end of 'cmap'");
	m = copy(mono);
	put32(m.p + f12 + 4, 0xFFFFFFF0);
	REFUSED(&m, "(format 12) runs past the end of 'cmap'");
	m = copy(mono);
	put16(m.p + f4, 3);
	REFUSED(&m, "has unknown format 3");

	/* format 4 */
	x2 = get16(mono->p + f4 + 6);
	m = copy(mono);
	put16(m.p + f4 + 6, 0);
	REFUSED(&m, "segCountX2 0 is zero or odd");
	m = copy(mono);
	put16(m.p + f4 + 6, x2 - 1);
	REFUSED(&m, "is zero or odd");
	m = copy(mono);
	put16(m.p + f4 + 6, 0xFFFE);
	REFUSED(&m, "its arrays run past its length");
	m = copy(mono);
	put16(m.p + f4 + 14 + x2 - 2, 0xFFFE);
	REFUSED(&m, "the last endCode is not 0xFFFF");
	m = copy(mono);
	put16(m.p + f4 + 14, 0xFFFF);
	REFUSED(&m, "segments not sorted");
	m = copy(mono);
	put16(m.p + f4 + 14 + x2 + 2, get16(m.p + f4 + 14) + 1);
	REFUSED(&m, "starts after it ends");
	m = copy(mono);
	put16(m.p + f4 + 16 + 3 * x2, 0xFFFE);	/* idRangeOffset[0] */
	REFUSED(&m, "segment 0 reads past its glyph array");

	/* format 12 */
	m = copy(mono);
	put32(m.p + f12 + 12, 0x10000000);
	REFUSED(&m, "its groups run past its length");
	m = copy(mono);
	memcpy(m.p + f12 + 16, mono->p + f12 + 28, 12);
	memcpy(m.p + f12 + 28, mono->p + f12 + 16, 12);
	REFUSED(&m, "groups not sorted");
	m = copy(mono);
	put32(m.p + f12 + 16, get32(m.p + f12 + 20) + 1);
	REFUSED(&m, "starts after it ends");
	m = copy(mono);
	at = f12 + 16 + 12 * ((size_t)get32(mono->p + f12 + 12) - 1);
	put32(m.p + at + 4, 0x110000);
	REFUSED(&m, "goes past U+10FFFF");

	/* subtables that overlap: format 4 grown into the next one */
	m = copy(mono);
	put16(m.p + f4 + 2, get16(m.p + f4 + 2) + 2);
	REFUSED(&m, "overlap");

	/* no Unicode subtable: all records made ISO, or all empty */
	m = copy(mono);
	for (i = 0; i < n; i++)
		put16(m.p + cmap + 4 + 8 * i, 2);
	REFUSED(&m, "no Unicode cmap subtable");
	m = copy(mono);
	put16(m.p + f4 + 6, 2);		/* only the 0xFFFF segment */
	put16(m.p + f4 + 14, 0xFFFF);
	put16(m.p + f4 + 16, 0);
	put16(m.p + f4 + 18, 0xFFFF);
	put16(m.p + f4 + 22, 0);
	put32(m.p + f12 + 12, 0);
	for (i = 0; i < n; i++)
		if (get16(m.p + cmap + 4 + 8 * i) == 1)
			put16(m.p + cmap + 4 + 8 * i, 2);
	REFUSED(&m, "the font maps no characters");
}

/* OS/2, post, name: the optional tables. */
static void
optional_tables(const struct font *mono, const struct font *charis)
{
	struct font	 m;
	struct ttf_info	 in;
	size_t		 os2 = table(mono, "OS/2"), post = table(mono, "post");
	char		 why[256];

	m = copy(mono);
	put32(m.p + record(&m, "OS/2") + 12, 77);
	REFUSED(&m, "table 'OS/2' too short (77 bytes, 78 needed)");
	m = copy(mono);
	put16(m.p + os2 + 8, 0x0002);
	CHECK(ttf_check(m.p, m.len, 0, &in, why, sizeof(why)) == -1);
	CHECK(strstr(why, "does not allow embedding") != NULL);
	CHECK(in.embeddable == 0 && in.nglyphs > 0);	/* still filled */
	REFUSED(&m, "licence does not allow embedding (OS/2 fsType 0x0002)");
	m = copy(mono);
	put16(m.p + os2 + 8, 0x0200);
	REFUSED(&m, "does not allow embedding");
	m = copy(mono);
	put16(m.p + os2 + 8, 0x0004);
	ACCEPTED(&m, &in);
	CHECK(in.embeddable);
	m = copy(mono);
	put16(m.p + os2 + 8, 0x0006);	/* the least restrictive bit wins */
	ACCEPTED(&m, &in);
	CHECK(in.embeddable);
	m = copy(mono);
	put16(m.p + os2 + 8, 0x0108);
	ACCEPTED(&m, &in);
	m = copy(mono);
	put16(m.p + os2 + 4, 0);
	ACCEPTED(&m, &in);
	CHECK(in.weight == 400);
	m = copy(mono);
	m.p[record(&m, "OS/2") + 3] = '_';
	ACCEPTED(&m, &in);
	CHECK(in.weight == 400 && in.embeddable && in.cap_height == 0);

	/* cap and x-heights only from version 2 */
	m = copy(charis);
	ACCEPTED(&m, &in);
	CHECK(in.cap_height > 0 && in.x_height > 0);
	m = copy(charis);
	put16(m.p + table(&m, "OS/2"), 1);
	ACCEPTED(&m, &in);
	CHECK(in.cap_height == 0 && in.x_height == 0);

	m = copy(mono);
	put32(m.p + record(&m, "post") + 12, 31);
	REFUSED(&m, "table 'post' too short");
	m = copy(mono);
	put32(m.p + post, 0x00050000);
	REFUSED(&m, "post version 0x00050000 unknown");
	m = copy(mono);
	put16(m.p + post + 32, 0xFFFF);
	REFUSED(&m, "post glyph name indices run past the end");
	m = copy(mono);
	put32(m.p + post, 0x00030000);
	put32(m.p + post + 4, (uint32_t)-(12 << 16 | 0x8000));
	ACCEPTED(&m, &in);
	CHECK(in.italic_angle_x10 == -125);

	/* a damaged name table only loses the names */
	m = copy(mono);
	put16(m.p + table(&m, "name") + 4, 0xFFFF);
	ACCEPTED(&m, &in);
	CHECK_STR(in.family, "");
	CHECK_STR(in.psname, "");
	m = copy(mono);
	put32(m.p + record(&m, "name") + 12, 0);
	ACCEPTED(&m, &in);
	CHECK_STR(in.family, "");
	m = copy(mono);
	put16(m.p + table(&m, "name") + 2, 0xFFFF);
	ACCEPTED(&m, &in);
}

static void
damaged_cff(void)
{
	struct font	 f, m;
	size_t		 cff, maxp;

	if (load(CJK, 0, &f) == -1) {
		fprintf(stderr, "skip: %s\n", CJK);
		return;
	}
	cff = table(&f, "CFF ");
	maxp = table(&f, "maxp");
	m = copy(&f);
	m.p[record(&m, "CFF ") + 3] = '_';
	REFUSED(&m, "no 'CFF ' table");
	m = copy(&f);
	put32(m.p + record(&m, "CFF ") + 12, 0);
	REFUSED(&m, "table 'CFF ' is empty");
	m = copy(&f);
	m.p[cff] = 3;
	REFUSED(&m, "table 'CFF ' is damaged (version 3)");
	m = copy(&f);
	m.p[cff + 2] = 2;
	REFUSED(&m, "table 'CFF ' is damaged (header)");
	m = copy(&f);
	m.p[cff + m.p[cff + 2] + 2] = 5;	/* Name INDEX offSize */
	REFUSED(&m, "Name INDEX offset size 5");
	m = copy(&f);
	put16(m.p + cff + m.p[cff + 2], 0xFFFF);
	REFUSED(&m, "Name INDEX");
	m = copy(&f);
	put32(m.p + record(&m, "CFF ") + 12, (uint32_t)tablelen(&f,
	    "CFF ") / 2);
	REFUSED(&m, "table 'CFF ' is damaged");
	m = copy(&f);
	put16(m.p + maxp + 4, get16(m.p + maxp + 4) - 1);
	REFUSED(&m, "maxp 65534");
	free(f.p);
}

/*
 * Random damage: never a crash, and what passes loads and shapes.  A
 * flip lands anywhere, in the first kilobyte of the face (the directory
 * and what follows) or near the start of a table, where the structure is.
 */
static void
random_damage(struct font *fonts, size_t nfonts)
{
	struct font	*f, m;
	struct ttf_info	 in;
	size_t		 pos[4], maxend, r, end, len, span;
	unsigned char	 old[4];
	unsigned	 i, j, k, t, accepted = 0, flipped = 0;
	int		 rc;

	f = &fonts[0];
	for (maxend = 0, t = 0; t < ntables(f); t++) {
		r = f->face + 12 + 16 * (size_t)t;
		end = (size_t)get32(f->p + r + 8) + get32(f->p + r + 12);
		if (end > maxend)
			maxend = end;
	}
	for (i = 0; i < TRUNCATIONS; i++) {
		len = rnd() % (f->len + 1);
		m = cut(f, len);
		rc = ttf_check(m.p, m.len, m.index, &in, NULL, 0);
		CHECK(rc == -1 || len >= maxend);
		if (rc == 0) {
			accepted++;
			CHECK(shapes(m.p, m.len, m.index, &in));
		}
		free(m.p);
	}
	for (i = 0; i < FLIPS; i++) {
		f = &fonts[i % nfonts];
		k = 1 + rnd() % 4;
		for (j = 0; j < k; j++) {
			switch (rnd() % 3) {
			case 0:
				pos[j] = rnd() % f->len;
				break;
			case 1:
				span = f->len - f->face < 1024 ?
				    f->len - f->face : 1024;
				pos[j] = f->face + rnd() % span;
				break;
			default:
				r = f->face + 12 + 16 * (size_t)(rnd() %
				    ntables(f));
				span = get32(f->p + r + 12);
				span = span == 0 ? 1 : span < 512 ? span : 512;
				pos[j] = get32(f->p + r + 8) + rnd() % span;
				if (pos[j] >= f->len)
					pos[j] = f->len - 1;
				break;
			}
		}
		/* all chosen on the intact font, then flipped */
		for (j = 0; j < k; j++) {
			old[j] = f->p[pos[j]];
			f->p[pos[j]] ^= (unsigned char)(1 + rnd() % 255);
		}
		if (ttf_check(f->p, f->len, f->index, &in, NULL, 0) == 0) {
			flipped++;
			if (!shapes(f->p, f->len, f->index, &in)) {
				fprintf(stderr, "%s:%d: flip %u: HarfBuzz "
				    "disagrees\n", __FILE__, __LINE__, i);
				unit_failures++;
			}
		}
		while (j-- > 0)		/* undo, last first */
			f->p[pos[j]] = old[j];
	}
	printf("random damage: %u of %d truncations and %u of %d flips "
	    "accepted, HarfBuzz shaped them all\n", accepted, TRUNCATIONS,
	    flipped, FLIPS);
	CHECK(flipped > 0);
}

int
main(void)
{
	struct font	 mono, charis, fonts[3];
	size_t		 n = 0;
	const char	*s;

	if ((s = getenv("TTF_SEED")) != NULL)
		seed = strtoull(s, NULL, 10) | 1;
	if (load(MONO, 0, &mono) == -1 || load(CHARIS, 0, &charis) == -1) {
		fprintf(stderr, "cannot read the fonts: run from the "
		    "repository's root\n");
		return 1;
	}
	real_fonts();
	damaged_file(&mono);
	damaged_collection(&mono);
	damaged_tables(&mono);
	damaged_cmap(&mono);
	optional_tables(&mono, &charis);
	damaged_cff();

	fonts[n++] = mono;
	fonts[n++] = charis;
	if (load(CJK, 0, &fonts[n]) == 0)
		n++;
	random_damage(fonts, n);
	while (n-- > 0)
		free(fonts[n].p);
	return UNIT_DONE();
}
