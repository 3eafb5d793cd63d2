/*
 * Outputs: an edition named by a symbolic link goes where the link
 * points and the link stays; a link to nothing, a folder, an input and
 * the same file twice are refused before anything is written.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "file.h"
#include "output.h"
#include "unit.h"

static char	 dir[] = "/tmp/folio-test-output-XXXXXX";

static char *
at(const char *name)
{
	static char	 p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static int
content_is(const char *name, const char *want)
{
	struct buf	 b = { NULL, 0, 0 };
	char		 why[128];
	int		 ok;

	ok = file_read(at(name), 1024, &b, why, sizeof(why)) == 0 &&
	    strcmp(b.data, want) == 0;
	buf_free(&b);
	file_forget();
	return ok;
}

int
main(void)
{
	struct buf	 b = { NULL, 0, 0 };
	struct stat	 st;
	char		 why[128], link[256];
	FILE		*f;

	diag_quiet(1);
	if (mkdtemp(dir) == NULL)
		abort();
	if ((f = fopen(at("real.pdf"), "w")) == NULL)
		abort();
	fputs("old", f);
	fclose(f);
	snprintf(link, sizeof(link), "%s", at("link.pdf"));
	CHECK(symlink("real.pdf", link) == 0);

	/* through the link: the file is replaced, the link kept */
	diag_reset();
	CHECK(output_check(at("link.pdf")) == 0);
	CHECK(output_stage(at("link.pdf"), "new", 3) == 0);
	CHECK(output_commit() == 0);
	output_abort();
	CHECK(lstat(at("link.pdf"), &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(content_is("real.pdf", "new"));

	/* the link and its file are one output */
	CHECK(output_check(at("link.pdf")) == 0);
	CHECK(output_check(at("real.pdf")) == -1);
	output_abort();

	/* a link to nothing is not followed */
	CHECK(symlink("nowhere/x.pdf", at("dangling.pdf")) == 0);
	CHECK(output_check(at("dangling.pdf")) == -1);
	CHECK(output_stage(at("dangling.pdf"), "x", 1) == -1);
	CHECK(access(at("nowhere"), F_OK) == -1);
	output_abort();

	/* a folder, and an input of the build */
	CHECK(mkdir(at("folder.pdf"), 0777) == 0);
	CHECK(output_check(at("folder.pdf")) == -1);
	CHECK(file_read(at("real.pdf"), 1024, &b, why, sizeof(why)) == 0);
	CHECK(output_check(at("real.pdf")) == -1);
	CHECK(output_check(at("link.pdf")) == -1);
	output_abort();
	file_forget();
	CHECK(diag_errors() == 6);

	unlink(at("link.pdf"));
	unlink(at("dangling.pdf"));
	unlink(at("real.pdf"));
	rmdir(at("folder.pdf"));
	rmdir(dir);
	buf_free(&b);
	return UNIT_DONE();
}
