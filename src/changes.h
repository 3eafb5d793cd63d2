/*
 * What changed since a previous edition: the sections of the old e-book
 * against those of this one, compared as a reader reads them.  Computed
 * once, before either renderer; each renderer may set it as a page.
 */
#ifndef FOLIO_CHANGES_H
#define FOLIO_CHANGES_H

#include <stddef.h>
#include <stdio.h>

struct book;

enum change_kind { CHANGE_CHANGED, CHANGE_ADDED, CHANGE_REMOVED };

struct change {
	enum change_kind kind;
	char		*title;		/* the section's heading text */
	char		*chapter_title;	/* of the chapter it is (was) in */
	const char	*file;		/* manuscript file; NULL if removed */
	long		 chapter;	/* this edition's document (segment), or -1 */
	char		*id;		/* heading id in this edition, or NULL */
	size_t		 words;		/* added, removed: its words */
	size_t		 words_removed;	/* changed: the word-level diff */
	size_t		 words_added;
};

struct changes {
	char		*since;		/* OLD.epub as given */
	char		*old_edition;	/* the previous edition's, or NULL */
	char		*old_date;
	struct change	*v;		/* in reading order */
	size_t		 n;
	size_t		 nchanged, nadded, nremoved;
};

struct buf;

struct style;
struct changes	*changes_new(const struct book *, const struct style *,
		    const char *oldepub);
void		 changes_report(const struct changes *, FILE *);
void		 changes_free(struct changes *);
const char	*changes_since(const struct changes *);

/* The words of the changes page, the same in both editions. */
#define CHANGES_TITLE	"Changes in this edition"
void		 changes_intro(const struct changes *, struct buf *);
const char	*changes_label(const struct change *);
void		 changes_detail(const struct change *, struct buf *);
#define CHANGES_LISTED	200
void		 changes_more(const struct changes *, struct buf *);

#endif
