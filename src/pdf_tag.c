/*
 * The structure tree of a tagged PDF (PDF/UA-1): what the text is —
 * sections, headings, paragraphs, lists, quotes, code, figures, tables,
 * links, notes, the contents — in reading order, for screen readers and
 * reflow.  The blocks open and close elements as they are set; each
 * piece of a page's content is marked (BDC ... EMC) by pdf_content.c
 * with the element that is current when it is drawn, and what is drawn
 * but is not text (running heads, folios, rules, leader dots) is marked
 * an artifact.  Once every page is set, the elements become objects:
 * each is an empty libharu dictionary whose contents are written by its
 * write function, which keeps a book's thousands of elements cheap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf_doc.h>
#include <hpdf_objects.h>

#include "book.h"
#include "pdf_int.h"
#include "utf8.h"
#include "xml.h"

enum kidkind { KID_ELEM, KID_MCR, KID_OBJR };

/* An element's children, chained through one array. */
struct tagkid {
	int		 next;		/* the next child, or -1 */
	enum kidkind	 kind;
	int		 value;		/* the element, or the MCID */
	HPDF_Dict	 obj;		/* the page, or the annotation */
};

struct tagelem {
	const char		*type;	/* a standard structure type */
	int			 parent;
	int			 first, last;	/* children, or -1 */
	char			*alt;	/* a figure's description */
	char			*scope;	/* a header cell's: Row, Column */
	int			 live;	/* something of it is on a page */
	int			 depth;	/* in the tree: the Document's is 1 */
	HPDF_Dict		 obj;
	HPDF_Dict		 page;	/* where its content begins */
	const struct tags	*t;
};

struct tagannot {
	HPDF_Dict	 annot;
	int		 elem;
};

struct tagpage {
	HPDF_Dict	 page;
	int		*mcid;		/* the element of each MCID */
	size_t		 n;
};

struct tags {
	int			 cur;	/* receiving content, or TAG_ */
	int			 hlevel;	/* the last heading's */
	struct tagelem		*e;	/* e[0] is unused: 0 is "none" */
	size_t			 ne, cape;
	struct tagkid		*k;
	size_t			 nk, capk;
	struct tagannot		*a;
	size_t			 na, capa;
	struct tagpage		*pg;
	size_t			 npg;
	HPDF_Dict		 root;
	struct buf		 out;	/* an object being written */
};

#define TAG_MAX_DEPTH	64	/* elements from the Document down */

static const char *const heading_type[] = {
	"H1", "H2", "H3", "H4", "H5", "H6"
};

struct tags *
tags_new(void)
{
	struct tags	*t = xcalloc(1, sizeof(*t));

	t->cape = 64;
	t->e = xcalloc(t->cape, sizeof(*t->e));
	t->ne = 1;
	return t;
}

void
tags_free(struct tags *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ne; i++) {
		free(t->e[i].alt);
		free(t->e[i].scope);
	}
	for (i = 0; i < t->npg; i++)
		free(t->pg[i].mcid);
	free(t->e);
	free(t->k);
	free(t->a);
	free(t->pg);
	buf_free(&t->out);
	free(t);
}

int
tags_current(const struct tags *t)
{
	return t->cur;
}

const char *
tags_type(const struct tags *t, int elem)
{
	return t->e[elem].type;
}

static void
add_kid(struct tags *t, int elem, enum kidkind kind, int value, HPDF_Dict obj)
{
	struct tagkid	*k;
	int		 i;

	if (t->nk == t->capk) {
		t->capk = t->capk ? t->capk * 2 : 256;
		t->k = xreallocarray(t->k, t->capk, sizeof(*t->k));
	}
	i = (int)t->nk++;
	k = &t->k[i];
	k->next = -1;
	k->kind = kind;
	k->value = value;
	k->obj = obj;
	if (t->e[elem].last >= 0)
		t->k[t->e[elem].last].next = i;
	else
		t->e[elem].first = i;
	t->e[elem].last = i;
	if (kind == KID_MCR && t->e[elem].page == NULL)
		t->e[elem].page = obj;
	if (kind != KID_ELEM)
		t->e[elem].live = 1;
}

/* Content of a page marked as elem's, with this MCID (pdf_content.c). */
void
tags_mcr(struct tags *t, int elem, HPDF_Page page, int mcid)
{
	add_kid(t, elem, KID_MCR, mcid, page);
}

static int
is_heading(const char *type)
{
	size_t	 i;

	for (i = 0; i < sizeof(heading_type) / sizeof(heading_type[0]); i++)
		if (strcmp(type, heading_type[i]) == 0)
			return 1;
	return 0;
}

