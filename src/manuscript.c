/*
 * The files of a book, in order, read and parsed.  Three layouts: a
 * folder (metadata.yaml and its chapters, listed or by file name), one
 * file or several given on the command line as pandoc takes them (YAML
 * front matter, --metadata-file), and an mdBook project (book.toml and
 * src/SUMMARY.md, whose {{#include}} directives are expanded here).
 * Every file is read through file.c: what the manuscript names stays
 * inside its folder.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "book.h"
#include "buf.h"
#include "diag.h"
#include "file.h"
#include "markdown.h"
#include "mdbook.h"
#include "meta.h"
#include "toml.h"
#include "url.h"
#include "utf8.h"

static const char *
basename_of(const char *path)
{
	const char	*slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static char *
dirname_of(const char *path)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static int
hasext(const char *name, const char *ext)
{
	size_t	 n = strlen(name), e = strlen(ext);

	return n > e && strcmp(name + n - e, ext) == 0;
}

static struct source *
add_source(struct book *bk, const char *rel, const char *path)
{
	struct source	*s;
	struct buf	 b = { NULL, 0, 0 };

	/* room doubles at each power of two (a list of 100,000 chapters) */
	if ((bk->nsources & (bk->nsources - 1)) == 0)
		bk->sources = xreallocarray(bk->sources, bk->nsources ?
		    bk->nsources * 2 : 1, sizeof(*bk->sources));
	s = &bk->sources[bk->nsources++];
	memset(s, 0, sizeof(*s));
	if (path == NULL) {
		buf_printf(&b, "%s/%s", bk->root, rel);
		s->path = buf_detach(&b);
	} else
		s->path = xstrdup(path);
	s->rel = xstrdup(rel);
	s->name = xstrdup(basename_of(rel));
	s->matter = MATTER_BODY;
	return s;
}

/*
 * A UTF-8 byte order mark is not text: drop it, so that front matter and
 * the first heading are seen (editors do not count it as a column).
 */
static void
strip_bom(struct buf *b)
{
	if (b->len >= 3 && memcmp(b->data, "\xEF\xBB\xBF", 3) == 0) {
		memmove(b->data, b->data + 3, b->len - 2);
		b->len -= 3;
	}
}

