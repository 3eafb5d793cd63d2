/*
 * Font validation.  Damaged TrueType and OpenType files crash font
 * libraries (heap overflows, a division by a unitsPerEm of 0, endless
 * reads on a table length of 0xFFFFFFFF), so every font is checked here
 * first, on its bytes in memory: the collection header and the table
 * directory, then every table HarfBuzz and the PDF writer rely on —
 * head, maxp, hhea/hmtx, vhea/vmtx, loca and every glyph of glyf, the
 * INDEXes and DICTs of CFF and CFF2, every cmap subtable, OS/2 and post.
 * Offsets and lengths are checked against the table that holds them in
 * 64-bit arithmetic, every loop is bounded by the bytes it reads, and the
 * work is linear in the file's size.  The name table is read best-effort
 * and never refuses a font.  Tables the shaper sanitises itself (GSUB,
 * GPOS, GDEF, kern...) are left to it.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ttf.h"

#define MAXFACES	256	/* faces in a collection */
#define MAXTABLES	512	/* tables in a face */
#define MAXCMAPS	128	/* cmap encoding records */
#define MAXFDS		256	/* Font DICTs of a CID-keyed CFF */
#define CFF_MAXSTACK	48	/* DICT operands, CFF */
#define CFF2_MAXSTACK	513	/* DICT operands, CFF2 */

#define TAG(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
	(uint32_t)(c) << 8 | (uint32_t)(d))

struct table {
	const unsigned char	*p;	/* NULL when absent */
	size_t			 len;
};

struct check {
	const unsigned char	*data;
	size_t			 len;
	const unsigned char	*dir;		/* the face's table records */
	unsigned		 ntables;
	unsigned		 nglyphs;	/* maxp */
	int			 licence;	/* refused for its licence alone */
	char			*why;
	size_t			 whylen;
};

/* A CFF or CFF2 table being checked. */
struct cff {
	const unsigned char	*p;
	size_t			 len;
	int			 v2;
	const char		*name;		/* for messages */
};

struct cffindex {
	uint32_t	 count;
	size_t		 offsz;
	size_t		 offs;		/* where the offsets start */
	size_t		 data;		/* where the data starts, less one */
	size_t		 end;
};

/* What a DICT says, -1 for what it does not. */
struct cffdict {
	int64_t		 charset, encoding, charstrings, subrs, cstype;
	int64_t		 privsize, privoff, fdarray, fdselect, vstore;
	int		 ros;
};

/* A cmap subtable, once per offset however many records name it. */
struct cmapsub {
	uint32_t	 off, len;
	unsigned	 format, rec;
	int		 maps;		/* maps at least one character */
};

