/*
 * Addresses.  A link's URL is checked (its scheme, its host as a URL
 * parser would take it) and percent-encoded where a URI may not hold a
 * character; a path written in a chapter is resolved against the
 * chapter's folder, with "." and ".." worked out, so that b/notes.md is
 * never taken for a/notes.md.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "url.h"

int
url_scheme(const char *url, size_t *len)
{
	size_t	 i = 0;

	if (!((url[0] >= 'a' && url[0] <= 'z') ||
	    (url[0] >= 'A' && url[0] <= 'Z')))
		return 0;
	while (url[i] && strchr("abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-", url[i]))
		i++;
	if (url[i] != ':' || i < 2)
		return 0;
	*len = i;
	return 1;
}

static int
ishex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/*
 * Percent-encode whatever a URI may not hold, keeping valid escapes;
 * brackets stay only in the authority, where they enclose IPv6 hosts.
 */
char *
url_escape(const char *s)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*keep = "-._~:/?#@!$&'()*+,;=", *auth, *authend;
	unsigned char	 c;

	auth = strstr(s, "://");
	auth = auth ? auth + 3 : s;
	authend = auth + strcspn(auth, "/?#");
	for (; *s; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c && strchr(keep, c)) ||
		    ((c == '[' || c == ']') && s >= auth && s < authend))
			buf_putc(&b, (char)c);
		else if (c == '%' && ishex(s[1]) && ishex(s[2]))
			buf_putc(&b, '%');
		else
			buf_printf(&b, "%%%02X", c);
	}
	return buf_detach(&b);
}

/* A host a URL parser accepts: DNS labels, or an IPv6 literal. */
int
url_host_ok(const char *url)
{
	const char	*a = strstr(url, "://"), *end, *at, *h, *colon;
	size_t		 label = 0;

	if (a == NULL)
		return 0;
	a += 3;
	end = a + strcspn(a, "/?#");
	for (at = a; at < end; at++)
		if (*at == '@')
			a = at + 1;
	if (a < end && *a == '[') {
		/* an IPv6 literal: hex digits, colons and dots, then a port */
		for (h = a + 1; h < end && *h != ']'; h++)
			if (!ishex(*h) && *h != ':' && *h != '.')
				return 0;
		if (h == end || h == a + 1)
			return 0;
		for (h++; h < end; h++)
			if (!(h[-1] == ']' && *h == ':') && (*h < '0' ||
			    *h > '9'))
				return 0;
		return 1;
	}
	colon = memchr(a, ':', (size_t)(end - a));
	if (colon != NULL) {
		for (h = colon + 1; h < end; h++)
			if (*h < '0' || *h > '9')
				return 0;
		end = colon;
	}
	if (a == end)
		return 0;
	for (h = a; h < end; h++) {
		if (*h == '.') {
			if (label == 0)
				return 0;
			label = 0;
		} else if ((*h >= 'a' && *h <= 'z') || (*h >= 'A' &&
		    *h <= 'Z') || (*h >= '0' && *h <= '9') || *h == '-')
			label++;
		else
			return 0;
	}
	return 1;
}

/* Decode %XX escapes in a local path. */
char *
url_unescape(const char *s, size_t n)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;
	char		 hex[3] = { 0, 0, 0 };

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n + 1 && ishex(s[i + 1]) &&
		    ishex(s[i + 2])) {
			hex[0] = s[i + 1];
			hex[1] = s[i + 2];
			buf_putc(&b, (char)strtol(hex, NULL, 16));
			i += 2;
		} else
			buf_putc(&b, s[i]);
	}
	return buf_detach(&b);
}

/* rel's folder joined with a path written in it, as one relative path. */
char *
url_join(const char *rel, const char *path)
{
	const char	*slash = strrchr(rel, '/');
	struct buf	 b = { NULL, 0, 0 };

	if (slash != NULL)
		buf_printf(&b, "%.*s/", (int)(slash - rel), rel);
	buf_puts(&b, path);
	return buf_detach(&b);
}

/*
 * A relative path with "." and ".." worked out ("a/./b/../c" is "a/c");
 * NULL if it climbs above its start.
 */
char *
url_normalize(const char *path)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*p = path, *e;
	size_t		 n, *marks = NULL, depth = 0;

	while (*p) {
		e = p + strcspn(p, "/");
		n = (size_t)(e - p);
		if (n == 0 || (n == 1 && *p == '.'))
			;
		else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (depth == 0) {
				free(marks);
				buf_free(&b);
				return NULL;
			}
			b.len = marks[--depth];
			b.data[b.len] = '\0';
		} else {
			marks = xreallocarray(marks, depth + 1,
			    sizeof(*marks));
			marks[depth++] = b.len;
			if (b.len > 0)
				buf_putc(&b, '/');
			buf_put(&b, p, n);
		}
		p = *e ? e + 1 : e;
	}
	free(marks);
	return buf_detach(&b);
}

