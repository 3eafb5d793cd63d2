/*
 * Style files.  An INI file (read with inih) sets the page, the fonts
 * and the sizes; every length carries its unit.  The same values drive
 * the PDF layout and the e-book's CSS, so the editions look alike.
 */
#include <errno.h>
#include <hb.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "file.h"
#include "font.h"
#include "par.h"
#include "style.h"
#include "utf8.h"

struct loader {
	struct style	*st;
	const char	*text;
	const char	*dir;
	const char	*datadir;
	const char	*within;	/* a manuscript's style: its folder */
	int		 fontbad[FONT__MAX];	/* reported already */
	struct seen {			/* keys set so far, for duplicates */
		char	*section, *name;
		int	 line;
	}		*seen;
	size_t		 nseen;
};

/* A length with its unit (pt, mm, cm, in) in points, however large. */
static int
parse_length(const char *s, double *pt)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || !isfinite(v) || v < 0)
		return -1;
	while (*end == ' ')
		end++;
	if (strcmp(end, "pt") == 0)
		*pt = v;
	else if (strcmp(end, "mm") == 0)
		*pt = v * 72.0 / 25.4;
	else if (strcmp(end, "cm") == 0)
		*pt = v * 72.0 / 2.54;
	else if (strcmp(end, "in") == 0)
		*pt = v * 72.0;
	else
		return -1;
	return 0;
}

/* A length in points; -1 if malformed or past what a PDF can hold. */
int
style_length(const char *s, double *pt)
{
	return parse_length(s, pt) == 0 && *pt <= 14400.0 ? 0 : -1;
}

/*
 * inih does not give handlers the line number, so find the key in the
 * text: the nth line naming it inside its section (n from 1).
 */
static int
keyline(const char *text, const char *section, const char *name, int nth)
{
	const char	*p = text, *e;
	size_t		 sl = strlen(section), nl = strlen(name);
	int		 line = 1, in = sl == 0, first = 0;

	while (*p) {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (*p == '[')
			in = (size_t)(e - p) > sl + 1 &&
			    strncmp(p + 1, section, sl) == 0 && p[sl + 1] == ']';
		else if (in && strncmp(p, name, nl) == 0 &&
		    strchr(" \t=:", p[nl]) != NULL) {
			if (first == 0)
				first = line;
			if (--nth <= 0)
				return line;
		}
		if (*e == '\0')
			break;
		p = e + 1;
		line++;
	}
	return first ? first : 1;
}

/*
 * A font file: beside the style, in ../fonts beside it, then in the data
 * folder's fonts.  A manuscript's own style may only name fonts inside
 * the manuscript or installed with folio: a style is not a way to read
 * (and embed in the e-book) any file of the machine.
 */
static char *
findfont(const struct loader *l, const char *file, int *outside)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;

	*outside = file[0] == '/' && l->within != NULL;
	if (file[0] == '/' && l->within == NULL)
		return access(file, R_OK) == 0 ? xstrdup(file) : NULL;
	for (i = 0; i < 3 && file[0] != '/'; i++) {
		buf_reset(&b);
		if (i == 0)
			buf_printf(&b, "%s/%s", l->dir, file);
		else if (i == 1)
			buf_printf(&b, "%s/../fonts/%s", l->dir, file);
		else if (l->datadir != NULL)
			buf_printf(&b, "%s/fonts/%s", l->datadir, file);
		else
			continue;
		if (access(b.data, R_OK) != 0)
			continue;
		if (i < 2 && l->within != NULL && !file_within(l->within,
		    b.data)) {
			*outside = 1;
			continue;
		}
		return buf_detach(&b);
	}
	buf_free(&b);
	return NULL;
}

/* A length key and the range that keeps text on the page and legible. */
struct lenkey {
	const char	*section;
	const char	*name;
	size_t		 off;
	double		 min, max;	/* points */
};

