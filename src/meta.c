/*
 * Metadata.  A YAML mapping from pandoc's key names (so authors' existing
 * files work) to strings or lists of strings.  Every value keeps the
 * position libyaml gives it; a wrong type is an error there, an unknown
 * key a warning.
 */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "buf.h"
#include "diag.h"
#include "meta.h"

enum kind { SCALAR, LIST };

struct key {
	const char	*name;
	enum kind	 kind;
	size_t		 off;
};

#define F(m) offsetof(struct meta, m)
static const struct key keys[] = {
	{ "title", SCALAR, F(title) },
	{ "subtitle", SCALAR, F(subtitle) },
	{ "author", LIST, F(authors) },
	{ "lang", SCALAR, F(lang) },
	{ "date", SCALAR, F(date) },
	{ "rights", SCALAR, F(rights) },
	{ "publisher", SCALAR, F(publisher) },
	{ "identifier", SCALAR, F(identifier) },
	{ "description", SCALAR, F(description) },
	{ "subject", LIST, F(subjects) },
	{ "cover-image", SCALAR, F(cover) },
	{ "edition", SCALAR, F(edition) },
	{ "style", SCALAR, F(style) },
	{ "chapters", LIST, F(chapters) },
	{ "smart", SCALAR, F(smart) },
	{ "top-level", SCALAR, F(toplevel) },
};
#undef F

/* The key whose value or list is at field. */
static const char *
keyname(const struct meta *m, const void *field)
{
	size_t	 i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((const char *)m + keys[i].off == (const char *)field)
			return keys[i].name;
	return "?";
}

/*
 * A value longer than META_MAX_VALUE, or one that takes its list's
 * values past it, is an error (once a list), and not kept: titles,
 * authors and subjects go into the PDF's strings, and no book needs a
 * title of 100,000 bytes.
 */
static int
too_long(struct meta *m, void *field, struct mlist *l, size_t len,
    const char *path, int line, int col)
{
	if (l == &m->chapters)
		return 0;
	if (l == NULL && len > META_MAX_VALUE) {
		diag_error(path, line, col, "'%s' is %zu bytes long; the "
		    "limit is %lu", keyname(m, field), len, META_MAX_VALUE);
		return 1;
	}
	if (l == NULL)
		return 0;
	if (l->bytes <= META_MAX_VALUE && len + 2 <= META_MAX_VALUE -
	    l->bytes) {
		l->bytes += len + 2;
		return 0;
	}
	if (l->bytes <= META_MAX_VALUE)
		diag_error(path, line, col, "the values of '%s' come to more "
		    "than %lu bytes", keyname(m, field), META_MAX_VALUE);
	l->bytes = META_MAX_VALUE + 1;
	return 1;
}

/*
 * Copy a value.  YAML aliases let a small file name one large string
 * thousands of times, and libyaml shares it; the copies are counted, so
 * that such a file is an error, not gigabytes.
 */
static int
setval(struct meta *m, struct mval *v, const yaml_node_t *n)
{
	size_t	 len = n->data.scalar.length;

	/* once over, m->bytes stays past the bound: no more copies */
	if (m->bytes > META_MAX_BYTES || len > META_MAX_BYTES - m->bytes) {
		if (m->bytes <= META_MAX_BYTES)
			diag_error(m->cur, (int)n->start_mark.line + 1,
			    (int)n->start_mark.column + 1, "the metadata "
			    "comes to more than %lu bytes (aliases repeating "
			    "a long value?)", META_MAX_BYTES);
		m->bytes = META_MAX_BYTES + 1;
		return -1;
	}
	m->bytes += len;
	free(v->s);
	v->s = xstrndup((const char *)n->data.scalar.value, len);
	v->file = m->cur;
	v->line = (int)n->start_mark.line + 1;
	v->col = (int)n->start_mark.column + 1;
	return 0;
}

/* The metadata's own copy of a file name, for values' positions. */
const char *
meta_file(struct meta *m, const char *path)
{
	size_t	 i;

	for (i = 0; i < m->nfiles; i++)
		if (strcmp(m->files[i], path) == 0)
			return m->files[i];
	m->files = xreallocarray(m->files, m->nfiles + 1, sizeof(*m->files));
	m->files[m->nfiles++] = xstrdup(path);
	if (m->path == NULL)
		m->path = xstrdup(path);
	return m->files[m->nfiles - 1];
}

/* Room for one more value: it doubles at each power of two. */
static void
grow(struct mlist *l)
{
	if ((l->n & (l->n - 1)) == 0)
		l->v = xreallocarray(l->v, l->n ? l->n * 2 : 1, sizeof(*l->v));
}

