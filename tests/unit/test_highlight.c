/*
 * Syntax highlighting: the classes of known tokens in each language, the
 * spans' shape on any input, and the time a big block takes.  With
 * FOLIO_HL_CORPUS naming a folder of Markdown files, every fenced block
 * in them is highlighted too and the time printed; FOLIO_HL_NOBIG skips
 * the 1 MB blocks (for valgrind).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include "buf.h"
#include "highlight.h"
#include "unit.h"
#include "utf8.h"

/* CPU time: the checks hold on a loaded machine too. */
static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Inside a well-formed multi-byte character, not at its start. */
static int
inside_char(const char *code, size_t len, size_t p)
{
	uint32_t	 cp;
	size_t		 q;

	for (q = p; q > 0 && p - q < 3; q--)
		if (((unsigned char)code[q - 1] & 0xC0) != 0x80)
			return q - 1 + utf8_decode(code + q - 1,
			    len - (q - 1), &cp) > p;
	return 0;
}

/* What every answer must be: ordered, inside the code, whole characters. */
static int
well_formed(const char *code, size_t len, const struct hl_span *s, size_t n)
{
	size_t	 i, end = 0;

	for (i = 0; i < n; i++) {
		if (s[i].len == 0 || s[i].off < end || s[i].off > len ||
		    s[i].len > len - s[i].off || s[i].cls <= HL_PLAIN ||
		    s[i].cls >= HL__MAX)
			return 0;
		if (inside_char(code, len, s[i].off) ||
		    inside_char(code, len, s[i].off + s[i].len))
			return 0;
		end = s[i].off + s[i].len;
	}
	return 1;
}

struct result {
	const char	*code;
	struct hl_span	*spans;
	size_t		 n;
	int		 rc;
};

static struct result
hl(const char *lang, const char *code)
{
	struct result	 r;

	r.code = code;
	r.rc = highlight(lang, code, strlen(code), &r.spans, &r.n);
	if (r.rc == 0)
		CHECK(well_formed(code, strlen(code), r.spans, r.n));
	else
		CHECK(r.spans == NULL && r.n == 0);
	return r;
}

/*
 * The class of the nth (from 0) occurrence of token: that of the span
 * holding all of it, HL_PLAIN if none touches it, -1 if it is cut.
 */
static int
cls_nth(const struct result *r, const char *token, int nth)
{
	const char	*p = r->code;
	size_t		 off, end, i;

	while ((p = strstr(p, token)) != NULL && nth-- > 0)
		p++;
	if (p == NULL) {
		fprintf(stderr, "no \"%s\" in the code\n", token);
		return -1;
	}
	off = (size_t)(p - r->code);
	end = off + strlen(token);
	for (i = 0; i < r->n; i++) {
		if (r->spans[i].off + r->spans[i].len <= off)
			continue;
		if (r->spans[i].off >= end)
			break;
		if (r->spans[i].off <= off &&
		    r->spans[i].off + r->spans[i].len >= end)
			return r->spans[i].cls;
		return -1;
	}
	return HL_PLAIN;
}

static int
cls(const struct result *r, const char *token)
{
	return cls_nth(r, token, 0);
}

static void
done(struct result *r)
{
	free(r->spans);
}