#define F(m) offsetof(struct style, m)
static const struct lenkey lengths[] = {
	{ "page", "width", F(page_width), 72, 7200 },
	{ "page", "height", F(page_height), 72, 7200 },
	{ "page", "margin-top", F(margin_top), 0, 1440 },
	{ "page", "margin-bottom", F(margin_bottom), 0, 1440 },
	{ "page", "margin-inner", F(margin_inner), 0, 1440 },
	{ "page", "margin-outer", F(margin_outer), 0, 1440 },
	{ "page", "bleed", F(bleed), 0, 36 },		/* --press */
	{ "text", "size", F(size), 5, 48 },
	{ "text", "leading", F(leading), 5, 96 },
	{ "text", "indent", F(indent), 0, 72 },
	{ "text", "paragraph-space", F(para_space), 0, 72 },
	{ "text", "code-size", F(code_size), 4, 36 },
	{ "text", "code-leading", F(code_leading), 4, 72 },
	{ "headings", "h1-size", F(heading_size[0]), 5, 72 },
	{ "headings", "h2-size", F(heading_size[1]), 5, 72 },
	{ "headings", "h3-size", F(heading_size[2]), 5, 72 },
	{ "headings", "h4-size", F(heading_size[3]), 5, 72 },
	{ "headings", "h5-size", F(heading_size[4]), 5, 72 },
	{ "headings", "h6-size", F(heading_size[5]), 5, 72 },
	{ "headings", "space-before", F(heading_before), 0, 144 },
	{ "headings", "space-after", F(heading_after), 0, 144 },
	{ "headings", "chapter-drop", F(chapter_drop), 0, 1440 },
};
#undef F

static const char *const fontkeys[FONT__MAX] = {
	"text", "italic", "bold", "bold-italic", "mono"
};

static const char *const default_fonts[FONT__MAX] = {
	"CharisSIL-Regular.ttf", "CharisSIL-Italic.ttf", "CharisSIL-Bold.ttf",
	"CharisSIL-BoldItalic.ttf", "DejaVuSansMono.ttf"
};

/* Keys that take one of a few words; the value is the word's index. */
struct choice {
	const char	*section;
	const char	*name;
	size_t		 off;
	const char	*words[4];
};

#define F(m) offsetof(struct style, m)
static const struct choice choices[] = {
	{ "page", "two-sided", F(two_sided), { "no", "yes" } },
	{ "page", "running-head", F(head),
	    { "alternate", "combined", "none" } },
	{ "page", "folio", F(folio), { "number", "of-total", "none" } },
	{ "page", "contents", F(toc), { "no", "yes" } },
	{ "page", "changes", F(changes), { "no", "yes" } },
	{ "text", "align", F(justify), { "left", "justify" } },
	{ "text", "protrusion", F(protrusion), { "no", "yes" } },
	{ "notes", "numbering", F(notes_book), { "chapter", "book" } },
	{ "code", "line-numbers", F(code_linenos), { "no", "yes" } },
	{ "code", "theme", F(code_color), { "mono", "colour", "color" } },
	{ "notes", "placement", F(endnotes), { "foot", "end" } },
};
#undef F

static void
choose(struct style *st, const struct choice *c, const char *value, int line)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;

	for (i = 0; i < 4 && c->words[i] != NULL; i++)
		if (strcmp(value, c->words[i]) == 0) {
			/* every choice field is an int or an enum */
			*(int *)(void *)((char *)st + c->off) = (int)i;
			return;
		}
	for (i = 0; i < 4 && c->words[i] != NULL; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", c->words[i]);
	diag_error(st->path, line, 1, "%s: '%s' is not one of: %s", c->name,
	    value, b.data);
	buf_free(&b);
}

/* The line of this occurrence of a key; a second one is an error. */
static int
occurrence(struct loader *l, const char *section, const char *name)
{
	size_t	 i;
	int	 n = 1, line;

	for (i = 0; i < l->nseen; i++)
		if (strcmp(l->seen[i].section, section) == 0 &&
		    strcmp(l->seen[i].name, name) == 0)
			n++;
	line = keyline(l->text, section, name, n);
	if (n > 1) {
		for (i = 0; i < l->nseen; i++)
			if (strcmp(l->seen[i].section, section) == 0 &&
			    strcmp(l->seen[i].name, name) == 0)
				break;
		diag_error(l->st->path, line, 1, "[%s] %s is set twice "
		    "(first on line %d)", section, name, l->seen[i].line);
	}
	l->seen = xreallocarray(l->seen, l->nseen + 1, sizeof(*l->seen));
	l->seen[l->nseen].section = xstrdup(section);
	l->seen[l->nseen].name = xstrdup(name);
	l->seen[l->nseen++].line = line;
	return line;
}

