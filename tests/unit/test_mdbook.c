/*
 * mdBook: SUMMARY.md, directives, hidden lines, redirects; then the
 * whole Rust book from the shared corpus, when it is there.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "mdbook.h"
#include "toml.h"
#include "unit.h"

/* What diagnostics printed since capture() began. */
static char	 said[16384];
static FILE	*capf;
static int	 saved_fd = -1;

static void
capture(void)
{
	fflush(stderr);
	capf = tmpfile();
	saved_fd = dup(2);
	dup2(fileno(capf), 2);
	diag_reset();
}

static const char *
captured(void)
{
	size_t	 n;

	fflush(stderr);
	dup2(saved_fd, 2);
	close(saved_fd);
	rewind(capf);
	n = fread(said, 1, sizeof(said) - 1, capf);
	said[n] = '\0';
	fclose(capf);
	return said;
}

static int
has(const char *msg)
{
	if (strstr(said, msg) != NULL)
		return 1;
	fprintf(stderr, "missing: %s\nin: %s", msg, said);
	return 0;
}

/* SUMMARY.md */

static int
summary(const char *text, struct summary_entry **v, size_t *n)
{
	int	 rc;

	capture();
	rc = summary_parse("SUMMARY.md", text, strlen(text), v, n);
	captured();
	return rc;
}

static int
entry(const struct summary_entry *e, enum summary_kind kind,
    enum summary_kind section, const char *title, const char *path,
    int depth, int line, int col)
{
	int	 ok;

	ok = e->kind == kind && e->section == section && e->depth == depth &&
	    e->line == line && e->col == col &&
	    (title ? e->title && strcmp(e->title, title) == 0 : !e->title) &&
	    (path ? e->path && strcmp(e->path, path) == 0 : !e->path);
	if (!ok)
		fprintf(stderr, "entry: kind %d/%d section %d title %s path %s "
		    "depth %d at %d:%d\n", e->kind, kind, e->section,
		    e->title ? e->title : "-", e->path ? e->path : "-",
		    e->depth, e->line, e->col);
	return ok;
}

