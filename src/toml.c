/*
 * TOML 1.0, read into a tree of struct toml_value: enough for the
 * book.toml of an mdBook project, and strict, so that a mistake in one
 * is reported where it was made instead of being read some other way.
 * Dates and times are checked and kept as strings.  Columns count bytes.
 *
 * Limits: tables and arrays nest at most TOML_MAX_DEPTH deep, and that
 * bounds every recursion here; the caller bounds the size of the text.
 * Keys are found through one hash table over (table, key), so a huge
 * table costs no quadratic time.
 */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "toml.h"
#include "utf8.h"

/* The parser's flags, above the public ones. */
#define F_IMPLICIT	0x100u	/* made by a [header] on the way to another */
#define F_DEFINED	0x200u	/* made or completed by its own [header] */
#define F_DOTTED	0x400u	/* made by a dotted key */
#define F_FROZEN	0x800u	/* inline table or array: closed for good */
#define F_AOT		0x1000u	/* array of tables, grown by [[header]] */

#define MAX_NUMBER	256	/* bytes in a number, date or time */

struct slot {
	size_t		 id;	/* 0: empty */
	const char	*key;
	size_t		 idx;
};

struct parser {
	const char	*path;
	const char	*p;
	const char	*end;
	const char	*bol;	/* start of the current line */
	int		 line;
	struct slot	*slots;
	size_t		 nslots;
	size_t		 cap;	/* a power of two, or 0 */
	size_t		 nextid;
};

struct keypart {
	char	*s;
	int	 line;
	int	 col;
};

struct key {
	struct keypart	 part[TOML_MAX_DEPTH];
	size_t		 n;
};

static int	parse_value(struct parser *, struct toml_value *, int);

static int
col(const struct parser *ps, const char *at)
{
	return (int)(at - ps->bol) + 1;
}

static int
fail(struct parser *ps, int line, int c, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
fail(struct parser *ps, int line, int c, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_error(ps->path, line, c, "%s", msg);
	return -1;
}

/* The byte under the cursor, for messages. */
static const char *
found(const struct parser *ps)
{
	static _Thread_local char	 s[16];
	unsigned char			 c;

	if (ps->p >= ps->end)
		return "the end of the file";
	c = (unsigned char)*ps->p;
	if (c == '\n' || (c == '\r' && ps->p + 1 < ps->end &&
	    ps->p[1] == '\n'))
		return "the end of the line";
	if (c >= 0x20 && c < 0x7F)
		snprintf(s, sizeof(s), "'%c'", c);
	else
		snprintf(s, sizeof(s), "byte 0x%02x", c);
	return s;
}

#define FAILP(ps, ...) fail((ps), (ps)->line, col((ps), (ps)->p), __VA_ARGS__)

static void
value_clear(struct toml_value *v)
{
	size_t	 i;

	free(v->s);
	for (i = 0; i < v->n; i++) {
		value_clear(&v->v[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->v);
	free(v->keys);
	memset(v, 0, sizeof(*v));
}

void
toml_free(struct toml_value *v)
{
	if (v == NULL)
		return;
	value_clear(v);
	free(v);
}

/* The hash of (table, key) to the key's place in its table. */
static size_t
hash(size_t id, const char *key)
{
	uint64_t	 h = 14695981039346656037ULL;

	while (*key) {
		h ^= (unsigned char)*key++;
		h *= 1099511628211ULL;
	}
	h ^= (uint64_t)id * 0x9E3779B97F4A7C15ULL;
	h ^= h >> 29;
	return (size_t)h;
}

static void
hash_put(struct parser *ps, size_t id, const char *key, size_t idx)
{
	struct slot	*old = ps->slots;
	size_t		 oldcap = ps->cap, i, j;

	if ((ps->nslots + 1) * 2 > ps->cap) {
		ps->cap = oldcap ? oldcap * 2 : 64;
		ps->slots = xcalloc(ps->cap, sizeof(*ps->slots));
		ps->nslots = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i].id)
				hash_put(ps, old[i].id, old[i].key,
				    old[i].idx);
		free(old);
	}
	for (j = hash(id, key) & (ps->cap - 1); ps->slots[j].id;
	    j = (j + 1) & (ps->cap - 1))
		;
	ps->slots[j].id = id;
	ps->slots[j].key = key;
	ps->slots[j].idx = idx;
	ps->nslots++;
}

/* The place of key in table t, or -1. */
static long
find(const struct parser *ps, const struct toml_value *t, const char *key)
{
	size_t	 j;

	if (ps->cap == 0)
		return -1;
	for (j = hash(t->id, key) & (ps->cap - 1); ps->slots[j].id;
	    j = (j + 1) & (ps->cap - 1))
		if (ps->slots[j].id == t->id &&
		    strcmp(ps->slots[j].key, key) == 0)
			return (long)ps->slots[j].idx;
	return -1;
}

static void
new_table(struct parser *ps, struct toml_value *t, int line, int c,
    int depth, unsigned flags)
{
	memset(t, 0, sizeof(*t));
	t->type = TOML_TABLE;
	t->line = line;
	t->col = c;
	t->depth = depth;
	t->flags = flags;
	t->id = ++ps->nextid;
}

/* Move val into table t under key (taken over); its new place. */
static struct toml_value *
table_add(struct parser *ps, struct toml_value *t, char *key,
    struct toml_value *val)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 8;
		t->v = xreallocarray(t->v, t->cap, sizeof(*t->v));
		t->keys = xreallocarray(t->keys, t->cap, sizeof(*t->keys));
	}
	t->keys[t->n] = key;
	t->v[t->n] = *val;
	memset(val, 0, sizeof(*val));
	hash_put(ps, t->id, key, t->n);
	return &t->v[t->n++];
}