/* Report the first malformed UTF-8 sequence or NUL byte by line:col. */
static int
checktext(const char *path, const char *s, size_t n)
{
	size_t	 bad = utf8_invalid(s, n), i;
	int	 line = 1, col = 1;

	if (bad == n)
		return 0;
	for (i = 0; i < bad; i++) {
		if (s[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
	}
	diag_error(path, line, col, s[bad] == '\0' ? "NUL byte in text" :
	    "invalid UTF-8 (byte 0x%02X); save the file as UTF-8",
	    (unsigned char)s[bad]);
	return -1;
}

/* "it is a folder", but "not found": file.c's reasons read after "it". */
static const char *
it(const char *why)
{
	return strcmp(why, "not found") == 0 ? "" : "it ";
}

/*
 * A file's text: read, its byte order mark dropped, checked to be UTF-8.
 * trusted: named on the command line, read wherever it is; else beneath
 * the book's folder.  listed/line/col: the entry that names it, if any.
 */
static int
read_text(struct book *bk, const char *root, const char *rel,
    const char *path, int trusted, const char *listed, int line, int col,
    struct buf *b)
{
	char	 why[256];
	int	 rc;

	rc = trusted ? file_read(path, FILE_MAX_TEXT, b, why, sizeof(why)) :
	    file_read_in(root, rel, FILE_MAX_TEXT, b, why, sizeof(why));
	if (rc == -1) {
		if (listed != NULL && line > 0)
			diag_error(listed, line, col, "chapter '%s' %s", rel,
			    why);
		else
			diag_error(path, 0, 0, "cannot read: %s%s", it(why),
			    why);
		return -1;
	}
	(void)bk;
	strip_bom(b);
	return checktext(path, b->data, b->len);
}

/*
 * A Markdown file may open with YAML front matter between "---" lines.
 * It is handed to the YAML parser with its own lines, then blanked
 * (newlines kept) so cmark's positions stay those of the file.
 */
static int
front_matter(struct book *bk, struct source *s)
{
	char	*t = s->text, *p, *end;
	size_t	 len;

	if (strncmp(t, "---\n", 4) != 0 && strncmp(t, "---\r\n", 5) != 0)
		return 0;
	for (p = strchr(t, '\n') + 1; *p; p = end + 1) {
		end = strchr(p, '\n');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len && p[len - 1] == '\r')
			len--;
		if (len == 3 && (strncmp(p, "---", 3) == 0 ||
		    strncmp(p, "...", 3) == 0)) {
			if (meta_parse(&bk->meta, s->path, t,
			    (size_t)(p - t)) == -1)
				return -1;
			for (end = t; end < p + len; end++)
				if (*end != '\n')
					*end = ' ';
			return 0;
		}
		if (end == NULL)
			break;
	}
	return 0;
}

/* ------------------------------------------------------------ folders */

static int
namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A folder's chapters: metadata.yaml's list, else its *.md by name. */
static int
list_folder(struct book *bk)
{
	struct mlist	*l = &bk->meta.chapters;
	struct source	*s;
	struct dirent	*de;
	DIR		*d;
	char		**names = NULL;
	size_t		 n = 0, i;

	for (i = 0; i < l->n; i++) {
		s = add_source(bk, l->v[i].s, NULL);
		s->listed = l->v[i].file;
		s->line = l->v[i].line;
		s->col = l->v[i].col;
	}
	if (l->n > 0)
		return 0;
	if ((d = opendir(bk->root)) == NULL) {
		diag_error(bk->root, 0, 0, "cannot read folder: %s",
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !hasext(de->d_name, ".md"))
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), namecmp);
	for (i = 0; i < n; i++) {
		add_source(bk, names[i], NULL);
		free(names[i]);
	}
	free(names);
	if (bk->nsources == 0) {
		diag_error(bk->root, 0, 0, "no chapters: the folder has no "
		    ".md files");
		return -1;
	}
	return 0;
}

static int
read_metadata_yaml(struct book *bk)
{
	struct buf	 b = { NULL, 0, 0 }, path = { NULL, 0, 0 };
	char		 why[256];
	int		 rc = 0;

	buf_printf(&path, "%s/metadata.yaml", bk->root);
	if (file_read_in(bk->root, "metadata.yaml", FILE_MAX_TEXT, &b, why,
	    sizeof(why)) == -1) {
		if (strcmp(why, "not found") != 0) {
			diag_error(path.data, 0, 0, "cannot read: %s%s",
			    it(why), why);
			rc = -1;
		}
	} else {
		strip_bom(&b);
		if (checktext(path.data, b.data, b.len) == -1 ||
		    meta_parse(&bk->meta, path.data, b.data, b.len) == -1)
			rc = -1;
	}
	buf_free(&b);
	buf_free(&path);
	return rc;
}

/* ------------------------------------------------------------ mdBook */

/* A string of book.toml into a metadata value, unless one is set. */
static void
toml_meta(struct book *bk, struct mval *v, const char *key, const char *path)
{
	const struct toml_value	*t = toml_get(bk->toml, key);

	if (t == NULL || v->s != NULL)
		return;
	if (t->type == TOML_STRING)
		meta_set(&bk->meta, v, t->s, path, t->line, t->col);
	else
		diag_warning(path, t->line, t->col, "%s should be a string; "
		    "ignored", key);
}

