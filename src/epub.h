/* The EPUB 3 renderer: one XHTML file per chapter, packaged with libzip. */
#ifndef FOLIO_EPUB_H
#define FOLIO_EPUB_H

#include <stddef.h>

struct book;
struct buf;
struct pagemap;
struct pagemark;
struct style;
struct zip;
struct zip_source;

int	epub_write(const struct book *, const struct style *,
	    const struct pagemap *, struct buf *);

/* Used between the two halves of the renderer (epub.c, epub_xhtml.c). */
void	epub_segment_href(struct buf *, size_t segment);
void	epub_xhtml_head(struct buf *, const struct book *, const char *title);
void	epub_xhtml_segment(struct buf *, const struct book *,
	    const struct style *, size_t, const struct pagemap *);
void	epub_pagebreak(struct buf *, const struct pagemark *);

/* epub_font.c: the fonts, deflated on a second thread */
struct epub_fonts;
struct epub_fonts *epub_fonts_start(const struct style *);
struct zip_source *epub_fonts_source(struct epub_fonts *, struct zip *, int);
void	epub_fonts_free(struct epub_fonts *);

#endif
