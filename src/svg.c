/*
 * SVG figures.  The e-book carries the file itself, where a reading
 * system may run its scripts and fetch what it points to; the PDF
 * carries its pixels.  svg_sanitize parses the file with libxml2 (no
 * network, no DTD, no entity substitution) and writes a copy that keeps
 * only what draws: no scripts, event handlers, foreign objects or frames,
 * no reference out of the file (links, images, style sheets), no DOCTYPE.
 * svg_render draws that copy with librsvg at a resolution whose pixel
 * count stays under the image limit.
 */
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cairo.h>
#include <librsvg/rsvg.h>
#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "buf.h"
#include "image.h"
#include "svg.h"

#define SVG_NS		"http://www.w3.org/2000/svg"
#define XLINK_NS	"http://www.w3.org/1999/xlink"

/* No network, no DTD loaded, entities left as they are; quiet. */
#define XML_OPTIONS	(XML_PARSE_NONET | XML_PARSE_NOCDATA | \
			    XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* Sizes outside this range, in pixels, are brought into it. */
#define MIN_PX		1.0
#define MAX_PX		1e6

/* Elements that run code or hold another document: never kept. */
static const char *const unsafe[] = {
	"script", "foreignObject", "iframe", "handler", "listener",
	"embed", "object", "audio", "video", "frame", "frameset",
};

static const char *const animations[] = {
	"animate", "set", "animateMotion", "animateTransform",
	"animateColor",
};

/* Elements that draw only what they point to. */
static const char *const needs_href[] = {
	"image", "use", "feImage", "tref",
};

static const char *const link_attrs[] = {
	"target", "download", "ping", "rel", "hreflang", "type",
	"referrerpolicy",
};

/* What sanitising carries from node to node. */
struct san {
	struct buf		 tmp;		/* style text being cleaned */
	int			 removed;	/* what was left out */
	unsigned long long	 pixels;	/* of the data: images so far */
};

/* CSS that loads from strings, or may hide a url() in escapes. */
static const char *const css_unsafe[] = {
	"\\", "@import", "image(", "image-set(", "src(",
};

static int
in_list(const char *s, const char *const *list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcasecmp(s, list[i]) == 0)
			return 1;
	return 0;
}

/* Case-insensitive strstr. */
static const char *
find(const char *s, const char *needle)
{
	size_t	 n = strlen(needle);

	for (; *s != '\0'; s++)
		if (strncasecmp(s, needle, n) == 0)
			return s;
	return NULL;
}

static xmlDocPtr
parse(const unsigned char *d, size_t len, char *why, size_t sz)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr	 doc;
	xmlErrorPtr	 err;
	const char	*msg;
	size_t		 n;

	if (len > SVG_MAX_BYTES) {
		snprintf(why, sz, "is larger than %u MB, the limit for an SVG "
		    "file", SVG_MAX_BYTES / 1024 / 1024);
		return NULL;
	}
	if ((ctxt = xmlNewParserCtxt()) == NULL) {
		snprintf(why, sz, "cannot be read");
		return NULL;
	}
	doc = xmlCtxtReadMemory(ctxt, (const char *)d, (int)len, NULL, NULL,
	    XML_OPTIONS);
	if (doc == NULL || !ctxt->wellFormed) {
		err = xmlCtxtGetLastError(ctxt);
		msg = err != NULL && err->message != NULL ? err->message :
		    "not well-formed XML";
		n = strlen(msg);
		while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
			n--;
		if (strstr(msg, " line ") != NULL || err == NULL)
			snprintf(why, sz, "is damaged: %.*s", (int)n, msg);
		else
			snprintf(why, sz, "is damaged: %.*s (line %d)", (int)n,
			    msg, err->line);
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* ------------------------------------------------------------ sizes */

/* A number as SVG writes it, whatever the locale; NULL if none. */
static const char *
number(const char *s, double *v)
{
	double	 x = 0, f = 1, sign = 1;
	int	 digits = 0, e = 0, esign = 1;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	for (; *s >= '0' && *s <= '9'; s++, digits++)
		x = x * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, digits++)
			x += (*s - '0') * (f /= 10);
	if (digits == 0)
		return NULL;
	if ((*s == 'e' || *s == 'E') && ((s[1] >= '0' && s[1] <= '9') ||
	    ((s[1] == '-' || s[1] == '+') && s[2] >= '0' && s[2] <= '9'))) {
		s++;
		if (*s == '+' || *s == '-')
			esign = *s++ == '-' ? -1 : 1;
		for (; *s >= '0' && *s <= '9'; s++)
			if (e < 1000)
				e = e * 10 + (*s - '0');
	}
	*v = sign * x * pow(10, esign * e);
	return s;
}