static void
test_summary(void)
{
	struct summary_entry	*v;
	size_t			 n;
	const char		*doc =
	    "# Summary\n"				/* 1 */
	    "\n"
	    "[Introduction](README.md)\n"		/* 3 */
	    "[Draft prefix]()\n"
	    "\n"
	    "---\n"					/* 6 */
	    "\n"
	    "# Part One\n"				/* 8 */
	    "\n"
	    "- [First](first.md)\n"			/* 10 */
	    "  - [Nested `code`](sub/nested%20file.md)\n"
	    "    * [Deep](./sub/./deep.md)\n"
	    "  - [Draft]()\n"
	    "- [Second\n"				/* 14 */
	    "  title](<second chapter.md>)\n"
	    "\n"
	    "<!-- a comment\n"
	    "- [Not](not.md)\n"
	    "-->\n"
	    "\n"
	    "Part Two\n"				/* 21 */
	    "========\n"
	    "\n"
	    "Some text under the part.\n"
	    "\n"
	    "- [Third &amp; last](third.md)\n"		/* 26 */
	    "\n"
	    "## A subheading, ignored\n"
	    "\n"
	    "* [Fourth](fourth.md) [ignored](x.md)\n"	/* 30 */
	    "\n"
	    "---\n"					/* 32 */
	    "\n"
	    "[Appendix](appendix.md)\n"			/* 34 */
	    "[Another](another.md) [Third one](3.md)\n";

	CHECK(summary(doc, &v, &n) == 0);
	CHECK(diag_errors() == 0 && diag_warnings() == 1);
	if (diag_errors())
		fputs(said, stderr);
	CHECK(has("SUMMARY.md:30:23: warning: link ignored"));
	CHECK(n == 16);
	if (n != 16) {
		summary_free(v, n);
		return;
	}
	CHECK(entry(&v[0], SUMMARY_PREFIX, SUMMARY_PREFIX, "Introduction",
	    "README.md", 0, 3, 1));
	CHECK(entry(&v[1], SUMMARY_DRAFT, SUMMARY_PREFIX, "Draft prefix",
	    NULL, 0, 4, 1));
	CHECK(entry(&v[2], SUMMARY_SEPARATOR, SUMMARY_PREFIX, NULL, NULL, 0,
	    6, 1));
	CHECK(entry(&v[3], SUMMARY_PART, SUMMARY_NUMBERED, "Part One", NULL,
	    0, 8, 1));
	CHECK(entry(&v[4], SUMMARY_NUMBERED, SUMMARY_NUMBERED, "First",
	    "first.md", 0, 10, 3));
	CHECK(entry(&v[5], SUMMARY_NUMBERED, SUMMARY_NUMBERED, "Nested code",
	    "sub/nested file.md", 1, 11, 5));
	CHECK(entry(&v[6], SUMMARY_NUMBERED, SUMMARY_NUMBERED, "Deep",
	    "sub/deep.md", 2, 12, 7));
	CHECK(entry(&v[7], SUMMARY_DRAFT, SUMMARY_NUMBERED, "Draft", NULL, 1,
	    13, 5));
	CHECK(entry(&v[8], SUMMARY_NUMBERED, SUMMARY_NUMBERED, "Second title",
	    "second chapter.md", 0, 14, 3));
	CHECK(entry(&v[9], SUMMARY_PART, SUMMARY_NUMBERED, "Part Two", NULL,
	    0, 21, 1));
	CHECK(entry(&v[10], SUMMARY_NUMBERED, SUMMARY_NUMBERED, "Third & last",
	    "third.md", 0, 26, 3));
	CHECK(entry(&v[11], SUMMARY_NUMBERED, SUMMARY_NUMBERED, "Fourth",
	    "fourth.md", 0, 30, 3));
	CHECK(entry(&v[12], SUMMARY_SEPARATOR, SUMMARY_NUMBERED, NULL, NULL,
	    0, 32, 1));
	CHECK(entry(&v[13], SUMMARY_SUFFIX, SUMMARY_SUFFIX, "Appendix",
	    "appendix.md", 0, 34, 1));
	CHECK(entry(&v[14], SUMMARY_SUFFIX, SUMMARY_SUFFIX, "Another",
	    "another.md", 0, 35, 1));
	CHECK(entry(&v[15], SUMMARY_SUFFIX, SUMMARY_SUFFIX, "Third one",
	    "3.md", 0, 35, 23));
	summary_free(v, n);

	/* no title: the first "# " is still taken as one, as mdBook does */
	CHECK(summary("# Part?\n- [A](a.md)\n", &v, &n) == 0);
	CHECK(n == 1 && entry(&v[0], SUMMARY_NUMBERED, SUMMARY_NUMBERED, "A",
	    "a.md", 0, 2, 3));
	summary_free(v, n);
	CHECK(summary("", &v, &n) == 0 && n == 0 && v == NULL);

	/* CRLF; a comment before the title; links on later lines */
	CHECK(summary("<!-- x -->\r\n# S\r\n\r\n[P](p.md)\r\n[Q](q.md)\r\n"
	    "\r\n- [A](a.md)\r\n  - [B](b.md)\r\n", &v, &n) == 0);
	CHECK(n == 4);
	if (n == 4) {
		CHECK(entry(&v[1], SUMMARY_PREFIX, SUMMARY_PREFIX, "Q",
		    "q.md", 0, 5, 1));
		CHECK(entry(&v[3], SUMMARY_NUMBERED, SUMMARY_NUMBERED, "B",
		    "b.md", 1, 8, 5));
	}
	summary_free(v, n);

	/* the text under a part title is skipped; links in it are warned of */
	CHECK(summary("# S\n# Part\n[x](x.md)\n\n- [a](a.md)\n", &v, &n) == 0);
	CHECK(n == 2 && diag_warnings() == 1);
	CHECK(has("SUMMARY.md:3:1: warning: links ignored"));
	summary_free(v, n);

	/* later lines of a paragraph: cmark leaves their blanks out */
	CHECK(summary("- [A](a.md)\n  more [x](x.md)\n- [B\nC](b.md)\n"
	    "  - [D](d.md) [E\n   F](e.md)\n", &v, &n) == 0);
	CHECK(n == 3 && diag_warnings() == 2);
	CHECK(has("SUMMARY.md:2:8: warning: link ignored"));
	CHECK(has("SUMMARY.md:5:15: warning: link ignored"));
	CHECK(n == 3 && entry(&v[1], SUMMARY_NUMBERED, SUMMARY_NUMBERED,
	    "B C", "b.md", 0, 3, 3));
	summary_free(v, n);

	/* a block quote of links before the lists: prefix chapters */
	CHECK(summary("> [Q](q.md)\n> [R](r.md)\n\n- [a](a.md)\n", &v, &n) == 0);
	CHECK(n == 3 && entry(&v[1], SUMMARY_PREFIX, SUMMARY_PREFIX, "R",
	    "r.md", 0, 2, 3));
	summary_free(v, n);
}

static int
summary_fails(const char *text, const char *msg, int nerr)
{
	struct summary_entry	*v = (void *)1;
	size_t			 n = 1;
	int			 ok;

	ok = summary(text, &v, &n) == -1 && v == NULL && n == 0 &&
	    diag_errors() == nerr;
	if (!ok)
		fprintf(stderr, "for %s: %d errors\n%s", text, diag_errors(),
		    said);
	return ok && has(msg);
}

