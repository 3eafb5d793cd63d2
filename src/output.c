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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "output.h"

struct staged {
	char	 tmp[4096];
	char	*dest;
};

static struct staged	 staged[OUTPUT_MAX];
static volatile sig_atomic_t nstaged;

static void
on_signal(int sig)
{
	sig_atomic_t	 i;

	for (i = 0; i < nstaged; i++)
		unlink(staged[i].tmp);
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
	const char	*slash = strrchr(path, '/');
	const char	*inject = getenv("FOLIO_FAIL_WRITE");
	struct staged	*st;
	mode_t		 mask;
	ssize_t		 n;
	size_t		 off = 0;
	int		 fd;

	if (nstaged == OUTPUT_MAX) {
		errno = EMFILE;
		return fail(path, -1, "");
	}
	st = &staged[nstaged];
	if (slash != NULL)
		snprintf(st->tmp, sizeof(st->tmp), "%.*s/.%s.XXXXXX",
		    (int)(slash - path), path, slash + 1);
	else
		snprintf(st->tmp, sizeof(st->tmp), ".%s.XXXXXX", path);
	if ((fd = mkstemp(st->tmp)) == -1) {
		diag_error(path, 0, 0, "cannot write: %s", strerror(errno));
		output_abort();
		return -1;
	}
	st->dest = xstrdup(path);
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
	if (fchmod(fd, 0666 & ~mask) == -1 || fsync(fd) == -1)
		return fail(path, fd, st->tmp);
	if (close(fd) == -1)
		return fail(path, -1, st->tmp);
	return 0;
}

/* Put every staged edition in place. */
int
output_commit(void)
{
	sig_atomic_t	 i;
	int		 rc = 0;

	for (i = 0; i < nstaged; i++) {
		if (rename(staged[i].tmp, staged[i].dest) == -1) {
			diag_error(staged[i].dest, 0, 0, "cannot write: %s",
			    strerror(errno));
			unlink(staged[i].tmp);
			rc = -1;
		}
		free(staged[i].dest);
	}
	nstaged = 0;
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
}