/* A length attribute in pixels; -1 if absent, relative or not positive. */
static double
length(xmlNodePtr root, const char *name)
{
	static const struct {
		const char	*unit;
		double		 px;
	} units[] = {
		{ "", 1 }, { "px", 1 }, { "pt", 96.0 / 72 }, { "pc", 16 },
		{ "in", 96 }, { "cm", 96 / 2.54 }, { "mm", 96 / 25.4 },
		{ "q", 96 / 101.6 }, { "em", 16 }, { "ex", 8 },
	};
	xmlChar		*a = xmlGetNoNsProp(root, (const xmlChar *)name);
	const char	*s = (const char *)a, *e;
	double		 v, px = -1;
	size_t		 i, n;

	if (s == NULL)
		return -1;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if ((e = number(s, &v)) != NULL && v > 0 && isfinite(v)) {
		for (n = strlen(e); n > 0 && (e[n - 1] == ' ' ||
		    e[n - 1] == '\t' || e[n - 1] == '\n' || e[n - 1] == '\r');)
			n--;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (strlen(units[i].unit) == n &&
			    strncasecmp(e, units[i].unit, n) == 0)
				px = v * units[i].px;
	}
	xmlFree(a);
	return px;
}

/* The viewBox's width and height; 0 if it has none that is usable. */
static int
viewbox(xmlNodePtr root, double *w, double *h)
{
	xmlChar		*a = xmlGetNoNsProp(root, (const xmlChar *)"viewBox");
	const char	*s = (const char *)a;
	double		 v[4];
	int		 i, ok = 0;

	for (i = 0; s != NULL && i < 4; i++) {
		while (*s == ' ' || *s == ',' || *s == '\t' || *s == '\n' ||
		    *s == '\r')
			s++;
		if ((s = number(s, &v[i])) == NULL || !isfinite(v[i]))
			break;
	}
	if (i == 4 && v[2] > 0 && v[3] > 0) {
		*w = v[2];
		*h = v[3];
		ok = 1;
	}
	xmlFree(a);
	return ok;
}

static double
clamp(double v)
{
	return v < MIN_PX ? MIN_PX : v > MAX_PX ? MAX_PX : v;
}

/*
 * The picture's size in CSS pixels: width and height, one of them and
 * the viewBox's proportions, the viewBox, or 300×150 as browsers do.
 */
static void
natural(xmlNodePtr root, double *wpx, double *hpx)
{
	double	 w = length(root, "width"), h = length(root, "height");
	double	 vw, vh;
	int	 vb = viewbox(root, &vw, &vh);

	if (w > 0 && h > 0)
		;
	else if (w > 0 && vb)
		h = w * vh / vw;
	else if (h > 0 && vb)
		w = h * vw / vh;
	else if (vb) {
		w = vw;
		h = vh;
	} else {
		w = w > 0 ? w : 300;
		h = h > 0 ? h : 150;
	}
	*wpx = clamp(w);
	*hpx = clamp(h);
}

/* The root element, an svg in the SVG namespace (or none); or NULL. */
static xmlNodePtr
svg_root(xmlDocPtr doc, char *why, size_t sz)
{
	xmlNodePtr	 root = xmlDocGetRootElement(doc);

	if (root == NULL || strcmp((const char *)root->name, "svg") != 0 ||
	    (root->ns != NULL && !xmlStrEqual(root->ns->href,
	    (const xmlChar *)SVG_NS))) {
		snprintf(why, sz, "is not an SVG file");
		return NULL;
	}
	return root;
}

