/* cmd_members.c - `zkinit members [--zk HOST:PORT,...]`: print the ensemble's committed
 * dynamic configuration (server lines and version), as getconfig returns it. */
#include "commands.h"
#include "util/env.h"
#include "util/exitcodes.h"
#include "util/log.h"
#include "util/parse.h"
#include "zkclient/zk_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "Usage: zkinit members [--zk HOST:PORT,...] [--timeout SECONDS]\n"
    "Prints the ensemble's current dynamic configuration (server.N=... lines and version=...).\n"
    "Default --zk: ZOO_JOIN, else 127.0.0.1:$ZOO_CLIENT_PORT (2181). Default timeout 10 s.\n"
    "Exit codes: 0 printed, 64 bad arguments, 69 no server answered in time.\n";

static int usage_error(const char *what)
{
    log_error("bad arguments",
              "problem=\"%s\" hint=\"usage: zkinit members [--zk HOST:PORT,...] "
              "[--timeout SECONDS]\"",
              what);
    return EXIT_USAGE;
}

int cmd_members(int argc, char **argv)
{
    char defhosts[64];
    const char *hosts = NULL;
    long timeout_ms = 10000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        } else if (strcmp(argv[i], "--zk") == 0 && i + 1 < argc) {
            hosts = argv[++i];
        } else if (strncmp(argv[i], "--zk=", 5) == 0) {
            hosts = argv[i] + 5;
        } else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
            if (parse_seconds_ms(argv[++i], &timeout_ms) != 0 || timeout_ms <= 0)
                return usage_error("--timeout takes seconds, e.g. 10");
        } else {
            return usage_error(argv[i]);
        }
    }
    if (!hosts || !*hosts)
        hosts = getenv("ZOO_JOIN");
    if (!hosts || !*hosts) {
        long port;
        if (env_long("ZOO_CLIENT_PORT", 1, 65535, 2181, &port) != 0)
            return EXIT_USAGE;
        snprintf(defhosts, sizeof defhosts, "127.0.0.1:%ld", port);
        hosts = defhosts;
    }
    zhandle_t *zh = zkc_connect(hosts, clock_ms() + timeout_ms, NULL);
    if (!zh) {
        log_error("no ZooKeeper server answered", "hosts=\"%s\" timeout_ms=%ld", hosts, timeout_ms);
        return EXIT_UNAVAILABLE;
    }
    char *raw = malloc(ZKC_CONFIG_MAX);
    int rc = raw ? zkc_getconfig(zh, raw, ZKC_CONFIG_MAX, NULL) : ZSYSTEMERROR;
    zkc_close(zh);
    if (rc != ZOK) {
        log_error("getconfig failed", "hosts=\"%s\" error=\"%s\"", hosts, zerror(rc));
        free(raw);
        return EXIT_UNAVAILABLE;
    }
    size_t n = strlen(raw);
    fputs(raw, stdout);
    if (n == 0 || raw[n - 1] != '\n')
        fputc('\n', stdout);
    free(raw);
    return 0;
}
