/* fdchown.c - chown a tree by file descriptor (see fdchown.h). */
#include "util/fdchown.h"

#include "util/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 64

static int warn(const char *what, const char *name)
{
    log_warn("cannot chown", "what=%s entry=\"%s\" error=\"%s\"", what, name, strerror(errno));
    return 1;
}

static int walk(int dfd, const char *shown, uid_t uid, int depth);

/* One entry NAME of the directory DFD. */
static int entry(int dfd, const char *name, uid_t uid, int depth)
{
    struct stat sb;
    if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? 0 : warn("stat", name);
    if (!S_ISDIR(sb.st_mode)) {
        if (sb.st_uid == uid || (sb.st_nlink > 1 && !S_ISLNK(sb.st_mode)))
            return 0; /* owned already, or a hard link that may point out of the tree */
        if (fchownat(dfd, name, uid, (gid_t)-1, AT_SYMLINK_NOFOLLOW) != 0)
            return warn("chown", name);
        return 0;
    }
    int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : warn("open", name);
    return walk(fd, name, uid, depth + 1);
}

/* Takes ownership of FD: chowns the directory itself, then its entries; closes FD. */
static int walk(int fd, const char *shown, uid_t uid, int depth)
{
    struct stat sb;
    int failed = 0;
    if (fstat(fd, &sb) != 0) {
        close(fd);
        return warn("stat", shown);
    }
    if (sb.st_uid != uid && fchown(fd, uid, (gid_t)-1) != 0)
        failed += warn("chown", shown);
    if (depth >= MAX_DEPTH) {
        log_warn("directory tree too deep; not changing below", "entry=\"%s\"", shown);
        close(fd);
        return failed + 1;
    }
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return failed + warn("read", shown);
    }
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        failed += entry(dirfd(d), e->d_name, uid, depth);
    }
    closedir(d);
    return failed;
}

int chown_tree(const char *path, uid_t uid)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : warn("open", path);
    return walk(fd, path, uid, 0);
}
