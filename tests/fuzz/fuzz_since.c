/*
 * libFuzzer harness for --since: the input is a previous edition's EPUB,
 * compared by changes_new with a small fixed book.  What compares is
 * reported and set as the "Changes in this edition" page in both
 * editions.  An input that starts with "XHTML\n" or "OPF\n" is instead
 * one chapter's XHTML or the package document, which the harness zips
 * into an e-book around it: mutations of compressed bytes seldom get
 * past the archive's checksums.  Seeded with e-books folio made of
 * tests/cases, without their fonts and pictures, and with their
 * documents (tests/fuzz/since_seeds.sh).  Built and run by
 * `make fuzz-since`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "book.h"
#include "buf.h"
#include "changes.h"
#include "diag.h"
#include "epub.h"
#include "file.h"
#include "pagemap.h"
#include "pdf.h"
#include "style.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char		 dir[] = "/tmp/folio-fuzz-since-XXXXXX";
static char		 path[64];
static struct book	 bk;
static struct style	 st;
static FILE		*devnull;

static const char *const chapters[][2] = {
	{ "01-one.md", "# One\n\nOpening words.\n\n## Alpha\n\nAlpha text "
	    "has some words.\n\n![A figure](missing.png \"Figure\")\n" },
	{ "02-two.md", "# Two\n\n## Beta\n\nBeta text.\n\n## Beta\n\n"
	    "Again.[^1]\n\n[^1]: A note.\n" },
	{ "03-three.md", "# Three\n\n## Delta\n\nDelta goes.\n" },
};

static const char container[] =
"<?xml version=\"1.0\"?>\n<container version=\"1.0\" "
"xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\"><rootfiles>"
"<rootfile full-path=\"EPUB/package.opf\" "
"media-type=\"application/oebps-package+xml\"/></rootfiles></container>\n";

static const char package[] =
"<?xml version=\"1.0\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" "
"version=\"3.0\" unique-identifier=\"id\"><metadata "
"xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:identifier id=\"id\">x"
"</dc:identifier><dc:title>Old</dc:title><dc:language>en</dc:language>"
"<dc:date>2020-01-01</dc:date><meta property=\"schema:bookEdition\">1"
"</meta></metadata><manifest><item id=\"c\" href=\"ch001.xhtml\" "
"media-type=\"application/xhtml+xml\"/><item id=\"d\" href=\"ch002.xhtml\" "
"media-type=\"application/xhtml+xml\"/></manifest><spine><itemref "
"idref=\"c\"/><itemref idref=\"d\"/></spine></package>\n";

static const char chapter[] =
"<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
"xmlns:epub=\"http://www.idpf.org/2007/ops\"><head><title>Two</title>"
"</head><body epub:type=\"bodymatter\"><h1 id=\"two\">Two</h1><h2 "
"id=\"beta\">Beta</h2><p>Beta text.</p></body></html>\n";

static void
add(zip_t *z, const char *name, const void *data, size_t len)
{
	zip_source_t	*src;

	if ((src = zip_source_buffer(z, data, len, 0)) == NULL ||
	    zip_file_add(z, name, src, ZIP_FL_OVERWRITE) < 0)
		abort();
}

/* An e-book around one document of the input, at path. */
static void
wrap(const uint8_t *data, size_t size, int opf)
{
	zip_t	*z;
	int	 err;

	if ((z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err)) == NULL)
		abort();
	add(z, "mimetype", "application/epub+zip", 20);
	add(z, "META-INF/container.xml", container, sizeof(container) - 1);
	add(z, "EPUB/package.opf", opf ? (const void *)data : package,
	    opf ? size : sizeof(package) - 1);
	add(z, "EPUB/ch001.xhtml", opf ? (const void *)chapter : data,
	    opf ? sizeof(chapter) - 1 : size);
	add(z, "EPUB/ch002.xhtml", chapter, sizeof(chapter) - 1);
	if (zip_close(z) == -1)
		abort();
}

static void
put(const char *name, const char *text)
{
	struct buf	 b = { NULL, 0, 0 };
	FILE		*f;

	buf_printf(&b, "%s/%s", dir, name);
	if ((f = fopen(b.data, "wb")) == NULL ||
	    fputs(text, f) == EOF || fclose(f) == EOF)
		abort();
	buf_free(&b);
}

static int
setup(void)
{
	struct book_input	 in;
	size_t			 i;

	diag_quiet(1);
	if (mkdtemp(dir) == NULL ||
	    (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/old.epub", dir);
	put("metadata.yaml", "title: Since\nedition: 2\n");
	for (i = 0; i < sizeof(chapters) / sizeof(chapters[0]); i++)
		put(chapters[i][0], chapters[i][1]);
	memset(&in, 0, sizeof(in));
	in.source = dir;
	if (book_load(&bk, &in) == -1 || style_load(&st, FOLIO_ROOT
	    "/styles/book.ini", FOLIO_ROOT, NULL) == -1)
		abort();
	st.changes = 1;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 ready;
	struct changes		*c;
	struct buf		 pdf = { NULL, 0, 0 }, epub = { NULL, 0, 0 };
	struct buf		 words = { NULL, 0, 0 };
	struct pdf_report	 rep;
	struct pdf_opts		 opts = { -1, 0, 0, FOLIO_ROOT, NULL };
	struct pagemap		 pm = { NULL, 0, 0, NULL, NULL };
	FILE			*f;
	size_t			 i;

	if (!ready)
		ready = setup();
	if (size >= 6 && memcmp(data, "XHTML\n", 6) == 0)
		wrap(data + 6, size - 6, 0);
	else if (size >= 4 && memcmp(data, "OPF\n", 4) == 0)
		wrap(data + 4, size - 4, 1);
	else {
		if ((f = fopen(path, "wb")) == NULL)
			abort();
		if (size > 0 && fwrite(data, 1, size, f) != size)
			abort();
		fclose(f);
	}
	diag_reset();
	if ((c = changes_new(&bk, &st, path)) != NULL) {
		changes_report(c, devnull);
		changes_intro(c, &words);
		/* as the page does: CHANGES_LISTED, then a count */
		for (i = 0; i < c->n && i < CHANGES_LISTED; i++) {
			buf_puts(&words, changes_label(&c->v[i]));
			changes_detail(&c->v[i], &words);
		}
		changes_more(c, &words);
		/* the page, in both editions */
		bk.changes = c;
		if (pdf_write(&bk, &st, &opts, &pdf, &rep, &pm) == 0)
			epub_write(&bk, &st, &pm, &epub);
		bk.changes = NULL;
	}
	changes_free(c);
	pagemap_free(&pm);
	buf_free(&pdf);
	buf_free(&epub);
	buf_free(&words);
	file_forget();
	return 0;
}