/* A new element, the last child of parent (0: the root's). */
int
tag_add(struct pdf *p, int parent, const char *type)
{
	struct tags	*t = p->tags;
	struct tagelem	*e;
	int		 i;

	if (t == NULL)
		return 0;
	/* only the Document is the root's; anything else goes in it */
	if (parent <= 0 && t->ne > 1)
		parent = 1;
	/*
	 * A TOCI holds no Link of its own (ISO 32000-1, Table 333): a
	 * contents entry's link is its Reference's.
	 */
	if (parent > 0 && strcmp(type, "Link") == 0 &&
	    strcmp(t->e[parent].type, "TOCI") == 0)
		parent = tag_add(p, parent, "Reference");
	/*
	 * A heading's text is its title alone, what a reader lists: a note
	 * it refers to follows it, a child of the heading's parent.
	 */
	if (parent > 0 && strcmp(type, "Note") == 0 &&
	    is_heading(t->e[parent].type))
		parent = t->e[parent].parent;
	if (t->ne == t->cape) {
		t->cape *= 2;
		t->e = xreallocarray(t->e, t->cape, sizeof(*t->e));
	}
	i = (int)t->ne++;
	e = &t->e[i];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->parent = parent;
	e->first = e->last = -1;
	e->t = t;
	e->depth = parent > 0 ? t->e[parent].depth + 1 : 1;
	if (parent > 0)
		add_kid(t, parent, KID_ELEM, i, NULL);
	return i;
}

/*
 * A new child of the current element, which becomes current.  Past a
 * depth no book needs (lists in lists in quotes...), nothing is opened
 * (0): what follows goes in the deepest element, and the tree stays
 * small whatever the nesting.
 */
int
tag_open(struct pdf *p, const char *type)
{
	int	 i, cur;

	if (p->tags == NULL)
		return 0;
	cur = p->tags->cur;
	if (cur > 0 && p->tags->e[cur].depth >= TAG_MAX_DEPTH)
		return 0;
	i = tag_add(p, cur > 0 ? cur : 0, type);
	p->tags->cur = i;
	return i;
}

/* A new child of the current element, to be entered later. */
int
tag_here(struct pdf *p, const char *type)
{
	if (p->tags == NULL || (p->tags->cur > 0 &&
	    p->tags->e[p->tags->cur].depth >= TAG_MAX_DEPTH))
		return 0;
	return tag_add(p, p->tags->cur > 0 ? p->tags->cur : 0, type);
}

/* Done with elem: its parent is current again. */
void
tag_close(struct pdf *p, int elem)
{
	if (p->tags != NULL && elem > 0)
		p->tags->cur = p->tags->e[elem].parent;
}

/* Make elem (or TAG_ARTIFACT, TAG_PAGINATION) current; the last one. */
int
tag_enter(struct pdf *p, int elem)
{
	int	 prev;

	if (p->tags == NULL)
		return 0;
	prev = p->tags->cur;
	p->tags->cur = elem;
	return prev;
}

/*
 * A heading of a level one below the last at most: a "###" straight
 * after a "#" is the second level of the tree, as a reader moves.
 */
int
tag_heading(struct pdf *p, int level)
{
	if (p->tags == NULL)
		return 0;
	if (level > p->tags->hlevel + 1)
		level = p->tags->hlevel + 1;
	if (level < 1)
		level = 1;
	if (level > 6)
		level = 6;
	p->tags->hlevel = level;
	return tag_open(p, heading_type[level - 1]);
}

/* The heading level the next chapter's title starts from. */
void
tag_heading_reset(struct pdf *p, int level)
{
	if (p->tags != NULL)
		p->tags->hlevel = level;
}

void
tag_alt(struct pdf *p, int elem, const char *alt)
{
	if (p->tags == NULL || elem <= 0)
		return;
	/*
	 * A picture described by nothing is decoration, as alt="" is in the
	 * e-book: what is drawn for it is an artifact (PDF/UA has no Figure
	 * without a description), and the element, left empty, is dropped.
	 */
	if (alt == NULL || *alt == '\0') {
		if (p->tags->cur == elem)
			p->tags->cur = TAG_ARTIFACT;
		return;
	}
	free(p->tags->e[elem].alt);
	p->tags->e[elem].alt = xstrdup(alt);
}

/* Kept in the tree though nothing of it is drawn: a table's empty cell. */
void
tag_keep(struct pdf *p, int elem)
{
	if (p->tags != NULL && elem > 0)
		p->tags->e[elem].live = 1;
}