static struct toml_value *
array_add(struct toml_value *a, struct toml_value *val)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 8;
		a->v = xreallocarray(a->v, a->cap, sizeof(*a->v));
	}
	a->v[a->n] = *val;
	memset(val, 0, sizeof(*val));
	return &a->v[a->n++];
}

/* Consume one newline (LF or CRLF) if there is one. */
static int
newline(struct parser *ps)
{
	if (ps->p < ps->end && *ps->p == '\n')
		ps->p++;
	else if (ps->end - ps->p >= 2 && ps->p[0] == '\r' && ps->p[1] == '\n')
		ps->p += 2;
	else
		return 0;
	ps->line++;
	ps->bol = ps->p;
	return 1;
}

static void
skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

static int
is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7F;
}

/* A comment runs to the end of the line; it may hold no control byte. */
static int
skip_comment(struct parser *ps)
{
	if (ps->p >= ps->end || *ps->p != '#')
		return 0;
	while (ps->p < ps->end && *ps->p != '\n') {
		if (*ps->p == '\r' && ps->p + 1 < ps->end && ps->p[1] == '\n')
			break;
		if (is_control((unsigned char)*ps->p))
			return FAILP(ps, "control character in a comment");
		ps->p++;
	}
	return 0;
}

/* Blanks, comments and newlines, as arrays allow between items. */
static int
skip_space(struct parser *ps)
{
	for (;;) {
		skip_ws(ps);
		if (skip_comment(ps) == -1)
			return -1;
		if (!newline(ps))
			return 0;
	}
}

