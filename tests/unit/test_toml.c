/* TOML: values, tables, positions, and every error with its place. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "toml.h"
#include "unit.h"

/* What the last parse printed on stderr. */
static char	 said[4096];

static struct toml_value *
parse(const char *text, size_t len)
{
	struct toml_value	*v;
	FILE			*f = tmpfile();
	int			 saved;
	size_t			 n;

	fflush(stderr);
	saved = dup(2);
	dup2(fileno(f), 2);
	diag_reset();
	v = toml_parse("book.toml", text, len);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(said, 1, sizeof(said) - 1, f);
	said[n] = '\0';
	fclose(f);
	return v;
}

static struct toml_value *
parses(const char *text)
{
	return parse(text, strlen(text));
}

/* The text must fail with this message start, "book.toml:L:C: error: ...". */
static int
fails(const char *text, const char *where)
{
	struct toml_value	*v = parses(text);
	int			 ok;

	ok = v == NULL && diag_errors() == 1 &&
	    strncmp(said, where, strlen(where)) == 0;
	if (!ok)
		fprintf(stderr, "for %s\n  want %s\n  got  %s", text, where,
		    said);
	toml_free(v);
	return ok;
}

static const char book[] =
    "\xEF\xBB\xBF# A book\n"
    "[book]\n"
    "title = \"The \\\"Book\\\"\"   # trailing comment\n"
    "authors = [\"One\", 'Two',\n"
    "    \"Three\", # a comment in an array\n"
    "]\n"
    "language = \"en\"\n"
    "\n"
    "[output.html]\n"
    "additional-css = [\"a.css\"]\n"
    "git-repository-url = 'C:\\path\\no\\escapes'\n"
    "search.use-boolean-and = true\n"
    "\n"
    "[output.html.redirect]\n"
    "\"ch17-00-oop.html\" = \"ch18-00-oop.html\"\n"
    "\"/a.b.html\" = \"c.html\"\n"
    "\n"
    "[preprocessor.x]\n"
    "command = \"\"\"\n"
    "line one\n"
    "line \\\n"
    "    two\"\"\"\n"
    "raw = '''\n"
    "keep \\n this'''\n"
    "\n"
    "[numbers]\n"
    "dec = +1_000\n"
    "neg = -17\n"
    "hex = 0xDEAD_beef\n"
    "oct = 0o755\n"
    "bin = 0b1101\n"
    "min = -9223372036854775808\n"
    "max = 9223372036854775807\n"
    "zero = -0\n"
    "f1 = 1.5\n"
    "f2 = -0.5e3\n"
    "f3 = 6.626e-34\n"
    "f4 = 1_000.25\n"
    "f5 = 5E+2\n"
    "inf = -inf\n"
    "nan = nan\n"
    "yes = true\n"
    "no = false\n"
    "\n"
    "[dates]\n"
    "odt = 1979-05-27T07:32:00Z\n"
    "odt2 = 1979-05-27 00:32:00.999-07:00\n"
    "ldt = 1979-05-27T07:32:00\n"
    "ld = 2024-02-29\n"
    "lt = 07:32:00.5\n"
    "\n"
    "[strings]\n"
    "esc = \"tab\\there\\nnl \\\\ \\u00e9 \\U0001F600\"\n"
    "empty = \"\"\n"
    "\"\" = \"empty key\"\n"
    "quotes = \"\"\"one \"quoted\" \"\"two\"\"\"\"\"\n"
    "lit = '''it's'''\n"
    "\n"
    "[mixed]\n"
    "inline = { a = 1, b.c = \"d\", e = [1, [2, 3]] }\n"
    "empty = {}\n"
    "arrays = [ [ 1, 2 ], [\"a\", { x = 1 }], ]\n"
    "\n"
    "[[fruit]]\n"
    "name = \"apple\"\n"
    "[fruit.physical]\n"
    "color = \"red\"\n"
    "[[fruit.variety]]\n"
    "name = \"red delicious\"\n"
    "[[fruit]]\n"
    "name = \"banana\"\n"
    "\n"
    "[super.sub]\n"
    "x = 1\n"
    "[super]\n"
    "y = 2\n"
    "[dotted]\n"
    "a.b.c = 1\n"
    "a.b.d = 2\n"
    "[dotted.a.b.e]\n"
    "z = 3\n";

