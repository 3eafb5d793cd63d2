/*
 * libFuzzer harness: the whole pipeline on one Markdown input, in
 * memory — read the book, set the PDF, package the EPUB — with the
 * default style.  Built and run by `make fuzz`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "book.h"
#include "buf.h"
#include "diag.h"
#include "highlight.h"
#include "epub.h"
#include "pagemap.h"
#include "pdf.h"
#include "words.h"
#include "style.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct style	 st;
static char		 path[64];

static int
setup(void)
{
	char	 dir[] = "/tmp/folio-fuzz-XXXXXX";

	diag_quiet(1);
	highlight_init(FOLIO_ROOT);
	if (mkdtemp(dir) == NULL || style_load(&st, FOLIO_ROOT
	    "/styles/book.ini", FOLIO_ROOT, NULL) == -1)
		abort();
	snprintf(path, sizeof(path), "%s/in.md", dir);
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 ready;
	struct book		 bk;
	struct book_input	 in;
	struct buf		 pdf = { NULL, 0, 0 }, epub = { NULL, 0, 0 };
	struct pdf_report	 rep;
	struct pagemap		 pm = { NULL, 0, 0, NULL, NULL };
	/* the first byte also picks a booklet, a handout of chapter 1, or
	   the press's PDF of the book */
	struct pdf_opts		 opts = { size > 0 && (data[0] & 2) ? 0 : -1,
				    size > 0 && (data[0] & 1),
				    size > 0 && (data[0] & 7) == 4, FOLIO_ROOT, NULL };
	FILE			*f;

	if (!ready)
		ready = setup();
	if ((f = fopen(path, "wb")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	diag_reset();
	memset(&in, 0, sizeof(in));
	in.source = path;
	if (book_load(&bk, &in) == 0) {
		/* as main.c does for a short book: the patterns its words
		   match (with the data's bit 3; else all of them) */
		if (size > 0 && (data[0] & 8)) {
			struct words	*vocab = calloc(1, sizeof(*vocab));

			if (vocab == NULL)
				abort();
			book_words(&bk, vocab);
			opts.hyph = pdf_patterns_for(bk.lang, vocab);
		}
		if (pdf_write(&bk, &st, &opts, &pdf, &rep,
		    opts.chapter < 0 ? &pm : NULL) == 0)
			epub_write(&bk, &st, opts.chapter < 0 ? &pm : NULL,
			    &epub);
		pdf_patterns_free(opts.hyph);
	}
	book_free(&bk);
	pagemap_free(&pm);
	buf_free(&pdf);
	buf_free(&epub);
	return 0;
}
