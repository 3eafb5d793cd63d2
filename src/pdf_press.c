/*
 * The PDF for the print shop (--press).  Print-on-demand printers take
 * an interior without bookmarks, links or other annotations, with an
 * even number of pages, every font embedded and images of 300 dpi;
 * offset printers ask for PDF/X.  The finished document is reworked
 * here, once every page is set and every font embedded, towards
 * PDF/X-3:2002 (ISO 15930-3): the trim box on every page and the bleed
 * around it, a CMYK output intent, RGB images in sRGB (ICC-based colour)
 * and flattened onto white (PDF/X-3 has no transparency), the keys its
 * Info and trailer must hold.  Pages are not set differently: a press
 * PDF has the same pages as the book's, but for a blank one that may end
 * it.
 *
 * Like pdf_booklet.c, this works on libharu's object layer directly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include <hpdf_doc.h>
#include <hpdf_encrypt.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>

#include "book.h"
#include "diag.h"
#include "file.h"
#include "image.h"
#include "pdf_int.h"

#define PRESS_DPI	300	/* what printers ask of an image */

/*
 * The output condition: a CMYK characterisation of offset printing
 * (SWOP), from Debian's libgs-common (Ghostscript's, AGPL: read where it
 * is installed, not shipped); the sRGB profile is folio's own copy
 * (icc/, zlib licence), in its data folder.
 */
#define PRESS_CMYK	"/usr/share/color/icc/ghostscript/default_cmyk.icc"
#define PRESS_RGB	"icc/sRGB.icc"
#define PRESS_MAX_ICC	(4UL << 20)

#define SUBCLASS(h)	((h)->obj_class & 0xFF00)

/*
 * An image as printed: its pixels across its printed width.  Below
 * PRESS_DPI (rounded: an SVG drawn at 300 dpi may lose a fraction of a
 * pixel) it is reported where the manuscript names it.
 */
void
press_image(struct pdf *p, cmark_node *node, const struct image *im,
    HPDF_Image img, double width)
{
	unsigned	 px;
	double		 dpi;

	if (!p->opts->press || img == NULL || im == NULL || width <= 0)
		return;
	px = HPDF_Image_GetWidth(img);
	dpi = px * 72.0 / width;
	if (dpi + 0.5 >= PRESS_DPI)
		return;
	diag_warning(p->path, cmark_node_get_start_line(node),
	    cmark_node_get_start_column(node), "image '%s' is printed at "
	    "%.0f dpi (%u pixels across %.2f in); the press wants %d",
	    im->path, dpi, px, width / 72, PRESS_DPI);
}

/* A 32-bit big-endian number of an ICC profile. */
static uint32_t
be32(const unsigned char *s)
{
	return (uint32_t)s[0] << 24 | (uint32_t)s[1] << 16 |
	    (uint32_t)s[2] << 8 | s[3];
}

/*
 * Whether an ICC profile is whole and of the class and colour space
 * asked ("prtr" "CMYK", "mntr" "RGB "), and of version 2, which PDF 1.3
 * reads.
 */
int
press_profile_ok(const unsigned char *d, size_t len, const char *cls,
    const char *space)
{
	return len >= 132 && be32(d) == len && d[8] == 2 &&
	    memcmp(d + 12, cls, 4) == 0 && memcmp(d + 16, space, 4) == 0 &&
	    memcmp(d + 36, "acsp", 4) == 0;
}

/* The profile's description (its 'desc' tag), or NULL. */
static char *
profile_desc(const unsigned char *d, size_t len)
{
	uint32_t	 n, i, off, size, count;
	char		*s;
	size_t		 k;

	n = be32(d + 128);
	for (i = 0; i < n && 132 + 12 * (size_t)i + 12 <= len; i++) {
		const unsigned char *t = d + 132 + 12 * i;

		if (memcmp(t, "desc", 4) != 0)
			continue;
		off = be32(t + 4);
		size = be32(t + 8);
		if (off > len || size > len - off || size < 12 ||
		    memcmp(d + off, "desc", 4) != 0)
			return NULL;
		count = be32(d + off + 8);
		if (count == 0 || count > size - 12 || count > 256)
			return NULL;
		s = xmalloc(count);
		memcpy(s, d + off + 12, count);
		s[count - 1] = '\0';
		for (k = 0; s[k] != '\0'; k++)
			if ((unsigned char)s[k] < 0x20 ||
			    (unsigned char)s[k] > 0x7E)
				s[k] = ' ';
		return s;
	}
	return NULL;
}

