/* zk_recover_apply.h - `zkinit recover --force`'s writes in this server's state directory
 * ($ZOO_DATA_DIR/zkinit): the one-member dynamic config, the membership state that records why,
 * zoo.cfg pointing at the new file, no other dynamic file (nor a pending reconfig's .next), and
 * the etcd record when etcd is configured. Every write is atomic and durable. */
#ifndef ZKINIT_ZK_RECOVER_APPLY_H
#define ZKINIT_ZK_RECOVER_APPLY_H

#include "zookeeper/zk_state.h"

/* Makes STATE (status member, its one-member config with a version) this server's. 0, or an exit
 * code (65) after logging the file that could not be written. */
int zk_recover_apply(const struct zk_settings *st, const struct zk_state *state);

#endif
