/*
 * Reading the inputs of a build, safely.  A manuscript is untrusted: a
 * chapter may be a symbolic link to /etc/passwd, a FIFO that never
 * ends, /dev/zero.  So files are opened beneath their folder with
 * openat2(RESOLVE_BENEATH), which follows links only while they stay
 * inside (or, where the kernel lacks it, by comparing resolved paths),
 * without blocking, and only if they are regular files; they are read up
 * to a limit.  The first read error explains itself in one phrase.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "buf.h"
#include "file.h"

#define PREFAULT_MIN	(256 * 1024)

/* The files this build has read, for the outputs' safety check. */
static struct input {
	dev_t	 dev;
	ino_t	 ino;
	char	*path;		/* as the user names it */
} *inputs;
static size_t	 ninputs;

static void
remember(const struct stat *st, const char *path)
{
	size_t	 i;

	for (i = 0; i < ninputs; i++)
		if (inputs[i].dev == st->st_dev && inputs[i].ino == st->st_ino)
			return;
	inputs = xreallocarray(inputs, ninputs + 1, sizeof(*inputs));
	inputs[ninputs].dev = st->st_dev;
	inputs[ninputs].ino = st->st_ino;
	inputs[ninputs++].path = xstrdup(path);
}

/* The files read so far, in the order first read (for --deps). */
const char *
file_input(size_t i)
{
	return i < ninputs ? inputs[i].path : NULL;
}

int
file_is_input(dev_t dev, ino_t ino)
{
	size_t	 i;

	for (i = 0; i < ninputs; i++)
		if (inputs[i].dev == dev && inputs[i].ino == ino)
			return 1;
	return 0;
}

void
file_forget(void)
{
	size_t	 i;

	for (i = 0; i < ninputs; i++)
		free(inputs[i].path);
	free(inputs);
	inputs = NULL;
	ninputs = 0;
}

static const char *
kind(mode_t m)
{
	if (S_ISDIR(m))
		return "is a folder, not a file";
	if (S_ISFIFO(m))
		return "is a FIFO (named pipe), not a regular file";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "is a device, not a regular file";
	if (S_ISSOCK(m))
		return "is a socket, not a regular file";
	return "is not a regular file";
}

/*
 * Map the pages a large read will fill in one call, not a fault at a
 * time (a font: 200 faults, which cost more than the copy in a virtual
 * machine).  Only a speed-up: on a kernel without it, nothing happens.
 */
static void
prefault(char *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t	 page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t	 a = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t	 z = ((uintptr_t)p + n) & ~(page - 1);

	if (n >= PREFAULT_MIN && z > a)
		(void)madvise((void *)a, z - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

/* Read an open file whole, if it is a regular file within the limit. */
static int
slurp(int fd, const char *path, size_t limit, struct buf *b, char *why,
    size_t whylen)
{
	struct stat	 st;
	ssize_t		 n;
	size_t		 got = 0;

	if (fstat(fd, &st) == -1) {
		snprintf(why, whylen, "cannot be read: %s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "%s", kind(st.st_mode));
		return -1;
	}
	if ((unsigned long long)st.st_size > limit) {
		snprintf(why, whylen, "is %lld bytes; the limit is %zu",
		    (long long)st.st_size, limit);
		return -1;
	}
	/* read into the buffer itself: fonts are megabytes */
	buf_grow(b, (size_t)st.st_size);
	prefault(b->data + b->len, (size_t)st.st_size);
	for (;;) {
		if (b->cap - b->len - 1 == 0)
			buf_grow(b, 65536);
		n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(why, whylen, "cannot be read: %s",
			    strerror(errno));
			return -1;
		}
		/* a file that grows while it is read stops at the limit */
		if ((size_t)n > limit - got) {
			snprintf(why, whylen, "is more than %zu bytes", limit);
			return -1;
		}
		got += (size_t)n;
		b->len += (size_t)n;
	}
	buf_put(b, "", 0);	/* NUL-terminated, even when empty */
	remember(&st, path);
	return 0;
}

static int
open_error(const char *what, char *why, size_t whylen)
{
	if (errno == ENOENT || errno == ENOTDIR)
		snprintf(why, whylen, "not found");
	else if (errno == ELOOP)
		snprintf(why, whylen, "is a loop of symbolic links");
	else if (errno == ENXIO)
		/* what open(2) says of a socket */
		snprintf(why, whylen, "is a socket, not a regular file");
	else
		snprintf(why, whylen, "%s: %s", what, strerror(errno));
	return -1;
}

/* A file named on the command line: anywhere, but still regular and bounded. */
int
file_read(const char *path, size_t limit, struct buf *b, char *why,
    size_t whylen)
{
	int	 fd, rc;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd == -1)
		return open_error("cannot be opened", why, whylen);
	rc = slurp(fd, path, limit, b, why, whylen);
	close(fd);
	return rc;
}

/* Is path (which exists) beneath root, once both are resolved? */
int
file_within(const char *root, const char *path)
{
	char	 r[PATH_MAX], p[PATH_MAX];
	size_t	 n;

	if (realpath(root, r) == NULL || realpath(path, p) == NULL)
		return 0;
	n = strlen(r);
	if (n == 1 && r[0] == '/')
		return 1;
	return strncmp(p, r, n) == 0 && (p[n] == '/' || p[n] == '\0');
}

/* Without openat2: compare the resolved path, then refuse a late link. */
static int
open_resolved(const char *root, const char *rel, char *why, size_t whylen)
{
	struct buf	 full = { NULL, 0, 0 };
	char		 real[PATH_MAX];
	int		 fd = -1;

	buf_printf(&full, "%s/%s", root, rel);
	if (realpath(full.data, real) == NULL)
		open_error("cannot be opened", why, whylen);
	else if (!file_within(root, real))
		snprintf(why, whylen, "is outside '%s' (through '..' or a "
		    "symbolic link)", root);
	else if ((fd = open(real, O_RDONLY | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC | O_NOFOLLOW)) == -1)
		open_error("cannot be opened", why, whylen);
	buf_free(&full);
	return fd;
}

/*
 * A file the manuscript names: rel, relative to root, must stay beneath
 * root however it is spelt or linked.
 */
int
file_read_in(const char *root, const char *rel, size_t limit, struct buf *b,
    char *why, size_t whylen)
{
	struct open_how	 how;
	struct buf	 shown = { NULL, 0, 0 };
	int		 dfd, fd, rc;

	if (rel[0] == '/') {
		snprintf(why, whylen, "is outside '%s' (an absolute path)",
		    root);
		return -1;
	}
	if ((dfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return open_error("has no folder", why, whylen);
	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	fd = (int)syscall(SYS_openat2, dfd, rel, &how, sizeof(how));
	close(dfd);
	if (fd == -1 && (errno == ENOSYS || errno == EPERM ||
	    errno == E2BIG))
		fd = open_resolved(root, rel, why, whylen);
	else if (fd == -1 && errno == EXDEV) {
		snprintf(why, whylen, "is outside '%s' (through '..' or a "
		    "symbolic link)", root);
		return -1;
	} else if (fd == -1)
		return open_error("cannot be opened", why, whylen);
	if (fd == -1)
		return -1;
	buf_printf(&shown, "%s/%s", root, rel);
	rc = slurp(fd, shown.data, limit, b, why, whylen);
	buf_free(&shown);
	close(fd);
	return rc;
}