/* A value from elsewhere (book.toml), with its position. */
void
meta_set(struct meta *m, struct mval *v, const char *value, const char *path,
    int line, int col)
{
	if (too_long(m, v, NULL, strlen(value), path, line, col))
		return;
	free(v->s);
	v->s = xstrdup(value);
	v->file = meta_file(m, path);
	v->line = line;
	v->col = col;
}

void
meta_add(struct meta *m, struct mlist *l, const char *value, const char *path,
    int line, int col)
{
	if (too_long(m, l, l, strlen(value), path, line, col))
		return;
	grow(l);
	memset(&l->v[l->n], 0, sizeof(l->v[l->n]));
	l->v[l->n].s = xstrdup(value);
	l->v[l->n].file = meta_file(m, path);
	l->v[l->n].line = line;
	l->v[l->n++].col = col;
}

static void
addval(struct meta *m, struct mlist *l, const yaml_node_t *n)
{
	struct mval	 v;

	if (too_long(m, l, l, n->data.scalar.length, m->cur,
	    (int)n->start_mark.line + 1, (int)n->start_mark.column + 1))
		return;
	memset(&v, 0, sizeof(v));
	if (setval(m, &v, n) == -1)
		return;
	grow(l);
	l->v[l->n++] = v;
}

static void
wrong(const char *path, const yaml_node_t *n, const char *key,
    const char *want)
{
	diag_error(path, (int)n->start_mark.line + 1,
	    (int)n->start_mark.column + 1,
	    "metadata key '%s' must be %s", key, want);
}

static void
setkey(struct meta *m, yaml_document_t *doc, const struct key *k,
    yaml_node_t *v)
{
	yaml_node_item_t	*it;
	yaml_node_t		*e;
	struct mlist		*l;

	if (k->kind == SCALAR) {
		if (v->type != YAML_SCALAR_NODE)
			wrong(m->cur, v, k->name, "a string");
		else if (!too_long(m, (char *)m + k->off, NULL,
		    v->data.scalar.length, m->cur,
		    (int)v->start_mark.line + 1,
		    (int)v->start_mark.column + 1))
			setval(m, (struct mval *)((char *)m + k->off), v);
		return;
	}
	l = (struct mlist *)((char *)m + k->off);
	if (v->type == YAML_SCALAR_NODE) {
		addval(m, l, v);
		return;
	}
	if (v->type != YAML_SEQUENCE_NODE) {
		wrong(m->cur, v, k->name, "a string or a list of strings");
		return;
	}
	for (it = v->data.sequence.items.start;
	    it < v->data.sequence.items.top; it++) {
		e = yaml_document_get_node(doc, *it);
		if (e == NULL)
			continue;
		if (e->type != YAML_SCALAR_NODE)
			wrong(m->cur, e, k->name,
			    "a string or a list of strings");
		else
			addval(m, l, e);
	}
}

/*
 * Parse YAML text into m, reporting positions in path.  Front matter is
 * passed with the file's own leading lines, so its positions are the
 * file's.  Returns 0 on success, -1 after reporting.
 */
int
meta_parse(struct meta *m, const char *path, const char *text, size_t len)
{
	yaml_parser_t		 p;
	yaml_document_t		 doc;
	yaml_node_t		*root, *k, *v;
	yaml_node_pair_t	*pair;
	size_t			 i;
	int			 errs = diag_errors(), found;
	const char		*name;

	m->cur = meta_file(m, path);
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &doc)) {
		diag_error(path, (int)p.problem_mark.line + 1,
		    (int)p.problem_mark.column + 1, "invalid YAML: %s%s%s",
		    p.problem ? p.problem : "syntax error",
		    p.context ? " " : "", p.context ? p.context : "");
		yaml_parser_delete(&p);
		return -1;
	}
	root = yaml_document_get_root_node(&doc);
	if (root != NULL && root->type == YAML_SCALAR_NODE &&
	    root->data.scalar.length == 0)
		root = NULL;
	if (root != NULL && root->type != YAML_MAPPING_NODE) {
		diag_error(path, (int)root->start_mark.line + 1,
		    (int)root->start_mark.column + 1,
		    "metadata must be a mapping of keys to values");
		root = NULL;
	}
	for (pair = root ? root->data.mapping.pairs.start : NULL;
	    root && pair < root->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(&doc, pair->key);
		v = yaml_document_get_node(&doc, pair->value);
		if (k == NULL || v == NULL)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			wrong(path, k, "(key)", "a string");
			continue;
		}
		name = (const char *)k->data.scalar.value;
		found = 0;
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strcmp(name, keys[i].name) == 0) {
				setkey(m, &doc, &keys[i], v);
				found = 1;
				break;
			}
		/* (counted after the first few: aliases repeat a key) */
		if (!found)
			diag_warning_kind("metadata key", path,
			    (int)k->start_mark.line + 1,
			    (int)k->start_mark.column + 1,
			    "unknown metadata key '%s' ignored", name);
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&p);
	return diag_errors() > errs ? -1 : 0;
}

