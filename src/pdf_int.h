/*
 * Shared between the parts of the PDF renderer: fonts and glyph widths
 * (pdf_font.c), inline content to boxes and glue (pdf_inline.c), and
 * pages (pdf.c).
 */
#ifndef FOLIO_PDF_INT_H
#define FOLIO_PDF_INT_H

#include <stdint.h>

#include <cmark.h>
#include <hpdf.h>
#include <hyphen.h>

#include "buf.h"
#include "linebreak.h"
#include "pdf.h"
#include "style.h"

struct book;

/* A box's font field may also name an inline image. */
#define FONT_IMAGE	(-2)

struct fonts {
	HPDF_Font	 font[FONT__MAX];
	HPDF_FontDef	 def[FONT__MAX];
	int16_t		*width[FONT__MAX];	/* per BMP code point, lazily */
	uint8_t		*has[FONT__MAX];	/* 0 unknown, 1 yes, 2 no */
};

struct pdfimg {
	HPDF_Image	 img;
	int		 state;		/* 0 not loaded, 1 loaded, -1 failed */
};

/* Everything needed to turn one block's inlines into items. */
struct inliner {
	const struct book	*bk;
	struct fonts		*fonts;
	HyphenDict		*hyph;
	HPDF_Doc		 doc;
	struct pdfimg		*images;
	const char		*path;		/* chapter, for warnings */
	double			 width;		/* line width */
	double			 size;
	int			 base;		/* FONT_TEXT or FONT_BOLD */
	int			 hyphenate;
	int			 tolerate;	/* libharu errors expected */
	/* output */
	struct item		*items;
	size_t			 nitems, cap;
	struct buf		 text;
};

int	 fonts_load(struct fonts *, HPDF_Doc, const struct style *);
void	 fonts_free(struct fonts *);
double	 fonts_width(struct fonts *, int font, const char *, size_t,
	    double size);
int	 fonts_has(struct fonts *, int font, uint32_t);

void	 inline_begin(struct inliner *, double width, double size, int base,
	    double indent);
void	 inline_node(struct inliner *, cmark_node *block);
void	 inline_text(struct inliner *, const char *, int font);
void	 inline_raw(struct inliner *, int font, const char *, size_t);
void	 inline_end(struct inliner *);
void	 inline_free(struct inliner *);
struct pdfimg *inline_image(struct inliner *, size_t index, const char *,
	    int line, int col);

#endif
