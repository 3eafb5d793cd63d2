/*
 * The HTML authors mix into Markdown, made into the one tree both
 * editions walk.  cmark hands raw HTML over as it was written: an inline
 * tag at a time (<sub>, then text, then </sub>), and blocks that may be
 * only an opening tag (<div>, <Listing caption="…">) whose Markdown
 * content follows.  Here tags are paired and become nodes:
 *
 *   - formatting (em, strong, code, kbd, sub, sup, u, s, small, mark,
 *     a, br, img, anchors with an id) becomes cmark nodes, or custom
 *     nodes that name a struct element of the book;
 *   - wrappers (div, figure, details, Listing, …) enclose the Markdown
 *     between their opening and closing blocks;
 *   - a complete block (<span class="filename">…</span>, <figure><img
 *     …></figure>) is parsed with libxml2's HTML parser and converted;
 *   - a "tag" that is no HTML element (Vec<T>, <u8>) is text, as the
 *     author meant it;
 *   - scripts, styles, frames, forms and event handlers are dropped,
 *     each with a warning, and comments quietly.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "book.h"
#include "buf.h"
#include "diag.h"
#include "markdown.h"

/* How an element is carried. */
enum carry {
	C_UNKNOWN,	/* not HTML: the tag is text */
	C_EMPH,		/* em, i, cite, var, dfn */
	C_STRONG,	/* strong, b */
	C_CODE,		/* code, tt, samp */
	C_CUSTOM,	/* kbd, sub, sup, u, small, mark: an element */
	C_STRIKE,	/* s, del, strike */
	C_LINK,		/* a */
	C_SPAN,		/* span, and inline elements kept as their text */
	C_BR,
	C_IMG,
	C_BLOCK,	/* div, figure, details, ...: wraps Markdown */
	C_VOID,		/* hr, wbr: nothing to set */
	C_DROP		/* script, style, iframe, ...: dropped, content too */
};

static const struct {
	const char	*name;
	enum carry	 carry;
} elements[] = {
	{ "a", C_LINK }, { "abbr", C_SPAN }, { "address", C_BLOCK },
	{ "applet", C_DROP }, { "article", C_BLOCK }, { "aside", C_BLOCK },
	{ "audio", C_DROP }, { "b", C_STRONG }, { "base", C_DROP },
	{ "bdi", C_SPAN }, { "bdo", C_SPAN }, { "big", C_SPAN },
	{ "blockquote", C_BLOCK }, { "body", C_BLOCK }, { "br", C_BR },
	{ "button", C_DROP }, { "canvas", C_DROP }, { "caption", C_BLOCK },
	{ "center", C_BLOCK }, { "cite", C_EMPH }, { "code", C_CODE },
	{ "data", C_SPAN }, { "dd", C_BLOCK }, { "del", C_STRIKE },
	{ "details", C_BLOCK }, { "dfn", C_EMPH }, { "dialog", C_DROP },
	{ "div", C_BLOCK }, { "dl", C_BLOCK }, { "dt", C_BLOCK },
	{ "em", C_EMPH }, { "embed", C_DROP }, { "fieldset", C_BLOCK },
	{ "figcaption", C_BLOCK }, { "figure", C_BLOCK }, { "font", C_SPAN },
	{ "footer", C_BLOCK }, { "form", C_DROP }, { "frame", C_DROP },
	{ "frameset", C_DROP }, { "h1", C_BLOCK }, { "h2", C_BLOCK },
	{ "h3", C_BLOCK }, { "h4", C_BLOCK }, { "h5", C_BLOCK },
	{ "h6", C_BLOCK }, { "head", C_DROP }, { "header", C_BLOCK },
	{ "hr", C_VOID }, { "html", C_BLOCK }, { "i", C_EMPH },
	{ "iframe", C_DROP }, { "img", C_IMG }, { "input", C_DROP },
	{ "ins", C_CUSTOM }, { "kbd", C_CUSTOM }, { "label", C_SPAN },
	{ "legend", C_BLOCK }, { "li", C_BLOCK }, { "link", C_DROP },
	{ "main", C_BLOCK }, { "map", C_DROP }, { "mark", C_CUSTOM },
	{ "math", C_DROP }, { "meta", C_DROP }, { "meter", C_DROP },
	{ "nav", C_BLOCK }, { "noscript", C_DROP }, { "object", C_DROP },
	{ "ol", C_BLOCK }, { "output", C_SPAN }, { "p", C_BLOCK },
	{ "param", C_DROP }, { "picture", C_SPAN }, { "pre", C_BLOCK },
	{ "progress", C_DROP }, { "q", C_SPAN }, { "rp", C_SPAN },
	{ "rt", C_SPAN }, { "ruby", C_SPAN }, { "s", C_STRIKE },
	{ "samp", C_CODE }, { "script", C_DROP }, { "section", C_BLOCK },
	{ "select", C_DROP }, { "small", C_CUSTOM }, { "source", C_DROP },
	{ "span", C_SPAN }, { "strike", C_STRIKE }, { "strong", C_STRONG },
	{ "style", C_DROP }, { "sub", C_CUSTOM }, { "summary", C_BLOCK },
	{ "sup", C_CUSTOM }, { "svg", C_DROP }, { "table", C_BLOCK },
	{ "tbody", C_BLOCK }, { "td", C_BLOCK }, { "template", C_DROP },
	{ "textarea", C_DROP }, { "tfoot", C_BLOCK }, { "th", C_BLOCK },
	{ "thead", C_BLOCK }, { "time", C_SPAN }, { "title", C_DROP },
	{ "tr", C_BLOCK }, { "track", C_DROP }, { "tt", C_CODE },
	{ "u", C_CUSTOM }, { "ul", C_BLOCK }, { "var", C_EMPH },
	{ "video", C_DROP }, { "wbr", C_VOID },
};

