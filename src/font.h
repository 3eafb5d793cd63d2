/*
 * Fonts for setting text: the style's faces and, for characters they
 * lack, fallback faces found through fontconfig; each checked by ttf.c,
 * then read by HarfBuzz, which shapes text into glyphs (ligatures,
 * kerning, marks, complex scripts).  Shaped words are cached.
 */
#ifndef FOLIO_FONT_H
#define FOLIO_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "style.h"
#include "ttf.h"

/* A glyph as shaped: advances and offsets in font units. */
struct glyph {
	uint32_t	 gid;
	int32_t		 adv;
	int32_t		 dx, dy;
	uint32_t	 cluster;	/* byte offset of its text in the run */
};

struct face {
	char		*path;
	unsigned	 index;		/* in a collection */
	unsigned char	*data;
	size_t		 len;
	struct ttf_info	 info;
	void		*hbface;	/* hb_face_t */
	void		*hbfont;	/* hb_font_t, scaled to units per em */
};

/* A run of text in one face, shaped. */
struct shaped {
	const struct glyph *g;
	size_t		 n;
	int32_t		 width;		/* sum of advances, font units */
};

struct fontset;

struct fontset	*fontset_new(const struct style *, const char *lang);
void		 fontset_free(struct fontset *);
size_t		 fontset_count(const struct fontset *);
struct face	*fontset_face(struct fontset *, size_t);
int		 fontset_pick(struct fontset *, int role, uint32_t cp);
int		 fontset_shape(struct fontset *, int face, const char *text,
		    size_t len, struct shaped *);
void		 fontset_features(struct fontset *, int set);
#define FEATURES_TEXT		0	/* the style's [fonts] features */
#define FEATURES_HEADINGS	1	/* and its [headings] features */
double		 fontset_width(struct fontset *, int role, const char *,
		    size_t, double size);
int		 fontset_glyph(struct fontset *, int face, uint32_t cp,
		    uint32_t *gid, int32_t *adv);
int		 fontset_warn_once(struct fontset *, uint32_t cp);

int		 font_check_file(const char *path, const unsigned char *,
		    size_t, struct ttf_info *, char *why, size_t);

#endif
