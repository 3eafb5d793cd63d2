/*
 * Shared between the parts of the PDF renderer: fonts and glyph widths
 * (pdf_font.c), inline content to boxes and glue (pdf_inline.c), and
 * pages (pdf.c).
 */
#ifndef FOLIO_PDF_INT_H
#define FOLIO_PDF_INT_H

#include <stdint.h>

#include <cmark-gfm.h>
#include <hpdf.h>
#include <hyphen.h>

#include "buf.h"
#include "font.h"
#include "linebreak.h"
#include "pdf.h"
#include "style.h"

struct pagemap;

struct book;
struct image;
struct figure;

/* A box's font field may also name an inline image. */
#define FONT_IMAGE	(-2)

/* What is drawn with a box's glyphs (item.deco). */
/* Inside a name (after the _ of snake_case): running text may break
 * there, a code block only when the name alone is too wide. */
#define CODE_NAME_PENALTY	300

#define DECO_STRIKE	0x01
#define DECO_UNDER	0x02
#define DECO_SUP	0x04
#define DECO_SUB	0x08
#define DECO_MARK	0x10
#define DECO_KBD	0x20
#define DECO_BOLD	0x40	/* a code token set bold */
#define DECO_SLANT	0x80	/* and slanted */

/* The PDF's fonts (pdf_font.c): the faces of the font set, as set. */
struct pdffont;

struct fonts {
	HPDF_Doc	 doc;
	struct fontset	*fs;
	struct pdffont	*pf;
	size_t		 npf;
};

/* A page's content stream, as pdf_content.c writes it. */
struct content {
	HPDF_Page	 page;
	struct buf	 ops;		/* operators not yet deflated */
	struct buf	 z;		/* raw deflate blocks of the rest */
	unsigned long	 adler;		/* of everything deflated */
	int		 font;		/* the font set, or -1 */
	double		 size;
	int		 text;		/* inside BT ... ET */
	int		 array;		/* inside a TJ array */
	int		 str;		/* inside a string of it */
	int		 flags;		/* GLYPH_ of the text last set */
	double		 lx, ly;	/* the text line's start, as written */
	double		 y;		/* its baseline, as asked */
	double		 pen;		/* where the next glyph would go */
	const char	**fname;	/* the page's font names, per face */
	size_t		 nfname;
	struct tags	*tags;		/* the structure tree, or NULL */
	int		 open;		/* the element marked, TAG_, or 0 */
	double		 hs, tz;	/* horizontal scale wanted, and set */
	int		 seg;		/* inside a segment's q ... Q */
	int		*mcid;		/* the element of each MCID */
	size_t		 nmcid, capmcid;
	int		 sealed;	/* 1 its last block deflated, -1 failed */
	struct buf	 out;		/* the finished stream, libharu reads */
	size_t		 outpos;
};

struct content_zip;
struct tags;

struct pdfimg {
	HPDF_Image	 img;
	int		 state;		/* 0 not loaded, 1 loaded, -1 failed */
};

/* Hyphenation points per word, so each word is hyphenated once. */
struct hycache {
	char		**words;
	uint64_t	 *points;	/* bit i: a hyphen may follow letter i */
	size_t		  cap, n;
};

void	 hycache_free(struct hycache *);

/* Everything needed to turn one block's inlines into items. */
struct inliner {
	const struct book	*bk;
	struct fonts		*fonts;
	struct hyphenator	*hyph;		/* patterns, or NULL */
	struct hycache		*hycache;
	HPDF_Doc		 doc;
	struct pdfimg		*images;
	struct pdfpng		*png;		/* PNG files being decoded */
	const char		*path;		/* chapter, for warnings */
	const char		*tpath;		/* where text with no node is */
	int			 tline, tcol;	/* from (the metadata's title) */
	size_t			 source;	/* the file being set */
	const char		*lang;		/* the book's, for line breaks */
	int			 notes_book;	/* notes numbered through it */
	double			 mono_scale;	/* code in text: x-heights match */
	double			 width;		/* line width */
	double			 size;
	struct spacew {				/* widths asked again and again */
		int	 role, known;
		double	 size, w;
	}			 spacew[8], hyphenw;
	int			 base;		/* FONT_TEXT or FONT_BOLD */
	int			 hyphenate;
	int			 protrude;	/* margin kerning, per the style */
	int			 ragged;	/* not justified: lines break so */
	int			 expand;	/* letters may widen to justify */
	int			 tolerate;	/* libharu errors expected */
	int			 quiet;		/* a word broken by force is the
						   caller's to report */
	long			 only;		/* the handout's chapter, or -1 */
	/* output */
	struct item		*items;
	size_t			 nitems, cap;
	struct glyph		*glyphs;
	size_t			 nglyphs, capglyphs;
	struct buf		 text;
	void			*scratch;	/* a word's, kept (pdf_inline.c) */
};

