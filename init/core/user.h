/* user.h - --user USER[:GROUP]: resolve names before the fork, switch identity in the child. */
#ifndef ZKINIT_USER_H
#define ZKINIT_USER_H

#include <sys/types.h>

#define USER_MAX_GROUPS 64

struct user_ids {
    uid_t uid;
    gid_t gid;
    int ngroups;
    gid_t groups[USER_MAX_GROUPS];
};

/* Resolves "name", "uid", "name:group", "uid:gid" (user database or numbers). 0, or -1 with ERR. */
int user_resolve(const char *spec, struct user_ids *ids, char *err, unsigned errlen);
/* setgroups, setgid, setuid; async-signal-safe (for the forked child). 0 or -1 with errno. */
int user_switch(const struct user_ids *ids);

#endif
