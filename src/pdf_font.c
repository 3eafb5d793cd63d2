/*
 * The PDF's fonts.  Text is shaped by HarfBuzz (font.c), so pages show
 * glyphs, not characters: each face the book sets is a Type 0 font with
 * Identity-H encoding, its codes the glyph ids.  When the pages are set,
 * each face is cut down by HarfBuzz's subsetter to the glyphs used (their
 * ids kept, so the codes stay valid) and embedded, with its widths and a
 * ToUnicode map that gives every glyph the text it stands for — "fi" for
 * the ligature — so that the PDF is searched and copied as it reads.
 * libharu holds the objects and writes them; it does not parse the fonts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>
#include <hb-subset.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <zlib.h>

#include "diag.h"
#include "pdf_int.h"
#include "utf8.h"

/* A face as the PDF uses it. */
struct pdffont {
	HPDF_Dict	 dict;		/* the Type 0 font, made when first set */
	uint8_t		*used;		/* per glyph id */
	int16_t		*w;		/* per glyph id: its width in W, or -1 */
	char		**text;		/* per glyph id: its text, or NULL */
	unsigned	 nglyphs;
	int		 space;		/* its space's glyph + 1, or -1 */
	hb_blob_t	*prog;		/* the program cut down (fonts_cut) */
	struct buf	 zprog;		/* and deflated, or empty */
};

/*
 * zlib's fastest level: on glyph outlines its default (libharu's) saves
 * 0.7% of a short article's PDF (660 bytes) for three times the time.
 */
#define FONT_LEVEL	1

int
fonts_load(struct fonts *f, HPDF_Doc doc, const struct style *st,
    const char *lang)
{
	memset(f, 0, sizeof(*f));
	f->doc = doc;
	f->fs = fontset_new(st, lang);
	return 0;
}

void
fonts_free(struct fonts *f)
{
	size_t		 i;
	unsigned	 g;

	for (i = 0; i < f->npf; i++) {
		for (g = 0; f->pf[i].text != NULL && g < f->pf[i].nglyphs; g++)
			free(f->pf[i].text[g]);
		free(f->pf[i].text);
		free(f->pf[i].used);
		free(f->pf[i].w);
		hb_blob_destroy(f->pf[i].prog);
		buf_free(&f->pf[i].zprog);
	}
	free(f->pf);
	fontset_free(f->fs);
	memset(f, 0, sizeof(*f));
}

static struct pdffont *
pdffont(struct fonts *f, int face)
{
	size_t	 n = fontset_count(f->fs);

	if ((size_t)face >= f->npf) {
		f->pf = xreallocarray(f->pf, n, sizeof(*f->pf));
		memset(f->pf + f->npf, 0, (n - f->npf) * sizeof(*f->pf));
		f->npf = n;
	}
	return &f->pf[face];
}

/* The font object a page names, made the first time it is set. */
HPDF_Font
fonts_get(struct fonts *f, int face)
{
	struct pdffont	*pf = pdffont(f, face);
	struct face	*fc = fontset_face(f->fs, (size_t)face);

	if (pf->dict != NULL)
		return pf->dict;
	if ((pf->dict = HPDF_Dict_New(f->doc->mmgr)) == NULL ||
	    HPDF_Xref_Add(f->doc->xref, pf->dict) != HPDF_OK) {
		pf->dict = NULL;
		return NULL;
	}
	pf->nglyphs = fc->info.nglyphs;
	pf->used = xcalloc(pf->nglyphs ? pf->nglyphs : 1, 1);
	pf->w = xreallocarray(NULL, pf->nglyphs ? pf->nglyphs : 1,
	    sizeof(*pf->w));
	memset(pf->w, 0xFF, (pf->nglyphs ? pf->nglyphs : 1) * sizeof(*pf->w));
	pf->text = xcalloc(pf->nglyphs ? pf->nglyphs : 1, sizeof(char *));
	return pf->dict;
}

/*
 * The text a glyph that is not its cluster's first stands for: the
 * character of the cluster the font maps to it (the ka of a reordered
 * "ki"), else the cluster's text.  PDF/UA wants every glyph shown to
 * map to Unicode; the cluster is then marked with its text, so what
 * this says is only what a reader without ActualText sees.
 */
