/*
 * Fonts for setting text.  The style's five faces come first; a
 * character none of them has is drawn with an installed font that has
 * it, found through fontconfig (outline fonts only, no colour bitmaps),
 * checked by ttf.c like the style's, and kept for the rest of the book.
 * HarfBuzz shapes each run of text in one face: ligatures (fi, ffl),
 * kerning, mark positioning and the scripts that need shaping.  A book
 * repeats its words, so shaped runs are cached: most words are shaped
 * once.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fontconfig/fontconfig.h>
#include <hb.h>
#include <hb-ot.h>

#include "buf.h"
#include "diag.h"
#include "file.h"
#include "font.h"
#include "utf8.h"

#define MAX_FALLBACK	32	/* faces found through fontconfig */

/* A shaped run, cached by face and text. */
struct shent {
	uint64_t	 hash;
	int		 face;
	const char	*text;
	size_t		 len;
	struct glyph	*g;
	size_t		 n;
	int32_t		 width;
};

/* Which face draws a code point no style face has (-1: none does). */
struct cpent {
	uint32_t	 cp;
	int		 face;
	int		 warned;
	int		 used;
};

struct fontset {
	const struct style	*st;
	struct face		*faces;
	size_t			 nfaces;
	hb_buffer_t		*buf;
	hb_language_t		 lang;
	struct shent		*sh;
	size_t			 nsh, capsh;
	struct cpent		*cp;
	size_t			 ncp, capcp;
	struct arena		 arena;
	int			 fc;		/* fontconfig asked once */
	uint8_t			*pick[FONT__MAX];	/* BMP: face + 1, per role */
	hb_feature_t		*feat[2];	/* the style's, per FEATURES_ */
	unsigned		 nfeat[2];
	int			 set;		/* which apply now */
};

static int	has(struct fontset *, int, uint32_t);
static int	try_file(struct fontset *, const char *, int, uint32_t);

/*
 * OpenType features from a style's list ("onum, -liga, smcp"); style.c
 * has checked each.
 */
static void
features(const char *list, hb_feature_t **out, unsigned *n)
{
	char	 tok[64];
	size_t	 k;

	*out = NULL;
	*n = 0;
	while (list != NULL && *list) {
		k = strcspn(list, ", \t");
		if (k > 0 && k < sizeof(tok)) {
			memcpy(tok, list, k);
			tok[k] = '\0';
			*out = xreallocarray(*out, *n + 1, sizeof(**out));
			if (hb_feature_from_string(tok, (int)k, &(*out)[*n]))
				(*n)++;
		}
		list += k;
		list += strspn(list, ", \t");
	}
}

/* The features the text shaped next is set with: body or heading. */
void
fontset_features(struct fontset *fs, int set)
{
	fs->set = set == FEATURES_HEADINGS ? 1 : 0;
}

/*
 * A font file: sound (ttf.c) and embeddable; 0, or -1 with the reason.
 */
int
font_check_file(const char *path, const unsigned char *data, size_t len,
    struct ttf_info *info, char *why, size_t whylen)
{
	(void)path;
	return ttf_check(data, len, 0, info, why, whylen);
}

static int
face_open(struct face *f, const char *path, unsigned index,
    unsigned char *data, size_t len, const struct ttf_info *info)
{
	hb_blob_t	*blob;

	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->index = index;
	f->data = data;
	f->len = len;
	f->info = *info;
	blob = hb_blob_create((const char *)data, (unsigned)len,
	    HB_MEMORY_MODE_READONLY, NULL, NULL);
	f->hbface = hb_face_create(blob, index);
	hb_blob_destroy(blob);
	f->hbfont = hb_font_create(f->hbface);
	hb_font_set_scale(f->hbfont, (int)info->units_per_em,
	    (int)info->units_per_em);
	return 0;
}

static void
face_close(struct face *f)
{
	hb_font_destroy(f->hbfont);
	hb_face_destroy(f->hbface);
	free(f->path);
}

/* ------------------------------------------------------------ set */

struct fontset *
fontset_new(const struct style *st, const char *lang)
{
	struct fontset	*fs = xcalloc(1, sizeof(*fs));
	size_t		 i;

	fs->st = st;
	fs->faces = xcalloc(FONT__MAX + MAX_FALLBACK, sizeof(*fs->faces));
	/* style.c checked them, and kept what it found */
	for (i = 0; i < FONT__MAX; i++)
		face_open(&fs->faces[i], st->font[i], 0, st->fontdata[i],
		    st->fontlen[i], &st->fontinfo[i]);
	fs->nfaces = FONT__MAX;
	/* the style's own fallbacks come before any fontconfig finds */
	for (i = 0; i < st->nfallback; i++)
		try_file(fs, st->fallback[i], 0, 0);
	features(st->features[0], &fs->feat[0], &fs->nfeat[0]);
	features(st->features[1], &fs->feat[1], &fs->nfeat[1]);
	fs->buf = hb_buffer_create();
	fs->lang = hb_language_from_string(lang, -1);
	return fs;
}