/* A profile of the class and colour space asked, read; -1 if not. */
static int
read_profile(const char *path, const char *cls, const char *space,
    struct buf *b, char *why, size_t whylen)
{
	if (file_read(path, PRESS_MAX_ICC, b, why, whylen) == -1)
		return -1;
	if (!press_profile_ok((unsigned char *)b->data, b->len, cls, space)) {
		snprintf(why, whylen, "not an ICC version 2 %s profile",
		    space);
		return -1;
	}
	return 0;
}

/* The profile as a stream object of doc, deflated when written. */
static HPDF_Dict
profile_stream(HPDF_Doc doc, const struct buf *b, int n, const char *alt)
{
	HPDF_Dict	 d = HPDF_DictStream_New(doc->mmgr, doc->xref);

	if (d == NULL || HPDF_Dict_AddNumber(d, "N", n) != HPDF_OK ||
	    HPDF_Dict_AddName(d, "Alternate", alt) != HPDF_OK ||
	    HPDF_Stream_Write(d->stream, (HPDF_BYTE *)b->data,
	    (HPDF_UINT)b->len) != HPDF_OK)
		return NULL;
	d->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	return d;
}

/* ------------------------------------------------------------ pages */

/* An odd page count gets a blank last page: no folio, no head. */
static void
pad(struct pdf *p)
{
	HPDF_Page	 page;

	if (p->doc->page_list->count % 2 == 0)
		return;
	if ((page = HPDF_AddPage(p->doc)) == NULL)
		return;
	HPDF_Page_SetWidth(page, (HPDF_REAL)p->st->page_width);
	HPDF_Page_SetHeight(page, (HPDF_REAL)p->st->page_height);
	p->rep->pages++;
}

/*
 * The trim box is the page; the bleed, if any, surrounds it, and the
 * media box grows to it.  The content keeps its coordinates: the trim
 * stays where the page was.
 */
static void
boxes(struct pdf *p)
{
	HPDF_MMgr	 mm = p->doc->mmgr;
	HPDF_Box	 trim, bleed;
	HPDF_Page	 page;
	double		 b = p->st->bleed;
	HPDF_UINT	 i;

	trim.left = trim.bottom = 0;
	trim.right = (HPDF_REAL)p->st->page_width;
	trim.top = (HPDF_REAL)p->st->page_height;
	bleed.left = bleed.bottom = (HPDF_REAL)-b;
	bleed.right = (HPDF_REAL)(p->st->page_width + b);
	bleed.top = (HPDF_REAL)(p->st->page_height + b);
	for (i = 0; i < p->doc->page_list->count; i++) {
		page = HPDF_List_ItemAt(p->doc->page_list, i);
		HPDF_Dict_Add(page, "MediaBox", HPDF_Box_Array_New(mm, bleed));
		HPDF_Dict_Add(page, "TrimBox", HPDF_Box_Array_New(mm, trim));
		if (b > 0)
			HPDF_Dict_Add(page, "BleedBox",
			    HPDF_Box_Array_New(mm, bleed));
	}
}

/*
 * No links, bookmarks or named destinations: printers refuse them, and
 * the viewer opens on the pages.  (An entry that is not there is no
 * error: libharu only says so.)
 */
static void
strip(struct pdf *p)
{
	HPDF_UINT	 i;

	for (i = 0; i < p->doc->page_list->count; i++)
		HPDF_Dict_RemoveElement(HPDF_List_ItemAt(p->doc->page_list,
		    i), "Annots");
	HPDF_Dict_RemoveElement(p->doc->catalog, "Outlines");
	HPDF_Dict_RemoveElement(p->doc->catalog, "PageMode");
	HPDF_Dict_RemoveElement(p->doc->catalog, "Dests");
}

/* ------------------------------------------------------------ images */

/* A zlib stream in a libharu memory stream, inflated a piece at a time. */
struct zin {
	z_stream	 zs;
	HPDF_Stream	 s;
	HPDF_UINT	 next;		/* the stream's next buffer */
	int		 open;
};