static char *
inner_text(struct fonts *f, int face, uint32_t gid, const char *text,
    size_t len)
{
	hb_font_t	*hb = fontset_face(f->fs, (size_t)face)->hbfont;
	hb_codepoint_t	 g;
	uint32_t	 c;
	size_t		 i, n;

	for (i = 0; i < len; i += n) {
		n = utf8_decode(text + i, len - i, &c);
		if (hb_font_get_nominal_glyph(hb, c, &g) && g == gid)
			return xstrndup(text + i, n);
	}
	return xstrndup(text, len);
}

/*
 * Glyphs drawn: each is kept in the subset, and the first text it
 * stands for goes in the ToUnicode map.  A glyph's text is its
 * cluster's; the other glyphs of a cluster stand for their own
 * character (inner_text).
 */
void
fonts_use(struct fonts *f, int face, const struct glyph *g, size_t n,
    const char *text, size_t len)
{
	struct pdffont	*pf;
	size_t		 i, k, end;

	if (fonts_get(f, face) == NULL)
		return;
	pf = &f->pf[face];
	for (i = 0; i < n; i++) {
		if (g[i].gid >= pf->nglyphs)
			continue;
		pf->used[g[i].gid] = 1;
		if (pf->w[g[i].gid] < 0)
			fonts_advance(f, face, g[i].gid);
		if (pf->text[g[i].gid] != NULL || g[i].cluster >= len)
			continue;
		/* the cluster runs to the next larger cluster value */
		end = len;
		for (k = 0; k < n; k++)
			if (g[k].cluster > g[i].cluster && g[k].cluster < end)
				end = g[k].cluster;
		if (i > 0 && g[i - 1].cluster == g[i].cluster)
			pf->text[g[i].gid] = inner_text(f, face, g[i].gid,
			    text + g[i].cluster, end - g[i].cluster);
		else
			pf->text[g[i].gid] = xstrndup(text + g[i].cluster,
			    end - g[i].cluster);
	}
}

static HPDF_STATUS
add_num(HPDF_Dict d, const char *key, double v)
{
	return HPDF_Dict_AddReal(d, key, (HPDF_REAL)v);
}

static double
scale1000(const struct face *fc, double v)
{
	return v * 1000.0 / (fc->info.units_per_em ? fc->info.units_per_em : 1000);
}

/* A tag for the subset, from what it holds: ABCDEF+Name. */
static void
subset_tag(const struct pdffont *pf, const char *ps, char *out, size_t n)
{
	uint64_t	 h = 14695981039346656037ULL;
	unsigned	 g;
	int		 i;
	char		 tag[7];

	for (g = 0; g < pf->nglyphs; g++)
		if (pf->used[g])
			h = (h ^ g) * 1099511628211ULL;
	for (i = 0; i < 6; i++) {
		tag[i] = (char)('A' + h % 26);
		h /= 26;
	}
	tag[6] = '\0';
	snprintf(out, n, "%s+%s", tag, *ps ? ps : "Font");
}

/* The font program cut to the glyphs used, their ids kept; NULL if not. */
static hb_blob_t *
subset(const struct face *fc, const struct pdffont *pf)
{
	static const char	 layout[][5] = { "GSUB", "GPOS", "GDEF", "BASE",
	    "JSTF", "MATH", "kern", "morx", "mort", "kerx", "feat", "trak" };
	hb_subset_input_t	*in;
	hb_face_t		*out;
	hb_set_t		*gs, *drop;
	hb_blob_t		*blob;
	unsigned		 g;
	size_t			 i;

	if ((in = hb_subset_input_create_or_fail()) == NULL)
		return NULL;
	gs = hb_subset_input_glyph_set(in);
	for (g = 0; g < pf->nglyphs; g++)
		if (pf->used[g])
			hb_set_add(gs, g);
	/* the PDF's codes are glyph ids: they must not move */
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_RETAIN_GIDS |
	    HB_SUBSET_FLAGS_NO_HINTING);
	/*
	 * The glyphs are shaped already: a PDF reader draws them by id and
	 * never reads the layout tables, whose subsetting (the closure of
	 * every substitution over the glyphs) was most of the work.
	 */
	drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
	for (i = 0; i < sizeof(layout) / sizeof(layout[0]); i++)
		hb_set_add(drop, HB_TAG(layout[i][0], layout[i][1],
		    layout[i][2], layout[i][3]));
	out = hb_subset_or_fail((hb_face_t *)fc->hbface, in);
	hb_subset_input_destroy(in);
	if (out == NULL)
		return NULL;
	blob = hb_face_reference_blob(out);
	hb_face_destroy(out);
	return blob;
}

