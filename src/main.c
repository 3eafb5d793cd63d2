/*
 * folio: build a PDF and an EPUB from one Markdown manuscript.
 * This file is the command line: options, where styles and fonts live,
 * and the order of the work — read the book once, render each edition
 * into memory, and only then replace the files on disk.
 */
#include <sys/stat.h>

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "book.h"
#include "buf.h"
#include "changes.h"
#include "diag.h"
#include "file.h"
#include "highlight.h"
#include "epub.h"
#include "markdown.h"
#include "output.h"
#include "pagemap.h"
#include "pdf.h"
#include "slug.h"
#include "style.h"
#include "words.h"

#ifndef VERSION
#define VERSION "0.1.0"
#endif

static const char usage_text[] =
"usage: folio build SOURCE [FILE.md...] [--metadata-file FILE]\n"
"                   [--pdf FILE] [--epub FILE] [-o DIR] [-s STYLE]\n"
"                   [--split] [--booklet] [--press] [--deps FILE]\n"
"                   [--since OLD.epub]\n"
"       folio --help | --version\n";

static const char help_text[] =
"\n"
"Build a typeset PDF and an EPUB 3 e-book from a Markdown manuscript.\n"
"\n"
"SOURCE is a manuscript folder (metadata.yaml and NN-name.md chapters),\n"
"an mdBook project (a folder with book.toml and src/SUMMARY.md), or\n"
"one or more .md files, read in the order given, each with optional\n"
"YAML front matter.\n"
"\n"
"  --metadata-file FILE\n"
"                metadata from a YAML file (the book's own wins)\n"
"  --pdf FILE    write the PDF to FILE\n"
"  --epub FILE   write the EPUB to FILE\n"
"  -o DIR        without --pdf/--epub, write both into DIR,\n"
"                named after the title (default: build)\n"
"  -s, --style STYLE\n"
"                style file, or the name of an installed style\n"
"                (book, handout; default: book, or handout with\n"
"                --split or --booklet)\n"
"  --split       instead of the book's PDF, one handout per chapter:\n"
"                DIR/NAME-NN-chapter.pdf (no EPUB unless --epub)\n"
"  --booklet     impose the PDF on landscape sheets, two pages a side,\n"
"                for saddle-stitch printing (DIR/NAME-booklet.pdf)\n"
"  --press       the PDF for the print shop: no links or bookmarks, an\n"
"                even page count, trim and bleed boxes, PDF/X-3\n"
"                (DIR/NAME-press.pdf, no EPUB unless --epub; not with\n"
"                --split or --booklet)\n"
"  --deps FILE   also write FILE, a make rule naming every input read\n"
"  --since OLD.epub\n"
"                report what changed since that edition, section by\n"
"                section (with the style's changes = yes, also a page)\n"
"  -h, --help    show this help\n"
"  -V, --version show the version\n"
"\n"
"Exit status: 0 built, 1 bad input (path:line:col: error: ...), 2 usage.\n";

static int
usage(void)
{
	fputs(usage_text, stderr);
	return 2;
}

/*
 * Where styles and fonts live: beside the binary in a source tree, else
 * in ../share/folio relative to it once installed.
 */
static char *
datadir(void)
{
	char		 exe[PATH_MAX];
	struct buf	 b = { NULL, 0, 0 };
	const char	*env = getenv("FOLIO_DATADIR");
	ssize_t		 n;
	char		*slash;

	if (env != NULL && *env)
		return xstrdup(env);
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		buf_printf(&b, "%s/styles/book.ini", exe);
		if (access(b.data, R_OK) == 0) {
			buf_free(&b);
			return xstrdup(exe);
		}
		buf_reset(&b);
		buf_printf(&b, "%s/../share/folio", exe);
		return buf_detach(&b);
	}
	return xstrdup("/usr/local/share/folio");
}