static void
test_values(void)
{
	struct toml_value	 *t;
	const struct toml_value	 *v, *w;

	t = parses(book);
	CHECK(t != NULL);
	if (t == NULL) {
		fputs(said, stderr);
		return;
	}
	CHECK(diag_errors() == 0);
	CHECK(t->type == TOML_TABLE);
	CHECK(t->n == 10);
	CHECK_STR(t->keys[0], "book");
	CHECK_STR(t->keys[9], "dotted");
	CHECK_STR(toml_get(t, "book.title")->s, "The \"Book\"");
	v = toml_get(t, "book.title");
	CHECK(v->line == 3 && v->col == 9);
	v = toml_get(t, "book.authors");
	CHECK(v->type == TOML_ARRAY && v->n == 3);
	CHECK_STR(v->v[1].s, "Two");
	CHECK(v->v[2].line == 5 && v->v[2].col == 5);
	CHECK(toml_get(t, "book.nothing") == NULL);
	CHECK(toml_get(t, "book.title.deeper") == NULL);
	CHECK(toml_get(NULL, "book") == NULL);
	CHECK_STR(toml_get(t, "output.html.git-repository-url")->s,
	    "C:\\path\\no\\escapes");
	v = toml_get(t, "output.html.search.use-boolean-and");
	CHECK(v != NULL && v->type == TOML_BOOL && v->i == 1);

	v = toml_get(t, "output.html.redirect");
	CHECK(v != NULL && v->type == TOML_TABLE && v->n == 2);
	CHECK_STR(v->keys[0], "ch17-00-oop.html");
	CHECK_STR(toml_find(v, "ch17-00-oop.html")->s, "ch18-00-oop.html");
	CHECK_STR(toml_find(v, "/a.b.html")->s, "c.html");
	CHECK(toml_find(v, "a") == NULL);
	CHECK(toml_get(v, "ch17-00-oop.html") == NULL);	/* dots part keys */

	CHECK_STR(toml_get(t, "preprocessor.x.command")->s,
	    "line one\nline two");
	CHECK_STR(toml_get(t, "preprocessor.x.raw")->s, "keep \\n this");

	CHECK(toml_get(t, "numbers.dec")->i == 1000);
	CHECK(toml_get(t, "numbers.neg")->i == -17);
	CHECK(toml_get(t, "numbers.hex")->i == 0xDEADBEEF);
	CHECK(toml_get(t, "numbers.oct")->i == 0755);
	CHECK(toml_get(t, "numbers.bin")->i == 13);
	CHECK(toml_get(t, "numbers.min")->i == -9223372036854775807LL - 1);
	CHECK(toml_get(t, "numbers.max")->i == 9223372036854775807LL);
	CHECK(toml_get(t, "numbers.zero")->type == TOML_INTEGER);
	CHECK(toml_get(t, "numbers.f1")->type == TOML_FLOAT);
	CHECK(toml_get(t, "numbers.f1")->f == 1.5);
	CHECK(toml_get(t, "numbers.f2")->f == -500.0);
	CHECK(fabs(toml_get(t, "numbers.f3")->f - 6.626e-34) < 1e-40);
	CHECK(toml_get(t, "numbers.f4")->f == 1000.25);
	CHECK(toml_get(t, "numbers.f5")->f == 500.0);
	CHECK(isinf(toml_get(t, "numbers.inf")->f) &&
	    toml_get(t, "numbers.inf")->f < 0);
	CHECK(isnan(toml_get(t, "numbers.nan")->f));
	CHECK(toml_get(t, "numbers.yes")->type == TOML_BOOL &&
	    toml_get(t, "numbers.yes")->i == 1);
	CHECK(toml_get(t, "numbers.no")->i == 0);

	v = toml_get(t, "dates.odt");
	CHECK(v->type == TOML_STRING && (v->flags & TOML_DATETIME));
	CHECK_STR(v->s, "1979-05-27T07:32:00Z");
	CHECK_STR(toml_get(t, "dates.odt2")->s,
	    "1979-05-27 00:32:00.999-07:00");
	CHECK_STR(toml_get(t, "dates.ld")->s, "2024-02-29");
	CHECK_STR(toml_get(t, "dates.lt")->s, "07:32:00.5");
	CHECK(!(toml_get(t, "book.title")->flags & TOML_DATETIME));

	CHECK_STR(toml_get(t, "strings.esc")->s,
	    "tab\there\nnl \\ \xC3\xA9 \xF0\x9F\x98\x80");
	CHECK_STR(toml_get(t, "strings.empty")->s, "");
	CHECK_STR(toml_find(toml_get(t, "strings"), "")->s, "empty key");
	CHECK_STR(toml_get(t, "strings.quotes")->s,
	    "one \"quoted\" \"\"two\"\"");
	CHECK_STR(toml_get(t, "strings.lit")->s, "it's");

	v = toml_get(t, "mixed.inline");
	CHECK(v->type == TOML_TABLE && v->n == 3);
	CHECK(toml_get(v, "a")->i == 1);
	CHECK_STR(toml_get(v, "b.c")->s, "d");
	CHECK(toml_get(v, "e")->n == 2 && toml_get(v, "e")->v[1].v[1].i == 3);
	CHECK(toml_get(t, "mixed.empty")->type == TOML_TABLE &&
	    toml_get(t, "mixed.empty")->n == 0);
	v = toml_get(t, "mixed.arrays");
	CHECK(v->n == 2 && v->v[1].v[1].type == TOML_TABLE);

	v = toml_get(t, "fruit");
	CHECK(v->type == TOML_ARRAY && v->n == 2);
	CHECK_STR(toml_get(&v->v[0], "name")->s, "apple");
	CHECK_STR(toml_get(&v->v[0], "physical.color")->s, "red");
	w = toml_get(&v->v[0], "variety");
	CHECK(w->type == TOML_ARRAY && w->n == 1);
	CHECK_STR(toml_get(&w->v[0], "name")->s, "red delicious");
	CHECK_STR(toml_get(&v->v[1], "name")->s, "banana");
	CHECK(v->v[1].line == 70);

	CHECK(toml_get(t, "super.sub.x")->i == 1);
	CHECK(toml_get(t, "super.y")->i == 2);
	CHECK(toml_get(t, "dotted.a.b.c")->i == 1);
	CHECK(toml_get(t, "dotted.a.b.d")->i == 2);
	CHECK(toml_get(t, "dotted.a.b.e.z")->i == 3);
	toml_free(t);
}