enum align { ALIGN_JUSTIFY, ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };

/* What an inliner has set, kept aside (a note set while a paragraph is). */
struct inl_store {
	struct item	*items;
	size_t		 nitems, cap;
	struct glyph	*glyphs;
	size_t		 nglyphs, capglyphs;
	struct buf	 text;
	double		 size;
};

/* A note as set: blocks of lines, each block's items kept. */
struct npiece {
	struct inl_store st;
	struct line	*lines;
	size_t		 nlines;
	double		 leading;
	double		 indent;
	enum align	 align;
	int		 tag;		/* its paragraph's element, or 0 */
};

struct pnote {
	int		 set;
	int		 tag;		/* its Note element, or 0 */
	struct npiece	*pieces;
	size_t		 npieces;
	size_t		 nlines;	/* in all pieces */
	size_t		 placed;	/* lines already on pages */
	HPDF_Destination dest;		/* where it begins */
};

/* A note's lines at this page's foot. */
struct footent {
	size_t		 note;
	size_t		 from, to;	/* its lines, in all its pieces */
};

struct frame {
	cmark_node_type	 type;
	double		 indent;	/* added on the left */
	double		 rindent;	/* added on the right */
	int		 number;	/* next ordered list number */
	int		 prev_para;	/* last block was a paragraph */
	size_t		 lists;		/* lists open, this one included */
	double		 left, right;	/* indents of all open frames */
	int		 tag;		/* its element, or 0 */
};

struct pending {
	HPDF_Page	 page;
	HPDF_Rect	 rect;
	size_t		 link;
	int		 tag;		/* its Link element, or 0 */
	char		*text;		/* what it says, for its description */
	size_t		 seg;		/* the page's segment it is in */
};

/* A place between blocks where a page's space may stretch. */
struct vgap {
	size_t		 off;		/* its shift, in the page's content */
	size_t		 end;		/* the content's length after it */
	double		 natural;	/* the space it made */
	double		 cap;		/* how far it may stretch */
};

/* A link made on the page, moved with its segment. */
struct pannot {
	HPDF_Annotation	 a;
	size_t		 seg;
};

/* What a page is decides its running head and folio. */
enum page_kind {
	PAGE_FRONT,	/* title, colophon: nothing */
	PAGE_TOC,	/* roman folio */
	PAGE_BLANK,	/* nothing */
	PAGE_OPENING,	/* a chapter's first page: folio, no head */
	PAGE_PART,	/* a part's title page: nothing */
	PAGE_BODY	/* head and folio */
};

struct pageinfo {
	HPDF_Page	 page;
	struct content	*cs;
	enum page_kind	 kind;
	size_t		 chapter;
};

/* The printed table of contents: its entries and reserved pages. */
struct tocline {
	size_t		 chapter;
	long		 heading;	/* index in book.headings, -1 the
					   chapter, TOC_CHANGES */
	int		 depth;		/* 0 chapter, 1 section */
	int		 part;		/* a part's title */
	size_t		 lines;		/* lines the title takes */
};

#define TOC_CHANGES	(-2)	/* the "Changes in this edition" page */

struct toc {
	struct tocline	*e;
	size_t		 n;
	HPDF_Page	*pages;		/* reserved before the body */
	int		 npages;
	int		 tag;		/* their section's element */
};

