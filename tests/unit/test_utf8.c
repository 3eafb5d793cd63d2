/* UTF-8 validation and XML escaping. */
#include <stdlib.h>

#include "buf.h"
#include "unit.h"
#include "utf8.h"
#include "xml.h"

int
main(void)
{
	struct buf	 b = { NULL, 0, 0 };
	uint32_t	 c;

	CHECK(utf8_invalid("abc", 3) == 3);
	CHECK(utf8_invalid("M\xc3\xa9xico", 7) == 7);
	CHECK(utf8_invalid("ab\xff", 3) == 2);
	CHECK(utf8_invalid("a\0b", 3) == 1);
	CHECK(utf8_invalid("\xc3", 1) == 0);		/* truncated */
	CHECK(utf8_invalid("\xed\xa0\x80", 3) == 0);	/* surrogate */
	CHECK(utf8_invalid("\xc0\xaf", 2) == 0);	/* overlong */
	CHECK(utf8_decode("\xe2\x80\x93", 3, &c) == 3 && c == 0x2013);
	CHECK(utf8_count("M\xc3\xa9xico", 7) == 6);

	xml_puts(&b, "<b>&\"'</b>");
	CHECK_STR(b.data, "&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;");
	buf_reset(&b);
	xml_puts(&b, "a\x01z");
	CHECK_STR(b.data, "a\xef\xbf\xbdz");
	buf_free(&b);
	return UNIT_DONE();
}
