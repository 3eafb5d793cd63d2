/*
 * Pair kerning.  The fonts folio ships (Charis SIL, DejaVu Sans Mono)
 * keep their kerning in GPOS, which libharu does not read; this reads the
 * pair adjustment lookups (type 2, or type 9 wrapping type 2) of the
 * 'kern' feature: glyph pairs (format 1) and class pairs (format 2), the
 * first glyph's advance adjusted, in font units.  Every offset is checked
 * against the table's size, so a damaged font only loses its kerning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "kern.h"

struct kern {
	unsigned char	*data;	/* the GPOS table */
	size_t		 len;
	uint32_t	*subs;	/* offsets of pair subtables in data */
	size_t		 nsubs;
};

static int
u16(const struct kern *k, size_t off, uint16_t *v)
{
	if (off + 2 > k->len)
		return -1;
	*v = (uint16_t)(k->data[off] << 8 | k->data[off + 1]);
	return 0;
}

static uint16_t
g16(const struct kern *k, size_t off)
{
	uint16_t	 v = 0;

	u16(k, off, &v);
	return v;
}

static uint32_t
g32(const unsigned char *d)
{
	return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
	    (uint32_t)d[2] << 8 | d[3];
}

/* Index of glyph g in a coverage table, or -1. */
static long
coverage(const struct kern *k, size_t off, uint16_t g)
{
	uint16_t	 fmt = g16(k, off), n = g16(k, off + 2), i;
	size_t		 r;

	if (fmt == 1) {
		for (i = 0; i < n; i++)		/* sorted; n is small */
			if (g16(k, off + 4 + 2 * (size_t)i) == g)
				return i;
		return -1;
	}
	if (fmt == 2)
		for (i = 0; i < n; i++) {
			r = off + 4 + 6 * (size_t)i;
			if (g >= g16(k, r) && g <= g16(k, r + 2))
				return (long)g16(k, r + 4) + (g - g16(k, r));
		}
	return -1;
}

static uint16_t
classof(const struct kern *k, size_t off, uint16_t g)
{
	uint16_t	 fmt = g16(k, off), n, i, start;
	size_t		 r;

	if (fmt == 1) {
		start = g16(k, off + 2);
		n = g16(k, off + 4);
		if (g >= start && g < start + n)
			return g16(k, off + 6 + 2 * (size_t)(g - start));
	} else if (fmt == 2) {
		n = g16(k, off + 2);
		for (i = 0; i < n; i++) {
			r = off + 4 + 6 * (size_t)i;
			if (g >= g16(k, r) && g <= g16(k, r + 2))
				return g16(k, r + 4);
		}
	}
	return 0;
}

static size_t
bits(uint16_t v)
{
	size_t	 n = 0;

	for (; v; v >>= 1)
		n += v & 1;
	return n;
}

/* XAdvance of a value record, if its format has one. */
static int
xadvance(const struct kern *k, size_t off, uint16_t fmt)
{
	if (!(fmt & 0x4))
		return 0;
	return (int16_t)g16(k, off + 2 * bits(fmt & 0x3));
}

/* The adjustment of one subtable, and whether it applied. */
static int
subtable(const struct kern *k, size_t s, uint16_t l, uint16_t r, int *adj)
{
	uint16_t	 fmt = g16(k, s), vf1 = g16(k, s + 4), vf2 = g16(k, s + 6);
	size_t		 rec = 2 * (bits(vf1) + bits(vf2)), set, i, n;
	long		 ci = coverage(k, s + g16(k, s + 2), l);
	uint16_t	 c1, c2, nc2;

	if (ci < 0)
		return 0;
	if (fmt == 1) {
		if (ci >= g16(k, s + 8))
			return 0;
		set = s + g16(k, s + 10 + 2 * (size_t)ci);
		n = g16(k, set);
		for (i = 0; i < n; i++)
			if (g16(k, set + 2 + i * (2 + rec)) == r) {
				*adj = xadvance(k, set + 4 + i * (2 + rec), vf1);
				return 1;
			}
		return 0;
	}
	if (fmt == 2) {
		c1 = classof(k, s + g16(k, s + 8), l);
		c2 = classof(k, s + g16(k, s + 10), r);
		nc2 = g16(k, s + 14);
		if (c1 >= g16(k, s + 12) || c2 >= nc2)
			return 0;
		*adj = xadvance(k, s + 16 + ((size_t)c1 * nc2 + c2) * rec, vf1);
		return 1;
	}
	return 0;
}

int
kern_pair(const struct kern *k, uint16_t l, uint16_t r)
{
	size_t	 i;
	int	 adj = 0;

	for (i = 0; k != NULL && i < k->nsubs; i++)
		if (subtable(k, k->subs[i], l, r, &adj))
			return adj;
	return 0;
}

static void
add_lookup(struct kern *k, size_t lk)
{
	uint16_t	 type = g16(k, lk), n = g16(k, lk + 4), i;
	size_t		 s;

	for (i = 0; i < n; i++) {
		s = lk + g16(k, lk + 6 + 2 * (size_t)i);
		if (type == 9 && g16(k, s + 2) == 2 && s + 8 <= k->len)
			s += g32(k->data + s + 4);	/* extension */
		else if (type != 2)
			continue;
		if (s + 16 > k->len)
			continue;
		k->subs = xreallocarray(k->subs, k->nsubs + 1,
		    sizeof(*k->subs));
		k->subs[k->nsubs++] = (uint32_t)s;
	}
}

/* Read the GPOS table's 'kern' lookups; NULL when there are none. */
struct kern *
kern_load(const char *path)
{
	struct buf	 b = { NULL, 0, 0 };
	struct kern	*k;
	const unsigned char *d;
	size_t		 i, j, off = 0, len = 0, feat, lookups, f, lk;
	uint16_t	 nt, nf, nl, cnt, idx;

	if (buf_load(&b, path) == -1) {
		buf_free(&b);
		return NULL;
	}
	d = (const unsigned char *)b.data;
	nt = b.len >= 12 ? (uint16_t)(d[4] << 8 | d[5]) : 0;
	for (i = 0; i < nt && 12 + 16 * i + 16 <= b.len; i++)
		if (memcmp(d + 12 + 16 * i, "GPOS", 4) == 0) {
			off = g32(d + 12 + 16 * i + 8);
			len = g32(d + 12 + 16 * i + 12);
		}
	if (len == 0 || off > b.len || len > b.len - off) {
		buf_free(&b);
		return NULL;
	}
	k = xcalloc(1, sizeof(*k));
	k->data = xmalloc(len);
	memcpy(k->data, d + off, len);
	k->len = len;
	buf_free(&b);
	feat = g16(k, 6);
	lookups = g16(k, 8);
	nf = g16(k, feat);
	nl = g16(k, lookups);
	for (i = 0; i < nf; i++) {
		if (feat + 2 + 6 * i + 6 > k->len ||
		    memcmp(k->data + feat + 2 + 6 * i, "kern", 4) != 0)
			continue;
		f = feat + g16(k, feat + 2 + 6 * i + 4);
		cnt = g16(k, f + 2);
		for (j = 0; j < cnt; j++) {
			idx = g16(k, f + 4 + 2 * j);
			if (idx >= nl)
				continue;
			lk = lookups + g16(k, lookups + 2 + 2 * (size_t)idx);
			add_lookup(k, lk);
		}
		break;	/* one 'kern' feature (the first script's) */
	}
	if (k->nsubs == 0) {
		kern_free(k);
		return NULL;
	}
	return k;
}

void
kern_free(struct kern *k)
{
	if (k == NULL)
		return;
	free(k->data);
	free(k->subs);
	free(k);
}