/* A stream object of the document, deflated, holding data. */
static HPDF_Dict
stream(HPDF_Doc doc, const void *data, size_t len)
{
	HPDF_Dict	 s = HPDF_DictStream_New(doc->mmgr, doc->xref);

	if (s == NULL)
		return NULL;
	s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	if (HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)data,
	    (HPDF_UINT)len) != HPDF_OK)
		return NULL;
	return s;
}

/* "<gid> <utf16be>" lines of a ToUnicode CMap, 100 at most a block. */
static void
tounicode(struct buf *b, const struct pdffont *pf)
{
	struct buf	 blk = { NULL, 0, 0 };
	unsigned	 g, k = 0;
	uint32_t	 c;
	size_t		 i, len;
	const char	*t;

	buf_puts(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\n"
	    "begincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
	    "/Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n"
	    "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n"
	    "endcodespacerange\n");
	for (g = 0; g <= pf->nglyphs; g++) {
		if (k == 100 || (g == pf->nglyphs && k > 0)) {
			buf_printf(b, "%u beginbfchar\n", k);
			buf_put(b, blk.data, blk.len);
			buf_puts(b, "endbfchar\n");
			buf_reset(&blk);
			k = 0;
		}
		if (g == pf->nglyphs)
			break;
		if (!pf->used[g] || (t = pf->text[g]) == NULL || *t == '\0')
			continue;
		buf_printf(&blk, "<%04X> <", g);
		for (i = 0; t[i] != '\0'; i += len) {
			len = utf8_decode(t + i, strlen(t + i), &c);
			if (c > 0xFFFF)
				buf_printf(&blk, "%04X%04X", 0xD800 +
				    ((c - 0x10000) >> 10), 0xDC00 +
				    ((c - 0x10000) & 0x3FF));
			else
				buf_printf(&blk, "%04X", c);
		}
		buf_puts(&blk, ">\n");
		k++;
	}
	buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
	    "end\nend\n");
	buf_free(&blk);
}

/*
 * A glyph's width as the font dictionary's W gives it (whole thousandths
 * of the size): what a PDF reader moves by, so what drawing counts.
 */
int
fonts_advance(struct fonts *f, int face, uint32_t gid)
{
	struct pdffont	*pf = &f->pf[face];
	struct face	*fc;

	if (gid >= pf->nglyphs)
		return 0;
	if (pf->w[gid] < 0) {
		fc = fontset_face(f->fs, (size_t)face);
		pf->w[gid] = (int16_t)(long)(scale1000(fc,
		    hb_font_get_glyph_h_advance((hb_font_t *)fc->hbfont, gid)) +
		    0.5);
	}
	return pf->w[gid];
}

/*
 * The face's widths by glyph id, as fonts_advance gives them, for the
 * n ids below *n; known (not -1) for every glyph fonts_use was given.
 */
const int16_t *
fonts_widths(struct fonts *f, int face, unsigned *n)
{
	if (face < 0 || (size_t)face >= f->npf || f->pf[face].w == NULL) {
		*n = 0;
		return NULL;
	}
	*n = f->pf[face].nglyphs;
	return f->pf[face].w;
}

/* The text a glyph reads back as (its ToUnicode entry), or NULL. */
const char *
fonts_text(struct fonts *f, int face, uint32_t gid)
{
	struct pdffont	*pf = &f->pf[face];

	return gid < pf->nglyphs && pf->text != NULL ? pf->text[gid] : NULL;
}