static void
set_length(struct style *st, const struct lenkey *k, const char *value,
    int line)
{
	double	 v;

	/* (a length too large for a PDF is out of range, not malformed) */
	if (parse_length(value, &v) == -1)
		diag_error(st->path, line, 1, "%s: '%s' is not a length with "
		    "a unit (pt, mm, cm, in)", k->name, value);
	else if (v < k->min || v > k->max)
		diag_error(st->path, line, 1, "%s: %s is out of range: it "
		    "must be from %gpt to %gpt", k->name, value, k->min,
		    k->max);
	else
		*(double *)(void *)((char *)st + k->off) = v;
}

/*
 * How far letters may widen or narrow to justify a line: a percentage,
 * at most 3 (past that, readers see the type change from line to line).
 */
static void
set_expansion(struct style *st, const char *value, int line)
{
	char	*end;
	double	 v = strtod(value, &end);

	while (*end == ' ')
		end++;
	if (end == value || (*end != '\0' && strcmp(end, "%") != 0) ||
	    !(v >= 0 && v <= 3))
		diag_error(st->path, line, 1, "expansion: '%s' is not a "
		    "percentage from 0%% to 3%%", value);
	else
		st->expansion = v / 100;
}

/*
 * Fonts for what the style's faces lack, tried in order before the
 * fonts fontconfig finds: "NotoSansDevanagari-Regular.ttf, Symbola.ttf",
 * looked up as the faces are.
 */
static void
set_fallback(struct loader *l, const char *value, int line)
{
	struct style	*st = l->st;
	char		 name[256], *path;
	const char	*t;
	size_t		 k;
	int		 outside;

	st->fallbackline = line;
	for (t = value + strspn(value, ", \t"); *t; t += strspn(t, ", \t")) {
		k = strcspn(t, ",\t");
		while (k > 0 && t[k - 1] == ' ')
			k--;
		if (k >= sizeof(name)) {
			diag_error(st->path, line, 1, "fallback: a file name "
			    "longer than %zu bytes", sizeof(name) - 1);
			return;
		}
		memcpy(name, t, k);
		name[k] = '\0';
		t += k;
		if ((path = findfont(l, name, &outside)) == NULL) {
			diag_error(st->path, line, 1, outside ? "fallback: font "
			    "file '%s' is outside the manuscript folder" :
			    "fallback: font file '%s' not found", name);
			continue;
		}
		if (st->nfallback == STYLE_MAX_FALLBACK) {
			free(path);
			diag_error(st->path, line, 1, "fallback: %d fonts at "
			    "most", STYLE_MAX_FALLBACK);
			return;
		}
		st->fallback = xreallocarray(st->fallback, st->nfallback + 1,
		    sizeof(*st->fallback));
		st->fallback[st->nfallback++] = path;
	}
}

/*
 * OpenType features for the text faces or the headings, as HarfBuzz
 * reads them: "onum, -liga" (old-style figures, no ligatures), "smcp".
 */
static void
set_features(struct style *st, int which, const char *value, int line)
{
	const char	*t = value;
	hb_feature_t	 f;
	size_t		 k;

	for (t += strspn(t, ", \t"); *t; t += strspn(t, ", \t")) {
		k = strcspn(t, ", \t");
		if (k >= 64 || !hb_feature_from_string(t, (int)k, &f)) {
			diag_error(st->path, line, 1, "features: '%.*s' is not an "
			    "OpenType feature (like liga, -liga, onum, smcp)",
			    (int)(k > 64 ? 64 : k), t);
			return;
		}
		t += k;
	}
	free(st->features[which]);
	st->features[which] = xstrdup(value);
}

