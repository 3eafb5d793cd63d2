/*
 * Work shared among the machine's cores.  par_for runs the steps of a
 * loop whose steps do not depend on one another: the calling thread and
 * up to one thread per other core take the next step until none is
 * left, so a long step and many short ones even out.  par_start begins
 * the steps on the other cores only, and the caller goes on with work of
 * its own; par_finish takes the caller into what is left and waits for
 * the end.  Each step writes only its own result; whatever is said about
 * the results (warnings, in source order) is said by the caller
 * afterwards, so the output is the same however the steps were shared.
 * Without threads the caller runs every step itself.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "par.h"

struct worker {
	struct par	*l;
	size_t		 id;
};

struct par {
	pthread_mutex_t	 mu;
	int		 shared;	/* mu is set up: steps may be taken */
	size_t		 next, n;
	par_step	*step;
	void		*arg;
	struct worker	 w[PAR_MAX];
	pthread_t	 th[PAR_MAX];
	size_t		 nth;
};

static void *
work(void *v)
{
	struct worker	*w = v;
	struct par	*l = w->l;
	size_t		 i;

	for (;;) {
		pthread_mutex_lock(&l->mu);
		i = l->next < l->n ? l->next++ : l->n;
		pthread_mutex_unlock(&l->mu);
		if (i == l->n)
			break;
		l->step(l->arg, i, w->id);
	}
	return NULL;
}

struct par *
par_start(size_t n, par_step *step, void *arg)
{
	struct par	*l = xcalloc(1, sizeof(*l));
	long		 cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t		 k;

	l->n = n;
	l->step = step;
	l->arg = arg;
	if (cores > PAR_MAX)
		cores = PAR_MAX;
	if (n == 0 || cores < 2 || pthread_mutex_init(&l->mu, NULL) != 0)
		return l;
	l->shared = 1;
	/* worker 0 is the caller, at par_finish */
	for (k = 1; k < (size_t)cores && k <= n; k++) {
		l->w[k].l = l;
		l->w[k].id = k;
		if (pthread_create(&l->th[l->nth], NULL, work, &l->w[k]) == 0)
			l->nth++;
	}
	return l;
}

void
par_finish(struct par *l)
{
	size_t	 i;

	if (l == NULL)
		return;
	if (l->shared) {
		l->w[0].l = l;
		l->w[0].id = 0;
		work(&l->w[0]);
		for (i = 0; i < l->nth; i++)
			pthread_join(l->th[i], NULL);
		pthread_mutex_destroy(&l->mu);
	} else
		for (i = 0; i < l->n; i++)
			l->step(l->arg, i, 0);
	free(l);
}

void
par_for(size_t n, par_step *step, void *arg)
{
	if (n == 1)
		step(arg, 0, 0);	/* nothing to share */
	else if (n > 1)
		par_finish(par_start(n, step, arg));
}