static void
test_small(void)
{
	struct toml_value	*t;
	char			 deep[200];
	int			 i;

	/* CRLF, an empty file, only comments */
	t = parses("a = 1\r\n[b]\r\nc = 'x' # note\r\n");
	CHECK(t != NULL && toml_get(t, "b.c") != NULL);
	CHECK(t != NULL && toml_get(t, "b.c")->line == 3);
	toml_free(t);
	t = parses("");
	CHECK(t != NULL && t->n == 0);
	toml_free(t);
	t = parses("# nothing\n\n   \t\n");
	CHECK(t != NULL && t->n == 0);
	toml_free(t);
	t = parse("a = 1", 5);	/* no final newline */
	CHECK(t != NULL && toml_get(t, "a")->i == 1);
	toml_free(t);

	/* 64 nested arrays are fine, 65 are not */
	for (i = 0; i < 64; i++)
		deep[4 + i] = '[';
	memcpy(deep, "a = ", 4);
	for (i = 0; i < 64; i++)
		deep[68 + i] = ']';
	deep[132] = '\0';
	t = parses(deep);
	CHECK(t != NULL);
	toml_free(t);
	for (i = 0; i < 65; i++)
		deep[4 + i] = '[';
	for (i = 0; i < 65; i++)
		deep[69 + i] = ']';
	deep[134] = '\0';
	CHECK(fails(deep, "book.toml:1:69: error: arrays and tables nested"));
	toml_free(NULL);
}

