/*
 * The page map: a growable list of where printed pages begin.  When the
 * e-book is set on another thread, it reads a chapter's pages as soon as
 * the PDF has set them (the PDF sets the segments in order and says when
 * it is past one), and the rest when the PDF says the map is complete
 * (the pages are set; the PDF is still being saved).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pagemap.h"

struct pagesync {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	int		 done;
	long		 reached;	/* the segments before it are set */
};

void
pagemap_add(struct pagemap *pm, const char *label, long segment,
    cmark_node *node, size_t offset)
{
	struct pagemark	*m;

	/* the reader copies a segment's marks while the list grows */
	if (pm->sync != NULL)
		pthread_mutex_lock(&pm->sync->mu);
	if (pm->n == pm->cap) {
		pm->cap = pm->cap ? pm->cap * 2 : 64;
		pm->marks = xreallocarray(pm->marks, pm->cap,
		    sizeof(*pm->marks));
	}
	m = &pm->marks[pm->n++];
	snprintf(m->label, sizeof(m->label), "%s", label);
	m->segment = segment;
	m->node = node;
	m->offset = offset;
	if (pm->sync != NULL)
		pthread_mutex_unlock(&pm->sync->mu);
}

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

/* The PDF is setting segment seg: every page of those before is marked. */
void
pagemap_reach(struct pagemap *pm, long seg)
{
	if (pm == NULL || pm->sync == NULL)
		return;
	pthread_mutex_lock(&pm->sync->mu);
	pm->sync->reached = seg;
	pthread_cond_broadcast(&pm->sync->cv);
	pthread_mutex_unlock(&pm->sync->mu);
}

/*
 * The marks of segment seg, once the PDF is past it, copied into view
 * (with the map's id prefix) for the e-book to read while the PDF goes
 * on; view is pagemap_free'd.
 */
void
pagemap_segment(const struct pagemap *pm, size_t seg, struct pagemap *view)
{
	size_t	 i, j;

	memset(view, 0, sizeof(*view));
	if (pm->sync != NULL) {
		pthread_mutex_lock(&pm->sync->mu);
		while (!pm->sync->done && pm->sync->reached <= (long)seg)
			pthread_cond_wait(&pm->sync->cv, &pm->sync->mu);
	}
	for (i = 0; i < pm->n && pm->marks[i].segment != (long)seg; i++)
		continue;
	for (j = i; j < pm->n && pm->marks[j].segment == (long)seg; j++)
		continue;
	if (j > i) {
		view->marks = xreallocarray(NULL, j - i, sizeof(*view->marks));
		memcpy(view->marks, pm->marks + i, (j - i) *
		    sizeof(*view->marks));
	}
	view->n = view->cap = j - i;
	view->idprefix = pm->idprefix;
	if (pm->sync != NULL)
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
	pm->n = pm->cap = 0;
}
