/*
 * libFuzzer harness for the font validator: the first byte of an input
 * picks the face (0 to 3), the rest is the font.  What ttf_check accepts
 * goes on to HarfBuzz as folio uses it — loaded, shaped in several
 * scripts, measured, named and subset — so that a font the check lets
 * through and that still breaks the shaper is found here; HarfBuzz must
 * also see the glyph count and unitsPerEm the check reported.  Built and
 * run by `make fuzz-ttf`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <hb.h>
#include <hb-subset.h>

#include "ttf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const texts[] = {
	"Hello fi ffi 123",
	"Caf\xc3\xa9 \xe2\x80\x94 \xe2\x80\x9cquoted\xe2\x80\x9d \xc2\xbd AV",
	"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe6\x96\x87",
	"\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d",
	"\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7",
	"\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87",
};

static void
measure(hb_font_t *font, hb_codepoint_t g)
{
	hb_glyph_extents_t	 ext;
	char			 name[64];

	hb_font_get_glyph_extents(font, g, &ext);
	(void)hb_font_get_glyph_h_advance(font, g);
	(void)hb_font_get_glyph_v_advance(font, g);
	hb_font_get_glyph_name(font, g, name, sizeof(name));
}

static void
shape(hb_font_t *font, const char *text)
{
	hb_buffer_t		*buf = hb_buffer_create();
	hb_glyph_info_t		*gi;
	unsigned		 n, i;

	hb_buffer_add_utf8(buf, text, -1, 0, -1);
	hb_buffer_guess_segment_properties(buf);
	hb_shape(font, buf, NULL, 0);
	gi = hb_buffer_get_glyph_infos(buf, &n);
	(void)hb_buffer_get_glyph_positions(buf, NULL);
	for (i = 0; i < n; i++)
		measure(font, gi[i].codepoint);
	hb_buffer_destroy(buf);
}

static void
subset(hb_face_t *face)
{
	hb_subset_input_t	*in;
	hb_face_t		*sub;
	hb_blob_t		*blob;
	struct ttf_info		 info;
	const char		*p;
	unsigned		 len;
	const hb_codepoint_t	 keep[] = { 'H', 'e', 'f', 'i', 'l', '1',
				    0xE9, 0x2014, 0x65E5, 0x05E9, 0x0645 };
	size_t			 i;

	if ((in = hb_subset_input_create_or_fail()) == NULL)
		return;
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		hb_set_add(hb_subset_input_unicode_set(in), keep[i]);
	if ((sub = hb_subset_or_fail(face, in)) != NULL) {
		blob = hb_face_reference_blob(sub);
		p = hb_blob_get_data(blob, &len);
		if (p != NULL)
			(void)ttf_check((const unsigned char *)p, len, 0,
			    &info, NULL, 0);
		hb_blob_destroy(blob);
		hb_face_destroy(sub);
	}
	hb_subset_input_destroy(in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ttf_info		 info;
	char			 why[256];
	hb_blob_t		*blob;
	hb_face_t		*face;
	hb_font_t		*font;
	hb_font_extents_t	 fe;
	unsigned		 index, g;
	size_t			 i;

	if (size < 1)
		return 0;
	index = data[0] & 3;
	if (ttf_check(data + 1, size - 1, index, &info, why,
	    sizeof(why)) == -1)
		return 0;
	blob = hb_blob_create((const char *)data + 1, (unsigned)(size - 1),
	    HB_MEMORY_MODE_READONLY, NULL, NULL);
	face = hb_face_create(blob, index);
	if (hb_face_get_glyph_count(face) != info.nglyphs ||
	    hb_face_get_upem(face) != info.units_per_em) {
		fprintf(stderr, "HarfBuzz sees %u glyphs and unitsPerEm %u, "
		    "the check %u and %u\n", hb_face_get_glyph_count(face),
		    hb_face_get_upem(face), info.nglyphs, info.units_per_em);
		abort();
	}
	font = hb_font_create(face);
	hb_font_get_h_extents(font, &fe);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		shape(font, texts[i]);
	for (g = 0; g < info.nglyphs && g < 32; g++)
		measure(font, g);
	measure(font, info.nglyphs - 1);
	subset(face);
	hb_font_destroy(font);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	return 0;
}
