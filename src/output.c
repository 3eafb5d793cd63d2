/*
 * Atomic output.  An edition is written to a temporary file beside its
 * destination and renamed over it only when complete, so a failed build
 * (bad input, a full disk, a signal) never leaves a half-written file or
 * destroys the previous edition.
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

static char	 tmppath[4096];
static volatile sig_atomic_t writing;

static void
on_signal(int sig)
{
	if (writing)
		unlink(tmppath);
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
fail(const char *path, int fd)
{
	int	 e = errno;

	if (fd != -1)
		close(fd);
	unlink(tmppath);
	writing = 0;
	diag_error(path, 0, 0, "cannot write: %s", strerror(e));
	return -1;
}

int
output_write(const char *path, const char *data, size_t len)
{
	const char	*slash = strrchr(path, '/');
	const char	*inject = getenv("FOLIO_FAIL_WRITE");
	mode_t		 mask;
	ssize_t		 n;
	size_t		 off = 0;
	int		 fd;

	if (slash != NULL)
		snprintf(tmppath, sizeof(tmppath), "%.*s/.%s.XXXXXX",
		    (int)(slash - path), path, slash + 1);
	else
		snprintf(tmppath, sizeof(tmppath), ".%s.XXXXXX", path);
	writing = 1;
	if ((fd = mkstemp(tmppath)) == -1) {
		writing = 0;
		diag_error(path, 0, 0, "cannot write: %s", strerror(errno));
		return -1;
	}
	while (off < len) {
		/* tests simulate a full disk halfway through */
		if (inject != NULL && off >= len / 2) {
			errno = ENOSPC;
			return fail(path, fd);
		}
		n = write(fd, data + off, inject != NULL && off < len / 2 ?
		    len / 2 - off : len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return fail(path, fd);
		}
		off += (size_t)n;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) == -1 || fsync(fd) == -1)
		return fail(path, fd);
	if (close(fd) == -1)
		return fail(path, -1);
	if (rename(tmppath, path) == -1)
		return fail(path, -1);
	writing = 0;
	return 0;
}