/* Many keys in one table: found through the hash, not one by one. */
static void
test_big(void)
{
	struct buf		 b = { NULL, 0, 0 };
	struct toml_value	*t;
	int			 i;

	buf_puts(&b, "[t]\n");
	for (i = 0; i < 100000; i++)
		buf_printf(&b, "k%d = %d\n", i, i);
	t = parse(b.data, b.len);
	CHECK(t != NULL && toml_get(t, "t")->n == 100000);
	CHECK(t != NULL && toml_get(t, "t.k99999")->i == 99999);
	toml_free(t);
	buf_printf(&b, "k5 = 0\n");
	CHECK(fails(b.data, "book.toml:100002:1: error: duplicate key k5"));
	buf_free(&b);
}

static void
test_errors(void)
{
	char	 bad[64];

	CHECK(fails("a = 1\na = 2\n", "book.toml:2:1: error: duplicate key a"));
	CHECK(fails("[t]\nb.c = 1\nb.c = 2\n",
	    "book.toml:3:1: error: duplicate key b.c"));
	CHECK(fails("[a]\n[a]\n", "book.toml:2:1: error: [a] is already "
	    "defined"));
	CHECK(fails("[a.b]\n[a]\n[a]\n", "book.toml:3:1: error: [a] is "
	    "already"));
	CHECK(fails("a.b = 1\n[a]\n", "book.toml:2:1: error: [a] is "
	    "already"));
	CHECK(fails("[f]\napple.color = 1\n[f.apple]\n",
	    "book.toml:3:1: error: [f.apple] is already"));
	CHECK(fails("[a.b]\nx = 1\n[a]\nb.c = 1\n",
	    "book.toml:4:1: error: b is already defined"));
	CHECK(fails("a = {x = 1}\n[a]\n", "book.toml:2:1: error: [a] is "
	    "already"));
	CHECK(fails("a = {x = 1}\n[a.b]\n", "book.toml:2:1: error: a is "
	    "already defined (line 1) and is no table"));
	CHECK(fails("a = {x = 1}\na.y = 2\n", "book.toml:2:1: error: a is "
	    "already defined"));
	CHECK(fails("a = { b = {c = 1}, b.d = 2 }\n",
	    "book.toml:1:20: error: b is already defined"));
	CHECK(fails("a = [1]\n[[a]]\n", "book.toml:2:1: error: [[a]]: a is "
	    "already defined"));
	CHECK(fails("[[a]]\n[a]\n", "book.toml:2:1: error: [a] is already"));
	CHECK(fails("a = 1\n[a.b]\n", "book.toml:2:1: error: a is already "
	    "defined (line 1) and is no table"));
	CHECK(fails("a = 1\na.b = 2\n", "book.toml:2:1: error: a is already"));
	CHECK(fails("a = { x = 1, x = 2 }\n",
	    "book.toml:1:14: error: duplicate key x"));

	CHECK(fails("a = \"abc\n", "book.toml:1:5: error: newline in a "
	    "string"));
	CHECK(fails("a = \"abc", "book.toml:1:5: error: unterminated string"));
	CHECK(fails("a = '''abc\n\n", "book.toml:1:5: error: unterminated "
	    "string"));
	CHECK(fails("a = \"\\q\"\n", "book.toml:1:6: error: unknown escape "
	    "sequence \\q"));
	CHECK(fails("a = \"\\uD800\"\n", "book.toml:1:6: error: \\uD800 is "
	    "not a Unicode scalar"));
	CHECK(fails("a = \"\\U00110000\"\n", "book.toml:1:6: error: "
	    "\\U00110000 is not"));
	CHECK(fails("a = \"\\u12\"\n", "book.toml:1:6: error: \\u needs 4"));
	CHECK(fails("a = \"\\u12g4\"\n", "book.toml:1:6: error: \\u needs 4"));
	CHECK(fails("a = \"x\001\"\n", "book.toml:1:7: error: control "
	    "character 0x01"));
	CHECK(fails("a = 'x\177'\n", "book.toml:1:7: error: control "));
	CHECK(fails("a = \"\"\"x\"\"\"\"\"\"\n", "book.toml:1:9: error: too "
	    "many quotes"));
	CHECK(fails("a = \"\"\"x \\ y\"\"\"\n", "book.toml:1:10: error: "
	    "unknown escape"));
	CHECK(fails("a = 1 # bell \007\n", "book.toml:1:14: error: control "
	    "character in a comment"));
	CHECK(fails("a = 1\r\rb = 2\n", "book.toml:1:6: error: expected the "
	    "end of the line, found byte 0x0d"));
	CHECK(fails("a = \"x\ry\"\n", "book.toml:1:7: error: carriage return"));
	CHECK(fails("\"\"\"k\"\"\" = 1\n", "book.toml:1:1: error: a key cannot "
	    "be a multi-line"));

	CHECK(fails("a = 01\n", "book.toml:1:5: error: invalid value: 01"));
	CHECK(fails("a = 1__0\n", "book.toml:1:5: error: invalid value"));
	CHECK(fails("a = _1\n", "book.toml:1:5: error: invalid value"));
	CHECK(fails("a = 1_\n", "book.toml:1:5: error: invalid value"));
	CHECK(fails("a = 0x\n", "book.toml:1:5: error: invalid value"));
	CHECK(fails("a = +0x1\n", "book.toml:1:5: error: invalid value"));
	CHECK(fails("a = 0b102\n", "book.toml:1:5: error: invalid value"));
	CHECK(fails("a = 1.\n", "book.toml:1:5: error: invalid value"));
	CHECK(fails("a = .5\n", "book.toml:1:5: error: invalid value"));
	CHECK(fails("a = 1e\n", "book.toml:1:5: error: invalid value"));
	CHECK(fails("a = 01.5\n", "book.toml:1:5: error: invalid value"));
	CHECK(fails("a = 1.5.5\n", "book.toml:1:5: error: invalid value"));
	CHECK(fails("a = infinity\n", "book.toml:1:5: error: invalid value"));
	CHECK(fails("a = TRUE\n", "book.toml:1:5: error: invalid value"));
	CHECK(fails("a = 9223372036854775808\n", "book.toml:1:5: error: "
	    "number out of range"));
	CHECK(fails("a = -9223372036854775809\n", "book.toml:1:5: error: "
	    "number out of range"));
	CHECK(fails("a = 0xffffffffffffffff\n", "book.toml:1:5: error: "
	    "number out of range"));
	CHECK(fails("a = 1e999\n", "book.toml:1:5: error: number out of "
	    "range"));
	CHECK(fails("a = 2023-02-29\n", "book.toml:1:5: error: invalid date"));
	CHECK(fails("a = 2024-13-01\n", "book.toml:1:5: error: invalid date"));
	CHECK(fails("a = 12:60:00\n", "book.toml:1:5: error: invalid date"));
	CHECK(fails("a = 1979-05-27T07:32\n", "book.toml:1:5: error: invalid "
	    "date"));
	CHECK(fails("a = 1979-05-27T07:32:00+7:00\n", "book.toml:1:5: error: "
	    "invalid date"));

	CHECK(fails("a =\n", "book.toml:1:4: error: expected a value, found "
	    "the end of the line"));
	CHECK(fails("a = ", "book.toml:1:5: error: expected a value"));
	CHECK(fails("a 1\n", "book.toml:1:3: error: expected '=' after a "
	    "key"));
	CHECK(fails("a = 1 2\n", "book.toml:1:7: error: expected the end of "
	    "the line, found '2'"));
	CHECK(fails("= 1\n", "book.toml:1:1: error: expected a key, found "
	    "'='"));
	CHECK(fails("a. = 1\n", "book.toml:1:4: error: expected a key"));
	CHECK(fails("a = {x = 1,}\n", "book.toml:1:12: error: trailing comma"));
	CHECK(fails("a = {x = 1\n}\n", "book.toml:1:11: error: unterminated "
	    "inline table"));
	CHECK(fails("a = {x = 1 y = 2}\n", "book.toml:1:12: error: expected "
	    "',' or '}'"));
	CHECK(fails("a = [1, 2\n", "book.toml:1:5: error: unterminated "
	    "array"));
	CHECK(fails("a = [1 2]\n", "book.toml:1:8: error: expected ',' or "
	    "']'"));
	CHECK(fails("a = [,]\n", "book.toml:1:6: error: expected a value"));
	CHECK(fails("[a\n", "book.toml:1:3: error: expected ']' to close"));
	CHECK(fails("[[a]\n", "book.toml:1:4: error: expected ']]' to close"));
	CHECK(fails("[a] x\n", "book.toml:1:5: error: expected the end of"));
	CHECK(fails("[]\n", "book.toml:1:2: error: expected a key"));

	/* 65 key parts */
	memset(bad, 0, sizeof(bad));
	{
		struct buf	 b = { NULL, 0, 0 };
		int		 i;

		for (i = 0; i < 65; i++)
			buf_puts(&b, i ? ".k" : "k");
		buf_puts(&b, " = 1\n");
		CHECK(fails(b.data, "book.toml:1:129: error: a key of more "
		    "than 64 parts"));
		buf_free(&b);
	}
	CHECK(fails("a = {x 1}\n", "book.toml:1:8: error: expected '=' "
	    "after a key"));
	memset(bad, '7', sizeof(bad) - 1);
	{
		struct buf	 b = { NULL, 0, 0 };
		int		 i;

		buf_puts(&b, "a = ");
		for (i = 0; i < 5; i++)
			buf_puts(&b, bad);
		CHECK(fails(b.data, "book.toml:1:5: error: value too long"));
		/* 64 tables deep by a header, one more by a dotted key */
		buf_reset(&b);
		for (i = 0; i < 64; i++)
			buf_puts(&b, i ? ".t" : "[t");
		buf_puts(&b, "]\nx.y = 1\n");
		CHECK(fails(b.data, "book.toml:2:1: error: tables nested more "
		    "than 64 deep"));
		/* or by an array of tables */
		buf_reset(&b);
		for (i = 0; i < 64; i++)
			buf_puts(&b, i ? ".t" : "[[t");
		buf_puts(&b, "]]\n");
		CHECK(fails(b.data, "book.toml:1:1: error: tables nested more "
		    "than 64 deep"));
		buf_free(&b);
	}
	memset(bad, 0, sizeof(bad));
	CHECK(fails("a = 1\nb = \"\xC3\x28\"\n", "book.toml:2:6: error: "
	    "invalid UTF-8"));
	memcpy(bad, "a = 1\nb\0 = 2\n", 14);
	{
		struct toml_value *t = parse(bad, 14);

		CHECK(t == NULL && strncmp(said, "book.toml:2:2: error: NUL",
		    25) == 0);
	}
}

/* Damaged copies of a good file: no crash, no leak, one error at most. */
static void
test_mangled(void)
{
	char			 copy[sizeof(book)];
	struct toml_value	*t;
	unsigned		 seed = 12345;
	size_t			 i, j, n = sizeof(book) - 1;
	int			 ok = 0;

	for (i = 0; i < 3000; i++) {
		memcpy(copy, book, n);
		for (j = 0; j < 1 + i % 4; j++) {
			seed = seed * 1103515245 + 12345;
			copy[(seed >> 8) % n] = "[]{}\"'=.,#\n\\ 0x_:-+e"
			    [(seed >> 20) % 21];
		}
		t = parse(copy, n);
		CHECK(t != NULL || diag_errors() == 1);
		ok += t != NULL;
		toml_free(t);
	}
	CHECK(ok > 0);
}

int
main(void)
{
	test_values();
	test_small();
	test_big();
	test_errors();
	test_mangled();
	return UNIT_DONE();
}