void
fontset_free(struct fontset *fs)
{
	size_t	 i;

	if (fs == NULL)
		return;
	for (i = 0; i < fs->nfaces; i++) {
		face_close(&fs->faces[i]);
		if (i >= FONT__MAX)
			free(fs->faces[i].data);
	}
	free(fs->faces);
	for (i = 0; i < FONT__MAX; i++)
		free(fs->pick[i]);
	hb_buffer_destroy(fs->buf);
	free(fs->feat[0]);
	free(fs->feat[1]);
	free(fs->sh);
	free(fs->cp);
	arena_free(&fs->arena);
	free(fs);
}

size_t
fontset_count(const struct fontset *fs)
{
	return fs->nfaces;
}

struct face *
fontset_face(struct fontset *fs, size_t i)
{
	return &fs->faces[i];
}

int
fontset_glyph(struct fontset *fs, int face, uint32_t cp, uint32_t *gid,
    int32_t *adv)
{
	hb_codepoint_t	 g;

	if (!hb_font_get_nominal_glyph(fs->faces[face].hbfont, cp, &g))
		return 0;
	*gid = g;
	*adv = hb_font_get_glyph_h_advance(fs->faces[face].hbfont, g);
	return 1;
}

static int
has(struct fontset *fs, int face, uint32_t cp)
{
	hb_codepoint_t	 g;

	return hb_font_get_nominal_glyph(fs->faces[face].hbfont, cp, &g) &&
	    g != 0;
}

/* ------------------------------------------------------------ fallback */

static size_t
cphash(uint32_t cp)
{
	return (size_t)(cp * 2654435761u);
}

static struct cpent *
cp_slot(struct fontset *fs, uint32_t cp)
{
	struct cpent	*old = fs->cp;
	size_t		 oldcap = fs->capcp, i, j;

	if ((fs->ncp + 1) * 2 > fs->capcp) {
		fs->capcp = oldcap ? oldcap * 2 : 256;
		fs->cp = xcalloc(fs->capcp, sizeof(*fs->cp));
		for (i = 0; i < oldcap; i++) {
			if (old[i].used == 0)
				continue;
			for (j = cphash(old[i].cp) & (fs->capcp - 1);
			    fs->cp[j].used; j = (j + 1) & (fs->capcp - 1))
				continue;
			fs->cp[j] = old[i];
		}
		free(old);
	}
	for (i = cphash(cp) & (fs->capcp - 1); fs->cp[i].used;
	    i = (i + 1) & (fs->capcp - 1))
		if (fs->cp[i].cp == cp)
			return &fs->cp[i];
	fs->cp[i].used = 1;
	fs->cp[i].cp = cp;
	fs->cp[i].face = -2;	/* not yet known */
	fs->ncp++;
	return &fs->cp[i];
}

/* Load an installed font file as a fallback face: 1 if it draws cp. */
static int
try_file(struct fontset *fs, const char *path, int index, uint32_t cp)
{
	struct buf	 b = { NULL, 0, 0 };
	struct ttf_info	 info;
	char		 why[160];
	size_t		 i;

	for (i = FONT__MAX; i < fs->nfaces; i++)
		if (strcmp(fs->faces[i].path, path) == 0 &&
		    fs->faces[i].index == (unsigned)index)
			return 0;	/* tried, and it does not have cp */
	if (fs->nfaces == FONT__MAX + MAX_FALLBACK)
		return 0;
	if (file_read(path, FILE_MAX_FONT, &b, why, sizeof(why)) == -1 ||
	    ttf_check((unsigned char *)b.data, b.len, (unsigned)index, &info,
	    why, sizeof(why)) == -1) {
		buf_free(&b);
		return 0;
	}
	face_open(&fs->faces[fs->nfaces], path, (unsigned)index,
	    (unsigned char *)b.data, b.len, &info);
	b.data = NULL;
	fs->nfaces++;
	return has(fs, (int)fs->nfaces - 1, cp);
}

/*
 * Ask fontconfig for installed fonts that have cp, best first for the
 * role (serif for text, monospace for code, its weight and slant), and
 * take the first outline font, not a colour one, that ttf.c passes.
 */