/* Custom wrappers of mdBook books: an element although not HTML's. */
static const char *const custom_blocks[] = { "Listing" };

static enum carry
carry_of(const char *name)
{
	size_t	 lo = 0, hi = sizeof(elements) / sizeof(elements[0]), mid;
	int	 c;
	size_t	 i;

	for (i = 0; i < sizeof(custom_blocks) / sizeof(custom_blocks[0]); i++)
		if (strcmp(name, custom_blocks[i]) == 0)
			return C_BLOCK;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((c = strcmp(name, elements[mid].name)) == 0)
			return elements[mid].carry;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return C_UNKNOWN;
}

/* ------------------------------------------------------------ tags */

enum tagkind { TAG_OPEN, TAG_CLOSE, TAG_EMPTY, TAG_COMMENT, TAG_OTHER };

struct attr {
	char	*name, *value;
};

struct tag {
	enum tagkind	 kind;
	char		 name[32];
	struct attr	*a;
	size_t		 na;
	size_t		 len;		/* bytes of the tag */
};

static void
tag_free(struct tag *t)
{
	size_t	 i;

	for (i = 0; i < t->na; i++) {
		free(t->a[i].name);
		free(t->a[i].value);
	}
	free(t->a);
	t->a = NULL;
	t->na = 0;
}

static const char *
tag_attr(const struct tag *t, const char *name)
{
	size_t	 i;

	for (i = 0; i < t->na; i++)
		if (strcasecmp(t->a[i].name, name) == 0)
			return t->a[i].value ? t->a[i].value : "";
	return NULL;
}

/* Decode the few entities attribute values use. */
static char *
unentity(const char *s, size_t n)
{
	static const struct {
		const char	*e;
		const char	*c;
	} ents[] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
		{ "&quot;", "\"" }, { "&#39;", "'" }, { "&apos;", "'" },
	};
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i, k, l;

	for (i = 0; i < n; i++) {
		for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
			l = strlen(ents[k].e);
			if (l <= n - i && strncmp(s + i, ents[k].e, l) == 0)
				break;
		}
		if (k < sizeof(ents) / sizeof(ents[0])) {
			buf_puts(&b, ents[k].c);
			i += strlen(ents[k].e) - 1;
		} else
			buf_putc(&b, s[i]);
	}
	return buf_detach(&b);
}

/*
 * Read one tag at s (cmark has checked its syntax for inline HTML; for
 * blocks it has not).  0 if s does not start with a tag.
 */