static int
zin_open(struct zin *z, HPDF_Stream s)
{
	memset(z, 0, sizeof(*z));
	z->s = s;
	if (s == NULL || s->type != HPDF_STREAM_MEMORY ||
	    inflateInit(&z->zs) != Z_OK)
		return -1;
	z->open = 1;
	return 0;
}

/* Exactly n bytes into out; -1 if the data ends or is damaged first. */
static int
zin_read(struct zin *z, unsigned char *out, size_t n)
{
	HPDF_BYTE	*b;
	HPDF_UINT	 len;
	int		 rc;

	z->zs.next_out = out;
	z->zs.avail_out = (uInt)n;
	while (z->zs.avail_out > 0) {
		if (z->zs.avail_in == 0) {
			if (z->next >= HPDF_MemStream_GetBufCount(z->s) ||
			    (b = HPDF_MemStream_GetBufPtr(z->s, z->next++,
			    &len)) == NULL)
				return -1;
			z->zs.next_in = b;
			z->zs.avail_in = len;
			continue;
		}
		rc = inflate(&z->zs, Z_NO_FLUSH);
		if (rc == Z_STREAM_END && z->zs.avail_out > 0)
			return -1;
		if (rc != Z_OK && rc != Z_STREAM_END)
			return -1;
	}
	return 0;
}

static void
zin_close(struct zin *z)
{
	if (z->open)
		inflateEnd(&z->zs);
	z->open = 0;
}

/* Deflate into a buffer, a row at a time. */
static int
zout_put(z_stream *zs, struct buf *out, const unsigned char *p, size_t n,
    int last)
{
	unsigned char	 chunk[16384];
	int		 rc;

	zs->next_in = (Bytef *)p;
	zs->avail_in = (uInt)n;
	do {
		zs->next_out = chunk;
		zs->avail_out = sizeof(chunk);
		if ((rc = deflate(zs, last ? Z_FINISH : Z_NO_FLUSH)) ==
		    Z_STREAM_ERROR)
			return -1;
		buf_put(out, (const char *)chunk, sizeof(chunk) -
		    zs->avail_out);
	} while (zs->avail_out == 0 || (last && rc != Z_STREAM_END));
	return 0;
}

static long
number(HPDF_Dict d, const char *key)
{
	HPDF_Number	 n = HPDF_Dict_GetItem(d, key, HPDF_OCLASS_NUMBER);

	return n != NULL ? (long)n->value : -1;
}

/* Colour samples a pixel, for the colour spaces pdf_png.c writes. */
static int
channels(HPDF_Dict d)
{
	HPDF_DictElement	 e;
	HPDF_Name		 nm;
	HPDF_UINT		 i;

	for (i = 0; i < d->list->count; i++) {
		e = HPDF_List_ItemAt(d->list, i);
		if (strcmp(e->key, "ColorSpace") != 0)
			continue;
		if (((HPDF_Obj_Header *)e->value)->obj_class !=
		    HPDF_OCLASS_NAME)
			return 0;
		nm = e->value;
		return strcmp(nm->value, "DeviceRGB") == 0 ? 3 :
		    strcmp(nm->value, "DeviceGray") == 0 ? 1 : 0;
	}
	return 0;
}

/*
 * Put an image with a soft mask onto white, as it shows on the page,
 * and drop the mask: colour = colour × alpha + white × (1 − alpha).
 * Both streams are zlib data of 8-bit samples (content_put_deflated);
 * they are read and the result written a row at a time.  0, or -1 if
 * the image is not of that kind or its data does not add up; it is then
 * left as it was.
 */