/* --------------------------------------------------------- sanitising */

static int
b64(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Base64 with blanks between; -1 on anything else. */
static int
unbase64(const char *s, size_t n, struct buf *out)
{
	unsigned long	 acc = 0;
	size_t		 i;
	int		 bits = 0, v, pad = 0;
	char		 c;

	for (i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			continue;
		if (s[i] == '=') {
			pad = 1;
			continue;
		}
		if (pad || (v = b64((unsigned char)s[i])) < 0)
			return -1;
		acc = (acc << 6 | (unsigned long)v) & 0xFFFFFF;
		if ((bits += 6) >= 8) {
			bits -= 8;
			c = (char)(acc >> bits & 0xFF);
			buf_put(out, &c, 1);
		}
	}
	return 0;
}

/*
 * A data: URI of a PNG or JPEG that decodes within the image limits.
 * librsvg would decode it whole, so it is checked as a file would be,
 * and all of a file's together stay within the pixel limit of one.
 */
static int
data_image(struct san *sn, const char *s, size_t n)
{
	struct buf		 b = { NULL, 0, 0 };
	struct image_info	 ii;
	const char		*comma;
	char			 why[160];
	enum image_kind		 kind;
	int			 ok = 0;

	if (n < 5 || strncasecmp(s, "data:", 5) != 0 ||
	    (comma = memchr(s, ',', n)) == NULL)
		return 0;
	if (!((comma - s == 21 && strncasecmp(s + 5, "image/png;base64",
	    16) == 0) || (comma - s == 22 && strncasecmp(s + 5,
	    "image/jpeg;base64", 17) == 0)))
		return 0;
	if (unbase64(comma + 1, n - (size_t)(comma + 1 - s), &b) == 0) {
		kind = image_sniff((const unsigned char *)b.data, b.len);
		ok = (kind == IMAGE_KIND_PNG || kind == IMAGE_KIND_JPEG) &&
		    image_check((const unsigned char *)b.data, b.len, &ii, why,
		    sizeof(why)) == 0 && sn->pixels +
		    (unsigned long long)ii.width * ii.height <=
		    IMAGE_MAX_PIXELS;
		if (ok)
			sn->pixels += (unsigned long long)ii.width * ii.height;
	}
	buf_free(&b);
	return ok;
}

/* A reference that stays in the file: "#id", or a checked data: image. */
static int
local_ref(struct san *sn, const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
		s++;
		n--;
	}
	return (n > 0 && *s == '#') || data_image(sn, s, n);
}

/*
 * Style text (an attribute or a style element): each url() that leaves
 * the file becomes "none".  0 if unchanged, 1 if sn->tmp holds the new
 * text, -1 if the whole text must go.
 */
static int
css_clean(struct san *sn, const char *in)
{
	struct buf	*out = &sn->tmp;
	size_t	 i, j, start, end;
	int	 changed = 0;
	char	 q;

	for (i = 0; i < sizeof(css_unsafe) / sizeof(css_unsafe[0]); i++)
		if (find(in, css_unsafe[i]) != NULL)
			return -1;
	buf_reset(out);
	for (i = 0; in[i] != '\0';) {
		if (strncasecmp(in + i, "url(", 4) != 0) {
			buf_putc(out, in[i++]);
			continue;
		}
		for (j = i + 4; in[j] == ' ' || in[j] == '\t' ||
		    in[j] == '\n' || in[j] == '\r'; j++)
			continue;
		if (in[j] == '"' || in[j] == '\'') {
			q = in[j];
			for (start = ++j; in[j] != '\0' && in[j] != q; j++)
				continue;
			if (in[j] == '\0')
				return -1;
			end = j++;
			while (in[j] == ' ' || in[j] == '\t' || in[j] == '\n' ||
			    in[j] == '\r')
				j++;
		} else {
			for (start = j; in[j] != '\0' && in[j] != ')'; j++)
				continue;
			for (end = j; end > start && (in[end - 1] == ' ' ||
			    in[end - 1] == '\t' || in[end - 1] == '\n' ||
			    in[end - 1] == '\r'); end--)
				continue;
		}
		if (in[j] != ')')
			return -1;
		j++;
		if (local_ref(sn, in + start, end - start))
			buf_put(out, in + i, j - i);
		else {
			buf_puts(out, "none");
			changed = 1;
			sn->removed++;
		}
		i = j;
	}
	return changed;
}

