/*
 * Page furniture, drawn once every page is set: running heads (the book's
 * title on left-hand pages and the chapter's on right-hand ones, or both
 * on every page of a handout), folios, and the PDF page labels that make
 * a viewer show the printed numbers (roman for the front matter, arabic
 * from the first chapter).
 */
#include <stdio.h>
#include <string.h>

#include "book.h"
#include "pdf_int.h"

static void
roman(int n, char *out, size_t sz)
{
	static const struct {
		int		 v;
		const char	*s;
	} t[] = {
		{ 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" },
		{ 100, "c" }, { 90, "xc" }, { 50, "l" }, { 40, "xl" },
		{ 10, "x" }, { 9, "ix" }, { 5, "v" }, { 4, "iv" }, { 1, "i" },
	};
	size_t	 i, len = 0;

	out[0] = '\0';
	for (i = 0; i < sizeof(t) / sizeof(t[0]) && n > 0; i++)
		while (n >= t[i].v && len + strlen(t[i].s) < sz) {
			memcpy(out + len, t[i].s, strlen(t[i].s) + 1);
			len += strlen(t[i].s);
			n -= t[i].v;
		}
}

/* The printed number of a physical page (1-based). */
void
furniture_label(const struct pdf *p, int physical, char *out, size_t sz)
{
	if (p->body_first == 0 || physical < p->body_first)
		roman(physical, out, sz);
	else
		snprintf(out, sz, "%d", physical - p->body_first + 1);
}

static void
centred(struct pdf *p, const struct pageinfo *pi, int font, double size,
    double y, double left, double right, const char *s)
{
	double	 w = pdf_measure(p, font, s, size);

	p->page = pi->page;
	p->cs = pi->cs;
	if (w > right - left)
		return;		/* a head too long for the line is left out */
	pdf_text_at(p, font, size, (left + right - w) / 2, y, s);
}

void
furniture_draw(struct pdf *p)
{
	const struct style	*st = p->st;
	const struct pageinfo	*pi;
	struct buf		 b = { NULL, 0, 0 };
	char			 num[32];
	double			 left, right, size = st->size * 0.85;
	double			 heady = st->page_height - st->margin_top / 2;
	size_t			 i, body = 0;
	int			 recto, prev = tag_enter(p, TAG_PAGINATION);

	for (i = 0; i < p->npages; i++)
		if (p->pages[i].kind != PAGE_FRONT &&
		    p->pages[i].kind != PAGE_TOC && (int)i + 1 >= p->body_first)
			body++;
	for (i = 0; i < p->npages; i++) {
		pi = &p->pages[i];
		recto = !st->two_sided || i % 2 == 0;
		left = recto ? st->margin_inner : st->margin_outer;
		right = st->page_width - (recto ? st->margin_outer :
		    st->margin_inner);
		if (pi->kind == PAGE_FRONT || pi->kind == PAGE_BLANK ||
		    pi->kind == PAGE_PART)	/* display pages: no folio */
			continue;
		/* the folio */
		furniture_label(p, (int)i + 1, num, sizeof(num));
		buf_reset(&b);
		if (st->folio == FOLIO_OF_TOTAL && pi->kind != PAGE_TOC)
			buf_printf(&b, "page %s of %zu", num, body);
		else if (st->folio != FOLIO_NONE)
			buf_puts(&b, num);
		if (b.len > 0)
			centred(p, pi, FONT_TEXT, size, st->margin_bottom /
			    2, left, right, b.data);
		/* the running head */
		if (pi->kind != PAGE_BODY || pi->chapter >= p->bk->nchapters)
			continue;
		buf_reset(&b);
		if (st->head == HEAD_ALTERNATE)
			buf_puts(&b, recto && st->two_sided ?
			    p->bk->chapters[pi->chapter].title : p->bk->title);
		else if (st->head == HEAD_COMBINED)
			buf_printf(&b, "%s \xe2\x80\x94 %s", p->bk->title,
			    p->bk->chapters[pi->chapter].title);
		if (b.len > 0)
			centred(p, pi, FONT_ITALIC, size, heady, left,
			    right, b.data);
	}
	buf_free(&b);
	tag_enter(p, prev);
	if (p->body_first > 1)
		HPDF_AddPageLabel(p->doc, 0, HPDF_PAGE_NUM_STYLE_LOWER_ROMAN, 1,
		    NULL);
	if (p->body_first > 0)
		HPDF_AddPageLabel(p->doc, (HPDF_UINT)(p->body_first - 1),
		    HPDF_PAGE_NUM_STYLE_DECIMAL, 1, NULL);
}