static int
end_of_line(struct parser *ps)
{
	skip_ws(ps);
	if (skip_comment(ps) == -1)
		return -1;
	if (ps->p >= ps->end || newline(ps))
		return 0;
	return FAILP(ps, "expected the end of the line, found %s", found(ps));
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
escape(struct parser *ps, struct buf *b)
{
	const char	*at = ps->p;
	uint32_t	 cp = 0;
	int		 i, n, h;

	ps->p++;		/* the backslash */
	if (ps->p >= ps->end)
		return fail(ps, ps->line, col(ps, at), "unterminated string");
	switch (*ps->p) {
	case 'b': buf_putc(b, '\b'); break;
	case 't': buf_putc(b, '\t'); break;
	case 'n': buf_putc(b, '\n'); break;
	case 'f': buf_putc(b, '\f'); break;
	case 'r': buf_putc(b, '\r'); break;
	case '"': buf_putc(b, '"'); break;
	case '\\': buf_putc(b, '\\'); break;
	case 'u':
	case 'U':
		n = *ps->p == 'u' ? 4 : 8;
		if (ps->end - ps->p - 1 < n)
			return fail(ps, ps->line, col(ps, at),
			    "\\%c needs %d hexadecimal digits", *ps->p, n);
		for (i = 1; i <= n; i++) {
			if ((h = hexval(ps->p[i])) < 0)
				return fail(ps, ps->line, col(ps, at),
				    "\\%c needs %d hexadecimal digits",
				    *ps->p, n);
			cp = cp << 4 | (uint32_t)h;
		}
		if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return fail(ps, ps->line, col(ps, at),
			    "\\%c%.*s is not a Unicode scalar value", *ps->p,
			    n, ps->p + 1);
		utf8_encode(b, cp);
		ps->p += n;
		break;
	default:
		return fail(ps, ps->line, col(ps, at),
		    "unknown escape sequence \\%c", *ps->p);
	}
	ps->p++;
	return 0;
}

/*
 * A line-ending backslash in a multi-line basic string: blanks may
 * follow it on its line, then it eats every blank and newline.
 */
static int
line_continuation(struct parser *ps)
{
	const char	*at = ps->p;
	int		 line = ps->line;

	ps->p++;
	skip_ws(ps);
	if (!newline(ps))
		return fail(ps, line, col(ps, at),
		    "unknown escape sequence \\%c", at[1]);
	for (;;) {
		skip_ws(ps);
		if (!newline(ps))
			return 0;
	}
}

/*
 * A string of either kind, the cursor on its first quote.  Quotes next
 * to the closing delimiter of a multi-line string belong to the text.
 */
static int
parse_string(struct parser *ps, struct buf *b, int multi, int literal)
{
	const char	 q = literal ? '\'' : '"';
	int		 line = ps->line, c0 = col(ps, ps->p);
	size_t		 run;

	ps->p += multi ? 3 : 1;
	if (multi)
		newline(ps);
	for (;;) {
		if (ps->p >= ps->end)
			return fail(ps, line, c0, "unterminated string");
		if (*ps->p == q) {
			if (!multi) {
				ps->p++;
				return 0;
			}
			for (run = 0; ps->p + run < ps->end &&
			    ps->p[run] == q; run++)
				;
			if (run >= 3) {
				if (run > 5)
					return FAILP(ps, "too many quotes "
					    "closing a string");
				buf_put(b, ps->p, run - 3);
				ps->p += run;
				return 0;
			}
			buf_put(b, ps->p, run);
			ps->p += run;
			continue;
		}
		if (*ps->p == '\\' && !literal) {
			if (multi && ps->p + 1 < ps->end &&
			    (ps->p[1] == ' ' || ps->p[1] == '\t' ||
			    ps->p[1] == '\n' || ps->p[1] == '\r')) {
				if (line_continuation(ps) == -1)
					return -1;
			} else if (escape(ps, b) == -1)
				return -1;
			continue;
		}
		if (*ps->p == '\r' && (ps->p + 1 >= ps->end ||
		    ps->p[1] != '\n'))
			return FAILP(ps, "carriage return without a line feed");
		if (*ps->p == '\n' || *ps->p == '\r') {
			if (!multi)
				return fail(ps, line, c0, "newline in a string "
				    "(a multi-line string is written %c%c%c)",
				    q, q, q);
			newline(ps);
			buf_putc(b, '\n');
			continue;
		}
		if (is_control((unsigned char)*ps->p))
			return FAILP(ps, "control character 0x%02x in a "
			    "string", (unsigned char)*ps->p);
		buf_putc(b, *ps->p++);
	}
}

static int
is_bare(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int
starts_multi(const struct parser *ps)
{
	return ps->end - ps->p >= 3 && ps->p[1] == ps->p[0] &&
	    ps->p[2] == ps->p[0];
}

static int
parse_simple_key(struct parser *ps, struct keypart *kp)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*s;

	kp->line = ps->line;
	kp->col = col(ps, ps->p);
	if (ps->p < ps->end && (*ps->p == '"' || *ps->p == '\'')) {
		if (starts_multi(ps))
			return FAILP(ps, "a key cannot be a multi-line string");
		if (parse_string(ps, &b, 0, *ps->p == '\'') == -1) {
			buf_free(&b);
			return -1;
		}
		kp->s = buf_detach(&b);
		return 0;
	}
	for (s = ps->p; ps->p < ps->end && is_bare(*ps->p); ps->p++)
		;
	if (ps->p == s)
		return FAILP(ps, "expected a key, found %s", found(ps));
	kp->s = xstrndup(s, (size_t)(ps->p - s));
	return 0;
}

static void
key_free(struct key *k)
{
	size_t	 i;

	for (i = 0; i < k->n; i++)
		free(k->part[i].s);
	k->n = 0;
}

/* A key, dotted or not; the parts are the caller's to free. */
static int
parse_key(struct parser *ps, struct key *k)
{
	k->n = 0;
	for (;;) {
		if (k->n == TOML_MAX_DEPTH)
			return FAILP(ps, "a key of more than %d parts",
			    TOML_MAX_DEPTH);
		if (parse_simple_key(ps, &k->part[k->n]) == -1)
			return -1;
		k->n++;
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != '.')
			return 0;
		ps->p++;
		skip_ws(ps);
	}
}