/* The face's glyph for a space, if it has one: 0 when it has none. */
int
fonts_space(struct fonts *f, int face, struct glyph *g)
{
	struct pdffont	*pf;
	uint32_t	 gid;
	int32_t		 adv;

	if (fonts_get(f, face) == NULL)
		return 0;
	pf = &f->pf[face];
	if (pf->space == 0) {
		pf->space = fontset_glyph(f->fs, face, ' ', &gid, &adv) &&
		    gid != 0 && gid < pf->nglyphs ? (int)gid + 1 : -1;
		memset(g, 0, sizeof(*g));
		g->gid = gid;
		/* in the subset, and read back as a space */
		if (pf->space > 0)
			fonts_use(f, face, g, 1, " ", 1);
	}
	if (pf->space < 0)
		return 0;
	memset(g, 0, sizeof(*g));
	g->gid = (uint32_t)pf->space - 1;
	return 1;
}

/* W: each run of used glyph ids with its widths, per 1000 of the size. */
static HPDF_Array
widths(struct fonts *f, HPDF_Doc doc, const struct pdffont *pf)
{
	HPDF_Array	 w = HPDF_Array_New(doc->mmgr), run = NULL;
	unsigned	 g;
	long		 prev = -2;


	for (g = 0; w != NULL && g < pf->nglyphs; g++) {
		if (!pf->used[g])
			continue;
		if ((long)g != prev + 1) {
			HPDF_Array_AddNumber(w, (HPDF_INT32)g);
			run = HPDF_Array_New(doc->mmgr);
			HPDF_Array_Add(w, run);
		}
		HPDF_Array_AddNumber(run, fonts_advance(f, (int)(pf - f->pf),
		    g));
		prev = (long)g;
	}
	return w;
}

/*
 * A face set cut down to its glyphs, the program kept for fonts_finish.
 * It touches only the face's own data, so the faces are cut at once,
 * each on a core (pdf.c); what is left is fonts_finish's.
 */
void
fonts_cut(struct fonts *f, size_t face)
{
	struct pdffont	*pf;
	struct face	*fc;
	const char	*data;
	unsigned	 len;
	uLongf		 zlen;

	if (face >= f->npf || (pf = &f->pf[face])->dict == NULL ||
	    pf->prog != NULL)
		return;
	fc = fontset_face(f->fs, face);
	if ((pf->prog = subset(fc, pf)) == NULL)
		pf->prog = hb_blob_create((const char *)fc->data,
		    (unsigned)fc->len, HB_MEMORY_MODE_READONLY, NULL, NULL);
	/* deflated here, on the core that cut it, not by libharu at save */
	data = hb_blob_get_data(pf->prog, &len);
	zlen = compressBound(len);
	buf_grow(&pf->zprog, zlen);
	if (compress2((Bytef *)pf->zprog.data, &zlen, (const Bytef *)data,
	    len, FONT_LEVEL) == Z_OK)
		pf->zprog.len = zlen;
}

