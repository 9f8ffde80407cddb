/* test_secret.c - NAME / NAME_FILE secrets: one trailing newline trimmed, both set refused. */
#include "unit.h"

#include "util/atomicfile.h"
#include "util/secret.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void put(const char *path, const char *s)
{
    CHECK_INT(atomic_write_file(path, s, strlen(s), 0600), 0);
}

TEST(secret_from_env_and_file)
{
    char buf[16], path[] = "/tmp/zkinit-secret-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    unsetenv("UT_SECRET");
    unsetenv("UT_SECRET_FILE");
    CHECK_INT(secret_get("UT_SECRET", buf, sizeof buf), 0);
    setenv("UT_SECRET", "s3cret", 1);
    CHECK_INT(secret_get("UT_SECRET", buf, sizeof buf), 1);
    CHECK_STR(buf, "s3cret");
    setenv("UT_SECRET_FILE", path, 1);
    CHECK_INT(secret_get("UT_SECRET", buf, sizeof buf), -1); /* both set */
    unsetenv("UT_SECRET");
    put(path, "pw\n\n");
    CHECK_INT(secret_get("UT_SECRET", buf, sizeof buf), 1);
    CHECK_STR(buf, "pw\n"); /* only one newline removed */
    put(path, "pw");
    CHECK_INT(secret_get("UT_SECRET", buf, sizeof buf), 1);
    CHECK_STR(buf, "pw");
    put(path, "123456789012345\n"); /* 15 chars + newline fit a 16-byte buffer */
    CHECK_INT(secret_get("UT_SECRET", buf, sizeof buf), 1);
    CHECK_STR(buf, "123456789012345");
    put(path, "1234567890123456");
    CHECK_INT(secret_get("UT_SECRET", buf, sizeof buf), -1); /* too long */
    put(path, "");
    CHECK_INT(secret_get("UT_SECRET", buf, sizeof buf), 1);
    CHECK_STR(buf, "");
    unlink(path);
    CHECK_INT(secret_get("UT_SECRET", buf, sizeof buf), -1); /* missing file */
    unsetenv("UT_SECRET_FILE");
}

TEST(atomic_write_mode_and_replace)
{
    char dir[] = "/tmp/zkinit-atomic-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/out.cfg", dir);
    CHECK_INT(atomic_write_file(path, "one", 3, 0644), 0);
    CHECK_INT(atomic_write_file(path, "two!", 4, 0640), 0);
    struct stat st;
    CHECK_INT(stat(path, &st), 0);
    CHECK_INT(st.st_mode & 07777, 0640);
    CHECK_INT(st.st_size, 4);
    char missing[160];
    snprintf(missing, sizeof missing, "%s/nodir/out.cfg", dir);
    CHECK_INT(atomic_write_file(missing, "x", 1, 0644), -1);
    unlink(path);
    CHECK_INT(rmdir(dir), 0); /* no temp file left behind */
}

TEST(secret_variables_are_scrubbed_from_the_environment)
{
    char buf[16];
    setenv("UT_SCRUB", "pw", 1);
    setenv("UT_SCRUB2_FILE", "/nonexistent", 1);
    setenv("UT_KEEP", "x", 1);
    CHECK_INT(secret_get("UT_SCRUB", buf, sizeof buf), 1);
    CHECK_INT(secret_get("UT_SCRUB2", buf, sizeof buf), -1); /* read, even if it failed */
    setenv("UT_SCRUB_FILE", "/set/later", 1);
    secret_scrub_env();
    CHECK(getenv("UT_SCRUB") == NULL);
    CHECK(getenv("UT_SCRUB_FILE") == NULL);
    CHECK(getenv("UT_SCRUB2_FILE") == NULL);
    CHECK_STR(getenv("UT_KEEP"), "x");
    unsetenv("UT_KEEP");
}