/* An installed style by name ("handout"), or NULL. */
static char *
installed_style(const char *name, const char *data)
{
	struct buf	 b = { NULL, 0, 0 };

	if (strchr(name, '/') != NULL || *name == '\0' || *name == '.')
		return NULL;
	buf_printf(&b, "%s/styles/%s%s", data, name,
	    strstr(name, ".ini") ? "" : ".ini");
	if (access(b.data, F_OK) == 0)
		return buf_detach(&b);
	buf_free(&b);
	return NULL;
}

/*
 * The style to use: -s names any file, or an installed style; else the
 * metadata's style is a file inside the manuscript (*within is then the
 * manuscript folder, and the path relative to it) or an installed
 * style; else the book style.  NULL after an error.
 */
static char *
style_path(const char *arg, const struct book *bk, const char *data,
    const char **within)
{
	const struct mval	*m = &bk->meta.style;
	struct buf		 b = { NULL, 0, 0 };
	char			*p;

	*within = NULL;
	if (arg != NULL) {
		if (access(arg, F_OK) != 0 && (p = installed_style(arg,
		    data)) != NULL)
			return p;
		return xstrdup(arg);
	}
	if (m->s == NULL)
		return (p = installed_style("book", data)) != NULL ? p :
		    xstrdup("book.ini");
	buf_printf(&b, "%s/%s", bk->root, m->s);
	if (m->s[0] != '/' && access(b.data, F_OK) == 0) {
		/* (file.c refuses it too, but this names the line) */
		if (!file_within(bk->root, b.data)) {
			diag_error(m->file, m->line, m->col, "style '%s' is "
			    "outside the manuscript folder (through '..' or a "
			    "symbolic link)", m->s);
			buf_free(&b);
			return NULL;
		}
		buf_free(&b);
		*within = bk->root;
		return xstrdup(m->s);
	}
	buf_free(&b);
	if ((p = installed_style(m->s, data)) != NULL)
		return p;
	diag_error(m->file, m->line, m->col, "style '%s' is neither a "
	    "file in the manuscript folder nor an installed style", m->s);
	return NULL;
}

/*
 * A path as make reads it: spaces, '#', ':' and wildcards escaped, '$'
 * doubled, and '%' escaped where it would make a target a pattern (a
 * prerequisite keeps the backslash as part of its name).  What make
 * cannot carry in a rule (control characters, which would end the line
 * and start a recipe, and '\\', ';', '=', '|') is refused: -1 and what
 * it was.
 */
static int
make_path(struct buf *b, const char *p, int target, const char **bad)
{
	for (; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7F) {
			*bad = *p == '\n' ? "a newline" : *p == '\t' ?
			    "a tab" : "a control character";
			return -1;
		}
		if (strchr("\\;=|", *p) != NULL) {
			*bad = *p == '\\' ? "'\\'" : *p == ';' ? "';'" :
			    *p == '=' ? "'='" : "'|'";
			return -1;
		}
		if (strchr(" #:*?[]", *p) != NULL || (*p == '%' && target))
			buf_putc(b, '\\');
		if (*p == '$')
			buf_putc(b, '$');
		buf_putc(b, *p);
	}
	return 0;
}

/*
 * The dependency rule: the outputs depend on every file the build read.
 * Each input also gets an empty rule, so make copes when one goes away.
 * -1 (reported) if a name cannot be written in a make rule.
 */