/* The font dictionaries and programs of one face, now its glyphs are known. */
static int
finish_face(struct fonts *f, int face)
{
	struct pdffont	*pf = &f->pf[face];
	struct face	*fc = fontset_face(f->fs, (size_t)face);
	HPDF_Doc	 doc = f->doc;
	HPDF_Dict	 cid, desc, prog, tu, info;
	HPDF_Array	 arr, bbox;
	struct buf	 cmap = { NULL, 0, 0 };
	const char	*data;
	unsigned	 len;
	char		 name[96];
	int		 rc = 0, i;

	subset_tag(pf, fc->info.psname, name, sizeof(name));
	fonts_cut(f, (size_t)face);
	data = hb_blob_get_data(pf->prog, &len);
	if (pf->zprog.len > 0) {
		if ((prog = HPDF_DictStream_New(doc->mmgr, doc->xref)) != NULL &&
		    content_put_deflated(prog, pf->zprog.data,
		    pf->zprog.len) == -1)
			prog = NULL;
	} else
		prog = stream(doc, data, len);
	buf_free(&pf->zprog);
	hb_blob_destroy(pf->prog);
	pf->prog = NULL;
	cid = HPDF_Dict_New(doc->mmgr);
	desc = HPDF_Dict_New(doc->mmgr);
	info = HPDF_Dict_New(doc->mmgr);
	arr = HPDF_Array_New(doc->mmgr);
	bbox = HPDF_Array_New(doc->mmgr);
	tounicode(&cmap, pf);
	tu = stream(doc, cmap.data, cmap.len);
	buf_free(&cmap);
	if (prog == NULL || cid == NULL || desc == NULL || info == NULL ||
	    arr == NULL || bbox == NULL || tu == NULL ||
	    HPDF_Xref_Add(doc->xref, cid) != HPDF_OK ||
	    HPDF_Xref_Add(doc->xref, desc) != HPDF_OK)
		return -1;
	if (!fc->info.cff)
		rc |= HPDF_Dict_AddNumber(prog, "Length1", (HPDF_INT32)len);
	else
		rc |= HPDF_Dict_AddName(prog, "Subtype", "OpenType");
	for (i = 0; i < 4; i++)
		rc |= HPDF_Array_AddReal(bbox, (HPDF_REAL)scale1000(fc,
		    fc->info.bbox[i]));
	rc |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
	rc |= HPDF_Dict_AddName(desc, "FontName", name);
	rc |= HPDF_Dict_AddNumber(desc, "Flags", 4);
	rc |= HPDF_Dict_Add(desc, "FontBBox", bbox);
	rc |= add_num(desc, "ItalicAngle", fc->info.italic_angle_x10 / 10.0);
	rc |= add_num(desc, "Ascent", scale1000(fc, fc->info.ascender));
	rc |= add_num(desc, "Descent", scale1000(fc, fc->info.descender));
	rc |= add_num(desc, "CapHeight", scale1000(fc, fc->info.cap_height ?
	    fc->info.cap_height : fc->info.ascender * 0.7));
	rc |= HPDF_Dict_AddNumber(desc, "StemV", 80);
	rc |= HPDF_Dict_Add(desc, fc->info.cff ? "FontFile3" : "FontFile2",
	    prog);
	rc |= HPDF_Dict_Add(info, "Registry", HPDF_String_New(doc->mmgr,
	    "Adobe", NULL));
	rc |= HPDF_Dict_Add(info, "Ordering", HPDF_String_New(doc->mmgr,
	    "Identity", NULL));
	rc |= HPDF_Dict_AddNumber(info, "Supplement", 0);
	rc |= HPDF_Dict_AddName(cid, "Type", "Font");
	rc |= HPDF_Dict_AddName(cid, "Subtype", fc->info.cff ?
	    "CIDFontType0" : "CIDFontType2");
	rc |= HPDF_Dict_AddName(cid, "BaseFont", name);
	rc |= HPDF_Dict_Add(cid, "CIDSystemInfo", info);
	rc |= HPDF_Dict_Add(cid, "FontDescriptor", desc);
	rc |= HPDF_Dict_Add(cid, "W", widths(f, doc, pf));
	if (!fc->info.cff)
		rc |= HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");
	rc |= HPDF_Array_Add(arr, cid);
	rc |= HPDF_Dict_AddName(pf->dict, "Type", "Font");
	rc |= HPDF_Dict_AddName(pf->dict, "Subtype", "Type0");
	rc |= HPDF_Dict_AddName(pf->dict, "BaseFont", name);
	rc |= HPDF_Dict_AddName(pf->dict, "Encoding", "Identity-H");
	rc |= HPDF_Dict_Add(pf->dict, "DescendantFonts", arr);
	rc |= HPDF_Dict_Add(pf->dict, "ToUnicode", tu);
	return rc == HPDF_OK ? 0 : -1;
}

/* Every face set: subset, described and embedded. */
int
fonts_finish(struct fonts *f)
{
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < f->npf; i++)
		if (f->pf[i].dict != NULL && finish_face(f, (int)i) == -1)
			rc = -1;
	return rc;
}

/* Width in points of simple UTF-8 text set in a role at size. */
double
fonts_width(struct fonts *f, int role, const char *s, size_t n, double size)
{
	return fontset_width(f->fs, role, s, n, size);
}
