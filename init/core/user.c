/* user.c - resolve USER[:GROUP] before the fork; switch identity in the child. */
#include "core/user.h"

#include "util/parse.h"

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int resolve_user(const char *name, struct user_ids *ids, const char **pwname, char *err,
                        unsigned errlen)
{
    long n;
    const struct passwd *pw;
    if (parse_long(name, 0, 0x7fffffff, &n) == 0) {
        pw = getpwuid((uid_t)n);
        ids->uid = (uid_t)n;
        ids->gid = pw ? pw->pw_gid : (gid_t)n; /* no entry: the group of the same number */
    } else {
        pw = getpwnam(name);
        if (!pw) {
            snprintf(err, errlen, "user \"%s\" not found (use a name from /etc/passwd or a uid)",
                     name);
            return -1;
        }
        ids->uid = pw->pw_uid;
        ids->gid = pw->pw_gid;
    }
    *pwname = pw ? pw->pw_name : NULL;
    return 0;
}

static int resolve_group(const char *name, gid_t *gid, char *err, unsigned errlen)
{
    long n;
    if (parse_long(name, 0, 0x7fffffff, &n) == 0) {
        *gid = (gid_t)n;
        return 0;
    }
    const struct group *gr = getgrnam(name);
    if (!gr) {
        snprintf(err, errlen, "group \"%s\" not found (use a name from /etc/group or a gid)", name);
        return -1;
    }
    *gid = gr->gr_gid;
    return 0;
}

int user_resolve(const char *spec, struct user_ids *ids, char *err, unsigned errlen)
{
    char user[256];
    const char *colon = strchr(spec, ':');
    size_t ulen = colon ? (size_t)(colon - spec) : strlen(spec);
    if (ulen == 0 || ulen >= sizeof user || (colon && !colon[1])) {
        snprintf(err, errlen, "\"%s\" is not USER[:GROUP]", spec);
        return -1;
    }
    memcpy(user, spec, ulen);
    user[ulen] = '\0';
    const char *pwname;
    if (resolve_user(user, ids, &pwname, err, errlen) != 0)
        return -1;
    if (colon) { /* an explicit group is the only group, as with docker --user */
        if (resolve_group(colon + 1, &ids->gid, err, errlen) != 0)
            return -1;
        ids->groups[0] = ids->gid;
        ids->ngroups = 1;
        return 0;
    }
    int ng = USER_MAX_GROUPS;
    if (!pwname || getgrouplist(pwname, ids->gid, ids->groups, &ng) < 0) {
        ids->groups[0] = ids->gid;
        ng = 1;
    }
    ids->ngroups = ng;
    return 0;
}

int user_switch(const struct user_ids *ids)
{
    if (setgroups((size_t)ids->ngroups, ids->groups) != 0)
        return -1;
    if (setgid(ids->gid) != 0)
        return -1;
    return setuid(ids->uid);
}