/* The key's first n parts, joined with dots, for messages. */
static const char *
key_name(const struct key *k, size_t n, char *dst, size_t sz)
{
	size_t	 i, len = 0;
	int	 w;

	dst[0] = '\0';
	for (i = 0; i < n && len < sz; i++) {
		w = snprintf(dst + len, sz - len, "%s%s", i ? "." : "",
		    k->part[i].s);
		if (w < 0)
			break;
		len += (size_t)w;
	}
	return dst;
}

static int
digits_ok(const char *s, size_t n, int (*isdig)(int))
{
	size_t	 i;

	if (n == 0 || s[0] == '_' || s[n - 1] == '_')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '_') {
			if (s[i + 1] == '_')
				return 0;
		} else if (!isdig((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

static int
isdec(int c)
{
	return c >= '0' && c <= '9';
}

static int
ishex(int c)
{
	return hexval((char)c) >= 0;
}

static int
isoct(int c)
{
	return c >= '0' && c <= '7';
}

static int
isbin(int c)
{
	return c == '0' || c == '1';
}

static int
parse_integer(const char *s, size_t n, long long *out)
{
	unsigned long long	 v = 0, limit = LLONG_MAX;
	int			 neg = 0, base = 10, d;
	int			(*isdig)(int) = isdec;
	size_t			 i;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' ||
	    s[1] == 'b')) {
		base = s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2;
		isdig = base == 16 ? ishex : base == 8 ? isoct : isbin;
		s += 2;
		n -= 2;
	} else {
		if (n && (s[0] == '+' || s[0] == '-')) {
			neg = s[0] == '-';
			s++;
			n--;
		}
		if (n > 1 && s[0] == '0')
			return -1;	/* no leading zeros */
		if (neg)
			limit = (unsigned long long)LLONG_MAX + 1;
	}
	if (!digits_ok(s, n, isdig))
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] == '_')
			continue;
		d = hexval(s[i]);
		if (v > (limit - (unsigned long long)d) / (unsigned)base)
			return -2;
		v = v * (unsigned)base + (unsigned long long)d;
	}
	if (neg)
		*out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN :
		    -(long long)v;
	else
		*out = (long long)v;
	return 0;
}

static int
parse_float(const char *s, size_t n, double *out)
{
	char		 clean[MAX_NUMBER + 1], *e;
	const char	*p = s, *end = s + n, *q;
	char		 point = '.';
	size_t		 len = 0, i;
	int		 neg = 0;

	if (p < end && (*p == '+' || *p == '-')) {
		neg = *p == '-';
		p++;
	}
	if (end - p == 3 && (memcmp(p, "inf", 3) == 0 ||
	    memcmp(p, "nan", 3) == 0)) {
		*out = p[0] == 'i' ? (neg ? -HUGE_VAL : HUGE_VAL) :
		    (neg ? -NAN : NAN);
		return 0;
	}
	/* integer part, no leading zeros */
	for (q = p; q < end && (isdec((unsigned char)*q) || *q == '_'); q++)
		;
	if (!digits_ok(p, (size_t)(q - p), isdec) ||
	    (q - p > 1 && p[0] == '0'))
		return -1;
	if (q < end && *q == '.') {
		p = ++q;
		for (; q < end && (isdec((unsigned char)*q) || *q == '_'); q++)
			;
		if (!digits_ok(p, (size_t)(q - p), isdec))
			return -1;
	}
	if (q < end && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < end && (*q == '+' || *q == '-'))
			q++;
		p = q;
		for (; q < end && (isdec((unsigned char)*q) || *q == '_'); q++)
			;
		if (!digits_ok(p, (size_t)(q - p), isdec))
			return -1;
	}
	if (q != end || n > MAX_NUMBER)
		return -1;
	/* strtod reads the decimal point of the locale */
	if (localeconv()->decimal_point[0] != '\0')
		point = localeconv()->decimal_point[0];
	for (i = 0; i < n; i++)
		if (s[i] != '_')
			clean[len++] = s[i] == '.' ? point : s[i];
	clean[len] = '\0';
	errno = 0;
	*out = strtod(clean, &e);
	if (*e != '\0')
		return -1;
	if (errno == ERANGE && (*out == HUGE_VAL || *out == -HUGE_VAL))
		return -2;
	return 0;
}