static void
list_free(struct mlist *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].s);
	free(l->v);
}

void
meta_free(struct meta *m)
{
	size_t	 i;

	for (i = 0; i < m->nfiles; i++)
		free(m->files[i]);
	free(m->files);
	free(m->path);
	free(m->title.s);
	free(m->subtitle.s);
	list_free(&m->authors);
	free(m->lang.s);
	free(m->date.s);
	free(m->rights.s);
	free(m->publisher.s);
	free(m->identifier.s);
	free(m->description.s);
	list_free(&m->subjects);
	free(m->cover.s);
	free(m->edition.s);
	free(m->style.s);
	list_free(&m->chapters);
	free(m->smart.s);
	free(m->toplevel.s);
	memset(m, 0, sizeof(*m));
}

static int
alpha(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z')))
			return 0;
	return 1;
}

static int
digits(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
alnum(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!alpha(s + i, 1) && !digits(s + i, 1))
			return 0;
	return 1;
}

/* The book's language: its lang, else English. */
const char *
meta_lang(const struct meta *m)
{
	return m->lang.s != NULL && *m->lang.s != '\0' ? m->lang.s : "en";
}

/*
 * A well-formed BCP 47 language tag (RFC 5646's syntax): language, then
 * extended language, script, region, variants, extensions and private
 * use, in that order; or private use alone ("x-klingon").
 */
int
meta_lang_ok(const char *tag)
{
	const char	*p = tag, *e;
	size_t		 n;
	int		 state = 0, ext = 0;

	if (*tag == '\0' || strlen(tag) > 64)
		return 0;
	while (*p) {
		e = p + strcspn(p, "-");
		n = (size_t)(e - p);
		if (n == 0 || n > 8 || !alnum(p, n))
			return 0;
		if (ext) {
			/* after a singleton: subtags of 2 to 8, or of 1 to
			   8 in private use */
			if (n == 1 && ext == 1 && *p != 'x' && *p != 'X')
				ext = 1;
			else if (n < (ext == 2 ? 1u : 2u))
				return 0;
		} else if (state == 0) {
			if (n == 1 && (*p == 'x' || *p == 'X'))
				ext = 2;
			else if (!alpha(p, n) || n == 1 || n == 4)
				return 0;
			state = n <= 3 ? 1 : 2;
		} else if (state == 1 && n == 3 && alpha(p, n))
			state = 1;	/* extlang */
		else if (state <= 2 && n == 4 && alpha(p, n))
			state = 3;	/* script */
		else if (state <= 3 && ((n == 2 && alpha(p, n)) ||
		    (n == 3 && digits(p, n))))
			state = 4;	/* region */
		else if ((n >= 5) || (n == 4 && digits(p, 1)))
			state = 5;	/* variant */
		else if (n == 1)
			ext = *p == 'x' || *p == 'X' ? 2 : 1;
		else
			return 0;
		p = *e ? e + 1 : e;
		if (*e && *p == '\0')
			return 0;
	}
	return 1;
}

/*
 * A calendar date written YYYY, YYYY-MM or YYYY-MM-DD: 1 and its parts
 * (month and day 1 when not given); 0 if it is not written so; -1 if it
 * is, but is no date (2023-02-30).
 */
int
meta_date(const char *s, int *y, int *m, int *d)
{
	static const int days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	size_t	 n = strlen(s);
	int	 leap;

	if ((n != 4 && n != 7 && n != 10) || !digits(s, 4) ||
	    (n > 4 && (s[4] != '-' || !digits(s + 5, 2))) ||
	    (n > 7 && (s[7] != '-' || !digits(s + 8, 2))))
		return 0;
	*y = atoi(s);
	*m = n > 4 ? atoi(s + 5) : 1;
	*d = n > 7 ? atoi(s + 8) : 1;
	leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	if (*y < 1 || *m < 1 || *m > 12 || *d < 1 || *d > days[*m - 1] ||
	    (*m == 2 && *d == 29 && !leap))
		return -1;
	return 1;
}
