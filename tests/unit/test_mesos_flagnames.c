/* test_mesos_flagnames.c - the flag tables of init/mesos/mesos_flagnames.c against the lists
 * extracted from the Mesos 1.7.0 and Marathon 1.6.352 sources (tests/unit/data/flags-*.txt, made by
 * tests/unit/data/extract_flags.py), and the "did you mean" hint. */
#include "mesos/mesos_flagnames.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

static enum mesos_role role_of(const char *r)
{
    return strcmp(r, "master") == 0  ? ROLE_MESOS_MASTER
           : strcmp(r, "agent") == 0 ? ROLE_MESOS_AGENT
                                     : ROLE_MARATHON;
}

/* Every line of the data file is in the table with its kind, and the table has no other entry.
 * Returns how many lines matched, or -1 when the file is missing. */
static long check_against(const char *path, enum mesos_role only, int marathon)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    long rows = 0;
    while (fgets(line, sizeof line, f)) {
        char r[32], name[128], kind[16], alias[128] = "";
        if (line[0] == '#' || sscanf(line, "%31s %127s %15s %127s", r, name, kind, alias) < 3)
            continue;
        enum mesos_role role = role_of(r);
        if ((role == ROLE_MARATHON) != marathon || (!marathon && role != only))
            continue;
        const struct flag_name *e = flagnames_find(role, name);
        if (!e) {
            printf("missing from the table: %s %s\n", r, name);
            CHECK(e != NULL);
            continue;
        }
        CHECK_INT(e->kind == FLAG_BOOL, strcmp(kind, "bool") == 0);
        CHECK_STR(e->alias_of ? e->alias_of : "", alias);
        rows++;
    }
    fclose(f);
    return rows;
}

TEST(flagnames_match_the_sources)
{
    size_t n;
    flagnames_table(ROLE_MESOS_MASTER, &n);
    CHECK_INT(check_against("tests/unit/data/flags-mesos-1.7.0.txt", ROLE_MESOS_MASTER, 0),
              (long)n);
    flagnames_table(ROLE_MESOS_AGENT, &n);
    CHECK_INT(check_against("tests/unit/data/flags-mesos-1.7.0.txt", ROLE_MESOS_AGENT, 0), (long)n);
    flagnames_table(ROLE_MARATHON, &n);
    CHECK_INT(check_against("tests/unit/data/flags-marathon-v1.6.352.txt", ROLE_MARATHON, 1),
              (long)n);
}

TEST(flagnames_sorted_for_the_search)
{
    for (int r = ROLE_MESOS_MASTER; r <= ROLE_MARATHON; r++) {
        size_t n;
        const struct flag_name *t = flagnames_table((enum mesos_role)r, &n);
        for (size_t i = 1; i < n; i++)
            CHECK(strcasecmp(t[i - 1].name, t[i].name) < 0);
    }
}

TEST(flagnames_lookup_and_hints)
{
    CHECK(flagnames_find(ROLE_MESOS_AGENT, "work-dir") != NULL);
    CHECK(flagnames_find(ROLE_MESOS_AGENT, "WORK_DIR") != NULL);
    CHECK(flagnames_find(ROLE_MESOS_AGENT, "containerizer") == NULL);
    CHECK(flagnames_find(ROLE_MESOS_AGENT, "quorum") == NULL);
    CHECK(flagnames_find(ROLE_MESOS_MASTER, "quorum") != NULL);
    CHECK_INT(flagnames_find(ROLE_MESOS_AGENT, "switch_user")->kind, FLAG_BOOL);
    CHECK_INT(flagnames_find(ROLE_MESOS_AGENT, "hostname")->kind, FLAG_VALUE);
    CHECK_INT(flagnames_find(ROLE_MESOS_AGENT, "containerizers")->kind, FLAG_LIST_COMMA);
    CHECK_INT(flagnames_find(ROLE_MESOS_AGENT, "attributes")->kind, FLAG_LIST_SEMI);
    CHECK_STR(flagnames_find(ROLE_MESOS_MASTER, "slave_reregister_timeout")->alias_of,
              "agent_reregister_timeout");
    CHECK_INT(flagnames_find(ROLE_MARATHON, "disable_ha")->kind, FLAG_BOOL);
    CHECK(flagnames_find(ROLE_MARATHON, "http_port") != NULL);
    CHECK_STR(flagnames_suggest(ROLE_MESOS_AGENT, "containerizer"), "containerizers");
    CHECK_STR(flagnames_suggest(ROLE_MESOS_AGENT, "wrk_dir"), "work_dir");
    CHECK_STR(flagnames_suggest(ROLE_MARATHON, "http-prot"), "http_port");
    CHECK(flagnames_suggest(ROLE_MESOS_MASTER, "frobnicate_everything") == NULL);
}
