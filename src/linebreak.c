/*
 * Knuth–Plass line breaking.  Every feasible breakpoint is an active node;
 * a line from an active node to a candidate break is scored by its
 * badness, its penalty and its neighbours' fitness, and the paragraph
 * takes the path of least total demerits.  As TeX does, a first pass
 * tries without hyphenation at a strict tolerance, a second hyphenates,
 * a third adds emergency stretch, and a last takes whatever sets, so
 * that a paragraph always sets (the caller has made sure no unbreakable
 * run is wider than the line).  Characters that may hang into the
 * margins (protrusion: a line's final hyphen, stop or comma, an opening
 * quote) give the line they end that much more room.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "linebreak.h"

#define LINE_PENALTY	10
#define FLAG_DEMERITS	10000		/* hyphens on consecutive lines */
#define FINAL_HYPHEN_DEMERITS 5000	/* a hyphen on the last full line */
#define MAX_HYPHENS	2		/* hyphenated lines in a row */
#define FIT_DEMERITS	10000		/* a loose line beside a tight one */
#define EMERGENCY_EMS	3		/* stretch added in the third pass */
#define RAGGED_EMS	2		/* and to ragged lines, always */

/*
 * The passes.  A ratio of 1 is TeX's badness 100 (its pretolerance),
 * 1.26 its badness 200 (its tolerance).
 */
static const struct pass {
	double	 tol;		/* the largest ratio a line may have */
	int	 hyphenate;	/* hyphenation points are breaks */
	int	 final;		/* and a two-line paragraph's first line */
	int	 emergency;	/* stretch added to every line's */
	int	 loose;		/* anything that sets */
} passes[] = {
	{ 1.0, 0, 0, 0, 0 },
	{ 1.26, 1, 0, 0, 0 },
	/* a two-line paragraph's first line hyphenated, not left loose */
	{ 1.26, 1, 1, 0, 0 },
	{ 1.26, 1, 1, 1, 0 },
	{ 1e9, 1, 1, 0, 1 },
};
#define NPASSES	(sizeof(passes) / sizeof(passes[0]))

struct node {
	size_t	 pos;		/* break item index */
	size_t	 line;		/* lines before and including this break */
	int	 fitness;
	int	 hyphens;	/* hyphenated lines in a row ending here */
	double	 w, y, z, e, x;	/* totals after the break */
	double	 lp;		/* the next line's left protrusion */
	double	 demerits;
	long	 prev;		/* node index, -1 for the start */
	long	 next_active;	/* linked list of active nodes */
};

/*
 * Stretch is summed apart for word spaces (y) and for the zero-width glue
 * between the letters of a word broken in an emergency (e): letters
 * stretch only on a line that has no space.
 */
struct sums {
	double	*w, *y, *z, *e;
	double	*x;		/* widths of boxes whose letters may widen */
	double	*rp;		/* per break: the line's right protrusion */
	double	 k;		/* how far they may: 0.02 is 2 % */
};

static int
is_letter_glue(const struct item *it)
{
	return it->type == ITEM_GLUE && it->width == 0 && it->stretch < 1e5;
}

static int
is_break(const struct item *it, size_t n, size_t i)
{
	if (it[i].type == ITEM_PENALTY)
		return it[i].penalty < LB_INF;
	if (it[i].type == ITEM_GLUE)
		return i > 0 && it[i - 1].type == ITEM_BOX;
	(void)n;
	return 0;
}

/* Totals from position b onwards, skipping what a break discards. */
static void
after(const struct item *it, size_t n, const struct sums *s, size_t b,
    struct node *k)
{
	size_t	 i;

	for (i = b; i < n; i++) {
		if (it[i].type == ITEM_BOX)
			break;
		if (it[i].type == ITEM_PENALTY && it[i].penalty <= -LB_INF &&
		    i > b)
			break;
	}
	k->w = s->w[i];
	k->y = s->y[i];
	k->z = s->z[i];
	k->e = s->e[i];
	k->x = s->x[i];
	k->lp = i < n && it[i].type == ITEM_BOX ? it[i].lprot : 0;
}

/*
 * The ratio of a line from a to b: how much of its stretch (or shrink)
 * fills (or fits) it.  es is stretch added for the ratio only.
 */
static double
ratio_of(const struct item *it, const struct sums *s, const struct node *a,
    size_t b, double width, double es, int loose)
{
	double	 l = s->w[b] - a->w - a->lp - s->rp[b], y, z;

	if (it[b].type == ITEM_PENALTY)
		l += it[b].width;
	if (l < width) {
		y = s->y[b] - a->y;
		if (y <= 0)
			y = s->e[b] - a->e;
		y += es + s->k * (s->x[b] - a->x);
		if (y > 0)
			return (width - l) / y;
		return loose ? 1000 : INFINITY;
	}
	if (l > width) {
		z = s->z[b] - a->z + s->k * (s->x[b] - a->x);
		return z > 0 ? (width - l) / z : -INFINITY;
	}
	return 0;
}

static int
fitness(double r)
{
	if (r < -0.5)
		return 0;
	if (r <= 0.5)
		return 1;
	if (r <= 1)
		return 2;
	return 3;
}

