/*
 * The page map: a growable list of where printed pages begin.  When the
 * e-book is set on another thread, it waits until the PDF says the map
 * is complete (the pages are set; the PDF is still being saved).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pagemap.h"

void
pagemap_add(struct pagemap *pm, const char *label, long segment,
    cmark_node *node, size_t offset)
{
	struct pagemark	*m;

	pm->marks = xreallocarray(pm->marks, pm->n + 1, sizeof(*pm->marks));
	m = &pm->marks[pm->n++];
	snprintf(m->label, sizeof(m->label), "%s", label);
	m->segment = segment;
	m->node = node;
	m->offset = offset;
}

struct pagesync {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	int		 done;
};

/* Another thread will read the map: make it wait for pagemap_done. */
void
pagemap_share(struct pagemap *pm)
{
	struct pagesync	*s = xcalloc(1, sizeof(*s));

	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	pm->sync = s;
}

/* The map is complete; may be said more than once. */
void
pagemap_done(struct pagemap *pm)
{
	if (pm == NULL || pm->sync == NULL)
		return;
	pthread_mutex_lock(&pm->sync->mu);
	pm->sync->done = 1;
	pthread_cond_broadcast(&pm->sync->cv);
	pthread_mutex_unlock(&pm->sync->mu);
}

void
pagemap_wait(const struct pagemap *pm)
{
	if (pm == NULL || pm->sync == NULL)
		return;
	pthread_mutex_lock(&pm->sync->mu);
	while (!pm->sync->done)
		pthread_cond_wait(&pm->sync->cv, &pm->sync->mu);
	pthread_mutex_unlock(&pm->sync->mu);
}

void
pagemap_free(struct pagemap *pm)
{
	if (pm->sync != NULL) {
		pthread_cond_destroy(&pm->sync->cv);
		pthread_mutex_destroy(&pm->sync->mu);
		free(pm->sync);
		pm->sync = NULL;
	}
	free(pm->marks);
	pm->marks = NULL;
	pm->n = 0;
}
