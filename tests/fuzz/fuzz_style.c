/*
 * libFuzzer harness for style files: the input is a style's text, read
 * by style_load from a manuscript's folder (so its fonts are the ones
 * folio ships, or none: a manuscript's style reads nothing outside it).
 * A style that loads sets a small fixed book in both editions, so that
 * every value the ranges let through is also one the layout survives.
 * Built and run by `make fuzz-style`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "buf.h"
#include "diag.h"
#include "epub.h"
#include "file.h"
#include "pagemap.h"
#include "pdf.h"
#include "style.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char		 dir[] = "/tmp/folio-fuzz-style-XXXXXX";
static char		 path[64];
static struct book	 bk;

/* A book of every kind of block, in the manuscript folder. */
static const char book_md[] =
"---\ntitle: Styled\nauthor: A. Tester\n---\n"
"# Chapter\n\nA paragraph with *emphasis*, **strong** and `code`, long "
"enough to break over lines: supercalifragilisticexpialidocious words.\n\n"
"## Section\n\n> A quote.\n\n- one\n- two\n\n1. first\n\n"
"```\ncode block\n```\n\nA note.[^1]\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
"### Deeper\n\n#### Four\n\n##### Five\n\n###### Six\n\n"
"[^1]: The note.\n\n# Another\n\nText.\n";

static int
setup(void)
{
	struct book_input	 in;
	struct buf		 b = { NULL, 0, 0 };
	FILE			*f;

	diag_quiet(1);
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/style.ini", dir);
	buf_printf(&b, "%s/book.md", dir);
	if ((f = fopen(b.data, "wb")) == NULL ||
	    fwrite(book_md, 1, sizeof(book_md) - 1, f) != sizeof(book_md) - 1)
		abort();
	fclose(f);
	memset(&in, 0, sizeof(in));
	in.source = b.data;
	if (book_load(&bk, &in) == -1)
		abort();
	buf_free(&b);
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 ready;
	struct style		 st;
	struct buf		 pdf = { NULL, 0, 0 }, epub = { NULL, 0, 0 };
	struct pdf_report	 rep;
	struct pdf_opts		 opts = { -1, 0, 0, FOLIO_ROOT, NULL };
	struct pagemap		 pm = { NULL, 0, 0, NULL, NULL };
	FILE			*f;

	if (!ready)
		ready = setup();
	if ((f = fopen(path, "wb")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	diag_reset();
	if (style_load(&st, "style.ini", FOLIO_ROOT, dir) == 0) {
		/* the first byte picks a booklet or one chapter's handout */
		opts.booklet = size > 0 && (data[0] & 1);
		opts.chapter = size > 0 && (data[0] & 2) ? 0 : -1;
		if (pdf_write(&bk, &st, &opts, &pdf, &rep,
		    opts.chapter < 0 ? &pm : NULL) == 0)
			epub_write(&bk, &st, opts.chapter < 0 ? &pm : NULL,
			    &epub);
	}
	style_free(&st);
	pagemap_free(&pm);
	buf_free(&pdf);
	buf_free(&epub);
	/* the fonts read are remembered as inputs, for --deps */
	file_forget();
	return 0;
}
