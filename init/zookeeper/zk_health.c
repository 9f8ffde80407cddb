/* zk_health.c - `zkinit health [zookeeper]`: the local server answers ruok with imok and srvr
 * with a quorum mode (leader, follower, observer, standalone); when the 4lw commands are not
 * whitelisted, the AdminServer's /commands/ruok and /commands/srvr over HTTP (libcurl); when
 * neither can answer, a real client session (connect, exists /). The address is the one the
 * generated zoo.cfg (and its dynamic file) makes the server listen on. */
#include "zookeeper/zk_health.h"

#include "util/clock.h"
#include "util/env.h"
#include "util/hostport.h"
#include "util/http.h"
#include "util/log.h"
#include "util/parse.h"
#include "zkclient/zk_4lw.h"
#include "zkclient/zk_client.h"
#include "zookeeper/ident.h"
#include "zookeeper/zk_config.h"
#include "zookeeper/zk_selfaddr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ANSWER_MAX 4096

struct target {
    char host[128];
    char self_host[ZK_HOST_MAX]; /* the host of this server's own line, "" unknown */
    int election_port;           /* of that line, 0 unknown */
    long port, admin_port;
    long timeout_ms;
};

/* GET /commands/CMD of the AdminServer: 0 with the body in BODY on HTTP 200, else -1. */
static int admin_get(const struct target *t, const char *cmd, char *body, size_t len)
{
    char hp[sizeof t->host + 16], url[256], why[256];
    long code = 0;
    hostport_join(t->host, t->admin_port, hp, sizeof hp);
    snprintf(url, sizeof url, "http://%s/commands/%s", hp, cmd);
    struct http_request rq = {.url = url, .timeout_ms = t->timeout_ms, .no_proxy = 1};
    int rc = http_get(&rq, &code, body, len, why, sizeof why);
    return rc == 0 && code == 200 ? 0 : -1;
}

/* AdminServer: /commands/ruok answers HTTP 200; /commands/srvr holds server_stats
 * with "server_state":"leader|follower|observer|standalone". */
static int check_admin(const struct target *t, int quiet)
{
    char body[ANSWER_MAX];
    char mode[32] = "";
    if (admin_get(t, "ruok", body, sizeof body) != 0) {
        if (quiet)
            return 1;
        log_error("zookeeper unhealthy: neither 4lw ruok nor the AdminServer answer",
                  "host=%s port=%ld admin_port=%ld", t->host, t->port, t->admin_port);
        return 1;
    }
    if (admin_get(t, "srvr", body, sizeof body) == 0) {
        const char *s = strstr(body, "\"server_state\"");
        const char *q = s ? strchr(s + 14, '"') : NULL;
        if (q)
            snprintf(mode, sizeof mode, "%.*s", (int)strcspn(q + 1, "\""), q + 1);
    }
    if (!zk_4lw_serving(mode)) {
        log_error("zookeeper unhealthy: not serving in a quorum role", "state=\"%s\" via=admin",
                  mode);
        return 1;
    }
    printf("zookeeper ok mode=%s via=admin\n", mode);
    return 0;
}

/* The value of KEY= in the properties TEXT (last one wins) into VAL. 1 found, 0 not. */
static int cfg_value(const char *text, const char *key, char *val, size_t vlen)
{
    size_t k = strlen(key);
    int found = 0;
    for (const char *p = text; p && *p;) {
        size_t n = strcspn(p, "\n");
        const char *l = p + strspn(p, " \t");
        if (strncmp(l, key, k) == 0 && l[k] == '=') {
            size_t m = (size_t)(p + n - (l + k + 1));
            snprintf(val, vlen, "%.*s", (int)m, l + k + 1);
            val[strcspn(val, " \t\r")] = '\0';
            found = 1;
        }
        p += n + (p[n] == '\n');
    }
    return found;
}

/* server.MYID's line in TEXT (zoo.cfg or its dynamic file), parsed. 1 found, 0 not. */
static int server_entry(const char *text, int myid, struct zk_server *s)
{
    char key[32], line[ZK_PATH_MAX + 32], err[64];
    snprintf(key, sizeof key, "server.%d", myid);
    if (!text || !cfg_value(text, key, line + strlen(key) + 1, sizeof line - strlen(key) - 1))
        return 0;
    memcpy(line, key, strlen(key));
    line[strlen(key)] = '=';
    return zk_parse_server(line, s, err, sizeof err) == 0;
}

/* server.MYID's host (its quorum address) in TEXT, or "", and its election port. */
static void server_host(const char *text, int myid, char *host, size_t hlen, int *election)
{
    struct zk_server s;
    host[0] = '\0';
    if (server_entry(text, myid, &s)) {
        snprintf(host, hlen, "%s", s.host);
        *election = s.election_port;
    }
}

/* server.MYID's client endpoint in TEXT. 1 found, 0 not. */
static int server_client(const char *text, int myid, char *host, size_t hlen, long *port)
{
    struct zk_server s;
    if (!server_entry(text, myid, &s) || !s.client_port)
        return 0;
    if (s.client_addr[0])
        snprintf(host, hlen, "%s", s.client_addr);
    *port = s.client_port;
    return 1;
}

int health_listen_address(const char *cfg, const char *dyn, int myid, char *host, size_t hlen,
                          long *port)
{
    char v[ZK_HOST_MAX];
    int found = 0;
    if (cfg_value(cfg, "clientPortAddress", v, sizeof v))
        snprintf(host, hlen, "%s", v), found = 1;
    if (cfg_value(cfg, "clientPort", v, sizeof v) && parse_long(v, 1, 65535, port) == 0)
        found = 1;
    if (myid > 0 && (server_client(dyn ? dyn : "", myid, host, hlen, port) ||
                     server_client(cfg, myid, host, hlen, port)))
        found = 1;
    if (!strcmp(host, "0.0.0.0") || !strcmp(host, "::") || !strcmp(host, "0:0:0:0:0:0:0:0"))
        snprintf(host, hlen, "127.0.0.1");
    return found;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = f ? calloc(1, 65536) : NULL;
    if (buf)
        buf[fread(buf, 1, 65535, f)] = '\0';
    if (f)
        fclose(f);
    return buf;
}