static size_t
scan_tag(const char *s, size_t n, struct tag *t)
{
	size_t	 i = 1, k, v0, v1;
	char	 q;

	memset(t, 0, sizeof(*t));
	if (n < 3 || s[0] != '<')
		return 0;
	if (n >= 4 && strncmp(s, "<!--", 4) == 0) {
		for (i = 4; i + 2 < n; i++)
			if (strncmp(s + i, "-->", 3) == 0)
				break;
		t->kind = TAG_COMMENT;
		return t->len = i + 2 < n ? i + 3 : n;
	}
	if (s[1] == '!' || s[1] == '?') {
		t->kind = TAG_OTHER;
		for (i = 1; i < n && s[i] != '>'; i++)
			continue;
		return t->len = i < n ? i + 1 : n;
	}
	t->kind = TAG_OPEN;
	if (s[1] == '/') {
		t->kind = TAG_CLOSE;
		i = 2;
	}
	for (k = 0; i < n && (isalnum((unsigned char)s[i]) || s[i] == '-');
	    i++)
		if (k + 1 < sizeof(t->name))
			t->name[k++] = s[i];
	t->name[k] = '\0';
	if (k == 0 || !isalpha((unsigned char)t->name[0]))
		return 0;
	for (;;) {
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (i >= n) {
			tag_free(t);
			return 0;
		}
		if (s[i] == '>')
			return t->len = i + 1;
		if (s[i] == '/' && i + 1 < n && s[i + 1] == '>') {
			if (t->kind == TAG_OPEN)
				t->kind = TAG_EMPTY;
			return t->len = i + 2;
		}
		for (k = i; i < n && !isspace((unsigned char)s[i]) &&
		    s[i] != '=' && s[i] != '>' && s[i] != '/'; i++)
			continue;
		if (i == k) {
			tag_free(t);
			return 0;
		}
		t->a = xreallocarray(t->a, t->na + 1, sizeof(*t->a));
		t->a[t->na].name = xstrndup(s + k, i - k);
		t->a[t->na++].value = NULL;
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (i >= n || s[i] != '=')
			continue;
		for (i++; i < n && isspace((unsigned char)s[i]); i++)
			continue;
		if (i < n && (s[i] == '"' || s[i] == '\'')) {
			q = s[i++];
			for (v0 = i; i < n && s[i] != q; i++)
				continue;
			v1 = i;
			if (i < n)
				i++;
		} else {
			for (v0 = i; i < n && !isspace((unsigned char)s[i]) &&
			    s[i] != '>'; i++)
				continue;
			v1 = i;
		}
		t->a[t->na - 1].value = unentity(s + v0, v1 - v0);
	}
}

/* A whole literal that is exactly one tag (and blanks). */
static int
only_tag(const char *lit, struct tag *t)
{
	size_t	 n = strlen(lit), k;

	while (n > 0 && isspace((unsigned char)lit[n - 1]))
		n--;
	if ((k = scan_tag(lit, n, t)) == 0)
		return 0;
	if (k != n) {
		tag_free(t);
		return 0;
	}
	return 1;
}

/* ------------------------------------------------------------ nodes */

struct conv {
	struct book	*bk;
	struct source	*src;
	int		 line, col;	/* of the HTML being converted */
};

static void
dropped(struct conv *cv, const char *name, int line, int col)
{
	diag_warning_kind("html", cv->src->path, line, col, "<%s> is not "
	    "carried into the book; dropped", name);
}

static size_t
new_element(struct book *bk, const char *name)
{
	struct element	*e;

	bk->elements = xreallocarray(bk->elements, bk->nelements + 1,
	    sizeof(*bk->elements));
	e = &bk->elements[bk->nelements++];
	memset(e, 0, sizeof(*e));
	e->name = xstrdup(name);
	return bk->nelements - 1;
}