struct pdf {
	const struct book	*bk;
	const struct style	*st;
	const struct pdf_opts	*opts;
	HPDF_Doc		 doc;
	struct fonts		 fonts;
	struct inliner		 in;
	struct pdf_report	*rep;
	HPDF_Page		 page;
	struct content		*cs;		/* the page's content */
	struct content_zip	*zip;
	int			 pageno;
	int			 page_empty;
	double			 y;		/* top of the next line */
	double			 left, right;	/* text block on this page */
	struct frame		*stack;
	size_t			 depth, cap;
	char			*marker;	/* list marker for next line */
	double			 marker_x;
	HPDF_Destination	*hdest;		/* per heading */
	HPDF_Destination	*cdest;		/* per chapter */
	HPDF_Destination	*sdest;		/* per segment (document) */
	size_t			 segment;	/* being set */
	HPDF_Outline		 outline[4];
	struct pending		*pend;
	size_t			 npend;
	size_t			 chapter;
	const char		*path;
	unsigned long		 hpdf_error;
	struct buf		 tmp;
	struct pagemap		*pm;		/* where pages begin, or NULL */
	int			 marked;	/* this page is in pm */
	int			 front;		/* front page index, or -1 */
	long			 changes_entry;	/* on the changes page: 0 its
						   top, i + 1 entry i; or -1 */
	int			 changes_page;	/* where it begins, or 0 */
	HPDF_Destination	 changes_dest;
	cmark_node		*anchor;	/* the block being set */
	cmark_node		*deferred;	/* a figure or listing floating to the
						   next page */
	struct pageinfo		*pages;		/* every page, for furniture */
	size_t			 npages, cappages;
	enum page_kind		 kind;		/* of the pages added next */
	int			 body_first;	/* physical page of body page 1 */
	int			*hpage;		/* page of each heading */
	int			*cpage;		/* page each chapter opens on */
	struct toc		 toc;
	HPDF_Dict		 destdict;		/* named destinations */
	struct pnote		*notes;		/* per book note, as set */
	struct footent		*foot;		/* this page's notes */
	size_t			 nfoot;
	double			 foot_h;	/* the height they take */
	int			 strong;	/* inside a summary: bold */
	struct pending		*noterefs;	/* links to notes, per note */
	size_t			 nnoterefs;
	struct vgap		*gaps;		/* this page's, in order */
	size_t			 ngaps, capgaps;
	struct pannot		*pannots;	/* this page's links */
	size_t			 npannots;
	int			 short_ok;	/* the page may end short */
	struct tags		*tags;		/* NULL: untagged */
	int			 marker_tag;	/* the list item's label */
	int			 tag_base;	/* a chapter title's level */
	int			 untagged;	/* HTML blocks open past the
						   tree's depth */
	int			 deferred_tag;	/* where that figure goes */
	struct dests {				/* the catalog's Dests */
		const char		**id;
		HPDF_Destination	 *d;
		size_t			  n, cap;
	}			 dests;
};

int	 patterns_none(const struct hyphenator *);
HyphenDict *patterns_get(struct hyphenator *);
HyphenDict *patterns_word(struct hyphenator *, const char *, size_t);

HPDF_Doc pdfmem_new(HPDF_Error_Handler, void *);
void	 pdfmem_free(HPDF_Doc);

int	 fonts_load(struct fonts *, HPDF_Doc, const struct style *,
	    const char *lang);
void	 fonts_free(struct fonts *);
double	 fonts_width(struct fonts *, int role, const char *, size_t,
	    double size);
HPDF_Font fonts_get(struct fonts *, int face);
void	 fonts_use(struct fonts *, int face, const struct glyph *, size_t,
	    const char *, size_t);
void	 fonts_cut(struct fonts *, size_t face);
int	 fonts_finish(struct fonts *);
int	 fonts_advance(struct fonts *, int face, uint32_t gid);
const int16_t *fonts_widths(struct fonts *, int face, unsigned *n);
int	 fonts_space(struct fonts *, int face, struct glyph *);
const char *fonts_text(struct fonts *, int face, uint32_t gid);

void	 inline_begin(struct inliner *, double width, double size, int base,
	    double indent);