static void
test_rust(void)
{
	struct result	 r;

	r = hl("rust", "use std::io;\n\n"
	    "/// Says hello.\n"
	    "#[derive(Debug)]\n"
	    "fn main() {\n"
	    "    let mut x = 42; // comment\n"
	    "    let s: &'static str = \"text\";\n"
	    "    let c = 'é';\n"
	    "    /* block /* nested */ still */\n"
	    "    println!(\"{x} {s}\");\n"
	    "    let v: Vec<String> = Vec::new();\n"
	    "}\n");
	CHECK(r.rc == 0);
	CHECK(cls(&r, "use") == HL_KEYWORD);
	CHECK(cls(&r, "fn") == HL_KEYWORD);
	CHECK(cls(&r, "let") == HL_KEYWORD);
	CHECK(cls(&r, "mut") == HL_KEYWORD);
	CHECK(cls(&r, "42") == HL_NUMBER);
	CHECK(cls(&r, "// comment") == HL_COMMENT);
	CHECK(cls(&r, "/// Says hello.") == HL_COMMENT);
	CHECK(cls(&r, "\"text\"") == HL_STRING);
	CHECK(cls(&r, "'static") == HL_TYPE);
	CHECK(cls(&r, "str") == HL_TYPE);
	CHECK(cls(&r, "'é'") == HL_CHAR);
	CHECK(cls(&r, "/* block /* nested */ still */") == HL_COMMENT);
	CHECK(cls(&r, "#[derive(Debug)]") == HL_PREPROC);
	CHECK(cls(&r, "println!") == HL_FUNCTION);
	CHECK(cls(&r, "main") == HL_FUNCTION);
	CHECK(cls(&r, "String") == HL_TYPE);
	CHECK(cls(&r, "x") == HL_PLAIN);
	done(&r);

	/* mdBook's info strings, any case */
	r = hl("rust,ignore", "fn f() {}");
	CHECK(r.rc == 0 && cls(&r, "fn") == HL_KEYWORD);
	done(&r);
	r = hl("Rust,noplayground", "fn f() {}");
	CHECK(r.rc == 0 && cls(&r, "fn") == HL_KEYWORD);
	done(&r);
	r = hl("rust edition2021", "fn f() {}");
	CHECK(r.rc == 0 && cls(&r, "fn") == HL_KEYWORD);
	done(&r);
	r = hl("RS", "fn f() {}");
	CHECK(r.rc == 0 && cls(&r, "fn") == HL_KEYWORD);
	done(&r);
}

static void
test_c(void)
{
	struct result	 r;

	r = hl("c", "#include <stdio.h>\n"
	    "/* say\n   hi */\n"
	    "int\nmain(void)\n{\n"
	    "\tchar c = 'x';\n"
	    "\tprintf(\"hi %d\\n\", 3);\n"
	    "\treturn 0;\n}\n");
	CHECK(r.rc == 0);
	CHECK(cls(&r, "#include") == HL_PREPROC);
	CHECK(cls(&r, "int") == HL_TYPE);
	CHECK(cls(&r, "char") == HL_TYPE);
	CHECK(cls(&r, "return") == HL_KEYWORD);
	CHECK(cls(&r, "'x'") == HL_CHAR);
	CHECK(cls(&r, "\"hi %d\\n\"") == HL_STRING);
	CHECK(cls(&r, "3") == HL_NUMBER);
	CHECK(cls(&r, "say") == HL_COMMENT);
	CHECK(cls(&r, "hi */") == HL_COMMENT);	/* the second line */
	CHECK(cls(&r, "printf") == HL_FUNCTION);
	done(&r);

	r = hl("c++", "class A { public: virtual ~A(); };");
	CHECK(r.rc == 0 && cls(&r, "class") == HL_KEYWORD);
	done(&r);
	r = hl("CPP", "namespace x {}");
	CHECK(r.rc == 0 && cls(&r, "namespace") == HL_KEYWORD);
	done(&r);
}

static void
test_python(void)
{
	struct result	 r;

	r = hl("python", "import os\n"
	    "def f(x):  # comment\n"
	    "    return \"s\" + str(3)\n");
	CHECK(r.rc == 0);
	CHECK(cls(&r, "import") == HL_PREPROC);
	CHECK(cls(&r, "def") == HL_KEYWORD);
	CHECK(cls(&r, "return") == HL_KEYWORD);
	CHECK(cls(&r, "# comment") == HL_COMMENT);
	CHECK(cls(&r, "\"s\"") == HL_STRING);
	CHECK(cls(&r, "3") == HL_NUMBER);
	done(&r);
	r = hl("py", "def f(): pass");
	CHECK(r.rc == 0 && cls(&r, "def") == HL_KEYWORD);
	done(&r);
}