static char *
dupnull(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* A node made here: it has no position of its own, so it gets the HTML's. */
static cmark_node *
made(struct conv *cv, cmark_node *n)
{
	book_set_where(cv->bk, n, cv->line, cv->col);
	return n;
}

/* A custom node that stands for an element of the book. */
static cmark_node *
element_node(struct conv *cv, cmark_node_type type, const char *name,
    const struct tag *t)
{
	cmark_node	*n = markdown_node_new(type);
	size_t		 i = new_element(cv->bk, name);
	struct element	*e = &cv->bk->elements[i];

	cmark_node_set_on_enter(n, name);
	cmark_node_set_user_data(n, (void *)(uintptr_t)(i + 1));
	if (t != NULL) {
		e->id = dupnull(tag_attr(t, "id"));
		if (e->id == NULL && strcmp(name, "anchor") == 0)
			e->id = dupnull(tag_attr(t, "name"));
		e->src = dupnull(tag_attr(t, "src"));
		e->alt = dupnull(tag_attr(t, "alt"));
		e->caption = dupnull(tag_attr(t, "caption"));
		e->file = dupnull(tag_attr(t, "file-name"));
		e->number = dupnull(tag_attr(t, "number"));
		e->cls = dupnull(tag_attr(t, "class"));
		e->open = tag_attr(t, "open") != NULL;
	}
	return made(cv, n);
}

static cmark_node *
text_node(struct conv *cv, const char *s)
{
	cmark_node	*n = markdown_node_new(CMARK_NODE_TEXT);

	cmark_node_set_literal(n, s);
	return made(cv, n);
}

/* An <img>: an image node, its alt text as its content. */
static cmark_node *
image_node(struct conv *cv, const struct tag *t)
{
	cmark_node	*n = markdown_node_new(CMARK_NODE_IMAGE);
	const char	*alt = tag_attr(t, "alt"), *title = tag_attr(t, "title");

	cmark_node_set_url(n, tag_attr(t, "src") ? tag_attr(t, "src") : "");
	if (title != NULL)
		cmark_node_set_title(n, title);
	if (alt != NULL && *alt)
		cmark_node_append_child(n, text_node(cv, alt));
	return made(cv, n);
}

/*
 * Move the siblings after from, up to (not including) to, into box.  A
 * node the box cannot hold is freed rather than left unlinked.
 */
static void
wrap(cmark_node *box, cmark_node *from, cmark_node *to)
{
	cmark_node	*n, *next;

	for (n = cmark_node_next(from); n != NULL && n != to; n = next) {
		next = cmark_node_next(n);
		cmark_node_unlink(n);
		if (!cmark_node_append_child(box, n))
			cmark_node_free(n);
	}
}

/* ------------------------------------------------------------ inline */

struct open {
	cmark_node	*node;		/* the opening tag's node */
	struct tag	 tag;
	enum carry	 carry;
};

/* The link an <a href> makes; javascript: and its kind never. */
static cmark_node *
link_node(struct conv *cv, const struct tag *t)
{
	const char	*href = tag_attr(t, "href");
	cmark_node	*n;

	if (href == NULL) {
		if (tag_attr(t, "id") == NULL && tag_attr(t, "name") == NULL)
			return NULL;
		return element_node(cv, CMARK_NODE_CUSTOM_INLINE, "anchor", t);
	}
	n = markdown_node_new(CMARK_NODE_LINK);
	cmark_node_set_url(n, href);
	if (tag_attr(t, "title") != NULL)
		cmark_node_set_title(n, tag_attr(t, "title"));
	return made(cv, n);
}

/* The container a pair of tags makes, or NULL to keep the content bare. */
static cmark_node *
pair_node(struct conv *cv, const struct open *o)
{
	switch (o->carry) {
	case C_EMPH:
		return made(cv, markdown_node_new(CMARK_NODE_EMPH));
	case C_STRONG:
		return made(cv, markdown_node_new(CMARK_NODE_STRONG));
	case C_STRIKE:
		return made(cv, markdown_strikethrough());
	case C_CUSTOM:
		return element_node(cv, CMARK_NODE_CUSTOM_INLINE, o->tag.name,
		    &o->tag);
	case C_LINK:
		return link_node(cv, &o->tag);
	case C_SPAN:
		if (tag_attr(&o->tag, "id") != NULL)
			return element_node(cv, CMARK_NODE_CUSTOM_INLINE,
			    "anchor", &o->tag);
		/* a class may say what it is (mdBook's "filename") */
		if (tag_attr(&o->tag, "class") != NULL)
			return element_node(cv, CMARK_NODE_CUSTOM_INLINE,
			    "span", &o->tag);
		return NULL;
	default:
		return NULL;
	}
}

/* <code>…</code>: one code span of the content's text. */
static cmark_node *
code_of(struct conv *cv, cmark_node *from, cmark_node *to)
{
	struct buf	 b = { NULL, 0, 0 };
	cmark_node	*n, *c;
	char		*t;

	for (n = cmark_node_next(from); n != NULL && n != to;
	    n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) == CMARK_NODE_SOFTBREAK)
			buf_putc(&b, ' ');
		else {
			t = book_plain(n);
			if (*t == '\0' && cmark_node_get_literal(n) != NULL)
				buf_puts(&b, cmark_node_get_literal(n));
			else
				buf_puts(&b, t);
			free(t);
		}
	}
	c = markdown_node_new(CMARK_NODE_CODE);
	cmark_node_set_literal(c, b.data ? b.data : "");
	buf_free(&b);
	return made(cv, c);
}

/* Remove the nodes from a to b, both included. */
static void
remove_range(cmark_node *a, cmark_node *b)
{
	cmark_node	*n, *next;

	for (n = a; n != NULL; n = next) {
		next = cmark_node_next(n);
		cmark_node_free(n);
		if (n == b)
			break;
	}
}

/*
 * Pair the inline tags among one parent's children, and convert each
 * HTML node: a container for what a pair encloses, a node of its own
 * (br, img), text for what is not HTML, nothing for the rest.
 */