void	 inline_node(struct inliner *, cmark_node *block);
void	 inline_text(struct inliner *, const char *, int font);
void	 inline_raw(struct inliner *, int font, const char *, size_t);
void	 inline_code(struct inliner *, const char *, size_t, int deco,
	    int color, cmark_node *, const char *lit);
void	 inline_end(struct inliner *);
void	 inline_free(struct inliner *);
void	 inline_save(struct inliner *, struct inl_store *);
void	 inline_restore(struct inliner *, struct inl_store *);
void	 inline_store_free(struct inl_store *);
struct pdfimg *inline_image(struct inliner *, size_t index, const char *,
	    int line, int col);

#define MIN_LINES	2	/* no widows, no orphans */

/* pdf.c: the document */
double	 pdf_measure(struct pdf *, int font, const char *, double size);
void	 pdf_text_at(struct pdf *, int font, double size, double x, double y,
	    const char *);
void	 pdf_outline(struct pdf *, int level, const char *, HPDF_Destination);
void	 pdf_name_dest(struct pdf *, const char *id);

/* pdf_page.c: the page builder */
double	 page_bottom(const struct pdf *);
double	 page_indent(const struct pdf *, int right);
#define indent_left(p)	page_indent((p), 0)
#define indent_right(p)	page_indent((p), 1)
void	 page_mark(struct pdf *, cmark_node *, size_t);
void	 page_mark_blank(struct pdf *);
void	 page_new(struct pdf *);
void	 page_front(struct pdf *, int index, enum page_kind);
void	 page_chapter(struct pdf *);
void	 page_part(struct pdf *, const char *title, cmark_node *);
int	 page_lines_fit(const struct pdf *, double leading);
void	 page_space(struct pdf *, double);
void	 page_gap(struct pdf *, double natural, double cap);
size_t	 page_lines_here(struct pdf *, const struct line *, size_t,
	    double leading);
void	 page_place_lines(struct pdf *, struct line *, size_t, enum align,
	    double leading, HPDF_Destination *);
double	 page_text_width(const struct pdf *);

/* pdf_line.c: lines */
size_t	 line_break(struct pdf *, struct line **);
double	 line_natural(const struct pdf *, const struct line *);
void	 line_draw(struct pdf *, const struct line *, enum align,
	    double leading, double x0, double width);
void	 line_box(struct pdf *, const struct item *, double x, double base,
	    const char *text);
void	 line_link(struct pdf *, int link, HPDF_Rect, int tag,
	    const char *text);

/* pdf_block.c: blocks */
struct frame *block_top(struct pdf *);
void	 block_frame(struct pdf *, cmark_node_type, double, double);
void	 block_float(struct pdf *);
void	 block_figure(struct pdf *, cmark_node *, const struct figure *,
	    int defer);
void	 block_walk(struct pdf *, cmark_node *);

/* pdf_code.c: code blocks and listings */
void	 code_set(struct pdf *, cmark_node *, int defer);
void	 code_color(struct pdf *, int color);

/* pdf_table.c: tables */
void	 table_set(struct pdf *, cmark_node *);

/* pdf_note.c: footnotes and endnotes */
double	 note_need(struct pdf *, const struct line *, double room, int fresh,
	    int *split);
void	 note_attach(struct pdf *, const struct line *, double keep);
void	 note_foot(struct pdf *);
void	 note_carry(struct pdf *);
void	 note_endnotes(struct pdf *, size_t chapter);
void	 note_links(struct pdf *);
void	 note_ref_link(struct pdf *, int note, HPDF_Rect, int tag);
void	 note_free(struct pdf *);

/* pdf_front.c: front matter */
void	 front_block(struct pdf *, const char *, int font, double size,
	    double leading, enum align);
void	 front_matter(struct pdf *);
void	 front_handout(struct pdf *);
void	 front_changes(struct pdf *);

/* pdf_content.c: page content streams */
struct content_zip *content_zip_new(void);
void	 content_zip_free(struct content_zip *);
struct content *content_new(HPDF_Page);
void	 content_free(struct content *);
void	 content_begin_text(struct content *);
void	 content_end_text(struct content *);
void	 content_show(struct content *, struct fonts *, int role, double size,
	    double x, double y, const char *, size_t, int flags);
