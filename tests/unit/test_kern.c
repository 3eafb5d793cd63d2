/* GPOS pair kerning: read from a font that kerns, none from one that does not. */
#include <hpdf.h>
#include <hpdf_fontdef.h>

#include "kern.h"
#include "unit.h"

#define SERIF	"/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

static int
pair(HPDF_FontDef def, const struct kern *k, char a, char b)
{
	return kern_pair(k, HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)a),
	    HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)b));
}

int
main(void)
{
	HPDF_Doc	 pdf = HPDF_New(NULL, NULL);
	HPDF_FontDef	 def;
	struct kern	*k;
	const char	*name;

	/* DejaVu Serif kerns in GPOS: A-V, T-o and W-a close up */
	name = HPDF_LoadTTFontFromFile(pdf, SERIF, HPDF_FALSE);
	CHECK(name != NULL);
	def = HPDF_GetFontDef(pdf, name);
	k = kern_load(SERIF);
	CHECK(k != NULL);
	if (k != NULL && def != NULL) {
		CHECK(pair(def, k, 'A', 'V') < 0);
		CHECK(pair(def, k, 'T', 'o') < 0);
		CHECK(pair(def, k, 'W', 'a') < 0);
		CHECK(pair(def, k, 'V', 'A') < 0);
		CHECK(pair(def, k, 'o', 'o') == 0);
		CHECK(pair(def, k, 'm', 'n') == 0);
	}
	kern_free(k);
	/* Charis SIL (as shipped) positions marks but kerns nothing */
	CHECK(kern_load("fonts/CharisSIL-Regular.ttf") == NULL);
	/* not a font, no file */
	CHECK(kern_load("styles/book.ini") == NULL);
	CHECK(kern_load("/nonexistent.ttf") == NULL);
	HPDF_Free(pdf);
	return UNIT_DONE();
}