int
press_flatten(HPDF_Dict img)
{
	HPDF_Dict	 mask;
	struct zin	 zc, za;
	z_stream	 zs;
	struct buf	 out = { NULL, 0, 0 };
	unsigned char	*crow = NULL, *arow = NULL;
	long		 w, h, y;
	size_t		 x, k;
	int		 nc, rc = -1, zopen = 0;

	if ((mask = HPDF_Dict_GetItem(img, "SMask", HPDF_OCLASS_DICT)) ==
	    NULL)
		return -1;
	w = number(img, "Width");
	h = number(img, "Height");
	nc = channels(img);
	if (w <= 0 || h <= 0 || nc == 0 || number(mask, "Width") != w ||
	    number(mask, "Height") != h || number(img, "BitsPerComponent") !=
	    8 || number(mask, "BitsPerComponent") != 8 ||
	    (unsigned long long)w * (unsigned long long)h > IMAGE_MAX_PIXELS ||
	    img->filter != HPDF_STREAM_FILTER_NONE || img->write_fn == NULL ||
	    mask->filter != HPDF_STREAM_FILTER_NONE || mask->write_fn == NULL)
		return -1;
	memset(&zs, 0, sizeof(zs));
	if (zin_open(&zc, img->stream) == -1 ||
	    zin_open(&za, mask->stream) == -1 ||
	    deflateInit(&zs, 1) != Z_OK)
		goto out;
	zopen = 1;
	crow = xmalloc((size_t)w * (size_t)nc);
	arow = xmalloc((size_t)w);
	for (y = 0; y < h; y++) {
		if (zin_read(&zc, crow, (size_t)w * (size_t)nc) == -1 ||
		    zin_read(&za, arow, (size_t)w) == -1)
			goto out;
		for (x = 0; x < (size_t)w; x++)
			for (k = 0; k < (size_t)nc; k++) {
				unsigned	 c = crow[x * nc + k];
				unsigned	 a = arow[x];

				crow[x * nc + k] = (unsigned char)((c * a +
				    255 * (255 - a) + 127) / 255);
			}
		if (zout_put(&zs, &out, crow, (size_t)w * (size_t)nc,
		    y + 1 == h) == -1)
			goto out;
	}
	if (out.len > 0xFFFFFFFFUL)
		goto out;
	HPDF_MemStream_FreeData(img->stream);
	if (HPDF_Stream_Write(img->stream, (HPDF_BYTE *)out.data,
	    (HPDF_UINT)out.len) != HPDF_OK)
		goto out;
	HPDF_Dict_RemoveElement(img, "SMask");
	rc = 0;
out:
	zin_close(&zc);
	zin_close(&za);
	if (zopen)
		deflateEnd(&zs);
	free(crow);
	free(arow);
	buf_free(&out);
	return rc;
}