static void
inline_children(struct conv *cv, cmark_node *parent)
{
	struct open	*st = NULL;
	size_t		 nst = 0, k;
	cmark_node	*n, *next, *box;
	const char	*lit;
	struct tag	 t;
	enum carry	 c;

	for (n = cmark_node_first_child(parent); n != NULL; n = next) {
		next = cmark_node_next(n);
		if (cmark_node_get_type(n) != CMARK_NODE_HTML_INLINE)
			continue;
		lit = cmark_node_get_literal(n);
		cv->line = cmark_node_get_start_line(n);
		cv->col = cmark_node_get_start_column(n);
		if (lit == NULL || scan_tag(lit, strlen(lit), &t) == 0) {
			cmark_node_insert_before(n, text_node(cv, lit ? lit : ""));
			cmark_node_free(n);
			continue;
		}
		if (t.kind == TAG_COMMENT || t.kind == TAG_OTHER) {
			cmark_node_free(n);
			tag_free(&t);
			continue;
		}
		c = carry_of(t.name);
		if (c == C_UNKNOWN) {
			/* Vec<T>: the author meant the text */
			cmark_node_insert_before(n, text_node(cv, lit));
			cmark_node_free(n);
			tag_free(&t);
			continue;
		}
		if (c == C_BR && t.kind != TAG_CLOSE) {
			cmark_node_insert_before(n,
			    made(cv, markdown_node_new(CMARK_NODE_LINEBREAK)));
			cmark_node_free(n);
		} else if (c == C_IMG && t.kind != TAG_CLOSE) {
			cmark_node_insert_before(n, image_node(cv, &t));
			cmark_node_free(n);
		} else if (c == C_DROP && t.kind == TAG_OPEN) {
			/* its content goes with it, to the closing tag */
			dropped(cv, t.name, cv->line, cv->col);
			for (box = next; box != NULL; box = cmark_node_next(box)) {
				struct tag	 ct;

				if (cmark_node_get_type(box) ==
				    CMARK_NODE_HTML_INLINE &&
				    (lit = cmark_node_get_literal(box)) != NULL &&
				    scan_tag(lit, strlen(lit), &ct) > 0) {
					int	 end = ct.kind == TAG_CLOSE &&
					    strcmp(ct.name, t.name) == 0;

					tag_free(&ct);
					if (end)
						break;
				}
			}
			next = box != NULL ? cmark_node_next(box) : NULL;
			remove_range(n, box);
		} else if (c == C_DROP) {
			if (t.kind == TAG_EMPTY)
				dropped(cv, t.name, cv->line, cv->col);
			cmark_node_free(n);
		} else if (t.kind == TAG_OPEN && c != C_VOID) {
			st = xreallocarray(st, nst + 1, sizeof(*st));
			st[nst].node = n;
			st[nst].tag = t;
			st[nst++].carry = c;
			continue;		/* t is the stack's now */
		} else if (t.kind == TAG_EMPTY && (c == C_LINK ||
		    c == C_SPAN) && (box = pair_node(cv, &(struct open){
		    n, t, c })) != NULL) {
			cmark_node_insert_before(n, box);
			cmark_node_free(n);
		} else if (t.kind == TAG_CLOSE) {
			for (k = nst; k > 0; k--)
				if (strcmp(st[k - 1].tag.name, t.name) == 0)
					break;
			if (k > 0) {
				/* inner tags left open are dropped */
				while (nst > k) {
					nst--;
					cmark_node_free(st[nst].node);
					tag_free(&st[nst].tag);
				}
				nst--;
				cv->line = cmark_node_get_start_line(
				    st[nst].node);
				cv->col = cmark_node_get_start_column(
				    st[nst].node);
				if (st[nst].carry == C_CODE)
					box = code_of(cv, st[nst].node, n);
				else
					box = pair_node(cv, &st[nst]);
				if (box != NULL) {
					if (st[nst].carry == C_CODE)
						remove_range(cmark_node_next(
						    st[nst].node) == n ? NULL :
						    cmark_node_next(st[nst].node),
						    cmark_node_previous(n));
					else
						wrap(box, st[nst].node, n);
					cmark_node_insert_before(st[nst].node,
					    box);
				}
				cmark_node_free(st[nst].node);
				tag_free(&st[nst].tag);
			}
			cmark_node_free(n);
		} else
			cmark_node_free(n);
		tag_free(&t);
	}
	/* tags never closed: their content stays, they go */
	while (nst > 0) {
		nst--;
		cmark_node_free(st[nst].node);
		tag_free(&st[nst].tag);
	}
	free(st);
}