static void
test_sh(void)
{
	struct result	 r;

	r = hl("sh", "for f in *.md; do\n"
	    "\techo \"$f\" $HOME # comment\n"
	    "done\n");
	CHECK(r.rc == 0);
	CHECK(cls(&r, "for") == HL_KEYWORD);
	CHECK(cls(&r, "do") == HL_KEYWORD);
	CHECK(cls(&r, "done") == HL_KEYWORD);
	CHECK(cls(&r, "$HOME") == HL_VARIABLE);
	CHECK(cls(&r, "\"$f\"") == HL_STRING);
	CHECK(cls(&r, "# comment") == HL_COMMENT);
	done(&r);
	r = hl("bash", "if true; then exit; fi");
	CHECK(r.rc == 0 && cls(&r, "if") == HL_KEYWORD);
	done(&r);
	r = hl("Shell", "if true; then exit; fi");
	CHECK(r.rc == 0 && cls(&r, "then") == HL_KEYWORD);
	done(&r);
}

static void
test_console(void)
{
	struct result	 r;

	r = hl("console", "$ cargo run\n"
	    "   Compiling hello v0.1.0 (file:///projects/hello)\n"
	    "    Finished dev [unoptimized + debuginfo]\n"
	    "$ for f in *; do echo \"$f\"; done # list\n"
	    "if this is output it stays plain\n"
	    "$ ls \\\n"
	    "  -l \"dir\"\n"
	    "$\n");
	CHECK(r.rc == 0);
	CHECK(cls_nth(&r, "$", 0) == HL_PROMPT);
	CHECK(cls(&r, "cargo run") == HL_PLAIN);
	CHECK(cls(&r, "Compiling") == HL_PLAIN);
	CHECK(cls(&r, "+") == HL_PLAIN);
	CHECK(cls(&r, "for") == HL_KEYWORD);
	CHECK(cls(&r, "done") == HL_KEYWORD);
	CHECK(cls(&r, "\"$f\"") == HL_STRING);
	CHECK(cls(&r, "# list") == HL_COMMENT);
	CHECK(cls(&r, "if this") == HL_PLAIN);
	CHECK(cls(&r, "\"dir\"") == HL_STRING);	/* after a backslash */
	CHECK(r.n > 0 && r.spans[r.n - 1].cls == HL_PROMPT &&
	    r.spans[r.n - 1].off == strlen(r.code) - 2);
	done(&r);

	/* "console" then "text": the first word counts */
	r = hl("console text", "$ ls");
	CHECK(r.rc == 0 && cls(&r, "$") == HL_PROMPT);
	done(&r);
}

