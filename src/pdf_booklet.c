/*
 * Booklet imposition.  Once every page is set, each page's content
 * stream becomes a form XObject and the document is rebuilt from
 * landscape sheets, two pages a face in saddle-stitch order (for eight
 * pages: 8|1, 2|7, 6|3, 4|5), padded with blank pages to a multiple of
 * four, so that a duplex print folded in half reads in order.
 *
 * libharu has no call to turn a page into a form, so its object layer
 * (hpdf_objects.h) is used directly: the content stream gains the keys
 * of a form, the pages leave the page tree, and the sheets draw them.
 */
#include <stdlib.h>

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>

#include "book.h"
#include "pdf_int.h"

/* The value a dictionary entry holds, through libharu's proxy if any. */
static void *
entry_value(HPDF_DictElement e)
{
	HPDF_Obj_Header	*h = e->value;

	return h->obj_class == HPDF_OCLASS_PROXY ? ((HPDF_Proxy)e->value)->obj :
	    e->value;
}

/*
 * The form's resources: the page's fonts and images, by the names its
 * content stream uses.  The page's own dictionary cannot be shared (a
 * direct object has one owner), but what it names are indirect objects.
 */
static HPDF_Dict
copy_resources(HPDF_Page page)
{
	HPDF_Dict		 from, to, sub, copy;
	HPDF_DictElement	 e, f;
	HPDF_Obj_Header		*h;
	HPDF_UINT		 i, j;

	from = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
	if ((to = HPDF_Dict_New(page->mmgr)) == NULL || from == NULL)
		return to;
	for (i = 0; i < from->list->count; i++) {
		e = HPDF_List_ItemAt(from->list, i);
		h = e->value;
		if ((h->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_DICT)
			continue;	/* ProcSet, obsolete */
		sub = e->value;
		if ((copy = HPDF_Dict_New(page->mmgr)) == NULL ||
		    HPDF_Dict_Add(to, e->key, copy) != HPDF_OK)
			return NULL;
		for (j = 0; j < sub->list->count; j++) {
			f = HPDF_List_ItemAt(sub->list, j);
			h = f->value;
			if (h->obj_class == HPDF_OCLASS_PROXY)
				HPDF_Dict_Add(copy, f->key, entry_value(f));
		}
	}
	return to;
}

/* Make the page's content stream a form XObject of the page's size. */
static HPDF_Dict
page_form(struct pdf *p, HPDF_Page page)
{
	HPDF_Dict	 form, res;
	HPDF_Box	 box = { 0, 0, 0, 0 };

	form = HPDF_Dict_GetItem(page, "Contents", HPDF_OCLASS_DICT);
	if (form == NULL || (res = copy_resources(page)) == NULL)
		return NULL;
	box.right = (HPDF_REAL)p->st->page_width;
	box.top = (HPDF_REAL)p->st->page_height;
	HPDF_Dict_AddName(form, "Type", "XObject");
	HPDF_Dict_AddName(form, "Subtype", "Form");
	HPDF_Dict_Add(form, "BBox", HPDF_Box_Array_New(page->mmgr, box));
	HPDF_Dict_Add(form, "Resources", res);
	form->header.obj_class = HPDF_OSUBCLASS_XOBJECT | HPDF_OCLASS_DICT;
	return form;
}

static void
place(HPDF_Page sheet, HPDF_Dict *forms, size_t n, size_t i, double x)
{
	if (i >= n || forms[i] == NULL)
		return;		/* a blank page of the padding */
	HPDF_Page_GSave(sheet);
	HPDF_Page_Concat(sheet, 1, 0, 0, 1, (HPDF_REAL)x, 0);
	HPDF_Page_ExecuteXObject(sheet, forms[i]);
	HPDF_Page_GRestore(sheet);
}

/*
 * Impose the document.  Links, bookmarks, named destinations and page
 * labels name the pages, not the sheets, so a booklet has none: it is
 * made to be printed.
 */
void
booklet_impose(struct pdf *p)
{
	HPDF_Dict	*forms;
	HPDF_Array	 kids;
	HPDF_Page	 sheet;
	size_t		 n = p->npages, m = (n + 3) / 4 * 4, i, left, right;
	double		 w = p->st->page_width;

	if (n == 0)
		return;
	forms = xcalloc(n, sizeof(*forms));
	for (i = 0; i < n; i++) {
		forms[i] = page_form(p, p->pages[i].page);
		HPDF_Dict_RemoveElement(p->pages[i].page, "Parent");
		((HPDF_PageAttr)p->pages[i].page->attr)->parent = NULL;
	}
	kids = HPDF_Dict_GetItem(p->doc->root_pages, "Kids",
	    HPDF_OCLASS_ARRAY);
	if (kids != NULL)
		HPDF_Array_Clear(kids);
	/* (an entry the catalog lacks is no error: libharu just says so) */
	HPDF_Dict_RemoveElement(p->doc->catalog, "Outlines");
	HPDF_Dict_RemoveElement(p->doc->catalog, "PageMode");
	HPDF_Dict_RemoveElement(p->doc->catalog, "PageLabels");
	HPDF_Dict_RemoveElement(p->doc->catalog, "Dests");
	for (i = 0; i < m / 2; i++) {
		/* face i of sheet i/2: the front pairs the outermost pages */
		if (i % 2 == 0) {
			left = m - 1 - i;
			right = i;
		} else {
			left = i;
			right = m - 1 - i;
		}
		if ((sheet = HPDF_AddPage(p->doc)) == NULL)
			break;
		HPDF_Page_SetWidth(sheet, (HPDF_REAL)(2 * w));
		HPDF_Page_SetHeight(sheet, (HPDF_REAL)p->st->page_height);
		place(sheet, forms, n, left, 0);
		place(sheet, forms, n, right, w);
	}
	p->rep->sheets = m / 2;
	free(forms);
}
