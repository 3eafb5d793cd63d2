/* The EPUB 3 renderer: one XHTML file per chapter, packaged with libzip. */
#ifndef FOLIO_EPUB_H
#define FOLIO_EPUB_H

#include <stddef.h>
#include <stdint.h>

struct book;
struct buf;
struct changes;
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
void	epub_pagebreak(struct buf *, const struct pagemap *,
	    const struct pagemark *);

/* epub_chars.c: the characters each font must have (font: enum font_role) */
#define EPUB_CHARS_END	0x110000	/* past the last code point */
struct epub_chars;
struct epub_chars *epub_chars_new(void);
void	epub_chars_free(struct epub_chars *);
void	epub_chars_add(struct epub_chars *, int font, uint32_t);
void	epub_chars_text(struct epub_chars *, int font, const char *, size_t);
void	epub_chars_book(struct epub_chars *, const struct book *,
	    const struct changes *);
int	epub_chars_has(const struct epub_chars *, int font, uint32_t);
uint32_t epub_chars_next(const struct epub_chars *, int font, uint32_t);
size_t	epub_chars_count(const struct epub_chars *, int font);

/* epub_font.c: the fonts, cut down and deflated on a second thread */
struct epub_fonts;
struct epub_fonts *epub_fonts_start(const struct book *, const struct style *,
	    const struct changes *);
struct zip_source *epub_fonts_source(struct epub_fonts *, struct zip *, int);
void	epub_fonts_free(struct epub_fonts *);

#endif