static xmlChar *
attr_value(xmlAttrPtr a)
{
	xmlChar	*v = xmlNodeGetContent((xmlNodePtr)a);

	return v != NULL ? v : xmlStrdup((const xmlChar *)"");
}

/* Attributes that run code or load from elsewhere; -1 on an entity. */
static int
clean_attrs(struct san *sn, xmlNodePtr n)
{
	xmlAttrPtr	 a, next;
	xmlNodePtr	 c;
	xmlChar		*v;
	const char	*name;
	int		 drop, r;

	for (a = n->properties; a != NULL; a = next) {
		next = a->next;
		for (c = a->children; c != NULL; c = c->next)
			if (c->type != XML_TEXT_NODE)
				return -1;
		name = (const char *)a->name;
		v = attr_value(a);
		drop = 0;
		if (strncasecmp(name, "on", 2) == 0)
			drop = 1;
		else if (a->ns != NULL && xmlStrEqual(a->ns->href,
		    XML_XML_NAMESPACE) && strcmp(name, "base") == 0)
			drop = 1;	/* would move where "#id" points */
		else if (strcasecmp(name, "href") == 0 ||
		    strcasecmp(name, "src") == 0)
			drop = !local_ref(sn, (const char *)v,
			    strlen((char *)v));
		else if (strcasecmp(name, "style") == 0 ||
		    find((const char *)v, "url(") != NULL) {
			if ((r = css_clean(sn, (const char *)v)) == -1)
				drop = 1;
			else if (r == 1)
				xmlSetNsProp(n, a->ns, a->name,
				    (const xmlChar *)sn->tmp.data);
		}
		xmlFree(v);
		if (drop) {
			xmlRemoveProp(a);
			sn->removed++;
		}
	}
	return 0;
}

/* An animation that would set a link, a handler or a style. */
static int
unsafe_animation(xmlNodePtr n)
{
	xmlChar		*a;
	const char	*s, *colon;
	int		 bad;

	if (!in_list((const char *)n->name, animations,
	    sizeof(animations) / sizeof(animations[0])))
		return 0;
	if ((a = xmlGetNoNsProp(n, (const xmlChar *)"attributeName")) == NULL)
		return 0;
	s = (const char *)a;
	if ((colon = strchr(s, ':')) != NULL)
		s = colon + 1;
	bad = strncasecmp(s, "on", 2) == 0 || strcasecmp(s, "href") == 0 ||
	    strcasecmp(s, "src") == 0 || strcasecmp(s, "style") == 0;
	xmlFree(a);
	return bad;
}

/* A style element's text, cleaned; 1 if the element must go. */
static int
clean_style(struct san *sn, xmlNodePtr n)
{
	xmlChar		*v = xmlNodeGetContent(n);
	int		 r;

	r = css_clean(sn, v != NULL ? (const char *)v : "");
	xmlFree(v);
	if (r == 1) {
		xmlNodeSetContent(n, NULL);
		xmlAddChild(n, xmlNewText((const xmlChar *)sn->tmp.data));
	}
	return r == -1;
}

static int
has_href(xmlNodePtr n)
{
	xmlAttrPtr	 a;

	for (a = n->properties; a != NULL; a = a->next)
		if (strcasecmp((const char *)a->name, "href") == 0)
			return 1;
	return 0;
}

/*
 * A link whose target was outside becomes a group, which draws the
 * same; what only a link may carry goes with it.
 */