void
tag_scope(struct pdf *p, int elem, const char *scope)
{
	if (p->tags == NULL || elem <= 0)
		return;
	free(p->tags->e[elem].scope);
	p->tags->e[elem].scope = xstrdup(scope);
}

/* A PDF text string's bytes: UTF-16BE behind a byte order mark. */
static void
utf16(struct buf *b, const char *s)
{
	size_t		 i, n = strlen(s), len;
	uint32_t	 c, u[2];
	int		 k, j;

	buf_put(b, "\xfe\xff", 2);
	for (i = 0; i < n; i += len) {
		if ((len = utf8_decode(s + i, n - i, &c)) == 0)
			break;
		k = 1;
		u[0] = c;
		if (c >= 0x10000) {
			u[0] = 0xD800 + ((c - 0x10000) >> 10);
			u[1] = 0xDC00 + ((c - 0x10000) & 0x3FF);
			k = 2;
		}
		for (j = 0; j < k; j++) {
			buf_putc(b, (char)(u[j] >> 8));
			buf_putc(b, (char)(u[j] & 0xFF));
		}
	}
}

/* The same, written out in hex. */
static void
text_string(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	struct buf		 u = { NULL, 0, 0 };
	size_t			 i;

	utf16(&u, s);
	buf_putc(b, '<');
	for (i = 0; i < u.len; i++) {
		buf_putc(b, hex[(unsigned char)u.data[i] >> 4]);
		buf_putc(b, hex[(unsigned char)u.data[i] & 15]);
	}
	buf_putc(b, '>');
	buf_free(&u);
}

static unsigned
obj_id(const void *o)
{
	return ((const HPDF_Obj_Header *)o)->obj_id & 0x00FFFFFF;
}

#define MAX_CONTENTS	2000	/* bytes of a link's description */

/* A link's annotation, a child of its Link element, with what it does. */
void
tag_annot(struct pdf *p, int elem, HPDF_Annotation a, const char *contents)
{
	struct tags	*t = p->tags;
	struct buf	 b = { NULL, 0, 0 };
	HPDF_Binary	 s;
	size_t		 n;
	char		*cut;

	if (t == NULL || elem <= 0 || a == NULL)
		return;
	if (t->na == t->capa) {
		t->capa = t->capa ? t->capa * 2 : 64;
		t->a = xreallocarray(t->a, t->capa, sizeof(*t->a));
	}
	t->a[t->na].annot = a;
	t->a[t->na++].elem = elem;
	add_kid(t, elem, KID_OBJR, 0, a);
	/* the description PDF/UA asks of every annotation, not too long */
	if (contents == NULL || *contents == '\0')
		contents = "link";
	for (n = strlen(contents); n > MAX_CONTENTS; n--)
		while (n > 0 && ((unsigned char)contents[n - 1] & 0xC0) == 0x80)
			n--;
	cut = xstrndup(contents, n);
	utf16(&b, cut);
	free(cut);
	/* libharu writes a binary object as a hex string */
	if ((s = HPDF_Binary_New(p->doc->mmgr, (HPDF_BYTE *)b.data,
	    (HPDF_UINT)b.len)) != NULL)
		HPDF_Dict_Add(a, "Contents", s);
	buf_free(&b);
}

/* A decimal number, quicker than a printf for the tree's many. */
static void
put_ref(struct buf *b, const char *before, const void *obj)
{
	buf_puts(b, before);
	buf_putu(b, obj_id(obj));
	buf_put(b, " 0 R", 4);
}

/*
 * An element's entries, written inside the dictionary libharu opens;
 * short, for a book has tens of thousands (Type, optional, is left out).
 */