static int
num(const char *s, int n)
{
	int	 v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdec((unsigned char)s[i]))
			return -1;
		v = v * 10 + s[i] - '0';
	}
	return v;
}

/* hh:mm:ss[.frac]; the bytes it takes, or -1. */
static int
check_time(const char *s, size_t n)
{
	size_t	 i;

	if (n < 8 || s[2] != ':' || s[5] != ':')
		return -1;
	if (num(s, 2) < 0 || num(s, 2) > 23 || num(s + 3, 2) < 0 ||
	    num(s + 3, 2) > 59 || num(s + 6, 2) < 0 || num(s + 6, 2) > 60)
		return -1;
	i = 8;
	if (i < n && s[i] == '.') {
		for (i++; i < n && isdec((unsigned char)s[i]); i++)
			;
		if (i == 9)
			return -1;
	}
	return (int)i;
}

/* A date, a time or both, as TOML writes them. */
static int
check_datetime(const char *s, size_t n)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int		 y, m, d, t;
	size_t		 i;

	if (n >= 3 && s[2] == ':')
		return check_time(s, n) == (int)n ? 0 : -1;
	if (n < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	y = num(s, 4);
	m = num(s + 5, 2);
	d = num(s + 8, 2);
	if (y < 0 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)))
		return -1;
	if (n == 10)
		return 0;
	if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
		return -1;
	if ((t = check_time(s + 11, n - 11)) < 0)
		return -1;
	i = 11 + (size_t)t;
	if (i == n)
		return 0;
	if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == n)
		return 0;
	if ((s[i] == '+' || s[i] == '-') && n - i == 6 && s[i + 3] == ':' &&
	    num(s + i + 1, 2) >= 0 && num(s + i + 1, 2) <= 23 &&
	    num(s + i + 4, 2) >= 0 && num(s + i + 4, 2) <= 59)
		return 0;
	return -1;
}

static int
is_token(char c)
{
	return is_bare(c) || c == '+' || c == '.' || c == ':';
}

/* A number, a boolean, a date or a time. */
static int
parse_scalar(struct parser *ps, struct toml_value *v)
{
	const char	*s = ps->p;
	size_t		 n;
	int		 rc;

	while (ps->p < ps->end && is_token(*ps->p))
		ps->p++;
	n = (size_t)(ps->p - s);
	/* a date and a time may be parted by one space */
	if (n == 10 && s[4] == '-' && ps->end - ps->p >= 4 &&
	    ps->p[0] == ' ' && isdec((unsigned char)ps->p[1]) &&
	    isdec((unsigned char)ps->p[2]) && ps->p[3] == ':') {
		ps->p++;
		while (ps->p < ps->end && is_token(*ps->p))
			ps->p++;
		n = (size_t)(ps->p - s);
	}
	if (n == 0)
		return FAILP(ps, "expected a value, found %s", found(ps));
	if (n > MAX_NUMBER)
		return fail(ps, v->line, v->col, "value too long: %.20s...",
		    s);
	if ((n == 4 && memcmp(s, "true", 4) == 0) ||
	    (n == 5 && memcmp(s, "false", 5) == 0)) {
		v->type = TOML_BOOL;
		v->i = s[0] == 't';
		return 0;
	}
	if (memchr(s, ':', n) != NULL || (n >= 10 && s[4] == '-' &&
	    isdec((unsigned char)s[0]))) {
		if (check_datetime(s, n) == -1)
			return fail(ps, v->line, v->col,
			    "invalid date or time: %.*s", (int)n, s);
		v->type = TOML_STRING;
		v->s = xstrndup(s, n);
		v->flags |= TOML_DATETIME;
		return 0;
	}
	if ((n < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'o' &&
	    s[1] != 'b')) && (memchr(s, '.', n) || memchr(s, 'e', n) ||
	    memchr(s, 'E', n) || memchr(s, 'i', n) || memchr(s, 'n', n))) {
		v->type = TOML_FLOAT;
		rc = parse_float(s, n, &v->f);
	} else {
		v->type = TOML_INTEGER;
		rc = parse_integer(s, n, &v->i);
	}
	if (rc == -2)
		return fail(ps, v->line, v->col, "number out of range: %.*s",
		    (int)n, s);
	if (rc == -1)
		return fail(ps, v->line, v->col, "invalid value: %.*s",
		    (int)n, s);
	return 0;
}