static void
test_summary_errors(void)
{
	CHECK(summary_fails("- [A](a.md)\n\n[S](s.md)\n\n- [B](b.md)\n",
	    "SUMMARY.md:5:1: error: numbered chapters after suffix", 1));
	CHECK(summary_fails("- [A](a.md)\n\n[S](s.md)\n\n# Part\n",
	    "SUMMARY.md:5:1: error: a part title after suffix", 1));
	CHECK(summary_fails("[A](a.md)\n  [B](b.md)\n- [C](c.md)\n",
	    "SUMMARY.md:2:3: error: prefix chapters cannot be nested", 1));
	CHECK(summary_fails("[A](a.md)\n\n    [B](b.md)\n\n- [C](c.md)\n",
	    "SUMMARY.md:3:5: error: prefix chapters cannot be nested", 1));
	CHECK(summary_fails("[A](a.md)\n  - [B](b.md)\n",
	    "SUMMARY.md:2:3: error: prefix chapters cannot be nested", 1));
	CHECK(summary_fails("- [A](a.md)\n\n[S](s.md)\n   [T](t.md)\n",
	    "SUMMARY.md:4:4: error: suffix chapters cannot be nested", 1));
	CHECK(summary_fails("- [A](../a.md)\n",
	    "SUMMARY.md:1:3: error: ../a.md points outside", 1));
	CHECK(summary_fails("- [A](sub/../../a.md)\n",
	    "SUMMARY.md:1:3: error: sub/../../a.md points outside", 1));
	CHECK(summary_fails("[A](/etc/a.md)\n",
	    "SUMMARY.md:1:1: error: /etc/a.md: an absolute path", 1));
	CHECK(summary_fails("[A](%2Fetc/a.md)\n",
	    "SUMMARY.md:1:1: error: %2Fetc/a.md: an absolute path", 1));
	CHECK(summary_fails("- [A](https://example.org/a.md)\n",
	    "SUMMARY.md:1:3: error: https://example.org/a.md is not a file",
	    1));
	CHECK(summary_fails("- [A](C:a.md)\n", "is not a file", 1));
	CHECK(summary_fails("- [A](a%00.md)\n",
	    "SUMMARY.md:1:3: error: a%00.md: a chapter's path must be UTF-8",
	    1));
	CHECK(summary_fails("- [A](./)\n", "SUMMARY.md:1:3: error: ./ names "
	    "no file", 1));
	CHECK(summary_fails("- [A](a.md)\n  - [B](./a.md)\n",
	    "SUMMARY.md:2:5: error: a.md is listed twice (first on line 1)",
	    1));
	CHECK(summary_fails("- Text\n", "SUMMARY.md:1:1: error: a numbered "
	    "chapter is a list item that starts with a link", 1));
	CHECK(summary_fails("- [A](a.md)\n  - **[B](b.md)**\n",
	    "SUMMARY.md:2:3: error: a numbered chapter", 1));
	CHECK(summary_fails("- [A](a.md)\n-\n", "SUMMARY.md:2:1: error: a "
	    "numbered chapter", 1));
	/* every error is reported, not only the first */
	CHECK(summary_fails("- [A](../a.md)\n- Text\n- [B](/b.md)\n",
	    "SUMMARY.md:3:3: error: /b.md", 3));
}

/* Directives: a small tree of files in memory. */

struct file {
	const char	*name;
	const char	*text;
};

static const struct file files[] = {
	{ "src/a.txt", "one\ntwo\n" },
	{ "src/crlf.txt", "one\r\ntwo\r\n" },
	{ "src/blank.txt", "x\n\n" },
	{ "src/listing.rs",
	    "// ANCHOR: all\n"			/* 1 */
	    "use std::io;\n"
	    "\n"
	    "// ANCHOR: main\n"
	    "fn main() {\n"			/* 5 */
	    "    // ANCHOR: body\n"
	    "    println!(\"hi\");\n"
	    "    // ANCHOR_END: body\n"
	    "}\n"
	    "// ANCHOR_END: main\n"		/* 10 */
	    "// ANCHOR_END: all\n" },
	{ "src/twice.rs",
	    "a\n// ANCHOR: x\nb\n// ANCHOR_END: x\nc\n// ANCHOR: x\nd\n"
	    "// ANCHOR_END: x\ne" },
	{ "src/p.rs", "fn main() {}\n" },
	{ "src/empty.rs", "" },
	{ "src/b.md", "B1\n{{#include sub/c.md}}\nB3\n" },
	{ "src/sub/c.md", "C1 {{#include ../a.txt:2}}\n" },
	{ "src/self.md", "x {{#include self.md}}" },
	{ "src/dir with space/f.txt", "spaced\n" },
	{ "src/nested.md", "  {{#include a.txt}}\n" },
	{ "src/big.txt", NULL },
	{ "src/d1.md", "{{#include d2.md}}{{#include d2.md}}" },
	{ "src/d2.md", "{{#include d3.md}}{{#include d3.md}}" },
	{ "src/d3.md", "{{#include d4.md}}{{#include d4.md}}" },
	{ "src/d4.md", "{{#include d5.md}}{{#include d5.md}}" },
	{ "src/d5.md", "{{#include big.txt}}{{#include big.txt}}" },
};

static struct buf	 bigtext;
static int		 reads;
static int		 last_line, last_col;

/* dirname(from) + "/" + rel, with "." and ".." taken out */
static void
resolve(const char *from, const char *rel, char *out, size_t sz)
{
	char		 tmp[PATH_MAX];
	const char	*slash = strrchr(from, '/'), *p, *q;
	size_t		 len = 0, n;

	snprintf(tmp, sizeof(tmp), "%.*s%s%s", slash ? (int)(slash - from) :
	    0, from, slash ? "/" : "", rel);
	out[0] = '\0';
	for (p = tmp; *p; p = *q ? q + 1 : q) {
		q = strchr(p, '/');
		if (q == NULL)
			q = p + strlen(p);
		n = (size_t)(q - p);
		if (n == 0 || (n == 1 && *p == '.'))
			continue;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
			out[len] = '\0';
			continue;
		}
		len += (size_t)snprintf(out + len, sz - len, "%s%.*s",
		    len ? "/" : "", (int)n, p);
	}
}

static int
memread(void *arg, const char *from, const char *rel, int line, int col,
    struct buf *out, const char **shown)
{
	char	 name[PATH_MAX];
	size_t	 i;

	(void)arg;
	reads++;
	last_line = line;
	last_col = col;
	resolve(from, rel, name, sizeof(name));
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (strcmp(files[i].name, name) == 0) {
			if (files[i].text)
				buf_puts(out, files[i].text);
			else
				buf_put(out, bigtext.data, bigtext.len);
			*shown = files[i].name;
			return 0;
		}
	diag_error(from, line, col, "cannot read %s", rel);
	return -1;
}

