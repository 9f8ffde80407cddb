/* fdchown.h - give a directory tree to a user, safely when running as root on a tree that user
 * could already write: walks by file descriptor (no symlink is followed, no path is resolved
 * twice), leaves hard-linked files alone and changes only what the user does not own yet. */
#ifndef ZKINIT_FDCHOWN_H
#define ZKINIT_FDCHOWN_H

#include <sys/types.h>

/* Sets the owner of PATH and everything below it to UID (the group stays). Returns the number of
 * entries that could not be changed (each logged as a warning), 0 when all went well. */
int chown_tree(const char *path, uid_t uid);

#endif