static void
unlink_anchor(xmlNodePtr n)
{
	xmlAttrPtr	 a, next;

	for (a = n->properties; a != NULL; a = next) {
		next = a->next;
		if ((a->ns != NULL && xmlStrEqual(a->ns->href,
		    (const xmlChar *)XLINK_NS)) || in_list((const char *)a->name,
		    link_attrs, sizeof(link_attrs) / sizeof(link_attrs[0])))
			xmlRemoveProp(a);
	}
	xmlNodeSetName(n, (const xmlChar *)"g");
}

/* The node after n and everything below it, in document order. */
static xmlNodePtr
after(xmlNodePtr n)
{
	while (n != NULL && n->next == NULL)
		n = n->parent;
	return n != NULL ? n->next : NULL;
}

/* The node after n in document order, not leaving top. */
static xmlNodePtr
next_below(xmlNodePtr n, xmlNodePtr top)
{
	if (n->children != NULL && n->type == XML_ELEMENT_NODE)
		return n->children;
	while (n != top && n->next == NULL)
		n = n->parent;
	return n == top ? NULL : n->next;
}

static void
drop(xmlNodePtr n)
{
	xmlUnlinkNode(n);
	xmlFreeNode(n);
}

/* Every node of the document; -1 on an entity reference. */
static int
clean(struct san *sn, xmlDocPtr doc)
{
	xmlNodePtr	 n, next;
	int		 rc = 0;

	for (n = doc->children; n != NULL && rc == 0; n = next) {
		switch (n->type) {
		case XML_ELEMENT_NODE:
			if (in_list((const char *)n->name, unsafe,
			    sizeof(unsafe) / sizeof(unsafe[0])) ||
			    unsafe_animation(n) ||
			    (strcmp((const char *)n->name, "style") == 0 &&
			    clean_style(sn, n))) {
				next = after(n);
				drop(n);
				sn->removed++;
				continue;
			}
			if ((rc = clean_attrs(sn, n)) == -1) {
				next = NULL;
				break;
			}
			if (!has_href(n) && in_list((const char *)n->name,
			    needs_href, sizeof(needs_href) /
			    sizeof(needs_href[0]))) {
				/* its reference was outside: nothing to draw */
				next = after(n);
				drop(n);
				continue;
			}
			if (!has_href(n) && strcmp((const char *)n->name,
			    "a") == 0)
				unlink_anchor(n);
			next = n->children != NULL ? n->children : after(n);
			break;
		case XML_DTD_NODE:
			next = after(n);
			drop(n);
			break;
		case XML_PI_NODE:
			/* <?xml-stylesheet?> loads a style sheet */
			next = after(n);
			if (strcmp((const char *)n->name, "xml-stylesheet") == 0)
				sn->removed++;
			drop(n);
			break;
		case XML_ENTITY_REF_NODE:
		case XML_ENTITY_NODE:
		case XML_XINCLUDE_START:
		case XML_XINCLUDE_END:
			next = NULL;
			rc = -1;
			break;
		default:
			next = after(n);
			break;
		}
	}
	return rc;
}

/* An svg written without its namespace is put in it, as browsers read it. */
static void
set_namespace(xmlNodePtr root)
{
	xmlNsPtr	 ns;
	xmlNodePtr	 n;

	if (root->ns != NULL ||
	    (ns = xmlNewNs(root, (const xmlChar *)SVG_NS, NULL)) == NULL)
		return;
	for (n = root; n != NULL; n = next_below(n, root))
		if (n->type == XML_ELEMENT_NODE && n->ns == NULL)
			xmlSetNs(n, ns);
}

static int
declares_entities(xmlDocPtr doc)
{
	xmlDtdPtr	 dtd = doc->intSubset;

	return dtd != NULL && ((dtd->entities != NULL &&
	    xmlHashSize((xmlHashTablePtr)dtd->entities) > 0) ||
	    (dtd->pentities != NULL &&
	    xmlHashSize((xmlHashTablePtr)dtd->pentities) > 0));
}

/*
 * Parse an SVG file and write the copy the e-book carries into out,
 * with its natural size in points; *removed counts what was taken out.
 * 0, or -1 with why.
 */
