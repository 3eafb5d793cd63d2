/*
 * ttf_seeds DIR FONT...: seeds for fuzz_ttf.  Each font whole when it is
 * under a megabyte, and each font's first face subset to a few characters
 * and to printable ASCII, small enough for the fuzzer to mutate quickly;
 * then a collection of the first and the last small subsets.  Every seed
 * starts with the byte that picks the face.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>
#include <hb-subset.h>

#define WHOLE_MAX	(1024 * 1024 - 1)

static const char	*dir;
static int		 nseeds;

static void
save(const char *name, unsigned char face, const unsigned char *p,
    size_t len)
{
	char	 path[1024];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL || fputc(face, f) == EOF ||
	    fwrite(p, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	nseeds++;
}

/* Face 0 of the font subset to the code points [first, last] and to a
 * few more; a malloc'd copy, or NULL. */
static unsigned char *
subset(hb_face_t *face, hb_codepoint_t first, hb_codepoint_t last,
    size_t *len)
{
	static const hb_codepoint_t	 more[] = { 0xE9, 0x2014, 0x201C,
					    0x201D, 0xFB01, 0x65E5, 0x672C };
	hb_subset_input_t		*in;
	hb_face_t			*sub;
	hb_blob_t			*blob;
	const char			*p;
	unsigned			 n = 0;
	unsigned char			*out = NULL;
	size_t				 i;

	if ((in = hb_subset_input_create_or_fail()) == NULL)
		return NULL;
	hb_set_add_range(hb_subset_input_unicode_set(in), first, last);
	for (i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		hb_set_add(hb_subset_input_unicode_set(in), more[i]);
	if ((sub = hb_subset_or_fail(face, in)) != NULL) {
		blob = hb_face_reference_blob(sub);
		if ((p = hb_blob_get_data(blob, &n)) != NULL && n > 0 &&
		    (out = malloc(n)) != NULL)
			memcpy(out, p, n);
		hb_blob_destroy(blob);
		hb_face_destroy(sub);
	}
	hb_subset_input_destroy(in);
	*len = n;
	return out;
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Two single fonts as one collection: each face's table offsets moved
 * by where its font now starts. */
static void
collection(const unsigned char *a, size_t alen, const unsigned char *b,
    size_t blen)
{
	const unsigned char	*src[2] = { a, b };
	size_t			 len[2] = { alen, blen }, at[2], total, r;
	unsigned char		*c;
	unsigned		 i, t, n;

	at[0] = 20;
	at[1] = (at[0] + alen + 3) & ~(size_t)3;
	total = at[1] + blen;
	if ((c = calloc(1, total)) == NULL)
		return;
	memcpy(c, "ttcf", 4);
	put32(c + 4, 0x00010000);
	put32(c + 8, 2);
	for (i = 0; i < 2; i++) {
		put32(c + 12 + 4 * i, (uint32_t)at[i]);
		memcpy(c + at[i], src[i], len[i]);
		n = (unsigned)c[at[i] + 4] << 8 | c[at[i] + 5];
		for (t = 0; t < n && at[i] + 28 + 16 * (size_t)t <= total;
		    t++) {
			r = at[i] + 12 + 16 * (size_t)t;
			put32(c + r + 8, get32(c + r + 8) + (uint32_t)at[i]);
		}
	}
	save("collection-0", 0, c, total);
	save("collection-1", 1, c, total);
	free(c);
}

int
main(int argc, char *argv[])
{
	hb_blob_t	*blob;
	hb_face_t	*face;
	const char	*p, *base;
	unsigned	 len;
	unsigned char	*small[2] = { NULL, NULL }, *s;
	size_t		 slen[2] = { 0, 0 }, n;
	char		 name[256];
	int		 i, nsmall = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: ttf_seeds dir font...\n");
		return 2;
	}
	dir = argv[1];
	for (i = 2; i < argc; i++) {
		base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 :
		    argv[i];
		blob = hb_blob_create_from_file(argv[i]);
		p = hb_blob_get_data(blob, &len);
		if (len == 0) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			hb_blob_destroy(blob);
			continue;
		}
		if (len <= WHOLE_MAX)
			save(base, 0, (const unsigned char *)p, len);
		face = hb_face_create(blob, 0);
		if ((s = subset(face, 'A', 'C', &n)) != NULL) {
			snprintf(name, sizeof(name), "%s.small", base);
			save(name, 0, s, n);
			/* the first and the last: TrueType and, last in
			 * the Makefile's list, CFF */
			if (nsmall == 2)
				free(small[1]);
			small[nsmall == 0 ? 0 : 1] = s;
			slen[nsmall == 0 ? 0 : 1] = n;
			nsmall = nsmall == 0 ? 1 : 2;
		}
		if ((s = subset(face, 0x20, 0x7E, &n)) != NULL) {
			snprintf(name, sizeof(name), "%s.ascii", base);
			save(name, 0, s, n);
			free(s);
		}
		hb_face_destroy(face);
		hb_blob_destroy(blob);
	}
	if (nsmall == 2)
		collection(small[0], slen[0], small[1], slen[1]);
	free(small[0]);
	free(small[1]);
	printf("%d seeds in %s\n", nseeds, dir);
	return 0;
}
