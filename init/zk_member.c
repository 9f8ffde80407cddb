/* zk_member.c - the join hook (reconfig -add once synced) and the leave hook (reconfig -remove,
 * confirmed by getconfig). Both run in hook processes, never in the supervisor. */
#include "zk_member.h"

#include "exitcodes.h"
#include "log.h"
#include "zk_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOCAL_TRY_MS 2000 /* one attempt to reach the local server */
#define BACKOFF_MAX_MS 1000
#define HOOK_MARGIN_MS 150 /* finish (and log) before the supervisor's SIGKILL */

static long min_l(long a, long b)
{
    return a < b ? a : b;
}

static int is_retryable(int rc)
{
    return rc == ZRECONFIGINPROGRESS || rc == ZNEWCONFIGNOQUORUM;
}

static int is_connection_error(int rc)
{
    return rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT || rc == ZSESSIONEXPIRED ||
           rc == ZINVALIDSTATE || rc == ZCLOSING;
}

static int member_as(const struct zk_ensemble *e, const struct zk_server *self)
{
    int i = zk_ensemble_find(e, self->id);
    return i >= 0 && zk_same_endpoint(&e->s[i], self) && strcmp(e->s[i].role, self->role) == 0;
}

static int report_fatal(const char *what, int rc)
{
    if (rc == ZNOAUTH)
        log_error("reconfig refused: not authorized (ZNOAUTH)",
                  "action=%s hint=\"set "
                  "ZOO_SUPER_PASSWORD (or _FILE) to the ensemble's super password\"",
                  what);
    else if (rc == ZRECONFIGDISABLED)
        log_error("reconfig refused: the ensemble has reconfigEnabled=false", "action=%s", what);
    else
        log_error("reconfig failed", "action=%s error=\"%s\" code=%d", what, zerror(rc), rc);
    return 1;
}

/* Waits until the local server serves clients (it has synced with the leader). */
static int wait_local(const struct zk_member *m, long deadline)
{
    char local[ZK_HOST_MAX + 16];
    zk_client_hostport(&m->self, local, sizeof local);
    while (clock_ms() < deadline) {
        zhandle_t *zh = zkc_connect(local, min_l(deadline, clock_ms() + LOCAL_TRY_MS), NULL);
        if (zh) {
            int rc = zkc_getconfig(zh, NULL, 0, NULL);
            zkc_close(zh);
            if (rc == ZOK)
                return 0;
        }
        sleep_ms(100);
    }
    return -1;
}

static int add_self(const struct zk_member *m, long deadline, long t0)
{
    char line[ZK_PATH_MAX];
    struct zk_ensemble cur;
    long backoff = 50;
    zk_server_line(&m->self, line, sizeof line);
    while (clock_ms() < deadline) {
        zhandle_t *zh = zkc_connect(m->others, deadline, m->password);
        if (!zh)
            break;
        for (;;) {
            int rc = zkc_getconfig(zh, NULL, 0, &cur);
            if (rc == ZOK && member_as(&cur, &m->self)) {
                log_info("joined the ensemble", "id=%d role=%s version=%s servers=%d ms=%ld",
                         m->self.id, m->self.role, cur.version, cur.n, clock_ms() - t0);
                zkc_close(zh);
                return 0;
            }
            if (rc == ZOK)
                rc = zkc_reconfig(zh, line, NULL, &cur);
            if (rc == ZOK)
                continue; /* verify with getconfig */
            if (is_connection_error(rc) || clock_ms() >= deadline)
                break;
            if (!is_retryable(rc)) {
                zkc_close(zh);
                return report_fatal("add", rc);
            }
            log_debug("reconfig busy; retrying", "error=\"%s\" backoff_ms=%ld", zerror(rc),
                      backoff);
            sleep_ms(backoff);
            backoff = min_l(backoff * 2, BACKOFF_MAX_MS);
        }
        zkc_close(zh);
        sleep_ms(backoff);
    }
    log_error("could not join the ensemble before the deadline; the server keeps running as "
              "observer",
              "id=%d hosts=\"%s\"", m->self.id, m->hosts);
    return 1;
}

