/*
 * SVG: what the sanitised copy keeps and leaves out, what is refused,
 * the natural size, and the pixels librsvg draws.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "buf.h"
#include "image.h"
#include "svg.h"
#include "unit.h"

#define NS	"xmlns=\"http://www.w3.org/2000/svg\" " \
		"xmlns:xlink=\"http://www.w3.org/1999/xlink\""

/* A 1×1 opaque PNG, base64. */
#define PNG64	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4" \
		"nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg=="

static const char hostile[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<?xml-stylesheet href=\"https://example.com/x.css\"?>\n"
    "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
    "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
    "<svg " NS " width=\"2in\" height=\"1in\" onload=\"alert(1)\" "
    "xml:base=\"https://example.com/\">\n"
    "<script>alert(2)</script>\n"
    "<SCRIPT>alert(3)</SCRIPT>\n"
    "<style>@import url(https://example.com/a.css);</style>\n"
    "<style>.k { fill: url(#grad); stroke: url('https://example.com/p') }"
    "</style>\n"
    "<linearGradient id=\"grad\"/>\n"
    "<rect id=\"r\" width=\"10\" height=\"10\" ONCLICK=\"alert(4)\" "
    "fill=\"url(#grad)\" style=\"fill: url( https://example.com/f )\"/>\n"
    "<rect width=\"1\" height=\"1\" filter=\"url(http://e.com/f#x)\"/>\n"
    "<use xlink:href=\"#r\"/>\n"
    "<use href=\"other.svg#r\"/>\n"
    "<a xlink:href=\"javascript:alert(5)\" target=\"_top\"><circle r=\"1\"/>"
    "</a>\n"
    "<a href=\"#r\"><title>to r</title><circle r=\"2\"/></a>\n"
    "<image xlink:href=\"https://example.com/p.png\" width=\"1\" "
    "height=\"1\"/>\n"
    "<image xlink:href=\"data:image/png;base64," PNG64 "\" width=\"1\" "
    "height=\"1\"/>\n"
    "<image href=\"data:image/svg+xml;base64,PHN2Zy8+\"/>\n"
    "<set attributeName=\"xlink:href\" to=\"javascript:alert(6)\"/>\n"
    "<animate attributeName=\"opacity\" from=\"0\" to=\"1\" dur=\"1s\"/>\n"
    "<foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">"
    "<iframe src=\"https://example.com/\"/></div></foreignObject>\n"
    "<g><iframe src=\"https://example.com/\"/></g>\n"
    "<text>caf\xc3\xa9 &amp; &lt;tea&gt;</text>\n"
    "</svg>\n";

static int
sanitize(const char *s, struct buf *out, double *w, double *h, int *removed,
    char *why, size_t sz)
{
	why[0] = '\0';
	return svg_sanitize((const unsigned char *)s, strlen(s), out, w, h,
	    removed, why, sz);
}

/* The natural size of a document, in points; -1 if refused. */
static int
size_of(const char *s, double *w, double *h)
{
	struct buf	 out = { NULL, 0, 0 };
	char		 why[200];
	int		 removed, rc;

	rc = sanitize(s, &out, w, h, &removed, why, sizeof(why));
	buf_free(&out);
	return rc;
}

static void
be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void
chunk(struct buf *b, const char *type, const unsigned char *d, size_t n)
{
	unsigned char	 p[4];

	be32(p, (uint32_t)n);
	buf_put(b, (const char *)p, 4);
	buf_put(b, type, 4);
	if (n > 0)
		buf_put(b, (const char *)d, n);
	/* crc32() of a NULL buffer is not the CRC so far but 0 */
	be32(p, (uint32_t)(n > 0 ? crc32(crc32(0L, (const Bytef *)type, 4),
	    d, (uInt)n) : crc32(0L, (const Bytef *)type, 4)));
	buf_put(b, (const char *)p, 4);
}

/* An <image> of a w × h grey PNG, all black, as a base64 data: URI. */
static void
data_png(struct buf *out, uint32_t w, uint32_t h)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct buf	 png = { NULL, 0, 0 };
	unsigned char	 ihdr[13] = { 0 }, *raw, *z;
	size_t		 rawlen = (size_t)(w + 1) * h, i;
	uLongf		 zlen = compressBound((uLong)rawlen);
	unsigned long	 v;

	raw = calloc(1, rawlen);
	z = malloc(zlen);
	compress2(z, &zlen, raw, (uLong)rawlen, 9);
	be32(ihdr, w);
	be32(ihdr + 4, h);
	ihdr[8] = 8;
	buf_put(&png, "\x89PNG\r\n\x1a\n", 8);
	chunk(&png, "IHDR", ihdr, 13);
	chunk(&png, "IDAT", z, zlen);
	chunk(&png, "IEND", NULL, 0);
	buf_puts(out, "<image width=\"1\" height=\"1\" "
	    "href=\"data:image/png;base64,");
	for (i = 0; i < png.len; i += 3) {
		v = (unsigned long)(unsigned char)png.data[i] << 16;
		if (i + 1 < png.len)
			v |= (unsigned long)(unsigned char)png.data[i + 1] << 8;
		if (i + 2 < png.len)
			v |= (unsigned char)png.data[i + 2];
		buf_putc(out, b64[v >> 18 & 63]);
		buf_putc(out, b64[v >> 12 & 63]);
		buf_putc(out, i + 1 < png.len ? b64[v >> 6 & 63] : '=');
		buf_putc(out, i + 2 < png.len ? b64[v & 63] : '=');
	}
	buf_puts(out, "\"/>");
	free(raw);
	free(z);
	buf_free(&png);
}