static int
is_image(HPDF_Dict d)
{
	HPDF_Name	 sub;

	if ((d->header.obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_DICT ||
	    SUBCLASS(&d->header) != HPDF_OSUBCLASS_XOBJECT ||
	    d->stream == NULL)
		return 0;
	sub = HPDF_Dict_GetItem(d, "Subtype", HPDF_OCLASS_NAME);
	return sub != NULL && strcmp(sub->value, "Image") == 0;
}

static int
is_name(void *obj, const char *name)
{
	HPDF_Obj_Header	*h = obj;

	return h->obj_class == HPDF_OCLASS_NAME &&
	    strcmp(((HPDF_Name)obj)->value, name) == 0;
}

/*
 * DeviceRGB becomes sRGB, an ICC-based colour space (PDF/X-3 takes no
 * device RGB under a CMYK output intent), also as the base of an
 * indexed (palette) image.  Grey and CMYK images stay as they are.
 */
static void
recolour(struct pdf *p, HPDF_Dict img, HPDF_Array srgb)
{
	HPDF_MMgr		 mm = p->doc->mmgr;
	HPDF_DictElement	 e = NULL;
	HPDF_Array		 a, idx;
	void			*v;
	HPDF_Number		 hival;
	HPDF_Obj_Header		*h;
	HPDF_UINT		 i;

	for (i = 0; i < img->list->count; i++) {
		e = HPDF_List_ItemAt(img->list, i);
		if (strcmp(e->key, "ColorSpace") == 0)
			break;
	}
	if (i == img->list->count)
		return;
	h = e->value;
	if (is_name(e->value, "DeviceRGB")) {
		HPDF_Dict_Add(img, "ColorSpace", srgb);
		return;
	}
	if (h->obj_class != HPDF_OCLASS_ARRAY)
		return;
	a = e->value;
	/* [/Indexed /DeviceRGB hival <palette>] */
	if (a->list->count != 4 || !is_name(HPDF_List_ItemAt(a->list, 0),
	    "Indexed") || !is_name(HPDF_List_ItemAt(a->list, 1),
	    "DeviceRGB"))
		return;
	hival = HPDF_List_ItemAt(a->list, 2);
	v = HPDF_List_ItemAt(a->list, 3);
	if (hival->header.obj_class != HPDF_OCLASS_NUMBER ||
	    ((HPDF_Obj_Header *)v)->obj_class != HPDF_OCLASS_BINARY)
		return;
	if ((idx = HPDF_Array_New(mm)) == NULL)
		return;
	HPDF_Array_AddName(idx, "Indexed");
	HPDF_Array_Add(idx, srgb);
	HPDF_Array_AddNumber(idx, hival->value);
	HPDF_Array_Add(idx, HPDF_Binary_New(mm,
	    HPDF_Binary_GetValue((HPDF_Binary)v),
	    HPDF_Binary_GetLen((HPDF_Binary)v)));
	HPDF_Dict_Add(img, "ColorSpace", idx);
}

/* Every image: flattened if it has a mask, its RGB made sRGB. */
static void
images(struct pdf *p)
{
	HPDF_Xref	 x = p->doc->xref;
	HPDF_Array	 srgb = NULL;
	HPDF_Dict	 prof, d;
	struct buf	 b = { NULL, 0, 0 }, path = { NULL, 0, 0 };
	char		 why[256];
	HPDF_UINT	 i, n = x->entries->count;

	if (p->opts->datadir != NULL)
		buf_printf(&path, "%s/%s", p->opts->datadir, PRESS_RGB);
	if (path.len == 0 || read_profile(path.data, "mntr", "RGB ", &b,
	    why, sizeof(why)) == -1)
		diag_warning(path.len ? path.data : PRESS_RGB, 0, 0,
		    "cannot read the sRGB profile (%s): RGB images stay "
		    "device RGB, which PDF/X-3 does not allow",
		    path.len ? why : "no data folder");
	else if ((prof = profile_stream(p->doc, &b, 3, "DeviceRGB")) !=
	    NULL && (srgb = HPDF_Array_New(p->doc->mmgr)) != NULL &&
	    HPDF_Xref_Add(x, srgb) == HPDF_OK) {
		HPDF_Array_AddName(srgb, "ICCBased");
		HPDF_Array_Add(srgb, prof);
	} else
		srgb = NULL;
	/* (only the entries there now: the loop adds none) */
	for (i = 1; i < n; i++) {
		d = ((HPDF_XrefEntry)HPDF_List_ItemAt(x->entries, i))->obj;
		if (!is_image(d))
			continue;
		if (HPDF_Dict_GetItem(d, "SMask", HPDF_OCLASS_DICT) != NULL &&
		    press_flatten(d) == -1)
			diag_error(p->bk->source, 0, 0, "an image with "
			    "transparency could not be flattened for the "
			    "press");
		if (srgb != NULL)
			recolour(p, d, srgb);
	}
	buf_free(&b);
	buf_free(&path);
}

/* ------------------------------------------------------------ PDF/X */

/*
 * The output intent: the CMYK condition the document is made for, with
 * its profile.  0, or -1 (reported) without one; the document is then
 * not marked as PDF/X.
 */
static int
intent(struct pdf *p)
{
	HPDF_MMgr	 mm = p->doc->mmgr;
	HPDF_Array	 intents;
	HPDF_Dict	 oi, prof;
	struct buf	 b = { NULL, 0, 0 };
	char		 why[256], *desc;
	int		 rc = -1;

	if (read_profile(PRESS_CMYK, "prtr", "CMYK", &b, why,
	    sizeof(why)) == -1) {
		diag_warning(PRESS_CMYK, 0, 0, "cannot read the CMYK output "
		    "profile (%s; Debian's libgs-common installs it): the "
		    "press PDF is not marked PDF/X-3", why);
		buf_free(&b);
		return -1;
	}
	desc = profile_desc((unsigned char *)b.data, b.len);
	if ((prof = profile_stream(p->doc, &b, 4, "DeviceCMYK")) != NULL &&
	    (intents = HPDF_Array_New(mm)) != NULL &&
	    HPDF_Dict_Add(p->doc->catalog, "OutputIntents", intents) ==
	    HPDF_OK && (oi = HPDF_Dict_New(mm)) != NULL &&
	    HPDF_Array_Add(intents, oi) == HPDF_OK) {
		HPDF_Dict_AddName(oi, "Type", "OutputIntent");
		HPDF_Dict_AddName(oi, "S", "GTS_PDFX");
		/* not a registered condition: its profile describes it */
		HPDF_Dict_Add(oi, "OutputConditionIdentifier",
		    HPDF_String_New(mm, "Custom", NULL));
		HPDF_Dict_Add(oi, "OutputCondition", HPDF_String_New(mm,
		    desc != NULL ? desc : "CMYK", NULL));
		HPDF_Dict_Add(oi, "Info", HPDF_String_New(mm, desc != NULL ?
		    desc : "CMYK", NULL));
		HPDF_Dict_Add(oi, "RegistryName", HPDF_String_New(mm,
		    "http://www.color.org", NULL));
		HPDF_Dict_Add(oi, "DestOutputProfile", prof);
		rc = 0;
	}
	free(desc);
	buf_free(&b);
	return rc;
}

/* The Info keys PDF/X asks for; the dates and title are there already. */
static void
info(struct pdf *p, int pdfx)
{
	HPDF_Dict	 in = p->doc->info;
	HPDF_MMgr	 mm = p->doc->mmgr;

	if (in == NULL)
		return;
	if (HPDF_GetInfoAttr(p->doc, HPDF_INFO_TITLE) == NULL)
		HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, p->bk->slug);
	HPDF_Dict_AddName(in, "Trapped", "False");
	if (pdfx)
		HPDF_Dict_Add(in, "GTS_PDFXVersion", HPDF_String_New(mm,
		    "PDF/X-3:2002", NULL));
	HPDF_ResetError(p->doc);
}