#define GLYPH_BOLD	1	/* emboldened by stroking */
#define GLYPH_SLANT	2	/* slanted by the text matrix */
void	 content_glyphs(struct content *, struct fonts *, int face, double size,
	    double x, double y, const struct glyph *, size_t, const char *,
	    size_t, int flags);
void	 content_space(struct content *, struct fonts *, int face,
	    double size, double x, double y);
void	 content_hscale(struct content *, double);
void	 content_hyphen(struct content *, struct fonts *, int role,
	    double size, double x, double y);
void	 content_unread(struct content *, struct fonts *, int role,
	    double size, double x, double y, const char *);
void	 content_color(struct content *, double r, double g, double b);
void	 content_gray(struct content *, double);
void	 content_fill_rect(struct content *, double x, double y, double w,
	    double h);
void	 content_rule(struct content *, double width, double x0, double y0,
	    double x1, double y1);
void	 content_frame(struct content *, double width, double x, double y,
	    double w, double h);
void	 content_image(struct content *, HPDF_Image, double x, double y,
	    double w, double h);
size_t	 content_segment(struct content *);
void	 content_segment_end(struct content *);
void	 content_patch(struct content *, size_t off, double dy);
int	 content_flush(struct content_zip *, struct content *);
int	 content_zip_wait(struct content_zip *);
void	 content_seal(struct content_zip *, struct content *, size_t worker);
int	 content_finish(struct content_zip *, struct content *);
const unsigned char *content_bytes(HPDF_Stream, size_t *);
int	 content_put_deflated(HPDF_Dict, const void *, size_t);

/* pdf_png.c: PNG files and SVG drawings as image objects */
struct pdfpng;
struct pdfpng *pdfpng_new(void);
HPDF_Image pdfpng_load(struct pdfpng *, HPDF_Doc, const unsigned char *,
	    size_t);
HPDF_Image pdfpng_svg(struct pdfpng *, HPDF_Doc, const char *, size_t);
int	 pdfpng_finish(struct pdfpng *);
void	 pdfpng_free(struct pdfpng *);

/* pdf_furniture.c: running heads, folios, page labels */
void	 furniture_draw(struct pdf *);
void	 furniture_label(const struct pdf *, int physical, char *, size_t);

/* pdf_booklet.c: sheets for saddle-stitch printing */
void	 booklet_impose(struct pdf *);

/* pdf_press.c: the PDF for the print shop (--press) */
void	 press_image(struct pdf *, cmark_node *, const struct image *,
	    HPDF_Image, double width);
void	 press_finish(struct pdf *);
int	 press_flatten(HPDF_Dict);
int	 press_profile_ok(const unsigned char *, size_t, const char *cls,
	    const char *space);

/* pdf_tag.c: the structure tree (tagged PDF) */
#define TAG_ARTIFACT	(-1)	/* drawn, not text: rules, fills, dots */
#define TAG_PAGINATION	(-2)	/* running heads and folios */
#define PDF_PRODUCER	"folio " VERSION

struct tags	*tags_new(void);
void	 tags_free(struct tags *);
int	 tags_current(const struct tags *);
const char *tags_type(const struct tags *, int);
void	 tags_mcr(struct tags *, int, HPDF_Page, int mcid);
int	 tag_add(struct pdf *, int parent, const char *type);
int	 tag_open(struct pdf *, const char *type);
int	 tag_here(struct pdf *, const char *type);
void	 tag_close(struct pdf *, int);
int	 tag_enter(struct pdf *, int);
int	 tag_heading(struct pdf *, int level);
void	 tag_heading_reset(struct pdf *, int level);
void	 tag_alt(struct pdf *, int, const char *);
void	 tag_scope(struct pdf *, int, const char *);
void	 tag_keep(struct pdf *, int);
void	 tag_annot(struct pdf *, int, HPDF_Annotation, const char *);
void	 tag_finish(struct pdf *);

/* pdf_toc.c: the printed table of contents */
void	 toc_plan(struct pdf *);
void	 toc_draw(struct pdf *);
void	 toc_free(struct toc *);

#endif
