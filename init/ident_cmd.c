/* ident_cmd.c - `zkinit id`: resolve (with etcd: allocate) this node's identity and print it as
 * one JSON line {"id":N,"address":"A","source":"..."}. */
#include "commands.h"
#include "exitcodes.h"
#include "ident.h"
#include "log.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void id_usage(FILE *f)
{
    fputs(
        "usage: zkinit id [--data-dir DIR]   |   zkinit id --nodes\n"
        "Resolves this node's ZooKeeper id (MYID, ZOO_MY_ID, etcd, host-name ordinal, the myid\n"
        "file in DIR (default $ZOO_DATA_DIR, else /data), else 1) and its address, and prints\n"
        "{\"id\":N,\"address\":\"A\",\"source\":\"...\"}. With ETCD_ENDPOINTS the id is allocated\n"
        "in etcd (race-free, permanent). The myid file is read, never written.\n"
        "--nodes prints the nodes registered in etcd instead: {\"id\":N,\"address\":\"A\"} "
        "per line.\n",
        f);
}

/* `zkinit id --nodes`: the nodes registered in etcd, one {"id":N,"address":"A"} line each. */
static int print_nodes(void)
{
    static struct ident_node nodes[512];
    int count = 0;
    int rc = ident_etcd_nodes(nodes, 512, &count);
    if (rc != 0)
        return rc;
    for (int i = 0; i < count; i++) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "id", nodes[i].id);
        cJSON_AddStringToObject(j, "address", nodes[i].address);
        char *s = cJSON_PrintUnformatted(j);
        cJSON_Delete(j);
        if (!s)
            return EXIT_INTERNAL;
        printf("%s\n", s);
        cJSON_free(s);
    }
    return fflush(stdout) == 0 ? 0 : EXIT_INTERNAL;
}

int cmd_id(int argc, char **argv)
{
    const char *data_dir = getenv("ZOO_DATA_DIR");
    if (!data_dir || !*data_dir)
        data_dir = "/data";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            id_usage(stdout);
            return 0;
        }
        if (strcmp(argv[i], "--nodes") == 0 && argc == 2)
            return print_nodes();
        if (strcmp(argv[i], "--data-dir") == 0 && i + 1 < argc) {
            data_dir = argv[++i];
        } else if (strncmp(argv[i], "--data-dir=", 11) == 0) {
            data_dir = argv[i] + 11;
        } else {
            log_error("bad argument", "argument=\"%s\" hint=\"usage: zkinit id [--data-dir DIR]\"",
                      argv[i]);
            return EXIT_USAGE;
        }
    }
    struct identity me;
    int rc = ident_resolve(data_dir, &me);
    if (rc != 0)
        return rc;
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "id", me.id);
    cJSON_AddStringToObject(j, "address", me.address);
    cJSON_AddStringToObject(j, "source", me.source);
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (!s) {
        log_error("out of memory", NULL);
        return EXIT_INTERNAL;
    }
    int ok = printf("%s\n", s) > 0 && fflush(stdout) == 0;
    cJSON_free(s);
    if (!ok) {
        log_error("cannot write to standard output", NULL);
        return EXIT_INTERNAL;
    }
    return 0;
}