static int
ask_fontconfig(struct fontset *fs, int role, uint32_t cp)
{
	FcPattern	*pat, *f;
	FcCharSet	*cs, *fcs;
	FcFontSet	*set;
	FcResult	 res;
	FcBool		 b;
	FcChar8		*file, *fmt;
	int		 i, index, found = -1;

	if (!fs->fc) {
		if (!FcInit())
			return -1;
		fs->fc = 1;
	}
	pat = FcPatternCreate();
	cs = FcCharSetCreate();
	FcCharSetAddChar(cs, cp);
	FcPatternAddCharSet(pat, FC_CHARSET, cs);
	FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)(role == FONT_MONO ?
	    "monospace" : "serif"));
	FcPatternAddBool(pat, FC_OUTLINE, FcTrue);
	if (role == FONT_BOLD || role == FONT_BOLDITALIC)
		FcPatternAddInteger(pat, FC_WEIGHT, FC_WEIGHT_BOLD);
	if (role == FONT_ITALIC || role == FONT_BOLDITALIC)
		FcPatternAddInteger(pat, FC_SLANT, FC_SLANT_ITALIC);
	FcConfigSubstitute(NULL, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	set = FcFontSort(NULL, pat, FcFalse, NULL, &res);
	for (i = 0; set != NULL && i < set->nfont && found < 0; i++) {
		f = set->fonts[i];
		if (FcPatternGetCharSet(f, FC_CHARSET, 0, &fcs) !=
		    FcResultMatch || !FcCharSetHasChar(fcs, cp))
			continue;
		if (FcPatternGetBool(f, FC_COLOR, 0, &b) == FcResultMatch && b)
			continue;
		if (FcPatternGetBool(f, FC_VARIABLE, 0, &b) == FcResultMatch &&
		    b)
			continue;
		if (FcPatternGetString(f, FC_FONTFORMAT, 0, &fmt) !=
		    FcResultMatch || (strcmp((char *)fmt, "TrueType") != 0 &&
		    strcmp((char *)fmt, "CFF") != 0))
			continue;
		if (FcPatternGetString(f, FC_FILE, 0, &file) != FcResultMatch)
			continue;
		if (FcPatternGetInteger(f, FC_INDEX, 0, &index) !=
		    FcResultMatch)
			index = 0;
		if (index >> 16)
			continue;	/* a named instance of a variable font */
		if (try_file(fs, (const char *)file, index, cp))
			found = (int)fs->nfaces - 1;
	}
	if (set != NULL)
		FcFontSetDestroy(set);
	FcCharSetDestroy(cs);
	FcPatternDestroy(pat);
	return found;
}

/*
 * The face that draws cp in a role: the role's own, the other style
 * face (text for code, code for text), a fallback face found already,
 * or a new one from fontconfig; -1 if no installed font has it.
 */
static int	pick(struct fontset *, int, uint32_t);

/* As pick, with the answers for the BMP kept per role: asked per letter. */
int
fontset_pick(struct fontset *fs, int role, uint32_t cp)
{
	uint8_t	*c;
	int	 f;

	if (role < 0 || role >= FONT__MAX || cp > 0xFFFF)
		return pick(fs, role, cp);
	if (fs->pick[role] == NULL)
		fs->pick[role] = xcalloc(65536, 1);
	c = &fs->pick[role][cp];
	if (*c == 0) {
		f = pick(fs, role, cp);
		*c = (uint8_t)(f < 0 ? 255 : f + 1);
	}
	return *c == 255 ? -1 : *c - 1;
}

static int
pick(struct fontset *fs, int role, uint32_t cp)
{
	struct cpent	*e;
	size_t		 i;
	int		 alt = role == FONT_MONO ? FONT_TEXT : FONT_MONO;

	if (has(fs, role, cp))
		return role;
	if (has(fs, alt, cp))
		return alt;
	if (role != FONT_TEXT && role != FONT_MONO && has(fs, FONT_TEXT, cp))
		return FONT_TEXT;
	e = cp_slot(fs, cp);
	if (e->face != -2)
		return e->face;
	for (i = FONT__MAX; i < fs->nfaces; i++)
		if (has(fs, (int)i, cp))
			return (e = cp_slot(fs, cp))->face = (int)i;
	i = (size_t)ask_fontconfig(fs, role, cp);
	e = cp_slot(fs, cp);	/* the table may have grown */
	return e->face = (int)i;
}

/* 1 the first time a code point no font has is asked about. */
int
fontset_warn_once(struct fontset *fs, uint32_t cp)
{
	struct cpent	*e = cp_slot(fs, cp);

	if (e->warned)
		return 0;
	e->warned = 1;
	return 1;
}

/* ------------------------------------------------------------ shaping */

