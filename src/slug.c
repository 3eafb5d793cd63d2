/*
 * Slugs: the ids that name headings in both editions.  The rule is the
 * one GitHub and most Markdown tools use, so that links authors already
 * wrote keep working: lowercase ASCII letters, keep letters, digits,
 * '-' and '_', turn spaces into '-', drop punctuation and symbols.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "slug.h"
#include "utf8.h"

/* Non-ASCII code points that are punctuation or symbols, not letters. */
static int
is_symbol(uint32_t c)
{
	return (c >= 0x80 && c <= 0xBF) || c == 0xD7 || c == 0xF7 ||
	    (c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
	    (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF0F) ||
	    (c >= 0xFFF0 && c <= 0xFFFF) || (c >= 0xE000 && c <= 0xF8FF) ||
	    c >= 0x1F000;
}

/*
 * With dashes set, dash punctuation (U+2010..U+2015, U+2212) becomes a
 * hyphen, as a file name "us-mexico-relations" wants; ids keep the
 * common rule, which drops it.
 */
static char *
slugify(const char *text, int dashes)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*p = text, *end = text + strlen(text);
	uint32_t	 c;
	size_t		 n;

	while (p < end) {
		n = utf8_decode(p, (size_t)(end - p), &c);
		if (c < 0x80) {
			if (c >= 'A' && c <= 'Z')
				buf_putc(&b, (char)(c + 32));
			else if ((c >= 'a' && c <= 'z') ||
			    (c >= '0' && c <= '9') || c == '-' || c == '_')
				buf_putc(&b, (char)c);
			else if (c == ' ' || c == '\t' || c == '\n')
				buf_putc(&b, '-');
		} else if (dashes && ((c >= 0x2010 && c <= 0x2015) ||
		    c == 0x2212)) {
			if (b.len == 0 || b.data[b.len - 1] != '-')
				buf_putc(&b, '-');
		} else if (!is_symbol(c)) {
			if (c >= 0xC0 && c <= 0xDE)
				c += 0x20;	/* Latin-1 capitals */
			utf8_encode(&b, c);
		}
		p += n;
	}
	if (b.len == 0)
		buf_puts(&b, "section");
	return buf_detach(&b);
}

char *
slug_make(const char *text)
{
	return slugify(text, 0);
}

char *
slug_file(const char *text)
{
	return slugify(text, 1);
}

static size_t
hash(const char *s)
{
	size_t	 h = 14695981039346656037ULL & (size_t)-1;

	while (*s)
		h = (h ^ (unsigned char)*s++) * (size_t)1099511628211ULL;
	return h;
}

int
slug_has(const struct slugset *set, const char *s)
{
	size_t	 i;

	if (set->cap == 0)
		return 0;
	for (i = hash(s) & (set->cap - 1); set->slots[i] != NULL;
	    i = (i + 1) & (set->cap - 1))
		if (strcmp(set->slots[i], s) == 0)
			return 1;
	return 0;
}

static void
insert(struct slugset *set, char *s)
{
	char	**old = set->slots;
	size_t	  oldcap = set->cap, i;

	if ((set->count + 1) * 2 > set->cap) {
		set->cap = oldcap ? oldcap * 2 : 64;
		set->slots = xcalloc(set->cap, sizeof(char *));
		set->count = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i] != NULL)
				insert(set, old[i]);
		free(old);
	}
	for (i = hash(s) & (set->cap - 1); set->slots[i] != NULL;
	    i = (i + 1) & (set->cap - 1))
		continue;
	set->slots[i] = s;
	set->count++;
}

/*
 * Where a base's numbering goes on: 20,000 headings with one title take
 * each the next number, not a search from -1 (which was quadratic).
 */
static unsigned *
next_of(struct slugset *set, const char *base)
{
	struct slugnext	*old = set->next;
	size_t		 oldcap = set->ncap, i, j;

	if ((set->ncount + 1) * 2 > set->ncap) {
		set->ncap = oldcap ? oldcap * 2 : 64;
		set->next = xcalloc(set->ncap, sizeof(*set->next));
		for (i = 0; i < oldcap; i++) {
			if (old[i].base == NULL)
				continue;
			for (j = hash(old[i].base) & (set->ncap - 1);
			    set->next[j].base != NULL;
			    j = (j + 1) & (set->ncap - 1))
				continue;
			set->next[j] = old[i];
		}
		free(old);
	}
	for (i = hash(base) & (set->ncap - 1); set->next[i].base != NULL;
	    i = (i + 1) & (set->ncap - 1))
		if (strcmp(set->next[i].base, base) == 0)
			return &set->next[i].next;
	set->next[i].base = xstrdup(base);
	set->next[i].next = 1;
	set->ncount++;
	return &set->next[i].next;
}

/*
 * The slug of text, made unique in the set by a numeric suffix; the set
 * owns the string, which lives until slug_free.
 */
char *
slug_unique(struct slugset *set, const char *text)
{
	char		*base = slug_make(text), *s;
	struct buf	 b = { NULL, 0, 0 };
	unsigned	*n;

	if (!slug_has(set, base)) {
		insert(set, base);
		return base;
	}
	n = next_of(set, base);
	for (;; (*n)++) {
		buf_reset(&b);
		buf_printf(&b, "%s-%u", base, *n);
		if (!slug_has(set, b.data))
			break;
	}
	(*n)++;
	free(base);
	s = buf_detach(&b);
	insert(set, s);
	return s;
}

/*
 * Add an id made elsewhere (a generated one, an anchor the author
 * wrote) as it is; the set's copy, or NULL if it is taken.
 */
const char *
slug_add(struct slugset *set, const char *id)
{
	char	*s;

	if (slug_has(set, id))
		return NULL;
	insert(set, s = xstrdup(id));
	return s;
}

void
slug_free(struct slugset *set)
{
	size_t	 i;

	for (i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
	for (i = 0; i < set->ncap; i++)
		free(set->next[i].base);
	free(set->next);
	memset(set, 0, sizeof(*set));
}