static int
near(double a, double b)
{
	return a - b < 0.001 && b - a < 0.001;
}

int
main(void)
{
	struct buf		 out = { NULL, 0, 0 };
	struct image_info	 ii;
	unsigned char		*px;
	unsigned		 w, h;
	double			 wpt, hpt;
	char			 why[200];
	int			 removed;

	/* the hostile document: what goes, what stays */
	CHECK(sanitize(hostile, &out, &wpt, &hpt, &removed, why,
	    sizeof(why)) == 0);
	CHECK(near(wpt, 144) && near(hpt, 72));
	CHECK(strncmp(out.data, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
	    38) == 0);
	CHECK(strstr(out.data, "xml-stylesheet") == NULL);
	CHECK(strstr(out.data, "DOCTYPE") == NULL);
	CHECK(strstr(out.data, "DTD") == NULL);
	CHECK(strstr(out.data, "alert") == NULL);
	CHECK(strstr(out.data, "script") == NULL);
	CHECK(strstr(out.data, "SCRIPT") == NULL);
	CHECK(strstr(out.data, "onload") == NULL);
	CHECK(strstr(out.data, "ONCLICK") == NULL);
	CHECK(strstr(out.data, "xml:base") == NULL);
	CHECK(strstr(out.data, "example.com") == NULL);
	CHECK(strstr(out.data, "http://e") == NULL);
	CHECK(strstr(out.data, "other.svg") == NULL);
	CHECK(strstr(out.data, "@import") == NULL);
	CHECK(strstr(out.data, "foreignObject") == NULL);
	CHECK(strstr(out.data, "iframe") == NULL);
	CHECK(strstr(out.data, "svg+xml") == NULL);
	CHECK(strstr(out.data, "target=") == NULL);
	CHECK(strstr(out.data, "<set") == NULL);
	/* kept: namespaces, local references, a checked data: image */
	CHECK(strstr(out.data, "xmlns=\"http://www.w3.org/2000/svg\"") !=
	    NULL);
	CHECK(strstr(out.data, "xmlns:xlink=\"http://www.w3.org/1999/xlink\"")
	    != NULL);
	CHECK(strstr(out.data, "<use xlink:href=\"#r\"/>") != NULL);
	CHECK(strstr(out.data, "<a href=\"#r\">") != NULL);
	CHECK(strstr(out.data, "fill=\"url(#grad)\"") != NULL);
	CHECK(strstr(out.data, "fill: url(#grad); stroke: none") != NULL);
	CHECK(strstr(out.data, "style=\"fill: none\"") != NULL);
	CHECK(strstr(out.data, "filter=\"none\"") != NULL);
	CHECK(strstr(out.data, "data:image/png;base64,") != NULL);
	CHECK(strstr(out.data, "<animate attributeName=\"opacity\"") != NULL);
	CHECK(strstr(out.data, "<g><circle r=\"1\"/></g>") != NULL);
	CHECK(strstr(out.data, "caf\xc3\xa9 &amp; &lt;tea&gt;") != NULL);
	/*
	 * the style sheet, two scripts, onload, xml:base, @import, a
	 * stroke, a fill, a filter, a use, a link, two images, the set,
	 * onclick, the foreignObject, the iframe
	 */
	CHECK(removed == 17);
	/* the copy is itself clean, and the same again */
	{
		struct buf	 again = { NULL, 0, 0 };
		double		 w2, h2;
		int		 r2;

		CHECK(sanitize(out.data, &again, &w2, &h2, &r2, why,
		    sizeof(why)) == 0);
		CHECK(r2 == 0 && again.len == out.len &&
		    memcmp(again.data, out.data, out.len) == 0);
		buf_free(&again);
	}

	/* refused: entities (declared, external, or the billion laughs) */
	CHECK(sanitize("<!DOCTYPE svg [<!ENTITY a \"b\">]><svg " NS ">&a;"
	    "</svg>", &out, &wpt, &hpt, &removed, why, sizeof(why)) == -1);
	CHECK_STR(why, "declares XML entities, which a book's images may not");
	CHECK(sanitize("<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">"
	    "]><svg " NS "><text>&x;</text></svg>", &out, &wpt, &hpt,
	    &removed, why, sizeof(why)) == -1);
	CHECK(sanitize("<!DOCTYPE svg [<!ENTITY % p SYSTEM "
	    "\"http://example.com/p.dtd\"> %p;]><svg " NS "/>", &out, &wpt,
	    &hpt, &removed, why, sizeof(why)) == -1);
	CHECK(sanitize("<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\">"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
	    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
	    "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
	    "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
	    "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
	    "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>"
	    "<svg " NS " width=\"&g;\"><text>&g;</text></svg>", &out, &wpt,
	    &hpt, &removed, why, sizeof(why)) == -1);
	CHECK(sanitize("<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
	    "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">"
	    "<svg " NS "><text>&nbsp;</text></svg>", &out, &wpt, &hpt,
	    &removed, why, sizeof(why)) == -1);

	/* refused: not well-formed, not SVG, too large */
	CHECK(sanitize("<svg " NS "><g></svg>", &out, &wpt, &hpt, &removed,
	    why, sizeof(why)) == -1);
	CHECK(strncmp(why, "is damaged: ", 12) == 0);
	CHECK(strstr(why, "line 1") != NULL);
	CHECK(sanitize("<html xmlns=\"http://www.w3.org/1999/xhtml\"/>", &out,
	    &wpt, &hpt, &removed, why, sizeof(why)) == -1);
	CHECK_STR(why, "is not an SVG file");
	CHECK(sanitize("<svg xmlns=\"http://example.com/\"/>", &out, &wpt,
	    &hpt, &removed, why, sizeof(why)) == -1);
	CHECK_STR(why, "is not an SVG file");
	CHECK(sanitize("", &out, &wpt, &hpt, &removed, why, sizeof(why)) ==
	    -1);
	{
		size_t	 n = SVG_MAX_BYTES + 1;
		char	*big = malloc(n + 1);

		memset(big, ' ', n);
		memcpy(big, "<svg " NS ">", strlen("<svg " NS ">"));
		memcpy(big + n - 6, "</svg>", 6);
		big[n] = '\0';
		CHECK(sanitize(big, &out, &wpt, &hpt, &removed, why,
		    sizeof(why)) == -1);
		CHECK_STR(why, "is larger than 8 MB, the limit for an SVG "
		    "file");
		free(big);
	}

	/* data: images: checked, and all of a file's within one's limit */
	{
		struct buf	 doc = { NULL, 0, 0 };

		buf_puts(&doc, "<svg " NS ">");
		data_png(&doc, 6000, 6000);
		data_png(&doc, 6000, 6000);
		data_png(&doc, 9000, 9000);
		buf_puts(&doc, "</svg>");
		CHECK(sanitize(doc.data, &out, &wpt, &hpt, &removed, why,
		    sizeof(why)) == 0);
		CHECK(removed == 2);
		CHECK(strstr(out.data, "data:image/png") != NULL);
		CHECK(strstr(strstr(out.data, "data:image/png") + 1,
		    "data:image/png") == NULL);
		buf_free(&doc);
	}

	/* an SVG written without its namespace gets it */
	CHECK(sanitize("<svg width=\"10\" height=\"10\"><rect width=\"1\" "
	    "height=\"1\"/></svg>", &out, &wpt, &hpt, &removed, why,
	    sizeof(why)) == 0);
	CHECK(strstr(out.data, "<svg xmlns=\"http://www.w3.org/2000/svg\"") !=
	    NULL);
	CHECK(removed == 0);

	/* CSS escapes could hide a url(): the style goes whole */
	CHECK(sanitize("<svg " NS "><rect style=\"fill: \\75 rl(http://e.com/)"
	    "\"/></svg>", &out, &wpt, &hpt, &removed, why, sizeof(why)) == 0);
	CHECK(strstr(out.data, "style") == NULL && removed == 1);

	/* natural sizes */
	CHECK(size_of("<svg " NS " width=\"250pt\" viewBox=\"0 0 363 342\"/>",
	    &wpt, &hpt) == 0);
	CHECK(near(wpt, 250) && near(hpt, 250.0 * 342 / 363));
	CHECK(size_of("<svg " NS " height=\"100pt\" "
	    "viewBox=\"0.00 0.00 1113.00 421.00\"/>", &wpt, &hpt) == 0);
	CHECK(near(hpt, 100) && near(wpt, 100.0 * 1113 / 421));
	CHECK(size_of("<svg " NS " viewBox=\"0,0,1000,700\"/>", &wpt,
	    &hpt) == 0);
	CHECK(near(wpt, 750) && near(hpt, 525));
	CHECK(size_of("<svg " NS " width=\"100%\" height=\"50%\" "
	    "viewBox=\"0 0 40 20\"/>", &wpt, &hpt) == 0);
	CHECK(near(wpt, 30) && near(hpt, 15));
	CHECK(size_of("<svg " NS "/>", &wpt, &hpt) == 0);
	CHECK(near(wpt, 225) && near(hpt, 112.5));
	CHECK(size_of("<svg " NS " width=\"2.54cm\" height=\"25.4mm\"/>",
	    &wpt, &hpt) == 0);
	CHECK(near(wpt, 72) && near(hpt, 72));
	CHECK(size_of("<svg " NS " width=\"1e1\" height=\" 12 \"/>", &wpt,
	    &hpt) == 0);
	CHECK(near(wpt, 7.5) && near(hpt, 9));
	CHECK(size_of("<svg " NS " width=\"-5\" height=\"0\" "
	    "viewBox=\"0 0 -1 4\"/>", &wpt, &hpt) == 0);
	CHECK(near(wpt, 225) && near(hpt, 112.5));

	/* through image_check */
	CHECK(image_check((const unsigned char *)hostile, strlen(hostile),
	    &ii, why, sizeof(why)) == 0);
	CHECK(ii.kind == IMAGE_KIND_SVG && ii.width == 192 &&
	    ii.height == 96 && near(ii.width_pt, 144));

	/* pixels: red over half-transparent blue, not premultiplied */
	{
		static const char pic[] = "<svg " NS " width=\"10\" "
		    "height=\"10\"><rect width=\"10\" height=\"5\" "
		    "fill=\"#ff0000\"/><rect y=\"5\" width=\"10\" height=\"5\" "
		    "fill=\"#0000ff\" fill-opacity=\"0.5\"/></svg>";
		const unsigned char *p;

		CHECK(svg_render((const unsigned char *)pic, strlen(pic), 96,
		    &px, &w, &h, why, sizeof(why)) == 0);
		CHECK(w == 10 && h == 10);
		p = px;
		CHECK(p[0] == 255 && p[1] == 0 && p[2] == 0 && p[3] == 255);
		p = px + (9 * 10 + 9) * 4;
		CHECK(p[0] == 0 && p[1] == 0 && p[2] >= 254 && p[3] >= 126 &&
		    p[3] <= 129);
		free(px);
		CHECK(svg_render((const unsigned char *)pic, strlen(pic), 192,
		    &px, &w, &h, why, sizeof(why)) == 0);
		CHECK(w == 20 && h == 20);
		free(px);
	}
	/* a viewBox only, and nothing at all: scaled to the picture */
	{
		static const char vb[] = "<svg " NS " viewBox=\"0 0 2 1\">"
		    "<rect width=\"2\" height=\"1\" fill=\"#00ff00\"/></svg>";

		CHECK(svg_render((const unsigned char *)vb, strlen(vb), 96,
		    &px, &w, &h, why, sizeof(why)) == 0);
		CHECK(w == 2 && h == 1);
		CHECK(px[4] == 0 && px[5] == 255 && px[7] == 255);
		free(px);
		CHECK(svg_render((const unsigned char *)"<svg " NS "/>",
		    strlen("<svg " NS "/>"), 96, &px, &w, &h, why,
		    sizeof(why)) == 0);
		CHECK(w == 300 && h == 150 && px[3] == 0);
		free(px);
	}
	/* a huge declared size: the resolution drops under the limit */
	{
		static const char huge[] = "<svg " NS " width=\"100000\" "
		    "height=\"100\"/>";

		CHECK(svg_render((const unsigned char *)huge, strlen(huge),
		    300, &px, &w, &h, why, sizeof(why)) == 0);
		CHECK(w <= IMAGE_MAX_SIDE && w >= IMAGE_MAX_SIDE - 1 &&
		    h >= 29 && h <= 31);
		free(px);
	}
	CHECK(svg_render((const unsigned char *)"<svg", 4, 300, &px, &w, &h,
	    why, sizeof(why)) == -1 && px == NULL);

	buf_free(&out);
	return UNIT_DONE();
}