static int
parse_array(struct parser *ps, struct toml_value *v, int depth)
{
	struct toml_value	 item;

	v->type = TOML_ARRAY;
	v->flags |= F_FROZEN;
	ps->p++;
	for (;;) {
		if (skip_space(ps) == -1)
			return -1;
		if (ps->p < ps->end && *ps->p == ']')
			break;
		if (parse_value(ps, &item, depth + 1) == -1) {
			value_clear(&item);
			return -1;
		}
		array_add(v, &item);
		if (skip_space(ps) == -1)
			return -1;
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']')
			break;
		if (ps->p >= ps->end)
			return fail(ps, v->line, v->col, "unterminated array");
		return FAILP(ps, "expected ',' or ']' in an array, found %s",
		    found(ps));
	}
	ps->p++;
	return 0;
}

/*
 * key = value into table t: the dotted parts make tables on the way or
 * go through tables that dotted keys made; the last part must be new.
 */
static int
assign(struct parser *ps, struct toml_value *t, struct key *k)
{
	struct toml_value	 nt, val;
	char			 name[256];
	size_t			 i;
	long			 idx;

	for (i = 0; i + 1 < k->n; i++) {
		if ((idx = find(ps, t, k->part[i].s)) < 0) {
			if (t->depth + 1 > TOML_MAX_DEPTH)
				return fail(ps, k->part[i].line,
				    k->part[i].col, "tables nested more than "
				    "%d deep", TOML_MAX_DEPTH);
			new_table(ps, &nt, k->part[i].line, k->part[i].col,
			    t->depth + 1, F_DOTTED);
			t = table_add(ps, t, k->part[i].s, &nt);
			k->part[i].s = NULL;
			continue;
		}
		t = &t->v[idx];
		if (t->type != TOML_TABLE || !(t->flags & F_DOTTED) ||
		    (t->flags & F_FROZEN))
			return fail(ps, k->part[i].line, k->part[i].col,
			    "%s is already defined (line %d)",
			    key_name(k, i + 1, name, sizeof(name)), t->line);
	}
	if ((idx = find(ps, t, k->part[i].s)) >= 0)
		return fail(ps, k->part[0].line, k->part[0].col,
		    "duplicate key %s (first defined on line %d)",
		    key_name(k, k->n, name, sizeof(name)), t->v[idx].line);
	if (parse_value(ps, &val, t->depth + 1) == -1) {
		value_clear(&val);
		return -1;
	}
	table_add(ps, t, k->part[i].s, &val);
	k->part[i].s = NULL;
	return 0;
}

/* { key = value, ... } on one line, closed for good once read. */
static int
parse_inline(struct parser *ps, struct toml_value *v, int depth)
{
	struct key	 k;
	int		 rc;

	new_table(ps, v, v->line, v->col, depth, 0);
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		v->flags |= F_FROZEN;
		return 0;
	}
	for (;;) {
		skip_ws(ps);
		if (parse_key(ps, &k) == -1) {
			key_free(&k);
			return -1;
		}
		if (ps->p >= ps->end || *ps->p != '=') {
			key_free(&k);
			return FAILP(ps, "expected '=' after a key");
		}
		ps->p++;
		skip_ws(ps);
		rc = assign(ps, v, &k);
		key_free(&k);
		if (rc == -1)
			return -1;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			skip_ws(ps);
			if (ps->p < ps->end && *ps->p == '}')
				return FAILP(ps, "trailing comma in an "
				    "inline table");
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}')
			break;
		if (ps->p >= ps->end || *ps->p == '\n' || *ps->p == '\r')
			return FAILP(ps, "unterminated inline table (it must "
			    "fit on one line)");
		return FAILP(ps, "expected ',' or '}' in an inline table, "
		    "found %s", found(ps));
	}
	ps->p++;
	v->flags |= F_FROZEN;
	return 0;
}

