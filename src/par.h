/* Work shared among the machine's cores: a loop whose steps are independent. */
#ifndef FOLIO_PAR_H
#define FOLIO_PAR_H

#include <stddef.h>

/* The most workers a loop uses; a step may keep one scratch per worker. */
#define PAR_MAX	8

/* One step: i is the step, worker (below PAR_MAX) the worker taking it. */
typedef void	par_step(void *arg, size_t i, size_t worker);

struct par;

void		 par_for(size_t n, par_step *, void *arg);
struct par	*par_start(size_t n, par_step *, void *arg);
void		 par_finish(struct par *);

#endif
