/* atomicfile.h - write a whole file atomically: temp file in the same directory, fsync, rename. */
#ifndef ZKINIT_ATOMICFILE_H
#define ZKINIT_ATOMICFILE_H

#include <stddef.h>
#include <sys/types.h>

/* Returns 0, or -1 with errno set and nothing at PATH changed. */
int atomic_write_file(const char *path, const void *data, size_t len, mode_t mode);

#endif
