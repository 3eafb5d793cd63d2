/* Style files: units, keys, errors with their line numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "diag.h"
#include "style.h"
#include "unit.h"

static int
near(double a, double b)
{
	return fabs(a - b) < 1e-6;
}

static void
write_file(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

int
main(void)
{
	struct style	 st;
	double		 v = 0;
	char		 dir[] = "/tmp/folio-unit-XXXXXX", path[64];

	CHECK(style_length("72pt", &v) == 0 && near(v, 72));
	CHECK(style_length("1in", &v) == 0 && near(v, 72));
	CHECK(style_length("25.4mm", &v) == 0 && near(v, 72));
	CHECK(style_length("2.54cm", &v) == 0 && near(v, 72));
	CHECK(style_length("10.5 pt", &v) == 0 && near(v, 10.5));
	CHECK(style_length("12", &v) == -1);
	CHECK(style_length("12px", &v) == -1);
	CHECK(style_length("-3pt", &v) == -1);
	CHECK(style_length("pt", &v) == -1);
	CHECK(style_length("1e9in", &v) == -1);

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/s.ini", dir);
	diag_quiet(1);

	/* the shipped book style loads, with fonts found in ../fonts */
	CHECK(style_load(&st, "styles/book.ini", NULL, NULL) == 0);
	CHECK(near(st.page_width, 432) && near(st.page_height, 648));
	CHECK(st.two_sided == 1 && st.justify == 1);
	CHECK(near(st.size, 10.5) && near(st.leading, 14));
	style_free(&st);
	CHECK(style_load(&st, "styles/handout.ini", NULL, NULL) == 0);
	CHECK(near(st.page_width, 612) && st.two_sided == 0);
	style_free(&st);

	/* an unknown key, a bad unit: errors, all reported */
	write_file(path, "[page]\nwidth = 6in\ncolour = red\n"
	    "[text]\nsize = 11px\n");
	diag_reset();
	CHECK(style_load(&st, path, "/nonexistent", NULL) == -1);
	CHECK(diag_errors() >= 2);
	style_free(&st);

	/* the press's bleed: none by default, at most half an inch */
	CHECK(style_load(&st, "styles/book.ini", NULL, NULL) == 0);
	CHECK(st.bleed == 0);
	style_free(&st);
	write_file(path, "[page]\nbleed = 0.125in\n");
	diag_reset();
	CHECK(style_load(&st, path, ".", NULL) == 0);
	CHECK(near(st.bleed, 9));
	style_free(&st);
	write_file(path, "[page]\nbleed = 1in\n");
	CHECK(style_load(&st, path, ".", NULL) == -1);
	style_free(&st);

	/* typography: protrusion on, expansion a percentage up to 3 */
	CHECK(style_load(&st, "styles/book.ini", NULL, NULL) == 0);
	CHECK(st.protrusion == 1 && near(st.expansion, 0.02));
	style_free(&st);
	write_file(path, "[text]\nprotrusion = no\nexpansion = 1.5%\n");
	diag_reset();
	CHECK(style_load(&st, path, ".", NULL) == 0);
	CHECK(st.protrusion == 0 && near(st.expansion, 0.015));
	style_free(&st);
	write_file(path, "[text]\nexpansion = 5%\n");
	CHECK(style_load(&st, path, ".", NULL) == -1);
	style_free(&st);

	/* OpenType features, checked as HarfBuzz reads them */
	write_file(path, "[fonts]\nfeatures = onum, -liga\n"
	    "[headings]\nfeatures = smcp\n");
	diag_reset();
	CHECK(style_load(&st, path, ".", NULL) == 0);
	CHECK(st.features[0] != NULL && strcmp(st.features[0],
	    "onum, -liga") == 0);
	CHECK(st.features[1] != NULL && strcmp(st.features[1], "smcp") == 0);
	style_free(&st);
	write_file(path, "[fonts]\nfeatures = onum, !!\n");
	CHECK(style_load(&st, path, ".", NULL) == -1);
	style_free(&st);

	/* fallback fonts: found as the faces are, or an error */
	write_file(path, "[fonts]\nfallback = CharisSIL-Bold.ttf, "
	    "DejaVuSansMono.ttf\n");
	diag_reset();
	CHECK(style_load(&st, path, ".", NULL) == 0);
	CHECK(st.nfallback == 2);
	style_free(&st);
	write_file(path, "[fonts]\nfallback = nosuch.ttf\n");
	CHECK(style_load(&st, path, ".", NULL) == -1);
	style_free(&st);

	/* a missing style file */
	diag_reset();
	CHECK(style_load(&st, "/nonexistent/x.ini", NULL, NULL) == -1);
	style_free(&st);

	unlink(path);
	rmdir(dir);
	return UNIT_DONE();
}