static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct loader	*l = user;
	struct style	*st = l->st;
	size_t		 i;
	int		 line = occurrence(l, section, name), outside;
	char		*path;

	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		if (strcmp(section, lengths[i].section) ||
		    strcmp(name, lengths[i].name))
			continue;
		set_length(st, &lengths[i], value, line);
		return 1;
	}
	if (strcmp(section, "fonts") == 0 && strcmp(name, "fallback") == 0) {
		set_fallback(l, value, line);
		return 1;
	}
	if (strcmp(section, "fonts") == 0)
		for (i = 0; i < FONT__MAX; i++) {
			if (strcmp(name, fontkeys[i]))
				continue;
			if ((path = findfont(l, value, &outside)) == NULL) {
				diag_error(st->path, line, 1, outside ?
				    "font file '%s' is outside the manuscript "
				    "folder" : "font file '%s' not found",
				    value);
				l->fontbad[i] = 1;
				return 1;
			}
			free(st->font[i]);
			st->font[i] = path;
			st->fontline[i] = line;
			return 1;
		}
	if (strcmp(name, "features") == 0 && (strcmp(section, "fonts") == 0 ||
	    strcmp(section, "headings") == 0)) {
		set_features(st, strcmp(section, "headings") == 0, value, line);
		return 1;
	}
	if (strcmp(section, "text") == 0 && strcmp(name, "expansion") == 0) {
		set_expansion(st, value, line);
		return 1;
	}
	for (i = 0; i < sizeof(choices) / sizeof(choices[0]); i++)
		if (strcmp(section, choices[i].section) == 0 &&
		    strcmp(name, choices[i].name) == 0) {
			choose(st, &choices[i], value, line);
			return 1;
		}
	diag_error(st->path, line, 1, "unknown style key '%s' in [%s]",
	    name, section);
	return 1;
}

static void
defaults(struct style *st)
{
	st->page_width = 6 * 72;
	st->page_height = 9 * 72;
	st->margin_top = 0.75 * 72;
	st->margin_bottom = 0.85 * 72;
	st->margin_inner = 0.85 * 72;
	st->margin_outer = 0.65 * 72;
	st->two_sided = 1;
	st->head = HEAD_ALTERNATE;
	st->folio = FOLIO_NUMBER;
	st->toc = 1;
	st->size = 10.5;
	st->leading = 14;
	st->indent = 14;
	st->para_space = 0;
	st->code_size = 8.5;
	st->code_leading = 11;
	st->justify = 1;
	st->protrusion = 1;
	st->heading_size[0] = 20;
	st->heading_size[1] = 14;
	st->heading_size[2] = 12;
	st->heading_size[3] = 10.5;
	st->heading_size[4] = 10.5;
	st->heading_size[5] = 10.5;
	st->heading_before = 14;
	st->heading_after = 7;
	st->chapter_drop = 96;
}

/* A rule between two keys, reported at the second one's line. */
static void
relate(struct loader *l, int ok, const char *section, const char *name,
    const char *why)
{
	if (!ok)
		diag_error(l->st->path, keyline(l->text, section, name, 1), 1,
		    "%s: %s", name, why);
}

/*
 * A font file, read (by the caller: file.c keeps the list of files read)
 * and checked on any core; the caller says what failed.
 */
struct fontjob {
	const char	*path;		/* or NULL: none */
	struct buf	 data;
	struct ttf_info	 info;
	int		 rc;
	char		 why[256];
};

static void
check_font(void *arg, size_t i, size_t worker)
{
	struct fontjob	*j = (struct fontjob *)arg + i;

	(void)worker;
	if (j->path != NULL && j->rc == 0 && font_check_file(j->path,
	    (unsigned char *)j->data.data, j->data.len, &j->info, j->why,
	    sizeof(j->why)) == -1)
		j->rc = -1;
}

/*
 * Load the style at path over the built-in defaults.  Fonts are looked up
 * beside the style, in ../fonts beside it, then in datadir/fonts.  A
 * style the manuscript names (within: the manuscript folder, and path
 * relative to it) is read only from inside it, and so are its fonts, but
 * for folio's own.  Returns 0, or -1 after reporting every problem.
 */
