/* zk_member.c - the start hook (make sure this server is in the committed config as it should
 * be: reconfig -add once synced) and the leave hook (reconfig -remove through whichever member
 * answers first, confirmed). Both record the outcome in the durable state (and etcd). They run in
 * hook processes, never in the supervisor. */
#include "zookeeper/zk_member.h"

#include "etcd/etcd.h"
#include "util/exitcodes.h"
#include "util/log.h"
#include "zkclient/zk_client.h"
#include "zkclient/zk_reach.h"
#include "zookeeper/zk_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOCAL_TRY_MS 1000 /* one attempt to reach the local server */
#define REACH_TRY_MS 1500 /* one attempt to reach any member (all at once) */
#define BACKOFF_MAX_MS 1000
#define HOOK_MARGIN_MS 150 /* finish (and log) before the supervisor's SIGKILL */
#define ADD_TRIES_MAX 3    /* reconfig answers that still do not show this server's line */
#define HOSTS_BUF (ZK_HOSTS_MAX + ZK_HOST_MAX + 32)

static long min_l(long a, long b)
{
    return a < b ? a : b;
}

static int member_as(const struct zk_ensemble *e, const struct zk_server *self)
{
    int i = zk_ensemble_find(e, self->id);
    return i >= 0 && zk_same_line(&e->s[i], self);
}

void zk_member_wanted(const struct zk_member *m, const struct zk_ensemble *cur,
                      struct zk_server *want)
{
    *want = m->self;
    if (m->max_participants <= 0 || strcmp(m->self.role, "participant") != 0)
        return;
    int i = zk_ensemble_find(cur, m->self.id);
    int observer = i >= 0 && strcmp(cur->s[i].role, "observer") == 0 &&
                   zk_same_endpoint(&cur->s[i], &m->self); /* promotion is the steward's */
    int listed_voter = i >= 0 && !observer && zk_same_line(&cur->s[i], &m->self);
    if (observer ||
        (!listed_voter && zk_other_participants(cur, m->self.id) >= m->max_participants))
        snprintf(want->role, sizeof want->role, "%s", "observer");
}

/* ---- state ------------------------------------------------------------------------------ */

static void take_newer(struct zk_ensemble *best, const struct zk_ensemble *e)
{
    if (e->n == 0)
        return;
    if (best->n == 0 || zk_version_cmp(e->version, best->version) > 0)
        *best = *e;
}

void zk_member_known_config(const struct zk_member *m, struct zk_ensemble *out)
{
    struct zk_ensemble e;
    char old_cfg[ZK_PATH_MAX + 16];
    memset(out, 0, sizeof *out);
    if (zk_config_from_files(&m->st, m->cfg_path, &e) == 0)
        take_newer(out, &e);
    take_newer(out, &m->state.config);
    snprintf(old_cfg, sizeof old_cfg, "%s/zoo.cfg", m->st.conf_dir);
    if (strcmp(old_cfg, m->cfg_path) != 0 && zk_config_from_files(&m->st, old_cfg, &e) == 0)
        take_newer(out, &e); /* the layout before the state moved to the data volume */
}

void zk_member_record(const struct zk_member *m, enum zk_status status,
                      const struct zk_ensemble *cfg, const char *note, long timeout_ms)
{
    struct zk_state s;
    memset(&s, 0, sizeof s);
    s.status = status;
    s.id = m->self.id;
    s.config = *cfg;
    snprintf(s.note, sizeof s.note, "%s", note);
    if (zk_state_save(&m->st, &s) == 0)
        log_debug("membership state written", "status=%s version=%s", zk_status_name(status),
                  cfg->version);
    if (timeout_ms > 100) {
        etcd_retry_unreachable(); /* a hook runs long after the start's look at etcd */
        zk_record_store(cfg, timeout_ms);
    }
}

static int report_fatal(const char *what, int rc)
{
    if (rc == ZNOAUTH)
        log_error("reconfig refused: not authorized (ZNOAUTH)",
                  "action=%s hint=\"set ZOO_SUPER_PASSWORD (or _FILE) to the ensemble's super "
                  "password\"",
                  what);
    else if (rc == ZRECONFIGDISABLED)
        log_error("reconfig refused: the ensemble has reconfigEnabled=false", "action=%s", what);
    else
        log_error("reconfig failed", "action=%s error=\"%s\" code=%d", what, zerror(rc), rc);
    return 1;
}

/* ---- start: join ------------------------------------------------------------------------ */

/* Waits until the local server serves clients (it has synced with the leader); CUR = the
 * committed config it serves. */
static int wait_local(const struct zk_member *m, long deadline, struct zk_ensemble *cur)
{
    char local[ZK_HOST_MAX + 16];
    enum zk_reach_fail why;
    zk_client_hostport(&m->self, local, sizeof local);
    while (clock_ms() < deadline) {
        zhandle_t *zh =
            zk_reach_first(local, min_l(deadline, clock_ms() + LOCAL_TRY_MS), NULL, &why);
        if (zh) {
            int rc = zkc_getconfig(zh, NULL, 0, cur);
            zkc_close(zh);
            if (rc == ZOK)
                return 0;
        }
        sleep_ms(100);
    }
    return -1;
}