static long
try_breaks(const struct item *it, size_t n, const struct sums *s,
    double width, const struct pass *ps, double es, double rag,
    struct node **nodesp, size_t *nnodesp)
{
	double		 tol = ps->tol;
	int		 loose = ps->loose;
	struct node	*nodes = NULL;
	size_t		 nnodes = 0, cap = 0, b;
	long		 active, a, prev, next, best[4], k;
	double		 bestd[4], r, bad, d, mind;
	int		 fit, p, c, flagged;

	cap = 64;
	nodes = xreallocarray(NULL, cap, sizeof(*nodes));
	memset(&nodes[0], 0, sizeof(nodes[0]));
	nodes[0].prev = -1;
	nodes[0].next_active = -1;
	nodes[0].fitness = 1;
	after(it, n, s, 0, &nodes[0]);
	nodes[0].w = nodes[0].y = nodes[0].z = nodes[0].e = nodes[0].x = 0;
	nnodes = 1;
	active = 0;
	if (!ps->emergency)
		es = 0;
	es += rag;	/* a ragged line may end short */

	for (b = 0; b < n && active != -1; b++) {
		if (!is_break(it, n, b))
			continue;
		for (c = 0; c < 4; c++) {
			best[c] = -1;
			bestd[c] = INFINITY;
		}
		p = it[b].type == ITEM_PENALTY ? it[b].penalty : 0;
		flagged = it[b].type == ITEM_PENALTY && it[b].flagged;
		/* the first pass does not hyphenate */
		if (flagged && !ps->hyphenate && p < LB_EMERGENCY)
			continue;
		prev = -1;
		for (a = active; a != -1; a = next) {
			next = nodes[a].next_active;
			r = ratio_of(it, s, &nodes[a], b, width, es, loose);
			if (r < -1 || p <= -LB_INF) {
				/* deactivate a */
				if (prev == -1)
					active = next;
				else
					nodes[prev].next_active = next;
			} else
				prev = a;
			if (r < -1 || r > tol)
				continue;
			if (flagged && nodes[a].hyphens >= MAX_HYPHENS && !loose)
				continue;
			bad = 100 * fabs(r * r * r);
			d = (LINE_PENALTY + bad) * (LINE_PENALTY + bad);
			if (p >= 0)
				d += (double)p * p;
			else if (p > -LB_INF)
				d -= (double)p * p;
			if (flagged && nodes[a].hyphens > 0)
				d += FLAG_DEMERITS;
			if (b == n - 1 && nodes[a].hyphens > 0) {
				/* a paragraph's last full line, hyphenated */
				if (!ps->final || (nodes[a].line > 1 &&
				    !loose))
					continue;
				d += FINAL_HYPHEN_DEMERITS;
			}
			fit = fitness(r);
			if (abs(fit - nodes[a].fitness) > 1)
				d += FIT_DEMERITS;
			d += nodes[a].demerits;
			if (d < bestd[fit]) {
				bestd[fit] = d;
				best[fit] = a;
			}
		}
		mind = INFINITY;
		for (c = 0; c < 4; c++)
			if (bestd[c] < mind)
				mind = bestd[c];
		for (c = 0; c < 4; c++) {
			if (best[c] == -1 || bestd[c] > mind + FIT_DEMERITS)
				continue;
			if (nnodes == cap) {
				cap *= 2;
				nodes = xreallocarray(nodes, cap,
				    sizeof(*nodes));
			}
			k = (long)nnodes++;
			nodes[k].pos = b;
			nodes[k].line = nodes[best[c]].line + 1;
			nodes[k].fitness = c;
			nodes[k].demerits = bestd[c];
			nodes[k].prev = best[c];
			nodes[k].hyphens = flagged ? nodes[best[c]].hyphens + 1 : 0;
			after(it, n, s, b, &nodes[k]);
			nodes[k].next_active = active;
			active = k;
		}
	}
	/* the best node at the final forced break */
	k = -1;
	for (a = active; a != -1; a = nodes[a].next_active)
		if (nodes[a].pos == n - 1 && (k == -1 ||
		    nodes[a].demerits < nodes[k].demerits))
			k = a;
	*nodesp = nodes;
	*nnodesp = nnodes;
	return k;
}

/*
 * Break items (which must end with a forced break) into lines of the
 * given width.  Returns the number of lines; *lines is the caller's to
 * free.
 */
