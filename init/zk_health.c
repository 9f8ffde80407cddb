/* zk_health.c - `zkinit health [zookeeper]`: the local server answers ruok with imok and srvr
 * with a quorum mode (leader, follower, observer, standalone); when the 4lw commands are not
 * whitelisted, the AdminServer's /commands/ruok and /commands/srvr over HTTP (libcurl). */
#include "health.h"

#include "clock.h"

#include "log.h"
#include "parse.h"

#include <arpa/inet.h>
#include <curl/curl.h>
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
    long port, admin_port;
    long timeout_ms;
};

static int connect_to(const struct target *t)
{
    char port[8];
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
    snprintf(port, sizeof port, "%ld", t->port);
    if (getaddrinfo(t->host, port, &hints, &ai) != 0 || !ai)
        return -1;
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(ai);
    return fd;
}

/* Sends a four-letter word and reads the whole answer (the server closes). -1 no answer. */
static int four_letter(const struct target *t, const char *word, char *out, size_t outlen)
{
    long deadline = clock_ms() + t->timeout_ms;
    int fd = connect_to(t);
    size_t len = 0;
    if (fd < 0)
        return -1;
    if (write(fd, word, 4) != 4) {
        close(fd);
        return -1;
    }
    for (;;) {
        long left = deadline - clock_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            break;
        ssize_t n = read(fd, out + len, outlen - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        if (len == outlen - 1)
            break;
    }
    close(fd);
    out[len] = '\0';
    return len > 0 ? 0 : -1;
}

static int not_whitelisted(const char *answer)
{
    return strstr(answer, "whitelist") != NULL;
}

/* "Mode: follower" -> "follower" in MODE, or "" */
static void parse_mode(const char *answer, char *mode, size_t len)
{
    const char *m = strstr(answer, "Mode: ");
    mode[0] = '\0';
    if (m)
        snprintf(mode, len, "%.*s", (int)strcspn(m + 6, "\r\n"), m + 6);
}

static int good_mode(const char *mode)
{
    return strcmp(mode, "leader") == 0 || strcmp(mode, "follower") == 0 ||
           strcmp(mode, "observer") == 0 || strcmp(mode, "standalone") == 0;
}

struct body {
    char buf[ANSWER_MAX];
    size_t len;
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
    struct body *b = arg;
    size_t k = size * n;
    size_t room = sizeof b->buf - 1 - b->len;
    memcpy(b->buf + b->len, p, k < room ? k : room);
    b->len += k < room ? k : room;
    b->buf[b->len] = '\0';
    return k;
}

static int admin_get(const struct target *t, const char *cmd, struct body *b)
{
    char url[256];
    long code = 0;
    snprintf(url, sizeof url, "http://%s:%ld/commands/%s", t->host, t->admin_port, cmd);
    CURL *c = curl_easy_init();
    if (!c)
        return -1;
    b->len = 0;
    b->buf[0] = '\0';
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, t->timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(c);
    return rc == CURLE_OK && code == 200 ? 0 : -1;
}

/* AdminServer: /commands/ruok answers HTTP 200; /commands/srvr holds server_stats
 * with "server_state":"leader|follower|observer|standalone". */
static int check_admin(const struct target *t)
{
    struct body b;
    char mode[32] = "";
    if (admin_get(t, "ruok", &b) != 0) {
        log_error("zookeeper unhealthy: neither 4lw ruok nor the AdminServer answer",
                  "host=%s port=%ld admin_port=%ld", t->host, t->port, t->admin_port);
        return 1;
    }
    if (admin_get(t, "srvr", &b) == 0) {
        const char *s = strstr(b.buf, "\"server_state\"");
        const char *q = s ? strchr(s + 14, '"') : NULL;
        if (q)
            snprintf(mode, sizeof mode, "%.*s", (int)strcspn(q + 1, "\""), q + 1);
    }
    if (!good_mode(mode)) {
        log_error("zookeeper unhealthy: not serving in a quorum role", "state=\"%s\" via=admin",
                  mode);
        return 1;
    }
    printf("zookeeper ok mode=%s via=admin\n", mode);
    return 0;
}

static int read_target(struct target *t)
{
    const char *a = getenv("ZOO_CLIENT_ADDRESS");
    if (a && *a && strcmp(a, "0.0.0.0") != 0 && strcmp(a, "::") != 0)
        snprintf(t->host, sizeof t->host, "%s", a);
    else
        snprintf(t->host, sizeof t->host, "127.0.0.1");
    if (env_long("ZOO_CLIENT_PORT", 1, 65535, 2181, &t->port) != 0 ||
        env_long("ZOO_ADMINSERVER_PORT", 1, 65535, 8080, &t->admin_port) != 0 ||
        env_seconds_ms("ZKINIT_HEALTH_TIMEOUT", 3000, &t->timeout_ms) != 0)
        return -1;
    return 0;
}

int health_zookeeper(void)
{
    struct target t;
    char answer[ANSWER_MAX], mode[32];
    if (read_target(&t) != 0)
        return 64;
    if (four_letter(&t, "ruok", answer, sizeof answer) != 0) {
        if (check_admin(&t) == 0)
            return 0;
        log_error("zookeeper unhealthy: no answer", "host=%s port=%ld error=\"%s\"", t.host, t.port,
                  strerror(errno));
        return 1;
    }
    if (not_whitelisted(answer))
        return check_admin(&t);
    if (strncmp(answer, "imok", 4) != 0) {
        log_error("zookeeper unhealthy: ruok", "answer=\"%.60s\"", answer);
        return 1;
    }
    if (four_letter(&t, "srvr", answer, sizeof answer) != 0) {
        log_error("zookeeper unhealthy: no answer to srvr", "host=%s port=%ld", t.host, t.port);
        return 1;
    }
    if (not_whitelisted(answer))
        return check_admin(&t);
    parse_mode(answer, mode, sizeof mode);
    if (!good_mode(mode)) {
        log_error("zookeeper unhealthy: not serving in a quorum role", "answer=\"%.80s\"", answer);
        return 1;
    }
    printf("zookeeper ok mode=%s\n", mode);
    return 0;
}