/* Every member of CUR, this server first. */
static void all_hosts(const struct zk_member *m, const struct zk_ensemble *cur, char *buf,
                      size_t len)
{
    char local[ZK_HOST_MAX + 16], others[ZK_HOSTS_MAX];
    zk_client_hostport(&m->self, local, sizeof local);
    zk_connect_string(cur, m->self.id, others, sizeof others);
    snprintf(buf, len, "%s%s%s", local, others[0] ? "," : "", others);
}

/* One reconfig -add of WANT through ZH, while CUR is the committed config (a change that came
 * first makes it ZBADVERSION: CUR is read again, and the role chosen again). 0 joined (CUR is the
 * new config), 1 retry, 2 give up (logged). */
static int add_once(const struct zk_member *m, zhandle_t *zh, const struct zk_server *want,
                    int *mismatches, struct zk_ensemble *cur)
{
    char line[ZK_PATH_MAX];
    zk_server_line(want, line, sizeof line);
    int rc = zkc_reconfig_from(zh, line, NULL, cur->version, cur);
    if (rc == ZOK && member_as(cur, want))
        return 0;
    if (rc == ZOK) { /* committed, but ZooKeeper's line for us is not ours: do not loop */
        int i = zk_ensemble_find(cur, m->self.id);
        char theirs[ZK_PATH_MAX];
        if (i >= 0)
            zk_server_line(&cur->s[i], theirs, sizeof theirs);
        log_error("the ensemble's line for this server differs from the one zkinit added",
                  "id=%d added=\"%s\" committed=\"%s\"", m->self.id, line,
                  i >= 0 ? theirs : "none");
        return ++*mismatches >= ADD_TRIES_MAX ? 2 : 1;
    }
    if (zkc_connection_lost(rc) || rc == ZRECONFIGINPROGRESS || rc == ZNEWCONFIGNOQUORUM ||
        rc == ZBADVERSION) {
        log_debug("reconfig -add not done yet; retrying", "error=\"%s\"", zerror(rc));
        return 1;
    }
    report_fatal("add", rc);
    return 2;
}

static int add_self(const struct zk_member *m, struct zk_ensemble *cur, long deadline, long t0)
{
    char hosts[HOSTS_BUF];
    long backoff = 50;
    int mismatches = 0;
    enum zk_reach_fail why;
    struct zk_server want = m->self;
    while (clock_ms() < deadline) {
        /* Through the others only: our own server holds our own (maybe wrong) super digest and
         * would vouch for it; the ensemble must check the password. */
        zk_connect_string(cur, m->self.id, hosts, sizeof hosts);
        zhandle_t *zh =
            zk_reach_first(hosts, min_l(deadline, clock_ms() + REACH_TRY_MS), m->password, &why);
        int r = 1;
        if (zh) {
            int rc = zkc_getconfig(zh, NULL, 0, cur);
            if (rc == ZOK)
                zk_member_wanted(m, cur, &want);
            r = rc == ZOK && member_as(cur, &want) ? 0
                : rc == ZOK                        ? add_once(m, zh, &want, &mismatches, cur)
                                                   : 1;
            zkc_close(zh);
        }
        if (r == 0) {
            log_info("joined the ensemble", "id=%d role=%s version=%s servers=%d ms=%ld%s",
                     m->self.id, want.role, cur->version, cur->n, clock_ms() - t0,
                     strcmp(want.role, m->self.role) != 0
                         ? " why=\"ZOO_MAX_PARTICIPANTS voters already\""
                         : "");
            return 0;
        }
        if (r == 2)
            return 1;
        sleep_ms(min_l(backoff, deadline - clock_ms()));
        backoff = min_l(backoff * 2, BACKOFF_MAX_MS);
    }
    log_error("could not join the ensemble before the deadline; the server keeps running as "
              "observer",
              "id=%d hosts=\"%s\"", m->self.id, hosts);
    return 1;
}

int zk_join_hook(void *arg)
{
    const struct zk_member *m = arg;
    long t0 = clock_ms();
    long deadline = t0 + m->join_timeout_ms - HOOK_MARGIN_MS;
    struct zk_ensemble cur;
    if (wait_local(m, deadline, &cur) != 0) {
        log_error("the local server did not sync with the ensemble before the deadline",
                  "id=%d timeout_ms=%ld", m->self.id, m->join_timeout_ms);
        return 1;
    }
    struct zk_server want;
    zk_member_wanted(m, &cur, &want);
    if (member_as(&cur, &want)) {
        log_info("serving as a member of the committed configuration",
                 "id=%d role=%s version=%s "
                 "servers=%d ms=%ld",
                 m->self.id, want.role, cur.version, cur.n, clock_ms() - t0);
        zk_member_record(m, ZK_STATUS_MEMBER, &cur, "serving as a member", deadline - clock_ms());
        return 0;
    }
    if (!m->need_join)
        log_warn("started as a member but the committed configuration does not list this server "
                 "as such; adding it",
                 "id=%d version=%s servers=%d", m->self.id, cur.version, cur.n);
    else
        log_info("local server synced; adding it to the ensemble", "id=%d as=%s ms=%ld", m->self.id,
                 m->self.role, clock_ms() - t0);
    if (add_self(m, &cur, deadline, t0) != 0)
        return 1;
    zk_member_record(m, ZK_STATUS_MEMBER, &cur, "joined", deadline - clock_ms());
    return 0;
}