int
svg_sanitize(const unsigned char *d, size_t len, struct buf *out,
    double *wpt, double *hpt, int *removed, char *why, size_t sz)
{
	struct san	 sn;
	xmlDocPtr	 doc;
	xmlNodePtr	 root;
	xmlChar		*mem = NULL;
	double		 w, h;
	int		 size = 0, rc = -1;

	*removed = 0;
	memset(&sn, 0, sizeof(sn));
	if ((doc = parse(d, len, why, sz)) == NULL)
		return -1;
	if (declares_entities(doc)) {
		snprintf(why, sz, "declares XML entities, which a book's "
		    "images may not");
		goto out;
	}
	if ((root = svg_root(doc, why, sz)) == NULL)
		goto out;
	natural(root, &w, &h);
	if (clean(&sn, doc) == -1) {
		snprintf(why, sz, "uses XML entities, which a book's images "
		    "may not");
		goto out;
	}
	set_namespace(root);
	xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 0);
	if (mem == NULL || size <= 0) {
		snprintf(why, sz, "cannot be written again");
		goto out;
	}
	buf_reset(out);
	buf_put(out, (const char *)mem, (size_t)size);
	*wpt = w * 0.75;
	*hpt = h * 0.75;
	*removed = sn.removed;
	rc = 0;
out:
	buf_free(&sn.tmp);
	xmlFree(mem);
	xmlFreeDoc(doc);
	return rc;
}

/* ---------------------------------------------------------- rendering */

/*
 * librsvg, with cairo and GLib, is loaded the first time an SVG is drawn:
 * it brings some thirty libraries, whose loading and linking took 4 ms of
 * every run, as long as setting a short article's pages.
 */
static struct {
	void	*lib;
	__typeof__(&g_memory_input_stream_new_from_data) stream_new;
	__typeof__(&rsvg_handle_new_from_stream_sync) handle_new;
	__typeof__(&rsvg_handle_render_document) render;
	__typeof__(&g_object_unref) unref;
	__typeof__(&g_clear_error) clear_error;
	__typeof__(&cairo_image_surface_create_for_data) surface_new;
	__typeof__(&cairo_surface_status) surface_status;
	__typeof__(&cairo_surface_finish) surface_finish;
	__typeof__(&cairo_surface_destroy) surface_destroy;
	__typeof__(&cairo_create) create;
	__typeof__(&cairo_destroy) destroy;
} rs;
static pthread_once_t	 rs_once = PTHREAD_ONCE_INIT;

static int
rs_sym(void *fn, const char *name)
{
	/* (a function pointer is stored as one: POSIX's dlsym) */
	*(void **)fn = dlsym(rs.lib, name);
	return *(void **)fn != NULL;
}

static void
rs_load(void)
{
	if ((rs.lib = dlopen("librsvg-2.so.2", RTLD_NOW | RTLD_LOCAL)) == NULL)
		return;
	if (!rs_sym(&rs.stream_new, "g_memory_input_stream_new_from_data") ||
	    !rs_sym(&rs.handle_new, "rsvg_handle_new_from_stream_sync") ||
	    !rs_sym(&rs.render, "rsvg_handle_render_document") ||
	    !rs_sym(&rs.unref, "g_object_unref") ||
	    !rs_sym(&rs.clear_error, "g_clear_error") ||
	    !rs_sym(&rs.surface_new, "cairo_image_surface_create_for_data") ||
	    !rs_sym(&rs.surface_status, "cairo_surface_status") ||
	    !rs_sym(&rs.surface_finish, "cairo_surface_finish") ||
	    !rs_sym(&rs.surface_destroy, "cairo_surface_destroy") ||
	    !rs_sym(&rs.create, "cairo_create") ||
	    !rs_sym(&rs.destroy, "cairo_destroy")) {
		dlclose(rs.lib);
		rs.lib = NULL;
	}
}

