/*
 * The memory of one PDF document.  libharu makes an object for every
 * number, name and dictionary of the structure tree, the links and the
 * pages (some 200,000 in an 800-page book), each with a malloc, and
 * frees them one by one; here they come from large blocks, and the
 * document is released with its blocks.  libharu's allocator hooks take
 * no argument, so the blocks are the thread's: a thread builds one
 * document at a time.  Under AddressSanitizer every object keeps an
 * allocation of its own, so that an overrun is still caught.
 */
#include <stddef.h>
#include <stdlib.h>

#include <hpdf_doc.h>

#include "pdf_int.h"

#if defined(__SANITIZE_ADDRESS__)
#define OWN_MEMORY	0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OWN_MEMORY	0
#endif
#endif
#ifndef OWN_MEMORY
#define OWN_MEMORY	1
#endif

#define BLOCK	(1024 * 1024)
#define XREF_BLOCK	32768
#define ALIGN	16
#define HEAD	((sizeof(struct block) + ALIGN - 1) / ALIGN * ALIGN)

struct block {
	struct block	*next;
	size_t		 used, cap;
};

static _Thread_local struct block	*blocks;

static void *HPDF_STDCALL
take(HPDF_UINT size)
{
	size_t		 n = ((size_t)size + ALIGN - 1) / ALIGN * ALIGN;
	struct block	*b = blocks;
	void		*p;

	if (b == NULL || b->cap - b->used < n) {
		/* a large object gets a block of its own, behind the current */
		int	 large = n > BLOCK / 4;

		if ((b = malloc(HEAD + (large ? n : BLOCK))) == NULL)
			return NULL;	/* libharu reports it */
		b->used = 0;
		b->cap = large ? n : BLOCK;
		if (large && blocks != NULL) {
			b->next = blocks->next;
			blocks->next = b;
		} else {
			b->next = blocks;
			blocks = b;
		}
	}
	p = (char *)b + HEAD + b->used;
	b->used += n;
	return p;
}

/* Nothing is given back before the document is. */
static void HPDF_STDCALL
keep(void *p)
{
	(void)p;
}

HPDF_Doc
pdfmem_new(HPDF_Error_Handler on_error, void *arg)
{
	HPDF_Doc	 doc;

	doc = OWN_MEMORY ? HPDF_NewEx(on_error, take, keep, 0, arg) :
	    HPDF_New(on_error, arg);
	/*
	 * The list of objects grows by 1024 entries at a time, each time
	 * copied whole: a tagged book has 30,000 objects and more.
	 */
	if (doc != NULL)
		doc->xref->entries->items_per_block = XREF_BLOCK;
	return doc;
}

void
pdfmem_free(HPDF_Doc doc)
{
	struct block	*b;

	if (!OWN_MEMORY) {
		HPDF_Free(doc);
		return;
	}
	/* libharu holds nothing but memory: the blocks are all of it */
	while ((b = blocks) != NULL) {
		blocks = b->next;
		free(b);
	}
}