static int
make_deps(struct buf *b, const struct book *bk, const struct style *st,
    char **outs, size_t nouts)
{
	const char	**in = NULL, *bad = NULL, *name = NULL, *p;
	size_t		  n = 0, i, k;
	int		  rc = 0;

	/* every file read (file.c remembers them), and the fonts */
	for (k = 0; (p = file_input(k)) != NULL; k++) {
		in = xreallocarray(in, n + 1, sizeof(*in));
		in[n++] = p;
	}
	in = xreallocarray(in, n + FONT__MAX, sizeof(*in));
	for (i = 0; i < FONT__MAX; i++) {
		/* read already (file.c has it), or a face named twice */
		for (k = 0; k < n && strcmp(in[k], st->font[i]) != 0; k++)
			continue;
		if (k == n)
			in[n++] = st->font[i];
	}
	/* --since: the previous edition, unless this build replaces it */
	for (k = 0; bk->changes != NULL && k < n; k++)
		for (i = 0; i < nouts; i++)
			if (strcmp(outs[i], in[k]) == 0) {
				memmove(in + k, in + k + 1, (n - k - 1) *
				    sizeof(*in));
				n--;
				k--;
				break;
			}
	for (i = 0; i < nouts && rc == 0; i++) {
		if (i > 0)
			buf_putc(b, ' ');
		if ((rc = make_path(b, outs[i], 1, &bad)) == -1)
			name = outs[i];
	}
	buf_putc(b, ':');
	for (i = 0; i < n && rc == 0; i++) {
		buf_puts(b, " \\\n  ");
		if ((rc = make_path(b, in[i], 0, &bad)) == -1)
			name = in[i];
	}
	buf_putc(b, '\n');
	for (i = 0; i < n && rc == 0; i++) {
		buf_putc(b, '\n');
		make_path(b, in[i], 1, &bad);
		buf_puts(b, ":\n");
	}
	if (rc == -1)
		diag_error(name, 0, 0, "cannot be named in the --deps rule: "
		    "its name has %s, which make cannot read", bad);
	free(in);
	return rc;
}

/* The editions a build writes, in the order they are staged. */
struct outputs {
	char	**path;
	size_t	  n;
};

static const char *
outputs_add(struct outputs *o, char *path)
{
	o->path = xreallocarray(o->path, o->n + 1, sizeof(*o->path));
	o->path[o->n++] = path;
	return path;
}

static void
outputs_free(struct outputs *o)
{
	size_t	 i;

	for (i = 0; i < o->n; i++)
		free(o->path[i]);
	free(o->path);
}

static void
report_add(struct pdf_report *to, const struct pdf_report *r)
{
	to->pages += r->pages;
	to->lines += r->lines;
	to->hyphens += r->hyphens;
	to->emergency += r->emergency;
	to->overfull += r->overfull;
	to->loose += r->loose;
	to->widows += r->widows;
	to->sheets += r->sheets;
}

/* --split: the handouts' names, one a chapter (not a part), checked. */
static int
split_names(const struct book *bk, const struct pdf_opts *opts,
    const char *outdir, char ***names)
{
	struct buf	 path = { NULL, 0, 0 };
	char		*slug;
	size_t		 i, k = 0;
	int		 rc = 0;

	*names = xcalloc(bk->nchapters, sizeof(**names));
	for (i = 0; i < bk->nchapters; i++) {
		if (bk->chapters[i].kind != DIV_CHAPTER)
			continue;
		slug = slug_file(bk->chapters[i].title);
		if (strlen(slug) > 60)
			slug[60] = '\0';
		buf_printf(&path, "%s/%s-%02zu-%s%s.pdf", outdir, bk->slug,
		    ++k, *slug ? slug : "chapter",
		    opts->booklet ? "-booklet" : "");
		free(slug);
		(*names)[i] = buf_detach(&path);
		if (output_check((*names)[i]) == -1)
			rc = -1;
	}
	return rc;
}

/*
 * --split: each chapter a handout of its own, rendered and staged one
 * at a time so that only one is ever held in memory.
 */
static int
split_chapters(const struct book *bk, const struct style *st,
    struct pdf_opts *opts, char **names, struct pdf_report *rep)
{
	struct buf		 pdf = { NULL, 0, 0 };
	struct pdf_report	 r;
	size_t			 i;
	int			 rc = -1;