size_t
linebreak(const struct item *it, size_t n, double width, int ragged,
    double expansion, struct line **lines, struct lbstats *st)
{
	struct sums		 s;
	struct node		*nodes = NULL;
	struct line		*out;
	size_t			 nnodes, i, count, pass;
	long			 k, a, last;
	double			 es = 0;

	*lines = NULL;
	if (n == 0)
		return 0;
	/* the six running sums in one allocation: a paragraph is short */
	s.w = xreallocarray(NULL, 6 * (n + 1), sizeof(double));
	s.y = s.w + (n + 1);
	s.z = s.y + (n + 1);
	s.e = s.z + (n + 1);
	s.rp = s.e + (n + 1);
	s.x = s.rp + (n + 1);
	s.k = ragged ? 0 : expansion;
	s.w[0] = s.y[0] = s.z[0] = s.e[0] = s.x[0] = 0;
	/* a hyphen hangs out; else the box the line ends with */
	for (i = 0, last = -1; i < n; i++) {
		s.rp[i] = it[i].type == ITEM_PENALTY && it[i].flagged ?
		    it[i].rprot : last >= 0 ? it[last].rprot : 0;
		/* (a paragraph's closing fill leaves its last box last) */
		if (it[i].type == ITEM_BOX)
			last = (long)i;
		else if (it[i].type == ITEM_GLUE && it[i].width > 0)
			last = -1;
		if (it[i].type == ITEM_BOX && es == 0)
			es = EMERGENCY_EMS * it[i].size;
	}
	s.rp[n] = 0;
	for (i = 0; i < n; i++) {
		s.w[i + 1] = s.w[i];
		s.y[i + 1] = s.y[i];
		s.z[i + 1] = s.z[i];
		s.e[i + 1] = s.e[i];
		s.x[i + 1] = s.x[i];
		if (it[i].type == ITEM_BOX) {
			s.w[i + 1] += it[i].width;
			if (it[i].expands)
				s.x[i + 1] += it[i].width;
		}
		else if (is_letter_glue(&it[i]))
			s.e[i + 1] += it[i].stretch;
		else if (it[i].type == ITEM_GLUE) {
			s.w[i + 1] += it[i].width;
			s.y[i + 1] += it[i].stretch;
			s.z[i + 1] += it[i].shrink;
		}
	}
	k = -1;
	for (pass = 0; pass < NPASSES && k == -1; pass++) {
		free(nodes);
		k = try_breaks(it, n, &s, width, &passes[pass], es,
		    ragged ? es * RAGGED_EMS / EMERGENCY_EMS : 0, &nodes,
		    &nnodes);
	}
	if (k == -1) {
		/* cannot happen with a final forced break; be safe anyway */
		free(nodes);
		free(s.w);
		out = xcalloc(1, sizeof(*out));
		out[0].start = 0;
		out[0].end = n;
		*lines = out;
		st->lines++;
		return 1;
	}
	count = nodes[k].line;
	out = xreallocarray(NULL, count, sizeof(*out));
	for (a = k, i = count; a > 0; a = nodes[a].prev) {
		struct node	*prev = &nodes[nodes[a].prev];
		size_t		 start = prev->pos;

		i--;
		if (nodes[a].prev != 0 || prev->pos != 0)
			start++;
		else
			start = 0;
		/* a line starts after discarded glue and penalties */
		while (start < nodes[a].pos && it[start].type != ITEM_BOX)
			start++;
		out[i].start = start;
		out[i].end = nodes[a].pos;
		out[i].ratio = ratio_of(it, &s, prev, nodes[a].pos, width, 0,
		    1);
		out[i].hyphen = it[nodes[a].pos].type == ITEM_PENALTY &&
		    it[nodes[a].pos].flagged;
		out[i].lprot = prev->lp;
		out[i].rprot = s.rp[nodes[a].pos];
		if (it[nodes[a].pos].type == ITEM_PENALTY &&
		    it[nodes[a].pos].penalty == LB_EMERGENCY)
			st->emergency++;
		else if (out[i].hyphen)
			st->hyphens++;
		if (out[i].ratio > passes[0].tol && nodes[a].pos + 1 < n)
			st->loose++;
		if (out[i].ratio < -1)
			st->overfull++;
	}
	st->lines += count;
	free(nodes);
	free(s.w);
	*lines = out;
	return count;
}

/*
 * How a justified line fills its width: the ratio its spaces stretch
 * (or shrink) by, and the scale of its letters, widened or narrowed by
 * up to the expansion as the line's ratio asks, the spaces taking what
 * remains.
 */
void
linebreak_fit(const struct item *it, const struct line *ln, double width,
    double expansion, double *glue, double *letters)
{
	double	 l = 0, x = 0, y = 0, z = 0, r = ln->ratio, h, rest;
	size_t	 i;

	*glue = r;
	*letters = 1;
	if (expansion <= 0)
		return;
	for (i = ln->start; i < ln->end; i++)
		if (it[i].type == ITEM_BOX) {
			l += it[i].width;
			if (it[i].expands)
				x += it[i].width;
		} else if (it[i].type == ITEM_GLUE && it[i].stretch >= 1e5) {
			if (r >= 0)
				return;	/* a line ended by a forced break */
		} else if (it[i].type == ITEM_GLUE && it[i].width > 0) {
			l += it[i].width;
			y += it[i].stretch;
			z += it[i].shrink;
		}
	if (it[ln->end].type == ITEM_PENALTY)
		l += it[ln->end].width;
	width += ln->lprot + ln->rprot;
	h = 1 + expansion * (r > 1 ? 1 : r < -1 ? -1 : r);
	rest = width - l - (h - 1) * x;
	*letters = h;
	*glue = rest >= 0 ? (y > 0 ? rest / y : 0) : (z > 0 ? rest / z : 0);
}