int
style_load(struct style *st, const char *path, const char *datadir,
    const char *within)
{
	struct loader	 l;
	struct buf	 b = { NULL, 0, 0 };
	char		*dir, *slash, why[256];
	double		 measure, height;
	struct fontjob	 jobs[FONT__MAX + STYLE_MAX_FALLBACK];
	size_t		 i;
	int		 errs = diag_errors(), rc, outside;

	memset(st, 0, sizeof(*st));
	memset(jobs, 0, sizeof(jobs));
	defaults(st);
	if (within != NULL)
		buf_printf(&b, "%s/%s", within, path);
	else
		buf_puts(&b, path);
	st->path = buf_detach(&b);
	rc = within != NULL ? file_read_in(within, path, FILE_MAX_TEXT, &b,
	    why, sizeof(why)) : file_read(path, FILE_MAX_TEXT, &b, why,
	    sizeof(why));
	if (rc == -1) {
		diag_error(st->path, 0, 0, "cannot read style file: it %s",
		    why);
		buf_free(&b);
		return -1;
	}
	dir = xstrdup(st->path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else
		strcpy(dir, ".");
	memset(&l, 0, sizeof(l));
	l.st = st;
	l.text = b.data;
	l.dir = dir;
	l.datadir = datadir;
	l.within = within;
	if (utf8_invalid(b.data, b.len) != b.len)
		diag_error(st->path, 0, 0, "not a UTF-8 text file");
	else if ((rc = ini_parse_string(b.data, handler, &l)) > 0)
		diag_error(st->path, rc, 1, "malformed line");
	/* fonts the style leaves out are the defaults */
	for (i = 0; i < FONT__MAX; i++)
		if (st->font[i] == NULL && !l.fontbad[i] &&
		    (st->font[i] = findfont(&l, default_fonts[i],
		    &outside)) == NULL)
			diag_error(st->path, 1, 1, "[fonts] %s: the default "
			    "font file '%s' is not found", fontkeys[i],
			    default_fonts[i]);
	/* every font read once and checked before any library parses it */
	for (i = 0; i < FONT__MAX; i++)
		jobs[i].path = st->font[i];
	for (i = 0; i < st->nfallback; i++)
		jobs[FONT__MAX + i].path = st->fallback[i];
	for (i = 0; i < FONT__MAX + st->nfallback; i++)
		if (jobs[i].path != NULL && file_read(jobs[i].path,
		    FILE_MAX_FONT, &jobs[i].data, jobs[i].why,
		    sizeof(jobs[i].why)) == -1)
			jobs[i].rc = -1;
	par_for(FONT__MAX + st->nfallback, check_font, jobs);
	for (i = 0; i < FONT__MAX; i++) {
		if (st->font[i] == NULL)
			continue;
		if (jobs[i].rc == -1)
			diag_error(st->path, st->fontline[i] ? st->fontline[i] :
			    1, 1, "[fonts] %s: '%s' is not a usable font: %s",
			    fontkeys[i], st->font[i], jobs[i].why);
		else {
			st->fontinfo[i] = jobs[i].info;
			st->fontlen[i] = jobs[i].data.len;
			st->fontdata[i] =
			    (unsigned char *)buf_detach(&jobs[i].data);
		}
	}
	for (i = 0; i < st->nfallback; i++)
		if (jobs[FONT__MAX + i].rc == -1)
			diag_error(st->path, st->fallbackline, 1, "[fonts] "
			    "fallback: '%s' is not a usable font: %s",
			    st->fallback[i], jobs[FONT__MAX + i].why);
	for (i = 0; i < FONT__MAX + st->nfallback; i++)
		buf_free(&jobs[i].data);
	measure = st->page_width - st->margin_inner - st->margin_outer;
	height = st->page_height - st->margin_top - st->margin_bottom;
	relate(&l, measure >= st->size * 12 && height >= st->leading * 8,
	    "page", "width", "the margins leave no room for text (12 ems "
	    "by 8 lines at least)");
	relate(&l, st->leading >= st->size, "text", "leading",
	    "must be at least the text size");
	relate(&l, st->code_leading >= st->code_size, "text", "code-leading",
	    "must be at least the code size");
	relate(&l, st->indent <= measure / 4, "text", "indent",
	    "must be at most a quarter of the text width");
	relate(&l, st->chapter_drop <= height / 2, "headings", "chapter-drop",
	    "must be at most half the text block's height");
	for (i = 0; i < l.nseen; i++) {
		free(l.seen[i].section);
		free(l.seen[i].name);
	}
	free(l.seen);
	free(dir);
	buf_free(&b);
	return diag_errors() > errs ? -1 : 0;
}

void
style_free(struct style *st)
{
	int	 i;

	free(st->path);
	for (i = 0; i < FONT__MAX; i++) {
		free(st->font[i]);
		free(st->fontdata[i]);
	}
	free(st->features[0]);
	free(st->features[1]);
	for (i = 0; i < (int)st->nfallback; i++)
		free(st->fallback[i]);
	free(st->fallback);
	memset(st, 0, sizeof(*st));
}