static void
test_data(void)
{
	struct result	 r;

	r = hl("toml", "[package]\n"
	    "name = \"hello\" # comment\n"
	    "version = '0.1.0'\n"
	    "edition.workspace = true\n"
	    "\n[[bin]]\n"
	    "n = 1_000\n"
	    "when = 1979-05-27T07:32:00Z\n"
	    "rand = { version = \"0.8.5\", features = [\"a\"] }\n"
	    "text = \"\"\"\nmore\n\"\"\"\n");
	CHECK(r.rc == 0);
	CHECK(cls(&r, "[package]") == HL_KEYWORD);
	CHECK(cls(&r, "[[bin]]") == HL_KEYWORD);
	CHECK(cls(&r, "name") == HL_ATTRIBUTE);
	CHECK(cls(&r, "edition.workspace") == HL_ATTRIBUTE);
	CHECK(cls(&r, "\"hello\"") == HL_STRING);
	CHECK(cls(&r, "'0.1.0'") == HL_STRING);
	CHECK(cls(&r, "# comment") == HL_COMMENT);
	CHECK(cls(&r, "true") == HL_KEYWORD);
	CHECK(cls(&r, "1_000") == HL_NUMBER);
	CHECK(cls(&r, "1979-05-27T07:32:00Z") == HL_NUMBER);
	CHECK(cls_nth(&r, "version", 1) == HL_ATTRIBUTE);
	CHECK(cls(&r, "more") == HL_STRING);
	done(&r);

	r = hl("json", "{\"a\": [1, \"b\", true, null],\n \"c\\\"\": -1.5e3}");
	CHECK(r.rc == 0);
	CHECK(cls(&r, "\"a\"") == HL_ATTRIBUTE);
	CHECK(cls(&r, "\"b\"") == HL_STRING);
	CHECK(cls(&r, "1") == HL_NUMBER);
	CHECK(cls(&r, "-1.5e3") == HL_NUMBER);
	CHECK(cls(&r, "true") == HL_KEYWORD);
	CHECK(cls(&r, "null") == HL_KEYWORD);
	CHECK(cls(&r, "\"c\\\"\"") == HL_ATTRIBUTE);
	done(&r);

	r = hl("yaml", "---\n"
	    "name: CI  # comment\n"
	    "on:\n  push:\n    branches: [ main ]\n"
	    "jobs:\n  - run: \"cargo test\"\n    ok: true\n    n: 12\n");
	CHECK(r.rc == 0);
	CHECK(cls(&r, "name") == HL_ATTRIBUTE);
	CHECK(cls(&r, "branches") == HL_ATTRIBUTE);
	CHECK(cls(&r, "# comment") == HL_COMMENT);
	CHECK(cls(&r, "\"cargo test\"") == HL_STRING);
	CHECK(cls(&r, "true") == HL_KEYWORD);
	CHECK(cls(&r, "12") == HL_NUMBER);
	CHECK(cls(&r, "main") == HL_PLAIN);
	done(&r);
}

static void
test_diff(void)
{
	struct result	 r;

	r = hl("diff", "diff --git a/f b/f\n"
	    "--- a/f\n+++ b/f\n"
	    "@@ -1,3 +1,3 @@\n"
	    " same\n-old line\n+new line\n"
	    "\\ No newline at end of file\n");
	CHECK(r.rc == 0);
	CHECK(cls(&r, "diff --git a/f b/f") == HL_PREPROC);
	CHECK(cls(&r, "--- a/f") == HL_PREPROC);
	CHECK(cls(&r, "+++ b/f") == HL_PREPROC);
	CHECK(cls(&r, "@@ -1,3 +1,3 @@") == HL_PREPROC);
	CHECK(cls(&r, "same") == HL_PLAIN);
	CHECK(cls(&r, "-old line") == HL_DELETED);
	CHECK(cls(&r, "+new line") == HL_INSERTED);
	CHECK(cls(&r, "\\ No newline") == HL_COMMENT);
	done(&r);

	/* hunks alone, as books show them; "---" deleted, not a header */
	r = hl("patch", " a\n--- b\n+c\n");
	CHECK(r.rc == 0);
	CHECK(cls(&r, "--- b") == HL_DELETED);
	CHECK(cls(&r, "+c") == HL_INSERTED);
	done(&r);
}

static void
test_others(void)
{
	static const struct {
		const char	*lang, *code, *token;
		int		 cls;
	} cases[] = {
		{ "go", "package main\nfunc main() {}", "func", HL_KEYWORD },
		{ "golang", "var x string", "string", HL_TYPE },
		{ "javascript", "const x = 1; // c", "// c", HL_COMMENT },
		{ "js", "function f() { return 'a'; }", "return", HL_KEYWORD },
		{ "html", "<p class=\"x\">hi</p>", "class", HL_ATTRIBUTE },
		{ "xml", "<a b=\"c\"><!-- d --></a>", "<!-- d -->",
		    HL_COMMENT },
		{ "java", "public class A { int x; }", "public", HL_KEYWORD },
		{ "css", "p { color: red; } /* c */", "/* c */", HL_COMMENT },
		{ "sql", "SELECT * FROM t WHERE a = 'b';", "'b'", HL_STRING },
		{ "SQL", "select 1", "select", HL_KEYWORD },
		{ "ruby", "def f; end", "def", HL_KEYWORD },	/* lang.map */
		{ "ini", "[section]\nkey = 1", "[section]", HL_KEYWORD },
	};
	struct result	 r;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = hl(cases[i].lang, cases[i].code);
		if (r.rc != 0 || cls(&r, cases[i].token) != cases[i].cls)
			fprintf(stderr, "%s: \"%s\" is %d\n", cases[i].lang,
			    cases[i].token, cls(&r, cases[i].token));
		CHECK(r.rc == 0 && cls(&r, cases[i].token) == cases[i].cls);
		done(&r);
	}
}