static struct buf	 got;
static struct mdbook_map map;

static int
expand(const char *text)
{
	int	 rc;

	buf_free(&got);
	mdbook_map_free(&map);
	reads = 0;
	capture();
	rc = mdbook_expand("src/ch.md", text, strlen(text), memread, NULL,
	    &got, &map);
	captured();
	return rc;
}

/* Expands without a word from diagnostics into want. */
static int
expands(const char *text, const char *want)
{
	int	 ok;

	ok = expand(text) == 0 && diag_errors() == 0 &&
	    diag_warnings() == 0 && got.len == strlen(want) &&
	    memcmp(got.data ? got.data : "", want, got.len) == 0;
	if (!ok)
		fprintf(stderr, "for: %s\n got: [%s]\nwant: [%s]\n%s", text,
		    got.data ? got.data : "", want, said);
	return ok;
}

/* Fails with nerr errors, the first of them msg. */
static int
expand_fails(const char *text, const char *msg, int nerr)
{
	int	 ok;

	ok = expand(text) == -1 && diag_errors() == nerr &&
	    strncmp(said, msg, strlen(msg)) == 0;
	if (!ok)
		fprintf(stderr, "for: %s\n%d errors, want %s\n%s", text,
		    diag_errors(), msg, said);
	return ok;
}

static int
mapped(size_t i, const char *file, int line)
{
	int	 ok = i < map.n && strcmp(map.v[i].file, file) == 0 &&
	    map.v[i].line == line;

	if (!ok)
		fprintf(stderr, "map[%zu]: %s:%d, want %s:%d\n", i,
		    i < map.n ? map.v[i].file : "-", i < map.n ?
		    map.v[i].line : 0, file, line);
	return ok;
}

static size_t
count_lines(const struct buf *b)
{
	size_t	 i, n = 0;

	for (i = 0; i < b->len; i++)
		n += b->data[i] == '\n';
	return n + (b->len > 0 && b->data[b->len - 1] != '\n');
}

static void
test_include(void)
{
	CHECK(expands("{{#include a.txt}}\n", "one\ntwo\n"));
	CHECK(reads == 1 && last_line == 1 && last_col == 1);
	CHECK(expands("[{{#include a.txt:2}}]", "[two]"));
	CHECK(expands("{{#include a.txt:1:2}}", "one\ntwo"));
	CHECK(expands("{{#include a.txt:1:9}}", "one\ntwo"));
	CHECK(expands("{{#include a.txt::1}}", "one"));
	CHECK(expands("{{#include a.txt:2:}}", "two"));
	CHECK(expands("{{#include a.txt:}}", "one\ntwo"));
	CHECK(expands("{{#include a.txt::}}", "one\ntwo"));
	CHECK(expands("{{#include crlf.txt}}|", "one\ntwo|"));
	CHECK(expands("{{ #include a.txt:1 }}", "one"));
	CHECK(expands("{{#include\na.txt:1}}\nx", "one\nx"));
	CHECK(expands("{{#include \"dir with space/f.txt\":1}}", "spaced"));
	CHECK(expands("{{#include \"dir with space/f.txt\"}}", "spaced"));
	CHECK(expands("`{{#include a.txt:1}}`\n```\n{{#include a.txt:2}}\n```\n",
	    "`one`\n```\ntwo\n```\n"));

	/* anchors: their lines go in every mode */
	CHECK(expands("{{#include listing.rs:body}}", "    println!(\"hi\");"));
	CHECK(expands("{{#include listing.rs:main}}",
	    "fn main() {\n    println!(\"hi\");\n}"));
	CHECK(expands("{{#include listing.rs}}",
	    "use std::io;\n\nfn main() {\n    println!(\"hi\");\n}"));
	CHECK(expands("{{#include listing.rs:5:8}}",
	    "fn main() {\n    println!(\"hi\");"));
	CHECK(expands("{{#include listing.rs:body:ignored}}",
	    "    println!(\"hi\");"));
	CHECK(expands("{{#include twice.rs:x}}", "b"));

	/* rustdoc_include: everything, the rest behind "# " */
	CHECK(expands("{{#rustdoc_include listing.rs:body}}",
	    "# use std::io;\n# \n# fn main() {\n    println!(\"hi\");\n# }"));
	CHECK(expands("{{#rustdoc_include listing.rs:2:3}}",
	    "use std::io;\n\n# fn main() {\n#     println!(\"hi\");\n# }"));
	CHECK(expands("{{#rustdoc_include listing.rs:7}}",
	    "# use std::io;\n# \n# fn main() {\n    println!(\"hi\");\n# }"));
	CHECK(expands("{{#rustdoc_include listing.rs}}",
	    "use std::io;\n\nfn main() {\n    println!(\"hi\");\n}"));
	CHECK(expands("{{#rustdoc_include twice.rs:x}}", "# a\nb\n# c\nd\n# e"));

	/* escapes run to the last "}}" on their line, as mdBook's do */
	CHECK(expands("\\{{#include a.txt}} and {{#include a.txt}}\n"
	    "{{#include a.txt:1}} \\{{#x}}",
	    "{{#include a.txt}} and {{#include a.txt}}\none {{#x}}"));
	CHECK(reads == 1);
	CHECK(expands("\\{{#include a.txt\n}}", "\\one\ntwo"));

	/* title goes; playground makes a block */
	CHECK(expands("{{#title My Title}}\n# Head\n", "\n# Head\n"));
	CHECK(expands("{{#playground p.rs editable  no_run}}\n",
	    "```rust,editable,no_run\nfn main() {}\n```\n"));
	CHECK(expands("{{#playground p.rs}}", "```rust\nfn main() {}\n```"));
	CHECK(expands("{{#playground empty.rs}}", "```rust\n\n```"));
	CHECK(expand("{{#playpen p.rs}}") == 0 && diag_warnings() == 1);
	CHECK(has("src/ch.md:1:1: warning: {{#playpen}} is now called"));

	/* what is no directive stays as it was */
	CHECK(expand("a {{#template x.md}} {{#include}} {{#}} {{ x }}") == 0);
	CHECK(diag_warnings() == 1 && diag_errors() == 0);
	CHECK(has("src/ch.md:1:3: warning: unknown directive {{#template}}"));
	CHECK(strcmp(got.data, "a {{#template x.md}} {{#include}} {{#}} "
	    "{{ x }}") == 0);
	CHECK(expand("{{#include   }}") == 0 && diag_warnings() == 1);
	CHECK(has("warning: {{#include}} without a file"));
	CHECK(strcmp(got.data, "{{#include   }}") == 0);

	/* nested, each relative to its own file */
	CHECK(expands("{{#include b.md}}", "B1\nC1 two\nB3"));
	CHECK(map.n == 3 && mapped(0, "src/b.md", 1) &&
	    mapped(1, "src/sub/c.md", 1) && mapped(2, "src/b.md", 3));
}