/* ---- stop: leave ------------------------------------------------------------------------ */

/* After a connection loss (the leader removing itself answers so): is the removal committed?
 * 0 yes (CUR without us), 1 still listed, -1 nobody answered. */
static int confirm_gone(const struct zk_member *m, struct zk_ensemble *cur, long deadline)
{
    char others[ZK_HOSTS_MAX];
    enum zk_reach_fail why;
    zk_connect_string(cur, m->self.id, others, sizeof others);
    while (clock_ms() < deadline) {
        zhandle_t *zh =
            zk_reach_first(others, min_l(deadline, clock_ms() + REACH_TRY_MS), m->password, &why);
        struct zk_ensemble after;
        int rc = zh ? zkc_getconfig(zh, NULL, 0, &after) : ZCONNECTIONLOSS;
        zkc_close(zh);
        if (rc == ZOK && zk_ensemble_find(&after, m->self.id) < 0) {
            *cur = after;
            return 0;
        }
        if (rc == ZOK)
            return 1;
        sleep_ms(50);
    }
    return -1;
}

/* One removal through ZH, given the committed CUR. 0 left (CUR updated), 1 retry, 2 give up. */
static int remove_once(const struct zk_member *m, zhandle_t *zh, struct zk_ensemble *cur,
                       long deadline)
{
    char id[16];
    struct zk_ensemble after;
    snprintf(id, sizeof id, "%d", m->self.id);
    int rc = zkc_reconfig(zh, NULL, id, &after);
    if (rc == ZOK) {
        *cur = after;
        return 0;
    }
    if (zkc_connection_lost(rc)) {
        int c = confirm_gone(m, cur, deadline);
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

/* One round: reach any member, read the committed config, act. 0 done, 1 retry, 2 give up. */
static int leave_round(const struct zk_member *m, struct zk_ensemble *known, long deadline, long t0)
{
    char hosts[HOSTS_BUF];
    enum zk_reach_fail why;
    struct zk_ensemble cur;
    all_hosts(m, known, hosts, sizeof hosts);
    zhandle_t *zh =
        zk_reach_first(hosts, min_l(deadline, clock_ms() + REACH_TRY_MS), m->password, &why);
    if (!zh)
        return 1;
    int rc = zkc_getconfig(zh, NULL, 0, &cur), r = 1;
    if (rc == ZOK && zk_ensemble_find(&cur, m->self.id) < 0) {
        log_info("not in the ensemble's configuration; nothing to leave", "id=%d", m->self.id);
        zk_member_record(m, ZK_STATUS_LEFT, &cur, "not listed at stop", deadline - clock_ms());
        r = 0;
    } else if (rc == ZOK && zk_other_participants(&cur, m->self.id) == 0) {
        log_info("last participant of the ensemble; stopping without leaving", "id=%d", m->self.id);
        zk_member_record(m, ZK_STATUS_MEMBER, &cur, "last participant at stop",
                         deadline - clock_ms());
        r = 0;
    } else if (rc == ZOK) {
        char others[ZK_HOSTS_MAX];
        *known = cur;
        zk_connect_string(&cur, m->self.id, others, sizeof others);
        zkc_close(zh); /* the removal goes through the others (see add_self) */
        zh = zk_reach_first(others, min_l(deadline, clock_ms() + REACH_TRY_MS), m->password, &why);
        r = zh ? remove_once(m, zh, known, deadline) : 1;
        if (r == 0) {
            log_info("left the ensemble", "id=%d version=%s servers=%d ms=%ld", m->self.id,
                     known->version, known->n, clock_ms() - t0);
            zk_member_record(m, ZK_STATUS_LEFT, known, "left on stop", deadline - clock_ms());
        }
    }
    zkc_close(zh);
    return r;
}

int zk_leave_hook(void *arg)
{
    const struct zk_member *m = arg;
    long t0 = clock_ms();
    long deadline = t0 + m->leave_timeout_ms - HOOK_MARGIN_MS;
    struct zk_ensemble known;
    if (!m->leave_on_stop)
        return 0;
    zk_member_known_config(m, &known);
    while (clock_ms() < deadline) {
        int r = leave_round(m, &known, deadline, t0);
        if (r == 0)
            return 0;
        if (r == 2)
            return 1;
        sleep_ms(min_l(50, deadline - clock_ms()));
    }
    log_warn("could not leave the ensemble before ZOO_LEAVE_TIMEOUT; stopping anyway",
             "id=%d timeout_ms=%ld", m->self.id, m->leave_timeout_ms);
    return 1;
}