static HPDF_STATUS
write_elem(HPDF_Dict d, HPDF_Stream s)
{
	const struct tagelem	*e = d->attr;
	const struct tags	*t = e->t;
	const struct tagkid	*k;
	struct buf		*b = (struct buf *)&t->out;
	int			 i, n = 0;

	buf_reset(b);
	buf_puts(b, "/S/");
	buf_puts(b, e->type);
	put_ref(b, "/P ", e->parent > 0 ? (const void *)t->e[e->parent].obj :
	    (const void *)t->root);
	if (e->page != NULL)
		put_ref(b, "/Pg ", e->page);
	buf_puts(b, "/K[");
	for (i = e->first; i >= 0; i = k->next) {
		k = &t->k[i];
		if (k->kind == KID_ELEM && !t->e[k->value].live)
			continue;
		if (n++ > 0)
			buf_putc(b, ' ');
		if (k->kind == KID_ELEM)
			put_ref(b, "", t->e[k->value].obj);
		else if (k->kind == KID_MCR && k->obj == e->page)
			buf_putu(b, (unsigned long)k->value);
		else if (k->kind == KID_MCR) {
			put_ref(b, "<</Type/MCR/Pg ", k->obj);
			buf_puts(b, "/MCID ");
			buf_putu(b, (unsigned long)k->value);
			buf_puts(b, ">>");
		} else
			put_ref(b, "<</Type/OBJR/Obj ", k->obj), buf_puts(b,
			    ">>");
	}
	buf_puts(b, "]\012");
	if (e->alt != NULL) {
		buf_puts(b, "/Alt");
		text_string(b, e->alt);
		buf_puts(b, "\012");
	}
	if (e->scope != NULL)
		buf_printf(b, "/A<</O/Table/Scope/%s>>\012", e->scope);
	/* PDF/UA asks every note for an identifier of its own */
	if (strcmp(e->type, "Note") == 0)
		buf_printf(b, "/ID(note%td)\012", e - t->e);
	return HPDF_Stream_Write(s, (const HPDF_BYTE *)b->data,
	    (HPDF_UINT)b->len);
}