static void
test_map(void)
{
	size_t	 i;

	CHECK(expands("intro\n{{#include a.txt}}\nend\n",
	    "intro\none\ntwo\nend\n"));
	CHECK(map.n == 4 && mapped(0, "src/ch.md", 1) &&
	    mapped(1, "src/a.txt", 1) && mapped(2, "src/a.txt", 2) &&
	    mapped(3, "src/ch.md", 3));
	CHECK(expands("x {{#rustdoc_include listing.rs:body}}\ny",
	    "x # use std::io;\n# \n# fn main() {\n    println!(\"hi\");\n"
	    "# }\ny"));
	CHECK(map.n == 6 && mapped(0, "src/ch.md", 1) &&
	    mapped(1, "src/listing.rs", 3) && mapped(3, "src/listing.rs", 7) &&
	    mapped(4, "src/listing.rs", 9) && mapped(5, "src/ch.md", 2));
	CHECK(expands("{{#playground p.rs}}\n", "```rust\nfn main() {}\n```\n"));
	CHECK(map.n == 3 && mapped(0, "src/ch.md", 1) &&
	    mapped(1, "src/p.rs", 1) && mapped(2, "src/ch.md", 1));
	CHECK(map.nfiles == 2 && strcmp(map.files[0], "src/ch.md") == 0);
	for (i = 0; i < map.n; i++)
		CHECK(map.v[i].file != NULL);
	CHECK(expands("", "") && map.n == 0);
}

/* What stands before a directive on its line: blanks and '>' go on. */
static void
test_prefix(void)
{
	CHECK(expands("- item\n\n  ```\n  {{#include a.txt}}\n  ```\n",
	    "- item\n\n  ```\n  one\n  two\n  ```\n"));
	CHECK(expands("> {{#include a.txt}}\n", "> one\n> two\n"));
	CHECK(expands("x {{#include a.txt}}\n", "x one\ntwo\n"));
	CHECK(expands("  {{#include nested.md}}", "    one\n    two"));
	CHECK(map.n == 2 && mapped(1, "src/a.txt", 2));
	CHECK(expands("\t{{#include a.txt}} {{#include a.txt}}",
	    "\tone\n\ttwo one\ntwo"));
	CHECK(expands("\t{{#include blank.txt}}{{#include a.txt}}",
	    "\tx\n\tone\n\ttwo"));
}