static int	fail(struct check *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static int
sbe16(const unsigned char *p)
{
	unsigned	 v = be16(p);

	return v >= 0x8000 ? (int)v - 0x10000 : (int)v;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int64_t
sbe32(const unsigned char *p)
{
	int64_t		 v = be32(p);

	return v >= 0x80000000LL ? v - 0x100000000LL : v;
}

/* Whether n bytes at off lie inside len bytes; no sum can wrap. */
static int
fits(uint64_t off, uint64_t n, uint64_t len)
{
	return off <= len && n <= len - off;
}

static int
fail(struct check *c, const char *fmt, ...)
{
	va_list		 ap;

	if (c->why != NULL && c->whylen > 0) {
		va_start(ap, fmt);
		vsnprintf(c->why, c->whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A tag for a message: printable whatever the file holds. */
static const char *
tagname(uint32_t tag, char *s)
{
	unsigned char	 ch;
	int		 i;

	for (i = 0; i < 4; i++) {
		ch = (unsigned char)(tag >> (24 - 8 * i));
		s[i] = ch >= 0x20 && ch < 0x7F && ch != '\'' ? (char)ch : '?';
	}
	s[4] = '\0';
	return s;
}

/* The table directory was checked before any lookup. */
static struct table
find(const struct check *c, uint32_t tag)
{
	struct table		 t = { NULL, 0 };
	const unsigned char	*r;
	unsigned		 i;

	for (i = 0; i < c->ntables; i++) {
		r = c->dir + 16 * (size_t)i;
		if (be32(r) == tag) {
			t.p = c->data + be32(r + 8);
			t.len = be32(r + 12);
			break;
		}
	}
	return t;
}

static int
need(struct check *c, uint32_t tag, struct table *t)
{
	char	 s[5];

	*t = find(c, tag);
	if (t->p == NULL)
		return fail(c, "no '%s' table", tagname(tag, s));
	if (t->len == 0)
		return fail(c, "table '%s' is empty", tagname(tag, s));
	return 0;
}

static int
tooshort(struct check *c, uint32_t tag, size_t len, uint64_t want)
{
	char	 s[5];

	return fail(c, "table '%s' too short (%zu bytes, %llu needed)",
	    tagname(tag, s), len, (unsigned long long)want);
}

/* ------------------------------------------------ file and directory */

static int
check_collection(struct check *c, unsigned index, size_t *at,
    unsigned *faces)
{
	uint32_t	 n, i, off;
	unsigned	 major;

	major = be16(c->data + 4);
	if (major != 1 && major != 2)
		return fail(c, "collection version %u unknown", major);
	n = be32(c->data + 8);
	if (n < 1 || n > MAXFACES)
		return fail(c, "collection of %lu faces (1 to %d allowed)",
		    (unsigned long)n, MAXFACES);
	if (!fits(12, 4 * (uint64_t)n, c->len))
		return fail(c, "collection header runs past the end of the "
		    "file");
	for (i = 0; i < n; i++) {
		off = be32(c->data + 12 + 4 * (size_t)i);
		if (off < 12 || !fits(off, 12, c->len))
			return fail(c, "collection face %lu lies outside the "
			    "file", (unsigned long)i);
	}
	if (index >= n)
		return fail(c, "face %u requested, the collection has %lu",
		    index, (unsigned long)n);
	*at = be32(c->data + 12 + 4 * (size_t)index);
	*faces = n;
	return 0;
}

static int
check_directory(struct check *c, size_t at)
{
	const unsigned char	*r;
	uint32_t		 ver, tag;
	unsigned		 i, j;
	char			 s[5], s2[5];

	if (!fits(at, 12, c->len))
		return fail(c, "file too short for a font header");
	ver = be32(c->data + at);
	if (ver != 0x00010000 && ver != TAG('t', 'r', 'u', 'e') &&
	    ver != TAG('O', 'T', 'T', 'O'))
		return fail(c, "not a TrueType or OpenType font (sfnt "
		    "version 0x%08lx)", (unsigned long)ver);
	c->ntables = be16(c->data + at + 4);
	if (c->ntables < 1 || c->ntables > MAXTABLES)
		return fail(c, "%u tables in the font (1 to %d allowed)",
		    c->ntables, MAXTABLES);
	if (!fits(at + 12, 16 * (uint64_t)c->ntables, c->len))
		return fail(c, "the table directory runs past the end of "
		    "the file");
	c->dir = c->data + at + 12;
	for (i = 0; i < c->ntables; i++) {
		r = c->dir + 16 * (size_t)i;
		tag = be32(r);
		if (!fits(be32(r + 8), be32(r + 12), c->len))
			return fail(c, "table '%s' runs past the end of the "
			    "file", tagname(tag, s));
		for (j = 0; j < i; j++)
			if (be32(c->dir + 16 * (size_t)j) == tag)
				return fail(c, "table '%s' appears twice",
				    tagname(tag, s));
	}
	/* HarfBuzz binary-searches the directory: a table out of order
	 * would be there for this check and missing for the shaper */
	for (i = 1; i < c->ntables; i++)
		if (be32(c->dir + 16 * (size_t)i) <
		    be32(c->dir + 16 * (size_t)i - 16))
			return fail(c, "table directory not sorted ('%s' after "
			    "'%s')", tagname(be32(c->dir + 16 * (size_t)i), s),
			    tagname(be32(c->dir + 16 * (size_t)i - 16), s2));
	return 0;
}

/* -------------------------------------------------- head, maxp, metrics */

static int
check_head(struct check *c, const struct table *t, struct ttf_info *info,
    int *longloca)
{
	unsigned	 upem;
	int		 fmt, i;

	if (t->len < 54)
		return tooshort(c, TAG('h', 'e', 'a', 'd'), t->len, 54);
	if (be16(t->p) != 1)
		return fail(c, "head version %u unknown", be16(t->p));
	if (be32(t->p + 12) != 0x5F0F3CF5)
		return fail(c, "head magic number is wrong (0x%08lx)",
		    (unsigned long)be32(t->p + 12));
	upem = be16(t->p + 18);
	if (upem < 16 || upem > 16384)
		return fail(c, "unitsPerEm %u out of range (16 to 16384)",
		    upem);
	fmt = sbe16(t->p + 50);
	if (fmt != 0 && fmt != 1)
		return fail(c, "indexToLocFormat %d is neither 0 nor 1", fmt);
	info->units_per_em = upem;
	for (i = 0; i < 4; i++)
		info->bbox[i] = sbe16(t->p + 36 + 2 * i);
	*longloca = fmt;
	return 0;
}

static int
check_maxp(struct check *c, const struct table *t)
{
	uint32_t	 ver;

	if (t->len < 6)
		return tooshort(c, TAG('m', 'a', 'x', 'p'), t->len, 6);
	ver = be32(t->p);
	if (ver == 0x00010000 && t->len < 32)
		return fail(c, "maxp version 1.0 too short (%zu bytes, 32 "
		    "needed)", t->len);
	if (ver != 0x00010000 && ver != 0x00005000)
		return fail(c, "maxp version 0x%08lx unknown",
		    (unsigned long)ver);
	c->nglyphs = be16(t->p + 4);
	if (c->nglyphs == 0)
		return fail(c, "maxp numGlyphs is 0");
	return 0;
}

/* hhea and hmtx, or vhea and vmtx: the same layout. */
static int
check_metrics(struct check *c, const struct table *h, const struct table *m,
    uint32_t htag, uint32_t mtag, const char *field)
{
	unsigned	 n;
	uint64_t	 want;
	char		 s[5];

	if (h->len < 36)
		return tooshort(c, htag, h->len, 36);
	if (be16(h->p) != 1)
		return fail(c, "%s version %u unknown", tagname(htag, s),
		    be16(h->p));
	n = be16(h->p + 34);
	if (n < 1 || n > c->nglyphs)
		return fail(c, "%s %s %u out of range (1 to numGlyphs %u)",
		    tagname(htag, s), field, n, c->nglyphs);
	want = 4 * (uint64_t)n + 2 * (uint64_t)(c->nglyphs - n);
	if (m->len < want)
		return tooshort(c, mtag, m->len, want);
	return 0;
}

/* ------------------------------------------------------------- glyf */

static int
check_composite(struct check *c, const unsigned char *p, size_t n,
    unsigned g)
{
	size_t		 at = 10;
	unsigned	 flags, gid, instr = 0;

	do {
		if (!fits(at, 4, n))
			return fail(c, "glyph %u is damaged (its components "
			    "run past its data)", g);
		flags = be16(p + at);
		gid = be16(p + at + 2);
		if (gid >= c->nglyphs)
			return fail(c, "glyph %u is damaged (component glyph "
			    "%u does not exist)", g, gid);
		if (gid == g)
			return fail(c, "glyph %u is damaged (it is its own "
			    "component)", g);
		at += 4 + (flags & 0x1 ? 4 : 2);
		at += flags & 0x8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0;
		if (at > n)
			return fail(c, "glyph %u is damaged (its components "
			    "run past its data)", g);
		instr |= flags & 0x100;
	} while (flags & 0x20);
	if (instr && (!fits(at, 2, n) || !fits(at + 2, be16(p + at), n)))
		return fail(c, "glyph %u is damaged (its instructions run "
		    "past its data)", g);
	return 0;
}

/* A coordinate's bytes from its flag bits shifted down: bit 0 short,
 * bit 3 same (or positive) */
#define COORD_BYTES(f)	(((f) & 1) | ((~(f) & 1) & (~(f) >> 3 & 1)) << 1)

static int
check_glyph(struct check *c, const unsigned char *p, size_t n, unsigned g)
{
	size_t		 at, i, nc, npts, rep;
	uint64_t	 xy = 0;
	unsigned	 e, last = 0, flag;

	if (n == 0)
		return 0;		/* no outline, as for a space */
	if (n < 10)
		return fail(c, "glyph %u is damaged (%zu bytes, shorter than "
		    "its header)", g, n);
	if (sbe16(p) < 0)
		return check_composite(c, p, n, g);
	if ((nc = (size_t)sbe16(p)) == 0)
		return 0;
	at = 10;
	if (!fits(at, 2 * nc + 2, n))
		return fail(c, "glyph %u is damaged (its contours run past "
		    "its data)", g);
	for (i = 0; i < nc; i++) {
		e = be16(p + at + 2 * i);
		if (i > 0 && e <= last)
			return fail(c, "glyph %u is damaged (its contours end "
			    "out of order)", g);
		last = e;
	}
	npts = (size_t)last + 1;
	at += 2 * nc;
	if (!fits(at + 2, be16(p + at), n))
		return fail(c, "glyph %u is damaged (its instructions run "
		    "past its data)", g);
	at += 2 + be16(p + at);
	/* (the loop every point of every glyph takes: without branches
	 * on the flags, a coordinate is 1 byte if short, else 0 if the
	 * same as before, else 2) */
	for (i = 0; i < npts; i += rep) {
		if (at >= n)
			return fail(c, "glyph %u is damaged (its flags run "
			    "past its data)", g);
		flag = p[at++];
		rep = 1;
		if (flag & 0x8) {
			if (at >= n)
				return fail(c, "glyph %u is damaged (its "
				    "flags run past its data)", g);
			rep += p[at++];
			if (rep > npts - i)
				return fail(c, "glyph %u is damaged (its "
				    "flags repeat past its last point)", g);
		}
		xy += rep * (uint64_t)(COORD_BYTES(flag >> 1) +
		    COORD_BYTES(flag >> 2));
	}
	if (!fits(at, xy, n))
		return fail(c, "glyph %u is damaged (its coordinates run past "
		    "its data)", g);
	return 0;
}

static uint64_t
loca_at(const struct table *loca, int longloca, unsigned g)
{
	if (longloca)
		return be32(loca->p + 4 * (size_t)g);
	return 2 * (uint64_t)be16(loca->p + 2 * (size_t)g);
}

static int
check_glyf(struct check *c, const struct table *loca,
    const struct table *glyf, int longloca)
{
	uint64_t	 want, start, end;
	unsigned	 g;

	want = ((uint64_t)c->nglyphs + 1) * (longloca ? 4 : 2);
	if (loca->len < want)
		return tooshort(c, TAG('l', 'o', 'c', 'a'), loca->len, want);
	start = loca_at(loca, longloca, 0);
	for (g = 0; g < c->nglyphs; g++) {
		end = loca_at(loca, longloca, g + 1);
		if (end < start)
			return fail(c, "loca offset of glyph %u goes "
			    "backwards", g + 1);
		if (end > glyf->len)
			return fail(c, "loca offset of glyph %u (%llu) lies "
			    "past the end of 'glyf' (%zu bytes)", g + 1,
			    (unsigned long long)end, glyf->len);
		if (check_glyph(c, glyf->p + start, (size_t)(end - start),
		    g) == -1)
			return -1;
		start = end;
	}
	return 0;
}

/* ------------------------------------------------------------- CFF */

static int	cff_damaged(struct check *, const struct cff *, const char *,
		    ...) __attribute__((format(printf, 3, 4)));

static int
cff_damaged(struct check *c, const struct cff *cf, const char *fmt, ...)
{
	va_list		 ap;
	char		 what[96];

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return fail(c, "table '%s' is damaged (%s)", cf->name, what);
}

static uint64_t
cff_offset(const unsigned char *p, size_t size)
{
	uint64_t	 v = 0;

	while (size-- > 0)
		v = v << 8 | *p++;
	return v;
}

static int
cff_index(struct check *c, const struct cff *cf, uint64_t at,
    const char *what, struct cffindex *x)
{
	size_t		 hdr = cf->v2 ? 4 : 2;
	uint64_t	 o, prev = 1, i;

	if (!fits(at, hdr, cf->len))
		return cff_damaged(c, cf, "%s INDEX lies outside it", what);
	x->count = cf->v2 ? be32(cf->p + at) : be16(cf->p + at);
	x->offsz = 0;
	x->offs = x->data = x->end = (size_t)at + hdr;
	if (x->count == 0)
		return 0;
	if (!fits(at + hdr, 1, cf->len))
		return cff_damaged(c, cf, "%s INDEX lies outside it", what);
	x->offsz = cf->p[at + hdr];
	if (x->offsz < 1 || x->offsz > 4)
		return cff_damaged(c, cf, "%s INDEX offset size %zu", what,
		    x->offsz);
	x->offs = (size_t)at + hdr + 1;
	if (!fits(x->offs, ((uint64_t)x->count + 1) * x->offsz, cf->len))
		return cff_damaged(c, cf, "%s INDEX runs past its end", what);
	x->data = x->offs + ((size_t)x->count + 1) * x->offsz - 1;
	for (i = 0; i <= x->count; i++) {
		o = cff_offset(cf->p + x->offs + i * x->offsz, x->offsz);
		if ((i == 0 && o != 1) || o < prev)
			return cff_damaged(c, cf, "%s INDEX offsets out of "
			    "order", what);
		prev = o;
	}
	if (!fits(x->data, prev, cf->len))
		return cff_damaged(c, cf, "%s INDEX data runs past its end",
		    what);
	x->end = x->data + (size_t)prev;
	return 0;
}

/* Where object i of an INDEX lies; the INDEX was checked. */
static void
cff_object(const struct cff *cf, const struct cffindex *x, uint32_t i,
    size_t *start, size_t *end)
{
	*start = x->data + (size_t)cff_offset(cf->p + x->offs +
	    (size_t)i * x->offsz, x->offsz);
	*end = x->data + (size_t)cff_offset(cf->p + x->offs +
	    ((size_t)i + 1) * x->offsz, x->offsz);
}

/* The operators folio's readers follow, with their operands checked. */
static int
cff_operator(struct cffdict *d, unsigned op, const int64_t *v,
    const int *real, size_t nops)
{
	int64_t		*slot;

	switch (op) {
	case 15:	slot = &d->charset; break;
	case 16:	slot = &d->encoding; break;
	case 17:	slot = &d->charstrings; break;
	case 19:	slot = &d->subrs; break;
	case 24:	slot = &d->vstore; break;
	case 1206:	slot = &d->cstype; break;
	case 1236:	slot = &d->fdarray; break;
	case 1237:	slot = &d->fdselect; break;
	case 1230:
		if (nops < 3)
			return -1;
		d->ros = 1;
		return 0;
	case 18:
		if (nops < 2 || real[0] || real[1] || v[0] < 0 || v[1] < 0)
			return -1;
		d->privsize = v[0];
		d->privoff = v[1];
		return 0;
	default:
		return 0;
	}
	if (nops < 1 || real[1] || v[1] < 0)
		return -1;
	*slot = v[1];
	return 0;
}

/* Parse a DICT; -1 if it is damaged. */
static int
cff_dict(const struct cff *cf, size_t start, size_t end, struct cffdict *d)
{
	const unsigned char	*p = cf->p;
	size_t			 i = start, nops = 0;
	size_t			 max = cf->v2 ? CFF2_MAXSTACK : CFF_MAXSTACK;
	int64_t			 v[2] = { 0, 0 }, val;
	int			 real[2] = { 0, 0 }, isreal;
	unsigned		 b, op;

	d->charset = d->encoding = d->charstrings = d->subrs = -1;
	d->cstype = d->privsize = d->privoff = -1;
	d->fdarray = d->fdselect = d->vstore = -1;
	d->ros = 0;
	while (i < end) {
		b = p[i++];
		if (b <= 21 || (cf->v2 && b <= 24)) {
			op = b;
			if (b == 12) {
				if (i >= end)
					return -1;
				op = 1200 + p[i++];
			}
			if (cff_operator(d, op, v, real, nops) == -1)
				return -1;
			nops = 0;
			real[0] = real[1] = 0;
			continue;
		}
		isreal = 0;
		if (b >= 32 && b <= 246)
			val = (int64_t)b - 139;
		else if (b >= 247 && b <= 254) {
			if (i >= end)
				return -1;
			if (b <= 250)
				val = ((int64_t)(b - 247) << 8) + p[i++] + 108;
			else
				val = -((int64_t)(b - 251) << 8) - p[i++] - 108;
		} else if (b == 28) {
			if (end - i < 2)
				return -1;
			val = sbe16(p + i);
			i += 2;
		} else if (b == 29) {
			if (end - i < 4)
				return -1;
			val = sbe32(p + i);
			i += 4;
		} else if (b == 30) {
			/* a real: nibbles up to the one that is 0xf */
			for (;;) {
				if (i >= end)
					return -1;
				b = p[i++];
				if ((b >> 4) == 0xf || (b & 0xf) == 0xf)
					break;
			}
			val = 0;
			isreal = 1;
		} else
			return -1;
		if (++nops > max)
			return -1;
		v[0] = v[1];
		real[0] = real[1];
		v[1] = val;
		real[1] = isreal;
	}
	return nops == 0 ? 0 : -1;
}

static int
cff_private(struct check *c, const struct cff *cf, int64_t size,
    int64_t off)
{
	struct cffdict	 pd;
	struct cffindex	 subrs;

	if (off < 0 || size < 0 || !fits((uint64_t)off, (uint64_t)size,
	    cf->len))
		return cff_damaged(c, cf, "Private DICT lies outside it");
	if (cff_dict(cf, (size_t)off, (size_t)(off + size), &pd) == -1)
		return cff_damaged(c, cf, "Private DICT");
	if (pd.subrs >= 0 && cff_index(c, cf, (uint64_t)off +
	    (uint64_t)pd.subrs, "Subrs", &subrs) == -1)
		return -1;
	return 0;
}

static int
cff_charset(struct check *c, const struct cff *cf, uint64_t off)
{
	uint64_t	 at = off + 1, covered = 1;
	unsigned	 fmt;

	if (!fits(off, 1, cf->len))
		return cff_damaged(c, cf, "charset lies outside it");
	fmt = cf->p[off];
	if (fmt == 0) {
		if (!fits(at, 2 * ((uint64_t)c->nglyphs - 1), cf->len))
			return cff_damaged(c, cf, "charset runs past its end");
		return 0;
	}
	if (fmt != 1 && fmt != 2)
		return cff_damaged(c, cf, "charset format %u", fmt);
	while (covered < c->nglyphs) {
		if (!fits(at, fmt == 1 ? 3 : 4, cf->len))
			return cff_damaged(c, cf, "charset runs past its end");
		covered += 1 + (fmt == 1 ? cf->p[at + 2] :
		    be16(cf->p + at + 2));
		at += fmt == 1 ? 3 : 4;
	}
	return 0;
}

static int
cff_encoding(struct check *c, const struct cff *cf, uint64_t off)
{
	uint64_t	 at;
	unsigned	 fmt, n;

	if (!fits(off, 2, cf->len))
		return cff_damaged(c, cf, "encoding lies outside it");
	fmt = cf->p[off];
	n = cf->p[off + 1];
	if ((fmt & 0x7f) > 1)
		return cff_damaged(c, cf, "encoding format %u", fmt & 0x7f);
	at = off + 2 + ((fmt & 0x7f) == 0 ? n : 2 * (uint64_t)n);
	if (!fits(off + 2, at - off - 2, cf->len))
		return cff_damaged(c, cf, "encoding runs past its end");
	if ((fmt & 0x80) && (!fits(at, 1, cf->len) ||
	    !fits(at + 1, 3 * (uint64_t)cf->p[at], cf->len)))
		return cff_damaged(c, cf, "encoding runs past its end");
	return 0;
}

static int
cff_fdselect(struct check *c, const struct cff *cf, uint64_t off,
    uint32_t nfds)
{
	uint64_t	 at, n, i, first, prev = 0;
	unsigned	 fmt, fd;
	size_t		 rec, hs;

	if (!fits(off, 1, cf->len))
		return cff_damaged(c, cf, "FDSelect lies outside it");
	fmt = cf->p[off];
	at = off + 1;
	if (fmt == 0) {
		if (!fits(at, c->nglyphs, cf->len))
			return cff_damaged(c, cf, "FDSelect runs past its "
			    "end");
		for (i = 0; i < c->nglyphs; i++)
			if (cf->p[at + i] >= nfds)
				return cff_damaged(c, cf, "FDSelect names a "
				    "Font DICT that does not exist");
		return 0;
	}
	if (fmt != 3 && !(fmt == 4 && cf->v2))
		return cff_damaged(c, cf, "FDSelect format %u", fmt);
	/* format 3: 16-bit count, glyphs and sentinel; format 4: 32-bit */
	rec = fmt == 3 ? 3 : 6;
	hs = fmt == 3 ? 2 : 4;
	if (!fits(at, hs, cf->len))
		return cff_damaged(c, cf, "FDSelect runs past its end");
	n = fmt == 3 ? be16(cf->p + at) : be32(cf->p + at);
	at += hs;
	if (n == 0 || !fits(at, n * rec + hs, cf->len))
		return cff_damaged(c, cf, "FDSelect runs past its end");
	for (i = 0; i <= n; i++, at += rec) {
		first = fmt == 3 ? be16(cf->p + at) : be32(cf->p + at);
		if ((i == 0 && first != 0) || (i > 0 && first <= prev) ||
		    (i == n && first != c->nglyphs))
			return cff_damaged(c, cf, "FDSelect ranges out of "
			    "order");
		if (i < n) {
			fd = fmt == 3 ? cf->p[at + 2] : be16(cf->p + at + 4);
			if (fd >= nfds)
				return cff_damaged(c, cf, "FDSelect names a "
				    "Font DICT that does not exist");
		}
		prev = first;
	}
	return 0;
}

/* The Font DICTs of a CID-keyed CFF or of a CFF2, and their Privates. */
static int
cff_fdarray(struct check *c, const struct cff *cf, const struct cffdict *td)
{
	struct cffindex	 fda;
	struct cffdict	 fd;
	size_t		 start, end;
	uint32_t	 i;

	if (td->fdarray < 0)
		return cff_damaged(c, cf, "no FDArray");
	if (cff_index(c, cf, (uint64_t)td->fdarray, "FDArray", &fda) == -1)
		return -1;
	if (fda.count < 1 || fda.count > MAXFDS)
		return cff_damaged(c, cf, "%lu Font DICTs (1 to %d allowed)",
		    (unsigned long)fda.count, MAXFDS);
	for (i = 0; i < fda.count; i++) {
		cff_object(cf, &fda, i, &start, &end);
		if (cff_dict(cf, start, end, &fd) == -1)
			return cff_damaged(c, cf, "Font DICT %lu",
			    (unsigned long)i);
		if (fd.privoff < 0)
			return cff_damaged(c, cf, "Font DICT %lu has no "
			    "Private DICT", (unsigned long)i);
		if (cff_private(c, cf, fd.privsize, fd.privoff) == -1)
			return -1;
	}
	if (td->fdselect >= 0)
		return cff_fdselect(c, cf, (uint64_t)td->fdselect, fda.count);
	if (fda.count > 1)
		return cff_damaged(c, cf, "several Font DICTs but no "
		    "FDSelect");
	return 0;
}

static int
cff_charstrings(struct check *c, const struct cff *cf,
    const struct cffdict *td)
{
	struct cffindex	 cs;

	if (td->charstrings < 0)
		return cff_damaged(c, cf, "no CharStrings");
	if (cff_index(c, cf, (uint64_t)td->charstrings, "CharStrings",
	    &cs) == -1)
		return -1;
	if (cs.count != c->nglyphs)
		return fail(c, "table '%s' has %lu glyphs, maxp %u", cf->name,
		    (unsigned long)cs.count, c->nglyphs);
	return 0;
}

static int
check_cff1(struct check *c, const struct cff *cf)
{
	struct cffindex	 name, top, strings, gsubrs;
	struct cffdict	 td;
	size_t		 start, end;

	if (cf->len < 4 || cf->p[2] < 4 || cf->p[2] > cf->len)
		return cff_damaged(c, cf, "header");
	if (cf->p[0] != 1)
		return cff_damaged(c, cf, "version %u", cf->p[0]);
	if (cff_index(c, cf, cf->p[2], "Name", &name) == -1 ||
	    cff_index(c, cf, name.end, "Top DICT", &top) == -1 ||
	    cff_index(c, cf, top.end, "String", &strings) == -1 ||
	    cff_index(c, cf, strings.end, "Global Subr", &gsubrs) == -1)
		return -1;
	if (name.count != 1 || top.count != 1)
		return cff_damaged(c, cf, "%lu fonts, OpenType allows one",
		    (unsigned long)top.count);
	cff_object(cf, &top, 0, &start, &end);
	if (cff_dict(cf, start, end, &td) == -1)
		return cff_damaged(c, cf, "Top DICT");
	if (td.cstype >= 0 && td.cstype != 2)
		return cff_damaged(c, cf, "charstring type %lld",
		    (long long)td.cstype);
	if (cff_charstrings(c, cf, &td) == -1)
		return -1;
	if (td.charset > 2 && cff_charset(c, cf, (uint64_t)td.charset) == -1)
		return -1;
	if (td.encoding > 1 && cff_encoding(c, cf,
	    (uint64_t)td.encoding) == -1)
		return -1;
	if (td.ros)
		return cff_fdarray(c, cf, &td);
	if (td.privoff < 0)
		return cff_damaged(c, cf, "no Private DICT");
	return cff_private(c, cf, td.privsize, td.privoff);
}

static int
check_cff2(struct check *c, const struct cff *cf)
{
	struct cffindex	 gsubrs;
	struct cffdict	 td;
	unsigned	 hdr, size;

	if (cf->len < 5)
		return cff_damaged(c, cf, "header");
	if (cf->p[0] != 2)
		return cff_damaged(c, cf, "version %u", cf->p[0]);
	hdr = cf->p[2];
	size = be16(cf->p + 3);
	if (hdr < 5 || !fits(hdr, size, cf->len))
		return cff_damaged(c, cf, "header");
	if (cff_dict(cf, hdr, (size_t)hdr + size, &td) == -1)
		return cff_damaged(c, cf, "Top DICT");
	if (cff_index(c, cf, (uint64_t)hdr + size, "Global Subr",
	    &gsubrs) == -1 || cff_charstrings(c, cf, &td) == -1)
		return -1;
	if (td.vstore >= 0 && (!fits((uint64_t)td.vstore, 2, cf->len) ||
	    !fits((uint64_t)td.vstore + 2, be16(cf->p + td.vstore), cf->len)))
		return cff_damaged(c, cf, "VariationStore lies outside it");
	return cff_fdarray(c, cf, &td);
}

static int
check_cff(struct check *c, const struct table *t, int v2)
{
	struct cff	 cf;

	cf.p = t->p;
	cf.len = t->len;
	cf.v2 = v2;
	cf.name = v2 ? "CFF2" : "CFF ";
	return v2 ? check_cff2(c, &cf) : check_cff1(c, &cf);
}

/* ------------------------------------------------------------- cmap */

static int
cmap_groups(struct check *c, const unsigned char *p, size_t len,
    size_t at, const struct cmapsub *s)
{
	uint64_t	 n, i;
	uint32_t	 start, end, prev = 0;

	if (len < at + 4)
		return fail(c, "cmap subtable %u (format %u) too short",
		    s->rec, s->format);
	n = be32(p + at);
	if (!fits(at + 4, 12 * n, len))
		return fail(c, "cmap subtable %u (format %u): its groups run "
		    "past its length", s->rec, s->format);
	for (i = 0; i < n; i++) {
		start = be32(p + at + 4 + 12 * i);
		end = be32(p + at + 8 + 12 * i);
		if (start > end)
			return fail(c, "cmap subtable %u (format %u): group "
			    "%llu starts after it ends", s->rec, s->format,
			    (unsigned long long)i);
		if (end > 0x10FFFF)
			return fail(c, "cmap subtable %u (format %u): group "
			    "%llu goes past U+10FFFF", s->rec, s->format,
			    (unsigned long long)i);
		if (i > 0 && start <= prev)
			return fail(c, "cmap subtable %u (format %u): groups "
			    "not sorted", s->rec, s->format);
		prev = end;
	}
	return 0;
}

static int
cmap_format4(struct check *c, const unsigned char *p, size_t len,
    struct cmapsub *s)
{
	size_t		 x2, nseg, i, ends = 14, starts, ros;
	unsigned	 e, st, ro, prev = 0;

	if (len < 16)
		return fail(c, "cmap subtable %u (format 4) too short",
		    s->rec);
	x2 = be16(p + 6);
	if (x2 == 0 || x2 % 2 != 0)
		return fail(c, "cmap subtable %u (format 4): segCountX2 %zu "
		    "is zero or odd", s->rec, x2);
	nseg = x2 / 2;
	if (16 + 4 * x2 > len)
		return fail(c, "cmap subtable %u (format 4): its arrays run "
		    "past its length", s->rec);
	starts = ends + x2 + 2;
	ros = starts + 2 * x2;
	if (be16(p + ends + x2 - 2) != 0xFFFF)
		return fail(c, "cmap subtable %u (format 4): the last endCode "
		    "is not 0xFFFF", s->rec);
	for (i = 0; i < nseg; i++) {
		e = be16(p + ends + 2 * i);
		st = be16(p + starts + 2 * i);
		ro = be16(p + ros + 2 * i);
		if (i > 0 && e <= prev)
			return fail(c, "cmap subtable %u (format 4): segments "
			    "not sorted", s->rec);
		if (st > e)
			return fail(c, "cmap subtable %u (format 4): segment "
			    "%zu starts after it ends", s->rec, i);
		/* the final 0xFFFF segment maps nothing; some fonts leave
		 * its idRangeOffset pointing anywhere */
		if (ro != 0 && st != 0xFFFF && !fits(ros + 2 * i + ro,
		    2 * ((uint64_t)e - st + 1), len))
			return fail(c, "cmap subtable %u (format 4): segment "
			    "%zu reads past its glyph array", s->rec, i);
		if (st != 0xFFFF)
			s->maps = 1;
		prev = e;
	}
	return 0;
}

static int
cmap_format2(struct check *c, const unsigned char *p, size_t len,
    const struct cmapsub *s)
{
	size_t		 i, nsub = 0, at;
	unsigned	 first, count, ro;

	if (len < 6 + 512)
		return fail(c, "cmap subtable %u (format 2) too short",
		    s->rec);
	for (i = 0; i < 256; i++)
		if (be16(p + 6 + 2 * i) / 8 + 1 > nsub)
			nsub = be16(p + 6 + 2 * i) / 8 + 1;
	if (!fits(518, 8 * (uint64_t)nsub, len))
		return fail(c, "cmap subtable %u (format 2): its subheaders "
		    "run past its length", s->rec);
	for (i = 0; i < nsub; i++) {
		at = 518 + 8 * i;
		first = be16(p + at);
		count = be16(p + at + 2);
		ro = be16(p + at + 6);
		if (first + count > 256 || !fits(at + 6 + ro,
		    2 * (uint64_t)count, len))
			return fail(c, "cmap subtable %u (format 2): "
			    "subheader %zu reads past its length", s->rec, i);
	}
	return 0;
}

static int
cmap_format14(struct check *c, const unsigned char *p, size_t len,
    const struct cmapsub *s)
{
	uint64_t	 n, i;
	uint32_t	 d, nd;

	if (len < 10)
		return fail(c, "cmap subtable %u (format 14) too short",
		    s->rec);
	n = be32(p + 6);
	if (!fits(10, 11 * n, len))
		return fail(c, "cmap subtable %u (format 14): its records "
		    "run past its length", s->rec);
	for (i = 0; i < n; i++) {
		d = be32(p + 10 + 11 * i + 3);
		nd = be32(p + 10 + 11 * i + 7);
		if ((d != 0 && (!fits(d, 4, len) ||
		    !fits((uint64_t)d + 4, 4 * (uint64_t)be32(p + d), len))) ||
		    (nd != 0 && (!fits(nd, 4, len) ||
		    !fits((uint64_t)nd + 4, 5 * (uint64_t)be32(p + nd), len))))
			return fail(c, "cmap subtable %u (format 14): record "
			    "%llu reads past its length", s->rec,
			    (unsigned long long)i);
	}
	return 0;
}

/* The format-specific body of a subtable whose length fits in cmap. */
static int
cmap_subtable(struct check *c, const unsigned char *p, struct cmapsub *s)
{
	size_t		 len = s->len, i;
	uint64_t	 first, n;

	switch (s->format) {
	case 0:
		if (len < 262)
			return fail(c, "cmap subtable %u (format 0) too short",
			    s->rec);
		for (i = 0; i < 256; i++)
			if (p[6 + i] != 0)
				s->maps = 1;
		return 0;
	case 2:
		return cmap_format2(c, p, len, s);
	case 4:
		return cmap_format4(c, p, len, s);
	case 6:
		if (len < 10)
			return fail(c, "cmap subtable %u (format 6) too short",
			    s->rec);
		first = be16(p + 6);
		n = be16(p + 8);
		if (!fits(10, 2 * n, len) || first + n > 0x10000)
			return fail(c, "cmap subtable %u (format 6): its "
			    "array runs past its length", s->rec);
		s->maps = n > 0;
		return 0;
	case 8:
		return cmap_groups(c, p, len, 12 + 8192, s);
	case 10:
		if (len < 20)
			return fail(c, "cmap subtable %u (format 10) too "
			    "short", s->rec);
		first = be32(p + 12);
		n = be32(p + 16);
		if (!fits(20, 2 * n, len) || first + n > 0x110000)
			return fail(c, "cmap subtable %u (format 10): its "
			    "array runs past its length", s->rec);
		s->maps = n > 0;
		return 0;
	case 12:
	case 13:
		if (cmap_groups(c, p, len, 12, s) == -1)
			return -1;
		s->maps = be32(p + 12) > 0;
		return 0;
	default:
		return cmap_format14(c, p, len, s);
	}
}

/* A subtable's format and declared length, which must fit in cmap. */
static int
cmap_header(struct check *c, const struct table *t, struct cmapsub *s)
{
	const unsigned char	*p;
	size_t			 hdr;

	if (!fits(s->off, 4, t->len))
		return fail(c, "cmap subtable %u lies outside 'cmap'",
		    s->rec);
	p = t->p + s->off;
	s->format = be16(p);
	switch (s->format) {
	case 0: case 2: case 4: case 6:
		hdr = 4;
		s->len = be16(p + 2);
		break;
	case 8: case 10: case 12: case 13:
		hdr = 8;
		if (fits(s->off, hdr, t->len))
			s->len = be32(p + 4);
		break;
	case 14:
		hdr = 6;
		if (fits(s->off, hdr, t->len))
			s->len = be32(p + 2);
		break;
	default:
		return fail(c, "cmap subtable %u has unknown format %u",
		    s->rec, s->format);
	}
	if (!fits(s->off, hdr, t->len))
		return fail(c, "cmap subtable %u lies outside 'cmap'",
		    s->rec);
	if (s->len < hdr || !fits(s->off, s->len, t->len))
		return fail(c, "cmap subtable %u (format %u) runs past the "
		    "end of 'cmap'", s->rec, s->format);
	return 0;
}

static int
unicode(unsigned plat, unsigned enc, unsigned format)
{
	if (format != 0 && format != 4 && format != 6 && format != 10 &&
	    format != 12 && format != 13)
		return 0;
	return plat == 0 || (plat == 3 && (enc == 1 || enc == 10));
}

static int
check_cmap(struct check *c, const struct table *t)
{
	struct cmapsub		 subs[MAXCMAPS], tmp;
	const unsigned char	*r;
	unsigned		 n, i, j, nsubs = 0;
	uint32_t		 off;
	int			 found = 0;

	if (t->len < 4)
		return tooshort(c, TAG('c', 'm', 'a', 'p'), t->len, 4);
	if (be16(t->p) != 0)
		return fail(c, "cmap version %u unknown", be16(t->p));
	n = be16(t->p + 2);
	if (n < 1 || n > MAXCMAPS)
		return fail(c, "cmap has %u subtables (1 to %d allowed)", n,
		    MAXCMAPS);
	if (!fits(4, 8 * (uint64_t)n, t->len))
		return fail(c, "cmap encoding records run past the end of "
		    "'cmap'");
	for (i = 0; i < n; i++) {
		off = be32(t->p + 4 + 8 * (size_t)i + 4);
		for (j = 0; j < nsubs && subs[j].off != off; j++)
			continue;
		if (j < nsubs)
			continue;
		memset(&subs[nsubs], 0, sizeof(subs[nsubs]));
		subs[nsubs].off = off;
		subs[nsubs].rec = i;
		if (cmap_header(c, t, &subs[nsubs]) == -1)
			return -1;
		nsubs++;
	}
	/* distinct subtables cannot share bytes, which bounds the work */
	for (i = 1; i < nsubs; i++)
		for (j = i; j > 0 && subs[j - 1].off > subs[j].off; j--) {
			tmp = subs[j];
			subs[j] = subs[j - 1];
			subs[j - 1] = tmp;
		}
	for (i = 1; i < nsubs; i++)
		if ((uint64_t)subs[i - 1].off + subs[i - 1].len > subs[i].off)
			return fail(c, "cmap subtables %u and %u overlap",
			    subs[i - 1].rec, subs[i].rec);
	for (i = 0; i < nsubs; i++)
		if (cmap_subtable(c, t->p + subs[i].off, &subs[i]) == -1)
			return -1;
	for (i = 0; i < n && !found; i++) {
		r = t->p + 4 + 8 * (size_t)i;
		for (j = 0; subs[j].off != be32(r + 4); j++)
			continue;
		found = subs[j].maps && unicode(be16(r), be16(r + 2),
		    subs[j].format);
	}
	if (!found)
		return fail(c, "no Unicode cmap subtable: the font maps no "
		    "characters");
	return 0;
}

/* ------------------------------------------------ OS/2, post, name */

static int
check_os2(struct check *c, const struct table *t, struct ttf_info *info,
    unsigned *fstype)
{
	unsigned	 w;

	if (t->len < 78)
		return tooshort(c, TAG('O', 'S', '/', '2'), t->len, 78);
	w = be16(t->p + 4);
	info->weight = w >= 1 && w <= 1000 ? w : 400;
	*fstype = be16(t->p + 8);
	if (be16(t->p) >= 2 && t->len >= 96) {
		info->x_height = sbe16(t->p + 86);
		info->cap_height = sbe16(t->p + 88);
	}
	return 0;
}

static int
check_post(struct check *c, const struct table *t, struct ttf_info *info)
{
	uint32_t	 ver;
	int64_t		 angle;
	size_t		 n, i, at, nstr = 0;
	unsigned	 idx;

	if (t->len < 32)
		return tooshort(c, TAG('p', 'o', 's', 't'), t->len, 32);
	ver = be32(t->p);
	angle = sbe32(t->p + 4) * 10;
	info->italic_angle_x10 = (int)((angle + (angle < 0 ? -32768 :
	    32768)) / 65536);
	if (ver == 0x00010000 || ver == 0x00025000 || ver == 0x00030000 ||
	    ver == 0x00040000)
		return 0;
	if (ver != 0x00020000)
		return fail(c, "post version 0x%08lx unknown",
		    (unsigned long)ver);
	if (t->len < 34)
		return tooshort(c, TAG('p', 'o', 's', 't'), t->len, 34);
	n = be16(t->p + 32);
	if (!fits(34, 2 * (uint64_t)n, t->len))
		return fail(c, "post glyph name indices run past the end of "
		    "'post'");
	for (at = 34 + 2 * n; at < t->len; at += 1 + t->p[at], nstr++)
		if (!fits(at + 1, t->p[at], t->len))
			return fail(c, "post glyph names run past the end of "
			    "'post'");
	for (i = 0; i < n; i++) {
		idx = be16(t->p + 34 + 2 * i);
		if (idx >= 258 && idx - 258 >= nstr)
			return fail(c, "post glyph %zu names a string that "
			    "does not exist", i);
	}
	return 0;
}

/* How much a name record is worth to an ASCII reader, 0 for nothing. */
static int
name_score(unsigned plat, unsigned enc, unsigned lang)
{
	if (plat == 3 && (enc == 0 || enc == 1 || enc == 10))
		return lang == 0x409 ? 5 : 4;
	if (plat == 0)
		return 3;
	if (plat == 1)
		return enc == 0 && lang == 0 ? 2 : 1;
	return 0;
}

/* A name string as printable ASCII, '?' for what is not. */
static void
name_ascii(const unsigned char *p, size_t len, int wide, char *out,
    size_t outlen)
{
	size_t		 i, o = 0;
	unsigned	 ch;

	for (i = 0; i < len && o + 1 < outlen; i += wide ? 2 : 1) {
		if (wide) {
			if (i + 1 >= len)
				break;
			ch = be16(p + i);
			if (ch >= 0xD800 && ch <= 0xDBFF)
				i += 2;		/* a pair: one character */
		} else
			ch = p[i];
		if (ch < 0x20 || ch == 0x7F)
			continue;
		out[o++] = ch < 0x7F ? (char)ch : '?';
	}
	out[o] = '\0';
}

/* Never fails: a damaged name table only loses the names. */
static void
read_name(const struct table *t, struct ttf_info *info)
{
	static const unsigned	 ids[3] = { 1, 16, 6 };
	const unsigned char	*r, *best[3] = { NULL, NULL, NULL };
	size_t			 n, i, k, blen[3] = { 0, 0, 0 };
	unsigned		 so, plat, len, off;
	int			 score, bscore[3] = { 0, 0, 0 };
	int			 wide[3] = { 0, 0, 0 };
	char			 ps[64], *q;
	size_t			 o = 0;

	if (t->p == NULL || t->len < 6)
		return;
	n = be16(t->p + 2);
	so = be16(t->p + 4);
	if (n > (t->len - 6) / 12)
		n = (t->len - 6) / 12;
	for (i = 0; i < n; i++) {
		r = t->p + 6 + 12 * i;
		plat = be16(r);
		len = be16(r + 8);
		off = be16(r + 10);
		if (!fits((uint64_t)so + off, len, t->len))
			continue;
		score = name_score(plat, be16(r + 2), be16(r + 4));
		for (k = 0; k < 3; k++)
			if (be16(r + 6) == ids[k] && score > bscore[k]) {
				bscore[k] = score;
				best[k] = t->p + so + off;
				blen[k] = len;
				wide[k] = plat != 1;
			}
	}
	for (k = 0; k < 2 && info->family[0] == '\0'; k++)
		if (best[k] != NULL)
			name_ascii(best[k], blen[k], wide[k], info->family,
			    sizeof(info->family));
	if (best[2] == NULL)
		return;
	name_ascii(best[2], blen[2], wide[2], ps, sizeof(ps));
	for (q = ps; *q != '\0'; q++)
		if ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') ||
		    (*q >= '0' && *q <= '9') || *q == '-')
			info->psname[o++] = *q;
}

/* ------------------------------------------------------------- face */

static int
check_face(struct check *c, struct ttf_info *info)
{
	struct table	 head, maxp, hhea, hmtx, loca, glyf, cmap, t, m;
	unsigned	 fstype = 0;
	int		 longloca = 0;

	if (need(c, TAG('h', 'e', 'a', 'd'), &head) == -1 ||
	    check_head(c, &head, info, &longloca) == -1 ||
	    need(c, TAG('m', 'a', 'x', 'p'), &maxp) == -1 ||
	    check_maxp(c, &maxp) == -1)
		return -1;
	info->nglyphs = c->nglyphs;
	if (need(c, TAG('h', 'h', 'e', 'a'), &hhea) == -1 ||
	    need(c, TAG('h', 'm', 't', 'x'), &hmtx) == -1 ||
	    check_metrics(c, &hhea, &hmtx, TAG('h', 'h', 'e', 'a'),
	    TAG('h', 'm', 't', 'x'), "numberOfHMetrics") == -1)
		return -1;
	info->ascender = sbe16(hhea.p + 4);
	info->descender = sbe16(hhea.p + 6);
	info->line_gap = sbe16(hhea.p + 8);

	/* the outlines the sfnt version names, and any others present,
	 * since a shaper reads whichever it finds */
	glyf = find(c, TAG('g', 'l', 'y', 'f'));
	loca = find(c, TAG('l', 'o', 'c', 'a'));
	if (!info->cff || glyf.p != NULL || loca.p != NULL) {
		if (need(c, TAG('g', 'l', 'y', 'f'), &glyf) == -1 ||
		    need(c, TAG('l', 'o', 'c', 'a'), &loca) == -1 ||
		    check_glyf(c, &loca, &glyf, longloca) == -1)
			return -1;
	}
	t = find(c, TAG('C', 'F', 'F', ' '));
	m = find(c, TAG('C', 'F', 'F', '2'));
	if (info->cff && t.p == NULL && m.p == NULL)
		return fail(c, "no 'CFF ' table");
	if (t.p != NULL && (need(c, TAG('C', 'F', 'F', ' '), &t) == -1 ||
	    check_cff(c, &t, 0) == -1))
		return -1;
	if (m.p != NULL && (need(c, TAG('C', 'F', 'F', '2'), &m) == -1 ||
	    check_cff(c, &m, 1) == -1))
		return -1;

	if (need(c, TAG('c', 'm', 'a', 'p'), &cmap) == -1 ||
	    check_cmap(c, &cmap) == -1)
		return -1;
	t = find(c, TAG('v', 'h', 'e', 'a'));
	if (t.p != NULL) {
		m = find(c, TAG('v', 'm', 't', 'x'));
		if (m.p == NULL)
			return fail(c, "table 'vhea' without 'vmtx'");
		if (check_metrics(c, &t, &m, TAG('v', 'h', 'e', 'a'),
		    TAG('v', 'm', 't', 'x'), "numOfLongVerMetrics") == -1)
			return -1;
	}
	info->weight = 400;
	t = find(c, TAG('O', 'S', '/', '2'));
	if (t.p != NULL && check_os2(c, &t, info, &fstype) == -1)
		return -1;
	t = find(c, TAG('p', 'o', 's', 't'));
	if (t.p != NULL && check_post(c, &t, info) == -1)
		return -1;
	t = find(c, TAG('n', 'a', 'm', 'e'));
	read_name(&t, info);

	/* licence last, so a damaged font says what is damaged; bits 2
	 * and 3 grant more than bit 1 and win over it; bit 9 allows only
	 * bitmaps, and folio embeds outlines */
	info->embeddable = !((fstype & 0x000E) == 0x0002 ||
	    (fstype & 0x0200));
	if (!info->embeddable) {
		c->licence = 1;
		return fail(c, "the font's licence does not allow embedding "
		    "(OS/2 fsType 0x%04x)", fstype);
	}
	return 0;
}

int
ttf_check(const unsigned char *data, size_t len, unsigned index,
    struct ttf_info *info, char *why, size_t whylen)
{
	struct check	 c;
	struct ttf_info	 dummy;
	size_t		 at = 0;
	unsigned	 faces = 1;

	if (info == NULL)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	memset(&c, 0, sizeof(c));
	c.data = data;
	c.len = len;
	c.why = why;
	c.whylen = whylen;
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (len > TTF_MAXSIZE)
		return fail(&c, "font file too large (%zu bytes, %lu MB "
		    "allowed)", len, TTF_MAXSIZE / 1024 / 1024);
	if (data == NULL || len < 12)
		return fail(&c, "file too short for a font header");
	if (be32(data) == TAG('t', 't', 'c', 'f')) {
		if (check_collection(&c, index, &at, &faces) == -1)
			return -1;
	} else if (index != 0)
		return fail(&c, "face %u requested, the file has one", index);
	if (check_directory(&c, at) == -1)
		return -1;
	info->faces = faces;
	info->cff = be32(data + at) == TAG('O', 'T', 'T', 'O');
	if (check_face(&c, info) == -1) {
		if (!c.licence)
			memset(info, 0, sizeof(*info));
		return -1;
	}
	return 0;
}