/* cairo's pixels are premultiplied, native-endian ARGB words. */
static void
unpremultiply(unsigned char *px, size_t n)
{
	uint32_t	 p;
	unsigned	 a, r, g, b;
	size_t		 i;

	for (i = 0; i < n; i++, px += 4) {
		memcpy(&p, px, 4);
		a = p >> 24;
		r = p >> 16 & 0xFF;
		g = p >> 8 & 0xFF;
		b = p & 0xFF;
		if (a != 0 && a != 255) {
			r = (r * 255 + a / 2) / a;
			g = (g * 255 + a / 2) / a;
			b = (b * 255 + a / 2) / a;
		}
		px[0] = (unsigned char)(r > 255 ? 255 : r);
		px[1] = (unsigned char)(g > 255 ? 255 : g);
		px[2] = (unsigned char)(b > 255 ? 255 : b);
		px[3] = (unsigned char)a;
	}
}

/*
 * Draw an SVG (the sanitised copy) at dpi into 8-bit RGBA, not
 * premultiplied; the resolution drops as needed to keep within
 * IMAGE_MAX_PIXELS and IMAGE_MAX_SIDE.  The caller frees *rgba.
 */
int
svg_render(const unsigned char *d, size_t len, double dpi,
    unsigned char **rgba, unsigned *wp, unsigned *hp, char *why, size_t sz)
{
	xmlDocPtr	 doc;
	xmlNodePtr	 root;
	GInputStream	*in;
	GError		*err = NULL;
	RsvgHandle	*hd;
	RsvgRectangle	 vp;
	cairo_surface_t	*s;
	cairo_t		*cr;
	unsigned char	*px;
	double		 w, h, f;
	unsigned	 W, H;
	gboolean	 ok;

	*rgba = NULL;
	if ((doc = parse(d, len, why, sz)) == NULL)
		return -1;
	if ((root = svg_root(doc, why, sz)) == NULL) {
		xmlFreeDoc(doc);
		return -1;
	}
	natural(root, &w, &h);
	xmlFreeDoc(doc);
	if (!(dpi >= 1 && dpi <= 9600))
		dpi = 96;
	w *= dpi / 96;
	h *= dpi / 96;
	if (w * h > IMAGE_MAX_PIXELS) {
		f = sqrt(IMAGE_MAX_PIXELS / (w * h));
		w *= f;
		h *= f;
	}
	if (w > IMAGE_MAX_SIDE) {
		h *= IMAGE_MAX_SIDE / w;
		w = IMAGE_MAX_SIDE;
	}
	if (h > IMAGE_MAX_SIDE) {
		w *= IMAGE_MAX_SIDE / h;
		h = IMAGE_MAX_SIDE;
	}
	W = w < 1 ? 1 : (unsigned)w;
	H = h < 1 ? 1 : (unsigned)h;

	pthread_once(&rs_once, rs_load);
	if (rs.lib == NULL) {
		snprintf(why, sz, "cannot be drawn: librsvg cannot be loaded");
		return -1;
	}
	/* no base file: librsvg loads nothing from outside */
	in = rs.stream_new(d, (gssize)len, NULL);
	hd = rs.handle_new(in, NULL, RSVG_HANDLE_FLAGS_NONE, NULL, &err);
	rs.unref(in);
	if (hd == NULL) {
		snprintf(why, sz, "cannot be drawn: %s", err != NULL ?
		    err->message : "librsvg failed");
		rs.clear_error(&err);
		return -1;
	}
	px = xcalloc((size_t)W * H, 4);
	s = rs.surface_new(px, CAIRO_FORMAT_ARGB32, (int)W, (int)H,
	    (int)W * 4);
	cr = rs.create(s);
	vp.x = vp.y = 0;
	vp.width = W;
	vp.height = H;
	ok = rs.surface_status(s) == CAIRO_STATUS_SUCCESS &&
	    rs.render(hd, cr, &vp, &err);
	rs.destroy(cr);
	rs.surface_finish(s);
	rs.surface_destroy(s);
	rs.unref(hd);
	if (!ok) {
		snprintf(why, sz, "cannot be drawn: %s", err != NULL ?
		    err->message : "cairo failed");
		rs.clear_error(&err);
		free(px);
		return -1;
	}
	unpremultiply(px, (size_t)W * H);
	*rgba = px;
	*wp = W;
	*hp = H;
	return 0;
}