static int
read_book_toml(struct book *bk)
{
	struct buf		 b = { NULL, 0, 0 }, path = { NULL, 0, 0 };
	const struct toml_value	*t, *a;
	char			 why[256];
	size_t			 i;
	int			 rc = -1;

	buf_printf(&path, "%s/book.toml", bk->root);
	if (file_read_in(bk->root, "book.toml", FILE_MAX_TEXT, &b, why,
	    sizeof(why)) == -1) {
		diag_error(path.data, 0, 0, "cannot read: %s%s", it(why),
		    why);
		goto out;
	}
	strip_bom(&b);
	if (checktext(path.data, b.data, b.len) == -1 ||
	    (bk->toml = toml_parse(path.data, b.data, b.len)) == NULL)
		goto out;
	toml_meta(bk, &bk->meta.title, "book.title", path.data);
	toml_meta(bk, &bk->meta.description, "book.description", path.data);
	toml_meta(bk, &bk->meta.lang, "book.language", path.data);
	if ((a = toml_get(bk->toml, "book.authors")) != NULL &&
	    bk->meta.authors.n == 0) {
		if (a->type == TOML_ARRAY)
			for (i = 0; i < a->n; i++)
				if (a->v[i].type == TOML_STRING)
					meta_add(&bk->meta, &bk->meta.authors,
					    a->v[i].s, path.data, a->v[i].line,
					    a->v[i].col);
	}
	t = toml_get(bk->toml, "book.src");
	bk->srcdir = xstrdup(t != NULL && t->type == TOML_STRING ? t->s :
	    "src");
	if (mdbook_redirect_check(path.data, bk->toml) == -1)
		goto out;
	rc = 0;
out:
	buf_free(&b);
	buf_free(&path);
	return rc;
}

/* src/SUMMARY.md: the chapters, their nesting, parts and matter. */
static int
read_summary(struct book *bk)
{
	struct summary_entry	*e = NULL;
	struct source		*s;
	struct buf		 b = { NULL, 0, 0 }, rel = { NULL, 0, 0 };
	const char		*path;
	char			*part = NULL;
	size_t			 n = 0, i;
	int			 rc = -1;

	buf_printf(&rel, "%s/SUMMARY.md", bk->srcdir);
	buf_printf(&b, "%s/%s", bk->root, rel.data);
	/* the metadata keeps the name: entries' positions point there */
	path = meta_file(&bk->meta, b.data);
	buf_reset(&b);
	if (read_text(bk, bk->root, rel.data, path, 0, NULL, 0, 0, &b) == -1 ||
	    summary_parse(path, b.data, b.len, &e, &n) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		switch (e[i].kind) {
		case SUMMARY_PART:
			free(part);
			part = xstrdup(e[i].title ? e[i].title : "");
			continue;
		case SUMMARY_SEPARATOR:
			continue;
		case SUMMARY_DRAFT:
			diag_note(path, e[i].line, e[i].col, "draft chapter "
			    "'%s' has no file; left out", e[i].title ?
			    e[i].title : "");
			continue;
		default:
			break;
		}
		buf_reset(&rel);
		buf_printf(&rel, "%s/%s", bk->srcdir, e[i].path);
		s = add_source(bk, rel.data, NULL);
		s->listed = path;
		s->line = e[i].line;
		s->col = e[i].col;
		s->depth = e[i].depth;
		s->opens = e[i].depth == 0;
		s->matter = e[i].kind == SUMMARY_PREFIX ? MATTER_FRONT :
		    e[i].kind == SUMMARY_SUFFIX ? MATTER_BACK : MATTER_BODY;
		s->label = e[i].title ? xstrdup(e[i].title) : NULL;
		s->part = part;
		part = NULL;
	}
	if (bk->nsources == 0)
		diag_error(path, 0, 0, "no chapters: SUMMARY.md lists no "
		    "file");
	else
		rc = 0;
out:
	free(part);
	summary_free(e, n);
	buf_free(&b);
	buf_free(&rel);
	return rc;
}

/* Files kept for the line map while a chapter's directives expand. */
struct includes {
	struct book	*bk;
	char		**shown;
	size_t		 n;
};