/*
 * The trailer's ID, which libharu writes only for encrypted files: a
 * digest of what the document is (title, identifier, date) and of its
 * pages, so that the same book gives the same bytes.
 */
static void
id(struct pdf *p)
{
	struct HPDF_MD5Context	 md;
	HPDF_BYTE		 digest[16], *b;
	const unsigned char	*cb;
	size_t			 clen;
	HPDF_Array		 a;
	HPDF_PageAttr		 attr;
	HPDF_UINT		 i, k, len;
	char			 num[64];

	HPDF_MD5Init(&md);
	if (p->bk->title != NULL)
		HPDF_MD5Update(&md, (const HPDF_BYTE *)p->bk->title,
		    (HPDF_UINT32)strlen(p->bk->title) + 1);
	if (p->bk->identifier != NULL)
		HPDF_MD5Update(&md, (const HPDF_BYTE *)p->bk->identifier,
		    (HPDF_UINT32)strlen(p->bk->identifier) + 1);
	snprintf(num, sizeof(num), "%lld %u %g", (long long)p->bk->modified,
	    (unsigned)p->doc->page_list->count, p->st->bleed);
	HPDF_MD5Update(&md, (const HPDF_BYTE *)num, (HPDF_UINT32)strlen(num));
	for (i = 0; i < p->doc->page_list->count; i++) {
		attr = ((HPDF_Page)HPDF_List_ItemAt(p->doc->page_list,
		    i))->attr;
		if (attr->contents == NULL || attr->contents->stream == NULL)
			continue;
		if ((cb = content_bytes(attr->contents->stream, &clen)) !=
		    NULL) {
			HPDF_MD5Update(&md, cb, (HPDF_UINT32)clen);
			continue;
		}
		if (attr->contents->stream->type != HPDF_STREAM_MEMORY)
			continue;
		for (k = 0; k < HPDF_MemStream_GetBufCount(
		    attr->contents->stream); k++)
			if ((b = HPDF_MemStream_GetBufPtr(
			    attr->contents->stream, k, &len)) != NULL)
				HPDF_MD5Update(&md, b, len);
	}
	HPDF_MD5Final(digest, &md);
	if ((a = HPDF_Array_New(p->doc->mmgr)) == NULL ||
	    HPDF_Dict_Add(p->doc->trailer, "ID", a) != HPDF_OK)
		return;
	HPDF_Array_Add(a, HPDF_Binary_New(p->doc->mmgr, digest, 16));
	HPDF_Array_Add(a, HPDF_Binary_New(p->doc->mmgr, digest, 16));
}