/* ------------------------------------------------------------ blocks */

#define DOM_DEPTH	64	/* deeper HTML is set as its text */

static void	convert_dom(struct conv *, xmlNodePtr, cmark_node *, int, int);

static int
is_inline_parent(cmark_node *n)
{
	cmark_node_type	 t = cmark_node_get_type(n);

	return t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING ||
	    t == CMARK_NODE_TABLE_CELL;
}

/* A libxml2 element's attributes as a tag, for element_node. */
static void
xtag(xmlNodePtr e, struct tag *t)
{
	xmlAttrPtr	 a;

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", (const char *)e->name);
	for (a = e->properties; a != NULL; a = a->next) {
		t->a = xreallocarray(t->a, t->na + 1, sizeof(*t->a));
		t->a[t->na].name = xstrdup((const char *)a->name);
		t->a[t->na++].value = xstrdup(a->children != NULL &&
		    a->children->content != NULL ?
		    (const char *)a->children->content : "");
	}
}

/* Where inline content goes: into parent, or a paragraph made for it. */
static cmark_node *
inline_home(struct conv *cv, cmark_node *parent, int inl)
{
	cmark_node	*last;

	if (inl)
		return parent;
	last = cmark_node_last_child(parent);
	if (last != NULL && cmark_node_get_type(last) ==
	    CMARK_NODE_PARAGRAPH && cmark_node_get_user_data(last) ==
	    (void *)1)
		return last;
	last = made(cv, markdown_node_new(CMARK_NODE_PARAGRAPH));
	cmark_node_set_user_data(last, (void *)1);	/* open for text */
	cmark_node_append_child(parent, last);
	return last;
}

static void
close_para(cmark_node *parent)
{
	cmark_node	*last = cmark_node_last_child(parent);

	if (last != NULL && cmark_node_get_type(last) ==
	    CMARK_NODE_PARAGRAPH && cmark_node_get_user_data(last) ==
	    (void *)1)
		cmark_node_set_user_data(last, NULL);
}

/* Text of a DOM node, whitespace collapsed as HTML renders it. */
static void
dom_text(struct conv *cv, cmark_node *home, const char *s)
{
	struct buf	 b = { NULL, 0, 0 };
	cmark_node	*tn;
	int		 sp = 0;

	for (; *s; s++) {
		if (isspace((unsigned char)*s))
			sp = 1;
		else {
			if (sp && (b.len > 0 || cmark_node_last_child(home)))
				buf_putc(&b, ' ');
			sp = 0;
			buf_putc(&b, *s);
		}
	}
	if (sp && b.len > 0)
		buf_putc(&b, ' ');
	if (b.len > 0) {
		tn = text_node(cv, b.data);
		if (!cmark_node_append_child(home, tn))
			cmark_node_free(tn);
	}
	buf_free(&b);
}

static void
convert_children(struct conv *cv, xmlNodePtr e, cmark_node *parent, int inl,
    int depth)
{
	xmlNodePtr	 c;
	xmlChar		*s;

	if (depth >= DOM_DEPTH) {
		s = xmlNodeGetContent(e);
		dom_text(cv, inline_home(cv, parent, inl), s ?
		    (const char *)s : "");
		xmlFree(s);
		return;
	}
	for (c = e->children; c != NULL; c = c->next)
		convert_dom(cv, c, parent, inl, depth + 1);
}

/*
 * A DOM node (from a complete HTML block) into cmark nodes under parent.
 * inl: parent holds inlines.
 */
