/* zk_state.h - this server's durable membership state, kept in the data volume
 * ($ZOO_DATA_DIR/zkinit/): whether it is a member, the last committed configuration it saw, and
 * the record of a confirmed leave. Parser and renderer are pure; load/save are the I/O edge. */
#ifndef ZKINIT_ZK_STATE_H
#define ZKINIT_ZK_STATE_H

#include "zookeeper/zk_config.h"

enum zk_status {
    ZK_STATUS_NONE,    /* nothing recorded: a first boot, or a fresh volume */
    ZK_STATUS_MEMBER,  /* started (or confirmed) as a member of CONFIG */
    ZK_STATUS_JOINING, /* started as observer of CONFIG; the reconfig -add is not confirmed */
    ZK_STATUS_LEFT,    /* a confirmed leave: CONFIG is the one without this server */
};

struct zk_state {
    enum zk_status status;
    int id;                    /* the server id the state belongs to (0 unknown) */
    struct zk_ensemble config; /* the last committed configuration seen, with its version */
    char note[128];            /* why the state was written (for the operator), no newline */
};

const char *zk_status_name(enum zk_status s);

/* Pure. TEXT is the state file: "key=value" lines (status, id, note, version, server.N). 0, or -1
 * with ERR. */
int zk_state_parse(const char *text, struct zk_state *out, char *err, size_t errlen);
/* Pure. The file's text (malloc'd), or NULL when out of memory. */
char *zk_state_render(const struct zk_state *st);

/* Compares two config versions (hex zxids, "" is the oldest): <0, 0, >0. */
int zk_version_cmp(const char *a, const char *b);

/* Reads the state file: 0 with OUT filled (status NONE when there is none), or -1 after logging
 * (an unreadable or corrupt file: the caller must not guess). */
int zk_state_load(const struct zk_settings *st, struct zk_state *out);
/* Writes it atomically and durably (fsync, rename, fsync of the directory). 0, or -1 logged. */
int zk_state_save(const struct zk_settings *st, const struct zk_state *state);

/* 1 when ZooKeeper has ever written data here (snapshot, transaction log, or epoch files in
 * version-2 of the data or data log directory), else 0. */
int zk_has_data(const struct zk_settings *st);

/* The newest committed configuration among the dynamic config files ZooKeeper keeps (the one the
 * zoo.cfg at CFG_PATH points to). The file must be a regular file inside the conf, data or state
 * directory. 0 with OUT (n 0 when none), or -1 (logged without the file's content). */
int zk_config_from_files(const struct zk_settings *st, const char *cfg_path,
                         struct zk_ensemble *out);

#endif