/* ------------------------------------------------------------ sweep */

/* Objects still to look into, and which are reached. */
struct sweep {
	unsigned char	 *seen;		/* per xref entry */
	size_t		  n;
	void		**stack;
	size_t		  ns, cap;
};

static void
reach(struct sweep *s, void *obj)
{
	HPDF_Obj_Header	*h = obj;
	size_t		 i;

	if (h == NULL)
		return;
	if (h->obj_class == HPDF_OCLASS_PROXY) {
		obj = ((HPDF_Proxy)obj)->obj;
		h = obj;
	}
	if (h->obj_id & HPDF_OTYPE_INDIRECT) {
		i = h->obj_id & 0x00FFFFFF;
		if (i >= s->n || s->seen[i])
			return;
		s->seen[i] = 1;
	}
	if ((h->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_DICT &&
	    (h->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_ARRAY)
		return;
	if (s->ns == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->stack = xreallocarray(s->stack, s->cap, sizeof(*s->stack));
	}
	s->stack[s->ns++] = obj;
}

/*
 * What the catalog, the Info and the trailer no longer reach of the
 * links, bookmarks, destinations and images (the masks just dropped)
 * is left out: written as null, so that the file holds no annotation
 * or outline at all, not even unused.  Other objects are kept, used or
 * not.  Each object is pushed once (indirect ones when first reached,
 * direct ones by their one container), so the walk is bounded.
 */
static void
sweep(struct pdf *p)
{
	HPDF_Xref		 x = p->doc->xref;
	HPDF_XrefEntry		 e;
	HPDF_Obj_Header		*h;
	HPDF_Null		 null;
	struct sweep		 s;
	HPDF_DictElement	 de;
	HPDF_Dict		 d;
	HPDF_Array		 a;
	HPDF_UINT		 i, sub;
	void			*obj;

	memset(&s, 0, sizeof(s));
	s.n = x->entries->count;
	s.seen = xcalloc(s.n ? s.n : 1, 1);
	reach(&s, p->doc->catalog);
	reach(&s, p->doc->info);
	reach(&s, p->doc->trailer);
	while (s.ns > 0) {
		obj = s.stack[--s.ns];
		h = obj;
		if ((h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_DICT) {
			d = obj;
			for (i = 0; i < d->list->count; i++) {
				de = HPDF_List_ItemAt(d->list, i);
				/* (a hidden entry is not written) */
				if (!(((HPDF_Obj_Header *)de->value)->obj_id &
				    HPDF_OTYPE_HIDDEN))
					reach(&s, de->value);
			}
		} else {
			a = obj;
			for (i = 0; i < a->list->count; i++)
				reach(&s, HPDF_List_ItemAt(a->list, i));
		}
	}
	for (i = 1; i < s.n; i++) {
		e = HPDF_List_ItemAt(x->entries, i);
		h = e->obj;
		sub = SUBCLASS(h);
		if (s.seen[i] || (sub != HPDF_OSUBCLASS_ANNOTATION &&
		    sub != HPDF_OSUBCLASS_OUTLINE &&
		    sub != HPDF_OSUBCLASS_DESTINATION &&
		    sub != HPDF_OSUBCLASS_XOBJECT))
			continue;
		if ((null = HPDF_Null_New(p->doc->mmgr)) == NULL)
			break;
		null->header.obj_id = h->obj_id;
		null->header.gen_no = h->gen_no;
		HPDF_Obj_ForceFree(p->doc->mmgr, e->obj);
		e->obj = null;
	}
	free(s.seen);
	free(s.stack);
}

/*
 * Make the finished document the press's, in this order: the last
 * page, the boxes, nothing to click, images fit for print, the output
 * intent and its keys, what is left unused dropped, the ID.
 */
void
press_finish(struct pdf *p)
{
	int	 pdfx;

	pad(p);
	boxes(p);
	strip(p);
	images(p);
	pdfx = intent(p) == 0;
	info(p, pdfx);
	sweep(p);
	id(p);
}