static void
convert_dom(struct conv *cv, xmlNodePtr e, cmark_node *parent, int inl,
    int depth)
{
	cmark_node	*n, *home;
	struct tag	 t;
	const char	*name;
	enum carry	 c;

	if (e->type == XML_TEXT_NODE || e->type == XML_CDATA_SECTION_NODE) {
		if (e->content != NULL) {
			home = inline_home(cv, parent, inl);
			dom_text(cv, home, (const char *)e->content);
			if (!inl && cmark_node_first_child(home) == NULL)
				cmark_node_free(home);
		}
		return;
	}
	if (e->type != XML_ELEMENT_NODE || e->name == NULL)
		return;
	name = (const char *)e->name;
	c = carry_of(name);
	if (c == C_DROP) {
		dropped(cv, name, cv->line, cv->col);
		return;
	}
	if (c == C_UNKNOWN || c == C_VOID) {
		convert_children(cv, e, parent, inl, depth);
		return;
	}
	if (c == C_BLOCK && !inl) {
		close_para(parent);
		xtag(e, &t);
		if (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' &&
		    name[2] == '\0') {
			n = made(cv, markdown_node_new(CMARK_NODE_HEADING));
			cmark_node_set_heading_level(n, name[1] - '0');
			cmark_node_append_child(parent, n);
			convert_children(cv, e, n, 1, depth);
		} else if (strcmp(name, "p") == 0 && t.na == 0) {
			n = made(cv, markdown_node_new(CMARK_NODE_PARAGRAPH));
			cmark_node_append_child(parent, n);
			convert_children(cv, e, n, 1, depth);
		} else if (strcmp(name, "pre") == 0) {
			struct buf	 b = { NULL, 0, 0 };
			xmlChar		*s = xmlNodeGetContent(e);

			n = made(cv, markdown_node_new(CMARK_NODE_CODE_BLOCK));
			buf_puts(&b, s ? (const char *)s : "");
			if (b.len == 0 || b.data[b.len - 1] != '\n')
				buf_putc(&b, '\n');
			cmark_node_set_literal(n, b.data);
			buf_free(&b);
			xmlFree(s);
			cmark_node_append_child(parent, n);
		} else if (strcmp(name, "hr") == 0)
			cmark_node_append_child(parent, made(cv,
			    markdown_node_new(CMARK_NODE_THEMATIC_BREAK)));
		else {
			/* a box of blocks: div, figure, details, li, td… */
			n = element_node(cv, CMARK_NODE_CUSTOM_BLOCK, name, &t);
			cmark_node_append_child(parent, n);
			convert_children(cv, e, n, 0, depth);
			close_para(n);
		}
		tag_free(&t);
		close_para(parent);
		return;
	}
	/* inline: into a paragraph when the parent holds blocks */
	home = inline_home(cv, parent, inl);
	xtag(e, &t);
	n = NULL;
	switch (c) {
	case C_BR:
		cmark_node_append_child(home, made(cv,
		    markdown_node_new(CMARK_NODE_LINEBREAK)));
		break;
	case C_IMG:
		cmark_node_append_child(home, image_node(cv, &t));
		break;
	case C_CODE: {
		xmlChar	*s = xmlNodeGetContent(e);

		n = made(cv, markdown_node_new(CMARK_NODE_CODE));
		cmark_node_set_literal(n, s ? (const char *)s : "");
		xmlFree(s);
		cmark_node_append_child(home, n);
		break;
	}
	case C_BLOCK:	/* a block element inside inline content */
		convert_children(cv, e, home, 1, depth);
		break;
	default: {
		struct open	 o;

		o.node = NULL;
		o.tag = t;
		o.carry = c;
		n = pair_node(cv, &o);
		if (n != NULL) {
			cmark_node_append_child(home, n);
			convert_children(cv, e, n, 1, depth);
		} else
			convert_children(cv, e, home, 1, depth);
		break;
	}
	}
	tag_free(&t);
}

/*
 * A complete HTML block, parsed with libxml2 (no network, no DTD), as
 * cmark nodes inserted before node.
 */
static void
block_fragment(struct conv *cv, cmark_node *node, const char *lit)
{
	htmlDocPtr	 doc;
	xmlNodePtr	 root;
	cmark_node	*box, *n, *next;

	doc = htmlReadMemory(lit, (int)strlen(lit), NULL, "UTF-8",
	    HTML_PARSE_NOIMPLIED | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	    HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT);
	if (doc == NULL)
		return;
	box = markdown_node_new(CMARK_NODE_DOCUMENT);
	for (root = doc->children; root != NULL; root = root->next)
		convert_dom(cv, root, box, 0, 0);
	close_para(box);
	for (n = cmark_node_first_child(box); n != NULL; n = next) {
		next = cmark_node_next(n);
		cmark_node_unlink(n);
		cmark_node_insert_before(node, n);
	}
	cmark_node_free(box);
	xmlFreeDoc(doc);
}

struct bopen {
	cmark_node	*node;
	struct tag	 tag;
};

/*
 * A block that begins with the opening tag of an element that wraps
 * Markdown and does not close it: the element's content goes on after
 * the block.
 */
static int
opens_wrapper(const char *lit, struct tag *t)
{
	char	 close[40];

	if (scan_tag(lit, strlen(lit), t) == 0)
		return 0;
	if (t->kind != TAG_OPEN || carry_of(t->name) != C_BLOCK) {
		tag_free(t);
		return 0;
	}
	snprintf(close, sizeof(close), "</%s", t->name);
	if (strstr(lit, close) != NULL) {
		tag_free(t);
		return 0;
	}
	return 1;
}

