/*
 * The press PDF's pieces that stand alone: which ICC profiles are taken,
 * and images with a soft mask put onto white.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include <hpdf.h>
#include <hpdf_objects.h>

#include "buf.h"
#include "pdf_int.h"
#include "unit.h"

/* An image object of doc holding these 8-bit samples, deflated. */
static HPDF_Dict
image(HPDF_Doc doc, unsigned w, unsigned h, const char *cs,
    const unsigned char *px, size_t len)
{
	HPDF_Dict	 d = HPDF_DictStream_New(doc->mmgr, doc->xref);
	uLongf		 zlen = compressBound((uLong)len);
	unsigned char	*z = malloc(zlen);

	d->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
	HPDF_Dict_AddName(d, "Type", "XObject");
	HPDF_Dict_AddName(d, "Subtype", "Image");
	HPDF_Dict_AddNumber(d, "Width", (HPDF_INT32)w);
	HPDF_Dict_AddNumber(d, "Height", (HPDF_INT32)h);
	HPDF_Dict_AddNumber(d, "BitsPerComponent", 8);
	HPDF_Dict_AddName(d, "ColorSpace", cs);
	CHECK(compress2(z, &zlen, px, (uLong)len, 6) == Z_OK);
	CHECK(content_put_deflated(d, z, zlen) == 0);
	free(z);
	return d;
}

/* The samples an image object holds now. */
static size_t
samples(HPDF_Dict d, unsigned char *out, size_t cap)
{
	struct buf	 z = { NULL, 0, 0 };
	HPDF_BYTE	*b;
	HPDF_UINT	 i, len;
	uLongf		 n = cap;

	for (i = 0; i < HPDF_MemStream_GetBufCount(d->stream); i++)
		if ((b = HPDF_MemStream_GetBufPtr(d->stream, i, &len)) != NULL)
			buf_put(&z, (const char *)b, len);
	if (uncompress(out, &n, (unsigned char *)z.data, z.len) != Z_OK)
		n = 0;
	buf_free(&z);
	return n;
}

static void
flatten(void)
{
	HPDF_Doc	 doc = HPDF_New(NULL, NULL);
	HPDF_Dict	 rgb, mask, grey, gmask, bad, bmask;
	/* red opaque, green half covered, blue gone, black a quarter */
	const unsigned char px[12] = { 255, 0, 0, 0, 255, 0, 0, 0, 255,
	    0, 0, 0 };
	const unsigned char al[4] = { 255, 128, 0, 64 };
	const unsigned char g[2] = { 0, 200 }, ga[2] = { 0, 255 };
	unsigned char	 out[64];

	CHECK(doc != NULL);
	rgb = image(doc, 2, 2, "DeviceRGB", px, sizeof(px));
	mask = image(doc, 2, 2, "DeviceGray", al, sizeof(al));
	HPDF_Dict_Add(rgb, "SMask", mask);
	CHECK(press_flatten(rgb) == 0);
	CHECK(HPDF_Dict_GetItem(rgb, "SMask", HPDF_OCLASS_DICT) == NULL);
	CHECK(samples(rgb, out, sizeof(out)) == 12);
	CHECK(out[0] == 255 && out[1] == 0 && out[2] == 0);
	/* 255 × 128/255 + 255 × 127/255, 0 + 127 */
	CHECK(out[3] == 127 && out[4] == 255 && out[5] == 127);
	CHECK(out[6] == 255 && out[7] == 255 && out[8] == 255);
	CHECK(out[9] == 191 && out[10] == 191 && out[11] == 191);
	/* nothing left to flatten */
	CHECK(press_flatten(rgb) == -1);

	/* grey works alike */
	grey = image(doc, 2, 1, "DeviceGray", g, sizeof(g));
	gmask = image(doc, 2, 1, "DeviceGray", ga, sizeof(ga));
	HPDF_Dict_Add(grey, "SMask", gmask);
	CHECK(press_flatten(grey) == 0);
	CHECK(samples(grey, out, sizeof(out)) == 2);
	CHECK(out[0] == 255 && out[1] == 200);

	/* a mask of another size, or data cut short: left as it was */
	bad = image(doc, 2, 2, "DeviceRGB", px, sizeof(px));
	bmask = image(doc, 1, 1, "DeviceGray", al, 1);
	HPDF_Dict_Add(bad, "SMask", bmask);
	CHECK(press_flatten(bad) == -1);
	CHECK(HPDF_Dict_GetItem(bad, "SMask", HPDF_OCLASS_DICT) != NULL);
	bad = image(doc, 2, 2, "DeviceRGB", px, 6);
	bmask = image(doc, 2, 2, "DeviceGray", al, sizeof(al));
	HPDF_Dict_Add(bad, "SMask", bmask);
	CHECK(press_flatten(bad) == -1);
	CHECK(samples(bad, out, sizeof(out)) == 6);
	/* a colour space it does not know */
	bad = image(doc, 2, 2, "DeviceCMYK", px, sizeof(px));
	bmask = image(doc, 2, 2, "DeviceGray", al, sizeof(al));
	HPDF_Dict_Add(bad, "SMask", bmask);
	CHECK(press_flatten(bad) == -1);
	HPDF_Free(doc);
}

static void
profiles(void)
{
	struct buf	 b = { NULL, 0, 0 };
	unsigned char	*d;
	FILE		*f = fopen("icc/sRGB.icc", "rb");
	char		 chunk[4096];
	size_t		 n;

	CHECK(f != NULL);
	if (f == NULL)
		return;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	d = (unsigned char *)b.data;
	CHECK(press_profile_ok(d, b.len, "mntr", "RGB "));
	CHECK(!press_profile_ok(d, b.len, "prtr", "CMYK"));
	CHECK(!press_profile_ok(d, b.len - 1, "mntr", "RGB "));
	CHECK(!press_profile_ok(d, 100, "mntr", "RGB "));
	d[8] = 4;		/* version 4: not for PDF 1.3 */
	CHECK(!press_profile_ok(d, b.len, "mntr", "RGB "));
	d[8] = 2;
	d[36] = 'x';		/* no signature */
	CHECK(!press_profile_ok(d, b.len, "mntr", "RGB "));
	buf_free(&b);
}

int
main(void)
{
	flatten();
	profiles();
	return UNIT_DONE();
}
