/* The page map: a growable list of where printed pages begin. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pagemap.h"

void
pagemap_add(struct pagemap *pm, const char *label, long chapter,
    cmark_node *node, size_t offset)
{
	struct pagemark	*m;

	pm->marks = xreallocarray(pm->marks, pm->n + 1, sizeof(*pm->marks));
	m = &pm->marks[pm->n++];
	snprintf(m->label, sizeof(m->label), "%s", label);
	m->chapter = chapter;
	m->node = node;
	m->offset = offset;
}

void
pagemap_free(struct pagemap *pm)
{
	free(pm->marks);
	pm->marks = NULL;
	pm->n = 0;
}