	for (i = 0; i < bk->nchapters; i++) {
		if (names[i] == NULL)
			continue;
		opts->chapter = (long)i;
		buf_reset(&pdf);
		if (pdf_write(bk, st, opts, &pdf, &r, NULL) == -1 ||
		    diag_errors() > 0)
			goto out;
		report_add(rep, &r);
		if (output_stage(names[i], pdf.data, pdf.len) == -1)
			goto out;
	}
	rc = 0;
out:
	opts->chapter = -1;
	buf_free(&pdf);
	return rc;
}

static double
elapsed(const struct timespec *t0)
{
	struct timespec	 t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * A long book's hyphenation patterns are read whole while it parses; a
 * short book's, those its words can match, once it is read (a longer
 * book has more distinct words than words.h keeps).
 */
#define SHORT_BOOK	(256UL << 10)	/* bytes of Markdown */

static void
start_patterns(const char *lang, size_t bytes, void *arg)
{
	struct pdf_opts	*opts = arg;

	if (bytes >= SHORT_BOOK)
		opts->hyph = pdf_patterns(lang);
}

static void
start_short_patterns(const struct book *bk, struct pdf_opts *opts)
{
	struct words	*vocab;

	if (opts->hyph != NULL || !meta_lang_ok(bk->lang))
		return;
	vocab = xcalloc(1, sizeof(*vocab));
	book_words(bk, vocab);
	if (!vocab->full) {
		opts->hyph = pdf_patterns_for(bk->lang, vocab);
		return;
	}
	words_free(vocab);
	free(vocab);
	opts->hyph = pdf_patterns(bk->lang);
}

/* The e-book on a thread of its own; it waits for the page map. */
struct epubjob {
	const struct book	*bk;
	const struct style	*st;
	struct pagemap		*pm;
	struct buf		*out;
	int			 rc;
};

static void *
epub_thread(void *arg)
{
	struct epubjob	*ej = arg;

	ej->rc = epub_write(ej->bk, ej->st, ej->pm, ej->out);
	return NULL;
}

