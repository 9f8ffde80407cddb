/* cmd_members.c - `zkinit members [--zk HOST:PORT,...]`: print the ensemble's committed
 * dynamic configuration (server lines and version), as getconfig returns it. */
#include "commands.h"
#include "util/args.h"
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

static const struct option long_opts[] = {
    {"help", no_argument, NULL, 'h'},
    {"zk", required_argument, NULL, 'z'},
    {"timeout", required_argument, NULL, 't'},
    {0},
};

int cmd_members(int argc, char **argv)
{
    char defhosts[64];
    const char *hosts = NULL;
    long timeout_ms = 10000;
    const struct args a = {
        argc, argv, "h", long_opts, "zkinit members [--zk HOST:PORT,...] [--timeout SECONDS]", 0};
    args_begin(&a);
    for (int c; (c = args_next(&a)) != -1;) {
        switch (c) {
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        case 'z':
            hosts = optarg;
            break;
        case 't':
            if (parse_seconds_ms(optarg, &timeout_ms) != 0 || timeout_ms <= 0)
                return args_bad(&a, optarg, "--timeout takes seconds, e.g. 10");
            break;
        default: /* ARGS_BAD: logged */
            return EXIT_USAGE;
        }
    }
    if (args_operands(&a, NULL) > 0)
        return args_no_operands(&a);
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