/*
 * {{#include}}: rel is relative to the including file's folder, and the
 * file must be inside the book's folder.
 */
static int
include_read(void *arg, const char *from, const char *rel, int line, int col,
    struct buf *out, const char **shown)
{
	struct includes	*ic = arg;
	struct book	*bk = ic->bk;
	struct buf	 path = { NULL, 0, 0 };
	size_t		 rl = strlen(bk->root);
	const char	*fromrel = from;
	char		*joined, *norm, why[256];

	/* from is root/REL: a chapter's path or one this function made */
	if (strncmp(from, bk->root, rl) == 0 && from[rl] == '/')
		fromrel = from + rl + 1;
	joined = url_join(fromrel, rel);
	norm = url_normalize(joined);
	free(joined);
	if (norm == NULL || rel[0] == '/') {
		diag_error(from, line, col, "cannot include '%s': it is "
		    "outside the book's folder", rel);
		free(norm);
		return -1;
	}
	buf_printf(&path, "%s/%s", bk->root, norm);
	if (file_read_in(bk->root, norm, FILE_MAX_TEXT, out, why,
	    sizeof(why)) == -1) {
		diag_error(from, line, col, "cannot include '%s': %s%s", rel,
		    it(why), why);
		buf_free(&path);
		free(norm);
		return -1;
	}
	free(norm);
	if (out->len > 0 && out->data[out->len - 1] == '\0')
		out->len--;
	/* room doubles at each power of two (100,000 includes) */
	if ((ic->n & (ic->n - 1)) == 0)
		ic->shown = xreallocarray(ic->shown, ic->n ? ic->n * 2 : 1,
		    sizeof(*ic->shown));
	ic->shown[ic->n++] = buf_detach(&path);
	*shown = ic->shown[ic->n - 1];
	return 0;
}

static int
expand(struct book *bk, struct source *s)
{
	struct includes	 ic = { bk, NULL, 0 };
	struct buf	 out = { NULL, 0, 0 };
	size_t		 i;
	int		 rc;

	rc = mdbook_expand(s->path, s->text, s->len, include_read, &ic, &out,
	    &s->map);
	for (i = 0; i < ic.n; i++)
		free(ic.shown[i]);
	free(ic.shown);
	if (rc == -1) {
		buf_free(&out);
		return -1;
	}
	free(s->text);
	s->len = out.len;
	s->text = buf_detach(&out);
	return 0;
}

/* ------------------------------------------------------------ files */

/*
 * Files given on the command line: the first one's folder is the
 * book's; the rest are named from it, for links between them.
 */
static int
list_files(struct book *bk, const struct book_input *in)
{
	char	 rroot[PATH_MAX], rfile[PATH_MAX];
	size_t	 i, n;
	const char *f;

	bk->root = dirname_of(in->source);
	add_source(bk, basename_of(in->source), in->source);
	if (realpath(bk->root, rroot) == NULL)
		return 0;
	n = strlen(rroot);
	for (i = 0; i < in->nmore; i++) {
		f = in->more[i];
		if (realpath(f, rfile) != NULL && strncmp(rfile, rroot, n) ==
		    0 && rfile[n] == '/')
			add_source(bk, rfile + n + 1, f);
		else
			add_source(bk, f, f);
	}
	return 0;
}

/* ------------------------------------------------------------ all */

static int
parse_source(struct book *bk, struct source *s, int trusted, int mdbook)
{
	struct buf	 b = { NULL, 0, 0 };

	if (read_text(bk, bk->root, s->rel, s->path, trusted, s->listed,
	    s->line, s->col, &b) == -1) {
		buf_free(&b);
		return -1;
	}
	diag_context(s->path, 0, "reading it");
	s->len = b.len;
	s->text = buf_detach(&b);
	if (trusted && front_matter(bk, s) == -1)
		return -1;
	if (mdbook && expand(bk, s) == -1)
		return -1;
	return 0;
}