static void
test_unknown(void)
{
	static const char *const plain[] = {
		"text", "TEXT", "plain", "txt", "klingon", "", ",rust", " ",
		"../../etc/passwd", "rust/../c", "{.rust}", "nohilite",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	struct hl_span	*s = (struct hl_span *)1;
	size_t		 n = 1, i;

	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		CHECK(highlight(plain[i], "fn x", 4, &s, &n) == -1);
		CHECK(s == NULL && n == 0);
	}
	CHECK(highlight(NULL, "x", 1, &s, &n) == -1);
	CHECK(highlight("rust", NULL, 1, &s, &n) == -1);
	CHECK(highlight("rust", "x", 1, NULL, &n) == -1);

	CHECK_STR(hl_class_name(HL_KEYWORD), "kw");
	CHECK_STR(hl_class_name(HL_COMMENT), "co");
	CHECK_STR(hl_class_name(HL_PROMPT), "pr");
	CHECK_STR(hl_class_name(HL__MAX), "pl");
	for (i = 0; i < HL__MAX; i++)
		CHECK(hl_class_name((enum hl_class)i) != NULL);
}

static void
test_hostile(void)
{
	static const char *const langs[] = {
		"rust", "c", "sh", "console", "toml", "json", "yaml", "diff",
		"html", "python",
	};
	/* invalid UTF-8, NULs, characters across token edges, CRs */
	static const char code[] =
	    "let \xff\xfe x = \"\xc3\"; '\xe2\x82' 'é' \0 fn\0let\r\n"
	    "\"unterminated /* é\xf0\x9f\x98\x80\n"
	    "$ é\"é\" #é\xf0\x9f\x98\x80\n+\xc3\xa9\n"
	    "r#\"\xf0\x9f\x98\x80\"# a\xcc\x81" "b 1\xc3\xa9 "
	    "x\xe2\x80\x8b" "fn\n";
	struct hl_span	*s;
	size_t		 n, i;
	struct result	 r;

	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		CHECK(highlight(langs[i], code, sizeof(code) - 1, &s, &n) == 0);
		CHECK(well_formed(code, sizeof(code) - 1, s, n));
		free(s);
		CHECK(highlight(langs[i], "", 0, &s, &n) == 0);
		CHECK(s == NULL && n == 0);
		CHECK(highlight(langs[i], NULL, 0, &s, &n) == 0);
	}

	/* a token right before a multi-byte character keeps it whole */
	r = hl("rust", "let é = \"é\"; //é\nfn");
	CHECK(r.rc == 0 && cls(&r, "\"é\"") == HL_STRING &&
	    cls(&r, "//é") == HL_COMMENT && cls(&r, "fn") == HL_KEYWORD);
	done(&r);
}

static void
put_file(const char *path, const char *text)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		unit_failures++;
		return;
	}
	fputs(text, f);
	fclose(f);
}

/*
 * Definitions of our own that are broken: one whose rule matches the
 * empty string (source-highlight would loop), one that does not parse.
 * The blocks stay plain; languages already read go on, but none is
 * read after a syntax error, which spoils source-highlight's scanner.
 */