int zk_join_hook(void *arg)
{
    const struct zk_member *m = arg;
    long t0 = clock_ms();
    long deadline = t0 + m->join_timeout_ms - HOOK_MARGIN_MS;
    if (!m->need_join)
        return 0;
    if (wait_local(m, deadline) != 0) {
        log_error("the local server did not sync with the ensemble before the deadline",
                  "id=%d timeout_ms=%ld", m->self.id, m->join_timeout_ms);
        return 1;
    }
    log_info("local server synced; adding it to the ensemble", "id=%d as=%s ms=%ld", m->self.id,
             m->self.role, clock_ms() - t0);
    return add_self(m, deadline, t0);
}

/* The committed config, read through HOSTS. ZOK or an error code. */
static int read_config(const char *hosts, const struct zk_member *m, long deadline,
                       struct zk_ensemble *cur)
{
    zhandle_t *zh = zkc_connect(hosts, deadline, m->password);
    if (!zh)
        return ZCONNECTIONLOSS;
    int rc = zkc_getconfig(zh, NULL, 0, cur);
    zkc_close(zh);
    return rc;
}

/* After a connection loss (the leader removing itself answers so): is the removal committed? */
static int confirm_gone(const struct zk_member *m, const char *others, long deadline, long t0)
{
    struct zk_ensemble cur;
    while (clock_ms() < deadline) {
        int rc = read_config(others, m, deadline, &cur);
        if (rc == ZOK && zk_ensemble_find(&cur, m->self.id) < 0) {
            log_info("left the ensemble (confirmed by getconfig)",
                     "id=%d version=%s servers=%d "
                     "ms=%ld",
                     m->self.id, cur.version, cur.n, clock_ms() - t0);
            return 0;
        }
        if (rc == ZOK)
            return 1; /* still listed: the removal did not commit */
        sleep_ms(50);
    }
    return -1;
}

/* One removal attempt through OTHERS. 0 done, 1 retry, 2 give up (logged). */
static int remove_self(const struct zk_member *m, const char *others, long deadline, long t0)
{
    char id[16];
    struct zk_ensemble cur;
    snprintf(id, sizeof id, "%d", m->self.id);
    zhandle_t *zh = zkc_connect(others, deadline, m->password);
    if (!zh)
        return 2;
    int rc = zkc_reconfig(zh, NULL, id, &cur);
    zkc_close(zh);
    if (rc == ZOK) {
        log_info("left the ensemble", "id=%d version=%s servers=%d ms=%ld", m->self.id, cur.version,
                 cur.n, clock_ms() - t0);
        return 0;
    }
    if (is_connection_error(rc)) {
        int c = confirm_gone(m, others, deadline, t0);
        return c == 0 ? 0 : c == 1 ? 1 : 2;
    }
    if (rc == ZNEWCONFIGNOQUORUM) {
        log_warn("cannot leave: the remaining servers have no quorum; stopping without leaving",
                 "id=%d", m->self.id);
        return 2;
    }
    if (rc == ZRECONFIGINPROGRESS) {
        sleep_ms(50);
        return 1;
    }
    report_fatal("remove", rc);
    return 2;
}

int zk_leave_hook(void *arg)
{
    const struct zk_member *m = arg;
    long t0 = clock_ms();
    long deadline = t0 + m->leave_timeout_ms - HOOK_MARGIN_MS;
    struct zk_ensemble cur;
    char others[ZK_HOSTS_MAX];
    if (!m->leave_on_stop)
        return 0;
    while (clock_ms() < deadline) {
        int rc = read_config(m->hosts, m, deadline, &cur);
        if (rc != ZOK) {
            if (clock_ms() >= deadline)
                break;
            sleep_ms(50);
            continue;
        }
        if (zk_ensemble_find(&cur, m->self.id) < 0) {
            log_info("not in the ensemble's configuration; nothing to leave", "id=%d", m->self.id);
            return 0;
        }
        if (zk_other_participants(&cur, m->self.id) == 0) {
            log_info("last participant of the ensemble; stopping without leaving", "id=%d",
                     m->self.id);
            return 0;
        }
        zk_connect_string(&cur, m->self.id, others, sizeof others);
        int r = remove_self(m, others, deadline, t0);
        if (r == 0)
            return 0;
        if (r == 2)
            return 1;
    }
    log_warn("could not leave the ensemble before ZOO_LEAVE_TIMEOUT; stopping anyway",
             "id=%d timeout_ms=%ld", m->self.id, m->leave_timeout_ms);
    return 1;
}