static int
is_dir(const char *path)
{
	struct stat	 st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * Read the book's files and metadata, and parse each file.  Returns 0,
 * or -1 after reporting every problem found.
 */
int
manuscript_load(struct book *bk, const struct book_input *in)
{
	struct buf	 b = { NULL, 0, 0 };
	struct buf	 path = { NULL, 0, 0 };
	struct stat	 st;
	size_t		 i;
	int		 errs = diag_errors(), folder, mdbook = 0, trusted;
	const char	*v;
	char		 why[256];

	if (stat(in->source, &st) == -1) {
		diag_error(in->source, 0, 0, "cannot open manuscript: %s",
		    strerror(errno));
		return -1;
	}
	folder = S_ISDIR(st.st_mode);
	if (folder && in->nmore > 0) {
		diag_error(in->source, 0, 0, "a folder is a whole book: give "
		    "it alone, or give files");
		return -1;
	}
	/* --metadata-file first: the book's own metadata overrides it */
	if (in->metafile != NULL) {
		if (file_read(in->metafile, FILE_MAX_TEXT, &b, why,
		    sizeof(why)) == -1)
			diag_error(in->metafile, 0, 0, "cannot read: %s%s",
			    it(why), why);
		else {
			strip_bom(&b);
			if (checktext(in->metafile, b.data, b.len) == 0)
				meta_parse(&bk->meta, in->metafile, b.data,
				    b.len);
		}
		buf_free(&b);
	}
	if (folder) {
		bk->root = xstrdup(in->source);
		buf_printf(&path, "%s/book.toml", in->source);
		mdbook = access(path.data, F_OK) == 0 && !is_dir(path.data);
		buf_free(&path);
		if (mdbook) {
			if (read_book_toml(bk) == 0)
				read_summary(bk);
		} else if (read_metadata_yaml(bk) == 0)
			list_folder(bk);
	} else
		list_files(bk, in);
	if (diag_errors() > errs)
		return -1;
	trusted = !folder;
	for (i = 0; i < bk->nsources; i++)
		parse_source(bk, &bk->sources[i], trusted, mdbook);
	if (diag_errors() > errs)
		return -1;
	bk->smart = 1;
	if ((v = bk->meta.smart.s) != NULL) {
		if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0)
			bk->smart = 0;
		else if (strcmp(v, "true") != 0 && strcmp(v, "yes") != 0)
			diag_error(bk->meta.smart.file, bk->meta.smart.line,
			    bk->meta.smart.col, "smart: '%s' is not true or "
			    "false", v);
	}
	/* what depends on the language alone may start while this parses */
	if (in->ready != NULL && meta_lang_ok(meta_lang(&bk->meta))) {
		size_t	 bytes = 0;

		for (i = 0; i < bk->nsources; i++)
			bytes += bk->sources[i].len;
		in->ready(meta_lang(&bk->meta), bytes, in->arg);
	}
	for (i = 0; i < bk->nsources; i++) {
		diag_context(bk->sources[i].path, 0, "parsing its Markdown");
		bk->sources[i].doc = markdown_parse(bk->sources[i].text,
		    bk->sources[i].len, bk->smart);
		bk->sources[i].nblocks = 0;
	}
	return diag_errors() > errs ? -1 : 0;
}

void
manuscript_free_sources(struct book *bk)
{
	size_t	 i;

	for (i = 0; i < bk->nsources; i++) {
		free(bk->sources[i].path);
		free(bk->sources[i].rel);
		free(bk->sources[i].name);
		free(bk->sources[i].text);
		free(bk->sources[i].label);
		free(bk->sources[i].part);
		if (bk->sources[i].doc != NULL)
			cmark_node_free(bk->sources[i].doc);
		mdbook_map_free(&bk->sources[i].map);
	}
	free(bk->sources);
	bk->sources = NULL;
	bk->nsources = 0;
}