static int
build(int argc, char *argv[])
{
	const char		*source = NULL, *pdfout = NULL, *epubout = NULL;
	const char		*outdir = "build", *stylearg = NULL;
	const char		*depsout = NULL, *since = NULL;
	struct changes		*chg = NULL;
	struct buf		 b = { NULL, 0, 0 };
	struct buf		 pdf = { NULL, 0, 0 }, epub = { NULL, 0, 0 };
	struct buf		 deps = { NULL, 0, 0 };
	struct outputs		 outs = { NULL, 0 };
	struct pdf_opts		 opts = { -1, 0, 0, NULL, NULL };
	struct pdf_report	 rep;
	struct pagemap		 pm = { NULL, 0, 0, NULL, NULL };
	struct epubjob		 ej;
	pthread_t		 th;
	int			 threaded = 0, pdfrc;
	struct timespec		 t0;
	struct book		 bk;
	struct style		 st;
	char			*data = NULL, *sp = NULL, **splitnames = NULL;
	struct book_input	 input;
	const char		**more = NULL;
	size_t			 nmore = 0;
	const char		*within;
	size_t			 k;
	int			 i, rc = 1, loaded_style = 0, split = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&input, 0, sizeof(input));
	for (i = 0; i < argc; i++) {
		const char	*a = argv[i];

		if (strcmp(a, "--pdf") == 0 || strcmp(a, "--epub") == 0 ||
		    strcmp(a, "-o") == 0 || strcmp(a, "-s") == 0 ||
		    strcmp(a, "--style") == 0 || strcmp(a, "--deps") == 0 ||
		    strcmp(a, "--since") == 0 ||
		    strcmp(a, "--metadata-file") == 0) {
			if (i + 1 >= argc || argv[i + 1][0] == '\0') {
				fprintf(stderr, "folio: %s needs a value\n", a);
				return usage();
			}
			if (a[1] == 'o')
				outdir = argv[++i];
			else if (a[1] == 's' || strcmp(a, "--style") == 0)
				stylearg = argv[++i];
			else if (strcmp(a, "--pdf") == 0)
				pdfout = argv[++i];
			else if (strcmp(a, "--deps") == 0)
				depsout = argv[++i];
			else if (strcmp(a, "--since") == 0)
				since = argv[++i];
			else if (strcmp(a, "--metadata-file") == 0)
				input.metafile = argv[++i];
			else
				epubout = argv[++i];
		} else if (strcmp(a, "--split") == 0)
			split = 1;
		else if (strcmp(a, "--booklet") == 0)
			opts.booklet = 1;
		else if (strcmp(a, "--press") == 0)
			opts.press = 1;
		else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "folio: unknown option %s\n", a);
			return usage();
		} else if (source == NULL)
			source = a;
		else {
			/* pandoc's way: files in the order given */
			more = xreallocarray(more, nmore + 1, sizeof(*more));
			more[nmore++] = a;
		}
	}
	if (source == NULL) {
		fprintf(stderr, "folio: build needs a SOURCE\n");
		return usage();
	}
	if (split && pdfout != NULL) {
		fprintf(stderr, "folio: --split names its own files; "
		    "give -o DIR, not --pdf\n");
		return usage();
	}
	if (opts.press && (split || opts.booklet)) {
		fprintf(stderr, "folio: --press makes one PDF of the book's "
		    "pages; not with --split or --booklet\n");
		return usage();
	}
	/* handouts and booklets are printed: the handout style by default */
	if (stylearg == NULL && (split || opts.booklet))
		stylearg = "handout";

	output_cleanup_on_signal();
	input.source = source;
	input.more = more;
	input.nmore = nmore;
	/* the PDF's hyphenation patterns are read while the book is */
	if (pdfout != NULL || epubout == NULL) {
		input.ready = start_patterns;
		input.arg = &opts;
	}
	/* the highlighter's definitions are in the data folder too */
	data = datadir();
	highlight_init(data);
	if (book_load(&bk, &input) == -1)
		goto out;
	if (input.ready != NULL)
		start_short_patterns(&bk, &opts);
	opts.datadir = data;
	if ((sp = style_path(stylearg, &bk, data, &within)) == NULL)
		goto out;
	loaded_style = 1;
	if (style_load(&st, sp, data, within) == -1)
		goto out;
	/* what changed since the previous edition: one fact for both */
	if (since != NULL && (bk.changes = chg = changes_new(&bk, &st, since)) ==
	    NULL)
		goto out;
	if (pdfout == NULL && epubout == NULL) {
		if (output_mkdir(outdir) == -1)
			goto out;
		if (!split) {
			buf_printf(&b, "%s/%s%s.pdf", outdir, bk.slug,
			    opts.booklet ? "-booklet" : opts.press ? "-press" :
			    "");
			pdfout = outputs_add(&outs, buf_detach(&b));
		}
		if (!split && !opts.press) {	/* the press takes the PDF */
			buf_printf(&b, "%s/%s.epub", outdir, bk.slug);
			epubout = outputs_add(&outs, buf_detach(&b));
		}
	} else {
		if (split && output_mkdir(outdir) == -1)
			goto out;
		if (pdfout != NULL)
			pdfout = outputs_add(&outs, xstrdup(pdfout));
		if (epubout != NULL)
			epubout = outputs_add(&outs, xstrdup(epubout));
	}
	/* every destination is checked before anything is rendered */
	if ((pdfout != NULL && output_check(pdfout) == -1) ||
	    (epubout != NULL && output_check(epubout) == -1) ||
	    (depsout != NULL && output_check(depsout) == -1) ||
	    (split && split_names(&bk, &opts, outdir, &splitnames) == -1))
		goto out;
	for (k = 0; split && k < bk.nchapters; k++)
		if (splitnames[k] != NULL)
			outputs_add(&outs, xstrdup(splitnames[k]));
	if (depsout != NULL && make_deps(&deps, &bk, &st, outs.path,
	    outs.n) == -1)
		goto out;
	memset(&rep, 0, sizeof(rep));
	/*
	 * The e-book carries the print pages when both are built.  It is
	 * set on a second thread while the PDF is set, finished and saved:
	 * each chapter as soon as the PDF is past its pages, the rest when
	 * the page map is complete (pagemap.c).
	 */
	if (pdfout != NULL && epubout != NULL) {
		/* libzip's dates read the time zone the PDF's dates load */
		tzset();
		pagemap_share(&pm);
		ej.bk = &bk;
		ej.st = &st;
		ej.pm = &pm;
		ej.out = &epub;
		threaded = pthread_create(&th, NULL, epub_thread, &ej) == 0;
	}
	pdfrc = pdfout != NULL ? pdf_write(&bk, &st, &opts, &pdf, &rep,
	    epubout != NULL ? &pm : NULL) : 0;
	pagemap_done(&pm);
	if (threaded)
		pthread_join(th, NULL);
	if (pdfrc == -1)
		goto out;
	if (epubout != NULL && !threaded && epub_write(&bk, &st,
	    pdfout != NULL ? &pm : NULL, &epub) == -1)
		goto out;
	if (threaded && ej.rc == -1)
		goto out;
	if (diag_errors() > 0)
		goto out;
	if (pdfout != NULL && output_stage(pdfout, pdf.data, pdf.len) == -1)
		goto out;
	if (epubout != NULL &&
	    output_stage(epubout, epub.data, epub.len) == -1)
		goto out;
	if (split && split_chapters(&bk, &st, &opts, splitnames,
	    &rep) == -1)
		goto out;
	if (depsout != NULL && output_stage(depsout, deps.data,
	    deps.len) == -1)
		goto out;
	if (output_commit() == -1)
		goto out;
	if (chg != NULL)
		changes_report(chg, stdout);
	printf("folio: ");
	if (outs.n == 0)
		printf("nothing to write");
	else if (outs.n > 2)
		printf("%s ... %s (%zu files)", outs.path[0],
		    outs.path[outs.n - 1], outs.n);
	else
		printf("%s%s%s", outs.path[0], outs.n > 1 ? " and " : "",
		    outs.n > 1 ? outs.path[1] : "");
	printf(": %zu pages", rep.pages);
	if (rep.sheets > 0)
		printf(" on %zu sheet sides", rep.sheets);
	printf(", %zu words, %zu lines, %zu hyphenated, %zu overfull, "
	    "%zu emergency breaks, %zu widows/orphans avoided, %.2f s\n",
	    bk.nwords, rep.lines, rep.hyphens, rep.overfull, rep.emergency,
	    rep.widows, elapsed(&t0));
	rc = 0;
out:
	output_abort();
	pdf_patterns_free(opts.hyph);
	if (loaded_style)
		style_free(&st);
	/* (one name a chapter: before the book is freed) */
	for (k = 0; splitnames != NULL && k < bk.nchapters; k++)
		free(splitnames[k]);
	free(splitnames);
	book_free(&bk);
	buf_free(&b);
	changes_free(chg);
	buf_free(&pdf);
	buf_free(&epub);
	buf_free(&deps);
	pagemap_free(&pm);
	outputs_free(&outs);
	free(more);
	free(data);
	file_forget();
	diag_summary();
	free(sp);
	return rc == 0 && diag_errors() == 0 ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	int	 rc;

	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, stdout);
		fputs(help_text, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		puts("folio " VERSION);
		return 0;
	}
	if (strcmp(argv[1], "build") == 0) {
		rc = build(argc - 2, argv + 2);
		/* what libraries keep for the process, freed for leak checks */
		highlight_cleanup();
		markdown_cleanup();
		return rc;
	}
	fprintf(stderr, "folio: unknown command '%s'\n", argv[1]);
	return usage();
}