/* The parent tree: for each page its MCIDs' elements, then each link's. */
static HPDF_STATUS
write_parents(HPDF_Dict d, HPDF_Stream s)
{
	const struct tags	*t = d->attr;
	struct buf		 b = { NULL, 0, 0 };
	HPDF_STATUS		 rc;
	size_t			 i, j;

	buf_puts(&b, "/Nums [");
	for (i = 0; i < t->npg; i++) {
		buf_putc(&b, '\012');
		buf_putu(&b, i);
		buf_puts(&b, " [");
		for (j = 0; j < t->pg[i].n; j++) {
			if (j > 0)
				buf_putc(&b, ' ');
			buf_putu(&b, obj_id(t->e[t->pg[i].mcid[j]].obj));
			buf_puts(&b, " 0 R");
		}
		buf_putc(&b, ']');
	}
	for (i = 0; i < t->na; i++) {
		buf_putc(&b, '\012');
		buf_putu(&b, t->npg + i);
		buf_putc(&b, ' ');
		buf_putu(&b, obj_id(t->e[t->a[i].elem].obj));
		buf_puts(&b, " 0 R");
	}
	buf_puts(&b, "]\012");
	rc = HPDF_Stream_Write(s, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
	buf_free(&b);
	return rc;
}

static void
xmp_date(struct buf *b, time_t t)
{
	struct tm	 tm;

	gmtime_r(&t, &tm);
	buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/*
 * The XMP metadata PDF/UA asks for: the title (which viewers show, as
 * DisplayDocTitle asks), the authors, the language, the dates of the
 * document information dictionary, and the PDF/UA part.
 */
static void
xmp(struct pdf *p, struct buf *b)
{
	const struct meta	*m = &p->bk->meta;
	size_t			 i;

	buf_puts(b, "<?xpacket begin=\"\xef\xbb\xbf\" "
	    "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
	    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
	    "<rdf:RDF xmlns:rdf="
	    "\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
	    "<rdf:Description rdf:about=\"\"\n"
	    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
	    " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
	    " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
	    " xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
	    "<dc:format>application/pdf</dc:format>\n"
	    "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
	xml_puts(b, p->bk->title);
	buf_puts(b, "</rdf:li></rdf:Alt></dc:title>\n");
	if (m->authors.n > 0) {
		buf_puts(b, "<dc:creator><rdf:Seq>");
		for (i = 0; i < m->authors.n; i++) {
			buf_puts(b, "<rdf:li>");
			xml_puts(b, m->authors.v[i].s);
			buf_puts(b, "</rdf:li>");
		}
		buf_puts(b, "</rdf:Seq></dc:creator>\n");
	}
	buf_puts(b, "<dc:language><rdf:Bag><rdf:li>");
	xml_puts(b, p->bk->lang);
	buf_puts(b, "</rdf:li></rdf:Bag></dc:language>\n<xmp:CreateDate>");
	xmp_date(b, p->bk->modified);
	buf_puts(b, "</xmp:CreateDate>\n<xmp:ModifyDate>");
	xmp_date(b, p->bk->modified);
	buf_puts(b, "</xmp:ModifyDate>\n"
	    "<xmp:CreatorTool>folio</xmp:CreatorTool>\n"
	    "<pdf:Producer>" PDF_PRODUCER "</pdf:Producer>\n"
	    "<pdfuaid:part>1</pdfuaid:part>\n"
	    "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
	    "<?xpacket end=\"w\"?>");
}

static HPDF_Dict
new_object(struct pdf *p)
{
	HPDF_Dict	 d = HPDF_Dict_New(p->doc->mmgr);

	if (d != NULL && HPDF_Xref_Add(p->doc->xref, d) != HPDF_OK)
		return NULL;
	return d;
}

static void
catalog(struct pdf *p, HPDF_Dict root)
{
	HPDF_Dict	 cat = p->doc->catalog, mi, vp, md;
	struct buf	 b = { NULL, 0, 0 };

	/* the keys written here are PDF 1.5's (/Tabs), PDF/UA-1's is 1.7 */
	if (p->doc->pdf_version < HPDF_VER_17)
		p->doc->pdf_version = HPDF_VER_17;
	HPDF_Dict_Add(cat, "StructTreeRoot", root);
	if ((mi = HPDF_Dict_New(p->doc->mmgr)) != NULL) {
		HPDF_Dict_Add(mi, "Marked", HPDF_Boolean_New(p->doc->mmgr,
		    HPDF_TRUE));
		HPDF_Dict_Add(cat, "MarkInfo", mi);
	}
	HPDF_Dict_Add(cat, "Lang", HPDF_String_New(p->doc->mmgr, p->bk->lang,
	    NULL));
	if ((vp = HPDF_Dict_New(p->doc->mmgr)) != NULL) {
		HPDF_Dict_Add(vp, "DisplayDocTitle",
		    HPDF_Boolean_New(p->doc->mmgr, HPDF_TRUE));
		HPDF_Dict_Add(cat, "ViewerPreferences", vp);
	}
	/* uncompressed, as metadata is meant to be found */
	if ((md = HPDF_DictStream_New(p->doc->mmgr, p->doc->xref)) != NULL) {
		xmp(p, &b);
		HPDF_Dict_AddName(md, "Type", "Metadata");
		HPDF_Dict_AddName(md, "Subtype", "XML");
		HPDF_Stream_Write(md->stream, (const HPDF_BYTE *)b.data,
		    (HPDF_UINT)b.len);
		HPDF_Dict_Add(cat, "Metadata", md);
	}
	buf_free(&b);
}

/*
 * Every page is set and every link made: the elements with something on
 * a page become objects, the pages and links name their place in the
 * parent tree, and the catalog says the document is tagged.
 */
void
tag_finish(struct pdf *p)
{
	struct tags	*t = p->tags;
	HPDF_Dict	 root, parents;
	size_t		 i;

	if (t == NULL)
		return;
	/* children come after their parents: one backward pass */
	for (i = t->ne - 1; i > 0; i--)
		if (t->e[i].live && t->e[i].parent > 0)
			t->e[t->e[i].parent].live = 1;
	if ((t->root = root = new_object(p)) == NULL ||
	    (parents = new_object(p)) == NULL)
		return;
	for (i = 1; i < t->ne; i++) {
		if (!t->e[i].live)
			continue;
		if ((t->e[i].obj = new_object(p)) == NULL)
			return;
		t->e[i].obj->attr = &t->e[i];
		t->e[i].obj->write_fn = write_elem;
	}
	/* the pages' MCIDs, as their content streams made them */
	t->pg = xcalloc(p->npages ? p->npages : 1, sizeof(*t->pg));
	for (i = 0; i < p->npages; i++) {
		t->pg[i].page = p->pages[i].page;
		t->pg[i].mcid = p->pages[i].cs->mcid;
		t->pg[i].n = p->pages[i].cs->nmcid;
		p->pages[i].cs->mcid = NULL;
		HPDF_Dict_AddNumber(p->pages[i].page, "StructParents",
		    (HPDF_INT)i);
		HPDF_Dict_AddName(p->pages[i].page, "Tabs", "S");
	}
	t->npg = p->npages;
	for (i = 0; i < t->na; i++)
		HPDF_Dict_AddNumber(t->a[i].annot, "StructParent",
		    (HPDF_INT)(t->npg + i));
	parents->attr = t;
	parents->write_fn = write_parents;
	HPDF_Dict_AddName(root, "Type", "StructTreeRoot");
	for (i = 1; i < t->ne && !t->e[i].live; i++)
		continue;
	if (i < t->ne)
		HPDF_Dict_Add(root, "K", t->e[i].obj);
	HPDF_Dict_Add(root, "ParentTree", parents);
	HPDF_Dict_AddNumber(root, "ParentTreeNextKey",
	    (HPDF_INT)(t->npg + t->na));
	catalog(p, root);
}
