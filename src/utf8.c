/* UTF-8: the only encoding folio reads and writes. */
#include "buf.h"
#include "utf8.h"

/*
 * Decode one code point; a malformed sequence yields U+FFFD and consumes
 * one byte, so callers always advance.
 */
size_t
utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char	*u = (const unsigned char *)s;
	uint32_t		 c;
	size_t			 len, i;

	if (n == 0) {
		*cp = 0;
		return 0;
	}
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		len = 2;
		c = u[0] & 0x1F;
	} else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
		len = 3;
		c = u[0] & 0x0F;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		len = 4;
		c = u[0] & 0x07;
	} else
		goto bad;
	if (len > n)
		goto bad;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80)
			goto bad;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto bad;
	*cp = c;
	return len;
bad:
	*cp = 0xFFFD;
	return 1;
}

void
utf8_encode(struct buf *b, uint32_t c)
{
	char	 s[4];

	if (c < 0x80) {
		s[0] = (char)c;
		buf_put(b, s, 1);
	} else if (c < 0x800) {
		s[0] = (char)(0xC0 | (c >> 6));
		s[1] = (char)(0x80 | (c & 0x3F));
		buf_put(b, s, 2);
	} else if (c < 0x10000) {
		s[0] = (char)(0xE0 | (c >> 12));
		s[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		s[2] = (char)(0x80 | (c & 0x3F));
		buf_put(b, s, 3);
	} else {
		s[0] = (char)(0xF0 | (c >> 18));
		s[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		s[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		s[3] = (char)(0x80 | (c & 0x3F));
		buf_put(b, s, 4);
	}
}

/* Offset of the first malformed byte or NUL, or n when there is none. */
size_t
utf8_invalid(const char *s, size_t n)
{
	size_t		 i = 0, len;
	uint32_t	 c;

	while (i < n) {
		if (s[i] == '\0')
			return i;
		len = utf8_decode(s + i, n - i, &c);
		if (c == 0xFFFD && len == 1)
			return i;
		i += len;
	}
	return n;
}

/* Number of code points, for column numbers and word counts. */
size_t
utf8_count(const char *s, size_t n)
{
	size_t	 i, count = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}
