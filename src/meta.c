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
};
#undef F

static void
setval(struct mval *v, const yaml_node_t *n)
{
	free(v->s);
	v->s = xstrndup((const char *)n->data.scalar.value,
	    n->data.scalar.length);
	v->line = (int)n->start_mark.line + 1;
	v->col = (int)n->start_mark.column + 1;
}

static void
addval(struct mlist *l, const yaml_node_t *n)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	memset(&l->v[l->n], 0, sizeof(l->v[l->n]));
	setval(&l->v[l->n++], n);
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
			wrong(m->path, v, k->name, "a string");
		else
			setval((struct mval *)((char *)m + k->off), v);
		return;
	}
	l = (struct mlist *)((char *)m + k->off);
	if (v->type == YAML_SCALAR_NODE) {
		addval(l, v);
		return;
	}
	if (v->type != YAML_SEQUENCE_NODE) {
		wrong(m->path, v, k->name, "a string or a list of strings");
		return;
	}
	for (it = v->data.sequence.items.start;
	    it < v->data.sequence.items.top; it++) {
		e = yaml_document_get_node(doc, *it);
		if (e == NULL)
			continue;
		if (e->type != YAML_SCALAR_NODE)
			wrong(m->path, e, k->name,
			    "a string or a list of strings");
		else
			addval(l, e);
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

	if (m->path == NULL)
		m->path = xstrdup(path);
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
		if (!found)
			diag_warning(path, (int)k->start_mark.line + 1,
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
	memset(m, 0, sizeof(*m));
}
