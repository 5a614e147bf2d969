/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Growable arrays: one helper for every array the tool grows as it reads.
 * (The length of a fixed array is ARRAY_SIZE(), shared.h's: the module's
 * and the tools' one spelling of it.)
 */

#ifndef TCPTRACECTL_ARRAY_H
#define TCPTRACECTL_ARRAY_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/**
 * array_reserve() - room for @need elements in a growable array
 * @arrp: the address of the array's pointer (NULL at first)
 * @cap: its room, in elements (0 at first); updated
 * @need: the elements it must have room for
 * @size: bytes an element
 * @first: room to begin with; it is doubled each time it is too small
 *
 * Return: 0, or -ENOMEM with the array and @cap as they were.
 */
static inline int array_reserve(void *arrp, size_t *cap, size_t need,
				size_t size, size_t first)
{
	size_t c = *cap ? *cap : first;
	void *v;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	memcpy(&v, arrp, sizeof(v));	/* a T *, whatever T is */
	v = realloc(v, c * size);
	if (!v)
		return -ENOMEM;
	memcpy(arrp, &v, sizeof(v));
	*cap = c;
	return 0;
}

/*
 * A new element at the end of @arr, which holds @n of them in room for
 * @cap (16 at first): its address, @n counting it; NULL without memory.
 */
#define ARRAY_PUSH(arr, n, cap)						\
	(array_reserve(&(arr), &(cap), (size_t)(n) + 1, sizeof(*(arr)),	\
		       16) ? NULL : &(arr)[(n)++])

#endif /* TCPTRACECTL_ARRAY_H */
