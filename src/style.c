/*
 * Style files.  An INI file (read with inih) sets the page, the fonts
 * and the sizes; every length carries its unit.  The same values drive
 * the PDF layout and the e-book's CSS, so the editions look alike.
 */
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "style.h"

struct loader {
	struct style	*st;
	const char	*text;
	const char	*dir;
	const char	*datadir;
	int		 fontbad[FONT__MAX];	/* reported already */
};

/* A length with its unit (pt, mm, cm, in) in points; -1 if malformed. */
int
style_length(const char *s, double *pt)
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
	return *pt <= 14400.0 ? 0 : -1;
}

/*
 * inih does not give handlers the line number, so find the key in the
 * text: the first line naming it inside its section.
 */
static int
keyline(const char *text, const char *section, const char *name)
{
	const char	*p = text, *e;
	size_t		 sl = strlen(section), nl = strlen(name);
	int		 line = 1, in = sl == 0;

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
		    strchr(" \t=:", p[nl]) != NULL)
			return line;
		if (*e == '\0')
			break;
		p = e + 1;
		line++;
	}
	return 1;
}

static char *
findfont(const struct loader *l, const char *file)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*dirs[3];
	size_t		 i;

	if (file[0] == '/')
		return access(file, R_OK) == 0 ? xstrdup(file) : NULL;
	dirs[0] = l->dir;
	dirs[1] = NULL;
	dirs[2] = l->datadir;
	for (i = 0; i < 3; i++) {
		buf_reset(&b);
		if (i == 1)
			buf_printf(&b, "%s/../fonts/%s", l->dir, file);
		else if (dirs[i] == NULL)
			continue;
		else if (i == 2)
			buf_printf(&b, "%s/fonts/%s", dirs[i], file);
		else
			buf_printf(&b, "%s/%s", dirs[i], file);
		if (access(b.data, R_OK) == 0)
			return buf_detach(&b);
	}
	buf_free(&b);
	return NULL;
}

struct lenkey {
	const char	*section;
	const char	*name;
	size_t		 off;
};

#define F(m) offsetof(struct style, m)
static const struct lenkey lengths[] = {
	{ "page", "width", F(page_width) },
	{ "page", "height", F(page_height) },
	{ "page", "margin-top", F(margin_top) },
	{ "page", "margin-bottom", F(margin_bottom) },
	{ "page", "margin-inner", F(margin_inner) },
	{ "page", "margin-outer", F(margin_outer) },
	{ "text", "size", F(size) },
	{ "text", "leading", F(leading) },
	{ "text", "indent", F(indent) },
	{ "text", "paragraph-space", F(para_space) },
	{ "text", "code-size", F(code_size) },
	{ "text", "code-leading", F(code_leading) },
	{ "headings", "h1-size", F(heading_size[0]) },
	{ "headings", "h2-size", F(heading_size[1]) },
	{ "headings", "h3-size", F(heading_size[2]) },
	{ "headings", "h4-size", F(heading_size[3]) },
	{ "headings", "h5-size", F(heading_size[4]) },
	{ "headings", "h6-size", F(heading_size[5]) },
	{ "headings", "space-before", F(heading_before) },
	{ "headings", "space-after", F(heading_after) },
	{ "headings", "chapter-drop", F(chapter_drop) },
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

static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct loader	*l = user;
	struct style	*st = l->st;
	size_t		 i;
	int		 line = keyline(l->text, section, name);
	char		*path;

	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		if (strcmp(section, lengths[i].section) ||
		    strcmp(name, lengths[i].name))
			continue;
		if (style_length(value, (double *)((char *)st +
		    lengths[i].off)) == -1)
			diag_error(st->path, line, 1, "%s: '%s' is not a "
			    "length with a unit (pt, mm, cm, in)", name, value);
		return 1;
	}
	if (strcmp(section, "fonts") == 0)
		for (i = 0; i < FONT__MAX; i++) {
			if (strcmp(name, fontkeys[i]))
				continue;
			if ((path = findfont(l, value)) == NULL) {
				diag_error(st->path, line, 1,
				    "font file '%s' not found", value);
				l->fontbad[i] = 1;
				return 1;
			}
			free(st->font[i]);
			st->font[i] = path;
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

static char *
readall(const char *path)
{
	struct buf	 b = { NULL, 0, 0 };

	if (buf_load(&b, path) == -1) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/*
 * Load the style at path over the built-in defaults.  Fonts are looked up
 * beside the style, in ../fonts beside it, then in datadir/fonts.
 * Returns 0, or -1 after reporting every problem.
 */
int
style_load(struct style *st, const char *path, const char *datadir)
{
	struct loader	 l;
	char		*text, *dir, *slash;
	int		 errs = diag_errors(), rc, i;

	memset(st, 0, sizeof(*st));
	defaults(st);
	st->path = xstrdup(path);
	if ((text = readall(path)) == NULL) {
		diag_error(path, 0, 0, "cannot read style file");
		return -1;
	}
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else
		strcpy(dir, ".");
	memset(&l, 0, sizeof(l));
	l.st = st;
	l.text = text;
	l.dir = dir;
	l.datadir = datadir;
	rc = ini_parse_string(text, handler, &l);
	if (rc > 0)
		diag_error(path, rc, 1, "malformed line");
	/* fonts the style leaves out are the defaults */
	for (i = 0; i < FONT__MAX; i++)
		if (st->font[i] == NULL && !l.fontbad[i] &&
		    (st->font[i] = findfont(&l, default_fonts[i])) == NULL)
			diag_error(path, 1, 1, "[fonts] %s: the default font "
			    "file '%s' is not found", fontkeys[i],
			    default_fonts[i]);
	if (st->size <= 0 || st->leading <= 0 || st->code_size <= 0 ||
	    st->code_leading <= 0)
		diag_error(path, 1, 1, "text sizes and leadings must be "
		    "greater than zero");
	if (st->page_width - st->margin_inner - st->margin_outer <
	    st->size * 10 || st->page_height - st->margin_top -
	    st->margin_bottom < st->leading * 6)
		diag_error(path, 1, 1, "the margins leave no room for text");
	free(dir);
	free(text);
	return diag_errors() > errs ? -1 : 0;
}

void
style_free(struct style *st)
{
	int	 i;

	free(st->path);
	for (i = 0; i < FONT__MAX; i++)
		free(st->font[i]);
	memset(st, 0, sizeof(*st));
}
