/*
 * Atomic output.  Every edition of a build is first written whole to a
 * temporary file beside its destination; only when all of them are
 * written are they renamed into place.  A failed build (bad input, a full
 * disk, an unwritable folder, a signal) never leaves a half-written file
 * or replaces any previous edition.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "file.h"
#include "output.h"
#include "par.h"

struct staged {
	char	 tmp[4096];
	char	 old[4096 + 8];	/* the previous edition, linked aside */
	int	 kept;		/* old holds it */
	int	 placed;	/* renamed into place */
	int	 err;		/* errno of flushing it to disk, or 0 */
	char	*dest;
};

/* Outputs checked so far: the folder and name each will have. */
static struct dest {
	dev_t	 dev;
	ino_t	 ino;
	char	*name;
} *dests;
static size_t	 ndests;

static struct staged	 staged[OUTPUT_MAX];
static volatile sig_atomic_t nstaged;

static void
on_signal(int sig)
{
	sig_atomic_t	 i;

	for (i = 0; i < nstaged; i++) {
		unlink(staged[i].tmp);
		if (staged[i].kept)
			unlink(staged[i].old);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void
output_cleanup_on_signal(void)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
}

/* Create dir and its parents, like mkdir -p. */
int
output_mkdir(const char *dir)
{
	char	*d = xstrdup(dir), *p;
	int	 rc = 0;

	for (p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0777) == -1 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (mkdir(d, 0777) == -1 && errno != EEXIST)
		rc = -1;
	if (rc == -1)
		diag_error(dir, 0, 0, "cannot create output folder: %s",
		    strerror(errno));
	free(d);
	return rc;
}

/*
 * Where an edition named path goes: path itself, or, if it is a
 * symbolic link, the file it names, so that the link stays a link
 * (--pdf /dev/stdout is not replaced by a file).  NULL after reporting
 * a link to nothing, which is not followed wherever it points, or to
 * what has no name (a pipe).
 */
static char *
destination(const char *path)
{
	struct stat	 st;
	char		 real[PATH_MAX];

	if (lstat(path, &st) == -1 || !S_ISLNK(st.st_mode))
		return xstrdup(path);
	if (realpath(path, real) != NULL)
		return xstrdup(real);
	if (stat(path, &st) == 0)
		diag_error(path, 0, 0, "cannot write: it is not a regular "
		    "file");
	else
		diag_error(path, 0, 0, "cannot write: it is a symbolic link "
		    "to nothing");
	return NULL;
}

static int
fail(const char *path, int fd, const char *tmp)
{
	int	 e = errno;

	if (fd != -1)
		close(fd);
	unlink(tmp);
	diag_error(path, 0, 0, "cannot write: %s", strerror(e));
	output_abort();
	return -1;
}

/* Write data to a temporary file beside path, to be renamed by commit. */
int
output_stage(const char *path, const char *data, size_t len)
{
	const char	*slash;
	const char	*inject = getenv("FOLIO_FAIL_WRITE");
	struct staged	*st;
	char		*dest;
	mode_t		 mask;
	ssize_t		 n;
	size_t		 off = 0;
	int		 fd;

	if (nstaged == OUTPUT_MAX) {
		errno = EMFILE;
		return fail(path, -1, "");
	}
	if ((dest = destination(path)) == NULL) {
		output_abort();
		return -1;
	}
	slash = strrchr(dest, '/');
	st = &staged[nstaged];
	/* not named after the edition: a long name must not grow longer */
	if (slash != NULL)
		snprintf(st->tmp, sizeof(st->tmp), "%.*s/.folio-XXXXXX",
		    (int)(slash - dest), dest);
	else
		snprintf(st->tmp, sizeof(st->tmp), ".folio-XXXXXX");
	if ((fd = mkstemp(st->tmp)) == -1) {
		diag_error(path, 0, 0, "cannot write: %s", strerror(errno));
		free(dest);
		output_abort();
		return -1;
	}
	st->dest = dest;
	st->kept = st->placed = 0;
	nstaged++;
	while (off < len) {
		/* tests simulate a full disk halfway through */
		if (inject != NULL && off >= len / 2) {
			errno = ENOSPC;
			return fail(path, fd, st->tmp);
		}
		n = write(fd, data + off, inject != NULL && off < len / 2 ?
		    len / 2 - off : len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return fail(path, fd, st->tmp);
		}
		off += (size_t)n;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) == -1)
		return fail(path, fd, st->tmp);
	/* flushed to disk by output_commit, all at once */
	if (close(fd) == -1)
		return fail(path, -1, st->tmp);
	return 0;
}