static int
parse_value(struct parser *ps, struct toml_value *v, int depth)
{
	struct buf	 b = { NULL, 0, 0 };

	memset(v, 0, sizeof(*v));
	v->line = ps->line;
	v->col = col(ps, ps->p);
	v->depth = depth;
	if (depth > TOML_MAX_DEPTH)
		return FAILP(ps, "arrays and tables nested more than %d deep",
		    TOML_MAX_DEPTH);
	if (ps->p >= ps->end)
		return FAILP(ps, "expected a value");
	switch (*ps->p) {
	case '"':
	case '\'':
		if (parse_string(ps, &b, starts_multi(ps), *ps->p == '\'') ==
		    -1) {
			buf_free(&b);
			return -1;
		}
		v->type = TOML_STRING;
		v->s = buf_detach(&b);
		return 0;
	case '[':
		return parse_array(ps, v, depth);
	case '{':
		return parse_inline(ps, v, depth);
	default:
		return parse_scalar(ps, v);
	}
}

/*
 * [a.b] or [[a.b]]: the parts before the last go through tables, made
 * on the way if need be, or into the last table of an array of tables.
 */
static int
header(struct parser *ps, struct toml_value *root, struct toml_value **cur)
{
	struct toml_value	*t = root, *c, nt;
	struct key		 k;
	char			 name[256];
	int			 aot, line = ps->line, c0 = col(ps, ps->p);
	size_t			 i;
	long			 idx;
	int			 rc = -1;

	aot = ps->end - ps->p >= 2 && ps->p[1] == '[';
	ps->p += aot ? 2 : 1;
	skip_ws(ps);
	if (parse_key(ps, &k) == -1)
		goto out;
	if (ps->p >= ps->end || *ps->p != ']' || (aot &&
	    (ps->end - ps->p < 2 || ps->p[1] != ']'))) {
		FAILP(ps, "expected '%s' to close the table header",
		    aot ? "]]" : "]");
		goto out;
	}
	ps->p += aot ? 2 : 1;
	if (end_of_line(ps) == -1)
		goto out;
	for (i = 0; i < k.n; i++) {
		if ((idx = find(ps, t, k.part[i].s)) < 0) {
			if (t->depth + 1 > TOML_MAX_DEPTH) {
				fail(ps, line, c0, "tables nested more than "
				    "%d deep", TOML_MAX_DEPTH);
				goto out;
			}
			if (i + 1 == k.n && aot) {
				memset(&nt, 0, sizeof(nt));
				nt.type = TOML_ARRAY;
				nt.flags = F_AOT;
				nt.line = line;
				nt.col = c0;
				nt.depth = t->depth + 1;
			} else
				new_table(ps, &nt, line, c0, t->depth + 1,
				    i + 1 == k.n ? F_DEFINED : F_IMPLICIT);
			t = table_add(ps, t, k.part[i].s, &nt);
			k.part[i].s = NULL;
		} else {
			c = &t->v[idx];
			if (i + 1 == k.n && !aot) {
				if (c->type == TOML_TABLE &&
				    (c->flags & F_IMPLICIT) &&
				    !(c->flags & F_DEFINED)) {
					c->flags |= F_DEFINED;
					t = c;
					break;
				}
				fail(ps, line, c0, "[%s] is already defined "
				    "(line %d)", key_name(&k, k.n, name,
				    sizeof(name)), c->line);
				goto out;
			}
			if (i + 1 == k.n) {
				if (c->type != TOML_ARRAY ||
				    !(c->flags & F_AOT)) {
					fail(ps, line, c0, "[[%s]]: %s is "
					    "already defined (line %d) and is "
					    "no array of tables", key_name(&k,
					    k.n, name, sizeof(name)), name,
					    c->line);
					goto out;
				}
				t = c;
			} else if (c->type == TOML_TABLE &&
			    !(c->flags & F_FROZEN))
				t = c;
			else if (c->type == TOML_ARRAY &&
			    (c->flags & F_AOT) && c->n > 0)
				t = &c->v[c->n - 1];
			else {
				fail(ps, line, c0, "%s is already defined "
				    "(line %d) and is no table", key_name(&k,
				    i + 1, name, sizeof(name)), c->line);
				goto out;
			}
		}
	}
	if (aot) {
		if (t->depth + 1 > TOML_MAX_DEPTH) {
			fail(ps, line, c0, "tables nested more than %d deep",
			    TOML_MAX_DEPTH);
			goto out;
		}
		new_table(ps, &nt, line, c0, t->depth + 1, F_DEFINED);
		t = array_add(t, &nt);
	}
	*cur = t;
	rc = 0;
out:
	key_free(&k);
	return rc;
}

