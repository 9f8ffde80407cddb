/* readfile.h - read a whole small file that must be a regular file (no symlink at the end, no
 * FIFO or device: a planted one is refused, never followed or blocked on). */
#ifndef ZKINIT_READFILE_H
#define ZKINIT_READFILE_H

#include <stddef.h>

/* PATH's content, at most MAX bytes, NUL-terminated (malloc'd), or NULL with errno. */
char *read_regular_file(const char *path, size_t max);

#endif