static const char *
base_of(const char *path)
{
	const char	*slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/*
 * Before anything is rendered: an output must go into an existing
 * folder, must not be a folder, must not be a file this build reads
 * (a manuscript written over by its own PDF), and must not be named
 * twice (two editions, one file).  Reports and returns -1 if not.
 */
int
output_check(const char *path)
{
	struct buf	 dir = { NULL, 0, 0 };
	const char	*slash, *name;
	struct stat	 st, ds;
	char		*dest;
	size_t		 i;
	int		 rc = -1;

	/* a link is checked as the file it names, where it will go */
	if ((dest = destination(path)) == NULL)
		return -1;
	slash = strrchr(dest, '/');
	name = base_of(dest);
	if (slash == dest)
		buf_puts(&dir, "/");
	else if (slash != NULL)
		buf_put(&dir, dest, (size_t)(slash - dest));
	else
		buf_puts(&dir, ".");
	if (*name == '\0' || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0 || (stat(dest, &st) == 0 &&
	    S_ISDIR(st.st_mode)))
		diag_error(path, 0, 0, "cannot write: it is a folder; give "
		    "a file name");
	else if (stat(dir.data, &ds) == -1 || !S_ISDIR(ds.st_mode))
		diag_error(path, 0, 0, "cannot write: the folder '%s' does "
		    "not exist", dir.data);
	else if (access(dir.data, W_OK) == -1)
		diag_error(path, 0, 0, "cannot write: %s", strerror(errno));
	else if (stat(dest, &st) == 0 && file_is_input(st.st_dev, st.st_ino))
		diag_error(path, 0, 0, "cannot write: it is one of the files "
		    "this build reads; an edition never replaces its source");
	else if (stat(dest, &st) == 0 && !S_ISREG(st.st_mode))
		diag_error(path, 0, 0, "cannot write: it is not a regular "
		    "file");
	else
		rc = 0;
	for (i = 0; rc == 0 && i < ndests; i++)
		if (dests[i].dev == ds.st_dev && dests[i].ino == ds.st_ino &&
		    strcmp(dests[i].name, name) == 0) {
			diag_error(path, 0, 0, "cannot write two editions to "
			    "one file");
			rc = -1;
		}
	if (rc == 0) {
		dests = xreallocarray(dests, ndests + 1, sizeof(*dests));
		dests[ndests].dev = ds.st_dev;
		dests[ndests].ino = ds.st_ino;
		dests[ndests++].name = xstrdup(name);
	}
	buf_free(&dir);
	free(dest);
	return rc;
}

/* Undo a commit that failed halfway: the previous editions come back. */
static void
roll_back(void)
{
	sig_atomic_t	 i;

	for (i = 0; i < nstaged; i++) {
		if (staged[i].placed && staged[i].kept)
			rename(staged[i].old, staged[i].dest);
		else if (staged[i].placed)
			unlink(staged[i].dest);
		else
			unlink(staged[i].tmp);
		if (staged[i].kept && !staged[i].placed)
			unlink(staged[i].old);
	}
}

/*
 * A staged edition flushed to disk; on any core, the waits overlapping.
 * It is opened again by name: a build stages up to OUTPUT_MAX editions,
 * more than a process may hold open.
 */
static void
flush(void *arg, size_t i, size_t worker)
{
	int	 fd;

	(void)arg;
	(void)worker;
	staged[i].err = 0;
	if ((fd = open(staged[i].tmp, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fsync(fd) == -1)
		staged[i].err = errno;
	if (fd != -1)
		close(fd);
}

/*
 * Put every staged edition in place, all or none: each is first on
 * disk, and each previous edition is first linked aside, so that if one
 * rename fails, those already done are undone.
 */
int
output_commit(void)
{
	struct stat	 st;
	sigset_t	 block, was;
	sig_atomic_t	 i;
	size_t		 n;
	int		 rc = 0;

	par_for((size_t)nstaged, flush, NULL);
	for (i = 0; i < nstaged; i++)
		if (staged[i].err != 0) {
			diag_error(staged[i].dest, 0, 0, "cannot write: %s",
			    strerror(staged[i].err));
			output_abort();
			return -1;
		}

	/*
	 * A signal now would leave some editions new and some old: it
	 * waits until all are in place (or all rolled back), and then
	 * ends the build with nothing left to clean.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &was);
	for (i = 0; i < nstaged; i++) {
		if (lstat(staged[i].dest, &st) == -1)
			continue;
		n = strlen(staged[i].tmp);
		memcpy(staged[i].old, staged[i].tmp, n);
		memcpy(staged[i].old + n, ".old", 5);
		staged[i].kept = link(staged[i].dest, staged[i].old) == 0;
	}
	for (i = 0; i < nstaged; i++) {
		if (rename(staged[i].tmp, staged[i].dest) == -1) {
			diag_error(staged[i].dest, 0, 0, "cannot write: %s",
			    strerror(errno));
			rc = -1;
			break;
		}
		staged[i].placed = 1;
	}
	if (rc == -1)
		roll_back();
	for (i = 0; i < nstaged; i++) {
		if (rc == 0 && staged[i].kept)
			unlink(staged[i].old);
		free(staged[i].dest);
	}
	nstaged = 0;
	sigprocmask(SIG_SETMASK, &was, NULL);
	return rc;
}

/* Remove every staged file; the previous editions stay as they were. */
void
output_abort(void)
{
	sig_atomic_t	 i;

	for (i = 0; i < nstaged; i++) {
		unlink(staged[i].tmp);
		free(staged[i].dest);
	}
	nstaged = 0;
	for (i = 0; i < (sig_atomic_t)ndests; i++)
		free(dests[i].name);
	free(dests);
	dests = NULL;
	ndests = 0;
}