/* Line and column of a byte offset, for a message before parsing. */
static void
position(const char *text, size_t off, int *line, int *c)
{
	size_t	 i, bol = 0;

	*line = 1;
	for (i = 0; i < off; i++)
		if (text[i] == '\n') {
			(*line)++;
			bol = i + 1;
		}
	*c = (int)(off - bol) + 1;
}

struct toml_value *
toml_parse(const char *path, const char *text, size_t len)
{
	struct parser		 ps;
	struct toml_value	*root, *cur;
	struct key		 k;
	size_t			 bad;
	int			 line, c, rc;

	if ((bad = utf8_invalid(text, len)) < len) {
		position(text, bad, &line, &c);
		diag_error(path, line, c, text[bad] == '\0' ?
		    "NUL byte in TOML" : "invalid UTF-8");
		return NULL;
	}
	memset(&ps, 0, sizeof(ps));
	ps.path = path;
	ps.p = ps.bol = text;
	ps.end = text + len;
	ps.line = 1;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		ps.p += 3;
	root = xmalloc(sizeof(*root));
	new_table(&ps, root, 1, 1, 0, F_DEFINED);
	cur = root;
	while (ps.p < ps.end) {
		skip_ws(&ps);
		if (ps.p >= ps.end)
			break;
		if (*ps.p == '#') {
			if (skip_comment(&ps) == -1)
				goto fail;
			continue;
		}
		if (newline(&ps))
			continue;
		if (*ps.p == '[') {
			if (header(&ps, root, &cur) == -1)
				goto fail;
			continue;
		}
		if (parse_key(&ps, &k) == -1) {
			key_free(&k);
			goto fail;
		}
		if (ps.p >= ps.end || *ps.p != '=') {
			key_free(&k);
			FAILP(&ps, "expected '=' after a key");
			goto fail;
		}
		ps.p++;
		skip_ws(&ps);
		rc = assign(&ps, cur, &k);
		key_free(&k);
		if (rc == -1 || end_of_line(&ps) == -1)
			goto fail;
	}
	free(ps.slots);
	return root;
fail:
	free(ps.slots);
	toml_free(root);
	return NULL;
}

/* The value of key in a table (the key may hold dots), or NULL. */
const struct toml_value *
toml_find(const struct toml_value *t, const char *key)
{
	size_t	 i;

	if (t == NULL || t->type != TOML_TABLE)
		return NULL;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->keys[i], key) == 0)
			return &t->v[i];
	return NULL;
}

/* The value at a dotted path of bare keys, "output.html.redirect". */
const struct toml_value *
toml_get(const struct toml_value *t, const char *dotted)
{
	const char	*p = dotted, *dot;
	size_t		 i, n;

	for (;;) {
		if (t == NULL || t->type != TOML_TABLE)
			return NULL;
		dot = strchr(p, '.');
		n = dot ? (size_t)(dot - p) : strlen(p);
		for (i = 0; i < t->n; i++)
			if (strncmp(t->keys[i], p, n) == 0 &&
			    t->keys[i][n] == '\0')
				break;
		if (i == t->n)
			return NULL;
		t = &t->v[i];
		if (dot == NULL)
			return t;
		p = dot + 1;
	}
}
