/*
 * Fonts for the print edition: the style's TrueType files, embedded as
 * subsets with UTF-8 encoding, and their glyph widths and coverage,
 * cached per code point because the line breaker asks for them millions
 * of times in a long book.
 */
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <zlib.h>

#include "diag.h"
#include "kern.h"
#include "pdf_int.h"
#include "utf8.h"

/*
 * libharu 2.3.0 gives a UTF-8 font, as its ToUnicode map, the CMap that
 * maps its codes to CIDs, which readers reject.  Its codes are Unicode
 * code points, so the right map is the identity; it replaces the wrong
 * one in the font dictionary.
 */
static const char tounicode[] =
    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> "
    "def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
    "1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\nendcmap\n"
    "CMapName currentdict /CMap defineresource pop\nend\nend\n";

static int
fix_tounicode(HPDF_Doc doc, HPDF_Font font)
{
	HPDF_Dict	 s = HPDF_DictStream_New(doc->mmgr, doc->xref);

	if (s == NULL)
		return -1;
	s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	if (HPDF_Stream_WriteStr(s->stream, tounicode) != HPDF_OK ||
	    HPDF_Dict_Add(font, "ToUnicode", s) != HPDF_OK)
		return -1;
	return 0;
}

/*
 * libharu deflates the embedded font programs and CID-to-glyph maps at
 * its default level when it saves.  Level 1, measured on the bench book:
 * the five streams 2% larger, their deflate a third of the time.
 */
#define FONT_LEVEL	1

/* libharu's own function that makes a font's descriptor and streams */
static HPDF_Dict_BeforeWriteFunc type0_before_write;

/* Deflate a libharu stream object's data ourselves, at FONT_LEVEL. */
static void
deflate_dict(HPDF_Dict d)
{
	struct buf	 raw = { NULL, 0, 0 };
	HPDF_UINT	 i, n, len;
	HPDF_BYTE	*p;
	uLongf		 zlen;
	Bytef		*z;

	if (d == NULL || d->stream == NULL || d->stream->type !=
	    HPDF_STREAM_MEMORY || d->filter != HPDF_STREAM_FILTER_FLATE_DECODE)
		return;
	n = HPDF_MemStream_GetBufCount(d->stream);
	for (i = 0; i < n; i++)
		if ((p = HPDF_MemStream_GetBufPtr(d->stream, i, &len)) != NULL)
			buf_put(&raw, (const char *)p, len);
	zlen = compressBound((uLong)raw.len);
	z = xmalloc(zlen);
	if (raw.len == HPDF_Stream_Size(d->stream) &&
	    compress2(z, &zlen, (const Bytef *)(raw.data ? raw.data : ""),
	    (uLong)raw.len, FONT_LEVEL) == Z_OK) {
		HPDF_MemStream_FreeData(d->stream);
		content_put_deflated(d, z, zlen);
	}
	free(z);
	buf_free(&raw);
}

static HPDF_STATUS
font_before_write(HPDF_Dict font)
{
	HPDF_FontAttr	 attr = font->attr;
	HPDF_STATUS	 rc;

	if ((rc = type0_before_write(font)) != HPDF_OK)
		return rc;
	if (attr->fontdef->descriptor != NULL)
		deflate_dict(HPDF_Dict_GetItem(attr->fontdef->descriptor,
		    "FontFile2", HPDF_OCLASS_DICT));
	deflate_dict(attr->map_stream);
	return HPDF_OK;
}

int
fonts_load(struct fonts *f, HPDF_Doc doc, const struct style *st)
{
	const char	*name;
	int		 i;

	memset(f, 0, sizeof(*f));
	f->doc = doc;
	for (i = 0; i < FONT__MAX; i++) {
		name = HPDF_LoadTTFontFromFile(doc, st->font[i], HPDF_TRUE);
		if (name == NULL) {
			HPDF_ResetError(doc);
			diag_error(st->font[i], 0, 0, "not a usable TrueType "
			    "font");
			return -1;
		}
		f->name[i] = name;
		if ((f->def[i] = HPDF_GetFontDef(doc, name)) == NULL) {
			HPDF_ResetError(doc);
			diag_error(st->font[i], 0, 0, "cannot use font");
			return -1;
		}
		f->kern[i] = kern_load(st->font[i]);
		f->width[i] = xcalloc(65536, sizeof(int16_t));
		memset(f->width[i], 0xFF, 65536 * sizeof(int16_t));
		f->has[i] = xcalloc(65536, 1);
	}
	return 0;
}

/*
 * The font object pages use, made the first time a page does.  Making
 * one maps all 65,536 BMP code points to glyphs in libharu (a sixth of
 * the time of a long book was the five fonts), so a font the book never
 * sets costs nothing.  NULL if libharu cannot.
 */
HPDF_Font
fonts_get(struct fonts *f, int i)
{
	HPDF_Font	 font;

	if (f->font[i] != NULL)
		return f->font[i];
	if ((font = HPDF_GetFont(f->doc, f->name[i], "UTF-8")) == NULL ||
	    fix_tounicode(f->doc, font) == -1)
		return NULL;
	/* one file for two faces: libharu hands back the same object */
	if (font->before_write_fn != NULL &&
	    font->before_write_fn != font_before_write) {
		type0_before_write = font->before_write_fn;
		font->before_write_fn = font_before_write;
	}
	return f->font[i] = font;
}

void
fonts_free(struct fonts *f)
{
	int	 i;

	for (i = 0; i < FONT__MAX; i++) {
		free(f->width[i]);
		free(f->has[i]);
		kern_free(f->kern[i]);
	}
	memset(f, 0, sizeof(*f));
}

/* Does the font draw this code point?  (libharu's UTF-8 is BMP only.) */
int
fonts_has(struct fonts *f, int font, uint32_t c)
{
	if (c > 0xFFFF)
		return 0;
	if (f->has[font][c] == 0)
		f->has[font][c] = c == ' ' || HPDF_TTFontDef_GetGlyphid(
		    f->def[font], (HPDF_UINT16)c) != 0 ? 1 : 2;
	return f->has[font][c] == 1;
}

/* The kerning between two code points, in points (negative: closer). */
double
fonts_kern(struct fonts *f, int font, uint32_t a, uint32_t b, double size)
{
	if (f->kern[font] == NULL || a > 0xFFFF || b > 0xFFFF)
		return 0;
	return kern_pair(f->kern[font],
	    HPDF_TTFontDef_GetGlyphid(f->def[font], (HPDF_UINT16)a),
	    HPDF_TTFontDef_GetGlyphid(f->def[font], (HPDF_UINT16)b)) *
	    size / 1000.0;
}

/*
 * A glyph's width in thousandths of the size.  Asking libharu the first
 * time also marks the glyph as used, so that the font's subset keeps it.
 */
int
fonts_glyph_width(struct fonts *f, int font, uint32_t c)
{
	int16_t		*w = f->width[font];

	if (c > 0xFFFF)
		c = 0xFFFD;
	if (w[c] < 0)
		w[c] = HPDF_TTFontDef_GetCharWidth(f->def[font],
		    (HPDF_UINT16)c);
	return w[c];
}

/* Width in points of UTF-8 text set in font at size. */
double
fonts_width(struct fonts *f, int font, const char *s, size_t n, double size)
{
	size_t		 i = 0;
	uint32_t	 c;
	long		 units = 0;

	while (i < n) {
		i += utf8_decode(s + i, n - i, &c);
		units += fonts_glyph_width(f, font, c);
	}
	return (double)units * size / 1000.0;
}