static uint64_t
texthash(int face, const char *s, size_t n)
{
	uint64_t	 h = 14695981039346656037ULL ^ (uint64_t)face;
	size_t		 i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static struct shent *
sh_slot(struct fontset *fs, uint64_t h, int face, const char *s, size_t n,
    int *found)
{
	struct shent	*old = fs->sh;
	size_t		 oldcap = fs->capsh, i, j;

	if ((fs->nsh + 1) * 2 > fs->capsh) {
		fs->capsh = oldcap ? oldcap * 2 : 4096;
		fs->sh = xcalloc(fs->capsh, sizeof(*fs->sh));
		for (i = 0; i < oldcap; i++) {
			if (old[i].text == NULL)
				continue;
			for (j = old[i].hash & (fs->capsh - 1);
			    fs->sh[j].text != NULL;
			    j = (j + 1) & (fs->capsh - 1))
				continue;
			fs->sh[j] = old[i];
		}
		free(old);
	}
	for (i = h & (fs->capsh - 1); fs->sh[i].text != NULL;
	    i = (i + 1) & (fs->capsh - 1))
		if (fs->sh[i].hash == h && fs->sh[i].face == face &&
		    fs->sh[i].len == n && memcmp(fs->sh[i].text, s, n) == 0) {
			*found = 1;
			return &fs->sh[i];
		}
	*found = 0;
	return &fs->sh[i];
}

/*
 * Shape text in one face: the glyphs, their advances and offsets, and
 * for each the byte offset of the text it stands for.  The result lives
 * as long as the font set.
 */
int
fontset_shape(struct fontset *fs, int face, const char *text, size_t len,
    struct shaped *out)
{
	struct shent		*e;
	hb_glyph_info_t		*gi;
	hb_glyph_position_t	*gp;
	unsigned		 n, i;
	/* code keeps its font's defaults; the rest, the style's features */
	int			 set = face == FONT_MONO ? -1 : fs->set;
	int			 key = face | (set + 1) << 16;
	uint64_t		 h = texthash(key, text, len);
	int			 found;
	char			*copy;

	e = sh_slot(fs, h, key, text, len, &found);
	if (!found) {
		hb_buffer_clear_contents(fs->buf);
		hb_buffer_add_utf8(fs->buf, text, (int)len, 0, (int)len);
		hb_buffer_guess_segment_properties(fs->buf);
		hb_buffer_set_language(fs->buf, fs->lang);
		hb_shape(fs->faces[face].hbfont, fs->buf, set >= 0 ?
		    fs->feat[set] : NULL, set >= 0 ? fs->nfeat[set] : 0);
		gi = hb_buffer_get_glyph_infos(fs->buf, &n);
		gp = hb_buffer_get_glyph_positions(fs->buf, &n);
		copy = arena_alloc(&fs->arena, len + 1);
		memcpy(copy, text, len);
		copy[len] = '\0';
		e->hash = h;
		e->face = key;
		e->text = copy;
		e->len = len;
		e->n = n;
		e->g = arena_alloc(&fs->arena, (n ? n : 1) * sizeof(*e->g));
		e->width = 0;
		for (i = 0; i < n; i++) {
			e->g[i].gid = gi[i].codepoint;
			e->g[i].cluster = gi[i].cluster;
			e->g[i].adv = gp[i].x_advance;
			e->g[i].dx = gp[i].x_offset;
			e->g[i].dy = gp[i].y_offset;
			e->width += gp[i].x_advance;
		}
		fs->nsh++;
	}
	out->g = e->g;
	out->n = e->n;
	out->width = e->width;
	return 0;
}

/*
 * The width in points of simple text (a marker, a folio, a running
 * head) in a role, each run in the face that draws it.
 */
double
fontset_width(struct fontset *fs, int role, const char *s, size_t n,
    double size)
{
	struct shaped	 sh;
	size_t		 i, start = 0, len;
	uint32_t	 c;
	int		 face, cur = -1;
	double		 w = 0;

	for (i = 0; i < n; i += len) {
		len = utf8_decode(s + i, n - i, &c);
		if ((face = fontset_pick(fs, role, c)) < 0)
			face = role;
		if (cur >= 0 && face != cur) {
			fontset_shape(fs, cur, s + start, i - start, &sh);
			w += (double)sh.width * size /
			    fs->faces[cur].info.units_per_em;
			start = i;
		}
		cur = face;
	}
	if (cur >= 0 && n > start) {
		fontset_shape(fs, cur, s + start, n - start, &sh);
		w += (double)sh.width * size / fs->faces[cur].info.units_per_em;
	}
	return w;
}
