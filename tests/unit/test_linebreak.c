/* Knuth–Plass: optimal breaks, never overfull when breaks exist. */
#include <stdlib.h>
#include <string.h>

#include "linebreak.h"
#include "unit.h"

static struct item items[4096];
static size_t n;

static void
add(enum item_type t, double w, double y, double z, int p, int f)
{
	memset(&items[n], 0, sizeof(items[n]));
	items[n].type = t;
	items[n].width = w;
	items[n].stretch = y;
	items[n].shrink = z;
	items[n].penalty = p;
	items[n].flagged = f;
	n++;
}

/* words of the given widths separated by glue 4 +2 -1.33 */
static void
para(const double *w, size_t nw)
{
	size_t	 i;

	n = 0;
	for (i = 0; i < nw; i++) {
		if (i > 0)
			add(ITEM_GLUE, 4, 2, 4.0 / 3, 0, 0);
		add(ITEM_BOX, w[i], 0, 0, 0, 0);
	}
	add(ITEM_PENALTY, 0, 0, 0, LB_INF, 0);
	add(ITEM_GLUE, 0, 1e5, 0, 0, 0);
	add(ITEM_PENALTY, 0, 0, 0, -LB_INF, 0);
}

static double
natural(const struct line *l)
{
	double	 x = 0;
	size_t	 i;

	for (i = l->start; i < l->end; i++)
		if (items[i].type != ITEM_PENALTY)
			x += items[i].width;
	return x;
}

int
main(void)
{
	double		 w[400];
	struct line	*lines;
	struct lbstats	 st;
	size_t		 i, k;

	/* four words of 20 on a line of 44: two lines of two words */
	for (i = 0; i < 4; i++)
		w[i] = 20;
	para(w, 4);
	memset(&st, 0, sizeof(st));
	k = linebreak(items, n, 44, 0, 0, &lines, &st);
	CHECK(k == 2);
	CHECK(lines[0].start == 0 && lines[0].end == 3);
	CHECK(lines[0].ratio == 0);
	free(lines);

	/* many words: no line wider than the measure after shrinking */
	for (i = 0; i < 400; i++)
		w[i] = 10 + (double)((i * 7919) % 37);
	para(w, 400);
	memset(&st, 0, sizeof(st));
	k = linebreak(items, n, 300, 0, 0, &lines, &st);
	CHECK(k > 10);
	for (i = 0; i < k; i++) {
		CHECK(lines[i].ratio >= -1);
		CHECK(i + 1 == k || natural(&lines[i]) - 300 <
		    4.0 / 3 * 30 + 1e-6);
	}
	CHECK(lines[k - 1].end == n - 1);
	free(lines);

	/* a hyphenation point is taken, and flagged, when it helps */
	n = 0;
	add(ITEM_BOX, 30, 0, 0, 0, 0);
	add(ITEM_GLUE, 4, 2, 1, 0, 0);
	add(ITEM_BOX, 18, 0, 0, 0, 0);
	add(ITEM_PENALTY, 3, 0, 0, 50, 1);
	add(ITEM_BOX, 30, 0, 0, 0, 0);
	add(ITEM_PENALTY, 0, 0, 0, LB_INF, 0);
	add(ITEM_GLUE, 0, 1e5, 0, 0, 0);
	add(ITEM_PENALTY, 0, 0, 0, -LB_INF, 0);
	memset(&st, 0, sizeof(st));
	k = linebreak(items, n, 55, 0, 0, &lines, &st);
	CHECK(k == 2 && lines[0].hyphen && st.hyphens == 1);
	free(lines);
	return UNIT_DONE();
}
