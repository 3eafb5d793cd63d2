/*
 * XML escaping.  Text reaches the e-book only through here, so markup in
 * a title or heading stays text, and characters XML forbids (C0 controls,
 * U+FFFE, U+FFFF) become U+FFFD instead of breaking the file.
 */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"
#include "xml.h"

void
xml_escape(struct buf *b, const char *s, size_t n)
{
	size_t		 i = 0, len;
	uint32_t	 c;

	while (i < n) {
		len = utf8_decode(s + i, n - i, &c);
		switch (c) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, "&#39;");
			break;
		default:
			if ((c < 0x20 && c != '\t' && c != '\n' &&
			    c != '\r') || c == 0xFFFE || c == 0xFFFF ||
			    (c >= 0x7F && c <= 0x9F))
				utf8_encode(b, 0xFFFD);
			else if (c == 0xFFFD && len == 1)
				utf8_encode(b, 0xFFFD);
			else
				buf_put(b, s + i, len);
		}
		i += len;
	}
}

void
xml_puts(struct buf *b, const char *s)
{
	xml_escape(b, s, strlen(s));
}
