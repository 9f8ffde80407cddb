/* test_subtree.c - descendants found in a /proc-like tree, and a full table reported. */
#include "unit.h"

#include "core/subtree.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void fake_proc(const char *root, int pid, int ppid)
{
    char path[256], text[128];
    snprintf(path, sizeof path, "%s/%d", root, pid);
    CHECK_INT(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/%d/stat", root, pid);
    snprintf(text, sizeof text, "%d (a) b) S %d 1 1 0 -1\n", pid, ppid); /* comm holds ')' */
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

TEST(subtree_descendants_and_overflow)
{
    char root[] = "/tmp/zkinit-proc-XXXXXX";
    CHECK(mkdtemp(root) != NULL);
    const int procs[][2] = {{10, 1}, {11, 10}, {12, 11}, {13, 99}, {14, 10}, {15, 12}};
    for (size_t i = 0; i < sizeof procs / sizeof procs[0]; i++)
        fake_proc(root, procs[i][0], procs[i][1]);
    char other[300];
    snprintf(other, sizeof other, "%s/self", root); /* not a pid: skipped */
    CHECK_INT(mkdir(other, 0755), 0);
    int overflow = -1;
    CHECK_INT(subtree_count(root, 10, SUBTREE_MAX, &overflow), 4);
    CHECK_INT(overflow, 0);
    CHECK_INT(subtree_count(root, 99, SUBTREE_MAX, &overflow), 1);
    CHECK_INT(subtree_count(root, 13, SUBTREE_MAX, &overflow), 0);
    subtree_count(root, 10, 3, &overflow);
    CHECK_INT(overflow, 1);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    CHECK_INT(system(cmd), 0);
}