static void
test_bad_definitions(void)
{
	char		 dir[] = "/tmp/folio-hl-XXXXXX";
	char		 sub[64], rust[96], c[96];
	struct hl_span	*s;
	size_t		 n;
	double		 t;

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		unit_failures++;
		return;
	}
	snprintf(sub, sizeof(sub), "%s/styles", dir);
	mkdir(sub, 0700);
	snprintf(sub, sizeof(sub), "%s/styles/highlight", dir);
	mkdir(sub, 0700);
	snprintf(rust, sizeof(rust), "%s/rust.lang", sub);
	snprintf(c, sizeof(c), "%s/c.lang", sub);
	put_file(rust, "keyword = \"fn\"\nsymbol = \"|\"\n");
	put_file(c, "keyword = \"int\nstate (( begin\n");
	highlight_init(dir);

	t = now();
	CHECK(highlight("rust", "fn f() {}\n", 10, &s, &n) == -1);
	CHECK(now() - t < 5);
	CHECK(highlight("rust", "fn f() {}\n", 10, &s, &n) == -1);
	CHECK(highlight("python", "def f(): pass", 13, &s, &n) == 0);
	free(s);
	CHECK(highlight("c", "int x;", 6, &s, &n) == -1);
	CHECK(highlight("python", "def f(): pass", 13, &s, &n) == 0);
	free(s);
	CHECK(highlight("sh", "for x", 5, &s, &n) == -1);

	unlink(rust);
	unlink(c);
	rmdir(sub);
	snprintf(sub, sizeof(sub), "%s/styles", dir);
	rmdir(sub);
	rmdir(dir);
}

/* A big block: every line highlighted, in bounded time. */
static void
test_big(void)
{
	static const char snippet[] =
	    "fn main() {\n"
	    "    let mut x = 42; // comment\n"
	    "    println!(\"text {}\", x);\n"
	    "}\n";
	struct buf	 b = { NULL, 0, 0 };
	struct hl_span	*s;
	size_t		 n, k;
	double		 t;

	while (b.len < 1024 * 1024)
		buf_puts(&b, snippet);
	t = now();
	CHECK(highlight("rust", b.data, b.len, &s, &n) == 0);
	t = now() - t;
	printf("1 MB of Rust (%zu bytes, %zu spans): %.3f s\n", b.len, n, t);
	CHECK(well_formed(b.data, b.len, s, n));
	CHECK(n > 0 && s[n - 1].cls == HL_SYMBOL &&
	    s[n - 1].off == b.len - 2);
	CHECK(t < 20);
	free(s);

	/* lines at the limit, dense with tokens: given up, in bounded time */
	buf_reset(&b);
	while (b.len < 1024 * 1024) {
		for (k = 0; k + 8 < HL_LINE_MAX; k += 8)
			buf_puts(&b, "a(1, b) ");
		buf_putc(&b, '\n');
	}
	t = now();
	CHECK(highlight("rust", b.data, b.len, &s, &n) == -1);
	t = now() - t;
	printf("1 MB of %d-byte lines dense with tokens: %.3f s (plain)\n",
	    HL_LINE_MAX - 8, t);
	CHECK(t < 30);

	/* a few such lines are highlighted */
	b.len = 8 * HL_LINE_MAX;
	b.data[b.len] = '\0';
	t = now();
	CHECK(highlight("rust", b.data, b.len, &s, &n) == 0);
	t = now() - t;
	printf("%zu bytes of them: %.3f s\n", b.len, t);
	CHECK(well_formed(b.data, b.len, s, n));
	free(s);

	/* one 1 MB line stays plain */
	buf_reset(&b);
	while (b.len < 1024 * 1024)
		buf_puts(&b, "fn f() { 1 } ");
	t = now();
	CHECK(highlight("rust", b.data, b.len, &s, &n) == 0 && n == 0);
	t = now() - t;
	printf("1 MB on one line: %.3f s\n", t);
	free(s);

	buf_grow(&b, HL_CODE_MAX + 1);
	memset(b.data, 'x', HL_CODE_MAX + 1);
	CHECK(highlight("rust", b.data, HL_CODE_MAX + 1, &s, &n) == -1);
	buf_free(&b);
}