/*
 * The blocks of one container: an HTML block that is only an opening
 * tag waits for its closing one, and the blocks between become the
 * element's content; any other HTML block is converted as a whole.
 */
static void
block_children(struct conv *cv, cmark_node *parent)
{
	struct bopen	*st = NULL;
	size_t		 nst = 0, k;
	cmark_node	*n, *next, *box;
	const char	*lit;
	struct tag	 t;

	for (n = cmark_node_first_child(parent); n != NULL; n = next) {
		next = cmark_node_next(n);
		if (cmark_node_get_type(n) != CMARK_NODE_HTML_BLOCK)
			continue;
		lit = cmark_node_get_literal(n);
		cv->line = cmark_node_get_start_line(n);
		cv->col = cmark_node_get_start_column(n);
		if (lit == NULL)
			;
		else if (only_tag(lit, &t)) {
			if (t.kind == TAG_COMMENT || t.kind == TAG_OTHER)
				;
			else if (t.kind == TAG_OPEN &&
			    carry_of(t.name) == C_BLOCK) {
				st = xreallocarray(st, nst + 1, sizeof(*st));
				st[nst].node = n;
				st[nst++].tag = t;
				continue;
			} else if (t.kind == TAG_CLOSE &&
			    carry_of(t.name) == C_BLOCK) {
				for (k = nst; k > 0; k--)
					if (strcmp(st[k - 1].tag.name,
					    t.name) == 0)
						break;
				if (k > 0) {
					while (nst > k) {
						nst--;
						cmark_node_free(st[nst].node);
						tag_free(&st[nst].tag);
					}
					nst--;
					cv->line = cmark_node_get_start_line(
					    st[nst].node);
					cv->col = cmark_node_get_start_column(
					    st[nst].node);
					box = element_node(cv,
					    CMARK_NODE_CUSTOM_BLOCK,
					    strcmp(t.name, "Listing") == 0 ?
					    "listing" : t.name, &st[nst].tag);
					wrap(box, st[nst].node, n);
					cmark_node_insert_before(st[nst].node,
					    box);
					cmark_node_free(st[nst].node);
					tag_free(&st[nst].tag);
				}
			} else if (carry_of(t.name) == C_UNKNOWN) {
				/* <T> alone on a line: text */
				box = made(cv, markdown_node_new(
				    CMARK_NODE_PARAGRAPH));
				cmark_node_append_child(box, text_node(cv, lit));
				cmark_node_insert_before(n, box);
			} else
				block_fragment(cv, n, lit);
			tag_free(&t);
		} else if (opens_wrapper(lit, &t)) {
			/*
			 * <details> with its <summary> on the next line: the
			 * element goes on past this block, to its closing tag.
			 */
			box = made(cv, markdown_node_new(CMARK_NODE_HTML_BLOCK));
			cmark_node_insert_before(n, box);
			block_fragment(cv, n, lit + t.len);
			st = xreallocarray(st, nst + 1, sizeof(*st));
			st[nst].node = box;
			st[nst++].tag = t;
		} else
			block_fragment(cv, n, lit);
		cmark_node_free(n);
	}
	while (nst > 0) {
		nst--;
		cmark_node_free(st[nst].node);
		tag_free(&st[nst].tag);
	}
	free(st);
}

/*
 * Every container of the tree, with an iterator rather than recursion
 * (a list may nest 300,000 deep): a container's children are converted
 * when it is entered, before the iterator goes into them, so that what
 * pairing makes is visited too — tags nest inside *emphasis*.
 */
static void
walk(struct conv *cv, cmark_node *root)
{
	cmark_iter		*it = cmark_iter_new(root);
	cmark_event_type	 ev;
	cmark_node		*n;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		if ((cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) ==
		    CMARK_NODE_TYPE_BLOCK) {
			block_children(cv, n);
			if (is_inline_parent(n))
				inline_children(cv, n);
		} else if (cmark_node_first_child(n) != NULL)
			inline_children(cv, n);
		/* the iterator chose n's first child before it changed */
		cmark_iter_reset(it, n, CMARK_EVENT_ENTER);
	}
	cmark_iter_free(it);
}

void
html_convert(struct book *bk, size_t source)
{
	struct conv	 cv;

	memset(&cv, 0, sizeof(cv));
	cv.bk = bk;
	cv.src = &bk->sources[source];
	walk(&cv, cv.src->doc);
}