static void
test_include_errors(void)
{
	CHECK(expand_fails("text\n  {{#include nope.txt}}\n",
	    "src/ch.md:2:3: error: cannot read nope.txt", 1));
	CHECK(strcmp(got.data, "text\n  {{#include nope.txt}}\n") == 0);
	CHECK(expand("{{#include \"a.txt}}") == 0 && diag_warnings() == 1);
	CHECK(has("src/ch.md:1:1: warning: {{#include}} without a file"));
	CHECK(expand_fails("{{#include a.txt:0}}",
	    "src/ch.md:1:1: error: {{#include a.txt:0}}: lines are numbered "
	    "from 1", 1));
	CHECK(expand_fails("{{#include a.txt::0}}", "src/ch.md:1:1: error: "
	    "{{#include a.txt::0}}: lines are numbered from 1", 1));
	CHECK(expand_fails("{{#include a.txt:2:1}}", "src/ch.md:1:1: error: "
	    "{{#include a.txt:2:1}}: the line range ends before it starts", 1));
	CHECK(expand_fails("ab {{#include a.txt:3}}", "src/ch.md:1:4: error: "
	    "{{#include a.txt:3}}: the line range starts past the end", 1));
	CHECK(expand_fails("{{#include a.txt:1:x}}", "src/ch.md:1:1: error: "
	    "{{#include a.txt:1:x}}: a line range is FROM:TO, in numbers", 1));
	CHECK(expand_fails("{{#include a.txt:1:2:3}}", "src/ch.md:1:1: error: "
	    "{{#include a.txt:1:2:3}}: a line range is FROM:TO", 1));
	CHECK(expand_fails("{{#include a.txt::x}}", "src/ch.md:1:1: error: "
	    "{{#include a.txt::x}}: a line range", 1));
	CHECK(expand_fails("{{#include a.txt:99999999999}}", "src/ch.md:1:1: "
	    "error: {{#include a.txt:99999999999}}: line number too large", 1));
	CHECK(expand_fails("{{#include listing.rs:nope}}", "src/ch.md:1:1: "
	    "error: {{#include listing.rs:nope}}: no such anchor", 1));
	CHECK(expand_fails("{{#rustdoc_include listing.rs:nope}}",
	    "src/ch.md:1:1: error: {{#rustdoc_include listing.rs:nope}}: no "
	    "such anchor", 1));
	CHECK(expand_fails("{{#rustdoc_include listing.rs:12}}",
	    "src/ch.md:1:1: error: {{#rustdoc_include listing.rs:12}}: the "
	    "line range starts past", 1));
	CHECK(expand_fails("{{#playground nope.rs}}", "src/ch.md:1:1: error: "
	    "cannot read nope.rs", 1));
	/* all of them, then fail; what could be done is done */
	CHECK(expand_fails("{{#include a.txt:0}}\n{{#include a.txt:1}}\n"
	    "{{#include x}} {{#include listing.rs:q}}\n",
	    "src/ch.md:1:1: error", 3));
	CHECK(has("src/ch.md:3:1: error: cannot read x"));
	CHECK(has("src/ch.md:3:16: error: {{#include listing.rs:q}}"));
	CHECK(strcmp(got.data, "{{#include a.txt:0}}\none\n{{#include x}} "
	    "{{#include listing.rs:q}}\n") == 0);
	/* errors inside included files are placed there */
	CHECK(expand_fails("{{#include sub/bad.md}}", "src/ch.md:1:1: error: "
	    "cannot read sub/bad.md", 1));
	CHECK(expand_fails("z\n{{#include self.md}}", "src/self.md:1:3: error: "
	    "includes nested more than 10 deep", 1));
	CHECK(reads == 10);
}

/* Limits: 2^5 copies of a 2.95 MB file pass 64 MB. */
static void
test_limits(void)
{
	size_t	 i;

	for (i = 0; i < 3u << 20; i += 64)
		buf_puts(&bigtext, "0123456789012345678901234567890123456789"
		    "0123456789012345678901\n");
	CHECK(expand_fails("\n {{#include d1.md}}", "src/ch.md:2:2: error: "
	    "the expanded text would pass 64 MB", 1));
	CHECK(got.len <= MDBOOK_MAX_OUTPUT);
	CHECK(got.len > MDBOOK_MAX_OUTPUT - (4u << 20));

	/* 2.95 MB read for each line: the reads pass 256 MB first */
	buf_reset(&got);
	for (i = 0; i < 90; i++)
		buf_puts(&got, "{{#include big.txt:1}}\n");
	{
		char	*text = buf_detach(&got);

		CHECK(expand_fails(text, "src/ch.md:87:1: error: included "
		    "files pass 256 MB in all", 1));
		free(text);
	}
	buf_free(&bigtext);

	/* what looks like a directive but never closes costs linear time */
	for (i = 0; i < 400000; i++)
		buf_puts(&bigtext, "{{#a \\{{#b ");
	CHECK(expand(bigtext.data) == 0 && got.len == bigtext.len);
	buf_free(&bigtext);

	for (i = 0; i <= MDBOOK_MAX_DIRECTIVES; i++)
		buf_puts(&bigtext, "{{#include empty.rs}}");
	CHECK(expand_fails(bigtext.data, "src/ch.md:1:2100001: error: more "
	    "than 100000 directives", 1));
	CHECK(map.nfiles == 2);
	buf_free(&bigtext);
}

static void
test_rust_blocks(void)
{
	char	*s;

	CHECK(mdbook_is_rust("rust"));
	CHECK(mdbook_is_rust("rust,ignore"));
	CHECK(mdbook_is_rust("  rust no_run"));
	CHECK(mdbook_is_rust("rust\tedition2021"));
	CHECK(!mdbook_is_rust("rusty"));
	CHECK(!mdbook_is_rust("Rust"));
	CHECK(!mdbook_is_rust("text,rust"));
	CHECK(!mdbook_is_rust(""));
	CHECK(!mdbook_is_rust(NULL));

	s = mdbook_visible("# use std::io;\n#\nfn main() {\n    # let x = 1;\n"
	    "    ## not hidden\n#[derive(Debug)]\n#![allow(x)]\n#\tx\n"
	    "  #\n}\n");
	CHECK_STR(s, "fn main() {\n    # not hidden\n#[derive(Debug)]\n"
	    "#![allow(x)]\n#\tx\n}\n");
	free(s);
	s = mdbook_visible("a\r\n# b\r\n#\r\nc");
	CHECK_STR(s, "a\r\nc");
	free(s);
	s = mdbook_visible("");
	CHECK_STR(s, "");
	free(s);
}