/*
 * Every fenced block of a folder's Markdown files, as mdBook writes
 * them (the language the info string's first word, {{#include}} lines
 * left out): how long they take.
 */
static void
test_corpus(const char *dir)
{
	struct buf	 text = { NULL, 0, 0 }, code = { NULL, 0, 0 };
	struct dirent	*de;
	DIR		*d;
	char		 path[4096], lang[64], fence[16];
	const char	*p, *end, *nl, *q;
	size_t		 nblocks = 0, nbytes = 0, nspans = 0, nplain = 0;
	size_t		 indent, n, flen;
	struct hl_span	*s;
	double		 t = 0, t0;
	int		 in = 0;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "%s: cannot open\n", dir);
		unit_failures++;
		return;
	}
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 4 || strcmp(de->d_name + n - 3, ".md") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		buf_reset(&text);
		if (buf_load(&text, path) != 0)
			continue;
		end = text.data + text.len;
		for (p = text.data; p < end; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			for (q = p; q < nl && *q == ' '; q++)
				continue;
			if (!in) {
				if (nl - q < 3 || (strncmp(q, "```", 3) &&
				    strncmp(q, "~~~", 3)))
					continue;
				indent = (size_t)(q - p);
				for (flen = 0; q + flen < nl &&
				    q[flen] == q[0] && flen < 15; flen++)
					fence[flen] = q[0];
				fence[flen] = '\0';
				q += flen;
				n = (size_t)(nl - q) < sizeof(lang) - 1 ?
				    (size_t)(nl - q) : sizeof(lang) - 1;
				memcpy(lang, q, n);
				lang[n] = '\0';
				buf_reset(&code);
				in = 1;
			} else if ((size_t)(nl - q) >= strlen(fence) &&
			    strncmp(q, fence, strlen(fence)) == 0) {
				in = 0;
				t0 = now();
				if (highlight(lang, code.data, code.len, &s,
				    &n) == 0)
					nspans += n;
				else
					nplain++;
				t += now() - t0;
				if (code.len > 0)
					CHECK(well_formed(code.data, code.len,
					    s, n));
				free(s);
				nblocks++;
				nbytes += code.len;
			} else if (strstr(p, "{{#") == NULL ||
			    strstr(p, "{{#") > nl) {
				q = (size_t)(q - p) > indent ? p + indent : q;
				buf_put(&code, q, (size_t)(nl - q));
				buf_putc(&code, '\n');
			}
			if (nl == end)
				break;
		}
	}
	closedir(d);
	printf("%s: %zu blocks, %zu bytes, %zu spans, %zu left plain: "
	    "%.3f s\n", dir, nblocks, nbytes, nspans, nplain, t);
	buf_free(&text);
	buf_free(&code);
}

int
main(void)
{
	const char	*data = getenv("FOLIO_DATADIR");
	const char	*corpus = getenv("FOLIO_HL_CORPUS");
	struct hl_span	*s;
	size_t		 n;
	double		 t;

	/* source-highlight's definitions alone first, then ours too */
	highlight_init(NULL);
	CHECK(highlight("python", "def f(): pass", 13, &s, &n) == 0);
	free(s);
	CHECK(highlight("toml", "a = 1", 5, &s, &n) == -1);
	if (data == NULL || *data == '\0')
		data = ".";
	highlight_init(data);

	t = now();
	test_rust();
	printf("first block, definitions loaded: %.3f s\n", now() - t);
	test_c();
	test_python();
	test_sh();
	test_console();
	test_data();
	test_diff();
	test_others();
	test_unknown();
	test_hostile();
	if (getenv("FOLIO_HL_NOBIG") == NULL)
		test_big();
	if (corpus != NULL && *corpus)
		test_corpus(corpus);

	/* the caches go, and come back on the next call */
	highlight_cleanup();
	test_rust();
	test_bad_definitions();
	highlight_cleanup();
	highlight_cleanup();
	return UNIT_DONE();
}