/* The address from the generated configuration: ZOO_CONF_DIR/zoo.cfg, its dynamic file and myid. */
static void target_from_config(struct target *t)
{
    const char *dir = getenv("ZOO_CONF_DIR");
    char path[ZK_PATH_MAX + 16], v[ZK_PATH_MAX];
    snprintf(path, sizeof path, "%s/zoo.cfg", dir && *dir ? dir : "/conf");
    char *cfg = slurp(path), *dyn = NULL, *idtext = NULL;
    int myid = 0;
    if (!cfg)
        return;
    if (cfg_value(cfg, "dynamicConfigFile", v, sizeof v))
        dyn = slurp(v);
    if (cfg_value(cfg, "dataDir", v, sizeof v)) {
        snprintf(path, sizeof path, "%s/myid", v);
        if ((idtext = slurp(path)) && ident_parse_myid(idtext, &myid) != 0)
            myid = 0;
    }
    health_listen_address(cfg, dyn, myid, t->host, sizeof t->host, &t->port);
    if (myid > 0) {
        server_host(dyn, myid, t->self_host, sizeof t->self_host, &t->election_port);
        if (!t->self_host[0])
            server_host(cfg, myid, t->self_host, sizeof t->self_host, &t->election_port);
    }
    free(cfg);
    free(dyn);
    free(idtext);
}

static int read_target(struct target *t)
{
    snprintf(t->host, sizeof t->host, "127.0.0.1");
    t->port = 2181;
    target_from_config(t);
    const char *a = getenv("ZOO_CLIENT_ADDRESS");
    if (a && *a && strcmp(a, "0.0.0.0") != 0 && strcmp(a, "::") != 0)
        snprintf(t->host, sizeof t->host, "%s", a);
    if (env_long("ZOO_CLIENT_PORT", 1, 65535, t->port, &t->port) != 0 ||
        env_long("ZOO_ADMINSERVER_PORT", 1, 65535, 8080, &t->admin_port) != 0 ||
        env_seconds_ms("ZKINIT_HEALTH_TIMEOUT", 3000, &t->timeout_ms) != 0)
        return -1;
    return 0;
}

/* Neither 4lw nor the AdminServer can answer: a client session proves the server serves. */
static int check_session(const struct target *t)
{
    char hp[ZK_HOST_MAX + 16];
    struct Stat st;
    hostport_join(t->host, t->port, hp, sizeof hp);
    zhandle_t *zh = zkc_connect(hp, clock_ms() + t->timeout_ms, NULL);
    int rc = zh ? zoo_exists(zh, "/", 0, &st) : ZCONNECTIONLOSS;
    if (zh)
        zkc_close(zh);
    if (rc != ZOK) {
        log_error("zookeeper unhealthy: no client session", "host=%s port=%ld error=\"%s\"",
                  t->host, t->port, zerror(rc));
        return 1;
    }
    printf("zookeeper ok via=session\n");
    return 0;
}

/* 4lw refused (not whitelisted): the AdminServer, else a client session. */
static int check_without_4lw(const struct target *t)
{
    return check_admin(t, 1) == 0 ? 0 : check_session(t);
}

int health_zookeeper(void)
{
    struct target t = {.port = 2181};
    char answer[ANSWER_MAX], mode[32];
    if (read_target(&t) != 0)
        return 64;
    if (zk_address_is_local(t.self_host) == 0) {
        log_error("zookeeper unhealthy: this node's address changed",
                  "server_line_host=%s hint=\"the address in this server's line is no address of "
                  "this node any more (network disconnect/connect?): restart it, it rejoins with "
                  "its new address\"",
                  t.self_host);
        return 1;
    }
    if (t.election_port && zk_port_listens_here(t.election_port) == 0) {
        log_error("zookeeper unhealthy: its election port listens on an address this node no "
                  "longer has",
                  "port=%d server_line_host=%s hint=\"the node's address changed (network "
                  "disconnect/connect?): restart it, it rejoins with its new address\"",
                  t.election_port, t.self_host);
        return 1;
    }
    if (zk_4lw_ask(t.host, t.port, "ruok", t.timeout_ms, answer, sizeof answer) != 0) {
        if (check_admin(&t, 0) == 0)
            return 0;
        log_error("zookeeper unhealthy: no answer", "host=%s port=%ld error=\"%s\"", t.host, t.port,
                  strerror(errno));
        return 1;
    }
    if (zk_4lw_refused(answer))
        return check_without_4lw(&t);
    if (strncmp(answer, "imok", 4) != 0) {
        log_error("zookeeper unhealthy: ruok", "answer=\"%.60s\"", answer);
        return 1;
    }
    if (zk_4lw_ask(t.host, t.port, "srvr", t.timeout_ms, answer, sizeof answer) != 0) {
        log_error("zookeeper unhealthy: no answer to srvr", "host=%s port=%ld", t.host, t.port);
        return 1;
    }
    if (zk_4lw_refused(answer))
        return check_without_4lw(&t);
    zk_4lw_mode(answer, mode, sizeof mode);
    if (!zk_4lw_serving(mode)) {
        log_error("zookeeper unhealthy: not serving in a quorum role", "answer=\"%.80s\"", answer);
        return 1;
    }
    printf("zookeeper ok mode=%s\n", mode);
    return 0;
}