static void
test_redirects(void)
{
	const char		*t =
	    "[output.html.redirect]\n"
	    "\"a.html\" = \"b.html\"\n"
	    "\"b.html\" = \"/c.html\"\n"
	    "\"/c.html\" = \"https://example.org/c\"\n"
	    "\"x.html\" = \"x2.html\"\n"
	    "\"loop1.html\" = \"loop2.html\"\n"
	    "\"loop2.html\" = \"loop1.html\"\n"
	    "\"num.html\" = 3\n";
	struct toml_value	*book;

	capture();
	book = toml_parse("book.toml", t, strlen(t));
	captured();
	CHECK(book != NULL);
	CHECK_STR(mdbook_redirect(book, "a.html"), "https://example.org/c");
	CHECK_STR(mdbook_redirect(book, "/a.html"), "https://example.org/c");
	CHECK_STR(mdbook_redirect(book, "b.html"), "https://example.org/c");
	CHECK_STR(mdbook_redirect(book, "x.html"), "x2.html");
	CHECK(mdbook_redirect(book, "x2.html") == NULL);
	CHECK(mdbook_redirect(book, "loop1.html") == NULL);
	CHECK(mdbook_redirect(book, "num.html") == NULL);
	CHECK(mdbook_redirect(NULL, "a.html") == NULL);
	capture();
	CHECK(mdbook_redirect_check("book.toml", book) == -1);
	captured();
	CHECK(diag_errors() == 3);
	CHECK(has("book.toml:6:16: error: the redirects from loop1.html go "
	    "round"));
	CHECK(has("book.toml:7:16: error: the redirects from loop2.html"));
	CHECK(has("book.toml:8:14: error: the redirect of num.html must be a "
	    "string"));
	toml_free(book);

	capture();
	book = toml_parse("book.toml", "[output.html]\nredirect = 1\n", 27);
	CHECK(mdbook_redirect_check("book.toml", book) == -1);
	captured();
	CHECK(has("book.toml:2:12: error: output.html.redirect must be a "
	    "table"));
	toml_free(book);
	capture();
	t = "[output.html.redirect]\n\"/a.html\" = \"x\"\n\"a.html\" = \"y\"\n";
	book = toml_parse("book.toml", t, strlen(t));
	CHECK(book != NULL && mdbook_redirect_check("book.toml", book) == -1);
	captured();
	CHECK(has("book.toml:3:12: error: a.html is redirected twice"));
	toml_free(book);
}

/* Damaged inputs: no crash, no leak, whatever the result. */
static void
test_mangled(void)
{
	const char	*sum = "# S\n\n[P](p.md)\n\n- [A](a.md)\n  - [B](b.md)"
	    "\n\n# Part\n\n* [C](<c d.md>)\n---\n[E](e.md)\n";
	const char	*ch = "a {{#include a.txt:1}}\n> {{#rustdoc_include "
	    "listing.rs:body}}\n\\{{#x}} {{#title t}} {{#include b.md}}\n";
	const char	*alpha = "[]()<>-*#\n {}\\:\"`!0";
	char		 s[256], c[256];
	struct summary_entry *v;
	size_t		 n, i, j;
	unsigned	 seed = 7;

	for (i = 0; i < 2000; i++) {
		strcpy(s, sum);
		strcpy(c, ch);
		for (j = 0; j < 1 + i % 5; j++) {
			seed = seed * 1103515245 + 12345;
			s[(seed >> 8) % strlen(sum)] = alpha[(seed >> 20) % 20];
			seed = seed * 1103515245 + 12345;
			c[(seed >> 8) % strlen(ch)] = alpha[(seed >> 20) % 20];
		}
		if (summary(s, &v, &n) == 0)
			summary_free(v, n);
		expand(c);
		CHECK(map.n == count_lines(&got));
	}
}

/* The Rust book, as it stands */

#define CORPUS	"/work/shared/corpus/rust-book"

struct corpus {
	char	**shown;
	size_t	  nshown;
	int	  reads;
};

static int
corpus_read(void *arg, const char *from, const char *rel, int line, int col,
    struct buf *out, const char **shown)
{
	struct corpus	*c = arg;
	char		 path[PATH_MAX], real[PATH_MAX];
	const char	*slash = strrchr(from, '/');

	snprintf(path, sizeof(path), "%.*s/%s", slash ? (int)(slash - from) :
	    1, slash ? from : ".", rel);
	if (realpath(path, real) == NULL ||
	    strncmp(real, CORPUS "/", strlen(CORPUS) + 1) != 0) {
		diag_error(from, line, col, "%s: not a file in the book", rel);
		return -1;
	}
	if (buf_load(out, real) == -1) {
		diag_error(from, line, col, "cannot read %s", rel);
		return -1;
	}
	c->shown = realloc(c->shown, (c->nshown + 1) * sizeof(*c->shown));
	*shown = c->shown[c->nshown++] = strdup(real);
	c->reads++;
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_corpus(void)
{
	struct buf		 text = { NULL, 0, 0 }, out = { NULL, 0, 0 };
	struct toml_value	*book;
	const struct toml_value	*v;
	struct summary_entry	*e;
	struct mdbook_map	 m;
	struct corpus		 c = { NULL, 0, 0 };
	struct stat		 st;
	struct dirent		*d;
	DIR			*dir;
	char			 path[PATH_MAX], **names = NULL;
	size_t			 n, i, nnames = 0, bytes = 0, lines = 0;
	int			 count[6] = { 0 }, nested = 0, missing = 0;
	int			 bad = 0, failed = 0, directives = 0;
	const char		*p;

	if (stat(CORPUS "/book.toml", &st) == -1) {
		printf("skip: %s is not there\n", CORPUS);
		return;
	}
	CHECK(buf_load(&text, CORPUS "/book.toml") == 0);
	book = toml_parse(CORPUS "/book.toml", text.data, text.len);
	CHECK(book != NULL);
	buf_free(&text);
	if (book == NULL)
		return;
	CHECK_STR(toml_get(book, "book.title")->s,
	    "The Rust Programming Language");
	v = toml_get(book, "book.authors");
	CHECK(v != NULL && v->type == TOML_ARRAY && v->n == 4);
	CHECK(v != NULL && strcmp(v->v[0].s, "Steve Klabnik") == 0);
	v = toml_get(book, "output.html.redirect");
	CHECK(v != NULL && v->type == TOML_TABLE && v->n == 22);
	CHECK_STR(mdbook_redirect(book, "ch17-00-oop.html"), "ch18-00-oop.html");
	CHECK_STR(mdbook_redirect(book, "ch19-03-advanced-traits.html"),
	    "ch20-02-advanced-traits.html");
	CHECK(mdbook_redirect(book, "ch18-00-oop.html") == NULL);
	CHECK(mdbook_redirect_check("book.toml", book) == 0);
	CHECK(toml_get(book, "rust.edition") != NULL &&
	    strcmp(toml_get(book, "rust.edition")->s, "2024") == 0);

	CHECK(buf_load(&text, CORPUS "/src/SUMMARY.md") == 0);
	diag_reset();
	CHECK(summary_parse("SUMMARY.md", text.data, text.len, &e, &n) == 0);
	CHECK(diag_errors() == 0 && diag_warnings() == 0);
	buf_free(&text);
	for (i = 0; i < n; i++) {
		count[e[i].kind]++;
		nested += e[i].depth > 0;
		if (e[i].path == NULL)
			continue;
		snprintf(path, sizeof(path), CORPUS "/src/%s", e[i].path);
		if (stat(path, &st) == -1) {
			fprintf(stderr, "missing %s\n", path);
			missing++;
		}
	}
	CHECK(count[SUMMARY_PREFIX] == 3 && count[SUMMARY_SUFFIX] == 0);
	CHECK(count[SUMMARY_NUMBERED] > 100 && nested > 70);
	CHECK(missing == 0);
	CHECK(e[0].line == 3 && strcmp(e[0].path, "title-page.md") == 0);
	CHECK(e[3].kind == SUMMARY_NUMBERED && e[3].depth == 0 &&
	    e[3].line == 7 && e[3].col == 3);
	CHECK(e[4].depth == 1 && e[4].line == 8 && e[4].col == 5);
	CHECK(strcmp(e[n - 1].title, "G - How Rust is Made and \xE2\x80\x9C"
	    "Nightly Rust\xE2\x80\x9D") == 0);
	printf("rust-book SUMMARY.md: %zu entries: %d prefix, %d numbered "
	    "(%d nested), %d suffix, %d parts, %d separators, %d drafts\n",
	    n, count[SUMMARY_PREFIX], count[SUMMARY_NUMBERED], nested,
	    count[SUMMARY_SUFFIX], count[SUMMARY_PART],
	    count[SUMMARY_SEPARATOR], count[SUMMARY_DRAFT]);
	summary_free(e, n);

	if ((dir = opendir(CORPUS "/src")) == NULL) {
		CHECK(dir != NULL);
		toml_free(book);
		return;
	}
	while ((d = readdir(dir)) != NULL) {
		n = strlen(d->d_name);
		if (n > 3 && strcmp(d->d_name + n - 3, ".md") == 0) {
			names = realloc(names, (nnames + 1) * sizeof(*names));
			names[nnames++] = strdup(d->d_name);
		}
	}
	closedir(dir);
	qsort(names, nnames, sizeof(*names), by_name);
	CHECK(nnames == 112);	/* with SUMMARY.md */
	for (i = 0; i < nnames; i++) {
		snprintf(path, sizeof(path), CORPUS "/src/%s", names[i]);
		CHECK(buf_load(&text, path) == 0);
		for (p = text.data; p && (p = strstr(p, "{{#")) != NULL; p++)
			directives++;
		diag_reset();
		memset(&m, 0, sizeof(m));
		if (mdbook_expand(path, text.data ? text.data : "", text.len,
		    corpus_read, &c, &out, &m) == -1 || diag_errors() ||
		    diag_warnings()) {
			fprintf(stderr, "%s did not expand cleanly\n", path);
			failed++;
		}
		if (out.data && (strstr(out.data, "{{#") ||
		    strstr(out.data, "ANCHOR:") ||
		    strstr(out.data, "ANCHOR_END:"))) {
			fprintf(stderr, "%s: directive or anchor left\n",
			    path);
			bad++;
		}
		CHECK(m.n == count_lines(&out));
		bytes += out.len;
		lines += m.n;
		mdbook_map_free(&m);
		buf_free(&out);
		buf_free(&text);
		free(names[i]);
	}
	CHECK(failed == 0 && bad == 0);
	CHECK(c.reads == directives);
	printf("rust-book src/*.md: %zu files, %d directives expanded, "
	    "%zu bytes in %zu lines\n", nnames, c.reads, bytes, lines);
	for (i = 0; i < c.nshown; i++)
		free(c.shown[i]);
	free(c.shown);
	free(names);
	toml_free(book);
}

int
main(void)
{
	test_summary();
	test_summary_errors();
	test_include();
	test_map();
	test_prefix();
	test_include_errors();
	test_limits();
	test_rust_blocks();
	test_redirects();
	test_mangled();
	test_corpus();
	buf_free(&got);
	mdbook_map_free(&map);
	return UNIT_DONE();
}
